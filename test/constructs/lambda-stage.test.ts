import { AspectPriority, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { GovernancePolicy, GovernanceTags, LambdaStage } from '../../src';
import { nagFindings } from '../support/nag';
import { stageFixture } from '../support/stage-fixture';

function stageStack(dataProduct = 'orders', stageName = 'light-transform') {
  const { app, stack, domain, key, bucket, metadataTable } = stageFixture();
  const transform = new lambda.Function(stack, 'Transform', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
  });
  const stage = new LambdaStage(stack, 'LightTransform', {
    domain: 'sales', environment: 'dev', dataProduct, name: stageName, bucket, key, process: transform, metadataTable, alarmTopic: domain.alarmTopic,
  });
  return { app, stack, stage, transform };
}

const { stack, stage, transform } = stageStack();
const template = Template.fromStack(stack);

test('object-created events of the raw prefix go to an encrypted queue with a dead-letter queue', () => {
  template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: {
      'source': ['aws.s3'],
      'detail-type': ['Object Created'],
      'detail': { bucket: { name: [{ Ref: Match.stringLikeRegexp('StorageData') }] }, object: { key: [{ prefix: 'raw/orders/' }] } },
    },
    Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(stage.queue.node.defaultChild as any), 'Arn'] } })],
  });
  template.hasResourceProperties('AWS::SQS::Queue', {
    KmsMasterKeyId: Match.anyValue(),
    RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [stack.getLogicalId(stage.deadLetterQueue.node.defaultChild as any), 'Arn'] }, maxReceiveCount: 3 },
  });
});

test('the router starts one execution per event and reports partial batch failures', () => {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: { STATE_MACHINE_ARN: { Ref: stack.getLogicalId(stage.stateMachine.node.defaultChild as any) } } },
    TracingConfig: { Mode: 'Active' },
    // The compiled, tested handler (test/constructs/stage-router.test.ts), not code inlined in the template.
    Handler: 'index.handler',
    Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('\\.zip$') },
  });
});

test('the state machine records start, success and failure around the retried transform', () => {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
  expect(machine.Properties.StateMachineName).toBe('sdlf-sales-dev-orders-light-transform');
  expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
  expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
  const definition = JSON.stringify(machine.Properties.DefinitionString);
  for (const state of ['RecordSTARTED', 'Process', 'RecordSUCCEEDED', 'RecordFAILED', 'Failed']) {
    expect(definition).toContain(`\\"${state}\\"`);
  }
  expect(definition).toContain('States.TaskFailed');
  expect(definition).toContain('dynamodb:updateItem');
});

test('alarms on failed executions, dead letters and old messages notify the domain topic', () => {
  expect(stage.alarms).toHaveLength(3);
  for (const metric of ['ExecutionsFailed', 'ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage']) {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }] });
  }
});

test('a long name is shortened with a hash, within the 80 characters of a state machine name', () => {
  const long = Template.fromStack(stageStack('a'.repeat(40), 'b'.repeat(40)).stack);
  const [machine] = Object.values(long.findResources('AWS::StepFunctions::StateMachine')) as any[];
  const name: string = machine.Properties.StateMachineName;
  expect(name.length).toBe(80);
  expect(name).toMatch(/^sdlf-sales-dev-a+-b*-[0-9a-f]{8}$/);
});

test('the stage keeps the governance policy', () => {
  const { stack: checked } = stageStack();
  Aspects.of(checked).add(new GovernanceTags({ domain: 'sales', owner: 'o@example.com', environment: 'dev' }), { priority: AspectPriority.MUTATING });
  Aspects.of(checked).add(new GovernancePolicy(), { priority: AspectPriority.READONLY });
  expect(Annotations.fromStack(checked).findError('*', Match.stringLikeRegexp('sdlf-policy')).map((m) => m.entry.data)).toEqual([]);
});

test('AWS Solutions rules on the stage', () => {
  const { app } = stageStack();
  const findings = nagFindings(app);
  // The rules run (the test's stand-in transform, outside the stage, has findings), and the stage itself has none.
  expect(findings.some((finding) => finding.includes('sales-dev/Transform/'))).toBe(true);
  expect(findings.filter((finding) => finding.includes('/LightTransform/'))).toEqual([]);
});

test('the stage is a grantee: what it is granted goes to the transform that does its work', () => {
  expect(stage.grantPrincipal).toBe(transform.grantPrincipal);
  expect(stage.stageName).toBe('sdlf-sales-dev-orders-light-transform');
});
