/**
 * The apply phase of an upgrade holds the write credential and takes the proposal of a job that
 * ran a domain's code: the proposal is hostile input. Each case here is a proposal a domain could
 * make, applied with real git to a local bare repository; only a well-formed change on the
 * repository's own history is pushed, as the platform's commit.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyProposal } from '../../src/fleet/apply-proposal';
import { applyWave } from '../../src/fleet/apply-wave';
import { FleetDiscovery } from '../../src/fleet/fleet-discovery';
import { FleetRepository } from '../../src/fleet/fleet-host';
import { LocalFleetHost } from '../../src/fleet/local-fleet-host';
import { UpgradeProposal, writeProposal } from '../../src/fleet/upgrade-proposal';
import { git, repositoryWith } from '../support/git';

const BRANCH = 'sdlf-mesh/upgrade-0.2.0';
let remotes: string;
let work: string;
let base: string;
let patch: Buffer;
let host: LocalFleetHost;
let alpha: FleetRepository;
let scratch: string;

/** A proposal folder with `changes` over the well-formed proposal, and `patchBytes` as its patch. */
function proposalDir(changes: Partial<UpgradeProposal> = {}, patchBytes: Buffer | undefined = patch): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'proposal-'));
  writeProposal(dir, { repository: 'alpha', base, from: '0.1.0', to: '0.2.0', status: 'change', body: 'The template moved from 0.1.0 to 0.2.0.', ...changes }, patchBytes);
  return dir;
}

const apply = (proposal: string) => applyProposal(alpha, { host, to: '0.2.0', proposalDir: proposal, dir: fs.mkdtempSync(path.join(scratch, 'apply-')), stepTimeoutMs: 60_000 });
const branchOf = async () => (await git(alpha.cloneUrl, 'branch', '--list', BRANCH)).trim();

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-proposal-'));
  work = await repositoryWith({ 'package.json': '{"dependencies":{"sdlf-mesh":"0.1.0"}}\n', 'README.md': '# alpha\n' });
  base = await git(work, 'rev-parse', 'HEAD');
  remotes = path.join(scratch, 'remotes');
  fs.mkdirSync(remotes);
  await git(scratch, 'clone', '-q', '--bare', work, path.join(remotes, 'alpha.git'));
  // The upgrade as a propose job makes it: package.json pinned to 0.2.0, a file the template adds.
  fs.writeFileSync(path.join(work, 'package.json'), '{"dependencies":{"sdlf-mesh":"0.2.0"}}\n');
  fs.writeFileSync(path.join(work, 'governance.test.ts'), '// new in 0.2.0\n');
  await git(work, 'add', '--all');
  patch = Buffer.from(await git(work, 'diff', '--cached', '--binary', base) + '\n');
  host = new LocalFleetHost([remotes]);
  [alpha] = await host.listRepositories();
});

test('a well-formed proposal is pushed as the platform\'s commit on the repository\'s base, and the request opened; applied again, nothing is pushed', async () => {
  const proposal = proposalDir();
  const first = await apply(proposal);
  expect(first).toMatchObject({ status: 'upgraded', from: '0.1.0', to: '0.2.0', branch: BRANCH, requestCreated: true });
  const bare = alpha.cloneUrl;
  expect(await git(bare, 'rev-parse', `${BRANCH}^`)).toBe(base);
  expect(await git(bare, 'show', `${BRANCH}:package.json`)).toContain('"sdlf-mesh":"0.2.0"');
  expect(await git(bare, 'log', '-1', '--format=%s%n%b', BRANCH)).toBe('chore: upgrade the sdlf-mesh template to 0.2.0\nThe template moved from 0.1.0 to 0.2.0.');
  const pushed = await git(bare, 'rev-parse', BRANCH);

  const again = await apply(proposal);
  expect(again).toMatchObject({ status: 'upgraded', requestCreated: false });
  expect(await git(bare, 'rev-parse', BRANCH)).toBe(pushed);
});

