import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { BUILD_CHECK } from '../../src/domain/names';
import { git, repositoryWith } from '../support/git';
import { OrganizationSetup } from '../support/github-model';
import { GitHubServer, RequestCounts } from '../support/github-server';
import { cloneOfNewDomain, newDomainRun, SALES_DOMAIN_FLAGS } from '../support/new-domain-run';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

// `sdlf-mesh new domain sales --github acme/sales-data` run as a user runs it (node lib/cli/main.js,
// GITHUB_TOKEN and GITHUB_API_URL), against a local stand-in for GitHub that checks every request
// against GitHub's OpenAPI description and serves git through git http-backend. The repository is
// the one the command generated with the real `projen new` in `newDomainRun` (once a test run, and
// checked in scaffold/new-domain-command.e2e.test.ts): the first run here completes it on GitHub,
// as a run that stopped after generating is completed; the other tests push clones of it.

const TOKEN = 'ghp_sdlfMeshStandInToken0123456789abcdef';
const ACME: OrganizationSetup = {
  login: 'acme',
  teams: ['sales', 'platform'],
  // No template-version: a property the organization does not define is not set.
  properties: [
    { property_name: 'domain', value_type: 'string' },
    { property_name: 'owner', value_type: 'string' },
    { property_name: 'cost-center', value_type: 'single_select', allowed_values: ['cc-1234', 'cc-5678'] },
  ],
};
const DOMAIN_FLAGS = ['new', 'domain', 'sales', ...SALES_DOMAIN_FLAGS];
const GITHUB_FLAGS = ['--github', 'acme/sales-data', '--team', 'sales:push', '--reviewers', '@acme/platform', '--reviewers', '@alice'];

/** Request counts of the runs, printed at the end for the report. */
const measured: Record<string, RequestCounts> = {};
const servers: GitHubServer[] = [];
/** The stand-in of the first run, and the repository that run generated. */
let first: GitHubServer;
let generated: string;
let firstOutput: string;

async function standIn(tokens: Record<string, { login: string; permissions?: string[] }> = { [TOKEN]: { login: 'alice' } }): Promise<GitHubServer> {
  const server = await GitHubServer.start({ users: ['alice', 'bob'], organizations: [ACME], tokens });
  servers.push(server);
  return server;
}

const envFor = (server: GitHubServer, token = TOKEN) => ({ GITHUB_TOKEN: token, GITHUB_API_URL: server.url });

/** A copy of the generated repository (same commit), without `origin`. */
async function copyOfGenerated(): Promise<string> {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'domain-copy-')), 'sales');
  await git(os.tmpdir(), 'clone', '--quiet', '--no-hardlinks', generated, dir);
  await git(dir, 'remote', 'remove', 'origin');
  return dir;
}

/** What GitHub holds for acme/sales-data, in a form two stand-ins can be compared in. */
async function endState(server: GitHubServer) {
  const repository = server.model.repository('acme', 'sales-data');
  if (!repository) {
    return undefined;
  }
  const branches = await server.model.branches(repository);
  return {
    visibility: repository.visibility,
    defaultBranch: repository.defaultBranch,
    settings: repository.settings,
    topics: repository.topics,
    properties: Object.fromEntries(repository.properties),
    branches: Object.fromEntries(branches),
    protection: Object.fromEntries(repository.protection),
    environments: [...repository.environments.values()].map(({ name, reviewers, branchPolicy, policies, waitTimer, variables }) => ({
      name,
      reviewers,
      waitTimer,
      branchPolicy,
      policies: policies.map((policy) => `${policy.type}:${policy.name}`),
      variables: Object.fromEntries(variables),
    })),
    teams: Object.fromEntries(repository.teams),
  };
}

