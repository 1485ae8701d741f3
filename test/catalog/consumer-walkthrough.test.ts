/**
 * The consumer side of the mesh, walked as two teams walk it, with the real CLI and git: `finance`
 * (account 222222222222) declares `sales/orders` (account 111111111111) as an input; lint, given the
 * catalog's index, says the grant is missing and how to ask; `sdlf-mesh access request` opens the
 * request on the producer's remote; once it is merged, the catalog draws the edge, lint passes, and
 * both domains synthesize their side: the producer's grant, passed on by the consumer to its roles.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DomainApp } from '../../src';
import { parseMeshIndex, renderMeshIndex } from '../../src/contract/mesh-index';
import { domainAppOf } from '../support/domain-app';
import { domainRepository } from '../support/domain-repository';
import { git, repositoryWith } from '../support/git';
import { activeContract } from '../support/sample-contract';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const SALES = { account: '111111111111', region: 'eu-west-1' };
const FINANCE = { account: '222222222222', region: 'eu-west-1' };
const FINANCE_EXECUTION_ROLE = `arn:aws:iam::${FINANCE.account}:role/sdlf-finance-dev-cfn-exec`;

const ORDERS = activeContract('sales', 'sales-data@example.com', 'orders');
/** finance's revenue: a Lambda stage, reading two columns of sales/orders. */
const REVENUE = activeContract('finance', 'finance-data@example.com', 'revenue').replace(
  '  - property: sdlfConsumers',
  '  - property: sdlfInputs\n    value:\n      - product: sales/orders\n        tables: [{ name: orders, columns: [order_id, order_total] }]\n  - property: sdlfConsumers',
);

const registration = (domain: string, where: { account: string; region: string }) =>
  `domain: ${domain}\nrepository: acme/${domain}\nowner: ${domain}-data@example.com\nenvironments:\n  - name: dev\n    account: "${where.account}"\n    region: ${where.region}\n`;

let root: string;
let remotes: string;
let platform: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-walkthrough-'));
  remotes = path.join(root, 'remotes');
  platform = path.join(root, 'platform');
  fs.mkdirSync(remotes);
  fs.mkdirSync(path.join(platform, 'domains'), { recursive: true });
  fs.writeFileSync(path.join(platform, 'domains', 'sales.yaml'), registration('sales', SALES));
  fs.writeFileSync(path.join(platform, 'domains', 'finance.yaml'), registration('finance', FINANCE));
  fs.writeFileSync(path.join(platform, 'governance-policy.yaml'), `allowedConsumers:\n  domainPrincipals:\n    finance: "${FINANCE_EXECUTION_ROLE}"\n`);
  const repositories: Record<string, Record<string, string>> = { sales: { 'dataproducts/orders.yaml': ORDERS }, finance: { 'dataproducts/revenue.yaml': REVENUE } };
  for (const [domain, files] of Object.entries(repositories)) {
    const work = await repositoryWith(files);
    await git(remotes, 'init', '-q', '--bare', '-b', 'main', path.join(remotes, `${domain}.git`));
    await git(work, 'push', '-q', path.join(remotes, `${domain}.git`), 'main');
  }
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]) => runSdlfMesh(args, {}, root);

/** The catalog of the two remotes as the platform builds it for dev; its catalog.json, the mesh index. */
async function catalog(): Promise<{ json: any; indexFile: string }> {
  const out = fs.mkdtempSync(path.join(root, 'site-'));
  const run = await cli('catalog', 'build', remotes, '--registry', platform, '--environment', 'dev', '--out', out);
  expect(run.exitCode).toBe(0);
  return { json: JSON.parse(fs.readFileSync(path.join(out, 'catalog.json'), 'utf8')), indexFile: path.join(out, 'catalog.json') };
}

const lintRevenue = async (indexFile: string) => {
  const contracts = fs.mkdtempSync(path.join(root, 'finance-'));
  fs.writeFileSync(path.join(contracts, 'revenue.yaml'), REVENUE);
  return cli('contract', 'lint', path.join(contracts, 'revenue.yaml'), '--domain', 'finance', '--mesh-index', indexFile);
};

