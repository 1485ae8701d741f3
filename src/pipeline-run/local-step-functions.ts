import type * as LocalStepFunctions from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };
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
