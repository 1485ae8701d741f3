/**
 * Named steps and the one runner of them. Setting up a domain repository on GitHub, scaffolding a
 * domain and upgrading a fleet repository are each a list of steps run in order by
 * {@link runSteps}: each step says what it will do ({@link Step.plan}) and then does it
 * ({@link Step.run}), so what a command prints as its plan is the steps' own plans
 * ({@link planSteps}), never a second description that can drift from them.
 */

/**
 * Where a step stands: `done` (it changed something), `skipped` (it found everything in place, or
 * had nothing to do), `planned` (a dry run would change it), `failed`, or `remaining` (not
 * reached, after a failure).
 */
export type StepStatus = 'done' | 'skipped' | 'planned' | 'failed' | 'remaining';

/** What a step found and did. */
export interface StepOutcome {
  readonly status: 'done' | 'skipped' | 'planned';
  /** What it set, found or would set. */
  readonly detail: string;
}

/** A step of a run, with what it did (or, after a failure, why it failed or that it remains). */
export interface StepReport {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
}

/** A step as a plan lists it: its name, and what it would do. */
export interface PlannedStep {
  readonly step: string;
  readonly detail: string;
}

/**
 * One step of a run. Steps look before they write, so running them again changes nothing, and
 * running them again after a failure completes what is missing.
 *
 * @typeParam Context what the steps of a run share (read and written as they go)
 * @typeParam Known what is known before anything runs: all a plan may read
 */
export interface Step<Context, Known = Context> {
  /** e.g. `topics`, `environment prod`, `clone`; the reports and the progress name the step by it. */
  readonly name: string;
  /**
   * The phases of a long step, in order: the progress shows `<name>: <phase>` for each, the
   * first as the step starts.
   *
   * @default - one, the step itself
   */
  readonly phases?: readonly string[];
  /**
   * Whether the step runs in a dry run: it then only reads, and reports what it would write as
   * `planned`. A step that cannot look without writing is not run in a dry run: the runner
   * reports it `planned`, with its plan.
   *
   * @default false
   */
  readonly honoursDryRun?: boolean;
  /**
   * What the step will do, from what is known so far, without looking anywhere: a plan made
   * before the run lists it, and the runner asks again just before the step would run.
   * `undefined`: the step has nothing to do here, and the runner skips it without running it.
   */
  plan(known: Known): string | undefined;
  /**
   * Does the step's work. A long step may say which of its {@link phases} it is in with `phase`,
   * which the progress shows as a step of its own.
   */
  run(context: Context, phase: (name: string) => void): Promise<StepOutcome>;
}

/** A step, or a phase of one, as it starts, ends or fails. */
export interface StepEvent {
  /** The step's name, or `<name>: <phase>` for a phase of a long step. */
  readonly step: string;
  readonly state: 'started' | 'done' | 'failed';
  /** Milliseconds since the step or phase started (0 when it starts). */
  readonly elapsedMs: number;
}

/** Receives the steps of a run as they go. */
export type StepProgress = (event: StepEvent) => void;

/** How {@link runSteps} runs the steps. */
export interface RunStepsOptions<S> {
  /**
   * Change nothing: the steps that honour a dry run run and plan their writes; the others are
   * only planned.
   *
   * @default false
   */
  readonly dryRun?: boolean;
  /** Told of each step as it starts and ends. @default - not told */
  readonly progress?: StepProgress;
  /**
   * A step that takes longer fails (the work it started is not waited for).
   *
   * @default - no limit
   */
  readonly stepTimeoutMs?: number;
  /**
   * Why the step failed, in a user's words, from what it threw; the failed step's report says it.
   *
   * @default - the error's message
   */
  readonly describeFailure?: (error: unknown, step: S) => string;
}

/** The step that stopped a run, what it threw, and why it failed in a user's words. */
export interface StepFailure<S> {
  readonly step: S;
  readonly error: unknown;
  readonly reason: string;
}

/** What {@link runSteps} did. */
export interface StepsResult<S> {
  /** Every step in order, with what it did; after a failure: the failed step, then the remaining ones. */
  readonly steps: StepReport[];
  /** The step that failed, when one did. */
  readonly failure?: StepFailure<S>;
}

/** What a plan says of a step that has nothing to do. */
const NOTHING_TO_DO = 'nothing to do';

