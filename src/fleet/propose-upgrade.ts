import * as fs from 'fs';
import * as path from 'path';
import { RepositorySandbox } from './domain-sandbox';
import { changedFilesByOwner } from './file-owners';
import { fingerprintsAt, sampleChanges, sampleChangesSection } from './sample-changes';
import { TemplateStore } from './template-store';
import { currentTemplateVersion, setTemplateVersion, UpgradeTarget } from './template-version';
import { PATCH_FILE, UpgradeProposal, writeProposal } from './upgrade-proposal';
import { changelogBetween, readTemplateChangelog, upgradeRequestBody } from './upgrade-request-body';
import { SAMPLES_OUT_ENV } from '../projects/sample-renderings';
import { ExecResult } from '../util/exec';
import { git, GitOptions } from '../util/git';
import { runSteps, Step, timedProgress } from '../util/steps';
import { readUntrustedFile, writeUntrustedFile } from '../util/untrusted-file';

/** How to propose the upgrade of one repository. */
export interface ProposeUpgradeOptions {
  /** The repository's name, as the run knows it (the proposal says it). */
  readonly repository: string;
  /** What `git clone` takes: its URL, its local path, or a git bundle of its default branch. */
  readonly cloneUrl: string;
  readonly defaultBranch: string;
  /** Environment of the git commands that reach the clone's source (the host's read credentials). @default - none */
  readonly cloneEnv?: Record<string, string>;
  readonly target: UpgradeTarget;
  /** Where the repository's code runs (its install, synth and build). */
  readonly sandbox: RepositorySandbox;
  /** A folder of this process's own, outside the sandbox's working tree: the clone's git folder and the renderings go there. */
  readonly dir: string;
  /** Where the proposal is written (created). */
  readonly out: string;
  /** The run's packages, installed once for the whole fleet. @default - the repository installs its own */
  readonly store?: TemplateStore;
  /** Run the repository's own build (tests and synth) too. */
  readonly verify?: boolean;
  /** Each step's time limit. */
  readonly stepTimeoutMs: number;
  /** Called as each step starts. */
  readonly onStep?: (step: string) => void;
}

/** What is known of a proposal before it runs, and what the run learns that leaves steps with nothing to do. */
interface ProposeKnown {
  readonly options: Pick<ProposeUpgradeOptions, 'target' | 'verify'>;
  /** Whether the repository's default branch is at the target already (known once it is cloned). */
  readonly current?: boolean;
}

/** What the steps of one proposal share. */
interface ProposeRun extends ProposeKnown {
  readonly options: ProposeUpgradeOptions;
  readonly sandbox: RepositorySandbox;
  /** The clone's git folder, outside the working tree: its hooks and configuration are never the domain's. */
  readonly gitDir: string;
  /** Where the domain's synth writes what the template renders for each sample. */
  readonly renderings: string;
  /** git in the working tree, without credentials. */
  readonly git: (...args: string[]) => Promise<ExecResult>;
  /** git that may reach the clone's source (the partial clone fetches the contents it reads). */
  readonly gitSource: (...args: string[]) => Promise<ExecResult>;
  base?: string;
  from?: string;
  current?: boolean;
  samplesSection?: string;
  body?: string;
}

type ProposeStep = Step<ProposeRun, ProposeKnown>;

const toChange = (known: ProposeKnown, plan: string) => (known.current ? undefined : plan);

/**
 * The steps of a proposal, in order. Clone and diff are git's, run by this process without the
 * domain's code; bump, install, synth and verify change or run the domain's code, in its sandbox.
 */
export const PROPOSE_STEPS: ProposeStep[] = [
  {
    name: 'clone',
    plan: () => 'clone',
    run: async (run) => {
      const { options } = run;
      // Blobs come on demand from a host; a bundle or a local path gives them all.
      await run.gitSource('clone', '--quiet', '--filter=blob:none', '--separate-git-dir', run.gitDir, '--branch', options.defaultBranch, options.cloneUrl, run.sandbox.workTree);
      run.base = (await run.git('rev-parse', 'HEAD')).stdout.trim();
      run.from = currentTemplateVersion(run.sandbox.workTree);
      const cloned = `${options.defaultBranch} at ${run.from ?? 'an unknown version'}`;
      if (run.from === options.target.version) {
        run.current = true;
        return { status: 'done', detail: `${cloned}, the target` };
      }
      run.sandbox.handOver();
      return { status: 'done', detail: cloned };
    },
  },
  {
    name: 'bump',
    plan: (known) => toChange(known, `pin ${known.options.target.templateVersion} in .projenrc.ts`),
    run: async ({ sandbox, options }) => {
      const projenrc = readUntrustedFile(sandbox.workTree, '.projenrc.ts');
      if (projenrc === undefined) {
        throw new Error('.projenrc.ts is missing: this is not a repository projen generated from sdlf-mesh');
      }
      writeUntrustedFile(sandbox.workTree, '.projenrc.ts', setTemplateVersion(projenrc, options.target.templateVersion));
      return { status: 'done', detail: `templateVersion ${options.target.templateVersion}` };
    },
  },
  {
    name: 'install',
    plan: (known) => toChange(known, 'npm install'),
    run: async ({ sandbox, options }) => {
      const { store } = options;
      // A repository with the dependencies the store was made from gets npm's result without npm.
      const fromStore = store && (await store.linkInto(sandbox.workTree, sandbox.owner, sandbox.sharedPackages));
      if (fromStore && store.completeInstall(sandbox.workTree, sandbox.owner)) {
        return { status: 'done', detail: 'from the template store, without npm' };
      }
      await sandbox.run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', options.target.installSpec]);
      return { status: 'done', detail: 'npm install' };
    },
  },
  {
    name: 'synth',
    plan: (known) => toChange(known, 'npx projen'),
    run: async (run) => {
      const { sandbox, options } = run;
      await sandbox.run('npx', ['projen'], { env: { [SAMPLES_OUT_ENV]: run.renderings } });
      const oldFingerprints = await fingerprintsAt(run.gitSource, `origin/${options.defaultBranch}`);
      const changes = await sampleChanges(sandbox.workTree, run.renderings, oldFingerprints);
      run.samplesSection = sampleChangesSection(changes, { defaultBranch: options.defaultBranch, version: options.target.version });
      return { status: 'done', detail: 'npx projen' };
    },
  },
  {
    name: 'verify',
    plan: (known) => (known.options.verify ? toChange(known, 'npx projen build') : undefined),
    run: async ({ sandbox }) => {
      await sandbox.run('npx', ['projen', 'build']);
      return { status: 'done', detail: 'npx projen build' };
    },
  },
  {
    name: 'propose',
    plan: (known) => toChange(known, 'write the change as a patch'),
    run: async (run) => {
      const { options } = run;
      await run.git('add', '--all');
      run.body = await describeUpgrade(run, options.target.version);
      fs.mkdirSync(options.out, { recursive: true });
      // No program the repository could name (external diff, textconv) runs; binary files diff whole.
      // Written where the proposal keeps it: it counts only once proposal.json, written last, says so.
      const patch = path.join(options.out, PATCH_FILE);
      await run.git('diff', '--cached', '--binary', '--no-renames', '--no-ext-diff', '--no-textconv', `--output=${patch}`, run.base!);
      return { status: 'done', detail: `${fs.statSync(patch).size} bytes` };
    },
  },
];

