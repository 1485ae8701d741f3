import * as fs from 'fs';
import * as path from 'path';
import { FleetHost, FleetRepository, UpgradeRequest } from './fleet-host';
import { failureSummary } from './propose-upgrade';
import { templateVersionInManifest } from './template-version';
import { CheckedProposal, ProposalRejectedError, readProposal } from './upgrade-proposal';
import { upgradeRequestTitle } from './upgrade-request-body';
import { fallbackIdentity, fileAt, git, GitOptions, gitText, isAncestor } from '../util/git';
import { planSteps, runSteps, Step, timedProgress, unchanged } from '../util/steps';

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

/** The branch an upgrade to `version` is pushed to: one per target version, so a re-run finds it. */
export function upgradeBranch(version: string): string {
  return `sdlf-mesh/upgrade-${version}`;
}

/** How to apply the proposal of one repository. */
export interface ApplyProposalOptions {
  readonly host: FleetHost;
  /** The target version: the proposal must be one for it. */
  readonly to: string;
  /** The proposal's folder, as its propose job or worker left it. */
  readonly proposalDir: string;
  /** A folder of this process's own (removed when it is done, unless it is the caller's `gitDir`'s). */
  readonly dir: string;
  /**
   * A git folder that has the repository's default branch as `origin/<branch>`, with `origin` its
   * remote (the clone the proposal was made from, on one machine).
   * @default - the default branch is fetched into a git folder of its own, without contents
   */
  readonly gitDir?: string;
  /** The base the proposal must be made on (known when the same run cloned it). @default - any commit of the default branch's history */
  readonly base?: string;
  readonly draft?: boolean;
  readonly labels?: string[];
  /** Each step's time limit. */
  readonly stepTimeoutMs: number;
  /** Called as each step starts. */
  readonly onStep?: (step: string) => void;
}

/** What the steps of one apply share. */
interface ApplyRun extends ApplyKnown {
  readonly repository: FleetRepository;
  readonly options: ApplyProposalOptions;
  readonly branch: string;
  /** git in the apply's git folder, without credentials. */
  readonly local: GitOptions;
  /** git with the host's credentials: what reaches the remote (and the contents a partial clone fetches when read). */
  readonly remote: GitOptions;
  /** The index the commit is built in: the apply's own, never a working tree's. */
  readonly indexed: GitOptions;
  checked?: CheckedProposal;
  from?: string;
  current?: boolean;
  nothingToApply?: boolean;
  commit?: string;
  request?: UpgradeRequest;
}

/** What is known of an apply before it runs. */
interface ApplyKnown {
  readonly to: string;
  /**
   * Whether there is nothing to apply, known once the proposal is checked: the default branch is
   * at the target already, or the proposal is of a failure.
   */
  readonly nothingToApply?: boolean;
}

type ApplyStep = Step<ApplyRun, ApplyKnown>;

const toCommit = (known: ApplyKnown, plan: string) => (known.nothingToApply ? undefined : plan);

/**
 * The steps of an apply, in order. None runs the repository's code: its files are read as data
 * (the base's package.json) and the patch is applied to git's index, not to a working tree.
 */
