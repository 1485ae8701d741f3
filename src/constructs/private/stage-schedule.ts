import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { acknowledgeRoleWildcards } from './acknowledge-wildcards';
import { resourceName } from './resource-name';

/**
 * A stage's schedule, with EventBridge Scheduler rather than a rule without a pattern on the default
 * bus: a domain's event rules must then all name S3's object events as their source and detail
 * type, which IAM can check (a pattern that names neither would match every event of the account,
 * the platform trail's S3 data events included, and looks to IAM like a schedule).
 *
 * Named `<stage name>-<id>`, under the domain's `sdlf-<domain>-<environment>-` prefix that its
 * execution role may create schedules with; the target acts with a role of its own.
 */
export function stageSchedule(
  scope: Construct,
  id: string,
  stageName: string,
  schedule: events.Schedule,
  target: (role: iam.IRole) => scheduler.IScheduleTarget,
  description: string,
): scheduler.Schedule {
  const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'), description });
  const created = new scheduler.Schedule(scope, id, {
    scheduleName: resourceName(`${stageName}-${id.toLowerCase()}`, 64),
    description,
    schedule: scheduler.ScheduleExpression.expression(schedule.expressionString),
    target: target(role),
  });
  acknowledgeRoleWildcards(role, `the schedule starts ${stageName}, any version of its function`);
  return created;
}
