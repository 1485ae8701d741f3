import { CommandFailedError } from '../util/exec';
import { git, GitOptions, remoteBranches } from '../util/git';

/** A git operation against a repository on GitHub, authenticated with a token. */
export interface GitRemoteAccess {
  /** The repository's HTTPS URL, without credentials (the `clone_url` GitHub gives). */
  readonly url: string;
  readonly token: string;
}

/** How long to wait before each retry of a git operation that failed on the way. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
// What git prints when the server was not ready or the connection broke, as opposed to a refusal.
const TRANSIENT = /not found|\b404\b|\b5\d\d\b|unexpected disconnect|early EOF|connection (was )?reset|reset by peer|empty reply|timed out|RPC failed|could not read from remote/i;

/**
 * The environment that makes git send the token as an `Authorization` header to the repository's
 * host, and to no other. It goes through `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`,
 * so the token is never on a command line (where `ps` shows it), never in `.git/config` and never
 * in a remote URL; credential helpers and prompts are switched off so git neither stores it nor
 * asks for another.
 */
export function tokenHeaderEnv(access: GitRemoteAccess): Record<string, string> {
  const origin = new URL(access.url).origin;
  const basic = Buffer.from(`x-access-token:${access.token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`,
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    GIT_CONFIG_KEY_1: 'credential.helper',
    GIT_CONFIG_VALUE_1: '',
    GIT_TERMINAL_PROMPT: '0',
  };
}

/** git in `repoDir` with the token for the remote repository. */
function withToken(repoDir: string, access: GitRemoteAccess): GitOptions {
  return { cwd: repoDir, env: tokenHeaderEnv(access) };
}

/** The branches of the remote repository: name → commit. An empty repository has none. */
export async function listRemoteBranches(repoDir: string, access: GitRemoteAccess): Promise<Map<string, string>> {
  return withRetries(() => remoteBranches(withToken(repoDir, access), access.url));
}

/**
 * Fetches the last commit of each of `branches` from the remote repository into the local
 * branches of the same name (`repoDir` may be a bare repository made for the purpose): enough to
 * read their files and commit on top of them.
 */
export async function fetchBranches(repoDir: string, access: GitRemoteAccess, branches: string[]): Promise<void> {
  const refspecs = branches.map((branch) => `+refs/heads/${branch}:refs/heads/${branch}`);
  await withRetries(() => git(withToken(repoDir, access), 'fetch', '--quiet', '--depth', '1', access.url, ...refspecs));
}

/** What {@link pushBranch} pushes where. */
export interface PushOptions {
  /** The remote to push to: `origin`, or the repository's URL when `origin` has another form (SSH). */
  readonly remote: string;
  /** The local branch. */
  readonly source: string;
  /** The remote branch. */
  readonly target: string;
  /** Make `target` on `remote` the upstream of `source` (git pull and status then work). */
  readonly setUpstream: boolean;
}

/**
 * Pushes a local branch with the real `git push` over HTTPS. A push that fails on the way (the
 * repository not visible yet right after it was created, a 5xx, a broken connection) is sent
 * again a few times; a refusal is not.
 */
export async function pushBranch(repoDir: string, access: GitRemoteAccess, options: PushOptions): Promise<void> {
  const args = ['push', '--quiet', ...(options.setUpstream ? ['--set-upstream'] : []), options.remote, `refs/heads/${options.source}:refs/heads/${options.target}`];
  await withRetries(() => git(withToken(repoDir, access), ...args));
}

async function withRetries<T>(operation: () => Promise<T>): Promise<T> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof CommandFailedError) || !TRANSIENT.test(error.output)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return operation();
}
