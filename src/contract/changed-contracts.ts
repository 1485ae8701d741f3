import * as fs from 'fs';
import * as path from 'path';
import { readContractBlob } from './contract-blob';
import { MAX_CONTRACT_BYTES } from './contract-document';
import { DATA_PRODUCT_PAGES_DIR } from './data-product-page';
import { assertBaseRef } from './diff-contract-files';
import { MESH_INDEX_COPY } from './mesh-index';
import { CommandFailedError } from '../util/exec';
import { commitOf, git, gitBytes, gitText, isAncestor, treeEntries } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';
import { readRegularFile, RegularFileContent, SYMLINK_REFUSED } from '../util/read-regular-file';

/** The folder of a domain repository's contracts. */
export const CONTRACTS_FOLDER = 'dataproducts';

/** A contract file of a domain repository: a YAML file right under {@link CONTRACTS_FOLDER}, as lint and the synth read them. */
const CONTRACT_PATH = new RegExp(`^${CONTRACTS_FOLDER}/[^/]+\\.ya?ml$`);

/** A data product's docs page, which the domain's synth renders from its contract. */
const PAGE_PATH = new RegExp(`^${DATA_PRODUCT_PAGES_DIR}/([^/]+)\\.md$`);

/** Where a change of a domain repository is, and what it is compared with. */
export interface ChangeSource {
  /** A folder of the repository (git runs there). */
  readonly cwd: string;
  /** The revision the change is compared with, e.g. `origin/main` or a commit. */
  readonly base: string;
  /**
   * The change as a revision (a pull request's head commit): what merging it into the base gives
   * is compared, read from git's objects alone, so nothing of it is checked out.
   *
   * @default - the working tree (with the files under `dataproducts/` git does not track yet)
   */
  readonly head?: string;
}

/** A contract file that differs between the base and the change. */
export interface ChangedContract {
  /** Its path in the repository, e.g. `dataproducts/orders.yaml`. */
  readonly file: string;
  /** Its bytes at the base, or why they were not read; undefined: the base has no such file. */
  readonly base?: RegularFileContent;
  /** Its bytes with the change, or why they were not read; undefined: the change removes it. */
  readonly head?: RegularFileContent;
}

/** A data product's docs page (`docs/dataproducts/<data product>.md`) that differs between the base and the change: both sides read as a contract's are. */
export interface ChangedPage extends ChangedContract {
  /** The data product it is the page of, by its name. */
  readonly dataProduct: string;
}

/** What differs between a base and a change of a domain repository. */
export interface ContractChangeSet {
  /** The base's commit. */
  readonly base: string;
  /** The contracts that differ, by path. */
  readonly contracts: ChangedContract[];
  /** The data products' docs pages that differ, by path: the synth renders them from the contracts. */
  readonly pages: ChangedPage[];
  /** The base's copy of the mesh index (`.sdlf/mesh-index.json`), which the pages are rendered with; undefined: there is none. */
  readonly meshIndex?: RegularFileContent;
  /** Every other path that differs (a file under `dataproducts/` that is not a contract among them), sorted. */
  readonly otherFiles: string[];
  /**
   * Why what is compared may not be what merging the change gives: it does not merge cleanly, or
   * the working tree's commit is not on top of the base.
   */
  readonly problems: string[];
}

/**
 * Reads what a change does to a domain repository, against a base revision: the contracts it
 * changes, as both sides have them, and every other path it changes. The repository is untrusted
 * input: a contract is read from git's objects (the base, and a head revision) or from the working
 * tree with the limits of any contract (no symbolic link followed, nothing over
 * {@link MAX_CONTRACT_BYTES} read), and git runs with the safe configuration of `util/git`.
 * A head revision is merged into the base in git's objects (`git merge-tree`), so what is compared
 * is what merging the pull request would give, even when its branch is behind the base.
 * A base or head that is not a commit of the repository is an error saying how to get it.
 */
