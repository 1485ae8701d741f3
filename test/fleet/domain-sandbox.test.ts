/**
 * Where a domain's code runs during a fleet upgrade, with the real npm on local tarballs (no
 * registry needed). What matters to a platform team: the domain's install and synth see no token,
 * cannot reach the platform's process, and cannot change the packages or the trees that other
 * repositories of the run use; the packages are still installed once.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainSandbox, RepositorySandbox, SandboxIsolation } from '../../src/fleet/domain-sandbox';
import { storeRefusals, TemplateStore } from '../../src/fleet/template-store';
import { STORE_CACHE_ENV, TemplateStoreCache, treeDigest } from '../../src/fleet/template-store-cache';
import { UpgradeTarget } from '../../src/fleet/template-version';
import { CommandTimedOutError, exec } from '../../src/util/exec';
import { copyTree, linkTree } from '../../src/util/link-tree';

jest.setTimeout(120_000);

const ROOT = process.getuid?.() === 0;
const TOKEN = 'ghp_platformTokenThatMustNotLeak0123456789';
let root: string;
/** Tarballs of two small packages, by name. */
const tarballs: Record<string, string> = {};
let target: UpgradeTarget;

/** A package `name` with one file and a bin, packed by npm. */
async function packed(name: string): Promise<string> {
  const dir = path.join(root, 'packages', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', bin: { [name]: 'index.js' } }));
  fs.writeFileSync(path.join(dir, 'index.js'), `#!/usr/bin/env node\nmodule.exports = '${name}';\n`);
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', path.join(root, 'packages')], { cwd: dir });
  return path.join(root, 'packages', JSON.parse(stdout)[0].filename);
}

/** Whether bubblewrap can make a namespace on this machine. */
const BWRAP = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-all', 'true']).status === 0;
/** The isolations this machine gives: a user of its own needs root; a namespace, bubblewrap. */
const ISOLATIONS: SandboxIsolation[] = [...(ROOT ? ['user' as const] : []), ...(BWRAP ? ['namespace' as const] : [])];
if (!BWRAP) {
  console.log('bubblewrap (bwrap) cannot make a namespace here: the namespace sandbox is not tested.');
}

/** A run's sandbox and store, in a scratch space of its own. */
function newRun(isolation?: SandboxIsolation, cache?: TemplateStoreCache) {
  const scratch = fs.mkdtempSync(path.join(root, 'run-'));
  const sandbox = DomainSandbox.forRun(scratch, { stepTimeoutMs: 60_000, isolation: isolation ?? ISOLATIONS[0] ?? 'shared' });
  return { scratch, sandbox, store: new TemplateStore(path.join(scratch, 'store'), target, undefined, cache) };
}

/** A repository of the run that depends on the template (`alpha`) and on the packages named. */
function repository(run: ReturnType<typeof newRun>, name: string, ...more: string[]): RepositorySandbox {
  const sandbox = run.sandbox.forRepository(path.join(run.scratch, name));
  fs.mkdirSync(sandbox.workTree);
  const dependencies = Object.fromEntries([['alpha', target.templateVersion], ...more.map((dep) => [dep, `file:${tarballs[dep]}`])]);
  fs.writeFileSync(path.join(sandbox.workTree, 'package.json'), JSON.stringify({ name, version: '0.0.0', dependencies }));
  sandbox.handOver();
  return sandbox;
}

/** What the upgrade's install step did for a repository. */
const ranNpm: Record<string, boolean> = {};

/**
 * The upgrade's install step: the store linked in (or copied, as the sandbox says), then, unless the store completes the install
 * (the repository's dependencies are the ones it was made from), the repository's own npm
 * install of the template, in its sandbox.
 */
async function install(run: ReturnType<typeof newRun>, repo: RepositorySandbox): Promise<boolean> {
  const linked = await run.store.linkInto(repo.workTree, repo.owner, repo.sharedPackages);
  ranNpm[repo.workTree] = !(linked && run.store.completeInstall(repo.workTree, repo.owner));
  if (ranNpm[repo.workTree]) {
    await npmInstall(repo);
  }
  return linked;
}

const npmInstall = (repo: RepositorySandbox) => repo.run('npm', ['install', '--offline', '--no-audit', '--no-fund', target.installSpec]);

const inode = (file: string) => fs.statSync(file).ino;

/**
 * Checks that a repository's `relative` file came from the store's `storeFile`: the store's very
 * file where the repository gets links, a copy of its own (the same content) where it gets copies.
 */
function expectFromStore(repo: RepositorySandbox, relative: string, storeFile: string): void {
  const file = path.join(repo.workTree, relative);
  if (repo.sharedPackages === 'link') {
    expect(inode(file)).toBe(inode(storeFile));
  } else {
    expect(inode(file)).not.toBe(inode(storeFile));
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(storeFile, 'utf8'));
  }
}

