import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { GlueStage, GlueStageTrigger } from '../../src';
import { renderBlueprint } from '../../src/util/blueprint';
import { nagFindings } from '../support/nag';
import { stageFixture } from '../support/stage-fixture';

const SCRIPT = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stages-')), 'heavy-transform.py');
fs.writeFileSync(
  SCRIPT,
  renderBlueprint('sdlf-domain/samples/glue-stage.py.hbs', { dataProduct: 'orders', stage: 'heavy-transform', inputPrefix: 'stage/orders/', outputPrefix: 'analytics/orders/', testModule: 'test_heavy_transform', inputFormat: 'json' }),
);

function stageStack(trigger?: GlueStageTrigger, schedule?: events.Schedule) {
  const { app, stack, domain, key, bucket, metadataTable } = stageFixture();
  const stage = new GlueStage(stack, 'HeavyTransform', {
    domain: 'sales',
    environment: 'dev',
    dataProduct: 'orders',
    name: 'heavy-transform',
    bucket,
    key,
    script: SCRIPT,
    databaseName: 'sales_dev_orders',
    tableNames: ['orders'],
    qualityRulesets: { orders: 'sales_dev_orders.orders' },
    metadataTable,
    alarmTopic: domain.alarmTopic,
    trigger,
    schedule,
  });
  return { app, stack, stage, template: Template.fromStack(stack) };
}

const { stack, stage, template } = stageStack();
const definition = () => JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine')[stack.getLogicalId(stage.stateMachine.node.defaultChild as any)].Properties.DefinitionString);

test('the job runs the repository script on Glue 5, logs to its own groups encrypted by the domain key, with the platform\'s security configuration', () => {
  template.hasResourceProperties('AWS::Glue::Job', {
    Name: 'sdlf-sales-dev-orders-heavy-transform',
    GlueVersion: '5.0',
    Command: { Name: 'glueetl', PythonVersion: '3', ScriptLocation: Match.anyValue() },
    MaxRetries: 0,
    SecurityConfiguration: 'sdlf-sales-dev',
    DefaultArguments: Match.objectLike({
      '--job-bookmark-option': 'job-bookmark-enable',
      '--custom-logGroup-prefix': '/sdlf/sales/dev/orders/heavy-transform',
      '--DATABASE': 'sales_dev_orders',
      '--TABLES': 'orders',
      '--OBJECTS': '[]',
    }),
  });
  // Glue's security configurations are named in the account: the platform creates the domain's, no stage does.
  template.resourceCountIs('AWS::Glue::SecurityConfiguration', 0);
  const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('StorageKey'), 'Arn'] };
  for (const kind of ['error', 'output']) {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/sdlf/sales/dev/orders/heavy-transform/${kind}`, KmsKeyId: keyArn });
  }
});

test('the catalog update adds partitions to the contract tables and never changes their schema', () => {
  template.hasResourceProperties('AWS::Glue::Crawler', {
    Targets: { CatalogTargets: [{ DatabaseName: 'sales_dev_orders', Tables: ['orders'] }] },
    SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
    Configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } }),
    CrawlerSecurityConfiguration: Match.anyValue(),
  });
});

test('the state machine runs the job, waits for the crawl, starts the quality evaluation and records each step', () => {
  const text = definition();
  for (const state of ['RecordSTARTED', 'RunJob', 'UpdateCatalog', 'WaitForCrawler', 'CrawlerState', 'CrawlerDone', 'EvaluateQuality-orders', 'RecordSUCCEEDED', 'RecordFAILED']) {
    expect(text).toContain(`\\"${state}\\"`);
  }
  expect(text).toContain('Glue.ConcurrentRunsExceededException');
  expect(text).toContain('Glue.CrawlerRunningException');
});

test('the role reads the input prefix, writes the output prefix and holds Lake Formation grants on the tables only', () => {
  const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
  expect(policies).toContain('/stage/orders/*');
  expect(policies).toContain('/analytics/orders/*');
  expect(policies).toContain(':table/sales_dev_orders/orders');
  expect(policies).not.toMatch(/"Action":"\*"|"Action":\["\*"\]/);
  // Each contract table by name: never the database's every table (a wildcard would reach tables added later).
  const grants = Object.values(template.findResources('AWS::LakeFormation::PrincipalPermissions', {
    Properties: { Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [stack.getLogicalId(stage.role.node.defaultChild as any), 'Arn'] } } },
  }));
  expect(grants.map((grant) => [grant.Properties.Permissions, grant.Properties.Resource])).toEqual([
    [['SELECT', 'INSERT', 'ALTER', 'DESCRIBE'], { Table: { CatalogId: '111111111111', DatabaseName: 'sales_dev_orders', Name: 'orders' } }],
  ]);
});

test('by default the events wait in the queue and the schedule drains them hourly, alarming only after a day', () => {
  expect(stage.queue).toBeDefined();
  template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)', Target: Match.objectLike({ Arn: Match.anyValue() }) });
  template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 86400 });
  expect(stage.alarms).toHaveLength(3);
});

test('an event trigger starts a run per object through the queue', () => {
  const { template: perEvent } = stageStack(GlueStageTrigger.EVENT);
  perEvent.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  perEvent.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: Match.objectLike({ object: { key: [{ prefix: 'stage/orders/' }] } }) }) });
});

test('a schedule trigger starts the state machine directly, with no queue', () => {
  const { stage: scheduled, template: onSchedule } = stageStack(GlueStageTrigger.SCHEDULE, events.Schedule.rate(Duration.hours(6)));
  expect(scheduled.queue).toBeUndefined();
  onSchedule.resourceCountIs('AWS::SQS::Queue', 0);
  onSchedule.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(6 hours)', Target: Match.objectLike({ Input: '{"objects":[]}' }) });
  expect(scheduled.alarms).toHaveLength(1);
});

test('AWS Solutions rules on the stage', () => {
  const findings = nagFindings(stageStack().app);
  expect(findings.filter((finding) => finding.includes('/HeavyTransform/'))).toEqual([]);
});
