/**
 * The interpreter runs a stage's state machine as Step Functions does: a Task state without a
 * timeout of its own waits for its task however long it takes (the interpreter's default is the
 * States Language specification's 60 seconds), and a Task state's own timeout still applies.
 */
import { loadStateMachineClass, LONGEST_TASK_TIMEOUT_SECONDS, withDeployedTaskTimeouts } from '../../src/pipeline-run/local-step-functions';
import { AslDefinition } from '../../src/pipeline-run/stage-machines';

/** One Task state, with a timeout of its own or none. */
const oneTask = (timeoutSeconds?: number): AslDefinition => ({
  StartAt: 'Process',
  States: { Process: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:process', End: true, ...(timeoutSeconds ? { TimeoutSeconds: timeoutSeconds } : {}) } },
});

/** The outcome of running `definition`, its task taking `seconds` (of fake time). */
async function runFor(definition: AslDefinition, seconds: number): Promise<unknown> {
  const StateMachine = await loadStateMachineClass();
  const takes = () => new Promise<{ done: boolean }>((resolve) => setTimeout(() => resolve({ done: true }), seconds * 1000));
  const run = new StateMachine(withDeployedTaskTimeouts(definition) as any).run({}, { overrides: { taskResourceLocalHandlers: { Process: takes } } });
  const outcome = run.result.then((result) => ({ result }), (error: Error) => ({ error: error.message }));
  await jest.advanceTimersByTimeAsync((seconds + 1) * 1000);
  return outcome;
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

test('a task without a timeout of its own runs past 60 seconds, to its end', async () => {
  await expect(runFor(oneTask(), 10 * 60)).resolves.toEqual({ result: { done: true } });
});

test('a task\'s own timeout still fails it with States.Timeout', async () => {
  await expect(runFor(oneTask(2), 5)).resolves.toEqual({ error: 'Execution has failed with the following error: States.Timeout' });
});

test('every Task state without a timeout gets the longest the interpreter can wait, in branches and item processors too', () => {
  const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };
  const definition: AslDefinition = {
    StartAt: 'Parallel',
    TimeoutSeconds: 3600,
    States: {
      Parallel: { Type: 'Parallel', Next: 'Map', Branches: [{ StartAt: 'InBranch', States: { InBranch: task } }] },
      Map: { Type: 'Map', Next: 'Own', ItemProcessor: { StartAt: 'InMap', States: { InMap: task } } },
      Own: { ...task, End: undefined, Next: 'Path', TimeoutSeconds: 30 },
      Path: { ...task, End: undefined, Next: 'Done', TimeoutSecondsPath: '$.timeout' },
      Done: { Type: 'Succeed' },
    },
  };
  const deployed = withDeployedTaskTimeouts(definition);
  expect(deployed.States.Parallel.Branches![0].States.InBranch.TimeoutSeconds).toBe(LONGEST_TASK_TIMEOUT_SECONDS);
  expect(deployed.States.Map.ItemProcessor!.States.InMap.TimeoutSeconds).toBe(LONGEST_TASK_TIMEOUT_SECONDS);
  expect(deployed.States.Own.TimeoutSeconds).toBe(30);
  expect(deployed.States.Path).toEqual(definition.States.Path);
  expect(deployed.States.Done).toEqual({ Type: 'Succeed' });
  // The execution's own timeout is the state machine's, and the definition given is left as it was.
  expect(deployed.TimeoutSeconds).toBe(3600);
  expect(definition.States.Parallel.Branches![0].States.InBranch).toBe(task);
  expect(task).not.toHaveProperty('TimeoutSeconds');
  // What setTimeout can hold: a longer delay would fire at once.
  expect(LONGEST_TASK_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
});
