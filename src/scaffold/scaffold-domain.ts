import * as fs from 'fs';
import * as path from 'path';
import { assertSameDomainRepository } from './existing-repository';
import { PROJEN_NEW, ScaffoldRun, scaffoldSteps } from './scaffold-steps';
import { DomainRegistration } from '../domain/domain-registration';
import { DomainOptionValues, DomainSettings, resolveDomainSettings, TEMPLATE_PACKAGE } from '../domain/domain-settings';
import { defaultGitHubTarget, GitHubTarget, GitHubTargetValues, resolveGitHubTarget } from '../github/github-target';
import { assertLocalPlatform, LocalRegistrationResult } from '../github/local-registration';
import { LocalRemoteResult } from '../github/local-remote';
import { GitHubConnection, planGitHubSetup } from '../github/publish-to-github';
import { GitHubSetupResult } from '../github/setup-step';
import { domainRegistration } from '../platform/registration-document';
import { InvalidOptionError } from '../util/invalid-option-error';
import { PlannedStep, runSteps, StepProgress } from '../util/steps';

/** What {@link scaffoldDomain} generates: the project-type options, and where and from what. */
export interface ScaffoldDomainOptions extends DomainOptionValues {
  /** Folder to generate the repository in; it must not exist or be empty. */
  readonly dir: string;
  /**
   * The template: an npm spec (`sdlf-mesh@1.2.0`) or the path of a tarball made by `npm pack`.
   */
  readonly from: string;
  /**
   * Folder of the local bare repositories to publish to (`<domain>.git`), the stand-in for GitHub
   * when there is no token.
   *
   * @default - not published
   */
  readonly remotesDir?: string;
  /** Pass the output of `projen new` through to this process. */
  readonly verbose?: boolean;
  /**
   * Told of each step (and each phase of `projen new`) as it starts and ends.
   *
   * @default - not told
   */
  readonly progress?: StepProgress;
  /**
   * The repository on GitHub. With a token, it is created and set up there instead of the local
   * remote; without one, the local remote stands in and the plan names this repository.
   *
   * @default - the local remote, and a plan for `<githubOrg>/<domain>`
   */
  readonly github?: ScaffoldGitHubOptions;
  /** Change nothing: generate nothing, make only the reads, report what would be done. */
  readonly dryRun?: boolean;
  /**
   * The platform repository on this machine (a clone or a bare repository) to register the domain
   * in when there is no token: `domains/<domain>.yaml` committed on `sdlf-mesh/register-<domain>`.
   * Without it, a bare repository `<remotesDir>/<platform repository name>.git` stands in for the
   * platform repository that `github.platformRepository` names, when it exists.
   *
   * @default - registered on GitHub with a token and `github.platformRepository`, else not
   */
  readonly platformDir?: string;
}

/** The GitHub repository of {@link ScaffoldDomainOptions}, and how to reach GitHub. */
export interface ScaffoldGitHubOptions extends GitHubTargetValues, Omit<Partial<GitHubConnection>, 'dryRun'> {}

/** A generated domain repository. */
export interface ScaffoldedDomain {
  /** Absolute path of the repository. */
  readonly dir: string;
  /** The dependency spec `projen new` was given for the template. */
  readonly templateSpec: string;
  /** Whether the repository was generated now (false: found from an earlier run, and kept). */
  readonly generated: boolean;
  /** Where it was published, with `remotesDir`. */
  readonly remote?: LocalRemoteResult;
  /** What GitHub would get besides the content: the plans of the GitHub setup's steps. */
  readonly githubPlan: PlannedStep[];
  /** What was done on GitHub, with a token. */
  readonly github?: GitHubSetupResult;
  /** In a dry run that found no repository: the `projen` command it would run to generate it. */
  readonly plannedGeneration?: string;
  /** The registration in a platform repository on this machine, without a token. */
  readonly registration?: LocalRegistrationResult;
}

