import * as fs from 'fs';

/** What {@link readRegularFile} found: the bytes, or why it did not read them. */
export interface RegularFileContent {
  /** The file's bytes, when it is a regular file within the limit. */
  readonly bytes?: Buffer;
  /** Why it was not read: a symbolic link, not a regular file, too large, or an error of the system. */
  readonly unreadable?: string;
  /** The file's size in bytes, when it was over the limit. */
  readonly size?: number;
}

// Not every platform has these flags (Windows has neither); 0 leaves them out.
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const NON_BLOCKING = fs.constants.O_NONBLOCK ?? 0;

/**
 * Reads a file of someone else's repository with limits: a symbolic link is never followed (it
 * could point at `/dev/zero` or at a secret of this machine), anything but a regular file (a
 * FIFO, a device, a folder) is not opened for reading, and no more than `maxBytes` are read, so
 * a huge file costs no memory. The file is checked again once open, so one swapped in between
 * the two looks is refused too.
 */
export function readRegularFile(file: string, maxBytes: number): RegularFileContent {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (error) {
    return { unreadable: `cannot be read (${(error as NodeJS.ErrnoException).code})` };
  }
  const refused = refusal(stat, maxBytes);
  if (refused) {
    return refused;
  }
  let fd: number;
  try {
    // Non-blocking: a FIFO swapped in after the look above must not hang the reader.
    fd = fs.openSync(file, fs.constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING); // eslint-disable-line no-bitwise
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { unreadable: code === 'ELOOP' ? SYMLINK_REFUSED : `cannot be read (${code})` };
  }
  try {
    const opened = refusal(fs.fstatSync(fd), maxBytes);
    if (opened) {
      return opened;
    }
    // Read to the end, but never past the limit: a file that grew since its size was looked at
    // stops the reading one chunk after the limit.
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - length));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) {
        break;
      }
      chunks.push(chunk.subarray(0, read));
      length += read;
    }
    if (length > maxBytes) {
      return { unreadable: tooLarge(length, maxBytes), size: length };
    }
    return { bytes: Buffer.concat(chunks, length) };
  } finally {
    fs.closeSync(fd);
  }
}

const CHUNK_BYTES = 64 * 1024;
/** Why a symbolic link is not read. */
export const SYMLINK_REFUSED = 'is a symbolic link, which is not followed: commit the file itself';

/** Why a file with this status is not read, or undefined when it may be. */
function refusal(stat: fs.Stats, maxBytes: number): RegularFileContent | undefined {
  if (stat.isSymbolicLink()) {
    return { unreadable: SYMLINK_REFUSED };
  }
  if (!stat.isFile()) {
    return { unreadable: `is ${kindOf(stat)}, not a regular file, so it is not read` };
  }
  if (stat.size > maxBytes) {
    return { unreadable: tooLarge(stat.size, maxBytes), size: stat.size };
  }
  return undefined;
}

/** The message of a file over its size limit. */
export function tooLarge(size: number, maxBytes: number): string {
  return `is ${mebibytes(size)} MiB; the limit is ${mebibytes(maxBytes)} MiB`;
}

function mebibytes(bytes: number): string {
  const value = bytes / 1024 / 1024;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'a special file';
}
