import * as fs from 'fs';
import * as path from 'path';
import { DomainSandbox, RepositorySandbox } from './domain-sandbox';
import { changedFilesByOwner } from './file-owners';
import { FleetHost, FleetRepository, UpgradeRequest } from './fleet-host';
import { fingerprintsAt, sampleChanges, sampleChangesSection } from './sample-changes';
import { TemplateStore } from './template-store';
import { currentTemplateVersion, setTemplateVersion, UpgradeTarget } from './template-version';
import { changelogBetween, readTemplateChangelog, upgradeRequestBody, upgradeRequestTitle } from './upgrade-request-body';
import { SAMPLES_OUT_ENV } from '../projects/sample-renderings';
import { ExecResult } from '../util/exec';
import { fallbackIdentity, git, GitOptions } from '../util/git';
import { planSteps, runSteps, Step, unchanged } from '../util/steps';
import { readUntrustedFile, writeUntrustedFile } from '../util/untrusted-file';

/** What became of one repository. */
export type UpgradeStatus = 'upgraded' | 'current' | 'archived' | 'failed';

/** One row of the upgrade report. */
export interface RepositoryUpgrade {
  readonly repository: string;
  readonly status: UpgradeStatus;
  /** The template version it was at. */
  readonly from?: string;
  readonly to: string;
  /** The upgrade branch. */
  readonly branch?: string;
  /** The upgrade request (pull request) a reviewer merges. */
  readonly requestUrl?: string;
  /** Whether the request was opened by this run (false: the open one was updated). */
  readonly requestCreated?: boolean;
  /** Why it failed, and in which step. */
  readonly error?: string;
  readonly step?: string;
  /** How long each step took, in seconds, in the order they ran. */
  readonly stepSeconds?: Record<string, number>;
}

/** How to upgrade a repository. */
export interface UpgradeRepositoryOptions {
  readonly host: FleetHost;
  readonly target: UpgradeTarget;
  /** A folder of this run's scratch space (one sub-folder a repository, removed when it is done). */
  readonly workDir: string;
  /** Where the domain's code runs (its install, synth and build). */
  readonly sandbox: DomainSandbox;
  /**
   * The run's packages, installed once for the whole fleet.
   * @default - the repository installs its dependencies on its own
   */
  readonly store?: TemplateStore;
  /** Run the repository's own build (tests and synth) before pushing. */
  readonly verify?: boolean;
  readonly draft?: boolean;
  readonly labels?: string[];
  /** Called as each step starts. */
  readonly onStep?: (step: string) => void;
}

/** The branch an upgrade to `version` is pushed to: one per target version, so a re-run finds it. */
export function upgradeBranch(version: string): string {
  return `sdlf-mesh/upgrade-${version}`;
}

/**
 * What is known of a repository's upgrade before it runs, and what the run learns that leaves
 * steps with nothing to do: all a step's plan reads.
 */
interface UpgradeKnown {
  readonly options: Pick<UpgradeRepositoryOptions, 'target' | 'verify'>;
  /** Whether the repository's default branch is at the target already (known once it is cloned). */
  readonly current?: boolean;
}

/** What the steps of one repository's upgrade share. */
interface UpgradeRun extends UpgradeKnown {
  readonly repository: FleetRepository;
  readonly options: UpgradeRepositoryOptions;
  readonly sandbox: RepositorySandbox;
  /** The platform's git folder of the clone, outside the working tree. */
  readonly gitDir: string;
  readonly branch: string;
  /** Where the domain's synth writes what the template renders for each sample. */
  readonly renderings: string;
  /** git in the working tree, without credentials: for what stays on this machine. */
  readonly git: (...args: string[]) => Promise<ExecResult>;
  /**
   * git with the host's credentials: for what reaches the remote (clone, fetch, push, and reading
   * the remote's files, whose contents the partial clone fetches when they are read).
   */
  readonly gitRemote: (...args: string[]) => Promise<ExecResult>;
  from?: string;
  current?: boolean;
  samplesSection?: string;
  /** The upgrade request, once it is opened or updated. */
  request?: UpgradeRequest;
}

/** One step of an upgrade: named (the report and the progress say where a repository is), with what it does. */
type UpgradeStep = Step<UpgradeRun, UpgradeKnown>;

/**
 * The plan of a step that makes or pushes the upgrade commit: nothing to do when the repository
 * is at the target already. What the upgrade branch holds does not count: the upgrade is always
 * made again, and the branch is its own only when it holds that very commit (see the push step).
 */
const toCommit = (known: UpgradeKnown, plan: string) => (known.current ? undefined : plan);

/**
 * The steps of an upgrade, in order. The platform's own steps (clone, commit, push, request) run
 * in this process with the host's credentials where git reaches the remote; the domain's steps
 * (install, synth, verify) run in the repository's sandbox with none.
 */
