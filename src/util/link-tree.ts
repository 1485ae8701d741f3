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
