/**
 * What a refused `projen new` takes back: the install it made, never what the folder held before.
 * (test/projects/projen-new-refusal.e2e.test.ts runs the real `projen new` into an empty folder.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkOptionsBeforeProjenNew, removeAbandonedProjenNewInstall } from '../../src/projects/abandoned-projen-new';

const INSTALL_MANIFEST = { devDependencies: { 'projen': '^0.103.0', 'sdlf-mesh': '^1.0.0' } };

let createProject: string | undefined;
beforeEach(() => {
  createProject = process.env.PROJEN_CREATE_PROJECT;
  process.env.PROJEN_CREATE_PROJECT = 'true';
});
afterEach(() => {
  if (createProject === undefined) {
    delete process.env.PROJEN_CREATE_PROJECT;
  } else {
    process.env.PROJEN_CREATE_PROJECT = createProject;
  }
});

/** A folder with what the user had (`before`), then, once `projen new` started, what its install wrote; returns the folder and the start. */
async function folder(before: (dir: string) => void, install: (dir: string) => void): Promise<{ dir: string; started: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-new-'));
  before(dir);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  install(dir);
  return { dir, started };
}

function npmInstall(dir: string) {
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(INSTALL_MANIFEST, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}\n');
  fs.mkdirSync(path.join(dir, 'node_modules', 'projen'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'projen', 'package.json'), '{}\n');
}

test('in a git repository (git init, or a clone of a new GitHub repository), the install goes and the repository stays', async () => {
  const { dir, started } = await folder((d) => {
    fs.mkdirSync(path.join(d, '.git'));
    fs.writeFileSync(path.join(d, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(d, 'README.md'), '# sales\n');
  }, npmInstall);
  removeAbandonedProjenNewInstall(dir, started);
  expect(fs.readdirSync(dir).sort()).toEqual(['.git', 'README.md']);
  expect(fs.readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
});

test('a node_modules the folder had before stays, though npm installed into it', async () => {
  const { dir, started } = await folder((d) => {
    fs.mkdirSync(path.join(d, '.git'));
    fs.mkdirSync(path.join(d, 'node_modules', 'ours'), { recursive: true });
  }, npmInstall);
  removeAbandonedProjenNewInstall(dir, started);
  expect(fs.readdirSync(dir).sort()).toEqual(['.git', 'node_modules']);
  expect(fs.existsSync(path.join(dir, 'node_modules', 'ours'))).toBe(true);
});

test('a package.json of the user\'s own stays, and so does everything else', async () => {
  const { dir, started } = await folder((d) => {
    fs.mkdirSync(path.join(d, '.git'));
    fs.writeFileSync(path.join(d, 'package.json'), '{ "name": "ours" }\n');
  }, (d) => {
    fs.mkdirSync(path.join(d, 'node_modules'));
  });
  removeAbandonedProjenNewInstall(dir, started);
  expect(fs.readdirSync(dir).sort()).toEqual(['.git', 'node_modules', 'package.json']);
});

test('outside `projen new` (a synth of an existing project) nothing is removed', async () => {
  delete process.env.PROJEN_CREATE_PROJECT;
  const { dir, started } = await folder(() => undefined, npmInstall);
  removeAbandonedProjenNewInstall(dir, started);
  expect(fs.readdirSync(dir).sort()).toEqual(['node_modules', 'package-lock.json', 'package.json']);
});

test('accepted options: the template projen new installed is recorded as the run-time dependency the project makes it, so projen reports nothing removed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-new-'));
  npmInstall(dir);
  expect(checkOptionsBeforeProjenNew(dir, () => 'checked')).toBe('checked');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({
    dependencies: { 'sdlf-mesh': '^1.0.0' },
    devDependencies: { projen: '^0.103.0' },
  });
});

test('accepted options in a folder whose package.json is the user\'s own: it is left as it is', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-new-'));
  const own = `${JSON.stringify({ name: 'ours', devDependencies: INSTALL_MANIFEST.devDependencies }, null, 2)}\n`;
  fs.writeFileSync(path.join(dir, 'package.json'), own);
  checkOptionsBeforeProjenNew(dir, () => 'checked');
  expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(own);
});
