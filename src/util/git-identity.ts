import { exec } from './exec';

/**
 * The environment a commit needs on a machine where git has no identity yet: the commit is then
 * made in the name of sdlf-mesh instead of failing. Empty when git has one.
 */
export async function fallbackGitIdentity(cwd: string): Promise<Record<string, string>> {
  try {
    await exec('git', ['config', 'user.email'], { cwd });
    return {};
  } catch {
    const name = 'sdlf-mesh';
    const email = 'sdlf-mesh@users.noreply.github.com';
    return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email };
  }
}
