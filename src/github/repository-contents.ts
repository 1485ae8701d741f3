import { GitHubApi } from './github-api';
import { isStatus } from './setup-context';

/** What the contents API answers for one path: a file, a symbolic link it did not follow, a folder or a submodule. */
export interface RepositoryEntry {
  /** `file`, `symlink`, `dir` or `submodule`. */
  readonly type: string;
  /** The path of what was read: another path than the one asked for when GitHub followed a symbolic link. */
  readonly path: string;
  readonly size: number;
  /** The bytes; undefined for a symbolic link, and for a file over 1 MB, which GitHub sends without them. */
  readonly content?: Buffer;
}

/**
 * One path of a repository at a branch or commit, read through the contents API without a clone;
 * `undefined` when there is no such file there. GitHub follows a symbolic link to a file of the
 * repository and answers with that file, so a caller that must not follow links compares
 * {@link RepositoryEntry.path} with the path it asked for.
 */
export async function readRepositoryEntry(api: GitHubApi, fullName: string, ref: string, file: string): Promise<RepositoryEntry | undefined> {
  const [owner, repo] = fullName.split('/');
  const data = await api
    .send<{ type?: string; path?: string; size?: number; encoding?: string; content?: string } | unknown[]>(
      'GET /repos/{owner}/{repo}/contents/{path}',
      { owner, repo, path: file, ref },
      'contents=read',
    )
    .catch((error) => (isStatus(error, 404) ? undefined : Promise.reject(error)));
  if (data === undefined) {
    return undefined;
  }
  if (Array.isArray(data)) {
    return { type: 'dir', path: file, size: 0 };
  }
  return {
    type: data.type ?? 'file',
    path: data.path ?? file,
    size: data.size ?? 0,
    content: data.type === 'file' && data.encoding === 'base64' ? Buffer.from(data.content ?? '', 'base64') : undefined,
  };
}

/**
 * A file of a repository at a branch or commit, read through the contents API without a clone;
 * `undefined` when there is no such file there.
 */
export async function readRepositoryFile(api: GitHubApi, fullName: string, ref: string, file: string): Promise<string | undefined> {
  const entry = await readRepositoryEntry(api, fullName, ref, file);
  if (entry === undefined || entry.type !== 'file') {
    return undefined;
  }
  if (entry.content === undefined) {
    // GitHub sends no content for files over 1 MB; manifests are far smaller.
    throw new Error(`${fullName}: ${file} at ${ref} is over 1 MB, too large for the contents API`);
  }
  return entry.content.toString('utf8');
}

/** The entries of a folder of a repository at a branch or commit; `undefined` when there is no such folder. */
export async function listRepositoryFolder(
  api: GitHubApi,
  fullName: string,
  ref: string,
  folder: string,
): Promise<Array<{ type: string; path: string; size: number }> | undefined> {
  const [owner, repo] = fullName.split('/');
  const data = await api
    .send<Array<{ type: string; path: string; size: number }> | { type: string }>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path: folder, ref }, 'contents=read')
    .catch((error) => (isStatus(error, 404) ? undefined : Promise.reject(error)));
  return Array.isArray(data) ? data : undefined;
}
