import * as fs from 'fs';
import * as path from 'path';

/**
 * Makes `to` a copy of the folder `from` whose files are hard links: tens of thousands of files in
 * well under a second, and no second copy on disk. Symbolic links are recreated as they are
 * (relative ones keep pointing inside the copy). A file a link cannot be made for (another device,
 * a file system without hard links) is copied.
 *
 * `copied` names files that are copied, never linked, because a tool rewrites them in place and a
 * write through a link would change the original too.
 *
 * `owner`, when given, gets the folders, the links and the copied files: the linked files stay
 * their owner's, so that owner can replace them in its folders but never write them.
 */
export function linkTree(from: string, to: string, copied: ReadonlySet<string> = new Set(), owner?: { uid: number; gid: number }): void {
  fs.mkdirSync(to, { recursive: true });
  const own = (file: string) => owner && fs.lchownSync(file, owner.uid, owner.gid);
  own(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const destination = path.join(to, entry.name);
    if (entry.isDirectory()) {
      linkTree(source, destination, copied, owner);
    } else if (entry.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(source), destination);
      own(destination);
    } else if (copied.has(entry.name)) {
      fs.copyFileSync(source, destination);
      own(destination);
    } else {
      try {
        fs.linkSync(source, destination);
      } catch {
        fs.copyFileSync(source, destination);
        own(destination);
      }
    }
  }
}

/** How many files {@link copyTree} copies at once: enough to keep a disk busy, few enough to leave the process's other work room. */
const COPIES_AT_ONCE = 8;

/**
 * Makes `to` a copy of the folder `from` whose files are copies of their own, for a tree whose
 * user owns the originals: that user could make a linked file writable and change it in place,
 * changing the original too. Each file keeps its permission bits; symbolic links are recreated as
 * they are (relative ones keep pointing inside the copy); what is neither a folder, a file nor a
 * link (a socket, a device) is left out. A file system that shares blocks between files (btrfs,
 * XFS) makes each copy a reflink, which costs no second copy on disk; elsewhere the files are
 * copied a few at a time, without holding up the rest of the process.
 */
export async function copyTree(from: string, to: string): Promise<void> {
  const files: Array<[string, string]> = [];
  const walk = (source: string, destination: string) => {
    fs.mkdirSync(destination, { recursive: true });
    for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
      const sourceEntry = path.join(source, entry.name);
      const destinationEntry = path.join(destination, entry.name);
      if (entry.isDirectory()) {
        walk(sourceEntry, destinationEntry);
      } else if (entry.isSymbolicLink()) {
        fs.symlinkSync(fs.readlinkSync(sourceEntry), destinationEntry);
      } else if (entry.isFile()) {
        files.push([sourceEntry, destinationEntry]);
      }
    }
  };
  walk(from, to);
  let next = 0;
  const copier = async () => {
    while (next < files.length) {
      const [source, destination] = files[next++];
      await fs.promises.copyFile(source, destination, fs.constants.COPYFILE_FICLONE);
    }
  };
  await Promise.all(Array.from({ length: COPIES_AT_ONCE }, copier));
}
