import { changed, planSteps, runSteps, Step, StepEvent, unchanged } from '../../src/util/steps';

/** A run of the steps below: what they have done, and what is known. */
interface Run {
  readonly dryRun?: boolean;
  readonly verify?: boolean;
  readonly done: string[];
}

/** A step that records that it ran, and reports its plan as done (planned in a dry run). */
function step(name: string, plan: (run: Run) => string | undefined, extra: Partial<Step<Run>> = {}): Step<Run> {
  return {
    name,
    plan,
    run: async (run) => {
      run.done.push(name);
      return changed(run, plan(run)!);
    },
    ...extra,
  };
}

const STEPS: Array<Step<Run>> = [
  step('clone', () => 'clone'),
  step('verify', (run) => (run.verify ? 'npx projen build' : undefined)),
  step('push', () => 'push the branch', { honoursDryRun: true }),
  step('request', () => 'open the request', { run: async (run) => (run.done.push('request'), unchanged('the open request says it already')) }),
];

test('the steps run in order; a step whose plan is nothing is skipped without running', async () => {
  const run: Run = { done: [] };
  const result = await runSteps(STEPS, run);
  expect(run.done).toEqual(['clone', 'push', 'request']);
  expect(result).toEqual({
    steps: [
      { step: 'clone', status: 'done', detail: 'clone' },
      { step: 'verify', status: 'skipped', detail: 'nothing to do' },
      { step: 'push', status: 'done', detail: 'push the branch' },
      { step: 'request', status: 'skipped', detail: 'the open request says it already' },
    ],
  });
});

test('a plan lists the steps that have something to do, with what each would do', () => {
  expect(planSteps(STEPS, { done: [], verify: true })).toEqual([
    { step: 'clone', detail: 'clone' },
    { step: 'verify', detail: 'npx projen build' },
    { step: 'push', detail: 'push the branch' },
    { step: 'request', detail: 'open the request' },
  ]);
  expect(planSteps(STEPS, { done: [] }).map(({ step: name }) => name)).toEqual(['clone', 'push', 'request']);
});

test('in a dry run, only the steps that honour it run; the others are planned with their plan', async () => {
  const run: Run = { done: [], dryRun: true };
  const result = await runSteps(STEPS, run, { dryRun: true });
  expect(run.done).toEqual(['push']);
  expect(result.steps.map(({ step: name, status, detail }) => `${status} ${name}: ${detail}`)).toEqual([
    'planned clone: clone',
    'skipped verify: nothing to do',
    'planned push: push the branch',
    'planned request: open the request',
  ]);
});

test('the first failure stops the run: it is returned with why, and the steps after it remain', async () => {
  const failing = step('push', () => 'push', { run: async () => Promise.reject(new Error('remote: denied')) });
  const run: Run = { done: [] };
  const result = await runSteps([STEPS[0], failing, STEPS[3]], run, { describeFailure: (error, failed) => `${failed.name}: ${(error as Error).message}` });
  expect(run.done).toEqual(['clone']);
  expect(result.steps).toEqual([
    { step: 'clone', status: 'done', detail: 'clone' },
    { step: 'push', status: 'failed', detail: 'push: remote: denied' },
    { step: 'request', status: 'remaining', detail: '' },
  ]);
  expect(result.failure).toEqual({ step: failing, error: new Error('remote: denied'), reason: 'push: remote: denied' });
});

test('each step, and each phase of a long one, is told as it starts and ends', async () => {
  const events: StepEvent[] = [];
  const long = step('projen new', () => 'projen new', {
    phases: ['npm install of projen', 'first commit'],
    run: async (_, phase) => {
      phase('first commit');
      return changed({}, 'generated');
    },
  });
  const failing = step('push', () => 'push', { run: async () => Promise.reject(new Error('no remote')) });
  await runSteps([long, STEPS[1], failing, STEPS[3]], { done: [] }, { progress: (event) => events.push(event) });
  expect(events.map(({ step: name, state }) => `${state} ${name}`)).toEqual([
    'started projen new: npm install of projen',
    'done projen new: npm install of projen',
    'started projen new: first commit',
    'done projen new: first commit',
    'started push',
    'failed push',
  ]);
  expect(events.every(({ elapsedMs }) => elapsedMs >= 0)).toBe(true);
});

test('a step that takes longer than its time limit fails, naming the step and the limit', async () => {
  const slow = step('install', () => 'npm install', { run: () => new Promise((resolve) => setTimeout(() => resolve(unchanged('late')), 5_000).unref()) });
  const result = await runSteps([slow, STEPS[0]], { done: [] }, { stepTimeoutMs: 50 });
  expect(result.steps.map(({ step: name, status }) => `${status} ${name}`)).toEqual(['failed install', 'remaining clone']);
  expect(result.failure?.reason).toMatch(/^the install step took longer than \d+ s, its time limit$/);
});