beforeAll(async () => {
  const { tarball } = await newDomainRun();
  first = await standIn();
  generated = await cloneOfNewDomain();
  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--from', tarball, '--dir', generated, ...GITHUB_FLAGS], envFor(first));
  firstOutput = run.output + run.stderr;
  if (run.exitCode !== 0) {
    throw new Error(`The first run failed:\n${firstOutput}`);
  }
  measured['first run'] = first.counts();
}, 15 * 60_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

test('the first run creates a protected repository whose main holds the generated commit', async () => {
  const head = await git(generated, 'rev-parse', 'HEAD');
  const mainOnly = { protected_branches: false, custom_branch_policies: true };
  const prodReviewers = [
    { type: 'Team', id: expect.any(Number) },
    { type: 'User', id: expect.any(Number) },
  ];
  expect(await endState(first)).toEqual({
    visibility: 'private',
    defaultBranch: 'main',
    settings: {
      allow_squash_merge: true,
      allow_merge_commit: false,
      allow_rebase_merge: false,
      allow_auto_merge: false,
      delete_branch_on_merge: true,
    },
    topics: ['sdlf-domain', 'domain-sales'],
    properties: { 'domain': 'sales', 'owner': '@acme/sales', 'cost-center': 'cc-1234' },
    branches: { main: head },
    protection: {
      main: {
        strict: true,
        contexts: [BUILD_CHECK],
        enforceAdmins: true,
        reviews: { dismissStale: true, codeOwners: true, approvals: 1, lastPush: true },
        restrictions: undefined,
        flags: expect.objectContaining({ allow_force_pushes: false, allow_deletions: false }),
      },
    },
    // Every environment takes deployments from main only; the one without an account gets no variables.
    environments: [
      { name: 'dev', reviewers: [], waitTimer: 0, branchPolicy: mainOnly, policies: ['branch:main'], variables: { AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::111111111111:role/sdlf-sales-dev-deploy', AWS_REGION: 'eu-west-1' } },
      { name: 'test', reviewers: [], waitTimer: 0, branchPolicy: mainOnly, policies: ['branch:main'], variables: {} },
      { name: 'prod', reviewers: prodReviewers, waitTimer: 0, branchPolicy: mainOnly, policies: ['branch:main'], variables: { AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::222222222222:role/sdlf-sales-prod-deploy', AWS_REGION: 'eu-west-1' } },
    ],
    teams: { sales: 'push' },
  });

  // The required check is the job the generated pull-request workflow runs.
  const workflow = YAML.parse(fs.readFileSync(path.join(generated, '.github', 'workflows', 'build.yml'), 'utf8'));
  expect(Object.values(workflow.jobs).map((job) => (job as { name: string }).name)).toContain(BUILD_CHECK);

  // The branch API reads what git received.
  const branch = await fetch(`${first.url}/repos/acme/sales-data/branches/main`, { headers: { authorization: `token ${TOKEN}` } });
  expect(await branch.json()).toMatchObject({ name: 'main', commit: { sha: head }, protected: true });

  expect(first.requests.filter((request) => request.route === 'git git-receive-pack').map((request) => request.status)).toEqual([200, 200]);
  expect(firstOutput).toMatch(/done {6}branch protection {2}main: pull request with code-owner review/);
  expect(first.violations).toEqual([]);
});

test('the token is nowhere on disk or in the output, and origin is saved without it', async () => {
  const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
  const config = fs.readFileSync(path.join(generated, '.git', 'config'), 'utf8');
  for (const secret of [TOKEN, basic]) {
    expect(config).not.toContain(secret);
    expect(firstOutput).not.toContain(secret);
  }
  expect(await git(generated, 'remote', 'get-url', 'origin')).toBe(`${first.url}/acme/sales-data.git`);
  expect(await git(generated, 'rev-parse', '--abbrev-ref', 'main@{upstream}')).toBe('origin/main');
});

test('running it again is a no-op: only reads, and a JSON report of skipped steps', async () => {
  const before = await endState(first);
  first.resetCounts();
  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', generated, ...GITHUB_FLAGS, '--json'], envFor(first));
  expect(run.exitCode).toBe(0);
  measured['re-run'] = first.counts();
  expect(first.counts().contentCreating).toBe(0);
  expect(first.requests.filter((request) => request.route === 'git git-receive-pack')).toEqual([]);
  expect(await endState(first)).toEqual(before);

  const result = JSON.parse(run.output);
  expect(result).toMatchObject({ domain: 'sales', generated: false, github: { repository: 'acme/sales-data', dryRun: false, requests: { contentCreating: 0 } } });
  expect(result.github.steps.map((step: { step: string; status: string }) => `${step.status} ${step.step}`)).toEqual([
    'skipped repository',
    'skipped push',
    'skipped merge settings',
    'skipped topics',
    'skipped custom properties',
    'skipped branch protection',
    'skipped oidc subject',
    'skipped environment dev',
    'skipped environment test',
    'skipped environment prod',
    'skipped variables dev',
    'skipped variables test',
    'skipped variables prod',
    'skipped team sales',
  ]);
  expect(first.violations).toEqual([]);
});

test('a run through 5xx, resets, rate limits and eventual consistency ends in the same state', async () => {
  const server = await standIn();
  // Requests for a new repository answer 404 for 3 s, and a new branch is "not found" as long.
  server.model.consistencyDelayMs = 3000;
  server.inject({ route: 'GET /orgs/{org}/properties/schema', fault: 'server-error' });
  // The repository is created, but the answer is lost: the retry meets "name already exists".
  server.inject({ route: 'POST /orgs/{org}/repos', fault: 'connection-reset', afterHandling: true });
  server.inject({ route: 'git git-receive-pack', fault: 'server-error' });
  server.inject({ route: 'PUT /repos/{owner}/{repo}/topics', fault: 'secondary-rate-limit' });
  server.inject({ route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}', fault: 'server-error' });
  server.inject({ route: 'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies', fault: 'too-many-requests' });
  server.inject({ route: 'PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}', fault: 'connection-reset' });

  const dir = await copyOfGenerated();
  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS], envFor(server));
  expect(run.exitCode).toBe(0);
  measured['run with faults'] = server.counts();
  expect(server.pendingFaults).toEqual([]);
  expect(server.requests.filter((request) => request.fault)).toHaveLength(7);
  // GitHub's eventual consistency was met: the repository, then the pushed branch, not found for a moment.
  const notFound = server.requests.filter((request) => request.status === 404).map((request) => request.route);
  expect(notFound).toEqual(expect.arrayContaining(['GET /repos/{owner}/{repo}', 'PUT /repos/{owner}/{repo}/branches/{branch}/protection']));
  expect(await endState(server)).toEqual(await endState(first));
  expect(run.stderr).toMatch(/secondary rate limit was reached at PUT .*\/topics: waiting 1s/);
  expect(server.violations).toEqual([]);
}, 120_000);

test('--dry-run prints every request and git operation it would make, and changes nothing', async () => {
  const server = await standIn();
  const dir = await copyOfGenerated();
  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS, '--dry-run'], envFor(server));
  expect(run.exitCode).toBe(0);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.model.repositories.size).toBe(0);
  expect(await git(dir, 'remote')).toBe('');
  const planned = run.output.split('\n').filter((line) => line.endsWith('(would)')).map((line) => line.replace(/ \{.*\}/, '').trim());
  expect(planned).toEqual([
    'API POST /orgs/acme/repos (would)',
    `git remote add origin ${server.url}/acme/sales-data.git (would)`,
    'git push --set-upstream origin main:main (would)',
    'API PUT /repos/acme/sales-data/topics (would)',
    'API PUT /repos/acme/sales-data/branches/main/protection (would)',
    'API PUT /repos/acme/sales-data/actions/oidc/customization/sub (would)',
    'API PUT /repos/acme/sales-data/environments/dev (would)',
    'API POST /repos/acme/sales-data/environments/dev/deployment-branch-policies (would)',
    'API PUT /repos/acme/sales-data/environments/test (would)',
    'API POST /repos/acme/sales-data/environments/test/deployment-branch-policies (would)',
    'API PUT /repos/acme/sales-data/environments/prod (would)',
    'API POST /repos/acme/sales-data/environments/prod/deployment-branch-policies (would)',
    'API POST /repos/acme/sales-data/environments/dev/variables (would)',
    'API POST /repos/acme/sales-data/environments/dev/variables (would)',
    'API POST /repos/acme/sales-data/environments/prod/variables (would)',
    'API POST /repos/acme/sales-data/environments/prod/variables (would)',
    'API PUT /orgs/acme/teams/sales/repos/acme/sales-data (would)',
  ]);
  expect(run.output).toContain('"custom_properties":{"domain":"sales","owner":"@acme/sales","cost-center":"cc-1234"}');

  // Without a generated repository, a dry run does not generate one either.
  const nowhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'domain-')), 'sales');
  const fresh = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', nowhere, ...GITHUB_FLAGS, '--dry-run'], envFor(server));
  expect(fresh.output).toMatch(/would be generated in .*: projen new --from sdlf-mesh@0\.0\.0 sdlf-domain --domain sales --owner @acme\/sales/);
  expect(fs.existsSync(nowhere)).toBe(false);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.violations).toEqual([]);
});

