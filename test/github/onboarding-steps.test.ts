/**
 * The onboarding steps in this process (the real client, bundled for Jest) against the GitHub
 * stand-in: what a re-run does when someone changed things by hand in between.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { resolveDomainSettings } from '../../src/domain/domain-settings';
import { resolveGitHubTarget } from '../../src/github/github-target';
import { publishToGitHub } from '../../src/github/publish-to-github';
import { GitHubSetupResult } from '../../src/github/setup-step';
import { domainRegistration } from '../../src/platform/registration-document';
import { git, repositoryWith } from '../support/git';
import { createGitHubClientInJest } from '../support/github-client-in-jest';
import { GitHubServer } from '../support/github-server';

const TOKEN = 'ghp_onboardingStepsToken0123456789abcdef';
const BRANCH = 'sdlf-mesh/register-sales';
const settings = resolveDomainSettings({
  domain: 'sales',
  owner: '@acme/sales',
  costCenter: 'cc-1234',
  environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'],
});
const target = resolveGitHubTarget({ repository: 'acme/sales-data', reviewers: ['@acme/platform'], platformRepository: 'acme/data-platform' }, settings);
const registration = domainRegistration(settings, 'acme/sales-data');
let server: GitHubServer;

beforeEach(async () => {
  server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme', teams: ['platform'] }], tokens: { [TOKEN]: { login: 'alice' } } });
  await server.model.createRepository('acme', 'data-platform');
  const platform = await repositoryWith({ 'README.md': '# data platform\n' });
  await git(platform, 'push', '--quiet', server.model.barePath('acme', 'data-platform'), 'main');
});
afterEach(() => server.close());

async function onboard(domainRepository: string): Promise<GitHubSetupResult> {
  const client = await createGitHubClientInJest()({ token: TOKEN, apiUrl: server.url });
  return publishToGitHub(domainRepository, settings, target, { token: TOKEN, client }, registration);
}

const writes = (result: GitHubSetupResult) => result.operations.filter((operation) => operation.kind === 'api' && operation.performed && !operation.request.startsWith('GET '));
const stepOf = (result: GitHubSetupResult, step: string) => result.steps.find((report) => report.step === step);

test('a variable or the tokens\' subject changed by hand is corrected, and a registration merged on the platform\'s main is left alone', async () => {
  const domain = await repositoryWith({ 'README.md': '# sales\n' });
  await onboard(domain);
  const repository = server.model.repository('acme', 'sales-data')!;
  const dev = repository.environments.get('dev')!;
  dev.variables.set('AWS_DEPLOY_ROLE_ARN', 'arn:aws:iam::111111111111:role/someone-else');
  // An administrator of the repository puts GitHub's default subject back: its tokens would say repo:acme/sales-data:...
  repository.oidcSubject = { useDefault: true };
  // The platform team merges the registration.
  const bare = server.model.barePath('acme', 'data-platform');
  await git(bare, 'update-ref', 'refs/heads/main', `refs/heads/${BRANCH}`);
  await git(bare, 'update-ref', '-d', `refs/heads/${BRANCH}`);
  server.model.repository('acme', 'data-platform')!.pulls[0].state = 'closed';

  const again = await onboard(domain);
  expect(writes(again).map((operation) => operation.request)).toEqual([
    'PUT /repos/acme/sales-data/actions/oidc/customization/sub',
    'PATCH /repos/acme/sales-data/environments/dev/variables/AWS_DEPLOY_ROLE_ARN',
  ]);
  expect(dev.variables.get('AWS_DEPLOY_ROLE_ARN')).toBe('arn:aws:iam::111111111111:role/sdlf-sales-dev-deploy');
  expect(repository.oidcSubject).toEqual({ useDefault: false, includeClaimKeys: ['repository_owner_id', 'repository_id', 'environment'] });
  expect(stepOf(again, 'oidc subject')).toEqual({
    step: 'oidc subject',
    status: 'done',
    detail: 'deploy tokens\' subject repository_owner_id:<id>:repository_id:<id>:environment:<name> (was GitHub\'s default, repo:<owner>/<name>:...)',
  });
  expect(stepOf(again, 'variables dev')).toMatchObject({ status: 'done', detail: expect.stringContaining('AWS_DEPLOY_ROLE_ARN corrected (was arn:aws:iam::111111111111:role/someone-else)') });
  expect(stepOf(again, 'platform registration')).toEqual({ step: 'platform registration', status: 'skipped', detail: 'domains/sales.yaml is on main of acme/data-platform' });
  expect(again.operations.filter((operation) => operation.kind === 'git' && operation.request.startsWith('git push'))).toEqual([]);
  expect(server.model.repository('acme', 'data-platform')!.pulls).toHaveLength(1);
  expect(server.violations).toEqual([]);
}, 60_000);

test('a registration branch someone added to is built on with git, never rewritten, and its pull request kept', async () => {
  const domain = await repositoryWith({ 'README.md': '# sales\n' });
  await onboard(domain);
  const bare = server.model.barePath('acme', 'data-platform');
  // A platform engineer edits the registration on the branch (a wrong cost center, say).
  const clone = await repositoryWith({});
  await git(clone, 'fetch', '--quiet', bare, `${BRANCH}:${BRANCH}`);
  await git(clone, 'checkout', '--quiet', BRANCH);
  const edited = (await git(clone, 'show', 'HEAD:domains/sales.yaml')).replace('costCenter: cc-1234', 'costCenter: cc-0000');
  fs.writeFileSync(path.join(clone, 'domains', 'sales.yaml'), `${edited}\n`);
  await git(clone, 'commit', '--quiet', '-am', 'their edit');
  const theirs = await git(clone, 'rev-parse', 'HEAD');
  await git(clone, 'push', '--quiet', bare, `${BRANCH}:${BRANCH}`);

  const again = await onboard(domain);
  // The file moved with git; the pull request already says what it should: no API write at all.
  expect(writes(again)).toEqual([]);
  const pushes = again.operations.filter((operation) => operation.kind === 'git' && operation.request.startsWith('git push'));
  expect(pushes.map((operation) => operation.request)).toEqual([
    `git push ${server.url}/acme/data-platform.git ${BRANCH}:${BRANCH}`,
  ]);
  expect(await git(bare, 'rev-parse', `${BRANCH}^`)).toBe(theirs);
  expect(YAML.parse(await git(bare, 'show', `${BRANCH}:domains/sales.yaml`)).costCenter).toBe('cc-1234');
  expect(server.model.repository('acme', 'data-platform')!.pulls.map((pull) => pull.state)).toEqual(['open']);
  expect(server.violations).toEqual([]);
}, 60_000);
