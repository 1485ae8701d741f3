import { Duration, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './secure-resources';

/** What every stage's state machine is built with. */
export interface StageStateMachineProps {
  /** The state machine's name. */
  readonly name: string;
  /** What the status records name as the stage: `<data product>/<stage>`. */
  readonly stage: string;
  readonly key: kms.IKey;
  /** Processing status of every execution (partition key `id`, a string). */
  readonly metadataTable: dynamodb.ITable;
  readonly timeout: Duration;
  /**
   * The log group's name: under the domain's `/aws/vendedlogs/` prefix, which the platform's log
   * resource policy opens to log delivery, so that no domain writes a resource policy of its own.
   */
  readonly logGroupName: string;
}

/**
 * The state machine of a stage: it records the start of each execution in the metadata table
 * (with the objects it was given), runs the stage's work, and records success, or failure before
 * failing visibly. `work` gets the failure path, to catch its tasks' errors with. The `*` resource
 * that tracing and log delivery need is acknowledged for cdk-nag on `scope`.
 */
export function stageStateMachine(scope: Construct, props: StageStateMachineProps, work: (failed: sfn.IChainable) => sfn.Chain): sfn.StateMachine {
  const record = (status: string) =>
    new tasks.DynamoUpdateItem(scope, `Record${status}`, {
      table: props.metadataTable,
      key: { id: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
      updateExpression: 'SET #status = :status, #stage = :stage, #objects = :objects, #updated = :updated',
      expressionAttributeNames: { '#status': 'status', '#stage': 'stage', '#objects': 'objects', '#updated': 'updatedAt' },
      expressionAttributeValues: {
        ':status': tasks.DynamoAttributeValue.fromString(status),
        ':stage': tasks.DynamoAttributeValue.fromString(props.stage),
        ':objects': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$$.Execution.Input.objects'))),
        ':updated': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
  const failed = record('FAILED').next(new sfn.Fail(scope, 'Failed', { cause: `Stage ${props.stage} failed`, error: 'StageFailed' }));
  const definition = record('STARTED').next(work(failed)).next(record('SUCCEEDED'));
  // On the stage, so that it covers the stage's traced functions too.
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray tracing and Step Functions log delivery accept no resource but *',
  });
  return new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: props.name,
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    tracingEnabled: true,
    timeout: props.timeout,
    logs: {
      destination: encryptedLogGroup(scope, 'StateMachineLogs', props.key, props.logGroupName),
      level: sfn.LogLevel.ALL,
      includeExecutionData: false,
    },
  });
}