export async function readContractChanges(source: ChangeSource): Promise<ContractChangeSet> {
  const root = await gitText(source.cwd, 'rev-parse', '--show-toplevel').catch(() => {
    throw new InvalidOptionError('--base', `${path.resolve(source.cwd)} is not in a git repository: run the check in the domain repository, whose contracts are under ${CONTRACTS_FOLDER}/`);
  });
  await assertBaseRef(source.base, root, false);
  const base = (await commitOf(root, source.base))!;
  const problems: string[] = [];
  let paths: string[];
  let readHead: (file: string) => Promise<RegularFileContent | undefined>;
  if (source.head !== undefined) {
    const head = await commitOf(root, source.head);
    if (head === undefined) {
      throw new InvalidOptionError('--head', `"${source.head}" is not a commit of this repository: fetch it (git fetch origin <branch>), or name a ref that exists (git branch -a lists them)`);
    }
    const merged = await mergedTree(root, base, head, source, problems);
    paths = await nulSeparated(root, 'diff-tree', '-r', '-z', '--name-only', '--no-renames', base, merged);
    readHead = async (file) => fromTree(root, merged, file);
  } else {
    if (!(await isAncestor(root, base, 'HEAD'))) {
      problems.push(`the working tree's commit (HEAD) is not on top of ${source.base}, so what differs is not only the change: merge it first (git merge ${source.base})`);
    }
    const tracked = await nulSeparated(root, 'diff', '--name-only', '-z', '--no-renames', base, '--');
    // Only untracked contracts count: a file outside dataproducts/ git does not track is no part of a change anyone pushes.
    const untracked = await nulSeparated(root, 'ls-files', '-z', '--others', '--exclude-standard', '--', `${CONTRACTS_FOLDER}/`, `${DATA_PRODUCT_PAGES_DIR}/`);
    paths = [...new Set([...tracked, ...untracked])];
    readHead = async (file) => fromWorkingTree(root, file);
  }
  const contracts: ChangedContract[] = [];
  const pages: ChangedPage[] = [];
  const otherFiles: string[] = [];
  for (const file of paths.sort()) {
    const page = PAGE_PATH.exec(file)?.[1];
    if (!CONTRACT_PATH.test(file) && page === undefined) {
      otherFiles.push(file);
      continue;
    }
    const [before, after] = [await fromTree(root, base, file), await readHead(file)];
    const sides = { ...(before ? { base: before } : {}), ...(after ? { head: after } : {}) };
    if (page === undefined) {
      contracts.push({ file, ...sides });
    } else {
      pages.push({ file, dataProduct: page, ...sides });
    }
  }
  // Only a changed page is rendered with the mesh index copy.
  const meshIndex = pages.length > 0 ? await fromTree(root, base, MESH_INDEX_COPY) : undefined;
  return { base, contracts, pages, ...(meshIndex ? { meshIndex } : {}), otherFiles, problems };
}

/**
 * The tree of the head merged into the base, as `git merge-tree` writes it without a working
 * tree or an index. When it does not merge cleanly, the head's own tree is compared instead and
 * the conflict is a problem: the producer resolves it, not a policy.
 */
async function mergedTree(root: string, base: string, head: string, source: ChangeSource, problems: string[]): Promise<string> {
  try {
    const { stdout } = await git(root, 'merge-tree', '--write-tree', '--no-messages', base, head);
    return stdout.split('\n')[0];
  } catch (error) {
    if (!(error instanceof CommandFailedError)) {
      throw error;
    }
    const conflicted = error.exitCode === 1;
    problems.push(conflicted
      ? `${source.head} does not merge cleanly into ${source.base}: its branch needs the base merged in and the conflicts resolved`
      : `${source.head} cannot be merged into ${source.base} (${error.output.trim().split('\n')[0]})`);
    return `${head}^{tree}`;
  }
}

/** A file of a tree, read as a contract with the limits; undefined when the tree has no such path. */
async function fromTree(root: string, tree: string, file: string): Promise<RegularFileContent | undefined> {
  const [entry] = await treeEntries(root, tree, file);
  return entry === undefined ? undefined : readContractBlob(root, entry);
}

/** A file of the working tree, read as a contract with the limits; undefined when it is not there. */
function fromWorkingTree(root: string, file: string): RegularFileContent | undefined {
  // Its folders must be folders of the repository (`dataproducts/`, `docs/dataproducts/`): through
  // a symbolic link, a file would be read from wherever it points.
  const folders = path.posix.dirname(file).split('/');
  for (let depth = 1; depth <= folders.length; depth++) {
    const name = folders.slice(0, depth).join('/');
    const folder = fs.lstatSync(path.join(root, name), { throwIfNoEntry: false });
    if (folder !== undefined && !folder.isDirectory()) {
      return { unreadable: `is in ${name}/, which ${folder.isSymbolicLink() ? SYMLINK_REFUSED : 'is not a folder'}` };
    }
  }
  const absolute = path.join(root, file);
  if (fs.lstatSync(absolute, { throwIfNoEntry: false }) === undefined) {
    return undefined;
  }
  return readRegularFile(absolute, MAX_CONTRACT_BYTES);
}

/** The NUL-separated paths a git command prints (`-z`: any byte of a name stays as it is). */
async function nulSeparated(root: string, ...args: string[]): Promise<string[]> {
  return (await gitBytes(root, ...args)).toString('utf8').split('\0').filter(Boolean);
}
