import { GitHubRequestError, isStatus } from './setup-context';
import { GitHubSetupResult, SetupStep } from './setup-step';
import { stepNames } from '../util/steps';

/**
 * A GitHub setup that stopped at a step. The message names the step, why it failed (for a token
 * that lacks a permission: the permission) and what is done and what remains; running the same
 * command again completes the setup, since every step looks before it writes.
 */
export class GitHubSetupError extends Error {
  constructor(
    /** The report up to the failure: done, skipped, failed and remaining steps. */
    public readonly result: GitHubSetupResult,
    /** The step that failed. */
    public readonly step: string,
    /** Why it failed. */
    public readonly reason: string,
  ) {
    const completed = stepNames(result.steps, 'done', 'skipped').join(', ') || 'none';
    const remaining = stepNames(result.steps, 'remaining').join(', ') || 'none';
    super(
      `Step "${step}" of setting up ${result.repository} on GitHub failed: ${reason}. ` +
        `Run the same command again to complete the setup (completed: ${completed}; remaining: ${remaining}).`,
    );
    this.name = 'GitHubSetupError';
  }
}

/**
 * Why a step (or any request with a documented permission) failed, in a user's words. For a 403
 * that is not a rate limit, the permission the token lacks: the one GitHub names in
 * `X-Accepted-GitHub-Permissions` (sets of alternatives separated by `;`), else the one GitHub
 * documents for the step.
 */
export function describeFailure(error: unknown, step: Pick<SetupStep, 'permission'>, request: string | undefined): string {
  const answer = (error as GitHubRequestError).response?.data as { message?: string } | undefined;
  const message = answer?.message ?? (error as Error).message;
  if (isStatus(error, 403)) {
    const accepted = error.response?.headers['x-accepted-github-permissions'];
    const permission = typeof accepted === 'string' && accepted.trim() ? accepted.split(';').map((set) => set.trim()).join(' or ') : step.permission;
    return `the token lacks the permission ${permission} (GitHub answered 403 to ${request ?? 'a request'}: ${message}); give the token that permission`;
  }
  if (typeof (error as GitHubRequestError).status === 'number') {
    return `GitHub answered ${(error as GitHubRequestError).status} to ${request ?? 'a request'}: ${message}`;
  }
  return message;
}
