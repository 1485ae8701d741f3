/**
 * `sdlf-mesh new domain` run as a user runs it (the compiled command, the real `projen new` from
 * the packed template): its progress, a run that fails half-way, and re-runs whose flags differ
 * from the repository. The first run is the one of `newDomainRun`, which the suites of a test run
 * share; the re-runs work on clones of what it left.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as semver from 'semver';
import { git } from '../support/git';
import { NewDomainRun, SALES_DOMAIN_FLAGS, cloneOfNewDomain, newDomainRun } from '../support/new-domain-run';
import { PACKAGE_ROOT, packNotATemplate } from '../support/packed-template';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

jest.setTimeout(15 * 60_000);

let first: NewDomainRun;
/** A clone of the first run's repository, and a copy of the local remote it pushed to (its origin). */
let dir: string;
let remotesDir: string;

beforeAll(async () => {
  first = await newDomainRun();
  dir = await cloneOfNewDomain();
  remotesDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'new-domain-remotes-')), 'remotes');
  await git(os.tmpdir(), 'clone', '--quiet', '--bare', path.join(first.remotesDir, 'sales.git'), path.join(remotesDir, 'sales.git'));
  await git(dir, 'remote', 'add', 'origin', path.join(remotesDir, 'sales.git'));
});

const rerun = (...flags: string[]) => runSdlfMesh(['new', 'domain', 'sales', '--dir', dir, '--remotes-dir', remotesDir, '--from', first.tarball, ...flags]);

test('a run that fails half-way leaves no folder in the way of the next run', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'new-domain-'));
  const failedDir = path.join(root, 'sales');
  const failed = await runSdlfMesh(['new', 'domain', 'sales', '--dir', failedDir, '--remotes-dir', path.join(root, 'remotes'), ...SALES_DOMAIN_FLAGS,
    '--from', await packNotATemplate(root)]);
  expect(failed.exitCode).toBe(1);
  expect(failed.output).toMatch(/^✗ projen new: .* failed after \d+\.\d s$/m);
  expect(failed.output).toMatch(/generating the repository failed; .*sales is removed again, so a new run starts afresh/);
  expect(fs.existsSync(failedDir)).toBe(false);
});

test('a run in a new folder generates and publishes the repository, step by step', async () => {
  const { run } = first;
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
    `→ push to the local remote in ${first.remotesDir} ...`,
    expect.stringMatching(/^✓ push to the local remote in .* \(\d+\.\d s\)$/),
  ]);
  expect(run.output).toMatch(/^Domain repository "sales" generated in /m);
  expect(run.output).toMatch(/main \([0-9a-f]{12}\) pushed to .*remotes\/sales\.git \(created\)\./);
  expect(run.output).toContain('  - topics: sdlf-domain, domain-sales');
  expect(run.output).not.toMatch(/[→✓]/);
  expect(await git(path.join(first.remotesDir, 'sales.git'), 'rev-parse', 'main')).toBe(await git(first.dir, 'rev-parse', 'HEAD'));
  expect(await git(path.join(first.remotesDir, 'sales.git'), 'ls-tree', '--name-only', 'main', 'dataproducts/')).toBe('dataproducts/orders.yaml');
});

test('the generated repository\'s cdkVersion is in the aws-cdk-lib peer range of the template', () => {
  const peerRange = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).peerDependencies['aws-cdk-lib'];
  const cdkVersion = /^\s*cdkVersion: '([^']+)',$/m.exec(fs.readFileSync(path.join(first.dir, '.projenrc.ts'), 'utf8'))?.[1];
  expect(semver.satisfies(cdkVersion!, peerRange)).toBe(true);
  const dependency = JSON.parse(fs.readFileSync(path.join(first.dir, 'package.json'), 'utf8')).dependencies['aws-cdk-lib'];
  expect(semver.satisfies(semver.minVersion(dependency)!, peerRange)).toBe(true);
});

test.each([
  [['--owner', 'sales-data@example.com', ...SALES_DOMAIN_FLAGS.slice(2)], /^Invalid option "owner": the repository in .*sales was generated with @acme\/sales in its \.projenrc\.ts, not sales-data@example\.com; run again with --owner @acme\/sales/m],
  [[...SALES_DOMAIN_FLAGS.slice(0, 4), '--environments', 'dev'], /^Invalid option "environments": the repository in .* was generated with dev:111111111111:eu-west-1, test, prod:222222222222:eu-west-1 in its \.projenrc\.ts, not dev; run again with --environments dev:111111111111:eu-west-1 --environments test --environments prod:222222222222:eu-west-1/m],
])('a re-run with %j names the flag and the value in the repository, and changes nothing', async (flags, message) => {
  const head = await git(dir, 'rev-parse', 'HEAD');
  const run = await rerun(...flags);
  expect(run.exitCode).toBe(1);
  expect(run.output).toMatch(message);
  expect(run.output).not.toMatch(/would get|generated in|found in/);
  expect(await git(dir, 'rev-parse', 'HEAD')).toBe(head);
});

test('a re-run with the same flags finds the repository and completes nothing twice', async () => {
  const run = await rerun(...SALES_DOMAIN_FLAGS);
  expect(run.exitCode).toBe(0);
  expect(run.output).toMatch(/^Domain repository "sales" found in .*\.$/m);
  expect(run.output).toMatch(/already on /);
});
