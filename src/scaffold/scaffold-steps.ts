import * as fs from 'fs';
import * as path from 'path';
import { DomainRegistration } from '../domain/domain-registration';
import { DomainOptionValues, DomainSettings } from '../domain/domain-settings';
import { registrationFile } from '../domain/names';
import { GitHubTarget } from '../github/github-target';
import { LocalRegistrationResult, registerInLocalPlatform } from '../github/local-registration';
import { LocalRemoteResult, publishToLocalRemote } from '../github/local-remote';
import { GitHubConnection, planGitHubSetup, publishToGitHub } from '../github/publish-to-github';
import { GitHubSetupResult } from '../github/setup-step';
import { registrationBranch } from '../platform/registration-commit';
import { exec } from '../util/exec';
import { fallbackIdentity } from '../util/git';
import { changed, Step, unchanged } from '../util/steps';
import { userInstallEnvironment } from '../util/user-npm-config';

/** What the steps of a scaffold share: what was decided before they run, and what they found. */
export interface ScaffoldRun {
  readonly settings: DomainSettings;
  /** The domain's options as given: `projen new` gets them as its flags. */
  readonly values: DomainOptionValues;
  /** Absolute path of the repository. */
  readonly dir: string;
  /** The dependency spec `projen new` is given for the template. */
  readonly templateSpec: string;
  /** Whether the folder holds the repository of an earlier run, which is kept (not generated again). */
  readonly resumed: boolean;
  readonly dryRun: boolean;
  /** Pass the output of `projen new` through to this process. */
  readonly verbose: boolean;
  /** Folder of the local bare repositories, when the repository goes there (no token). */
  readonly remotesDir?: string;
  /** The repository on GitHub and the connection to it, when there is a token. */
  readonly github?: { readonly target: GitHubTarget; readonly connection: GitHubConnection };
  /** The domain's registration, when a platform repository is given. */
  readonly registration?: DomainRegistration;
  /** The platform repository on this machine to register in (without a token). */
  readonly localPlatform?: string;
  /** Where the repository was published on this machine. */
  remote?: LocalRemoteResult;
  /** What was done on GitHub. */
  githubResult?: GitHubSetupResult;
  /** The registration in the platform repository on this machine. */
  registered?: LocalRegistrationResult;
}

/** The name of the step that generates the repository. */
export const PROJEN_NEW = 'projen new';

/**
 * The phases of `projen new --from`, each recognised by what projen prints as it begins, in order.
 * Before the first of these it installs projen itself.
 */
const PROJEN_NEW_PHASES: ReadonlyArray<{ readonly begins: RegExp; readonly phase: string }> = [
  { begins: /installing module /, phase: 'npm install of the template' },
  { begins: /Installing dependencies\.\.\./, phase: 'npm install of the repository\'s dependencies' },
  { begins: /\beslint \| /, phase: 'eslint --fix of the generated code' },
  { begins: /Initialized empty Git repository/, phase: 'first commit' },
];

/**
 * The steps of a scaffold, in order: generate the repository with `projen new` (unless an earlier
 * run did), then publish it, to GitHub with a token or else to the local remote, and register the
 * domain in a platform repository on this machine when there is one (with a token, the GitHub
 * setup registers it on GitHub).
 */
export function scaffoldSteps(run: ScaffoldRun): Array<Step<ScaffoldRun>> {
  return [generateStep, localRemoteStep(run.remotesDir), gitHubStep(run.github?.target), localRegistrationStep(run.localPlatform)];
}

/** The `projen` command that generates the repository. */
function projenNewCommand(run: Pick<ScaffoldRun, 'templateSpec' | 'values'>): string {
  return `projen ${projenNewArgs(run).join(' ')}`;
}

/**
 * Generates the repository with the real `projen new --from <template> sdlf-domain` in the folder,
 * which is new or empty; each of its phases shows as a step. When it fails, everything it wrote is
 * removed (the folder too, when this made it), so running again starts afresh instead of finding
 * a half-generated folder in its way.
 */
