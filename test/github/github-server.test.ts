import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exec } from '../../src/util/exec';
import { git, GIT_ENV, repositoryWith } from '../support/git';
import { GitHubServer } from '../support/github-server';

// The stand-in the GitHub tests rely on: it must refuse what GitHub refuses.
const TOKEN = 'ghp_standInSelfTest0000000000000000000';
let server: GitHubServer;

beforeAll(async () => {
  server = await GitHubServer.start({
    users: ['alice'],
    organizations: [{ login: 'acme', teams: ['sales'] }],
    tokens: { [TOKEN]: { login: 'alice' }, ghp_readOnly: { login: 'alice', permissions: ['contents=read'] } },
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.violations.length = 0;
  server.resetCounts();
});

const call = (method: string, route: string, body?: unknown, token = TOKEN) =>
  fetch(`${server.url}${route}`, {
    method,
    headers: { 'authorization': `token ${token}`, 'accept': 'application/vnd.github+json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

test('a valid request is answered as GitHub documents it, and counted', async () => {
  const created = await call('POST', '/orgs/acme/repos', { name: 'sales-data', visibility: 'private', delete_branch_on_merge: true });
  expect(created.status).toBe(201);
  expect(await created.json()).toMatchObject({ full_name: 'acme/sales-data', private: true, delete_branch_on_merge: true, clone_url: `${server.url}/acme/sales-data.git` });
  expect((await call('GET', '/repos/acme/sales-data/branches/main')).status).toBe(404);
  expect(server.violations).toEqual([]);
  expect(server.counts()).toEqual({ total: 2, contentCreating: 1, git: 0 });
});

test('a route GitHub does not have, a bad parameter and an undocumented field are violations', async () => {
  expect((await call('GET', '/repos/acme/sales-data/nothing')).status).toBe(404);
  expect((await call('GET', '/repos/acme/sales-data/topics?per_page=many')).status).toBe(422);
  expect((await call('PUT', '/repos/acme/sales-data/topics', { topics: ['x'] })).status).toBe(422);
  expect((await call('PATCH', '/repos/acme/sales-data', { delete_branches_on_merge: true })).status).toBe(422);
  expect(server.violations).toEqual([
    'GET /repos/acme/sales-data/nothing: no such operation in GitHub\'s REST API',
    'GET /repos/{owner}/{repo}/topics: /query/per_page must be integer',
    "PUT /repos/{owner}/{repo}/topics: /requestBody must have required property 'names'",
    'PUT /repos/{owner}/{repo}/topics: body.topics is not documented',
    'PATCH /repos/{owner}/{repo}: body.delete_branches_on_merge is not documented',
  ]);
});

test('a token is required, and one without the permission gets 403 naming it', async () => {
  expect((await call('GET', '/repos/acme/sales-data', undefined, 'ghp_unknown')).status).toBe(401);
  const refused = await call('PUT', '/repos/acme/sales-data/topics', { names: ['x'] }, 'ghp_readOnly');
  expect(refused.status).toBe(403);
  expect(refused.headers.get('x-accepted-github-permissions')).toBe('administration=write');
});

test('faults are injected once each: 5xx, secondary rate limit with Retry-After, reset', async () => {
  server.inject({ route: 'GET /repos/{owner}/{repo}', fault: 'server-error' });
  server.inject({ route: 'GET /repos/{owner}/{repo}/topics', fault: 'secondary-rate-limit' });
  server.inject({ route: 'GET /users/{username}', fault: 'connection-reset' });
  expect((await call('GET', '/repos/acme/sales-data')).status).toBe(502);
  expect((await call('GET', '/repos/acme/sales-data')).status).toBe(200);
  const limited = await call('GET', '/repos/acme/sales-data/topics');
  expect([limited.status, limited.headers.get('retry-after'), ((await limited.json()) as { message: string }).message]).toEqual([403, '1', expect.stringMatching(/secondary rate limit/)]);
  await expect(call('GET', '/users/alice')).rejects.toThrow();
  expect(server.pendingFaults).toEqual([]);
});

test('git is served by git http-backend, and a push needs the token', async () => {
  const repo = await repositoryWith({ 'README.md': '# sales\n' });
  const url = `${server.url}/acme/sales-data.git`;
  const withHeader = (token: string) => ({
    ...GIT_ENV,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
  });
  await expect(exec('git', ['push', '-q', url, 'main'], { cwd: repo, env: { ...GIT_ENV, GIT_TERMINAL_PROMPT: '0' } })).rejects.toThrow(/Authentication failed|could not read Username/);
  await expect(exec('git', ['push', '-q', url, 'main'], { cwd: repo, env: withHeader('ghp_readOnly') })).rejects.toThrow(/403/);
  await exec('git', ['push', '-q', url, 'main'], { cwd: repo, env: withHeader(TOKEN) });
  const head = await git(repo, 'rev-parse', 'HEAD');
  expect(await git(server.model.barePath('acme', 'sales-data'), 'rev-parse', 'refs/heads/main')).toBe(head);
  const branch = await (await call('GET', '/repos/acme/sales-data/branches/main')).json();
  expect(branch).toMatchObject({ name: 'main', commit: { sha: head }, protected: false });

  const clone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clone-')), 'sales-data');
  await exec('git', ['clone', '-q', url, clone], { cwd: os.tmpdir(), env: withHeader(TOKEN) });
  expect(await git(clone, 'rev-parse', 'HEAD')).toBe(head);
  expect(server.counts().git).toBeGreaterThanOrEqual(4);
});