/** The inodes of every file of a tree. */
function inodes(dir: string): Set<number> {
  const found = new Set<number>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      found.add(inode(path.join(entry.parentPath ?? entry.path, entry.name)));
    }
  }
  return found;
}

/** Runs `body` with the run's stores kept in `dir` (see {@link STORE_CACHE_ENV}), and the variable as it was after. */
async function withStoreCache<T>(dir: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env[STORE_CACHE_ENV];
  process.env[STORE_CACHE_ENV] = dir;
  try {
    return await body();
  } finally {
    if (saved === undefined) {
      delete process.env[STORE_CACHE_ENV];
    } else {
      process.env[STORE_CACHE_ENV] = saved;
    }
  }
}
const installed = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).name;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'domain-sandbox-'));
  // The repositories' users read the packages from here, as they read the target's tarball.
  fs.chmodSync(root, 0o755);
  tarballs.alpha = await packed('alpha');
  tarballs.beta = await packed('beta');
  target = { version: '1.0.0', templateVersion: `file:${tarballs.alpha}`, installSpec: `alpha@file:${tarballs.alpha}` };
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('repositories side by side: the store is installed once, each repository starts from it (links, or copies where its code owns the files) and ends with what it asks for', async () => {
  const run = newRun();
  const [first, second, third] = [repository(run, 'first'), repository(run, 'second'), repository(run, 'third', 'beta')];

  const linked = await Promise.all([first, second, third].map((repo) => install(run, repo)));

  expect(linked).toEqual([true, true, true]);
  const storeFile = path.join(run.scratch, 'store', 'node_modules', 'alpha', 'index.js');
  // The packages are the store's files (links), or copies of them where the repository's code runs as their owner (a namespace).
  for (const repo of [first, second, third]) {
    expectFromStore(repo, 'node_modules/alpha/index.js', storeFile);
  }
  // The third asked for one package more: npm added it there, and only there.
  expect(installed(third.workTree, 'beta')).toBe('beta');
  expect(fs.existsSync(path.join(first.workTree, 'node_modules/beta'))).toBe(false);
  expect(fs.readlinkSync(path.join(second.workTree, 'node_modules/.bin/alpha'))).toBe('../alpha/index.js');
  // The first two have the dependencies the store was made from: npm ran for the third only.
  expect([first, second, third].map((repo) => ranNpm[repo.workTree])).toEqual([false, false, true]);
  expect(await second.run('node_modules/.bin/alpha', [])).toBeDefined();
});

test('a repository the store completes ends with the package.json and lock file its own npm install makes', async () => {
  const run = newRun();
  const completed = repository(run, 'completed');
  await install(run, completed);
  const control = repository(newRun(), 'control');
  await npmInstall(control);

  expect(ranNpm[completed.workTree]).toBe(false);
  const read = (repo: RepositorySandbox, file: string) => JSON.parse(fs.readFileSync(path.join(repo.workTree, file), 'utf8'));
  const named = (lock: any, name: string) => ({ ...lock, name, packages: { ...lock.packages, '': { ...lock.packages[''], name } } });
  expect(read(completed, 'package.json')).toEqual({ ...read(control, 'package.json'), name: 'completed' });
  expect(read(completed, 'package-lock.json')).toEqual(named(read(control, 'package-lock.json'), 'completed'));
  if (ROOT) {
    expect(fs.statSync(path.join(completed.workTree, 'package-lock.json')).uid).toBe(completed.id);
  }
  // And npm itself finds nothing to change in it.
  await npmInstall(completed);
  expect(read(completed, 'package-lock.json')).toEqual(named(read(control, 'package-lock.json'), 'completed'));
});