test('a repository with unrelated history is refused, and --adopt sets it up without touching its main', async () => {
  const server = await standIn();
  await server.model.createRepository('acme', 'sales-data');
  const other = await repositoryWith({ 'notes.md': 'someone else\n' });
  await git(other, 'push', '--quiet', server.model.barePath('acme', 'sales-data'), 'main');
  const theirs = await git(other, 'rev-parse', 'HEAD');
  const dir = await copyOfGenerated();

  const refused = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS], envFor(server));
  expect(refused.exitCode).toBe(1);
  expect(refused.output).toMatch(
    /Invalid option "github": acme\/sales-data already holds a main branch \([0-9a-f]{12}\) with history unrelated to the generated repository; give another repository name, or --adopt/,
  );
  expect(server.counts().contentCreating).toBe(0);

  const adopted = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS, '--adopt'], envFor(server));
  expect(adopted.exitCode).toBe(0);
  expect(adopted.output).toMatch(/done {6}push {15}sdlf-mesh\/scaffold \(adopted: main keeps its history; open a pull request from sdlf-mesh\/scaffold\)/);
  const state = await endState(server);
  expect(state?.branches).toEqual({ 'main': theirs, 'sdlf-mesh/scaffold': await git(dir, 'rev-parse', 'HEAD') });
  const { branches, ...settings } = state!;
  const { branches: _, ...expected } = (await endState(first))!;
  expect(settings).toEqual(expected);

  server.resetCounts();
  expect((await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS, '--adopt'], envFor(server))).exitCode).toBe(0);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.violations).toEqual([]);
});

