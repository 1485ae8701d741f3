import * as fs from 'fs';
import { InvalidOptionError } from '../config/invalid-option-error';

/**
 * The GitHub token to use: the content of `tokenFile` when given, else `GITHUB_TOKEN`, else
 * `GH_TOKEN` (the GitHub CLI's variable); `undefined` when there is none, which means the local
 * remote stands in for GitHub.
 *
 * A file keeps the token out of the shell history and the process list. It is read here and
 * handed on in memory only: nothing writes it anywhere.
 */
export function findGitHubToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (tokenFile !== undefined) {
    let token: string;
    try {
      token = fs.readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      throw new InvalidOptionError('token-file', `${tokenFile} cannot be read (${(error as NodeJS.ErrnoException).code}); give a file that holds the token`);
    }
    if (!token || /\s/.test(token)) {
      throw new InvalidOptionError('token-file', `${tokenFile} does not hold a token; give a file whose only content is the token`);
    }
    return token;
  }
  return env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || undefined;
}
