/**
 * Template stores kept between fleet runs: a store is kept sealed, taken again only while its
 * tree is what was sealed and it is less than a day old, and the cache is refused where another
 * user could have put a store in it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STORE_CACHE_ENV, StoreSource, TemplateStoreCache, treeDigest } from '../../src/fleet/template-store-cache';

const ROOT = process.getuid?.() === 0;
let root: string;
const saved = process.env[STORE_CACHE_ENV];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-cache-'));
  process.env[STORE_CACHE_ENV] = path.join(root, 'cache');
});

afterAll(() => {
  if (saved === undefined) {
    delete process.env[STORE_CACHE_ENV];
  } else {
    process.env[STORE_CACHE_ENV] = saved;
  }
});

/** A store as a run makes it: `node_modules` with a package, a link in `.bin`, files read-only. */
function madeStore(name = 'store'): { dir: string; source: StoreSource } {
  const dir = path.join(root, 'run', name);
  const pkg = path.join(dir, 'node_modules', 'alpha');
  fs.mkdirSync(pkg, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'));
  fs.writeFileSync(path.join(pkg, 'index.js'), "module.exports = 'alpha';\n", { mode: 0o444 });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{"name":"alpha","version":"1.0.0"}', { mode: 0o444 });
  fs.symlinkSync('../alpha/index.js', path.join(dir, 'node_modules', '.bin', 'alpha'));
  return { dir, source: { madeIn: dir, manifest: { dependencies: { alpha: '1.0.0' } } } };
}

const cache = () => TemplateStoreCache.forRun('user')!;

test('a store kept is moved into the cache whole and taken again by the next run, with what npm made of it', () => {
  const { dir, source } = madeStore();
  const key = cache().key(['dependencies', 'sdlf-mesh@1.0.0']);
  const kept = cache().keep(key, dir, source)!;
  expect(fs.existsSync(dir)).toBe(false);
  expect(kept.modules).toBe(path.join(root, 'cache', key, 'store', 'node_modules'));
  expect(fs.readFileSync(path.join(kept.modules, 'alpha', 'index.js'), 'utf8')).toContain('alpha');

  expect(cache().take(key)).toEqual({ modules: kept.modules, source });
  // Another key (other dependencies, template or npm configuration) finds nothing.
  expect(cache().take(cache().key(['dependencies', 'sdlf-mesh@1.0.1']))).toBeUndefined();
  expect(cache().key(['ab', 'c'])).not.toBe(cache().key(['a', 'bc']));
});

test.each([
  ['a file written through a repository\'s link', (modules: string) => {
    const file = path.join(modules, 'alpha', 'index.js');
    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, 'require("child_process").execSync("curl evil");\n');
    fs.chmodSync(file, 0o444);
  }],
  ['a file made writable', (modules: string) => fs.chmodSync(path.join(modules, 'alpha', 'index.js'), 0o666)],
  ['a file added', (modules: string) => fs.writeFileSync(path.join(modules, 'alpha', 'postinstall.js'), '')],
  ['a file removed', (modules: string) => fs.rmSync(path.join(modules, 'alpha', 'package.json'))],
  ['a link pointed elsewhere', (modules: string) => {
    fs.rmSync(path.join(modules, '.bin', 'alpha'));
    fs.symlinkSync('/usr/bin/env', path.join(modules, '.bin', 'alpha'));
  }],
])('a store changed since it was kept (%s) is not taken, and is removed', (_, change) => {
  const { dir, source } = madeStore();
  const key = cache().key(['k']);
  const kept = cache().keep(key, dir, source)!;
  const sealed = treeDigest(kept.modules);
  change(kept.modules);
  expect(treeDigest(kept.modules)).not.toBe(sealed);
  expect(cache().take(key)).toBeUndefined();
  expect(fs.existsSync(path.join(root, 'cache', key))).toBe(false);
});

test('a store kept more than a day ago is not taken: npm would resolve what the lock file leaves open afresh', () => {
  const { dir, source } = madeStore();
  const key = cache().key(['k']);
  cache().keep(key, dir, source);
  const sealFile = path.join(root, 'cache', key, 'seal.json');
  const seal = JSON.parse(fs.readFileSync(sealFile, 'utf8'));
  fs.writeFileSync(sealFile, JSON.stringify({ ...seal, sealedAt: Date.now() - 25 * 60 * 60 * 1000 }));
  expect(cache().take(key)).toBeUndefined();
});

test('the three stores used last are kept; a second store for a key already kept stays with its run', () => {
  const keys = ['a', 'b', 'c', 'd'].map((part) => cache().key([part]));
  keys.forEach((key, index) => {
    const { dir, source } = madeStore(`store-${index}`);
    cache().keep(key, dir, source);
    // The first is used again: the second is the oldest now.
    if (index === 2) {
      const first = path.join(root, 'cache', keys[0]);
      fs.utimesSync(first, new Date(), new Date(Date.now() + 1000));
    }
  });
  expect(fs.readdirSync(path.join(root, 'cache')).sort()).toEqual([keys[0], keys[2], keys[3]].sort());

  const again = madeStore('store-again');
  expect(cache().keep(keys[3], again.dir, again.source)).toBeUndefined();
  expect(fs.existsSync(path.join(again.dir, 'node_modules', 'alpha', 'index.js'))).toBe(true);
  expect(fs.readdirSync(path.join(root, 'cache')).filter((name) => name.includes('.'))).toEqual([]);
});

test('no cache where the repositories run as the platform\'s own user without a namespace, when turned off, or in a folder another user may write', () => {
  expect(TemplateStoreCache.forRun('shared')).toBeUndefined();
  expect(TemplateStoreCache.forRun('namespace')?.dir).toBe(path.join(root, 'cache'));
  process.env[STORE_CACHE_ENV] = 'off';
  expect(TemplateStoreCache.forRun('user')).toBeUndefined();

  const open = path.join(root, 'open');
  fs.mkdirSync(open);
  fs.chmodSync(open, 0o777);
  process.env[STORE_CACHE_ENV] = open;
  expect(TemplateStoreCache.forRun('user')).toBeUndefined();
  if (ROOT) {
    // Made first by another user in a shared /tmp.
    const theirs = path.join(root, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o755 });
    fs.chownSync(theirs, 65534, 65534);
    process.env[STORE_CACHE_ENV] = theirs;
    expect(TemplateStoreCache.forRun('user')).toBeUndefined();
  }
});
