import * as fs from 'fs';
import * as path from 'path';
import { git, gitText, isAncestor, remoteBranches, remoteUrl } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';

/** Where {@link publishToLocalRemote} pushes. */
export interface LocalRemoteOptions {
  /** Folder of the bare repositories, one `<name>.git` each. */
  readonly remotesDir: string;
  /** Repository name. */
  readonly name: string;
  /** Branch to push. @default "main" */
  readonly branch?: string;
}

/** What {@link publishToLocalRemote} did. */
export interface LocalRemoteResult {
  /** The bare repository, as the `origin` URL. */
  readonly url: string;
  /** Whether the bare repository was created now (not found from an earlier run). */
  readonly created: boolean;
  /** Whether commits were pushed now (false when the remote branch already had them). */
  readonly pushed: boolean;
  /** The commit the remote branch holds. */
  readonly commit: string;
}

/**
 * Publishes a repository to a bare git repository on this machine, the stand-in for a hosted
 * remote when there is no token. Every step looks before it writes, so a re-run after a failure
 * completes the job and a second run changes nothing; a remote that holds unrelated history, or an
 * `origin` that points elsewhere, is refused rather than overwritten.
 */
export async function publishToLocalRemote(repoDir: string, options: LocalRemoteOptions): Promise<LocalRemoteResult> {
  const branch = options.branch ?? 'main';
  const bare = path.resolve(options.remotesDir, `${options.name}.git`);
  const commit = await gitText(repoDir, 'rev-parse', `refs/heads/${branch}`);
  const origin = await remoteUrl(repoDir, 'origin');
  if (origin !== undefined && path.resolve(repoDir, origin) !== bare) {
    throw new InvalidOptionError('remote', `${repoDir} already has origin ${origin}; remove it (git remote remove origin) or publish there yourself`);
  }

  const created = !fs.existsSync(bare);
  if (created) {
    fs.mkdirSync(path.dirname(bare), { recursive: true });
    await git(path.dirname(bare), 'init', '--quiet', '--bare', `--initial-branch=${branch}`, bare);
  }
  if (origin === undefined) {
    await git(repoDir, 'remote', 'add', 'origin', bare);
  }

  const remoteCommit = (await remoteBranches(repoDir, 'origin', `refs/heads/${branch}`)).get(branch);
  if (remoteCommit === commit) {
    return { url: bare, created, pushed: false, commit };
  }
  if (remoteCommit !== undefined) {
    await git(repoDir, 'fetch', '--quiet', 'origin', branch);
    if (!(await isAncestor(repoDir, remoteCommit, commit))) {
      throw new InvalidOptionError('remote', `${bare} holds a ${branch} branch with unrelated history; choose another name or remove that repository`);
    }
  }
  await git(repoDir, 'push', '--quiet', '--set-upstream', 'origin', `${branch}:${branch}`);
  return { url: bare, created, pushed: true, commit };
}