test('a token without a permission stops at the step, naming the permission; the next run completes', async () => {
  const limited = 'github_pat_withoutCustomPropertiesWrite';
  const server = await standIn({
    [TOKEN]: { login: 'alice' },
    [limited]: { login: 'alice', permissions: ['administration=write', 'contents=write', 'organization_custom_properties=read', 'actions=read', 'members=read'] },
  });
  // A repository an earlier run created and pushed, before its custom properties were set.
  const dir = await copyOfGenerated();
  await server.model.createRepository('acme', 'sales-data', { ...{ allow_merge_commit: false, allow_rebase_merge: false, delete_branch_on_merge: true } });
  await git(dir, 'push', '--quiet', server.model.barePath('acme', 'sales-data'), 'main');

  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS], envFor(server, limited));
  expect(run.exitCode).toBe(1);
  expect(run.output).toMatch(/failed {4}custom properties {2}the token lacks the permission custom_properties=write/);
  expect(run.output).toMatch(/remaining branch protection/);
  expect(run.output).toContain(
    'sdlf-mesh: Step "custom properties" of setting up acme/sales-data on GitHub failed: the token lacks the permission custom_properties=write ' +
      '(GitHub answered 403 to PATCH /repos/acme/sales-data/properties/values: Resource not accessible by personal access token); give the token that permission.',
  );
  expect(run.output).toMatch(
    /\(completed: repository, push, merge settings, topics; remaining: branch protection, oidc subject, environment dev, environment test, environment prod, variables dev, variables test, variables prod, team sales\)/,
  );
  expect(run.output).not.toContain(limited);
  expect(server.model.repository('acme', 'sales-data')?.topics).toEqual(['sdlf-domain', 'domain-sales']);

  expect((await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...GITHUB_FLAGS], envFor(server))).exitCode).toBe(0);
  const { branches, ...state } = (await endState(server))!;
  const { branches: _, ...expected } = (await endState(first))!;
  expect(state).toEqual(expected);
  expect(server.violations).toEqual([]);
});

