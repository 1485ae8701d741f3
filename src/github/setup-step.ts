import { GitHubOperation, SetupContext } from './setup-context';

/**
 * Where a step of the setup stands: `done` (changed now), `skipped` (already so, or not
 * applicable), `planned` (a dry run would change it), `failed`, or `remaining` (not reached).
 */
export type StepStatus = 'done' | 'skipped' | 'planned' | 'failed' | 'remaining';

/** What one step did, for the report. */
export interface StepReport {
  readonly step: string;
  readonly status: StepStatus;
  /** What it set, found or would set. */
  readonly detail: string;
}

/** What a step found and did. */
export interface StepOutcome {
  readonly status: 'done' | 'skipped' | 'planned';
  readonly detail: string;
}

/**
 * One step of setting up a domain repository on GitHub. It looks before it writes, so running it
 * again changes nothing, and running it after a failure completes what is missing.
 */
export interface SetupStep {
  /** e.g. `topics`, `environment prod`, `team sales`. */
  readonly name: string;
  /**
   * The fine-grained permission GitHub documents for the step's writes, e.g. `administration=write`;
   * named when GitHub refuses the step without saying which permission it wanted.
   */
  readonly permission: string;
  run(context: SetupContext): Promise<StepOutcome>;
}

/** The outcome of a step that changed something: `done`, or `planned` in a dry run. */
export function changed(context: SetupContext, detail: string): StepOutcome {
  return { status: context.dryRun ? 'planned' : 'done', detail };
}

/** The outcome of a step that found everything in place. */
export function unchanged(detail: string): StepOutcome {
  return { status: 'skipped', detail };
}

/** What a GitHub setup did, step by step and request by request. */
export interface GitHubSetupResult {
  /** `owner/name`. */
  readonly repository: string;
  /** Its web page. */
  readonly url?: string;
  readonly dryRun: boolean;
  /** Every step in order, with what it did (or, after a failure, that it remains). */
  readonly steps: StepReport[];
  /** Every API request and git operation, in order (planned ones in a dry run). */
  readonly operations: GitHubOperation[];
  /** API requests sent, and how many of them created or changed content (POST, PUT, PATCH, DELETE). */
  readonly requests: { readonly total: number; readonly contentCreating: number };
}
