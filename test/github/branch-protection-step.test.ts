import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BUILD_CHECK } from '../../src/domain/names';
import { repositoryWith } from '../support/git';
import { GitHubServer } from '../support/github-server';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

// The branch protection of `sdlf-mesh new domain --github`, run on a repository that is already
// generated (so without the slow `projen new`) against the GitHub stand-in.

const TOKEN = 'ghp_protectionStandIn0123456789abcdefAB';
const FLAGS = ['new', 'domain', 'sales', '--owner', '@acme/sales', '--github', 'acme/sales-data', '--reviewers', '@alice'];
let server: GitHubServer;
let dir: string;

beforeAll(async () => {
  server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
  dir = await repositoryWith({ '.projenrc.ts': "const project = new SdlfDomainProject({\n  domain: 'sales',\n});\n" });
}, 60_000);
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = () => runSdlfMesh([...FLAGS, '--dir', dir], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });
const protection = () => server.model.repository('acme', 'sales-data')!.protection.get('main')!;

test('admins are held to the protection, and an approval must come after the latest push', async () => {
  const first = await run();
  expect(first.exitCode).toBe(0);
  expect(protection()).toMatchObject({ enforceAdmins: true, reviews: { codeOwners: true, approvals: 1, lastPush: true } });
  expect(first.output).toMatch(/done {6}branch protection {2}main: pull request with code-owner review of the latest push, .*admins included/);
  expect(server.violations).toEqual([]);
});

test('a protection weakened since (admins exempt, approvals that survive a push) is restored, keeping what it adds', async () => {
  const weakened = { ...protection(), enforceAdmins: false, contexts: [BUILD_CHECK, 'security-scan'], reviews: { ...protection().reviews!, lastPush: false, approvals: 2 } };
  server.model.repository('acme', 'sales-data')!.protection.set('main', weakened);
  const again = await run();
  expect(again.exitCode).toBe(0);
  expect(again.output).toMatch(/done {6}branch protection/);
  expect(protection()).toMatchObject({ enforceAdmins: true, contexts: [BUILD_CHECK, 'security-scan'], reviews: { lastPush: true, approvals: 2 } });

  // Once it is as required, a run leaves it alone.
  server.resetCounts();
  const third = await run();
  expect(third.output).toMatch(/skipped {3}branch protection/);
  expect(server.requests.filter((request) => request.route === 'PUT /repos/{owner}/{repo}/branches/{branch}/protection')).toEqual([]);
  expect(server.violations).toEqual([]);
});

test('a token file others may read is refused before anything is sent', async () => {
  const tokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'token-')), 'token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o644 });
  fs.chmodSync(tokenFile, 0o644);
  server.resetCounts();
  const refused = await runSdlfMesh([...FLAGS, '--dir', dir, '--token-file', tokenFile], { GITHUB_API_URL: server.url });
  expect(refused.exitCode).not.toBe(0);
  expect(refused.output + refused.stderr).toContain(`${tokenFile} is readable by its group and other users (mode 644), so the token is theirs too; make it yours alone: chmod 600 ${tokenFile}`);
  expect(server.counts().total).toBe(0);
});
