/**
 * The fleet's shared install, with the real npm: packages are local tarballs, so no registry is
 * needed. What matters to a user: each repository ends with the tree its own package.json asks
 * for, the packages are installed once, and one repository's install never changes another's.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SharedInstall } from '../../src/fleet/shared-install';
import { exec } from '../../src/util/exec';
import { linkTree } from '../../src/util/link-tree';

jest.setTimeout(120_000);

let root: string;
/** Tarballs of two small packages, by name. */
const tarballs: Record<string, string> = {};

/** A package `name` with one file, packed by npm. */
async function packed(name: string): Promise<string> {
  const dir = path.join(root, 'packages', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', bin: { [name]: 'index.js' } }));
  fs.writeFileSync(path.join(dir, 'index.js'), `#!/usr/bin/env node\nmodule.exports = '${name}';\n`);
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', path.join(root, 'packages')], { cwd: dir });
  return path.join(root, 'packages', JSON.parse(stdout)[0].filename);
}

/** A repository that depends on the packages named. */
function repository(name: string, ...dependencies: string[]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', dependencies: Object.fromEntries(dependencies.map((dep) => [dep, `file:${tarballs[dep]}`])) }));
  return dir;
}

/** Its `npm install`, with a record of whether it found a node_modules to start from. */
function npmInstall(dir: string, startedWith: Record<string, boolean>) {
  return async () => {
    startedWith[path.basename(dir)] = fs.existsSync(path.join(dir, 'node_modules', 'alpha'));
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: dir });
  };
}

const inode = (file: string) => fs.statSync(file).ino;
/** The name npm installed at node_modules/<name> of a repository, if any. */
const installed = (dir: string, name: string) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).name;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-install-'));
  tarballs.alpha = await packed('alpha');
  tarballs.beta = await packed('beta');
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('repositories side by side: the first installs, the others wait and start from its tree, and each ends with what it asks for', async () => {
  const shared = new SharedInstall(fs.mkdtempSync(path.join(root, 'run-')));
  const first = repository('first', 'alpha');
  const second = repository('second', 'alpha');
  const third = repository('third', 'alpha', 'beta');
  const startedWith: Record<string, boolean> = {};

  await Promise.all([first, second, third].map((dir) => shared.install(dir, npmInstall(dir, startedWith))));

  expect(startedWith).toEqual({ first: false, second: true, third: true });
  // The second repository's packages are the first one's files, not copies.
  expect(inode(path.join(second, 'node_modules/alpha/index.js'))).toBe(inode(path.join(first, 'node_modules/alpha/index.js')));
  // The third asked for one package more: npm added it there, and only there.
  expect(installed(third, 'beta')).toBe('beta');
  expect(fs.existsSync(path.join(first, 'node_modules/beta'))).toBe(false);
  expect(fs.existsSync(path.join(second, 'node_modules/beta'))).toBe(false);
  expect(fs.readlinkSync(path.join(second, 'node_modules/.bin/alpha'))).toBe('../alpha/index.js');
  // npm's record of each tree is each repository's own.
  expect(inode(path.join(third, 'node_modules/.package-lock.json'))).not.toBe(inode(path.join(first, 'node_modules/.package-lock.json')));
  expect(JSON.parse(fs.readFileSync(path.join(first, 'node_modules/.package-lock.json'), 'utf8')).packages).not.toHaveProperty(['node_modules/beta']);
});

test('when the first install fails, the next repository installs the packages itself', async () => {
  const shared = new SharedInstall(fs.mkdtempSync(path.join(root, 'run-')));
  const broken = repository('broken', 'alpha');
  const next = repository('next', 'alpha');
  const startedWith: Record<string, boolean> = {};
  const failing = async () => {
    throw new Error('npm install failed');
  };

  const results = await Promise.allSettled([shared.install(broken, failing), shared.install(next, npmInstall(next, startedWith))]);

  expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
  expect(startedWith).toEqual({ next: false });
  expect(installed(next, 'alpha')).toBe('alpha');
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