const UPGRADE_STEPS: UpgradeStep[] = [
  {
    name: 'clone',
    plan: () => 'clone',
    run: async (run) => {
      const { repository, options } = run;
      // The git folder is the platform's, outside the working tree the domain's code may change:
      // its hooks and configuration are never the domain's. Blobs come on demand.
      await run.gitRemote('clone', '--quiet', '--filter=blob:none', '--separate-git-dir', run.gitDir, '--branch', repository.defaultBranch, repository.cloneUrl, run.sandbox.workTree);
      run.from = currentTemplateVersion(run.sandbox.workTree);
      const cloned = `${repository.defaultBranch} at ${run.from ?? 'an unknown version'}`;
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
    plan: (known) => toCommit(known, `pin ${known.options.target.templateVersion} in .projenrc.ts`),
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
    plan: (known) => toCommit(known, 'npm install'),
    run: async ({ sandbox, options }) => {
      const { store } = options;
      // A repository with the dependencies the store was made from gets npm's result without npm.
      if (store && (await store.linkInto(sandbox.workTree, sandbox.owner)) && store.completeInstall(sandbox.workTree, sandbox.owner)) {
        return { status: 'done', detail: 'from the template store, without npm' };
      }
      await sandbox.run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', options.target.installSpec]);
      return { status: 'done', detail: 'npm install' };
    },
  },
  {
    name: 'synth',
    plan: (known) => toCommit(known, 'npx projen'),
    run: async (run) => {
      const { sandbox, repository } = run;
      await sandbox.run('npx', ['projen'], { env: { [SAMPLES_OUT_ENV]: run.renderings } });
      const oldFingerprints = await fingerprintsAt(run.gitRemote, `origin/${repository.defaultBranch}`);
      const changes = await sampleChanges(sandbox.workTree, run.renderings, oldFingerprints);
      run.samplesSection = sampleChangesSection(changes, { defaultBranch: repository.defaultBranch, version: run.options.target.version });
      return { status: 'done', detail: 'npx projen' };
    },
  },
  {
    name: 'verify',
    plan: (known) => (known.options.verify ? toCommit(known, 'npx projen build') : undefined),
    run: async ({ sandbox }) => {
      await sandbox.run('npx', ['projen', 'build']);
      return { status: 'done', detail: 'npx projen build' };
    },
  },
  {
    name: 'commit',
    plan: (known) => toCommit(known, `commit on ${upgradeBranch(known.options.target.version)}`),
    run: async (run) => {
      const { repository, options } = run;
      await run.git('checkout', '--quiet', '-B', run.branch);
      await run.git('add', '--all');
      // Described before the commit, and kept in its message, so a re-run opens the same request.
      const facts = await describeUpgrade(run, ['--cached', `origin/${repository.defaultBranch}`], options.target.version);
      await run.git('commit', '--quiet', '--no-verify', '-m', facts.title, '-m', facts.body);
      return { status: 'done', detail: `on ${run.branch}` };
    },
  },
  {
    name: 'push',
    plan: (known) => toCommit(known, `push ${upgradeBranch(known.options.target.version)}`),
    run: async (run) => {
      // Anyone who can push to the repository can push the branch, so what it holds is never
      // taken for the upgrade: it is the platform's only when it holds the commit this run made
      // (made again, but for its dates); else it is replaced, a domain's commit or an earlier
      // run's half-done branch alike. A re-run of a pushed upgrade pushes nothing.
      const held = (await run.gitRemote('ls-remote', '--heads', 'origin', `refs/heads/${run.branch}`)).stdout.split(/\s/)[0];
      if (held && (await holdsUpgradeCommit(run, held))) {
        return unchanged(`${run.branch} holds this upgrade commit already`);
      }
      await run.gitRemote('push', '--quiet', '--no-verify', '--force', 'origin', `HEAD:refs/heads/${run.branch}`);
      return { status: 'done', detail: held ? `${run.branch}, over the ${held.slice(0, 12)} it held` : run.branch };
    },
  },
  {
    name: 'request',
    plan: (known) => (known.current ? undefined : 'open or update its upgrade request'),
    run: async (run) => {
      // The request's description is the message of the upgrade commit as git keeps it (trimmed),
      // so the run that made the commit and any re-run send the same text.
      const body = (await run.git('log', '-1', '--format=%b', 'HEAD')).stdout.trim();
      const { options, branch } = run;
      const content = { branch, title: upgradeRequestTitle(options.target.version), body, draft: options.draft, labels: options.labels };
      run.request = await options.host.openOrUpdateUpgradeRequest(run.repository, content);
      return { status: 'done', detail: `${run.request.url} (${run.request.created ? 'opened' : 'updated'})` };
    },
  },
];

/** What an upgrade would do to a repository, step by step, for `--dry-run`. */
export function upgradePlan(target: UpgradeTarget, options: { verify?: boolean } = {}): string {
  return planSteps(UPGRADE_STEPS, { options: { target, verify: options.verify } }).map(({ detail }) => detail).join(', ');
}

/**
 * Upgrades one domain repository: clone, read its template version, pin the target in
 * `.projenrc.ts`, install it, run `npx projen` (and the build with `verify`), commit on the
 * target's branch, push it with git, and open the upgrade request or update the open one.
 *
 * It looks before it writes, so running it again finishes an interrupted run: a repository at
 * the target is `current`; a branch that holds the commit the upgrade makes is not pushed again,
 * and any other content of the branch is replaced.
 * A failure is returned, with its step, not thrown: the fleet goes on.
 */
export async function upgradeRepository(repository: FleetRepository, options: UpgradeRepositoryOptions): Promise<RepositoryUpgrade> {
  const to = options.target.version;
  if (repository.archived) {
    return { repository: repository.name, status: 'archived', to };
  }
  const dir = path.join(options.workDir, repository.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  fs.rmSync(dir, { recursive: true, force: true });
  const sandbox = options.sandbox.forRepository(dir);
  const remoteEnv = options.host.gitEnvironment();
  const timeoutMs = options.sandbox.stepTimeoutMs;
  // The platform's git folder, apart from the working tree; git runs none of the repository's
  // hooks (see util/git) and trusts the working tree the domain's user owns.
  const gitDir = path.join(dir, 'git');
  // Its commit is made in the name of sdlf-mesh when this machine's git has no identity.
  const identity = await fallbackIdentity(dir);
  const local: GitOptions = {
    cwd: dir, gitDir, workTree: sandbox.workTree, safeDirectory: sandbox.workTree, env: { ...identity, CI: undefined }, timeoutMs,
  };
  const remote: GitOptions = { ...local, env: { ...remoteEnv, CI: undefined } };
  const run: UpgradeRun = {
    repository,
    options,
    sandbox,
    gitDir,
    branch: upgradeBranch(to),
    renderings: path.join(sandbox.home, 'samples'),
    git: (...args) => git(local, ...args),
    gitRemote: (...args) => git(args[0] === 'clone' ? { cwd: dir, env: remote.env, timeoutMs } : remote, ...args),
  };
  const stepSeconds: Record<string, number> = {};
  const { failure } = await runSteps(UPGRADE_STEPS, run, {
    stepTimeoutMs: timeoutMs,
    progress: (event) => {
      if (event.state === 'started') {
        options.onStep?.(event.step);
      } else {
        stepSeconds[event.step] = event.elapsedMs / 1000;
      }
    },
    describeFailure: (error) => failureSummary(error as Error),
  }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  const { from, branch, request } = run;
  if (failure) {
    return { repository: repository.name, status: 'failed', from, to, step: failure.step.name, error: failure.reason, stepSeconds };
  }
  if (run.current) {
    return { repository: repository.name, from, to, status: 'current', stepSeconds };
  }
  return { repository: repository.name, from, to, status: 'upgraded', branch, requestUrl: request?.url, requestCreated: request?.created, stepSeconds };
}

/** Whether the remote's upgrade branch, at `held`, is the commit this run made (HEAD), but for its dates. */
async function holdsUpgradeCommit(run: UpgradeRun, held: string): Promise<boolean> {
  await run.gitRemote('fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${run.branch}:refs/remotes/origin/${run.branch}`);
  const [made, found] = await Promise.all([run.git('cat-file', 'commit', 'HEAD'), run.git('cat-file', 'commit', held)]);
  return sameCommitButDates(made.stdout, found.stdout);
}

/**
 * Whether two commit objects (as `git cat-file commit` prints them) are the same commit made at
 * other times: the same tree, parents, author and committer, message, and no header the other
 * lacks (a signature, an encoding). Nothing a domain wrote in the branch's commit then remains in
 * the upgrade: its content is what the platform computed, to the byte.
 */
export function sameCommitButDates(made: string, held: string): boolean {
  // `author|committer <name> <<email>> <seconds> <zone>`: the time is all that differs.
  const withoutDates = (commit: string) => commit.replace(/^(author|committer) (.*>) \d+ [+-]\d{4}$/gm, '$1 $2');
  return withoutDates(made) === withoutDates(held);
}

/** The title and body of the request, from the files the upgrade changed (`diff`: what `git diff --name-only` compares). */
async function describeUpgrade(run: UpgradeRun, diff: string[], to: string) {
  const dir = run.sandbox.workTree;
  // No rename detection: it would read the contents, which the partial clone does not have.
  const changed = (await run.git('diff', '--name-only', '--no-renames', ...diff)).stdout.split('\n').filter(Boolean);
  const owners = changedFilesByOwner(dir, changed);
  const changelog = readTemplateChangelog(dir);
  const humanSteps = owners.unowned.map((file) => `\`${file}\` changed although neither the template nor the upgrade owns it: check it`);
  if (run.samplesSection) {
    humanSteps.push('Take what you want from the template\'s new samples (below) into your files.');
  }
  return {
    title: upgradeRequestTitle(to),
    body: upgradeRequestBody({
      from: run.from,
      to,
      managedFiles: owners.managed,
      domainFiles: owners.domain,
      changelog: changelog && changelogBetween(changelog, run.from, to),
      humanSteps,
      samplesSection: run.samplesSection ?? '',
    }),
  };
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