/**
 * Proposes the upgrade of one repository: clone, pin the target in `.projenrc.ts`, install it,
 * run `npx projen` (and the build with `verify`), and write the change as data into `out`
 * (see {@link UpgradeProposal}). It holds no write credential and pushes nothing: the apply
 * phase does, after checking the proposal. A failure is written as a proposal too (its step and
 * reason), and returned.
 */
export async function proposeUpgrade(options: ProposeUpgradeOptions): Promise<UpgradeProposal> {
  const { sandbox, stepTimeoutMs: timeoutMs } = options;
  const gitDir = path.join(options.dir, 'git');
  const { workTree } = sandbox;
  const local: GitOptions = { cwd: options.dir, gitDir, workTree, safeDirectory: workTree, env: { CI: undefined }, timeoutMs };
  const source: GitOptions = { ...local, env: { ...options.cloneEnv, CI: undefined } };
  const run: ProposeRun = {
    options,
    sandbox,
    gitDir,
    renderings: path.join(sandbox.home, 'samples'),
    git: (...args) => git(local, ...args),
    gitSource: (...args) => git(args[0] === 'clone' ? { cwd: options.dir, env: source.env, timeoutMs } : source, ...args),
  };
  const { progress, seconds: stepSeconds } = timedProgress(options.onStep);
  const { failure } = await runSteps(PROPOSE_STEPS, run, {
    stepTimeoutMs: timeoutMs,
    progress,
    describeFailure: (error) => failureSummary(error as Error),
  });
  const common = { repository: options.repository, base: run.base ?? '0'.repeat(40), from: run.from, to: options.target.version, stepSeconds };
  const proposal: UpgradeProposal = failure
    ? { ...common, status: 'failed', step: failure.step.name, error: failure.reason }
    : run.current
      ? { ...common, status: 'current' }
      : { ...common, status: 'change', body: run.body };
  if (proposal.status !== 'change') {
    fs.rmSync(path.join(options.out, PATCH_FILE), { force: true });
  }
  writeProposal(options.out, proposal);
  return proposal;
}

/** The description of the upgrade request, from the files the upgrade changed (staged, against the base). */
async function describeUpgrade(run: ProposeRun, to: string): Promise<string> {
  const dir = run.sandbox.workTree;
  // No rename detection: it would read the contents, which the partial clone does not have.
  const changed = (await run.git('diff', '--name-only', '--no-renames', '--cached', run.base!)).stdout.split('\n').filter(Boolean);
  const owners = changedFilesByOwner(dir, changed);
  const changelog = readTemplateChangelog(dir);
  const humanSteps = owners.unowned.map((file) => `\`${file}\` changed although neither the template nor the upgrade owns it: check it`);
  if (run.samplesSection) {
    humanSteps.push('Take what you want from the template\'s new samples (below) into your files.');
  }
  return upgradeRequestBody({
    from: run.from,
    to,
    managedFiles: owners.managed,
    domainFiles: owners.domain,
    changelog: changelog && changelogBetween(changelog, run.from, to),
    humanSteps,
    samplesSection: run.samplesSection ?? '',
  });
}

/**
 * What failed, in a few lines: the failed command, the lines that say why (errors, the remote's
 * messages) and the last lines, without npm's warnings and stack frames that bury the cause.
 */
export function failureSummary(error: Error): string {
  const [first, ...rest] = error.message.split('\n');
  const meaningful = rest.map((line) => line.trimEnd()).filter((line) => line.trim() !== '' && !/^npm (warn|notice)\b/.test(line) && !/^\s+at /.test(line));
  const why = meaningful.filter((line) => /\b(error|fatal|failed|rejected|denied|refused)\b|^remote:/i.test(line)).slice(0, 6);
  return [first, ...new Set([...why, ...meaningful.slice(-3)])].join('\n');
}
