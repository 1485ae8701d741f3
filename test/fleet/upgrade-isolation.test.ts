/**
 * `sdlf-mesh upgrade` as an ordinary user on a machine that cannot isolate the repositories' code
 * (no bubblewrap on its PATH): it refuses before it reads anything of the fleet, unless the
 * platform team accepts running that code as itself, which the summary and report then say.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandFailedError, exec } from '../../src/util/exec';
import { git, repositoryWith } from '../support/git';
import { GitHubServer } from '../support/github-server';
import { SDLF_MESH_CLI } from '../support/sdlf-mesh-cli';

jest.setTimeout(60_000);

const ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const TOKEN = 'ghp_isolationTestToken0123456789abcdefABCD';
/** util-linux's setpriv, which runs a program as another user (found here: the command's PATH has no such folder). */
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((file) => fs.existsSync(file)) ?? 'setpriv';

/** A folder of links to the programs the command needs, and no bwrap. */
function pathWithoutBwrap(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-bwrap-'));
  for (const program of ['npm', 'git']) {
    const found = ['/usr/local/bin', '/usr/bin', '/bin', path.dirname(process.execPath)].map((dir) => path.join(dir, program)).find((file) => fs.existsSync(file));
    if (found) {
      fs.symlinkSync(found, path.join(bin, program));
    }
  }
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.chmodSync(bin, 0o755);
  return bin;
}

/** Runs the compiled command as `nobody`, without bubblewrap; resolves with its exit code and output. */
async function upgradeAsNobody(args: string[], env: Record<string, string> = {}) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'as-nobody-'));
  fs.chmodSync(cwd, 0o777);
  const argv = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, SDLF_MESH_CLI, 'upgrade', ...args];
  const childEnv = { PATH: pathWithoutBwrap(), HOME: cwd, ...env };
  return exec(SETPRIV, argv, { cwd, env: childEnv, inheritEnv: false }).then(
    (result) => ({ code: 0, output: result.stdout + result.stderr, cwd }),
    (error: CommandFailedError) => ({ code: error.exitCode, output: error.output, cwd }),
  );
}

(ROOT ? describe : describe.skip)('as an ordinary user without bubblewrap', () => {
  test('the upgrade refuses before any request reaches the fleet, with the reason and the ways out', async () => {
    const server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
    try {
      await server.model.createRepository('acme', 'sales-data', { topics: ['sdlf-domain'] });
      const work = await repositoryWith({ 'package.json': JSON.stringify({ dependencies: { 'sdlf-mesh': '0.1.0' } }) });
      await git(work, 'push', '-q', server.model.barePath('acme', 'sales-data'), 'HEAD:refs/heads/main');
      server.resetCounts();

      const run = await upgradeAsNobody(['--to', '0.2.0', '--org', 'acme'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });

      expect(run.code).toBe(1);
      expect(run.output).toContain('The repositories\' code cannot be isolated from this upgrade here: it runs as an ordinary user (uid 65534), and bubblewrap (bwrap) is not installed.');
      expect(run.output).toMatch(/could read this process's token/);
      expect(run.output).toMatch(/Run the upgrade in the platform's GitHub Actions workflow, or as root/);
      expect(run.output).toContain('--allow-shared-user');
      // Not a search, not a clone: nothing reached the fleet.
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('--allow-shared-user runs, and the report and the summary say loudly that the code was not isolated', async () => {
    const remotes = fs.mkdtempSync(path.join(os.tmpdir(), 'shared-remotes-'));
    fs.chmodSync(remotes, 0o755);

    const run = await upgradeAsNobody(['--to', '0.2.0', '--remotes-dir', remotes, '--allow-shared-user', '--report', 'report.json']);

    expect([run.code, run.output]).toEqual([0, expect.anything()]);
    expect(run.output).toMatch(/\nWARNING: NOT ISOLATED \(--allow-shared-user\): the repositories' code ran as the user running the upgrade/);
    const report = JSON.parse(fs.readFileSync(path.join(run.cwd, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ isolation: 'shared', isolatedByUser: false, warning: expect.stringMatching(/^NOT ISOLATED/) });
  });
});
