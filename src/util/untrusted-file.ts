import * as fs from 'fs';
import * as path from 'path';
import { readRegularFile } from './read-regular-file';

/** The largest file of a repository that a platform tool reads, unless it says otherwise: 1 MiB. */
export const MAX_UNTRUSTED_FILE_BYTES = 1024 * 1024;

/** A file of a repository that a platform tool will not read or write: a link, not a regular file, too large. */
export class UntrustedFileError extends Error {
  constructor(
    public readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'UntrustedFileError';
  }
}

/**
 * The path of `relative` under `root` for the platform's own process, which may hold more rights
 * than the repository's author: it must stay inside the repository and every folder on the way
 * must be a real folder (a linked one could lead to the platform's secrets, or make a write land
 * outside the repository). Undefined when the file does not exist.
 */
function pathInside(root: string, relative: string): string | undefined {
  const parts = path.normalize(relative).split(path.sep).filter(Boolean);
  if (parts.includes('..') || path.isAbsolute(relative)) {
    throw new UntrustedFileError(relative, 'is outside the repository');
  }
  let current = root;
  for (const [index, part] of parts.entries()) {
    current = path.join(current, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
    if (index < parts.length - 1 && !stat.isDirectory()) {
      throw new UntrustedFileError(relative, `${parts.slice(0, index + 1).join('/')} is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; it is not followed`);
    }
  }
  return current;
}

/**
 * Reads a file of an untrusted repository: no link on the way or at the end is followed, only a
 * regular file is read, and at most `maxBytes` of it (see {@link readRegularFile}). Returns
 * undefined when it does not exist; throws an {@link UntrustedFileError} otherwise.
 */
export function readUntrustedFile(root: string, relative: string, maxBytes = MAX_UNTRUSTED_FILE_BYTES): string | undefined {
  const file = pathInside(root, relative);
  if (file === undefined) {
    return undefined;
  }
  const content = readRegularFile(file, maxBytes);
  if (content.bytes === undefined) {
    throw new UntrustedFileError(relative, content.unreadable ?? 'cannot be read');
  }
  return content.bytes.toString('utf8');
}

/** Replaces the content of an existing regular file of an untrusted repository (never through a link). */
export function writeUntrustedFile(root: string, relative: string, content: string): void {
  const file = pathInside(root, relative);
  if (file === undefined || !fs.lstatSync(file).isFile()) {
    throw new UntrustedFileError(relative, file === undefined ? 'does not exist' : 'is not a regular file; it is not written');
  }
  // O_NOFOLLOW: a link swapped in since the look above is refused, not written through.
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW); // eslint-disable-line no-bitwise
  try {
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
}