export const APPLY_STEPS: ApplyStep[] = [
  {
    name: 'check',
    plan: () => 'check the proposal',
    run: async (run) => {
      const { options, repository } = run;
      const checked = readProposal(options.proposalDir, { repository: repository.name, to: options.to });
      const { proposal } = checked;
      run.checked = checked;
      if (proposal.status === 'failed') {
        run.nothingToApply = true;
        return { status: 'done', detail: `its propose phase failed at ${proposal.step ?? 'a step'}` };
      }
      if (options.base !== undefined && proposal.base !== options.base) {
        throw new ProposalRejectedError(`its base ${proposal.base} is not ${options.base}, the commit it was to be made on`);
      }
      if (!options.gitDir) {
        await git(run.local, 'init', '--quiet', '--bare');
        await git(run.local, 'remote', 'add', 'origin', repository.cloneUrl);
        const ref = `refs/heads/${repository.defaultBranch}`;
        await git(run.remote, 'fetch', '--quiet', '--no-tags', '--filter=blob:none', 'origin', `+${ref}:refs/remotes/origin/${repository.defaultBranch}`);
      }
      if (!(await isAncestor(run.local, proposal.base, `origin/${repository.defaultBranch}`))) {
        throw new ProposalRejectedError(`its base ${proposal.base} is not in the history of ${repository.defaultBranch}`);
      }
      // The version the base is at is read here, never taken from the proposal.
      const manifest = await fileAt(run.remote, proposal.base, 'package.json');
      run.from = manifest === undefined ? undefined : versionInManifest(manifest);
      run.current = run.from === options.to;
      run.nothingToApply = run.current;
      if (!run.current && proposal.status === 'current') {
        throw new ProposalRejectedError(`it says the repository is at ${options.to}, but its base is at ${run.from ?? 'an unknown version'}`);
      }
      return { status: 'done', detail: run.current ? `${repository.defaultBranch} is at ${options.to}` : `a change on ${proposal.base.slice(0, 12)}` };
    },
  },
  {
    name: 'commit',
    plan: (known) => toCommit(known, `commit on ${upgradeBranch(known.to)}`),
    run: async (run) => {
      const { proposal, patchFile } = run.checked!;
      // Built in an index of the apply's own, from the base and the patch: git apply refuses paths
      // outside the tree and into .git, and nothing is checked out.
      await git(run.indexed, 'read-tree', proposal.base);
      if (fs.statSync(patchFile!).size === 0) {
        throw new ProposalRejectedError('its patch changes nothing');
      }
      await git(run.indexed, 'apply', '--cached', '--binary', '--whitespace=nowarn', path.resolve(patchFile!)).catch((error: Error) => {
        const why = error.message.split('\n').filter((line) => /^(error|fatal):/.test(line)).slice(0, 3).join('; ');
        throw new ProposalRejectedError(`its patch does not apply to its base: ${why || failureSummary(error)}`);
      });
      const tree = await gitText(run.indexed, 'write-tree');
      if (tree === (await gitText(run.local, 'rev-parse', `${proposal.base}^{tree}`))) {
        throw new ProposalRejectedError('its patch changes nothing');
      }
      // In the name of the machine's git identity, else of sdlf-mesh; never the proposal's.
      const identity = await fallbackIdentity(run.local);
      const message = ['-m', upgradeRequestTitle(run.options.to), '-m', proposal.body!];
      run.commit = await gitText({ ...run.local, env: { ...run.local.env, ...identity } }, 'commit-tree', tree, '-p', proposal.base, ...message);
      return { status: 'done', detail: `${run.commit.slice(0, 12)} on ${run.branch}` };
    },
  },
  {
    name: 'push',
    plan: (known) => toCommit(known, `push ${upgradeBranch(known.to)}`),
    run: async (run) => {
      // Anyone who can push to the repository can push the branch, so what it holds is never
      // taken for the upgrade: it is the platform's only when it holds the commit this run made
      // (made again, but for its dates); else it is replaced, a domain's commit or an earlier
      // run's half-done branch alike. A re-run of a pushed upgrade pushes nothing.
      const held = (await git(run.remote, 'ls-remote', '--heads', 'origin', `refs/heads/${run.branch}`)).stdout.split(/\s/)[0];
      if (held && (await holdsUpgradeCommit(run, held))) {
        return unchanged(`${run.branch} holds this upgrade commit already`);
      }
      await git(run.remote, 'push', '--quiet', '--no-verify', '--force', 'origin', `${run.commit}:refs/heads/${run.branch}`);
      return { status: 'done', detail: held ? `${run.branch}, over the ${held.slice(0, 12)} it held` : run.branch };
    },
  },
  {
    name: 'request',
    plan: (known) => toCommit(known, 'open or update its upgrade request'),
    run: async (run) => {
      // The request's description is the message of the upgrade commit as git keeps it (trimmed),
      // so the run that made the commit and any re-run send the same text.
      const body = await gitText(run.local, 'log', '-1', '--format=%b', run.commit!);
      const { options, branch } = run;
      const content = { branch, title: upgradeRequestTitle(options.to), body, draft: options.draft, labels: options.labels };
      run.request = await options.host.openOrUpdateUpgradeRequest(run.repository, content);
      return { status: 'done', detail: `${run.request.url} (${run.request.created ? 'opened' : 'updated'})` };
    },
  },
];

