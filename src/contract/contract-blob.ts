import { MAX_CONTRACT_BYTES } from './contract-document';
import { gitBytes, GitPlace, GitTreeEntry } from '../util/git';
import { RegularFileContent, SYMLINK_REFUSED, tooLarge } from '../util/read-regular-file';

/**
 * A contract's blob in a commit's tree, read with the limits a domain repository's files get (it
 * is untrusted input): a symbolic link is not followed (its target is a path, not a contract), a
 * folder or a submodule is not a file, and a blob over {@link MAX_CONTRACT_BYTES} is not read at
 * all, its size coming from the tree. Nothing is decoded: the caller parses the bytes as a
 * contract, where bytes that are not UTF-8 are a problem like any other.
 */
export async function readContractBlob(place: GitPlace, entry: GitTreeEntry): Promise<RegularFileContent> {
  if (entry.mode === '120000') {
    return { unreadable: SYMLINK_REFUSED };
  }
  if (entry.type !== 'blob') {
    return { unreadable: `is ${entry.type === 'tree' ? 'a folder' : 'a submodule'}, not a file, so it is not read` };
  }
  if (entry.size > MAX_CONTRACT_BYTES) {
    return { unreadable: tooLarge(entry.size, MAX_CONTRACT_BYTES), size: entry.size };
  }
  return { bytes: await gitBytes(place, 'cat-file', 'blob', entry.object) };
}
