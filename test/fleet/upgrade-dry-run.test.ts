/**
 * `sdlf-mesh upgrade --dry-run` as a user runs it (the compiled command) on local remotes: it
 * reads each default branch without a clone and changes nothing.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git, repositoryWith } from '../support/git';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

/** A domain repository's package.json that depends on the template at `spec`. */
const manifest = (spec: string) => JSON.stringify({ name: 'domain', dependencies: { 'aws-cdk-lib': '^2.189.1', 'sdlf-mesh': spec } }, null, 2);

let remotes: string;

beforeAll(async () => {
  remotes = fs.mkdtempSync(path.join(os.tmpdir(), 'dry-run-remotes-'));
  const publish = async (name: string, spec: string) => {
    const work = await repositoryWith({ 'package.json': manifest(spec) });
    await git(remotes, 'clone', '-q', '--bare', work, `${name}.git`);
    return path.join(remotes, `${name}.git`);
  };
  await publish('alpha', '0.1.0');
  // Pinned to the target already: as an exact version, and as the tarball `projen new` was given.
  await publish('bravo', '0.2.0');
  await publish('charlie', 'file:/releases/sdlf-mesh-0.2.0.tgz');
  await git(await publish('delta', '0.1.0'), 'config', 'sdlf-mesh.archived', 'true');
});

test('--dry-run says a repository already at the target has nothing to do, and plans the others', async () => {
  const before = (await git(remotes, 'ls-remote', path.join(remotes, 'bravo.git'))).trim();
  const run = await runSdlfMesh(['upgrade', '--to', '0.2.0', '--remotes-dir', remotes, '--dry-run']);
  expect(run.exitCode).toBe(0);
  const lines = run.output.trim().split('\n');
  expect(lines).toEqual([
    expect.stringMatching(/^alpha: clone, pin 0\.2\.0 in \.projenrc\.ts, npm install, npx projen, write the change as a patch, check the proposal, commit on sdlf-mesh\/upgrade-0\.2\.0, push sdlf-mesh\/upgrade-0\.2\.0, open or update its upgrade request$/),
    'bravo: nothing to do: main is at 0.2.0 already',
    'charlie: nothing to do: main is at 0.2.0 already',
    'delta: skip (archived)',
  ]);
  // A dry run writes nothing: no branch, no request.
  expect((await git(remotes, 'ls-remote', path.join(remotes, 'bravo.git'))).trim()).toBe(before);
  expect(fs.existsSync(path.join(remotes, 'alpha.git', 'sdlf-mesh-upgrade-requests'))).toBe(false);
});
