/**
 * `sdlf-mesh new domain` run as a user runs it (the compiled command, the real `projen new` from
 * the packed template): its progress, a run that fails half-way and the run after it, and re-runs
 * whose flags differ from the repository.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as semver from 'semver';
import { git } from '../support/git';
import { PACKAGE_ROOT, packNotATemplate, packTemplate } from '../support/packed-template';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

jest.setTimeout(15 * 60_000);

const FLAGS = ['--owner', 'sales-data@example.com', '--environments', 'dev:111111111111:eu-west-1', '--environments', 'prod:222222222222:eu-west-1'];

let root: string;
let dir: string;
let remotesDir: string;
let tarball: string;

beforeAll(async () => {
  tarball = await packTemplate();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'new-domain-'));
  dir = path.join(root, 'sales');
  remotesDir = path.join(root, 'remotes');
});

const newDomain = (...args: string[]) => runSdlfMesh(['new', 'domain', 'sales', '--dir', dir, '--remotes-dir', remotesDir, ...FLAGS, ...args]);

test('a run that fails half-way leaves no folder in the way: the next run generates and publishes the repository, step by step', async () => {
  const failed = await newDomain('--from', await packNotATemplate(root));
  expect(failed.exitCode).toBe(1);
  expect(failed.output).toMatch(/^✗ projen new: .* failed after \d+\.\d s$/m);
  expect(failed.output).toMatch(/generating the repository failed; .*sales is removed again, so a new run starts afresh/);
  expect(fs.existsSync(dir)).toBe(false);

  const run = await newDomain('--from', tarball);
  expect(run.exitCode).toBe(0);
  // Each step on standard error as it starts and ends, whole lines only (no redrawing), in order.
  expect(run.stderr).not.toMatch(/[\r\x1b]/);
  const steps = run.stderr.split('\n').filter((line) => /^[→✓✗] /.test(line));
  expect(steps).toEqual([
    '→ projen new: npm install of projen ...',
    expect.stringMatching(/^✓ projen new: npm install of projen \(\d+\.\d s\)$/),
    '→ projen new: npm install of the template ...',
    expect.stringMatching(/^✓ projen new: npm install of the template \(\d+\.\d s\)$/),
    '→ projen new: npm install of the repository\'s dependencies ...',
    expect.stringMatching(/^✓ projen new: npm install of the repository's dependencies \(\d+\.\d s\)$/),
    '→ projen new: eslint --fix of the generated code ...',
    expect.stringMatching(/^✓ projen new: eslint --fix of the generated code \(\d+\.\d s\)$/),
    '→ projen new: first commit ...',
    expect.stringMatching(/^✓ projen new: first commit \(\d+\.\d s\)$/),
    `→ push to the local remote in ${remotesDir} ...`,
    expect.stringMatching(/^✓ push to the local remote in .* \(\d+\.\d s\)$/),
  ]);
  expect(run.output).toMatch(/^Domain repository "sales" generated in /m);
  expect(run.output).toMatch(/main \([0-9a-f]{12}\) pushed to .*remotes\/sales\.git \(created\)\./);
  expect(run.output).toContain('  - topics: sdlf-domain, domain-sales');
  expect(run.output).not.toMatch(/[→✓]/);
  expect(await git(path.join(remotesDir, 'sales.git'), 'rev-parse', 'main')).toBe(await git(dir, 'rev-parse', 'HEAD'));
  expect(await git(path.join(remotesDir, 'sales.git'), 'ls-tree', '--name-only', 'main', 'dataproducts/')).toBe('dataproducts/orders.yaml');
});

test('the generated repository\'s cdkVersion is in the aws-cdk-lib peer range of the template', () => {
  const peerRange = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).peerDependencies['aws-cdk-lib'];
  const cdkVersion = /^\s*cdkVersion: '([^']+)',$/m.exec(fs.readFileSync(path.join(dir, '.projenrc.ts'), 'utf8'))?.[1];
  expect(semver.satisfies(cdkVersion!, peerRange)).toBe(true);
  const dependency = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies['aws-cdk-lib'];
  expect(semver.satisfies(semver.minVersion(dependency)!, peerRange)).toBe(true);
});

test.each([
  [['--owner', '@acme/sales', ...FLAGS.slice(2)], /^Invalid option "owner": the repository in .*sales was generated with sales-data@example\.com in its \.projenrc\.ts, not @acme\/sales; run again with --owner sales-data@example\.com/m],
  [[...FLAGS.slice(0, 2), '--environments', 'dev'], /^Invalid option "environments": the repository in .* was generated with dev:111111111111:eu-west-1, prod:222222222222:eu-west-1 in its \.projenrc\.ts, not dev; run again with --environments dev:111111111111:eu-west-1 --environments prod:222222222222:eu-west-1/m],
])('a re-run with %j names the flag and the value in the repository, and changes nothing', async (flags, message) => {
  const head = await git(dir, 'rev-parse', 'HEAD');
  const run = await runSdlfMesh(['new', 'domain', 'sales', '--dir', dir, '--remotes-dir', remotesDir, '--from', tarball, ...flags]);
  expect(run.exitCode).toBe(1);
  expect(run.output).toMatch(message);
  expect(run.output).not.toMatch(/would get|generated in|found in/);
  expect(await git(dir, 'rev-parse', 'HEAD')).toBe(head);
});

test('a re-run with the same flags finds the repository and completes nothing twice', async () => {
  const run = await newDomain('--from', tarball);
  expect(run.exitCode).toBe(0);
  expect(run.output).toMatch(/^Domain repository "sales" found in .*\.$/m);
  expect(run.output).toMatch(/already on /);
});
