/**
 * Onboarding a domain in one command, on the GitHub stand-in (every request checked against
 * GitHub's OpenAPI description, git served by `git http-backend`): `sdlf-mesh new domain sales
 * --github acme/sales-data --platform-repo acme/data-platform` run as a user runs it (the
 * compiled command, GITHUB_TOKEN and GITHUB_API_URL). The domain repository is a committed one
 * from an earlier run (the command resumes it), so no `projen new` runs here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { git, repositoryWith } from '../support/git';
import { OrganizationSetup } from '../support/github-model';
import { GitHubServer } from '../support/github-server';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const TOKEN = 'ghp_onboardingStandInToken0123456789abcd';
const ACME: OrganizationSetup = { login: 'acme', teams: ['sales', 'platform'] };
const FLAGS = [
  'new', 'domain', 'sales',
  '--owner', '@acme/sales',
  '--cost-center', 'cc-1234',
  '--environments', 'dev:111111111111:eu-west-1',
  '--environments', 'prod:222222222222:eu-central-1',
  '--github', 'acme/sales-data',
  '--reviewers', '@acme/platform',
  '--platform-repo', 'acme/data-platform',
];
const BRANCH = 'sdlf-mesh/register-sales';
// As projen new writes the options of FLAGS: a re-run must give the same ones.
const PROJENRC = [
  'const project = new SdlfDomainProject({',
  "  costCenter: 'cc-1234',",
  "  domain: 'sales',",
  "  environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-central-1'],",
  "  owner: '@acme/sales',",
  '});',
  '',
].join('\n');
const servers: GitHubServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** A stand-in with the platform repository on it: main holds another domain's registration. */
async function standIn(tokens: Record<string, { login: string; permissions?: string[] }> = { [TOKEN]: { login: 'alice' } }): Promise<GitHubServer> {
  const server = await GitHubServer.start({ users: ['alice'], organizations: [ACME], tokens });
  servers.push(server);
  await server.model.createRepository('acme', 'data-platform');
  const platform = await repositoryWith({ 'README.md': '# data platform\n', 'domains/finance.yaml': 'domain: finance\n' });
  await git(platform, 'push', '--quiet', server.model.barePath('acme', 'data-platform'), 'main');
  return server;
}

/** The committed repository of domain sales that an earlier run generated (the command resumes it). */
async function domainRepository(): Promise<string> {
  const dir = await repositoryWith({ '.projenrc.ts': PROJENRC, 'README.md': '# sales\n' });
  const named = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onboarding-')), 'sales');
  fs.renameSync(dir, named);
  return named;
}

const envFor = (server: GitHubServer, token = TOKEN) => ({ GITHUB_TOKEN: token, GITHUB_API_URL: server.url });

/** What GitHub holds that onboarding is about: the environments' variables and policies, the registration. */
async function onboardingState(server: GitHubServer) {
  const domain = server.model.repository('acme', 'sales-data');
  const platform = server.model.repository('acme', 'data-platform')!;
  const bare = server.model.barePath('acme', 'data-platform');
  const branches = await server.model.branches(platform);
  const registration = branches.has(BRANCH) ? await git(bare, 'show', `${BRANCH}:domains/sales.yaml`) : undefined;
  return {
    oidcSubject: domain?.oidcSubject,
    environments: Object.fromEntries(
      [...(domain?.environments.values() ?? [])].map((environment) => [
        environment.name,
        {
          variables: Object.fromEntries(environment.variables),
          branchPolicy: environment.branchPolicy,
          policies: environment.policies.map((policy) => policy.name),
        },
      ]),
    ),
    platformMain: branches.get('main'),
    registrationCommits: branches.has(BRANCH) ? Number(await git(bare, 'rev-list', '--count', `main..${BRANCH}`)) : 0,
    registration: registration === undefined ? undefined : YAML.parse(registration),
    pulls: platform.pulls.map(({ head, base, state, title }) => ({ head, base, state, title })),
  };
}