/**
 * Applies the proposal of one repository with the host's write credentials: checks it (its
 * repository and target, its limits, a base in the default branch's history, a patch that
 * applies to it), builds the upgrade commit from the base and the patch, pushes it to the
 * upgrade branch over whatever the branch holds, and opens the upgrade request or updates the
 * open one. It never runs the repository's code: no install, no script, no hook, no projen task.
 *
 * It looks before it writes, so running it again with the same proposal pushes nothing and
 * opens nothing. A failure, the proposal's own included, is returned, not thrown.
 */
export async function applyProposal(repository: FleetRepository, options: ApplyProposalOptions): Promise<RepositoryUpgrade> {
  const to = options.to;
  const timeoutMs = options.stepTimeoutMs;
  fs.mkdirSync(options.dir, { recursive: true });
  const gitDir = options.gitDir ?? path.join(options.dir, 'apply.git');
  const local: GitOptions = { cwd: options.dir, gitDir, env: { CI: undefined }, timeoutMs };
  const remote: GitOptions = { ...local, env: { ...options.host.gitEnvironment(), CI: undefined } };
  const run: ApplyRun = {
    to,
    repository,
    options,
    branch: upgradeBranch(to),
    local,
    remote,
    indexed: { ...remote, env: { ...remote.env, GIT_INDEX_FILE: path.join(options.dir, 'apply.index') } },
  };
  const { progress, seconds: stepSeconds } = timedProgress(options.onStep);
  const { failure } = await runSteps(APPLY_STEPS, run, {
    stepTimeoutMs: timeoutMs,
    progress,
    describeFailure: (error) => (error instanceof ProposalRejectedError ? `the proposal is refused: ${error.message}` : failureSummary(error as Error)),
  }).finally(() => {
    if (!options.gitDir) {
      fs.rmSync(gitDir, { recursive: true, force: true });
    }
    fs.rmSync(path.join(options.dir, 'apply.index'), { force: true });
  });
  const proposal = run.checked?.proposal;
  const seconds = { ...proposal?.stepSeconds, ...stepSeconds };
  const from = run.from ?? proposal?.from;
  if (failure) {
    return { repository: repository.name, status: 'failed', from, to, step: failure.step.name, error: failure.reason, stepSeconds: seconds };
  }
  if (proposal?.status === 'failed') {
    return { repository: repository.name, status: 'failed', from, to, step: proposal.step, error: proposal.error, stepSeconds: seconds };
  }
  if (run.current) {
    return { repository: repository.name, from, to, status: 'current', stepSeconds: seconds };
  }
  const { branch, request } = run;
  return { repository: repository.name, from, to, status: 'upgraded', branch, requestUrl: request?.url, requestCreated: request?.created, stepSeconds: seconds };
}

/** What an apply would do, step by step, for `--dry-run`. */
export function applyPlan(to: string): string[] {
  return planSteps(APPLY_STEPS, { to }).map(({ detail }) => detail);
}

/** The template version of a base's package.json; undefined when it is not one this can read. */
function versionInManifest(manifest: string): string | undefined {
  try {
    return templateVersionInManifest(manifest);
  } catch {
    return undefined;
  }
}

/** Whether the remote's upgrade branch, at `held`, is the commit this run made, but for its dates. */
async function holdsUpgradeCommit(run: ApplyRun, held: string): Promise<boolean> {
  await git(run.remote, 'fetch', '--quiet', '--no-tags', '--filter=blob:none', 'origin', `+refs/heads/${run.branch}:refs/remotes/origin/${run.branch}`);
  const [made, found] = await Promise.all([git(run.local, 'cat-file', 'commit', run.commit!), git(run.local, 'cat-file', 'commit', held)]);
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