const generateStep: Step<ScaffoldRun> = {
  name: PROJEN_NEW,
  phases: ['npm install of projen', ...PROJEN_NEW_PHASES.map(({ phase }) => phase)],
  plan: (run) => (run.resumed ? undefined : projenNewCommand(run)),
  async run(run, phase) {
    const { dir } = run;
    const existed = fs.existsSync(dir);
    fs.mkdirSync(dir, { recursive: true });
    try {
      // `projen new` runs the install scripts of every package it installs: none of them gets a
      // token. CI stays unset: `projen new` would install with `npm ci`, which fails before there is
      // a lockfile. It makes the first commit: without a git identity, in the name of sdlf-mesh.
      // npm keeps the user's registry, proxy and certificate authorities, whichever level sets them.
      const env = { ...(await userInstallEnvironment(dir)), ...(await fallbackIdentity(dir)) };
      const args = [projenCli(), ...projenNewArgs(run)];
      const onPhaseOutput = projenNewPhases(phase);
      const onOutput = run.verbose ? (text: string) => (onPhaseOutput(text), process.stderr.write(text)) : onPhaseOutput;
      await exec(process.execPath, args, { cwd: dir, env, inheritEnv: false, onOutput });
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
    return { status: 'done', detail: `generated in ${dir}` };
  },
};

/** Pushes the repository to a bare repository on this machine, the stand-in for GitHub without a token. */
function localRemoteStep(remotesDir: string | undefined): Step<ScaffoldRun> {
  return {
    name: `push to the local remote${remotesDir === undefined ? '' : ` in ${remotesDir}`}`,
    plan: (run) => (run.remotesDir !== undefined && !run.github ? `push main to ${path.resolve(run.remotesDir, `${run.settings.domain}.git`)}` : undefined),
    async run(run) {
      const remote = await publishToLocalRemote(run.dir, { remotesDir: run.remotesDir!, name: run.settings.domain });
      run.remote = remote;
      const detail = `main at ${remote.commit.slice(0, 12)} in ${remote.url}`;
      return remote.pushed ? changed(run, detail) : unchanged(detail);
    },
  };
}

/** Creates and sets up the repository on GitHub, and with a registration registers the domain there. */
function gitHubStep(target: GitHubTarget | undefined): Step<ScaffoldRun> {
  return {
    name: `GitHub setup${target ? ` of ${target.owner}/${target.name}` : ''}`,
    honoursDryRun: true,
    plan: ({ github, settings, registration }) => {
      if (!github) {
        return undefined;
      }
      const steps = planGitHubSetup(settings, github.target, { registration }).map(({ step }) => step);
      return `${github.target.owner}/${github.target.name}: ${steps.join(', ')}`;
    },
    async run(run) {
      const { target: repository, connection } = run.github!;
      const result = await publishToGitHub(run.dir, run.settings, repository, { ...connection, dryRun: run.dryRun }, run.registration);
      run.githubResult = result;
      return changed(run, result.url ?? result.repository);
    },
  };
}

/** Commits the domain's registration on its branch of the platform repository on this machine. */
function localRegistrationStep(localPlatform: string | undefined): Step<ScaffoldRun> {
  return {
    name: `registration${localPlatform === undefined ? '' : ` in ${localPlatform}`}`,
    honoursDryRun: true,
    plan: ({ localPlatform: dir, settings }) =>
      dir === undefined ? undefined : `commit ${registrationFile(settings.domain)} on branch ${registrationBranch(settings.domain)} of ${dir}`,
    async run(run) {
      const registered = await registerInLocalPlatform(run.localPlatform!, run.registration!, { dryRun: run.dryRun });
      run.registered = registered;
      const detail = `${registered.file} on ${registered.state === 'merged' ? registered.baseBranch : registered.branch} of ${registered.dir}`;
      return registered.state === 'committed' || registered.state === 'planned' ? changed(run, detail) : unchanged(detail);
    },
  };
}

/**
 * A sink for the output of `projen new` that tells `phase` when a later phase begins; the phase
 * is read from the output.
 */
function projenNewPhases(phase: (name: string) => void): (text: string) => void {
  let current = -1;
  let pending = '';
  return (text) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      // Later phases only: projen prints some of its notes twice.
      const next = PROJEN_NEW_PHASES.findIndex((candidate, i) => i > current && candidate.begins.test(line));
      if (next !== -1) {
        current = next;
        phase(PROJEN_NEW_PHASES[next].phase);
      }
    }
  };
}

/** The arguments of `projen new` for the domain's options. */
function projenNewArgs({ templateSpec, values }: Pick<ScaffoldRun, 'templateSpec' | 'values'>): string[] {
  const args = ['new', '--from', templateSpec, 'sdlf-domain', '--domain', values.domain, '--owner', values.owner];
  const flags: Array<[string, string | undefined]> = [
    ['--cost-center', values.costCenter],
    ['--github-org', values.githubOrg],
    ['--platform-team', values.platformTeam],
    ['--template-version', values.templateVersion],
  ];
  for (const [flag, value] of flags) {
    if (value !== undefined) {
      args.push(flag, value);
    }
  }
  for (const environment of values.environments ?? []) {
    args.push('--environments', environment);
  }
  return args;
}

/** The projen CLI this package depends on: the real `projen new` code path. */
function projenCli(): string {
  return require.resolve('projen/bin/projen');
}
