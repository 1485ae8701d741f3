/**
 * `sdlf-mesh access request`, run as a user runs it, without a token: the request is a branch of
 * the producer's local bare remote (the stand-in for GitHub) with its description beside it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git, repositoryWith } from '../support/git';
import { sampleContract } from '../support/sample-contract';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const BRANCH = 'sdlf-mesh/access/finance/orders';
const COMMENT = '  # Who reads orders: ask the sales team first.\n';

/** The sample contract of `sales/orders` with a comment of the producer's above its consumers, which are given. */
function contract(consumers = '    value: []'): string {
  return sampleContract().replace('  - property: sdlfConsumers\n    value: []', `${COMMENT}  - property: sdlfConsumers\n${consumers}`);
}

let root: string;
let remotes: string;

/** The producer `sales` as a bare remote of `remotes`, holding the contract. */
async function salesRemote(text = contract()): Promise<string> {
  const work = await repositoryWith({ 'dataproducts/orders.yaml': text, 'README.md': '# sales\n' });
  const bare = path.join(remotes, 'sales.git');
  fs.rmSync(bare, { recursive: true, force: true });
  await git(remotes, 'init', '-q', '--bare', '-b', 'main', bare);
  await git(work, 'push', '-q', bare, 'main');
  fs.rmSync(work, { recursive: true, force: true });
  return bare;
}

