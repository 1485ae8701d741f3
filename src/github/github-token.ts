import * as fs from 'fs';
import { InvalidOptionError } from '../util/invalid-option-error';

/**
 * The GitHub token to use: the content of `tokenFile` when given, else `GITHUB_TOKEN`, else
 * `GH_TOKEN` (the GitHub CLI's variable); `undefined` when there is none, which means the local
 * remote stands in for GitHub.
 *
 * A file keeps the token out of the shell history and the process list. It is read here and
 * handed on in memory only: nothing writes it anywhere. A file that the group or other users may
 * read is refused (as ssh refuses such a private key): the token would be theirs too.
 */
export function findGitHubToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (tokenFile !== undefined) {
    let token: string;
    try {
      checkPrivate(tokenFile);
      token = fs.readFileSync(tokenFile, 'utf8').trim();
    } catch (error) {
      if (error instanceof InvalidOptionError) {
        throw error;
      }
      throw new InvalidOptionError('token-file', `${tokenFile} cannot be read (${(error as NodeJS.ErrnoException).code}); give a file that holds the token`);
    }
    if (!token || /\s/.test(token)) {
      throw new InvalidOptionError('token-file', `${tokenFile} does not hold a token; give a file whose only content is the token`);
    }
    return token;
  }
  return env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || undefined;
}

/**
 * Refuses a token file that anyone but its owner may read. POSIX permission bits only: Windows
 * reports none that mean this, so the check is left out there.
 */
function checkPrivate(tokenFile: string): void {
  if (process.platform === 'win32') {
    return;
  }
  // The permission bits as octal digits: owner, group, others; 4 in a digit is read.
  const permissions = fs.statSync(tokenFile).mode % 0o1000;
  const readable = (digit: number) => Math.floor(digit / 4) % 2 === 1;
  const group = readable(Math.floor(permissions / 8) % 8);
  const others = readable(permissions % 8);
  if (group || others) {
    const who = [group ? 'its group' : undefined, others ? 'other users' : undefined].filter(Boolean).join(' and ');
    throw new InvalidOptionError(
      'token-file',
      `${tokenFile} is readable by ${who} (mode ${permissions.toString(8).padStart(3, '0')}), so the token is theirs too; make it yours alone: chmod 600 ${tokenFile}`,
    );
  }
}
