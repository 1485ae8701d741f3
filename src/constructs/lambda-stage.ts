import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PipelineStageBase, PipelineStageProps } from './pipeline-stage-base';
import { wireStage } from './private/stage-wiring';

/**
 * Props of {@link LambdaStage}.
 */
export interface LambdaStageProps extends PipelineStageProps {
  /** The domain's transform: called with `{ objects: [{ bucket, key }] }`, one object. */
  readonly process: lambda.IFunction;
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
export class LambdaStage extends PipelineStageBase {
  /** The queue of object-created events. */
  public readonly queue: sqs.IQueue;

  /** Where events go after three failed receives. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The function that starts an execution per event. */
  public readonly router: lambda.IFunction;

  /** The state machine that processes one object. */
  public readonly stateMachine: sfn.IStateMachine;

  /** The stage's alarms. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The transform's principal: what the stage reads or writes beyond its prefixes is granted to it. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: LambdaStageProps) {
    super(scope, id, props);
    this.grantPrincipal = props.process.grantPrincipal;
    const { stateMachine, intake, alarms } = wireStage(this, props, {
      inputPrefix: props.inputPrefix ?? `raw/${props.dataProduct}/`,
      timeout: Duration.hours(1),
      start: { kind: 'each-object' },
      work: (failed) => {
        const process = new tasks.LambdaInvoke(this, 'Process', {
          lambdaFunction: props.process,
          payload: sfn.TaskInput.fromObject({ objects: sfn.JsonPath.objectAt('$.objects') }),
          resultPath: '$.result',
        });
        process.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 2, interval: Duration.seconds(5), backoffRate: 2 });
        process.addCatch(failed, { resultPath: '$.error' });
        return sfn.Chain.start(process);
      },
    });
    this.stateMachine = stateMachine;
    this.queue = intake!.queue;
    this.deadLetterQueue = intake!.deadLetterQueue;
    this.router = intake!.router;
    this.alarms = alarms;

    const transform = props.process.node.defaultChild;
    if (transform instanceof lambda.CfnFunction && Stack.of(transform) === Stack.of(this)) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(transform)}.Arn>:*]`,
        reason: 'invoking the transform includes its versions and aliases',
      });
    }
  }
}
