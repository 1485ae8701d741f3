import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import { DomainNpmConfig } from './domain-npm-config';
import { SharedPackages } from './domain-sandbox';
import { StoreSource, TemplateStoreCache } from './template-store-cache';
import { UpgradeTarget } from './template-version';
import { allowedEnvironment } from '../util/allowed-environment';
import { exec } from '../util/exec';
import { copyTree, linkTree } from '../util/link-tree';
import { readUntrustedFile, writeUntrustedFile } from '../util/untrusted-file';

// npm rewrites its record of the installed tree in place: each repository gets its own copy.
const REWRITTEN_IN_PLACE = new Set(['.package-lock.json']);
const MANIFEST_BYTES = 8 * 1024 * 1024;
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * The packages of a fleet run, installed once by the platform and shared read-only.
 *
 * Repositories of one template version depend on the same packages. The store installs them once,
 * from the first repository's package.json and lock file after the template was bumped, with
 * `--ignore-scripts`: no code of any package or repository runs while it is made, and only
 * registry packages (checked against the lock file's integrity) and the template itself are
 * accepted, so no repository can put its own code or the platform's files into it. Each
 * repository then starts from hard links to the store (tens of thousands of files in well under
 * a second) and its own `npm install`, run in its sandbox, only reconciles what it asks for
 * differently. When the platform runs as root the store's files stay root's and the repository's
 * user cannot write them (see {@link DomainSandbox}); the folders are the repository's, so npm can
 * replace what it must. A repository whose code runs as the store's owner (in a namespace) gets
 * copies instead ({@link SharedPackages}): it could make a linked file writable again and change
 * what the other repositories of the run load.
 */
export class TemplateStore {
  private built?: string;
  private building?: Promise<void>;
  /** What the store was installed from (its dependency key), and what npm made of it (see {@link completeInstall}). */
  private source?: StoreSource & { key: string };

  /**
   * @param dir the store's folder, in the run's scratch space
   * @param target what the repositories are upgraded to
   * @param npm the npm configuration of the run's domain installs: the store's packages come
   * from where the repositories' own installs get theirs
   * @param cache where stores are kept between runs: a store kept for the same dependencies,
   * template and npm configuration is used instead of installing again
   */
  constructor(
    private readonly dir: string,
    private readonly target: UpgradeTarget,
    private readonly npm: DomainNpmConfig = DomainNpmConfig.none(),
    private readonly cache?: TemplateStoreCache,
  ) {}

  /**
   * Links the store into the repository's `node_modules` (or copies it, `how: 'copy'`, for a
   * repository whose code could write a linked file), making the store from this repository's
   * manifest when there is none yet. Repositories that reach this while the store is being made
   * wait for it. Returns false when the repository installs on its own: its manifest asks for
   * something the store does not take (a file, git or link dependency), or the store could not
   * be made.
   */
  public async linkInto(workTree: string, owner?: { uid: number; gid: number }, how: SharedPackages = 'link'): Promise<boolean> {
    while (this.building) {
      await this.building;
    }
    if (!this.built) {
      let finished!: () => void;
      this.building = new Promise((resolve) => (finished = resolve));
      try {
        this.built = await this.make(workTree);
      } catch {
        // The next repository tries again; this one installs on its own.
        return false;
      } finally {
        this.building = undefined;
        finished();
      }
      if (!this.built) {
        return false;
      }
    }
    const modules = path.join(workTree, 'node_modules');
    fs.rmSync(modules, { recursive: true, force: true });
    if (how === 'copy') {
      // Its code owns the copies (there is no other owner to give them): they are its own to change.
      await copyTree(this.built, modules);
    } else {
      linkTree(this.built, modules, REWRITTEN_IN_PLACE, owner);
    }
    return true;
  }

  /**
   * Gives a repository whose dependencies and locked packages are the ones the store was made
   * from (a fleet at one template version: most of it) what npm made of them: the dependency
   * fields of package.json and the lock file, under the repository's own name. Its linked tree
   * is then already what its `npm install` would make, so it need not run one. Returns false,
   * changing nothing, for any other repository.
   */
  public completeInstall(workTree: string, owner?: { uid: number; gid: number }): boolean {
    const manifestText = readUntrustedFile(workTree, 'package.json', MANIFEST_BYTES);
    const lockText = readUntrustedFile(workTree, 'package-lock.json', MANIFEST_BYTES);
    if (!this.source || manifestText === undefined || dependencyKey(manifestText, lockText) !== this.source.key) {
      return false;
    }
    // npm writes a `file:` spec relative to the project: from the store's folder to the repository's.
    const rebase = (spec: unknown) =>
      typeof spec === 'string' && spec.startsWith('file:') && !path.isAbsolute(spec.slice(5))
        ? `file:${path.relative(workTree, path.resolve(this.source!.madeIn, spec.slice(5)))}`
        : spec;
    const rebaseFields = (entry: Record<string, any>) => {
      const rebased = { ...entry };
      for (const field of DEPENDENCY_FIELDS.filter((name) => entry[name] !== undefined)) {
        rebased[field] = Object.fromEntries(Object.entries<unknown>(entry[field]).map(([name, spec]) => [name, rebase(spec)]));
      }
      return rebased;
    };
    const manifest = JSON.parse(manifestText);
    const installed = rebaseFields(this.source.manifest);
    for (const field of DEPENDENCY_FIELDS.filter((name) => installed[name] !== undefined)) {
      manifest[field] = installed[field];
    }
    writeUntrustedFile(workTree, 'package.json', `${JSON.stringify(manifest, null, 2)}\n`);
    if (this.source.lock) {
      // npm names the lock file and its root after package.json.
      const own = (entry: Record<string, unknown>) => {
        const { name: _name, version: _version, ...rest } = entry;
        const identity = Object.fromEntries(['name', 'version'].filter((key) => manifest[key] !== undefined).map((key) => [key, manifest[key]]));
        return { ...identity, ...rest };
      };
      const packages = Object.fromEntries(
        Object.entries<Record<string, any>>(this.source.lock.packages ?? {}).map(([location, entry]) => [
          location,
          location === '' ? own(rebaseFields(entry)) : entry.resolved === undefined ? entry : { ...entry, resolved: rebase(entry.resolved) },
        ]),
      );
      const lock = { ...own(this.source.lock), packages };
      writeLockFile(workTree, `${JSON.stringify(lock, null, 2)}\n`, lockText !== undefined, owner);
    }
    return true;
  }

  /** Installs the store from the repository's manifest; undefined when the manifest is refused. */
  private async make(workTree: string): Promise<string | undefined> {
    const manifest = readUntrustedFile(workTree, 'package.json', MANIFEST_BYTES);
    const lock = readUntrustedFile(workTree, 'package-lock.json', MANIFEST_BYTES);
    if (manifest === undefined || storeRefusals(manifest, lock, this.target).length > 0) {
      return undefined;
    }
    const key = dependencyKey(manifest, lock);
    const cacheKey = this.cache?.key([key, this.target.installSpec, tarballDigest(this.target), this.npm.fingerprint()]);
    const cached = cacheKey === undefined ? undefined : this.cache!.take(cacheKey);
    if (cached) {
      this.source = { key, ...cached.source };
      return cached.modules;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(this.dir, 'package.json'), manifest);
    if (lock !== undefined) {
      fs.writeFileSync(path.join(this.dir, 'package-lock.json'), lock);
    }
    // Beside the store, not in it: npm would take a `.npmrc` in the store for the project's own.
    const npmEnvironment = this.npm.install(`${this.dir}-npm`);
    await exec('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', this.target.installSpec], {
      cwd: this.dir,
      // npm's own cache (shared by the platform's runs) and the run's configuration for domain
      // installs, not the platform's (its token); no token variables.
      inheritEnv: false,
      env: { ...allowedEnvironment(['HOME', 'npm_config_cache']), ...npmEnvironment },
    });
    const result = (file: string) => (fs.existsSync(path.join(this.dir, file)) ? JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')) : undefined);
    this.source = { key, madeIn: this.dir, manifest: result('package.json'), lock: result('package-lock.json') };
    const modules = path.join(this.dir, 'node_modules');
    // Read-only, so that a write through a repository's link fails at once. Only what the
    // repository's code may not change keeps it out: another user's files (root runs), or copies
    // of its own in place of links (a namespace, whose code owns the files), see DomainSandbox.
    makeReadOnly(modules);
    const { key: _key, ...source } = this.source;
    return (cacheKey === undefined ? undefined : this.cache!.keep(cacheKey, this.dir, source))?.modules ?? modules;
  }
}

/**
 * What decides a repository's installed tree: its dependency fields and its locked packages,
 * without its own name and version. Two repositories with the same key get the same tree.
 */
function dependencyKey(manifestText: string, lockText: string | undefined): string {
  const manifest = JSON.parse(manifestText);
  const lock = lockText === undefined ? {} : JSON.parse(lockText);
  const { name: _name, version: _version, ...root } = lock.packages?.[''] ?? {};
  const packages = { ...lock.packages, '': root };
  return stableJson({ fields: DEPENDENCY_FIELDS.map((field) => manifest[field] ?? null), overrides: manifest.overrides ?? null, packages });
}

/** The content's digest of a template given as a tarball (its path may hold another build next time); empty for a published version. */
function tarballDigest(target: UpgradeTarget): string {
  if (!target.templateVersion.startsWith('file:')) {
    return '';
  }
  return crypto.createHash('sha256').update(fs.readFileSync(target.templateVersion.slice('file:'.length))).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Writes the lock file of a repository's tree: in place when it has one (never through a link), else as a new file. */
function writeLockFile(workTree: string, text: string, exists: boolean, owner?: { uid: number; gid: number }): void {
  const file = path.join(workTree, 'package-lock.json');
  if (!exists) {
    // 'wx': a file (or link) put there since the look above is never written through.
    fs.writeFileSync(file, text, { flag: 'wx' });
    if (owner) {
      fs.chownSync(file, owner.uid, owner.gid);
    }
  } else {
    writeUntrustedFile(workTree, 'package-lock.json', text);
  }
}

function makeReadOnly(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      makeReadOnly(file);
    } else if (entry.isFile()) {
      fs.chmodSync(file, fs.statSync(file).mode & 0o555); // eslint-disable-line no-bitwise
    }
  }
}

