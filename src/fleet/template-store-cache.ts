import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The variable that moves the cache (an absolute folder), or turns it off (`off`). */
export const STORE_CACHE_ENV = 'SDLF_MESH_STORE_CACHE';
/** How long a kept store is used: npm resolves afresh what a lock file leaves open (the template's own dependencies). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** How many stores are kept: one a template version a platform team upgrades to, and a spare. */
const KEPT = 3;
const SEAL = 'seal.json';
const STORE = 'store';

/** What a store was installed from, and what npm made of it: kept with the store. */
export interface StoreSource {
  /** The folder npm ran in: a `file:` spec of the store's manifest is relative to it. */
  readonly madeIn: string;
  readonly manifest: Record<string, unknown>;
  readonly lock?: Record<string, any>;
}

/** A store taken from the cache, checked against its seal. */
export interface CachedStore {
  /** Its installed packages, to link from. */
  readonly modules: string;
  readonly source: StoreSource;
}

interface Seal {
  readonly sealedAt: number;
  readonly digest: string;
  readonly source: StoreSource;
}

/**
 * Template stores kept between runs of one user, so that a re-run, a `--resume` or the next run
 * to the same template version links its packages instead of installing them again: npm's
 * install is most of a small run's time.
 *
 * A store is kept sealed: the digest of its tree (every path, mode, link target and file's
 * content) is recorded when it is kept and checked each time before it is used again. No
 * repository can write it (another user's files as root; copies of its own in a namespace, where
 * the cache is read-only: see `SharedPackages`), but any process of the platform's user could
 * between runs, and the next run would take what it changed: such a store no longer matches its
 * seal, and is removed and made again. Runs without isolation keep nothing (see
 * {@link TemplateStoreCache.forRun}). A store is used for a day, and the three used last are kept.
 *
 * The cache is a folder of the user's, beside the runs' scratch spaces (so that links, not
 * copies, reach the repositories): refused, and the run makes its own store, when another user
 * owns it or may write it.
 */
export class TemplateStoreCache {
  /**
   * The cache of this user's runs: `<tmp>/sdlf-mesh-stores-<uid>`, or the folder the variable
   * {@link STORE_CACHE_ENV} names; none when it says `off`, or when the repositories run as the
   * platform's own user with no namespace around them (nothing a run makes may reach the next).
   */
  public static forRun(isolation: 'user' | 'namespace' | 'shared'): TemplateStoreCache | undefined {
    const configured = process.env[STORE_CACHE_ENV];
    if (configured === 'off' || isolation === 'shared') {
      return undefined;
    }
    const dir = configured && path.isAbsolute(configured) ? configured : path.join(os.tmpdir(), `sdlf-mesh-stores-${process.getuid?.() ?? 'user'}`);
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      const stat = fs.lstatSync(dir);
      // Another user's folder (made first in a shared /tmp), or one others may write: not ours to trust.
      // eslint-disable-next-line no-bitwise
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid()) || (stat.mode & 0o022) !== 0) {
        return undefined;
      }
    } catch {
      return undefined;
    }
    return new TemplateStoreCache(dir);
  }

  private constructor(
    /** The cache's folder. */
    public readonly dir: string,
  ) {}

  /** The key of a store: what decides its tree, as text (see `dependencyKey`), and where its packages come from. */
  public key(parts: string[]): string {
    const hash = crypto.createHash('sha256');
    for (const part of parts) {
      hash.update(`${part.length}:${part}`);
    }
    return hash.digest('hex').slice(0, 32);
  }

  /**
   * The store kept under `key`, if there is one, made less than a day ago and unchanged since;
   * a store that is changed or old is removed.
   */
  public take(key: string): CachedStore | undefined {
    const entry = path.join(this.dir, key);
    let seal: Seal;
    try {
      seal = JSON.parse(fs.readFileSync(path.join(entry, SEAL), 'utf8'));
    } catch {
      return undefined;
    }
    const modules = path.join(entry, STORE, 'node_modules');
    if (Date.now() - seal.sealedAt > MAX_AGE_MS || treeDigest(modules) !== seal.digest) {
      fs.rmSync(entry, { recursive: true, force: true });
      return undefined;
    }
    // Its folder's time says when it was used last, for pruning.
    const now = new Date();
    fs.utimesSync(entry, now, now);
    return { modules, source: seal.source };
  }

  /**
   * Keeps the store just made in `storeDir` (its `node_modules`, made read-only) under `key`:
   * it moves into the cache, sealed. Returns where it is now, or undefined when it could not be
   * kept (another run kept one under the same key first, or the cache is on another file
   * system): the run then uses it where it is.
   */
  public keep(key: string, storeDir: string, source: StoreSource): CachedStore | undefined {
    const entry = path.join(this.dir, key);
    const staging = fs.mkdtempSync(path.join(this.dir, `${key}.`));
    try {
      fs.renameSync(storeDir, path.join(staging, STORE));
      const seal: Seal = { sealedAt: Date.now(), digest: treeDigest(path.join(staging, STORE, 'node_modules')), source };
      fs.writeFileSync(path.join(staging, SEAL), JSON.stringify(seal));
      // Whole or not at all: a run that is killed here leaves a staging folder, never half an entry.
      fs.renameSync(staging, entry);
    } catch {
      if (fs.existsSync(path.join(staging, STORE)) && !fs.existsSync(storeDir)) {
        fs.renameSync(path.join(staging, STORE), storeDir);
      }
      fs.rmSync(staging, { recursive: true, force: true });
      return undefined;
    }
    this.prune(key);
    return { modules: path.join(entry, STORE, 'node_modules'), source };
  }

  /** Removes all but the stores used last, and what killed runs left half kept. */
  private prune(keep: string): void {
    const entries = fs.readdirSync(this.dir).map((name) => ({ name, used: fs.statSync(path.join(this.dir, name)).mtimeMs }));
    const stale = entries.filter((entry) => entry.name.includes('.') && Date.now() - entry.used > MAX_AGE_MS);
    const kept = entries.filter((entry) => !entry.name.includes('.')).sort((a, b) => b.used - a.used);
    for (const entry of [...stale, ...kept.filter((candidate) => candidate.name !== keep).slice(KEPT - 1)]) {
      fs.rmSync(path.join(this.dir, entry.name), { recursive: true, force: true });
    }
  }
}

/**
 * The digest of a tree: each entry's path, type and permission bits, a link's target and a
 * file's content, in a fixed order. A file added, removed, replaced, changed or made writable
 * changes it.
 */
export function treeDigest(dir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (folder: string, relative: string) => {
    const entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const file = path.join(folder, entry.name);
      const name = `${relative}/${entry.name}`;
      const stat = fs.lstatSync(file);
      // eslint-disable-next-line no-bitwise
      hash.update(`${name}\0${stat.mode & 0o7777}\0`);
      if (entry.isDirectory()) {
        hash.update('d\0');
        walk(file, name);
      } else if (entry.isSymbolicLink()) {
        hash.update(`l\0${fs.readlinkSync(file)}\0`);
      } else if (entry.isFile()) {
        hash.update(`f\0${stat.size}\0`);
        hash.update(fs.readFileSync(file));
      } else {
        // A socket or a device has no place in a package tree.
        hash.update(`?\0${crypto.randomUUID()}`);
      }
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}
