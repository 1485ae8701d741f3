import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { stageAlarm, StageIntake } from './stage-intake';
import { stageSchedule } from './stage-schedule';
import { stageStateMachine } from './stage-state-machine';
import { dataProductId } from '../../contract/data-product-input';
import { vendedLogGroupPrefix } from '../../domain/names';
import { PUBLICATION_DETAIL_TYPE, PublicationDetail, publicationSource } from '../../domain/publication-events';
import type { PipelineStageBase, PipelineStageProps } from '../pipeline-stage-base';

/** What starts a stage's executions. */
export type StageStart =
  /** Each object created under the input prefix, through the intake queue. */
  | { readonly kind: 'each-object' }
  /** The objects waiting in the intake queue, together, on the schedule. */
  | { readonly kind: 'batch'; readonly schedule: events.Schedule }
  /** The schedule alone, with no objects: the stage finds its input itself. */
  | { readonly kind: 'schedule'; readonly schedule: events.Schedule };

/** How a stage differs from the others: its input, how long it runs, what starts it, its work. */
export interface StageWiringOptions {
  readonly inputPrefix: string;
  /** How long one execution may take. */
  readonly timeout: Duration;
  readonly start: StageStart;
  /** The stage's work, given the failure path to catch its tasks' errors with. */
  readonly work: (failed: sfn.IChainable) => sfn.Chain;
}

/** What every stage has, whatever its work. */
export interface StageWiring {
  readonly stateMachine: sfn.StateMachine;
  /** None for a stage started by its schedule alone. */
  readonly intake?: StageIntake;
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * The parts every stage shares, on the stage: its state machine (recording each execution in the
 * metadata table around the work), what starts it (the intake, per object or in batches, or a
 * schedule), and its alarms (failed executions, and the intake's).
 */
export function wireStage(stage: PipelineStageBase, props: PipelineStageProps, options: StageWiringOptions): StageWiring {
  const name = stage.stageName;
  const stateMachine = stageStateMachine(
    stage,
    {
      name,
      stage: `${props.dataProduct}/${props.name}`,
      key: props.key,
      metadataTable: props.metadataTable,
      timeout: options.timeout,
      logGroupName: `${vendedLogGroupPrefix(props.domain, props.environment)}${props.dataProduct}/${props.name}`,
    },
    (failed) => {
      const work = options.work(failed);
      return props.publishVersion === undefined ? work : work.next(publish(stage, props, props.publishVersion, failed));
    },
  );
  const start = options.start;
  let intake: StageIntake | undefined;
  if (start.kind === 'schedule') {
    stageSchedule(
      stage,
      'Schedule',
      name,
      start.schedule,
      (role) =>
        new targets.StepFunctionsStartExecution(stateMachine, {
          role,
          input: scheduler.ScheduleTargetInput.fromObject({ objects: [] }),
          retryAttempts: 2,
        }),
      `Starts ${name}`,
    );
  } else {
    intake = new StageIntake(stage, 'Intake', {
      name,
      inputPrefix: options.inputPrefix,
      bucket: props.bucket,
      key: props.key,
      stateMachine,
      drainSchedule: start.kind === 'batch' ? start.schedule : undefined,
      alarmTopic: props.alarmTopic,
    });
  }
  const alarms = [
    stageAlarm(stage, 'FailedExecutions', { name, alarmTopic: props.alarmTopic }, stateMachine.metricFailed({ period: Duration.minutes(5) }), 1, 'an execution failed'),
    ...(intake?.alarms ?? []),
  ];
  return { stateMachine, intake, alarms };
}

/**
 * The data product's publication, once the last stage's work succeeded: an explicit event rather
 * than Step Functions' own status change, which carries the execution's input and output (object
 * keys, job arguments) and names no data product, version or environment. This event says only
 * what consumers match on, and its source is the domain's, which the platform's boundary enforces.
 * It is retried; if it still fails, the execution fails visibly (its data is in place, consumers
 * were not told).
 */
function publish(stage: PipelineStageBase, props: PipelineStageProps, version: string, failed: sfn.IChainable): sfn.IChainable {
  const detail: PublicationDetail = {
    product: dataProductId(props.domain, props.dataProduct),
    domain: props.domain,
    dataProduct: props.dataProduct,
    version,
    environment: props.environment,
  };
  const put = new tasks.EventBridgePutEvents(stage, 'Publish', {
    entries: [
      {
        source: publicationSource(props.domain),
        detailType: PUBLICATION_DETAIL_TYPE,
        detail: sfn.TaskInput.fromObject({ ...detail, 'execution.$': '$$.Execution.Id' }),
      },
    ],
    resultPath: sfn.JsonPath.DISCARD,
  });
  put.addRetry({ errors: ['States.TaskFailed', 'EventBridge.EventBridgeException'], maxAttempts: 3, interval: Duration.seconds(5), backoffRate: 2 });
  put.addCatch(failed, { resultPath: '$.error' });
  return put;
}
