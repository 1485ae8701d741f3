import * as fs from 'fs';
import * as path from 'path';

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
 * Opens `relative` under `root` for the platform's own process, which may hold more rights than
 * the repository's author: every component of the path must be a real folder or file (a symbolic
 * link could point at the platform's secrets, or make a write land outside the repository), and
 * the file must be regular (not a device or a FIFO that never ends). Returns undefined when it
 * does not exist.
 */
function openUntrusted(root: string, relative: string, flags: number): number | undefined {
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
    if (stat.isSymbolicLink()) {
      throw new UntrustedFileError(relative, `${parts.slice(0, index + 1).join('/')} is a symbolic link; it is not followed`);
    }
    const last = index === parts.length - 1;
    if (!last && !stat.isDirectory()) {
      throw new UntrustedFileError(relative, `${parts.slice(0, index + 1).join('/')} is not a folder`);
    }
    if (last && !stat.isFile()) {
      throw new UntrustedFileError(relative, 'is not a regular file');
    }
  }
  // O_NOFOLLOW closes the window between the check and the open.
  return fs.openSync(current, flags | fs.constants.O_NOFOLLOW);
}

/**
 * Reads a file of an untrusted repository (see {@link openUntrusted}), at most `maxBytes` of it.
 * Returns undefined when it does not exist; throws an {@link UntrustedFileError} for a link, a
 * non-regular file or one that is too large.
 */
export function readUntrustedFile(root: string, relative: string, maxBytes = MAX_UNTRUSTED_FILE_BYTES): string | undefined {
  const fd = openUntrusted(root, relative, fs.constants.O_RDONLY);
  if (fd === undefined) {
    return undefined;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) {
      throw new UntrustedFileError(relative, `is ${size} bytes, more than the ${maxBytes} read`);
    }
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces the content of an existing regular file of an untrusted repository (never through a link). */
export function writeUntrustedFile(root: string, relative: string, content: string): void {
  const fd = openUntrusted(root, relative, fs.constants.O_WRONLY | fs.constants.O_TRUNC);
  if (fd === undefined) {
    throw new UntrustedFileError(relative, 'does not exist');
  }
  try {
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
}
