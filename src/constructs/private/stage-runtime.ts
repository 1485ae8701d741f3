import { Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The runtime of every Lambda function of a pipeline (the stage transforms and the intake
 * routers): aws-cdk-lib's `NODEJS_LATEST`, the newest Node.js runtime the CDK team has seen
 * Lambda offer in every region, so a domain deploys the same code wherever its accounts are.
 */
export const STAGE_RUNTIME = lambda.Runtime.NODEJS_LATEST;

/** The major Node.js version of a Node.js runtime (0 for another family's). */
function nodeMajor(runtime: lambda.Runtime): number {
  return Number(/^nodejs(\d+)/.exec(runtime.name)?.[1] ?? 0);
}

/** The major Node.js version of {@link STAGE_RUNTIME}, which the stage code is bundled for. */
export const STAGE_NODE_MAJOR = nodeMajor(STAGE_RUNTIME);

/**
 * The newest Node.js runtime the installed aws-cdk-lib knows, which cdk-nag's `AwsSolutions-L1`
 * demands: aws-cdk-lib adds a runtime the day Lambda launches it, before every region has it
 * and long before `NODEJS_LATEST` moves to it.
 */
export function newestKnownNodeRuntime(): lambda.Runtime {
  return lambda.Runtime.ALL.filter((runtime) => runtime.family === lambda.RuntimeFamily.NODEJS)
    .reduce((newest, runtime) => (nodeMajor(runtime) > nodeMajor(newest) ? runtime : newest), STAGE_RUNTIME);
}

/**
 * Acknowledges `AwsSolutions-L1` on a function of the stage runtime, with the reason, when the
 * installed aws-cdk-lib knows a newer Node.js runtime than the one every region has: without it,
 * every domain's build would fail the day aws-cdk-lib adds a runtime. With an aws-cdk-lib whose
 * newest runtime is the stage runtime, nothing is acknowledged and the rule holds as it is.
 */
export function acknowledgeStageRuntime(fn: lambda.Function): void {
  const newest = newestKnownNodeRuntime();
  if (fn.runtime.name !== STAGE_RUNTIME.name || newest.name === STAGE_RUNTIME.name) {
    return;
  }
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions::AwsSolutions-L1',
    reason: `the runtime is ${STAGE_RUNTIME.name}, aws-cdk-lib's NODEJS_LATEST: the newest Node.js runtime Lambda offers in every region; ` +
      `${newest.name}, the newest aws-cdk-lib knows, is not yet in every region`,
  });
}