test('bad GitHub options are refused before anything is created', async () => {
  const server = await standIn();
  const dir = await copyOfGenerated();
  const cases: Array<[string[], RegExp]> = [
    [['--github', 'acme/sales-data', '--visibility', 'secret'], /Invalid option "visibility": "secret" is not a visibility; give one of private, internal, public/],
    [['--github', 'acme/sales-data', '--team', 'sales'], /Invalid option "team": "sales" is not <team-slug>:<permission>/],
    [['--github', 'acme/sales-data', '--reviewers', '@acme/platform', '--team', 'nosuch:push'], /Invalid option "team": team "nosuch" does not exist in acme/],
    [['--github', 'nobody/sales-data', '--reviewers', '@alice'], /Invalid option "github": "nobody" is neither a user nor an organization on GitHub/],
    [['--team', 'sales:push'], /Invalid option "team": --team is for the GitHub repository: give --github <owner>\/<repository> too/],
  ];
  for (const [flags, message] of cases) {
    const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...flags], envFor(server));
    expect([run.exitCode, run.output]).toEqual([1, expect.stringMatching(message)]);
  }
  // The owner is a mailbox, so there is no default reviewer for prod.
  const mailbox = await runSdlfMesh([...DOMAIN_FLAGS.slice(0, 3), '--owner', 'sales@example.com', '--dir', dir, '--github', 'acme/sales-data'], envFor(server));
  expect(mailbox.output).toMatch(/Invalid option "reviewers": deployments to prod need required reviewers/);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.model.repositories.size).toBe(0);
  expect(server.violations).toEqual([]);
});

test('a repository for the token\'s user (token from --token-file) is created with POST /user/repos, without organization settings', async () => {
  const server = await standIn();
  const dir = await copyOfGenerated();
  // The token from a file this time.
  const tokenFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'token-')), 'token');
  fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const flags = ['--github', 'alice/sales', '--reviewers', '@alice', '--visibility', 'public', '--token-file', tokenFile];
  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, ...flags], { GITHUB_API_URL: server.url });
  expect(run.exitCode).toBe(0);
  expect(server.requests.filter((request) => request.kind === 'api' && request.method === 'POST').map((request) => request.route)).toEqual([
    'POST /user/repos',
    ...Array(3).fill('POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies'),
    ...Array(4).fill('POST /repos/{owner}/{repo}/environments/{environment_name}/variables'),
  ]);
  const repository = server.model.repository('alice', 'sales')!;
  expect([repository.visibility, repository.properties.size, repository.protection.has('main')]).toEqual(['public', 0, true]);
  expect(run.output).toMatch(/skipped   custom properties {2}personal repositories have no custom properties/);
  expect(server.violations).toEqual([]);
});

test('without a token the local remote stands in for GitHub, as before', async () => {
  const dir = await copyOfGenerated();
  const remotes = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');
  const run = await runSdlfMesh([...DOMAIN_FLAGS, '--dir', dir, '--remotes-dir', remotes, ...GITHUB_FLAGS]);
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain(`main (${(await git(dir, 'rev-parse', 'HEAD')).slice(0, 12)}) pushed to ${path.join(remotes, 'sales.git')} (created).`);
  expect(run.output).toContain('No GitHub token (GITHUB_TOKEN, GH_TOKEN or --token-file): the local remote stands in for GitHub');
  expect(run.output).toContain('  - repository: create acme/sales-data (private)');
  expect(await git(path.join(remotes, 'sales.git'), 'rev-parse', 'main')).toBe(await git(dir, 'rev-parse', 'HEAD'));
});

test('request counts (total and content-creating API requests, git requests)', () => {
  console.log(
    Object.entries(measured)
      .map(([run, counts]) => `${run.padEnd(16)} ${String(counts.total).padStart(3)} API requests, ${String(counts.contentCreating).padStart(2)} content-creating, ${counts.git} git`)
      .join('\n'),
  );
  // Repository, topics, protection, the OIDC subject, 3 environments with their branch policies, 4 variables, team.
  expect(measured['first run'].contentCreating).toBeLessThanOrEqual(15);
  expect(measured['re-run']?.contentCreating).toBe(0);
});
