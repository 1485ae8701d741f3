import * as fs from 'fs';
import * as path from 'path';
import { assertSameDomainRepository } from './existing-repository';
import { ScaffoldProgress, ScaffoldSteps } from './scaffold-progress';
import { DomainRegistration } from '../domain/domain-registration';
import { DomainOptionValues, DomainSettings, resolveDomainSettings, TEMPLATE_PACKAGE } from '../domain/domain-settings';
import { GitHubSetupStep, githubSetupPlan } from '../github/github-setup-plan';
import { GitHubTarget, GitHubTargetValues, resolveGitHubTarget } from '../github/github-target';
import { assertLocalPlatform, LocalRegistrationResult, registerInLocalPlatform } from '../github/local-registration';
import { LocalRemoteResult, publishToLocalRemote } from '../github/local-remote';
import { GitHubConnection, publishToGitHub } from '../github/publish-to-github';
import { GitHubSetupResult } from '../github/setup-step';
import { domainRegistration } from '../platform/registration-document';
import { exec } from '../util/exec';
import { fallbackIdentity } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';
import { userInstallEnvironment } from '../util/user-npm-config';

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
  readonly progress?: ScaffoldProgress;
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
  /** What GitHub would get besides the content. */
  readonly githubPlan: GitHubSetupStep[];
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
  const localPlatform = registration && !(options.github?.token && target?.platform) ? localPlatformDir(options, target) : undefined;
  if (localPlatform) {
    await assertLocalPlatform(path.resolve(localPlatform));
  }
  const dir = path.resolve(options.dir);
  const templateSpec = templateSpecFrom(options.from);
  const resumed = fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
  let plannedGeneration: string | undefined;
  const steps = new ScaffoldSteps(options.progress);
  if (resumed) {
    await assertSameDomainRepository(dir, options);
  } else if (options.dryRun) {
    plannedGeneration = `projen ${projenNewArgs(templateSpec, options).join(' ')}`;
  } else {
    await generate(dir, templateSpec, options, steps);
  }
  const token = options.github?.token;
  const toLocalRemote = options.remotesDir !== undefined && !(target && token) && !options.dryRun;
  const remote = toLocalRemote
    ? await steps.run(`push to the local remote in ${options.remotesDir}`, () => publishToLocalRemote(dir, { remotesDir: options.remotesDir!, name: options.domain }))
    : undefined;
  const github = target && token
    ? await steps.run(`GitHub setup of ${target.owner}/${target.name}`, () =>
      publishToGitHub(dir, settings, target, { ...options.github, token, dryRun: options.dryRun }, registration))
    : undefined;
  const registered = localPlatform
    ? await steps.run(`registration in ${localPlatform}`, () => registerInLocalPlatform(localPlatform, registration!, { dryRun: options.dryRun }))
    : undefined;
  const githubPlan = githubSetupPlan(settings, target ? `${target.owner}/${target.name}` : `${options.githubOrg ?? '<org>'}/${options.domain}`, {
    platformRepository: target?.platform ? `${target.platform.owner}/${target.platform.name}` : undefined,
  });
  return { dir, templateSpec, generated: !resumed && !options.dryRun, remote, githubPlan, github, plannedGeneration, registration: registered };
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
 * Generates the repository with `projen new` in `dir`, which is new or empty. When that fails,
 * everything it wrote is removed (the folder too, when this made it), so running again starts
 * afresh instead of finding a half-generated folder in its way.
 */
async function generate(dir: string, templateSpec: string, options: ScaffoldDomainOptions, steps: ScaffoldSteps): Promise<void> {
  const existed = fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  try {
    // `projen new` runs the install scripts of every package it installs: none of them gets a
    // token. CI stays unset: `projen new` would install with `npm ci`, which fails before there is
    // a lockfile. It makes the first commit: without a git identity, in the name of sdlf-mesh.
    // npm keeps the user's registry, proxy and certificate authorities, whichever level sets them.
    const env = { ...(await userInstallEnvironment(dir)), ...(await fallbackIdentity(dir)) };
    const args = [projenCli(), ...projenNewArgs(templateSpec, options)];
    await steps.runProjenNew((onPhaseOutput) => {
      const onOutput = options.verbose ? (text: string) => (onPhaseOutput(text), process.stderr.write(text)) : onPhaseOutput;
      return exec(process.execPath, args, { cwd: dir, env, inheritEnv: false, onOutput });
    });
  } catch (error) {
    // The folder was empty or absent: all it holds now is what projen new wrote.
    if (existed) {
      fs.readdirSync(dir).forEach((entry) => fs.rmSync(path.join(dir, entry), { recursive: true, force: true }));
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const failure = error instanceof Error ? error.message : String(error);
    throw new Error(`generating the repository failed; ${dir} is ${existed ? 'empty' : 'removed'} again, so a new run starts afresh. ${failure}`);
  }
}

/** The arguments of `projen new` for the domain's options. */
function projenNewArgs(templateSpec: string, options: ScaffoldDomainOptions): string[] {
  const args = ['new', '--from', templateSpec, 'sdlf-domain', '--domain', options.domain, '--owner', options.owner];
  const flags: Array<[string, string | undefined]> = [
    ['--cost-center', options.costCenter],
    ['--github-org', options.githubOrg],
    ['--platform-team', options.platformTeam],
    ['--template-version', options.templateVersion],
  ];
  for (const [flag, value] of flags) {
    if (value !== undefined) {
      args.push(flag, value);
    }
  }
  for (const environment of options.environments ?? []) {
    args.push('--environments', environment);
  }
  return args;
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

/** The projen CLI this package depends on: the real `projen new` code path. */
function projenCli(): string {
  return require.resolve('projen/bin/projen');
}