test('onboarding sets the deploy variables, registers the domain in one pull request, and a re-run creates nothing', async () => {
  const server = await standIn();
  const platformMain = await git(server.model.barePath('acme', 'data-platform'), 'rev-parse', 'main');
  const dir = await domainRepository();

  const run = await runSdlfMesh([...FLAGS, '--dir', dir], envFor(server));
  expect([run.exitCode, run.stderr]).toEqual([0, expect.anything()]);
  const state = await onboardingState(server);
  const { id: repositoryId, owner: { id: repositoryOwnerId } } = server.model.repository('acme', 'sales-data')!;
  expect(state).toEqual({
    // The tokens' subject is made of the IDs the registration carries: the deploy role trusts them, not the name.
    oidcSubject: { useDefault: false, includeClaimKeys: ['repository_owner_id', 'repository_id', 'environment'] },
    environments: {
      dev: {
        variables: { AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::111111111111:role/sdlf-sales-dev-deploy', AWS_REGION: 'eu-west-1' },
        branchPolicy: { protected_branches: false, custom_branch_policies: true },
        policies: ['main'],
      },
      prod: {
        variables: { AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::222222222222:role/sdlf-sales-prod-deploy', AWS_REGION: 'eu-central-1' },
        branchPolicy: { protected_branches: false, custom_branch_policies: true },
        policies: ['main'],
      },
    },
    platformMain,
    registrationCommits: 1,
    registration: {
      domain: 'sales',
      repository: 'acme/sales-data',
      repositoryId,
      repositoryOwnerId,
      owner: '@acme/sales',
      costCenter: 'cc-1234',
      environments: [
        { name: 'dev', account: '111111111111', region: 'eu-west-1' },
        { name: 'prod', account: '222222222222', region: 'eu-central-1' },
      ],
    },
    pulls: [{ head: BRANCH, base: 'main', state: 'open', title: 'Register domain sales (acme/sales-data)' }],
  });
  // The registration's only content-creating API request is the pull request; the file moved with git.
  const platformWrites = server.requests.filter((request) => request.kind === 'api' && request.method !== 'GET' && request.url.startsWith('/repos/acme/data-platform'));
  expect(platformWrites.map((request) => request.route)).toEqual(['POST /repos/{owner}/{repo}/pulls']);
  expect(server.model.repository('acme', 'data-platform')!.pulls[0].body).toContain(
    `\`arn:aws:iam::222222222222:role/sdlf-sales-prod-deploy\` | GitHub Actions jobs of acme/sales-data in \`prod\`: token subject \`repository_owner_id:${repositoryOwnerId}:repository_id:${repositoryId}:environment:prod\``,
  );
  expect(run.output).toMatch(/done {6}platform registration +domains\/sales\.yaml in .*\/acme\/data-platform\/pull\/1 \(domains\/sales\.yaml committed on sdlf-mesh\/register-sales, pull request opened\)/);
  expect(server.violations).toEqual([]);

  server.resetCounts();
  const again = await runSdlfMesh([...FLAGS, '--dir', dir, '--json'], envFor(server));
  expect(again.exitCode).toBe(0);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.requests.filter((request) => request.route === 'git git-receive-pack')).toEqual([]);
  expect(await onboardingState(server)).toEqual(state);
  const steps = JSON.parse(again.output).github.steps.map((step: { step: string; status: string }) => `${step.status} ${step.step}`);
  expect(steps).toEqual([
    'skipped repository',
    'skipped push',
    'skipped merge settings',
    'skipped topics',
    'skipped custom properties',
    'skipped branch protection',
    'skipped oidc subject',
    'skipped environment dev',
    'skipped environment prod',
    'skipped variables dev',
    'skipped variables prod',
    'skipped platform registration',
  ]);
  expect(server.violations).toEqual([]);
});

test('a changed registration updates the open pull request, never a second one', async () => {
  const server = await standIn();
  const dir = await domainRepository();
  expect((await runSdlfMesh([...FLAGS, '--dir', dir], envFor(server))).exitCode).toBe(0);
  // The domain team changes its cost center in .projenrc.ts; the re-run says so with the flag.
  fs.writeFileSync(path.join(dir, '.projenrc.ts'), PROJENRC.replace('cc-1234', 'cc-5678'));
  await git(dir, 'commit', '--quiet', '-am', 'chore: cost center cc-5678');
  const changed = FLAGS.map((flag) => (flag === 'cc-1234' ? 'cc-5678' : flag));
  server.resetCounts();
  expect((await runSdlfMesh([...changed, '--dir', dir], envFor(server))).exitCode).toBe(0);
  const state = await onboardingState(server);
  expect([state.registration.costCenter, state.registrationCommits, state.pulls.length]).toEqual(['cc-5678', 2, 1]);
  expect(server.model.repository('acme', 'data-platform')!.pulls[0].body).toContain('cost center cc-5678');
  const writes = server.requests.filter((request) => request.kind === 'api' && request.method !== 'GET').map((request) => request.route);
  expect(writes).toEqual(['PATCH /repos/{owner}/{repo}/pulls/{pull_number}']);
  expect(server.violations).toEqual([]);
});

test('faults mid-run (lost answers, 5xx, a token that lacks a permission) end in the same state as a clean run', async () => {
  const clean = await standIn();
  expect((await runSdlfMesh([...FLAGS, '--dir', await domainRepository()], envFor(clean))).exitCode).toBe(0);

  const limited = 'github_pat_withoutEnvironmentsWrite';
  const server = await standIn({
    [TOKEN]: { login: 'alice' },
    [limited]: { login: 'alice', permissions: ['administration=write', 'contents=write', 'organization_custom_properties=read', 'custom_properties=write', 'actions=read', 'actions=write', 'members=read', 'pull_requests=write'] },
  });
  const dir = await domainRepository();
  const stopped = await runSdlfMesh([...FLAGS, '--dir', dir], envFor(server, limited));
  expect(stopped.exitCode).toBe(1);
  expect(stopped.output).toMatch(/failed {4}variables dev +the token lacks the permission environments=write/);
  expect(stopped.output).toMatch(/remaining platform registration/);
  expect(server.model.repository('acme', 'data-platform')!.pulls).toEqual([]);

  // The variable and the pull request are created, but their answers are lost: the client sends them again.
  server.inject({ route: 'POST /repos/{owner}/{repo}/environments/{environment_name}/variables', fault: 'connection-reset', afterHandling: true });
  server.inject({ route: 'POST /repos/{owner}/{repo}/pulls', fault: 'connection-reset', afterHandling: true });
  server.inject({ route: 'git git-receive-pack', fault: 'server-error' });
  server.inject({ route: 'git git-upload-pack', fault: 'server-error' });
  const resumed = await runSdlfMesh([...FLAGS, '--dir', dir], envFor(server));
  expect([resumed.exitCode, resumed.output]).toEqual([0, expect.anything()]);
  expect(server.pendingFaults).toEqual([]);
  const { platformMain: _, ...state } = await onboardingState(server);
  const { platformMain: __, ...expected } = await onboardingState(clean);
  expect(state).toEqual(expected);
  expect(server.violations).toEqual([]);
}, 120_000);

test('--dry-run lists the variables, the push and the pull request it would make, and changes nothing', async () => {
  const server = await standIn();
  const run = await runSdlfMesh([...FLAGS, '--dir', await domainRepository(), '--dry-run'], envFor(server));
  expect(run.exitCode).toBe(0);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.requests.filter((request) => request.route === 'git git-receive-pack')).toEqual([]);
  const planned = run.output.split('\n').filter((line) => line.endsWith('(would)')).map((line) => line.replace(/ \{.*\}/, '').trim());
  expect(planned).toEqual(expect.arrayContaining([
    'API POST /repos/acme/sales-data/environments/dev/variables (would)',
    'API POST /repos/acme/sales-data/environments/prod/variables (would)',
    'API POST /repos/acme/sales-data/environments/dev/deployment-branch-policies (would)',
    `git push ${server.url}/acme/data-platform.git ${BRANCH}:${BRANCH} (would)`,
    'API POST /repos/acme/data-platform/pulls (would)',
    'API PUT /repos/acme/sales-data/actions/oidc/customization/sub (would)',
  ]));
  expect(run.output).toContain('"name":"AWS_DEPLOY_ROLE_ARN","value":"arn:aws:iam::111111111111:role/sdlf-sales-dev-deploy"');
  expect(server.model.repository('acme', 'sales-data')).toBeUndefined();
  expect(await server.model.branches(server.model.repository('acme', 'data-platform')!)).not.toContain(BRANCH);
  expect(server.violations).toEqual([]);
});

test('a platform repository that does not exist, or an environment without an account, stops the run before anything is created', async () => {
  const server = await standIn();
  const dir = await domainRepository();
  const missing = await runSdlfMesh([...FLAGS.map((flag) => (flag === 'acme/data-platform' ? 'acme/no-platform' : flag)), '--dir', dir], envFor(server));
  expect([missing.exitCode, missing.output]).toEqual([1, expect.stringMatching(/Invalid option "platform-repo": acme\/no-platform does not exist or the token cannot see it/)]);
  const accountless = await runSdlfMesh([...FLAGS, '--environments', 'test', '--dir', dir], envFor(server));
  expect([accountless.exitCode, accountless.output]).toEqual([1, expect.stringMatching(/Invalid option "environments\[2\]": environment "test" has no account/)]);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.model.repository('acme', 'sales-data')).toBeUndefined();
  expect(server.violations).toEqual([]);
});
