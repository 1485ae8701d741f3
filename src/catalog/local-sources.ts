import * as fs from 'fs';
import * as path from 'path';
import { CatalogSource, ContractContent, CONTRACTS_DIR, ContractVersion, isContractPath, SourceContract, SourceSnapshot } from './catalog-source';
import { contractEntryContent, contractFileContent } from './contract-content';
import { mapLimited } from './map-limited';
import { commitOf, gitBytes, GIT_PROCESSES } from '../util/git';
import { SYMLINK_REFUSED } from '../util/read-regular-file';

/** The branch a bare repository is read at. */
export const DEFAULT_BRANCH = 'main';

const FIELD = '\x1f';

/**
 * A domain repository's working tree (a local clone, or a folder that is not under git): the
 * contracts as they are on disk, and their history when the folder is a git repository. The
 * folder's name is the repository's name, which the domain's identity comes from.
 */
export class WorkingTreeSource implements CatalogSource {
  public readonly repository: string;

  constructor(
    /** The folder. */
    public readonly dir: string,
    /** How it is named in the catalog. @default dir */
    public readonly name: string = dir,
  ) {
    this.repository = path.basename(path.resolve(dir));
  }

  public async read(): Promise<SourceSnapshot> {
    if (!fs.existsSync(this.dir) || !fs.statSync(this.dir).isDirectory()) {
      throw new Error(`${this.name}: no such folder; give a domain repository's folder, a bare repository (*.git) or remove it from the sources`);
    }
    const folder = path.join(this.dir, CONTRACTS_DIR);
    const stat = fs.lstatSync(folder, { throwIfNoEntry: false });
    if (!stat) {
      throw new Error(`${this.name}: no ${CONTRACTS_DIR}/ folder, so it is not a domain repository`);
    }
    if (!stat.isDirectory()) {
      throw new Error(`${this.name}: ${CONTRACTS_DIR} ${stat.isSymbolicLink() ? SYMLINK_REFUSED : 'is not a folder'}`);
    }
    // Every name that looks like a contract is one, whatever it is: a link or a device is then
    // reported, not skipped.
    const files = fs
      .readdirSync(folder)
      .map((name) => `${CONTRACTS_DIR}/${name}`)
      .filter(isContractPath)
      .sort();
    const git = fs.existsSync(path.join(this.dir, '.git'));
    const commit = git ? await commitOf(this.dir, 'HEAD') : undefined;
    const blobs = new BlobReader(this.dir);
    const contracts = await mapLimited(files, 8, async (file): Promise<SourceContract> => {
      const content = contractFileContent(path.join(this.dir, file));
      // A contract that cannot be read publishes nothing: its history is not read.
      return { path: file, content, history: commit && content.bytes ? await history(blobs, commit, file) : undefined };
    });
    return { commit, contracts };
  }
}

/**
 * A bare git repository on this machine (such as the remotes `sdlf-mesh new domain` pushes to
 * without a token): the contracts of its `main` branch and their history, read with `git ls-tree`,
 * `git log` and `git cat-file`, without a clone. Its name without `.git` is the repository's name.
 */
export class GitRemoteSource implements CatalogSource {
  public readonly repository: string;

  constructor(
    /** The bare repository's folder. */
    public readonly dir: string,
    /** How it is named in the catalog. @default dir */
    public readonly name: string = dir,
    /** The branch to read. @default "main" */
    public readonly branch: string = DEFAULT_BRANCH,
  ) {
    this.repository = path.basename(path.resolve(dir)).replace(/\.git$/, '');
  }

  public async read(): Promise<SourceSnapshot> {
    if (!fs.existsSync(this.dir)) {
      throw new Error(`${this.name}: no such repository`);
    }
    const commit = await commitOf(this.dir, `refs/heads/${this.branch}`);
    if (!commit) {
      throw new Error(`${this.name}: no branch ${this.branch}; push the domain repository's ${this.branch} branch to it`);
    }
    const blobs = new BlobReader(this.dir);
    const listed = await gitOut(this.dir, 'ls-tree', '-l', '-z', commit, '--', `${CONTRACTS_DIR}/`);
    const entries = listed.split('\0').map(treeEntry).filter((entry): entry is TreeEntry => entry !== undefined && isContractPath(entry.path));
    const contracts = await mapLimited(entries.sort((a, b) => compare(a.path, b.path)), 8, async (entry): Promise<SourceContract> => {
      const content = await blobs.content(entry);
      return { path: entry.path, content, history: content.bytes ? await history(blobs, commit, entry.path) : undefined };
    });
    return { commit, contracts };
  }
}

