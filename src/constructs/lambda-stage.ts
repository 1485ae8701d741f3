import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { resourceName } from './private/resource-name';

/**
 * Props of {@link LambdaStage}.
 */
export interface LambdaStageProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** The data product the stage works for. */
  readonly dataProduct: string;

  /** Stage name, e.g. `light-transform`. */
  readonly name: string;

  /** The domain bucket: objects under `raw/<data product>/` start the stage. */
  readonly bucket: s3.IBucket;

  /** The domain key: it encrypts the queues and logs of the stage. */
  readonly key: kms.IKey;

  /** The domain's transform: called with `{ objects: [{ bucket, key }] }`. */
  readonly process: lambda.IFunction;

  /** Where each object's processing status is kept (partition key `id`, a string). */
  readonly metadataTable: dynamodb.ITable;

  /**
   * Where the stage's alarms go.
   *
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
}

const ROUTER_CODE = `
const { SFNClient, StartExecutionCommand } = require('@aws-sdk/client-sfn');
const client = new SFNClient({});
exports.handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records) {
    try {
      const detail = JSON.parse(record.body).detail;
      const input = JSON.stringify({ bucket: detail.bucket.name, key: detail.object.key });
      await client.send(new StartExecutionCommand({ stateMachineArn: process.env.STATE_MACHINE_ARN, input }));
    } catch (error) {
      console.error(record.messageId, error);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
`;

/**
 * A light-transform stage (SDLF stage A): an object created under `raw/<data product>/` in the
 * domain bucket → an EventBridge rule → an SQS queue (dead-letter queue after three receives;
 * redrive with SQS's message move) → a routing Lambda function → a Step Functions state machine
 * per object that records the start in DynamoDB, calls the domain's transform (retried with
 * backoff), records success or failure, and fails visibly. Queues and logs are encrypted with the
 * domain key; alarms on failed executions, dead-letter messages and the age of the oldest message.
 *
 * The bucket must send its events to EventBridge (the domain bucket does).
 *
 * @example
 * new LambdaStage(stack, 'LightTransform', { domain: 'sales', environment: 'dev', dataProduct: 'orders', name: 'light-transform',
 *   bucket, key, process: transform, metadataTable: table, alarmTopic: topic });
 */
export class LambdaStage extends Construct {
  /** The queue of object-created events. */
  public readonly queue: sqs.Queue;

  /** Where events go after three failed receives. */
  public readonly deadLetterQueue: sqs.Queue;

  /** The function that starts an execution per event. */
  public readonly router: lambda.Function;

  /** The state machine that processes one object. */
  public readonly stateMachine: sfn.StateMachine;

  /** The stage's alarms. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: LambdaStageProps) {
    super(scope, id);
    const name = resourceName(`sdlf-${props.domain}-${props.environment}-${props.dataProduct}-${props.name}`, 80);
    // CloudWatch Logs encrypts the stage's log groups with the domain key.
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Stack.of(this).region}.amazonaws.com`));

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });
    new events.Rule(this, 'ObjectCreated', {
      description: `Objects of ${props.dataProduct} that land in the raw layer`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [{ prefix: `raw/${props.dataProduct}/` }] } },
      },
      targets: [new targets.SqsQueue(this.queue)],
    });
    // EventBridge needs the key to put messages on the encrypted queue.
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));

    const record = (status: string) =>
      new tasks.DynamoUpdateItem(this, `Record${status}`, {
        table: props.metadataTable,
        key: { id: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format('{}/{}', sfn.JsonPath.stringAt('$$.Execution.Input.bucket'), sfn.JsonPath.stringAt('$$.Execution.Input.key'))) },
        updateExpression: 'SET #status = :status, #stage = :stage, #execution = :execution',
        expressionAttributeNames: { '#status': 'status', '#stage': 'stage', '#execution': 'execution' },
        expressionAttributeValues: {
          ':status': tasks.DynamoAttributeValue.fromString(status),
          ':stage': tasks.DynamoAttributeValue.fromString(`${props.dataProduct}/${props.name}`),
          ':execution': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
        },
        resultPath: sfn.JsonPath.DISCARD,
      });
    const process = new tasks.LambdaInvoke(this, 'Process', {
      lambdaFunction: props.process,
      payload: sfn.TaskInput.fromObject({ objects: [{ bucket: sfn.JsonPath.stringAt('$.bucket'), key: sfn.JsonPath.stringAt('$.key') }] }),
      resultPath: '$.result',
    });
    process.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 2, interval: Duration.seconds(5), backoffRate: 2 });
    const failed = record('FAILED').next(new sfn.Fail(this, 'Failed', { cause: 'The transform failed', error: 'StageFailed' }));
    process.addCatch(failed, { resultPath: '$.error' });
    const definition = record('STARTED').next(process).next(record('SUCCEEDED'));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      timeout: Duration.hours(1),
      logs: { destination: this.logGroup('StateMachineLogs', props.key), level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // Its own role, without AWS's basic-execution managed policy: it writes to its log group only.
    const routerRole = new iam.Role(this, 'RouterRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const routerLogs = this.logGroup('RouterLogs', props.key);
    routerLogs.grantWrite(routerRole);
    this.router = new lambda.Function(this, 'Router', {
      description: `Starts ${name} for each object event`,
      runtime: lambda.Runtime.NODEJS_LATEST,
      handler: 'index.handler',
      code: lambda.Code.fromInline(ROUTER_CODE),
      timeout: Duration.minutes(1),
      environment: { STATE_MACHINE_ARN: this.stateMachine.stateMachineArn },
      role: routerRole,
      logGroup: routerLogs,
      tracing: lambda.Tracing.ACTIVE,
    });
    this.stateMachine.grantStartExecution(this.router);
    this.router.addEventSource(new sources.SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));

    const acknowledge = (rule: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
    acknowledge('IAM5[Resource::*]', 'X-Ray tracing and Step Functions log delivery accept no resource but *');
    const transform = props.process.node.defaultChild;
    if (transform instanceof lambda.CfnFunction && Stack.of(transform) === Stack.of(this)) {
      acknowledge(`IAM5[Resource::<${Stack.of(this).getLogicalId(transform)}.Arn>:*]`, 'invoking the transform includes its versions and aliases');
    }

    const alarm = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `${name}: ${description}`,
      });
      if (props.alarmTopic) {
        created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      }
      return created;
    };
    this.alarms = [
      alarm('FailedExecutions', this.stateMachine.metricFailed({ period: Duration.minutes(5) }), 1, 'an object failed'),
      alarm('DeadLetters', this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), 1, 'events in the dead-letter queue'),
      alarm('OldestMessage', this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }), 900, 'events wait for more than 15 minutes'),
    ];
  }

  private logGroup(id: string, key: kms.IKey): logs.LogGroup {
    return new logs.LogGroup(this, id, { encryptionKey: key, retention: logs.RetentionDays.THREE_MONTHS });
  }
}
