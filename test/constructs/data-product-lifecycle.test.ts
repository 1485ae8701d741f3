/**
 * What a contract promises and where it is in its lifecycle change what is deployed: the
 * freshness SLA becomes an alarm, and the status decides whether the data product is deployed,
 * granted and fed by its pipeline.
 */
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { alarmWindow } from '../../src/contract/freshness';
import { domainAppOf } from '../support/domain-app';
import { contractOfKind, domainRepository } from '../support/domain-repository';

const domainApp = (contracts: Record<string, string>) => domainAppOf(domainRepository(contracts));

/** A contract with a Lambda stage and a Glue stage after it, a consumer, the given status and freshness. */
function contract(name: string, status: string, freshness = '    value: 24\n    unit: h\n'): string {
  return contractOfKind('lambda-glue', name)
    .replace('status: active', `status: ${status}`)
    .replace('    value: []', '    value:\n      - domain: marketing\n        access: select')
    .replace('    value: 24\n    unit: h\n', freshness);
}

const app = domainApp({
  orders: contract('orders', 'active'),
  returns: contract('returns', 'draft'),
  refunds: contract('refunds', 'deprecated', '    value: 2\n    unit: d\n'),
  legacy: contract('legacy', 'retired'),
});
const stage = app.stages[0];
const product = (name: string) => stage.dataProducts.find((p) => p.node.id === name);
const templateOf = (name: string) => Template.fromStack(Stack.of(product(name)!));

test('the freshness SLA is one alarm on the last stage: no successful run within the window alarms the domain topic', () => {
  const template = templateOf('orders');
  const lastStage = product('orders')!.pipeline!.glueStages[0];
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'ExecutionsSucceeded',
    Namespace: 'AWS/States',
    Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: Stack.of(lastStage).getLogicalId(lastStage.stateMachine.node.defaultChild as any) } }],
    Statistic: 'Sum',
    Period: 86_400,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    // Nothing at all is stale too.
    TreatMissingData: 'breaching',
    AlarmDescription: Match.stringLikeRegexp('^orders: no new data within its promised freshness of 24 h'),
    AlarmActions: [Match.anyValue()],
  });
  // One alarm per data product, not per column or table.
  const freshnessAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm: any) => alarm.Properties.MetricName === 'ExecutionsSucceeded');
  expect(freshnessAlarms).toHaveLength(1);
});

test('the domain dashboard shows each freshness alarm by its name, without a reference between the stacks', () => {
  templateOf('orders').hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsSucceeded', AlarmName: 'sales-dev-orders-freshness' });
  const domain = Template.fromStack(stage.domainStack);
  const [dashboard] = Object.values(domain.findResources('AWS::CloudWatch::Dashboard')) as any[];
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  expect(body).toContain('Freshness of the data products (contract SLA)');
  for (const name of ['sales-dev-orders-freshness', 'sales-dev-refunds-freshness']) {
    expect(body).toContain(`:alarm:${name}`);
  }
  // Not the retired one, which has no pipeline to alarm on.
  expect(body).not.toContain('legacy-freshness');
  expect(JSON.stringify(domain.toJSON())).not.toContain('Fn::ImportValue');
});

test('a window longer than a day is covered by whole days, all of which must be empty to alarm', () => {
  templateOf('refunds').hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsSucceeded', Period: 86_400, EvaluationPeriods: 2, DatapointsToAlarm: 2 });
  expect(alarmWindow(6 * 3600)).toEqual({ periodSeconds: 21_600, evaluationPeriods: 1, clamped: false });
  expect(alarmWindow(36 * 3600)).toEqual({ periodSeconds: 64_800, evaluationPeriods: 2, clamped: false });
  // CloudWatch evaluates at most 7 days: a monthly promise is alarmed over 7 days, and said.
  expect(alarmWindow(30 * 86_400)).toEqual({ periodSeconds: 86_400, evaluationPeriods: 7, clamped: true });
});

test('a contract without a freshness promise gets no freshness alarm', () => {
  const withoutSla = domainApp({ orders: contract('orders', 'active').replace(/slaProperties:\n(  .*\n)+/, '') });
  expect(withoutSla.stages[0].dataProducts[0].freshnessAlarm).toBeUndefined();
});

test('draft: documented, not deployed', () => {
  expect(product('returns')).toBeUndefined();
  expect(stage.dataProductStacks.map((s) => s.dataProduct.node.id).sort()).toEqual(['legacy', 'orders', 'refunds']);
  Annotations.fromStack(stage.domainStack).hasInfo('*', Match.stringLikeRegexp('data product returns is draft: not deployed until its contract is active'));
});

test('deprecated: still served, grants kept, freshness still alarmed', () => {
  const template = templateOf('refunds');
  expect(Object.keys(template.findResources('AWS::LakeFormation::PrincipalPermissions')).length).toBeGreaterThan(0);
  expect(product('refunds')!.pipeline).toBeDefined();
});

test('retired: consumer grants revoked and the pipeline removed, the data kept', () => {
  const template = templateOf('legacy');
  template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  template.resourceCountIs('AWS::Lambda::Function', 0);
  expect(product('legacy')!.pipeline).toBeUndefined();
  expect(product('legacy')!.freshnessAlarm).toBeUndefined();
  // Its database and tables stay: the data is kept for its retention.
  template.resourceCountIs('AWS::Glue::Database', 1);
  template.resourceCountIs('AWS::Glue::Table', 1);
  Annotations.fromStack(Stack.of(product('legacy')!)).hasInfo('*', Match.stringLikeRegexp('legacy is retired: its 1 consumer grant\\(s\\) are revoked'));
});