const request = (...args: string[]) => runSdlfMesh(['access', 'request', ...args, '--remotes-dir', remotes], {}, root);
const branchOf = async (bare: string) => git(bare, 'for-each-ref', '--format=%(objectname)', `refs/heads/${BRANCH}`);
const requestFile = (bare: string) => path.join(bare, 'sdlf-mesh-upgrade-requests', `${BRANCH.replace(/\//g, '--')}.md`);

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'access-request-'));
  remotes = path.join(root, 'remotes');
  fs.mkdirSync(remotes);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('the request is a branch of the producer\'s remote that adds the consumer, the producer\'s comments kept; a re-run changes nothing', async () => {
  const bare = await salesRemote();
  const main = await git(bare, 'rev-parse', 'main');

  const run = await request('sales/orders', '--for', 'finance', '--reason', 'monthly revenue report');
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain(`Opened the request of domain finance for sales/orders: ${requestFile(bare)}`);
  expect(run.output).toContain(`git pull origin ${BRANCH}`);
  expect(await git(bare, 'show', `${BRANCH}:dataproducts/orders.yaml`)).toBe(
    contract('    value:\n      - domain: finance\n        access: select').trimEnd(),
  );
  expect(await git(bare, 'rev-parse', 'main')).toBe(main);
  const body = fs.readFileSync(requestFile(bare), 'utf8');
  expect(body).toMatch(/^# Grant domain finance select on sales\/orders\n/);
  expect(body).toContain('Domain **finance** asks for `select` on data product **sales/orders**.');
  expect(body).toContain('> monthly revenue report');
  expect(body).toContain('| `orders` | `order_id`, `order_total`, `currency`, `ordered_at` |');
  expect(body).not.toContain('Sensitive columns');

  const branch = await branchOf(bare);
  const again = await request('sales/orders', '--for', 'finance', '--reason', 'monthly revenue report');
  expect(again.exitCode).toBe(0);
  expect(again.output).toContain('Updated the request');
  expect(again.output).toContain('(already up to date)');
  expect(await branchOf(bare)).toBe(branch);
  expect(fs.readdirSync(path.dirname(requestFile(bare)))).toHaveLength(1);
}, 60_000);

test('a re-run that asks for more, a sensitive column, adds one commit to the branch and flags the column for the producer', async () => {
  const bare = await salesRemote();
  expect((await request('sales/orders', '--for', 'finance', '--columns', 'orders.order_id')).exitCode).toBe(0);
  const first = await branchOf(bare);

  const run = await request('sales/orders', '--for', 'finance', '--columns', 'orders.order_id,orders.customer_email');
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain('sensitive, for the sales team to decide: orders.customer_email');
  expect(await git(bare, 'rev-parse', `${BRANCH}~1`)).toBe(first);
  expect(await git(bare, 'show', `${BRANCH}:dataproducts/orders.yaml`)).toContain(
    '      - domain: finance\n        access: select\n        columns:\n          - orders.order_id\n          - orders.customer_email',
  );
  const body = fs.readFileSync(requestFile(bare), 'utf8');
  expect(body).toContain('**Sensitive columns asked for** (classified `restricted` or tagged `pii`): `orders.customer_email`.');
}, 60_000);

test('a consumer already granted what it asks gets told so, and nothing is written', async () => {
  const bare = await salesRemote(contract('    value:\n      - domain: finance\n        access: select'));
  const run = await request('sales/orders', '--for', 'finance', '--columns', 'orders.currency');
  expect(run).toMatchObject({ exitCode: 0 });
  expect(run.output).toContain('Domain finance already has select on orders.currency of sales/orders (dataproducts/orders.yaml of sales): nothing to request.');
  expect(await branchOf(bare)).toBe('');
  expect(fs.existsSync(path.dirname(requestFile(bare)))).toBe(false);
}, 60_000);

test.each([
  [['sales/orders', '--for', 'finance', '--columns', 'orders.order_totl'], '"orders.order_totl" is not a table or table.column of data product orders; did you mean "orders.order_total"?'],
  [['sales/order', '--for', 'finance'], 'domain "sales" has no data product "order" (no dataproducts/order.yaml on main of sales); did you mean sales/orders?'],
  [['sale/orders', '--for', 'finance'], 'no repository of'],
  [['sales-orders', '--for', 'finance'], 'Invalid option "<domain>/<data product>": "sales-orders" is not <domain>/<data product>'],
  [['sales/orders', '--for', 'sales'], 'Invalid option "--for": domain "sales" owns sales/orders'],
  [['sales/orders'], 'Invalid option "--for": name the consumer domain'],
])('%j is refused in one line with exit code 2, before anything is written', async (args, message) => {
  const bare = await salesRemote();
  const run = await request(...args);
  expect(run.exitCode).toBe(2);
  expect(run.output).toContain(message);
  expect(run.output.trim().split('\n')).toHaveLength(1);
  expect(await branchOf(bare)).toBe('');
}, 60_000);

test('a policy that approves non-sensitive requests says so in the request; a sensitive column still needs the producer', async () => {
  const bare = await salesRemote();
  const policy = path.join(root, 'governance-policy.yaml');
  fs.writeFileSync(policy, 'accessRequests:\n  autoApprove: non-sensitive\n');
  const run = await request('sales/orders', '--for', 'finance', '--policy', policy);
  expect(run.exitCode).toBe(0);
  expect(run.output).toContain('approved by policy: every column asked for is non-sensitive');
  expect(fs.readFileSync(requestFile(bare), 'utf8')).toContain('**Approved by policy**: every column asked for is non-sensitive and domain finance is a consumer the governance policy allows');

  const sensitive = await request('sales/orders', '--for', 'finance', '--policy', policy, '--columns', 'orders.customer_email');
  expect(sensitive.exitCode).toBe(0);
  expect(sensitive.output).not.toContain('approved by policy');
  const body = fs.readFileSync(requestFile(bare), 'utf8');
  expect(body).not.toContain('Approved by policy');
  expect(body).toContain('The sales team\'s code owners review this request.');

  fs.writeFileSync(policy, 'accessRequests:\n  autoApprove: everything\n');
  const refused = await request('sales/orders', '--for', 'finance', '--policy', policy);
  expect(refused.exitCode).toBe(1);
  expect(refused.output).toContain('accessRequests.autoApprove is "everything"; give one of none, non-sensitive');
}, 60_000);
