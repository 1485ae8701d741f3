import { IAspect } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { InvalidOptionError } from '../../util/invalid-option-error';

/**
 * A year: how long the log groups sdlf-mesh creates keep their events unless the governance
 * policy asks for more, the least AWS Control Tower's CT.CLOUDWATCH.PR.2 accepts.
 */
export const BASELINE_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** The policy's default and least `logRetentionDays`. */
export const MINIMUM_LOG_RETENTION_DAYS: number = BASELINE_LOG_RETENTION;

/** The retention periods CloudWatch Logs accepts, in days (`RetentionDays.INFINITE` is not one). */
const RETENTION_PERIODS = Object.values(logs.RetentionDays).filter((days): days is number => typeof days === 'number' && days !== logs.RetentionDays.INFINITE);

/** `days` when it is a retention period CloudWatch Logs accepts, of a year or more. */
export function checkLogRetentionDays(days: number): number {
  const valid = RETENTION_PERIODS.filter((period) => period >= MINIMUM_LOG_RETENTION_DAYS);
  if (!valid.includes(days)) {
    throw new InvalidOptionError('logRetentionDays', `${days} is not a CloudWatch Logs retention period of a year or more; give one of ${valid.join(', ')}`);
  }
  return days;
}

/**
 * Keeps every log group below the scope at least `days` days: a log group kept less is raised to
 * it; one without a retention period (it never expires) stays so. A mutating aspect, so that the governance
 * policy's setting reaches the log groups the constructs create before the policy checks them.
 */
export class LogRetention implements IAspect {
  constructor(private readonly days: number) {}

  public visit(node: IConstruct): void {
    if (node instanceof logs.CfnLogGroup && typeof node.retentionInDays === 'number' && node.retentionInDays < this.days) {
      node.retentionInDays = this.days;
    }
  }
}