/**
 * The sources of local paths: a bare repository (`*.git`, or a folder git calls bare) is read at
 * `main`; a folder holding bare repositories and no contracts (a remotes folder) stands for each
 * of them; anything else is a working tree. Paths that do not exist stay sources, so the catalog
 * reports them as problems.
 */
export function localSources(paths: string[]): CatalogSource[] {
  return paths.flatMap((given): CatalogSource[] => {
    if (isBareRepository(given)) {
      return [new GitRemoteSource(given)];
    }
    if (fs.existsSync(given) && fs.statSync(given).isDirectory() && !fs.existsSync(path.join(given, CONTRACTS_DIR))) {
      const bare = fs
        .readdirSync(given)
        .filter((name) => name.endsWith('.git'))
        .sort()
        .map((name) => path.join(given, name))
        .filter(isBareRepository);
      if (bare.length > 0) {
        return bare.map((dir) => new GitRemoteSource(dir));
      }
    }
    return [new WorkingTreeSource(given)];
  });
}

/**
 * The paths of a `--repos` file: one source a line; blank lines and lines starting with `#` are
 * skipped; relative paths are relative to the file.
 */
export function readSourceList(file: string): string[] {
  const base = path.dirname(path.resolve(file));
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => (path.isAbsolute(line) ? line : path.join(base, line)));
}

function isBareRepository(dir: string): boolean {
  return (
    (dir.replace(/[\\/]+$/, '').endsWith('.git') && !fs.existsSync(dir)) ||
    (fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects')) && fs.existsSync(path.join(dir, 'refs')))
  );
}

// git runs at most GIT_PROCESSES at once, however many sources and files are read (util/git).
async function gitOut(cwd: string, ...args: string[]): Promise<string> {
  return (await gitBytes(cwd, ...args)).toString('utf8');
}

/** An entry of `git ls-tree -l`. */
interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly object: string;
  readonly size: number;
  readonly path: string;
}

/** An entry of `git ls-tree -l -z`: `<mode> <type> <object> <size>\t<path>`, the path unquoted. */
function treeEntry(line: string): TreeEntry | undefined {
  const match = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t([\s\S]*)$/.exec(line);
  return match ? { mode: match[1], type: match[2], object: match[3], size: Number(match[4]) || 0, path: match[5] } : undefined;
}

/**
 * Reads contract blobs of one repository, each at most once: a version whose blob is the
 * current file's (or another version's) is not read again. The size and kind come from the tree
 * first, so a symbolic link is never resolved and a huge blob never leaves git.
 */
class BlobReader {
  private readonly read = new Map<string, Promise<ContractContent>>();

  constructor(public readonly dir: string) {}

  public content(entry: TreeEntry): Promise<ContractContent> {
    const kind = entry.mode === '120000' ? 'symlink' : entry.type === 'blob' ? 'file' : 'other';
    const key = `${kind} ${entry.object}`;
    if (!this.read.has(key)) {
      this.read.set(key, contractEntryContent(kind, entry.size, () => gitBytes(this.dir, 'cat-file', 'blob', entry.object)));
    }
    return this.read.get(key)!;
  }

  /** The file at a commit; undefined when it is not there (the commit deleted it). */
  public async at(commit: string, file: string): Promise<ContractContent | undefined> {
    const listed = await gitOut(this.dir, 'ls-tree', '-l', '-z', commit, '--', file).catch(() => '');
    const entry = listed.split('\0').map(treeEntry).find((candidate) => candidate?.path === file);
    return entry ? this.content(entry) : undefined;
  }
}

/** The versions of a file on the history of a commit, newest first, each with its content. */
async function history(blobs: BlobReader, commit: string, file: string): Promise<ContractVersion[]> {
  const log = await gitOut(blobs.dir, 'log', `--format=%H${FIELD}%aI${FIELD}%an${FIELD}%s`, commit, '--', file).catch(() => '');
  const entries = log.split('\n').filter(Boolean).map((line) => line.split(FIELD));
  return mapLimited(entries, GIT_PROCESSES, async ([hash, date, author, subject]) => ({
    commit: hash,
    date,
    author,
    subject,
    content: await blobs.at(hash, file),
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