describe('a proposal the apply phase refuses, before anything is pushed', () => {
  beforeEach(async () => {
    if (await branchOf()) {
      await git(alpha.cloneUrl, 'branch', '-D', BRANCH);
    }
  });

  const cases: Array<[string, () => string, RegExp]> = [
    ['for another repository', () => proposalDir({ repository: 'bravo' }), /repository must be "alpha", the repository it was made for/],
    ['for another version', () => proposalDir({ to: '9.9.9' }), /to must be "0\.2\.0", this run's target/],
    ['on a commit that is not in the default branch\'s history', () => proposalDir({ base: 'f'.repeat(40) }), /its base f{40} is not in the history of main/],
    ['with a base that is not a commit ID', () => proposalDir({ base: 'main' }), /base must be a commit ID/],
    ['with a description longer than a pull request takes', () => proposalDir({ body: 'x'.repeat(70_000) }), /body must be a text of at most 65536 characters/],
    ['saying the repository is at the target while its base is not', () => proposalDir({ status: 'current' }), /it says the repository is at 0\.2\.0, but its base is at 0\.1\.0/],
    ['whose patch writes into git\'s own folder', () => proposalDir({}, Buffer.from(hostilePatch('.git/hooks/post-checkout'))), /its patch does not apply to its base: error: invalid path '\.git\/hooks\/post-checkout'/],
    ['whose patch writes outside the repository', () => proposalDir({}, Buffer.from(hostilePatch('../../outside.txt'))), /its patch does not apply to its base: error: invalid path '\.\.\/\.\.\/outside\.txt'/],
    ['whose patch does not apply to the base', () => proposalDir({}, Buffer.from(patch.toString().replace('"sdlf-mesh":"0.1.0"', '"sdlf-mesh":"0.0.9"'))), /its patch does not apply to its base: error: patch failed: package\.json:1/],
    ['whose patch changes nothing', () => proposalDir({}, Buffer.from('')), /its patch changes nothing/],
    ['without its patch', () => {
      const dir = proposalDir();
      fs.rmSync(path.join(dir, 'upgrade.patch'));
      return dir;
    }, /upgrade\.patch must be a regular file/],
    ['whose patch is a link to a file of the platform\'s machine', () => {
      const dir = proposalDir();
      fs.rmSync(path.join(dir, 'upgrade.patch'));
      fs.symlinkSync('/etc/passwd', path.join(dir, 'upgrade.patch'));
      return dir;
    }, /upgrade\.patch must be a regular file/],
    ['that is not JSON', () => {
      const dir = proposalDir();
      fs.writeFileSync(path.join(dir, 'proposal.json'), '{ "repository": ');
      return dir;
    }, /proposal\.json is not JSON/],
    ['that is missing', () => path.join(scratch, 'nowhere'), /no proposal: its propose job or worker left none/],
  ];
  test.each(cases)('%s', async (_, make, reason) => {
    const result = await apply(make());
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(reason);
    expect(await branchOf()).toBe('');
  });

  test('a failed proposal is reported with its own step and reason, and nothing is pushed', async () => {
    const result = await apply(proposalDir({ status: 'failed', step: 'synth', error: 'Error: broken by its team' }));
    expect(result).toMatchObject({ status: 'failed', step: 'synth', error: 'Error: broken by its team' });
    expect(await branchOf()).toBe('');
  });
});

/** A patch that adds `file`, as a hostile propose job could write it. */
function hostilePatch(file: string): string {
  return [`diff --git a/${file} b/${file}`, 'new file mode 100755', 'index 0000000..1111111', '--- /dev/null', `+++ b/${file}`, '@@ -0,0 +1 @@', '+#!/bin/sh', ''].join('\n');
}

describe('the apply of a wave on GitHub Actions takes a proposal only from the repository\'s own jobs', () => {
  const discovery = (): FleetDiscovery => ({
    to: '0.2.0',
    target: { version: '0.2.0', templateVersion: '0.2.0', installSpec: 'sdlf-mesh@0.2.0' },
    waves: [[{ ...alpha, key: '0001-alpha' }]],
    archived: [],
  });
  const applyWithJobs = async (proposals: string, jobs: Array<[string, string]>) =>
    (await applyWave({ discovery: discovery(), wave: 1, proposalsDir: proposals, host, workDir: fs.mkdtempSync(path.join(scratch, 'wave-')), jobConclusions: new Map(jobs), stepTimeoutMs: 60_000 })).repositories[0];

  beforeEach(async () => {
    if (await branchOf()) {
      await git(alpha.cloneUrl, 'branch', '-D', BRANCH);
    }
  });

  test('a proposal under the repository\'s name whose own propose job failed (another job took its artifact name) is not applied', async () => {
    const proposals = fs.mkdtempSync(path.join(scratch, 'proposals-'));
    fs.cpSync(proposalDir(), path.join(proposals, 'proposal-0001-alpha'), { recursive: true });
    const row = await applyWithJobs(proposals, [['fetch alpha', 'success'], ['propose alpha', 'failure'], ['propose bravo', 'success']]);
    expect(row).toMatchObject({ status: 'failed', step: 'propose', error: expect.stringContaining('its job "propose alpha" concluded failure: no proposal of it is taken') });
    expect(await branchOf()).toBe('');
  });

  test('nor when its fetch job failed (its source was not the one the platform fetched)', async () => {
    const proposals = fs.mkdtempSync(path.join(scratch, 'proposals-'));
    fs.cpSync(proposalDir(), path.join(proposals, 'proposal-0001-alpha'), { recursive: true });
    const row = await applyWithJobs(proposals, [['fetch alpha', 'failure'], ['propose alpha', 'success']]);
    expect(row).toMatchObject({ status: 'failed', step: 'fetch' });
    expect(await branchOf()).toBe('');
  });

  test('the one proposal of a run, which the download leaves in the folder itself, is the repository\'s only when its job is the run\'s one successful propose job', async () => {
    const flat = proposalDir();
    expect((await applyWithJobs(flat, [['fetch alpha', 'success'], ['propose alpha', 'success'], ['propose bravo', 'success']])).error).toMatch(/no proposal: its propose job or worker left none/);
    expect(await branchOf()).toBe('');
    expect(await applyWithJobs(flat, [['fetch alpha', 'success'], ['propose alpha', 'success'], ['propose bravo', 'failure']])).toMatchObject({ status: 'upgraded' });
  });
});