test('a store kept by one run serves the next run\'s repositories as a fresh install would; one changed between runs is made again', async () => {
  await withStoreCache(path.join(root, 'kept-stores'), async () => {
    const cache = TemplateStoreCache.forRun('user')!;
    const firstRun = newRun(undefined, cache);
    const first = repository(firstRun, 'first');
    await install(firstRun, first);
    // The store moved into the cache: the run's repositories start from the kept files.
    expect(fs.existsSync(path.join(firstRun.scratch, 'store'))).toBe(false);
    const [kept] = fs.readdirSync(cache.dir);
    const keptFile = path.join(cache.dir, kept, 'store', 'node_modules', 'alpha', 'index.js');
    expectFromStore(first, 'node_modules/alpha/index.js', keptFile);

    // The next run installs nothing: not the store (its scratch has none), not the repository.
    const nextRun = newRun(undefined, cache);
    const next = repository(nextRun, 'next');
    await install(nextRun, next);
    expect(fs.existsSync(path.join(nextRun.scratch, 'store'))).toBe(false);
    expect(ranNpm[next.workTree]).toBe(false);
    expectFromStore(next, 'node_modules/alpha/index.js', keptFile);
    const control = repository(newRun(), 'control');
    await npmInstall(control);
    const read = (repo: RepositorySandbox, file: string) => JSON.parse(fs.readFileSync(path.join(repo.workTree, file), 'utf8'));
    expect(read(next, 'package.json')).toEqual({ ...read(control, 'package.json'), name: 'next' });
    expect(read(next, 'package-lock.json').packages['node_modules/alpha']).toEqual(read(control, 'package-lock.json').packages['node_modules/alpha']);

    // Changed between runs (as any process of the platform's user could).
    fs.chmodSync(keptFile, 0o644);
    fs.appendFileSync(keptFile, "require('fs').writeFileSync(process.cwd() + '/planted-code-ran', 'yes');\n");
    const thirdRun = newRun(undefined, cache);
    const third = repository(thirdRun, 'third');
    await install(thirdRun, third);
    await third.run(process.execPath, ['-e', "require('alpha')"]);
    expect(fs.existsSync(path.join(third.workTree, 'planted-code-ran'))).toBe(false);
    expect(fs.readFileSync(path.join(third.workTree, 'node_modules/alpha/index.js'), 'utf8')).not.toContain('planted');
  });
});

