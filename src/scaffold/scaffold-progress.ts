/** A step of {@link scaffoldDomain} as it starts, ends or fails. */
export interface ScaffoldStepEvent {
  /** What the step does, e.g. `projen new: npm install of the template`. */
  readonly step: string;
  readonly state: 'started' | 'done' | 'failed';
  /** Milliseconds since the step started (0 when it starts). */
  readonly elapsedMs: number;
}

/** Receives the steps of a scaffold as they go. */
export type ScaffoldProgress = (event: ScaffoldStepEvent) => void;

/**
 * The phases of `projen new --from`, each recognised by what projen prints as it begins, in order.
 * Before the first of these it installs projen itself.
 */
const PROJEN_NEW_PHASES: ReadonlyArray<{ readonly begins: RegExp; readonly step: string }> = [
  { begins: /installing module /, step: 'npm install of the template' },
  { begins: /Installing dependencies\.\.\./, step: 'npm install of the repository\'s dependencies' },
  { begins: /\beslint \| /, step: 'eslint --fix of the generated code' },
  { begins: /Initialized empty Git repository/, step: 'first commit' },
];

/** Runs steps one after the other and reports each as it starts and ends, with its time. */
export class ScaffoldSteps {
  private current?: { step: string; started: number };

  constructor(private readonly progress: ScaffoldProgress = () => {}) {}

  /** Runs `work` as the step `step`. */
  public async run<T>(step: string, work: () => Promise<T>): Promise<T> {
    this.begin(step);
    try {
      const result = await work();
      this.end('done');
      return result;
    } catch (error) {
      this.end('failed');
      throw error;
    }
  }

  /**
   * Runs `projen new` (`work`, given a sink for its output) with each of its phases as a step;
   * the phase is read from the output.
   */
  public async runProjenNew<T>(work: (onOutput: (text: string) => void) => Promise<T>): Promise<T> {
    let phase = -1;
    let pending = '';
    const onOutput = (text: string) => {
      const lines = (pending + text).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // Later phases only: projen prints some of its notes twice.
        const next = PROJEN_NEW_PHASES.findIndex((candidate, i) => i > phase && candidate.begins.test(line));
        if (next !== -1) {
          phase = next;
          this.end('done');
          this.begin(`projen new: ${PROJEN_NEW_PHASES[next].step}`);
        }
      }
    };
    return this.run('projen new: npm install of projen', () => work(onOutput));
  }

  private begin(step: string): void {
    this.current = { step, started: Date.now() };
    this.progress({ step, state: 'started', elapsedMs: 0 });
  }

  private end(state: 'done' | 'failed'): void {
    if (this.current) {
      this.progress({ step: this.current.step, state, elapsedMs: Date.now() - this.current.started });
      this.current = undefined;
    }
  }
}