/**
 * Generates a domain repository with the real `projen new --from <template> sdlf-domain` (it
 * installs the template, writes the files, installs the dependencies and makes the first commit),
 * then publishes it: to GitHub with `github` and a token, else to a local bare repository when
 * `remotesDir` is given.
 *
 * Every option is checked first, so a bad input writes nothing. The folder must be new or empty,
 * or hold the same domain's repository from an earlier run, which is kept and published: a run
 * that failed half-way is completed by running it again, and nothing a user wrote is overwritten.
 */
export async function scaffoldDomain(options: ScaffoldDomainOptions): Promise<ScaffoldedDomain> {
  const settings = resolveDomainSettings(options);
  const target = options.github ? resolveGitHubTarget(options.github, settings) : undefined;
  const registration = wantedRegistration(options, settings, target);
  const token = options.github?.token;
  const localPlatform = registration && !(token && target?.platform) ? localPlatformDir(options, target) : undefined;
  if (localPlatform) {
    await assertLocalPlatform(path.resolve(localPlatform));
  }
  const dir = path.resolve(options.dir);
  const templateSpec = templateSpecFrom(options.from);
  const resumed = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
  if (resumed) {
    await assertSameDomainRepository(dir, options);
  }
  const run: ScaffoldRun = {
    settings,
    values: options,
    dir,
    templateSpec,
    resumed,
    dryRun: options.dryRun ?? false,
    verbose: options.verbose ?? false,
    remotesDir: options.remotesDir,
    github: target && token ? { target, connection: { ...options.github, token } } : undefined,
    registration,
    localPlatform,
  };
  const { steps, failure } = await runSteps(scaffoldSteps(run), run, { dryRun: run.dryRun, progress: options.progress });
  if (failure) {
    throw failure.error;
  }
  return {
    dir,
    templateSpec,
    generated: !resumed && !run.dryRun,
    remote: run.remote,
    githubPlan: planGitHubSetup(settings, target ?? defaultGitHubTarget(settings), { registration }),
    github: run.githubResult,
    plannedGeneration: steps.find((report) => report.step === PROJEN_NEW && report.status === 'planned')?.detail,
    registration: run.registered,
  };
}

/**
 * The domain's registration, when a platform repository is given; checked before anything is
 * generated (every environment needs an account and a region, and the registration names the
 * GitHub repository that may deploy).
 */
function wantedRegistration(
  options: ScaffoldDomainOptions,
  settings: DomainSettings,
  target: GitHubTarget | undefined,
): DomainRegistration | undefined {
  if (!target?.platform && options.platformDir === undefined) {
    return undefined;
  }
  if (!target) {
    throw new InvalidOptionError('platform-dir', 'the registration names the GitHub repository that deploys the domain: give --github <owner>/<repository> too');
  }
  return domainRegistration(settings, `${target.owner}/${target.name}`);
}

/** `platformDir`, else the local remote of the platform repository when it exists. */
function localPlatformDir(options: ScaffoldDomainOptions, target: GitHubTarget | undefined): string | undefined {
  if (options.platformDir !== undefined) {
    return options.platformDir;
  }
  const bare = target?.platform && options.remotesDir !== undefined ? path.resolve(options.remotesDir, `${target.platform.name}.git`) : undefined;
  return bare && fs.existsSync(bare) ? bare : undefined;
}

/**
 * The package spec `projen new --from` needs: a tarball path becomes `sdlf-mesh@file:<absolute path>`
 * (a bare path would be taken for a package name); anything else is an npm spec already.
 */
export function templateSpecFrom(from: string): string {
  if (from.endsWith('.tgz') || from.startsWith('.') || path.isAbsolute(from)) {
    const tarball = path.resolve(from);
    if (!fs.existsSync(tarball)) {
      throw new InvalidOptionError('from', `${tarball} does not exist; give an npm spec such as ${TEMPLATE_PACKAGE}@1.0.0 or the path of a tarball made by npm pack`);
    }
    return `${TEMPLATE_PACKAGE}@file:${tarball}`;
  }
  return from;
}