/**
 * Runs the steps one after the other, each after asking its plan: a step with nothing to do is
 * skipped, and in a dry run a step that does not honour it is only planned. The first step that
 * throws stops the run: the result says which, why, and which steps remain, so that running the
 * same steps again completes the job. A failure is returned, not thrown: the caller decides
 * whether it ends its command (and with which error) or is one row of a report.
 */
export async function runSteps<Context, S extends Step<Context>>(
  steps: readonly S[],
  context: Context,
  options: RunStepsOptions<S> = {},
): Promise<StepsResult<S>> {
  const reports: StepReport[] = [];
  for (const [index, step] of steps.entries()) {
    const plan = step.plan(context);
    if (plan === undefined) {
      reports.push({ step: step.name, status: 'skipped', detail: NOTHING_TO_DO });
      continue;
    }
    if (options.dryRun && !step.honoursDryRun) {
      reports.push({ step: step.name, status: 'planned', detail: plan });
      continue;
    }
    const clock = new StepClock(step, options.progress);
    try {
      const outcome = await withTimeLimit(step.run(context, (phase) => clock.phase(phase)), options.stepTimeoutMs, step.name);
      clock.end('done');
      reports.push({ step: step.name, ...outcome });
    } catch (error) {
      clock.end('failed');
      const reason = options.describeFailure ? options.describeFailure(error, step) : messageOf(error);
      reports.push({ step: step.name, status: 'failed', detail: reason });
      reports.push(...steps.slice(index + 1).map((remaining): StepReport => ({ step: remaining.name, status: 'remaining', detail: '' })));
      return { steps: reports, failure: { step, error, reason } };
    }
  }
  return { steps: reports };
}

/**
 * What the steps would do, from what is known before anything runs: every step that has
 * something to do, in order, with its plan.
 */
export function planSteps<Known>(steps: ReadonlyArray<Step<never, Known>>, known: Known): PlannedStep[] {
  return steps.flatMap((step) => {
    const detail = step.plan(known);
    return detail === undefined ? [] : [{ step: step.name, detail }];
  });
}

/** The outcome of a step that changed something: `done`, or `planned` in a dry run. */
export function changed(context: { readonly dryRun?: boolean }, detail: string): StepOutcome {
  return { status: context.dryRun ? 'planned' : 'done', detail };
}

/** The outcome of a step that found everything in place. */
export function unchanged(detail: string): StepOutcome {
  return { status: 'skipped', detail };
}

/** The names of the reported steps whose status is one of `statuses`, e.g. for `completed: ...; remaining: ...`. */
export function stepNames(reports: readonly StepReport[], ...statuses: StepStatus[]): string[] {
  return reports.filter((report) => statuses.includes(report.status)).map((report) => report.step);
}

/** Reports a step, and each of its phases, as it starts and ends, with its time. */
class StepClock {
  private label: string;
  private started = Date.now();

  constructor(
    private readonly step: Step<never, never>,
    private readonly progress: StepProgress = () => {},
  ) {
    this.label = step.phases?.length ? `${step.name}: ${step.phases[0]}` : step.name;
    this.progress({ step: this.label, state: 'started', elapsedMs: 0 });
  }

  /** Ends the current phase (done) and starts `name`. */
  public phase(name: string): void {
    this.end('done');
    this.label = `${this.step.name}: ${name}`;
    this.started = Date.now();
    this.progress({ step: this.label, state: 'started', elapsedMs: 0 });
  }

  public end(state: 'done' | 'failed'): void {
    this.progress({ step: this.label, state, elapsedMs: Date.now() - this.started });
  }
}

/** The step's outcome, or a failure when it takes longer than `limitMs`. */
async function withTimeLimit<T>(work: Promise<T>, limitMs: number | undefined, step: string): Promise<T> {
  if (limitMs === undefined) {
    return work;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the ${step} step took longer than ${Math.round(limitMs / 1000)} s, its time limit`)), limitMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A progress that tells `onStarted` of each step as it starts, and keeps how long each step took,
 * in seconds, in `seconds` (in the order they ran: a report's `stepSeconds`).
 */
export function timedProgress(onStarted?: (step: string) => void): { progress: StepProgress; seconds: Record<string, number> } {
  const seconds: Record<string, number> = {};
  const progress: StepProgress = (event) => {
    if (event.state === 'started') {
      onStarted?.(event.step);
    } else {
      seconds[event.step] = event.elapsedMs / 1000;
    }
  };
  return { progress, seconds };
}
