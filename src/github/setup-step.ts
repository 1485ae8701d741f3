import { GitHubTarget } from './github-target';
import { GitHubOperation, SetupContext } from './setup-context';
import { DomainSettings } from '../domain/domain-settings';
import { Step, StepReport } from '../util/steps';

/** What is known of a GitHub setup before any request is sent: all a step's plan reads. */
export interface SetupPlan {
  readonly settings: DomainSettings;
  readonly target: GitHubTarget;
  /** The default branch. */
  readonly branch: string;
}

/**
 * One step of setting up a domain repository on GitHub. It looks before it writes, so running it
 * again changes nothing, and running it after a failure completes what is missing; in a dry run
 * it makes the reads and plans the writes.
 */
export interface SetupStep extends Step<SetupContext, SetupPlan> {
  /**
   * The fine-grained permission GitHub documents for the step's writes, e.g. `administration=write`;
   * named when GitHub refuses the step without saying which permission it wanted.
   */
  readonly permission: string;
  readonly honoursDryRun: true;
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