/**
 * Why a repository's manifest cannot make the shared store: every dependency must come from the
 * registry (a version, a range or a tag) and every locked package from the registry (HTTPS, or
 * npm's default registry where the lock file leaves `resolved` out) with its integrity. A `file:` or `link:` dependency could copy the platform's files into the store, and a
 * git one runs git. The template itself is exempt: the store's install names the target's spec,
 * which replaces whatever the repository asked for.
 */
export function storeRefusals(manifestText: string, lockText: string | undefined, target: UpgradeTarget): string[] {
  const refusals: string[] = [];
  const template = target.installSpec.slice(0, target.installSpec.indexOf('@', 1));
  const manifest = JSON.parse(manifestText);
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries<unknown>(manifest[field] ?? {})) {
      const fromRegistry = typeof spec === 'string' && (semver.validRange(spec) !== null || /^[a-z][a-z0-9._-]*$/i.test(spec));
      if (name !== template && !fromRegistry) {
        refusals.push(`${field}.${name}: ${JSON.stringify(spec)} is not a registry version`);
      }
    }
  }
  if (manifest.overrides !== undefined) {
    refusals.push('overrides: not taken into a shared store');
  }
  const lock = lockText === undefined ? {} : JSON.parse(lockText);
  for (const [location, entry] of Object.entries<any>(lock.packages ?? {})) {
    // Bundled packages come inside their parent's tarball, whose integrity is checked.
    if (location === '' || location === `node_modules/${template}` || location.startsWith(`node_modules/${template}/`) || entry.inBundle) {
      continue;
    }
    // npm may leave out `resolved` for registry packages (omit-lockfile-registry-resolved).
    const fromRegistry = typeof entry.integrity === 'string' && (entry.resolved === undefined || (typeof entry.resolved === 'string' && entry.resolved.startsWith('https://')));
    if (entry.link || !fromRegistry) {
      refusals.push(`package-lock.json ${location}: resolved from ${JSON.stringify(entry.resolved)}, not the registry`);
    }
  }
  return refusals;
}