test('from a missing grant to both sides synthesized: lint, access request, merge, catalog, synth', async () => {
  // 1. finance's lint, given the catalog, says in one line what is missing and how to ask.
  const before = await catalog();
  const lint = await lintRevenue(before.indexFile);
  expect(lint.exitCode).toBe(1);
  expect(lint.output).toMatch(/"sales\/orders" grants nothing to domain "finance" \(ask domain sales for it: sdlf-mesh access request sales\/orders --for finance\)/);

  // 2. finance asks; the request is a branch of the producer's remote.
  const request = await cli('access', 'request', 'sales/orders', '--for', 'finance', '--reason', 'monthly revenue', '--registry', platform, '--remotes-dir', remotes);
  expect(request.exitCode).toBe(0);
  const bare = path.join(remotes, 'sales.git');
  const branch = 'sdlf-mesh/access/finance/orders';
  expect(await git(bare, 'show', `${branch}:dataproducts/orders.yaml`)).toContain('      - domain: finance\n        access: select');

  // 3. sales merges it.
  const clone = path.join(root, 'sales-clone');
  await git(root, 'clone', '-q', bare, clone);
  await git(clone, 'merge', '-q', '--ff-only', `origin/${branch}`);
  await git(clone, 'push', '-q', 'origin', 'main');

  // 4. The catalog draws the edge; finance's lint passes.
  const after = await catalog();
  expect(after.json.flows).toEqual([{ from: 'sales', to: 'finance', products: [{ id: 'sales/orders', declared: 'both' }] }]);
  expect((await lintRevenue(after.indexFile)).exitCode).toBe(0);

  // 5. Both synthesize their side. sales grants finance's execution role, to pass on.
  const sales = synth('sales', SALES, { orders: fs.readFileSync(path.join(clone, 'dataproducts', 'orders.yaml'), 'utf8') });
  const orders = Template.fromStack(sales.stages[0].dataProductStacks[0]).findResources('AWS::LakeFormation::PrincipalPermissions');
  expect(Object.values<any>(orders).map((grant) => grant.Properties)).toEqual([
    {
      Principal: { DataLakePrincipalIdentifier: FINANCE_EXECUTION_ROLE },
      Permissions: ['SELECT'],
      PermissionsWithGrantOption: ['SELECT'],
      Resource: { TableWithColumns: { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders', Name: 'orders', ColumnNames: ['order_id', 'order_total', 'currency', 'ordered_at'] } },
    },
  ]);
  // finance links sales/orders in its own account and grants its stage and its analysts the two columns it reads.
  const index = parseMeshIndex(fs.readFileSync(after.indexFile, 'utf8'), 'catalog.json');
  const finance = synth('finance', FINANCE, { revenue: REVENUE }, renderMeshIndex(index));
  const stage = finance.stages[0];
  expect(stage.inputLinks.map((link) => link.linkName)).toEqual(['finance_dev_sales__orders']);
  Template.fromStack(stage.domainStack).hasResourceProperties('AWS::Glue::Database', {
    CatalogId: FINANCE.account,
    DatabaseInput: { Name: 'finance_dev_sales__orders', TargetDatabase: { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders' } },
  });
  const targetGrants = [stage.domainStack, stage.dataProductStacks[0]].flatMap((stack) => selectsOn(stack, 'sales_dev_orders'));
  expect(targetGrants).toEqual([
    ['analysts', { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders', Name: 'orders', ColumnNames: ['order_id', 'order_total'] }],
    ['stage', { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders', Name: 'orders', ColumnNames: ['order_id', 'order_total'] }],
  ]);
});

/** A domain's app in dev, from its contracts (and mesh index), as its repository synthesizes it. */
function synth(domain: string, where: { account: string; region: string }, contracts: Record<string, string>, meshIndex?: string): DomainApp {
  const governancePolicyFile = path.join(platform, 'governance-policy.yaml');
  return domainAppOf(domainRepository(contracts, { domain }), { domain, where, consumerPrincipals: undefined, governancePolicyFile, meshIndex });
}

/** The SELECT grants of `stack` on tables of `database`: to the analysts' role or a stage role. */
function selectsOn(stack: Stack, database: string): Array<[string, unknown]> {
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::LakeFormation::PrincipalPermissions'))
    .map((grant) => grant.Properties)
    .filter((grant) => grant.Resource.TableWithColumns?.DatabaseName === database)
    .map((grant) => [JSON.stringify(grant.Principal).includes('sdlf-finance-dev-analysts') ? 'analysts' : 'stage', grant.Resource.TableWithColumns]);
}
