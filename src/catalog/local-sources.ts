import * as fs from 'fs';
import * as path from 'path';
import { CatalogSource, CONTRACTS_DIR, ContractVersion, domainOfProjenrc, isContractPath, SourceContract, SourceSnapshot } from './catalog-source';
import { mapLimited } from './map-limited';
import { exec } from '../util/exec';

/** The branch a bare repository is read at. */
export const DEFAULT_BRANCH = 'main';

const FIELD = '\x1f';

/**
 * A domain repository's working tree (a local clone, or a folder that is not under git): the
 * contracts as they are on disk, and their history when the folder is a git repository.
 */
export class WorkingTreeSource implements CatalogSource {
  public readonly fallbackDomain: string;

  constructor(
    /** The folder. */
    public readonly dir: string,
    /** How it is named in the catalog. @default dir */
    public readonly name: string = dir,
  ) {
    this.fallbackDomain = path.basename(path.resolve(dir));
  }

  public async read(): Promise<SourceSnapshot> {
    if (!fs.existsSync(this.dir) || !fs.statSync(this.dir).isDirectory()) {
      throw new Error(`${this.name}: no such folder; give a domain repository's folder, a bare repository (*.git) or remove it from the sources`);
    }
    const folder = path.join(this.dir, CONTRACTS_DIR);
    if (!fs.existsSync(folder)) {
      throw new Error(`${this.name}: no ${CONTRACTS_DIR}/ folder, so it is not a domain repository`);
    }
    const projenrc = path.join(this.dir, '.projenrc.ts');
    const domain = fs.existsSync(projenrc) ? domainOfProjenrc(fs.readFileSync(projenrc, 'utf8')) : undefined;
    const files = fs
      .readdirSync(folder)
      .map((name) => `${CONTRACTS_DIR}/${name}`)
      .filter(isContractPath)
      .sort();
    const git = fs.existsSync(path.join(this.dir, '.git'));
    const commit = git ? await revision(this.dir, 'HEAD') : undefined;
    const contracts = await mapLimited(files, 8, async (file): Promise<SourceContract> => ({
      path: file,
      text: fs.readFileSync(path.join(this.dir, file), 'utf8'),
      history: commit ? await history(this.dir, commit, file) : undefined,
    }));
    return { domain, commit, contracts };
  }
}

/**
 * A bare git repository on this machine (such as the remotes `sdlf-mesh new domain` pushes to
 * without a token): the contracts of its `main` branch and their history, read with `git ls-tree`,
 * `git log` and `git show`, without a clone.
 */
export class GitRemoteSource implements CatalogSource {
  public readonly fallbackDomain: string;

  constructor(
    /** The bare repository's folder. */
    public readonly dir: string,
    /** How it is named in the catalog. @default dir */
    public readonly name: string = dir,
    /** The branch to read. @default "main" */
    public readonly branch: string = DEFAULT_BRANCH,
  ) {
    this.fallbackDomain = path.basename(path.resolve(dir)).replace(/\.git$/, '');
  }

  public async read(): Promise<SourceSnapshot> {
    if (!fs.existsSync(this.dir)) {
      throw new Error(`${this.name}: no such repository`);
    }
    const commit = await revision(this.dir, `refs/heads/${this.branch}`);
    if (!commit) {
      throw new Error(`${this.name}: no branch ${this.branch}; push the domain repository's ${this.branch} branch to it`);
    }
    const listed = await gitOut(this.dir, 'ls-tree', '--name-only', commit, '--', `${CONTRACTS_DIR}/`);
    const files = listed.split('\n').filter(isContractPath).sort();
    const projenrc = await gitOut(this.dir, 'show', `${commit}:.projenrc.ts`).catch(() => '');
    const contracts = await mapLimited(files, 8, async (file): Promise<SourceContract> => {
      const versions = await history(this.dir, commit, file);
      const text = versions[0]?.text ?? (await gitOut(this.dir, 'show', `${commit}:${file}`));
      return { path: file, text, history: versions };
    });
    return { domain: domainOfProjenrc(projenrc), commit, contracts };
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

/** At most this many git processes at once, however many sources and files are read. */
const GIT_PROCESSES = 8;
let running = 0;
const waiting: Array<() => void> = [];

async function gitOut(cwd: string, ...args: string[]): Promise<string> {
  if (running < GIT_PROCESSES) {
    running++;
  } else {
    // The process that finishes hands its slot over.
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  try {
    return (await exec('git', args, { cwd, env: { GIT_TERMINAL_PROMPT: '0' } })).stdout;
  } finally {
    const next = waiting.shift();
    if (next) {
      next();
    } else {
      running--;
    }
  }
}

/** The commit a ref points at, or undefined when there is none. */
async function revision(cwd: string, ref: string): Promise<string | undefined> {
  return gitOut(cwd, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`).then(
    (out) => out.trim() || undefined,
    () => undefined,
  );
}

/** The versions of a file on the history of a commit, newest first, each with its text. */
async function history(cwd: string, commit: string, file: string): Promise<ContractVersion[]> {
  const log = await gitOut(cwd, 'log', `--format=%H${FIELD}%aI${FIELD}%an${FIELD}%s`, commit, '--', file).catch(() => '');
  const entries = log.split('\n').filter(Boolean).map((line) => line.split(FIELD));
  return mapLimited(entries, GIT_PROCESSES, async ([hash, date, author, subject]) => ({
    commit: hash,
    date,
    author,
    subject,
    text: await gitOut(cwd, 'show', `${hash}:${file}`).catch(() => undefined),
  }));
}
