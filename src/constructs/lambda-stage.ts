import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { resourceName } from './private/resource-name';
import { stageAlarm, StageIntake } from './private/stage-intake';
import { stageStateMachine } from './private/stage-state-machine';

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

  /** The domain bucket: objects created under the input prefix start the stage. */
  readonly bucket: s3.IBucket;

  /**
   * Where the stage's input lands in the bucket; in a pipeline, the previous stage's output.
   *
   * @default "raw/<data product>/"
   */
  readonly inputPrefix?: string;

  /** The domain key: it encrypts the queues and logs of the stage. */
  readonly key: kms.IKey;

  /** The domain's transform: called with `{ objects: [{ bucket, key }] }`, one object. */
  readonly process: lambda.IFunction;

  /** Where the status of each execution is kept (partition key `id`, a string). */
  readonly metadataTable: dynamodb.ITable;

  /**
   * Where the stage's alarms go.
   *
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A light-transform stage (SDLF stage A): an object created under the input prefix of the domain
 * bucket (`raw/<data product>/` by default) → an EventBridge rule → an SQS queue (dead-letter queue
 * after three receives; redrive with SQS's message move) → a routing Lambda function → a Step
 * Functions state machine per object that records the start in DynamoDB, calls the domain's
 * transform with `{ objects: [{ bucket, key }] }` (retried with backoff), records success or
 * failure, and fails visibly. Queues and logs are encrypted with the domain key; alarms on failed
 * executions, dead-letter messages and the age of the oldest message.
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
    this.stateMachine = stageStateMachine(
      this,
      { name, stage: `${props.dataProduct}/${props.name}`, key: props.key, metadataTable: props.metadataTable, timeout: Duration.hours(1) },
      (failed) => {
        const process = new tasks.LambdaInvoke(this, 'Process', {
          lambdaFunction: props.process,
          payload: sfn.TaskInput.fromObject({ objects: sfn.JsonPath.objectAt('$.objects') }),
          resultPath: '$.result',
        });
        process.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 2, interval: Duration.seconds(5), backoffRate: 2 });
        process.addCatch(failed, { resultPath: '$.error' });
        return sfn.Chain.start(process);
      },
    );
    const intake = new StageIntake(this, 'Intake', {
      name,
      inputPrefix: props.inputPrefix ?? `raw/${props.dataProduct}/`,
      bucket: props.bucket,
      key: props.key,
      stateMachine: this.stateMachine,
      alarmTopic: props.alarmTopic,
    });
    this.queue = intake.queue;
    this.deadLetterQueue = intake.deadLetterQueue;
    this.router = intake.router;

    const acknowledge = (rule: string, reason: string) => Validations.of(this).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
    const transform = props.process.node.defaultChild;
    if (transform instanceof lambda.CfnFunction && Stack.of(transform) === Stack.of(this)) {
      acknowledge(`IAM5[Resource::<${Stack.of(this).getLogicalId(transform)}.Arn>:*]`, 'invoking the transform includes its versions and aliases');
    }
    this.alarms = [
      stageAlarm(this, 'FailedExecutions', { name, alarmTopic: props.alarmTopic }, this.stateMachine.metricFailed({ period: Duration.minutes(5) }), 1, 'an execution failed'),
      ...intake.alarms,
    ];
  }
}
