/**
 * `sdlf-mesh access request` with a token, run as a user runs it against the GitHub stand-in
 * (every request checked against GitHub's OpenAPI description, git over smart HTTP): one pull
 * request on the producer's repository, updated by every re-run, and a fork refused.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git, repositoryWith } from '../support/git';
import { GitHubServer } from '../support/github-server';
import { sampleContract } from '../support/sample-contract';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const TOKEN = 'ghp_accessStandInToken0123456789abcdefABCD';
const BRANCH = 'sdlf-mesh/access/finance/orders';
const COMMENT = '  # Who reads orders: ask the sales team first.\n';

let server: GitHubServer;
let root: string;

/** A platform repository whose registry names `repository` for domain `sales`. */
function registry(repository: string): string {
  const dir = fs.mkdtempSync(path.join(root, 'platform-'));
  fs.mkdirSync(path.join(dir, 'domains'));
  fs.writeFileSync(path.join(dir, 'domains', 'sales.yaml'), `domain: sales\nrepository: ${repository}\n`);
  return dir;
}

const request = (...args: string[]) => runSdlfMesh(['access', 'request', 'sales/orders', '--for', 'finance', ...args], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url }, root);
const pulls = () => server.model.repository('acme', 'sales-data')!.pulls;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'access-request-github-'));
  server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
  // The producer's repository: named otherwise than its domain, which its custom property says.
  await server.model.createRepository('acme', 'sales-data', { topics: ['sdlf-domain'], custom_properties: { domain: 'sales' } });
  const contract = sampleContract().replace('  - property: sdlfConsumers\n', `${COMMENT}  - property: sdlfConsumers\n`);
  const work = await repositoryWith({ 'dataproducts/orders.yaml': contract });
  await git(work, 'push', '-q', server.model.barePath('acme', 'sales-data'), 'main');
}, 60_000);

afterAll(async () => {
  expect(server.violations).toEqual([]);
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the registry names the producer\'s repository: the branch is pushed there and one pull request opened, sensitive columns flagged', async () => {
  const run = await request('--registry', registry('acme/sales-data'), '--columns', 'orders.order_id,orders.customer_email', '--reason', 'match invoices to orders');
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain(`Opened the request of domain finance for sales/orders: ${server.url}/acme/sales-data/pull/1`);
  expect(pulls()).toHaveLength(1);
  const [pull] = pulls();
  expect(pull).toMatchObject({ title: 'Grant domain finance select on sales/orders', head: BRANCH, base: 'main', state: 'open' });
  expect(pull.body).toContain('> match invoices to orders');
  expect(pull.body).toContain('**Sensitive columns asked for** (classified `restricted` or tagged `pii`): `orders.customer_email`.');
  const text = await git(server.model.barePath('acme', 'sales-data'), 'show', `${BRANCH}:dataproducts/orders.yaml`);
  expect(text).toContain(`${COMMENT}  - property: sdlfConsumers\n    value:\n      - domain: finance\n        access: select\n        columns:\n          - orders.order_id\n          - orders.customer_email\n`);
}, 60_000);

test('a re-run, found through the organization, updates the open pull request and opens no second one', async () => {
  const run = await request('--org', 'acme', '--columns', 'orders.order_id,orders.customer_email', '--reason', 'match invoices to orders, monthly');
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain(`Updated the request of domain finance for sales/orders: ${server.url}/acme/sales-data/pull/1`);
  expect(run.output).toContain('(already up to date)');
  expect(pulls()).toHaveLength(1);
  expect(pulls()[0].body).toContain('> match invoices to orders, monthly');
}, 60_000);

test('a request the governance policy approves is labelled so; a re-run that asks for a sensitive column takes the label off', async () => {
  const policy = path.join(root, 'governance-policy.yaml');
  fs.writeFileSync(policy, 'accessRequests:\n  autoApprove: non-sensitive\n');
  const approved = await request('--org', 'acme', '--policy', policy, '--columns', 'orders.order_id');
  expect(approved.exitCode).toBe(0);
  expect(pulls()).toHaveLength(1);
  expect(pulls()[0].labels).toEqual(['approved-by-policy']);
  expect(pulls()[0].body).toContain('**Approved by policy**: every column asked for is non-sensitive');

  const sensitive = await request('--org', 'acme', '--policy', policy, '--columns', 'orders.customer_email');
  expect(sensitive.exitCode).toBe(0);
  expect(pulls()).toHaveLength(1);
  expect(pulls()[0].labels).toEqual([]);
  expect(pulls()[0].body).not.toContain('Approved by policy');
}, 60_000);

test('a fork of the producer\'s repository is refused, naming the repository the request goes to', async () => {
  const fork = await server.model.createRepository('alice', 'sales-data');
  fork.forkOf = 'acme/sales-data';
  const run = await request('--registry', registry('alice/sales-data'));
  expect(run.exitCode).toBe(2);
  expect(run.output.trim()).toBe(
    'Invalid option "<domain>/<data product>": alice/sales-data is a fork of acme/sales-data, which does not speak for domain "sales": an access request goes to the producer\'s own repository; register that one for the domain (or give its organization)',
  );
  expect(fork.pulls).toHaveLength(0);
  expect(pulls()).toHaveLength(1);
}, 60_000);