describe.each(ISOLATIONS)('isolated by %s', (isolation) => {
  test('a repository that writes into its packages, every way its user can, changes neither the store nor what the next repository runs', async () => {
    // A kept store, which a namespace sees (read-only) where it would not see the run's own.
    await withStoreCache(path.join(root, `kept-stores-${isolation}`), async () => {
      const run = newRun(isolation, TemplateStoreCache.forRun(isolation));
      const hostile = repository(run, 'hostile');
      await install(run, hostile);
      const [kept] = fs.readdirSync(path.join(root, `kept-stores-${isolation}`)).filter((name) => !name.includes('.'));
      const storeModules = path.join(root, `kept-stores-${isolation}`, kept, 'store', 'node_modules');
      const storeFile = path.join(storeModules, 'alpha', 'index.js');
      const before = { text: fs.readFileSync(storeFile, 'utf8'), mode: fs.statSync(storeFile).mode, digest: treeDigest(storeModules) };
      const planted = "require('fs').writeFileSync(process.cwd() + '/planted-code-ran', 'yes');\n";
      const attack = [
        'const fs = require("fs");',
        'const [own, store, planted] = process.argv.slice(1);',
        'const tried = {};',
        'const attempt = (name, action) => { try { action(); tried[name] = "done"; } catch (error) { tried[name] = error.code; } };',
        'attempt("append", () => fs.appendFileSync(own, planted));',
        'attempt("chmod", () => fs.chmodSync(own, 0o644));',
        'attempt("append after chmod", () => fs.appendFileSync(own, planted));',
        'attempt("store: append", () => fs.appendFileSync(store, planted));',
        'attempt("store: chmod", () => fs.chmodSync(store, 0o644));',
        'attempt("store: link into its tree", () => fs.linkSync(store, "linked.js"));',
        'attempt("replace", () => { const text = fs.readFileSync(own, "utf8"); fs.unlinkSync(own); fs.writeFileSync(own, text + planted); });',
        'console.log(JSON.stringify(tried));',
      ].join('\n');

      const tried = JSON.parse((await hostile.run(process.execPath, ['-e', attack, 'node_modules/alpha/index.js', storeFile, planted])).stdout);

      if (isolation === 'user') {
        // Another user's files: no change in place, only a file of its own in their stead.
        const refused = expect.stringMatching(/^(EACCES|EPERM)$/);
        expect(tried).toMatchObject({ 'append': 'EACCES', 'chmod': 'EPERM', 'append after chmod': 'EACCES', 'store: append': refused, 'store: chmod': refused, 'replace': 'done' });
      } else {
        // Its own copies: it may change them, and nothing else. The store is read-only in its
        // namespace, and a link to it from its folder (another mount) is refused.
        expect(tried).toEqual({
          // Read-only, but its own: root's namespace (in these tests) may write it at once.
          'append': ROOT ? 'done' : 'EACCES',
          'chmod': 'done',
          'append after chmod': 'done',
          // Its read-only mode refuses it first; root's namespace passes the mode and meets the read-only mount.
          'store: append': ROOT ? 'EROFS' : 'EACCES',
          'store: chmod': 'EROFS',
          'store: link into its tree': 'EXDEV',
          'replace': 'done',
        });
        // No file of its tree is a file of the store.
        const shared = [...inodes(path.join(hostile.workTree, 'node_modules'))].filter((ino) => inodes(storeModules).has(ino));
        expect(shared).toEqual([]);
      }
      expect({ text: fs.readFileSync(storeFile, 'utf8'), mode: fs.statSync(storeFile).mode, digest: treeDigest(storeModules) }).toEqual(before);
      const next = repository(run, 'next');
      await install(run, next);
      await next.run(process.execPath, ['-e', "require('alpha')"]);
      expect(fs.existsSync(path.join(next.workTree, 'planted-code-ran'))).toBe(false);
      expect(fs.readFileSync(path.join(next.workTree, 'node_modules/alpha/index.js'), 'utf8')).toBe(before.text);
    });
  });

  test('a domain\'s code sees no token, no git credentials, not the platform\'s process and not another repository', async () => {
    const run = newRun(isolation);
    const [one, two] = [repository(run, 'one'), repository(run, 'two')];
    const saved = { ...process.env };
    Object.assign(process.env, { GITHUB_TOKEN: TOKEN, GH_TOKEN: TOKEN, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: ${TOKEN}` });
    try {
      const probe = [
        'const fs = require("fs");',
        'const read = (file) => { try { return fs.readFileSync(file, "utf8"); } catch (error) { return error.code; } };',
        `console.log(JSON.stringify({ env: process.env, uid: process.getuid(), parent: read("/proc/${process.pid}/environ"), other: read(${JSON.stringify(path.join(two.workTree, 'package.json'))}) }));`,
      ].join('\n');
      const seen = JSON.parse((await one.run(process.execPath, ['-e', probe])).stdout);

      expect(JSON.stringify(seen)).not.toContain(TOKEN);
      expect(Object.keys(seen.env).filter((key) => key.startsWith('GIT_CONFIG') || /TOKEN/.test(key))).toEqual([]);
      expect(seen.env.HOME).toBe(path.join(run.scratch, 'one', 'home'));
      // The platform's process is out of reach: another user's (EACCES), or not there at all (a
      // namespace of processes of its own); so is the other repository's tree.
      expect(['EACCES', 'ENOENT']).toContain(seen.parent);
      expect(['EACCES', 'ENOENT']).toContain(seen.other);
      if (isolation === 'user') {
        expect(seen.uid).not.toBe(0);
        expect(seen.uid).not.toBe(two.id);
      }
    } finally {
      process.env = saved;
    }
  });

  test('a daemon a step starts in a session of its own (setsid) is gone when the step ends', async () => {
    const run = newRun(isolation);
    const repo = repository(run, 'daemon');
    const marker = `sdlf-mesh-daemon-${isolation}-${process.pid}`;

    const started = Date.now();
    // As a postinstall would: a daemon in a new session and process group, holding the step's output open.
    await repo.run('sh', ['-c', `setsid "${process.execPath}" -e "setInterval(() => {}, 1000)" ${marker} & sleep 0.5`]);

    expect(Date.now() - started).toBeLessThan(10_000);
    const left = await exec('pgrep', ['-f', marker], { cwd: root }).then((r) => r.stdout, () => '');
    expect(left).toBe('');
  });

  test('a step\'s output is capped: its last MiB is kept, with how much was dropped', async () => {
    const repo = repository(newRun(isolation), 'loud');
    const print = "const b = Buffer.alloc(1024 * 1024, 'x'); let n = 200; const w = () => { while (n-- > 0) if (!process.stdout.write(b)) return process.stdout.once('drain', w); console.log('done'); }; w();";

    const result = await repo.run(process.execPath, ['-e', print]);

    expect(result.stdout).toMatch(/^… 199 MiB of output dropped\nx+done\n$/);
    expect(Buffer.byteLength(result.stdout)).toBeLessThan(1024 * 1024 + 100);
  });
});

(ROOT ? test : test.skip)('as its own user, a repository\'s processes run with limits on their number and memory', async () => {
  const repo = repository(newRun('user'), 'limited');
  const limits = (await repo.run('cat', ['/proc/self/limits'])).stdout;
  expect(limits).toMatch(/^Max processes\s+2048\s+2048\s/m);
  expect(limits).toMatch(/^Max data size\s+4294967296\s+4294967296\s/m);
});

(ROOT ? test : test.skip)('sandbox users are never reused: each repository of a run has its own, and a run takes no user a process has', async () => {
  const first = newRun('user');
  const ids = Array.from({ length: 5 }, (_, i) => first.sandbox.forRepository(path.join(first.scratch, `r${i}`)).id);
  expect(new Set(ids).size).toBe(5);
  // A process left as the first user of the run (another run's, a killed run's): the next run takes other users.
  const left = spawn('sleep', ['30'], { uid: ids[0], gid: ids[0], stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = newRun('user');
    const next = second.sandbox.forRepository(path.join(second.scratch, 'r0')).id!;
    expect(next).not.toBe(ids[0]);
    expect(Math.abs(next - ids[0]!)).toBeGreaterThanOrEqual(0x1_0000);
  } finally {
    left.kill('SIGKILL');
  }
});

test('a step that runs past its limit is stopped with everything it started', async () => {
  const run = newRun();
  const repo = repository(run, 'slow');
  const marker = `sdlf-mesh-sleep-${process.pid}`;

  const started = Date.now();
  // A shell that starts a long process and waits for it, as npx starts node.
  const error = await repo.run('sh', ['-c', `"${process.execPath}" -e "setTimeout(() => {}, 30000)" ${marker} & wait`], { timeoutMs: 500 }).catch((e) => e);

  expect(error).toBeInstanceOf(CommandTimedOutError);
  expect(error.message).toMatch(/was stopped after 1 s, its time limit/);
  expect(Date.now() - started).toBeLessThan(10_000);
  const left = await exec('pgrep', ['-f', marker], { cwd: root }).then((r) => r.stdout, () => '');
  expect(left).toBe('');
});

test('the store takes only registry packages and the template: never a file, git or link dependency', () => {
  const manifest = (dependencies: Record<string, string>, extra: object = {}) => JSON.stringify({ name: 'x', dependencies, ...extra });
  const lock = (packages: Record<string, object>) => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, ...packages } });
  const registry = { resolved: 'https://registry.example/projen/-/projen-0.103.0.tgz', integrity: 'sha512-abc' };

  expect(storeRefusals(manifest({ alpha: 'file:/old/alpha.tgz', projen: '^0.103.0', constructs: 'latest' }), lock({ 'node_modules/projen': registry, 'node_modules/alpha': { resolved: 'file:../old/alpha.tgz' } }), target)).toEqual([]);
  expect(storeRefusals(manifest({ secrets: 'file:/root/.ssh' }), undefined, target)).toEqual(['dependencies.secrets: "file:/root/.ssh" is not a registry version']);
  expect(storeRefusals(manifest({ tool: 'git+https://example.com/tool.git' }), undefined, target)).toHaveLength(1);
  expect(storeRefusals(manifest({}, { overrides: { projen: 'file:../projen' } }), undefined, target)).toEqual(['overrides: not taken into a shared store']);
  expect(storeRefusals(manifest({ projen: '^0.103.0' }), lock({ 'node_modules/projen': { resolved: 'file:/etc', link: true } }), target)).toHaveLength(1);
  expect(storeRefusals(manifest({ projen: '^0.103.0' }), lock({ 'node_modules/projen': { resolved: 'http://mirror.example/projen.tgz', integrity: 'sha512-abc' } }), target)).toHaveLength(1);
  expect(storeRefusals(manifest({ projen: '^0.103.0' }), lock({ 'node_modules/projen': { resolved: 'git+ssh://git@example.com/projen.git' } }), target)).toHaveLength(1);
  // A lock file that leaves out the registry's address (npm's omit-lockfile-registry-resolved).
  expect(storeRefusals(manifest({ projen: '^0.103.0' }), lock({ 'node_modules/projen': { version: '0.103.0', integrity: 'sha512-abc' } }), target)).toEqual([]);
});

test('a repository whose manifest the store refuses installs on its own; the next one makes the store', async () => {
  const run = newRun();
  const refused = repository(run, 'refused', 'beta');
  const next = repository(run, 'next');

  expect(await install(run, refused)).toBe(false);
  expect(installed(refused.workTree, 'alpha')).toBe('alpha');
  expect(await install(run, next)).toBe(true);
  expect(fs.existsSync(path.join(run.scratch, 'store/node_modules/beta'))).toBe(false);
});

test('a linked tree keeps relative symbolic links, and copies the files named instead of linking them', () => {
  const from = fs.mkdtempSync(path.join(root, 'tree-'));
  fs.mkdirSync(path.join(from, 'pkg/lib'), { recursive: true });
  fs.writeFileSync(path.join(from, 'pkg/lib/index.js'), 'x');
  fs.writeFileSync(path.join(from, 'record.json'), '{}');
  fs.symlinkSync('pkg/lib/index.js', path.join(from, 'link'));
  const to = path.join(root, 'tree-copy');

  linkTree(from, to, new Set(['record.json']));

  expect(inode(path.join(to, 'pkg/lib/index.js'))).toBe(inode(path.join(from, 'pkg/lib/index.js')));
  expect(inode(path.join(to, 'record.json'))).not.toBe(inode(path.join(from, 'record.json')));
  expect(fs.readFileSync(path.join(to, 'record.json'), 'utf8')).toBe('{}');
  expect(fs.readFileSync(path.join(to, 'link'), 'utf8')).toBe('x');
  expect(fs.readlinkSync(path.join(to, 'link'))).toBe('pkg/lib/index.js');
});

test('a copied tree has files of its own, with their permission bits, and keeps relative symbolic links', async () => {
  const from = fs.mkdtempSync(path.join(root, 'tree-'));
  fs.mkdirSync(path.join(from, 'pkg/bin'), { recursive: true });
  fs.writeFileSync(path.join(from, 'pkg/index.js'), 'x');
  fs.chmodSync(path.join(from, 'pkg/index.js'), 0o444);
  fs.writeFileSync(path.join(from, 'pkg/bin/run'), '#!/bin/sh\n');
  fs.chmodSync(path.join(from, 'pkg/bin/run'), 0o555);
  fs.symlinkSync('../pkg/bin/run', path.join(from, 'pkg/.bin-run'));
  const to = path.join(root, 'tree-copied');

  await copyTree(from, to);

  for (const [file, mode] of [['pkg/index.js', 0o444], ['pkg/bin/run', 0o555]] as const) {
    expect(inode(path.join(to, file))).not.toBe(inode(path.join(from, file)));
    expect(fs.readFileSync(path.join(to, file), 'utf8')).toBe(fs.readFileSync(path.join(from, file), 'utf8'));
    expect(fs.statSync(path.join(to, file)).mode & 0o777).toBe(mode); // eslint-disable-line no-bitwise
  }
  expect(fs.readlinkSync(path.join(to, 'pkg/.bin-run'))).toBe('../pkg/bin/run');
  // Its copy is its own to change.
  fs.chmodSync(path.join(to, 'pkg/index.js'), 0o644);
  fs.appendFileSync(path.join(to, 'pkg/index.js'), 'y');
  expect(fs.readFileSync(path.join(from, 'pkg/index.js'), 'utf8')).toBe('x');
});
