import { GitHubApi } from './github-api';
import { isStatus } from './setup-context';

/**
 * A file of a repository at a branch or commit, read through the contents API without a clone;
 * `undefined` when there is no such file there.
 */
export async function readRepositoryFile(api: GitHubApi, fullName: string, ref: string, file: string): Promise<string | undefined> {
  const [owner, repo] = fullName.split('/');
  const data = await api
    .send<{ type?: string; encoding?: string; content?: string } | unknown[]>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path: file, ref }, 'contents=read')
    .catch((error) => (isStatus(error, 404) ? undefined : Promise.reject(error)));
  if (data === undefined || Array.isArray(data) || data.type !== 'file') {
    return undefined;
  }
  if (data.encoding !== 'base64') {
    // GitHub sends no content for files over 1 MB; contracts and manifests are far smaller.
    throw new Error(`${fullName}: ${file} at ${ref} is over 1 MB, too large for the contents API`);
  }
  return Buffer.from(data.content ?? '', 'base64').toString('utf8');
}

/** The entries of a folder of a repository at a branch or commit; `undefined` when there is no such folder. */
export async function listRepositoryFolder(
  api: GitHubApi,
  fullName: string,
  ref: string,
  folder: string,
): Promise<Array<{ type: string; path: string }> | undefined> {
  const [owner, repo] = fullName.split('/');
  const data = await api
    .send<Array<{ type: string; path: string }> | { type: string }>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path: folder, ref }, 'contents=read')
    .catch((error) => (isStatus(error, 404) ? undefined : Promise.reject(error)));
  return Array.isArray(data) ? data : undefined;
}
