import type * as LocalStepFunctions from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };
import type { AslDefinition } from './stage-machines';
import { loadOptionalPackage } from '../util/optional-package';

/** The npm package of the Amazon States Language interpreter. */
export const LOCAL_STEP_FUNCTIONS_PACKAGE = 'aws-local-stepfunctions';

/**
 * The interpreter's `StateMachine` class, loaded when a run starts: it is no dependency of
 * sdlf-mesh (not jsii, and only the local run needs it) but a devDependency of a domain repository.
 */
export async function loadStateMachineClass(): Promise<typeof LocalStepFunctions.StateMachine> {
  providePromiseWithResolvers();
  return (await loadOptionalPackage<typeof LocalStepFunctions>(LOCAL_STEP_FUNCTIONS_PACKAGE, 'sdlf-mesh pipeline run interprets the stages\' state machines')).StateMachine;
}

/**
 * The longest time the interpreter can wait for a task: it waits with `setTimeout`, which holds at
 * most 2^31 - 1 milliseconds (a longer delay fires at once), about 24 days.
 */
export const LONGEST_TASK_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/**
 * The definition as Step Functions runs it: a Task state that sets no `TimeoutSeconds` (nor
 * `TimeoutSecondsPath`) has no timeout of its own, where the interpreter follows the States
 * Language specification's default of 60 seconds, and so failed with `States.Timeout` a Lambda
 * stage (up to 5 minutes) or a Glue job run that takes longer locally, which the deployed pipeline
 * runs to its end. Such a task gets {@link LONGEST_TASK_TIMEOUT_SECONDS}; a task's own timeout is
 * kept. The local run still stops a function at its timeout and a Glue job run at its own.
 */
export function withDeployedTaskTimeouts(definition: AslDefinition): AslDefinition {
  const states = Object.entries(definition.States).map(([name, state]) => [name, {
    ...state,
    ...(state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined ? { TimeoutSeconds: LONGEST_TASK_TIMEOUT_SECONDS } : {}),
    ...(state.Branches ? { Branches: state.Branches.map(withDeployedTaskTimeouts) } : {}),
    ...(state.ItemProcessor ? { ItemProcessor: withDeployedTaskTimeouts(state.ItemProcessor) } : {}),
    ...(state.Iterator ? { Iterator: withDeployedTaskTimeouts(state.Iterator) } : {}),
  }]);
  return { ...definition, States: Object.fromEntries(states) };
}

/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers`, which Node.js has from version 22 on;
 * sdlf-mesh supports Node.js 20, where it is missing. It is added only when missing, as the
 * standard defines it: a new promise of the constructor it is called on, with its two functions.
 */
function providePromiseWithResolvers(): void {
  const promise = Promise as unknown as { withResolvers?: unknown };
  if (typeof promise.withResolvers === 'function') {
    return;
  }
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const created = new this<T>((onResolve, onReject) => {
        resolve = onResolve;
        reject = onReject;
      });
      return { promise: created, resolve, reject };
    },
  });
}
