import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { resourceName } from './private/resource-name';
import { alarmWindow } from '../contract/freshness';
import { domainStackPrefix } from '../domain/names';

/**
 * Props of {@link FreshnessAlarm}.
 */
export interface FreshnessAlarmProps {
  /** The state machine whose successful executions deliver new data: the pipeline's last stage. */
  readonly stateMachine: sfn.IStateMachine;

  /** The promised freshness: new data at least this often. CloudWatch evaluates at most 7 days. */
  readonly window: Duration;

  /** The data product, for the alarm's description. */
  readonly dataProduct: string;

  /**
   * The promise as the contract writes it, for the alarm's description.
   *
   * @default - the window
   */
  readonly promise?: string;

  /**
   * Where the alarm goes.
   *
   * @default - an alarm without actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The alarm's name: known before deployment, so a dashboard of another stack can show the alarm
   * by its ARN without a reference between the stacks.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;
}

/**
 * The freshness a contract promises (`slaProperties` freshness), as one alarm on the data product:
 * it fires when the pipeline's last stage has not succeeded once within the window, so consumers'
 * data is older than promised. No successful execution at all counts as stale. One alarm per data
 * product, whatever its columns: a standard-resolution alarm's fixed cost.
 */
export class FreshnessAlarm extends Construct {
  /**
   * The name of a data product's freshness alarm in an environment: `<domain>-<environment>-<data
   * product>-freshness`, within the names the domain's deploy role may give alarms.
   */
  public static alarmNameOf(domain: string, environment: string, dataProduct: string): string {
    return resourceName(`${domainStackPrefix(domain, environment)}${dataProduct}-freshness`, 255);
  }

  /** The alarm. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FreshnessAlarmProps) {
    super(scope, id);
    const seconds = props.window.toSeconds();
    const window = alarmWindow(seconds);
    if (window.clamped) {
      Annotations.of(this).addWarning(`the freshness of ${props.dataProduct} (${props.window.toHumanString()}) is longer than CloudWatch evaluates: alarmed over 7 days`);
    }
    const promise = props.promise ?? props.window.toHumanString();
    this.alarm = new cloudwatch.Alarm(this, 'Alarm', {
      alarmName: props.alarmName,
      metric: props.stateMachine.metricSucceeded({ period: Duration.seconds(window.periodSeconds), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: window.evaluationPeriods,
      datapointsToAlarm: window.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmDescription: `${props.dataProduct}: no new data within its promised freshness of ${promise} (no successful run of the pipeline's last stage)`,
    });
    if (props.alarmTopic) {
      this.alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
    }
  }
}
