import { ContractContent } from './catalog-source';
import { MAX_CONTRACT_BYTES } from '../contract/contract-document';
import { readRegularFile, SYMLINK_REFUSED, tooLarge } from '../util/read-regular-file';

/** Why a folder or a submodule where a contract should be is not read. */
export const NOT_A_FILE = 'is not a regular file (a folder or a submodule), so it is not read';

/** A contract file of a folder on this machine, read with the limits of {@link readRegularFile}. */
export function contractFileContent(file: string): ContractContent {
  const content = readRegularFile(file, MAX_CONTRACT_BYTES);
  return { bytes: content.bytes, unreadable: content.unreadable, tooLarge: content.size !== undefined };
}

/**
 * The content of a contract as a repository's tree describes it (a git tree entry, a GitHub
 * listing): a symbolic link or anything but a file, or a file over the size limit, is not read,
 * and `read` is called only for a file that may be.
 */
export async function contractEntryContent(kind: 'file' | 'symlink' | 'other', size: number, read: () => Promise<Uint8Array | ContractContent>): Promise<ContractContent> {
  if (kind === 'symlink') {
    return { unreadable: SYMLINK_REFUSED };
  }
  if (kind === 'other') {
    return { unreadable: NOT_A_FILE };
  }
  if (size > MAX_CONTRACT_BYTES) {
    return { unreadable: tooLarge(size, MAX_CONTRACT_BYTES), tooLarge: true };
  }
  const content = await read();
  return content instanceof Uint8Array ? { bytes: content } : content;
}
