import * as fs from 'fs';
import * as path from 'path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ACKNOWLEDGED_CONTROLS, acknowledgeControls, acknowledgeImportedKey } from './control-tower';
import { resourceName } from './resource-name';
import { encryptedLogGroup } from './secure-resources';
import { acknowledgeStageRuntime, STAGE_RUNTIME } from './stage-runtime';
import { stageSchedule } from './stage-schedule';

/** What a {@link StageIntake} feeds. */
export interface StageIntakeProps {
  /** The stage's resource name, for descriptions. */
  readonly name: string;
  /** Objects created under this prefix of `bucket` are the stage's input. */
  readonly inputPrefix: string;
  readonly bucket: s3.IBucket;
  readonly key: kms.IKey;
  /** Started with `{ "objects": [{ "bucket", "key" }, ...] }`. */
  readonly stateMachine: sfn.IStateMachine;
  /**
   * Batch the events and start one execution for all of them on this schedule, instead of one
   * execution per event.
   */
  readonly drainSchedule?: events.Schedule;
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The folder of the router's bundle (`stage-router.lambda.ts`, bundled when the package compiles),
 * the same from the compiled package (`lib/`) and from the sources (`src/`).
 */
export const ROUTER_ASSET = path.join(__dirname, '..', '..', '..', 'assets', 'constructs', 'private', 'stage-router.lambda');

/** The most objects one batch execution takes; its input stays far below Step Functions' 256 KiB. */
const MAX_BATCH = 500;

/**
 * The way into a pipeline stage, the same for every kind of stage (SDLF's stage front): objects
 * created under a prefix → an EventBridge rule → an encrypted SQS queue `<name>-intake` with a
 * dead-letter queue that takes dead letters from it alone (redrive with SQS's message move) → a
 * routing function that starts the stage's state machine, per event or, with a drain schedule,
 * for the batch. Alarms on dead letters and the age of the oldest message.
 */
export class StageIntake extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly router: lambda.Function;
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: StageIntakeProps) {
    super(scope, id);
    // The queue is named so that the dead-letter queue can take messages from it alone: the ARN of
    // the queue itself would make a cycle, the queue naming its dead-letter queue.
    const queueName = resourceName(`${props.name}-intake`, 80);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      redriveAllowPolicy: {
        redrivePermission: sqs.RedrivePermission.BY_QUEUE,
        sourceQueues: [sqs.Queue.fromQueueArn(this, 'Source', Stack.of(this).formatArn({ service: 'sqs', resource: queueName, arnFormat: ArnFormat.NO_RESOURCE_NAME }))],
      },
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.minutes(6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });
    for (const queue of [this.queue, this.deadLetterQueue]) {
      acknowledgeImportedKey(queue, props.key, ACKNOWLEDGED_CONTROLS.queueKeyFromDomainStack);
    }
    new events.Rule(this, 'ObjectCreated', {
      description: `Objects under ${props.inputPrefix}: the input of ${props.name}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.bucket.bucketName] }, object: { key: [{ prefix: props.inputPrefix }] } },
      },
      targets: [new targets.SqsQueue(this.queue)],
    });
    // EventBridge needs the key to put messages on the encrypted queue; CloudWatch Logs to write the router's logs.
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal('events.amazonaws.com'));
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${Stack.of(this).region}.amazonaws.com`));

    // Its own role, without AWS's basic-execution managed policy: it writes to its log group only.
    const role = new iam.Role(this, 'RouterRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const logGroup = encryptedLogGroup(this, 'RouterLogs', props.key);
    logGroup.grantWrite(role);
    this.router = new lambda.Function(this, 'Router', {
      description: `Starts ${props.name} ${props.drainSchedule ? 'for each batch of object events' : 'for each object event'}`,
      runtime: STAGE_RUNTIME,
      handler: 'index.handler',
      code: routerCode(),
      timeout: Duration.minutes(props.drainSchedule ? 5 : 1),
      environment: { STATE_MACHINE_ARN: props.stateMachine.stateMachineArn, QUEUE_URL: this.queue.queueUrl, MAX_BATCH: String(MAX_BATCH) },
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
    });
    acknowledgeControls(this.router, ACKNOWLEDGED_CONTROLS.lambdaInVpc);
    acknowledgeStageRuntime(this.router);
    props.stateMachine.grantStartExecution(this.router);
    if (props.drainSchedule) {
      this.queue.grantConsumeMessages(this.router);
      stageSchedule(this, 'Drain', props.name, props.drainSchedule, (schedulerRole) => new schedulerTargets.LambdaInvoke(this.router, { role: schedulerRole, retryAttempts: 2 }), `Starts ${props.name} for the objects waiting in its queue`);
    } else {
      this.router.addEventSource(new sources.SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    }

    // Batched events wait for the schedule by design: alarm on their age only past a day.
    const oldest = props.drainSchedule ? Duration.days(1) : Duration.minutes(15);
    this.alarms = [
      stageAlarm(this, 'DeadLetters', props, this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), 1, 'events in the dead-letter queue'),
      stageAlarm(this, 'OldestMessage', props, this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }), oldest.toSeconds(), `events wait for more than ${oldest.toHumanString()}`),
    ];
  }
}

/** The router's code; a source checkout must be compiled first, which bundles it. */
function routerCode(): lambda.Code {
  if (!fs.existsSync(path.join(ROUTER_ASSET, 'index.js'))) {
    throw new Error(`the stage router's bundle is missing from ${ROUTER_ASSET}: run npx projen compile`);
  }
  return lambda.Code.fromAsset(ROUTER_ASSET);
}

/** An alarm of a stage, named by the stage in its description, that notifies the alarm topic. */
export function stageAlarm(
  scope: Construct,
  id: string,
  stage: { readonly name: string; readonly alarmTopic?: sns.ITopic },
  metric: cloudwatch.IMetric,
  threshold: number,
  description: string,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `${stage.name}: ${description}`,
  });
  if (stage.alarmTopic) {
    alarm.addAlarmAction(new actions.SnsAction(stage.alarmTopic));
  }
  return alarm;
}
