import { createGitHubClient, DEFAULT_GITHUB_API_URL, GitHubClient } from './github-client';
import { describeFailure, GitHubSetupError } from './github-setup-error';
import { GitHubTarget } from './github-target';
import { SetupContext } from './setup-context';
import { GitHubSetupResult, SetupStep } from './setup-step';
import { DomainSettings } from '../domain/domain-settings';
import { InvalidOptionError } from '../util/invalid-option-error';
import { PlannedStep, planSteps, runSteps, StepReport } from '../util/steps';
import { branchProtectionStep } from './steps/branch-protection-step';
import { customPropertiesStep } from './steps/custom-properties-step';
import { environmentSteps } from './steps/environment-step';
import { environmentVariablesSteps } from './steps/environment-variables-step';
import { mergeSettingsStep } from './steps/merge-settings-step';
import { oidcSubjectStep } from './steps/oidc-subject-step';
import { findPlatformRepository, platformRegistrationStep } from './steps/platform-registration-step';
import { assertOriginIsTarget, pushStep } from './steps/push-step';
import { repositoryStep } from './steps/repository-step';
import { teamAccessSteps } from './steps/team-access-step';
import { topicsStep } from './steps/topics-step';
import { DomainRegistration } from '../domain/domain-registration';

/** How {@link publishToGitHub} reaches GitHub. */
export interface GitHubConnection {
  /** The token (`GITHUB_TOKEN`, `GH_TOKEN` or `--token-file`); it is never written or printed. */
  readonly token: string;
  /** @default "https://api.github.com" (`GITHUB_API_URL`) */
  readonly apiUrl?: string;
  /** Make the reads, plan the writes, change nothing. */
  readonly dryRun?: boolean;
  /** The default branch. @default "main" */
  readonly branch?: string;
  /** Receives the client's notes while it waits for a rate limit or retries. */
  readonly log?: (message: string) => void;
  /**
   * The client to send the requests with, made by `createGitHubClient` (tests run the steps in
   * their own process with one).
   *
   * @default - one made from `token`, `apiUrl` and `log`
   */
  readonly client?: GitHubClient;
}

/**
 * Creates a domain repository on GitHub and makes it ready for GitOps: creates the repository
 * (merge settings, custom properties), pushes the generated commit with `git push`, then applies
 * topics, branch protection, the OIDC subject of its tokens, the deployment environments with the
 * variables the deploy workflow reads, and team access; with `registration` and `target.platform`, it finally registers the
 * domain in the platform repository through a pull request.
 *
 * Every step looks before it writes, so a second run sends no content-creating request and a run
 * after a failure completes the job. A repository that holds unrelated history is refused unless
 * `target.adopt`. Bad input (an owner, team or reviewer that does not exist; an `origin` that
 * names another repository) is refused before anything is created. When a step fails, a
 * {@link GitHubSetupError} names it, why, and the steps done and remaining.
 */
export async function publishToGitHub(
  repoDir: string,
  settings: DomainSettings,
  target: GitHubTarget,
  connection: GitHubConnection,
  registration?: DomainRegistration,
): Promise<GitHubSetupResult> {
  await assertOriginIsTarget(repoDir, target.owner, target.name);
  const apiUrl = connection.apiUrl ?? DEFAULT_GITHUB_API_URL;
  const client = connection.client ?? (await createGitHubClient({ token: connection.token, apiUrl, log: connection.log }));
  const context = new SetupContext(client, target, settings, repoDir, connection.branch ?? 'main', connection.token, connection.dryRun ?? false);
  const platform = target.platform && registration ? target.platform : undefined;
  if (platform) {
    // A platform repository that cannot be found stops the run before anything is created.
    await findPlatformRepository(context, platform);
  }
  const steps = githubSetupSteps(settings, target, registration);
  // Where the requests of the running step begin, for the one a failure names.
  let sent = 0;
  const run = await runSteps(steps, context, {
    dryRun: context.dryRun,
    progress: (event) => {
      if (event.state === 'started') {
        sent = context.operations.length;
      }
    },
    describeFailure: (error, step) =>
      describeFailure(error, step, context.operations.slice(sent).reverse().find((operation) => operation.kind === 'api')?.request),
  });
  if (run.failure) {
    if (run.failure.error instanceof InvalidOptionError) {
      throw run.failure.error;
    }
    throw new GitHubSetupError(summarize(context, run.steps), run.failure.step.name, run.failure.reason);
  }
  return summarize(context, run.steps);
}

/**
 * The steps of setting up a domain repository on GitHub, in order: the repository, the push of
 * its first commit, merge settings, topics and custom properties, branch protection, the OIDC
 * subject of its tokens (the repository's IDs, which the deploy role trusts), the environments
 * and their variables, team access and, with a registration, the platform registration (with
 * the repository's IDs). A run performs them; without a token, their plans say what a run would do.
 */
export function githubSetupSteps(settings: DomainSettings, target: GitHubTarget, registration?: DomainRegistration): SetupStep[] {
  return [
    repositoryStep,
    pushStep,
    mergeSettingsStep,
    topicsStep,
    customPropertiesStep,
    branchProtectionStep,
    oidcSubjectStep,
    ...environmentSteps(settings.environments.map((environment) => environment.name)),
    ...environmentVariablesSteps(settings.environments),
    ...teamAccessSteps(target.teams),
    ...(target.platform && registration ? [platformRegistrationStep(target.platform, registration)] : []),
  ];
}

/**
 * What setting up the repository on GitHub would do, step by step: the plans of
 * {@link githubSetupSteps}, printed when there is no token (the local remote stands in for GitHub).
 */
export function planGitHubSetup(
  settings: DomainSettings,
  target: GitHubTarget,
  options: { readonly registration?: DomainRegistration; readonly branch?: string } = {},
): PlannedStep[] {
  return planSteps(githubSetupSteps(settings, target, options.registration), { settings, target, branch: options.branch ?? 'main' });
}

function summarize(context: SetupContext, steps: StepReport[]): GitHubSetupResult {
  const sent = context.operations.filter((operation) => operation.kind === 'api' && operation.performed);
  return {
    repository: `${context.target.owner}/${context.target.name}`,
    url: context.repository?.htmlUrl,
    dryRun: context.dryRun,
    steps,
    operations: context.operations,
    requests: { total: sent.length, contentCreating: sent.filter((operation) => !operation.request.startsWith('GET ')).length },
  };
}
