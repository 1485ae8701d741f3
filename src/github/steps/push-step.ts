import * as fs from 'fs';
import { git, gitText, isAncestor, remoteUrl } from '../../util/git';
import { InvalidOptionError } from '../../util/invalid-option-error';
import { changed, StepOutcome, unchanged } from '../../util/steps';
import { listRemoteBranches, pushBranch } from '../git-over-https';
import { SetupContext } from '../setup-context';
import { SetupStep } from '../setup-step';

/** Where the generated commit goes in an adopted repository whose main holds other history. */
export const ADOPTION_BRANCH = 'sdlf-mesh/scaffold';

/**
 * Throws an {@link InvalidOptionError} when the local repository's `origin` names another
 * repository than the target, before anything is created: pushing there would be a mistake.
 */
export async function assertOriginIsTarget(repoDir: string, owner: string, name: string): Promise<void> {
  const origin = await readOrigin(repoDir);
  if (origin !== undefined && !namesRepository(origin, owner, name)) {
    throw new InvalidOptionError('github', `${repoDir} already has origin ${origin}; remove it (git remote remove origin) or give --github for that repository`);
  }
}

/**
 * Pushes the generated commit with the real `git push`. It looks first (`git ls-remote`): a main
 * that already holds the commit is left alone, one that holds an ancestor is fast-forwarded, and
 * a repository with unrelated history is refused unless adopted. The token goes to git through
 * its environment only (see `tokenHeaderEnv`), and `origin` is saved without it.
 */
export const pushStep: SetupStep = {
  name: 'push',
  permission: 'contents=write',
  honoursDryRun: true,
  plan: ({ branch, target }) =>
    `push ${branch} over git${target.adopt ? ` (to ${ADOPTION_BRANCH} when the repository's ${branch} holds other history)` : ''}`,
  async run(context) {
    const { branch, target } = context;
    const commit = await localCommit(context.repoDir, branch);
    if (commit === undefined) {
      // Only a dry run gets here without a repository: it did not generate one.
      context.logGit(`git push --set-upstream origin ${branch}`);
      return changed(context, `push the generated ${branch} to ${context.facts.cloneUrl}`);
    }
    const remote = await useOrigin(context);
    if (context.nothingToLookAt) {
      return push(context, remote, commit, branch);
    }
    context.logGit(`git ls-remote --heads ${context.facts.cloneUrl}`, { readOnly: true });
    const branches = await listRemoteBranches(context.repoDir, context.remote);
    const remoteCommit = branches.get(branch);
    context.branchOnRemote = remoteCommit !== undefined;
    if (remoteCommit === commit) {
      return unchanged(`${branch} is at ${commit.slice(0, 12)}`);
    }
    if (branches.size === 0 || (remoteCommit !== undefined && (await isAncestor(context.repoDir, remoteCommit, commit)))) {
      return push(context, remote, commit, branch);
    }
    const found = remoteCommit !== undefined ? `a ${branch} branch (${remoteCommit.slice(0, 12)}) with history unrelated to the generated repository` : `branches ${[...branches.keys()].join(', ')} but no ${branch}`;
    if (!target.adopt) {
      throw new InvalidOptionError(
        'github',
        `${target.owner}/${target.name} already holds ${found}; give another repository name, or --adopt to set up this repository ` +
          `for the domain (its content stays; the generated commit goes to branch ${ADOPTION_BRANCH} for a pull request)`,
      );
    }
    if (remoteCommit === undefined) {
      return push(context, remote, commit, branch);
    }
    if (branches.get(ADOPTION_BRANCH) === commit) {
      return unchanged(`adopted: ${branch} keeps its history; ${ADOPTION_BRANCH} is at ${commit.slice(0, 12)}`);
    }
    return push(context, remote, commit, ADOPTION_BRANCH);
  },
};

async function push(context: SetupContext, remote: string, commit: string, targetBranch: string): Promise<StepOutcome> {
  const { branch } = context;
  const setUpstream = remote === 'origin' && targetBranch === branch;
  context.logGit(`git push${setUpstream ? ' --set-upstream' : ''} ${remote === 'origin' ? 'origin' : context.facts.cloneUrl} ${branch}:${targetBranch}`);
  if (!context.dryRun) {
    await pushBranch(context.repoDir, context.remote, { remote, source: branch, target: targetBranch, setUpstream });
    context.pushedNow = true;
  }
  context.branchOnRemote ||= targetBranch === branch;
  const where = targetBranch === branch ? branch : `${targetBranch} (adopted: ${branch} keeps its history; open a pull request from ${targetBranch})`;
  return changed(context, `${where} at ${commit.slice(0, 12)}`);
}

/**
 * The remote to push to: `origin`, added with the repository's HTTPS URL (no credentials) when
 * missing; the URL itself when `origin` names the repository in another form (SSH), which is
 * kept as the user set it.
 */
async function useOrigin(context: SetupContext): Promise<string> {
  const url = context.facts.cloneUrl;
  const origin = await readOrigin(context.repoDir);
  if (origin === undefined) {
    context.logGit(`git remote add origin ${url}`);
    if (!context.dryRun) {
      await git(context.repoDir, 'remote', 'add', 'origin', url);
    }
    return 'origin';
  }
  return origin.replace(/\.git$/, '') === url.replace(/\.git$/, '') ? 'origin' : url;
}

async function localCommit(repoDir: string, branch: string): Promise<string | undefined> {
  if (!fs.existsSync(repoDir)) {
    return undefined;
  }
  return gitText(repoDir, 'rev-parse', '--verify', `refs/heads/${branch}`);
}

async function readOrigin(repoDir: string): Promise<string | undefined> {
  if (!fs.existsSync(repoDir)) {
    return undefined;
  }
  return remoteUrl(repoDir, 'origin');
}

/** Whether a remote URL (HTTPS or SSH) names `owner/name`. */
function namesRepository(url: string, owner: string, name: string): boolean {
  const path = url.replace(/\.git$/, '').replace(/\/$/, '').toLowerCase();
  const wanted = `${owner}/${name}`.toLowerCase();
  return path.endsWith(`/${wanted}`) || path.endsWith(`:${wanted}`);
}
