import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exec } from '../../src/util/exec';

/** A fixed identity, so commits work on a machine where git has none. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git in a folder and returns what it printed, trimmed. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec('git', args, { cwd, env: GIT_ENV })).stdout.trim();
}

/** A new repository on `main` with one commit per file given (path → content), in order. */
export async function repositoryWith(files: Record<string, string>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-'));
  await git(dir, 'init', '-q', '-b', 'main');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
    await git(dir, 'add', file);
    await git(dir, 'commit', '-q', '-m', `add ${file}`);
  }
  return dir;
}
