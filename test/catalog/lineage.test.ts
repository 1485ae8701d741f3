/**
 * The consumer side of the mesh in the catalog: the lineage of the data products, drawn from both
 * sides' contracts (the consumer's `sdlfInputs`, the producer's `sdlfConsumers`), and the catalog's
 * `catalog.json` as the mesh index a consumer's lint reads.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCatalog, CatalogSource, readRegisteredRepositories, SourceSnapshot } from '../../src/catalog';
import { formatProblem } from '../../src/contract';
import { lintContractText } from '../../src/contract/lint-contract';
import { parseMeshIndex } from '../../src/contract/mesh-index';
import { activeContract } from '../support/sample-contract';

function memorySource(repository: string, snapshot: SourceSnapshot): CatalogSource {
  return { name: repository, repository, read: async () => snapshot };
}

const file = (dataProduct: string, text: string) => ({ path: `dataproducts/${dataProduct}.yaml`, content: { bytes: Buffer.from(text) } });

/** A contract of the domain with the given grants (`sdlfConsumers` lines) and inputs (`sdlfInputs` lines). */
function contract(domain: string, dataProduct: string, edits: { consumers?: string[]; inputs?: string[]; status?: string } = {}): string {
  let text = activeContract(domain, `@acme/${domain}`, dataProduct);
  if (edits.status) text = text.replace('status: active', `status: ${edits.status}`);
  if (edits.consumers) text = text.replace('    value: []', `    value:\n${edits.consumers.map((line) => `      ${line}`).join('\n')}`);
  if (edits.inputs) text = text.replace(/(    value: 365\n)/, `$1  - property: sdlfInputs\n    value:\n${edits.inputs.map((line) => `      ${line}`).join('\n')}\n`);
  return text;
}

/** The finance contract that reads sales/orders, with the columns it reads. */
const REVENUE = contract('finance', 'revenue', { inputs: ['- product: sales/orders', '  tables: [{ name: orders, columns: [order_id, customer_email, order_total] }]', '- sales/customers'] });

/**
 * Two domains: `sales` (the producer, in account 111111111111) grants finance orders without its
 * PII column and marketing orders that no marketing product reads; its customers are deprecated
 * and granted to finance. `finance` (another account) reads orders and customers in revenue,
 * and in budgets reads sales/returns, which sales does not grant.
 */
async function twoDomains(options: { salesDataBucket?: boolean } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-'));
  const platform = path.join(root, 'platform');
  fs.mkdirSync(path.join(platform, 'domains'), { recursive: true });
  // The platform registered sales' data bucket with Lake Formation (its dataBucket), unless told otherwise.
  const dataBucket = options.salesDataBucket === false ? '' : ', dataBucket: sales-prod-domain-domainstoragedata1a2b3c-4d5e6f';
  fs.writeFileSync(path.join(platform, 'domains', 'sales.yaml'), `domain: sales\nrepository: acme/sales\nenvironments:\n  - { name: prod, account: "111111111111", region: eu-west-1${dataBucket} }\n`);
  fs.writeFileSync(path.join(platform, 'domains', 'finance.yaml'), 'domain: finance\nrepository: acme/finance\nenvironments:\n  - { name: prod, account: "222222222222", region: eu-central-1 }\n');
  const sources = [
    memorySource('acme/sales', {
      contracts: [
        file('customers', contract('sales', 'customers', { status: 'deprecated', consumers: ['- domain: finance', '  access: select'] })),
        file('orders', contract('sales', 'orders', { consumers: ['- domain: finance', '  access: select', '- domain: marketing', '  access: select'] })),
        file('returns', contract('sales', 'returns')),
      ],
    }),
    memorySource('acme/finance', { contracts: [file('revenue', REVENUE), file('budgets', contract('finance', 'budgets', { inputs: ['- sales/returns'] }))] }),
  ];
  const out = path.join(root, 'site');
  const { catalog } = await buildCatalog({ sources, out, registry: readRegisteredRepositories(platform) });
  return { catalog, out };
}

test('the catalog draws each edge from both sides, marks what one side only declares, and flags a deprecated input', async () => {
  const { catalog } = await twoDomains();
  expect(catalog.problems).toEqual([]);
  expect(catalog.lineage).toEqual([
    { from: 'sales/customers', to: 'finance/revenue', toKind: 'product', declared: 'both', producerStatus: 'deprecated', flag: 'deprecated' },
    { from: 'sales/orders', to: 'finance/revenue', toKind: 'product', declared: 'both', producerStatus: 'active' },
    { from: 'sales/orders', to: 'marketing', toKind: 'domain', declared: 'grant', producerStatus: 'active' },
    { from: 'sales/returns', to: 'finance/budgets', toKind: 'product', declared: 'input', producerStatus: 'active' },
  ]);
  const product = (id: string) => catalog.products.find((candidate) => candidate.id === id)!;
  expect(product('finance/revenue').inputs.map((edge) => edge.from)).toEqual(['sales/customers', 'sales/orders']);
  expect(product('sales/orders').readers.map((edge) => edge.to)).toEqual(['finance/revenue', 'marketing']);
  // Where each product is, from the platform's registry.
  expect([product('sales/orders'), product('finance/revenue')].map(({ account, region, database, dataLocation }) => ({ account, region, database, dataLocation }))).toEqual([
    { account: '111111111111', region: 'eu-west-1', database: 'sales_prod_orders', dataLocation: 's3://sales-prod-domain-domainstoragedata1a2b3c-4d5e6f/analytics/orders/' },
    // Finance's data bucket is not registered yet.
    { account: '222222222222', region: 'eu-central-1', database: 'finance_prod_revenue', dataLocation: undefined },
  ]);
});

test('both pages flag a consumer of a deprecated product; the graph page lists every edge and who declares it', async () => {
  const { out } = await twoDomains();
  const page = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
  const revenue = page('products/finance.revenue.html');
  const customers = page('products/sales.customers.html');
  expect(revenue).toContain('It reads sales/customers, which is deprecated: move off it.');
  expect(customers).toContain('finance/revenue still reads this deprecated data product: it should move off it.');
  expect(revenue).toMatch(/<path class="edge declared-both flag-deprecated" data-from="sales\/customers" data-to="finance\/revenue"/);
  expect(revenue).toContain('<a href="../products/sales.orders.html"><code>sales/orders</code></a>');
  expect(page('products/finance.budgets.html')).toContain('finance/budgets declares it reads sales/returns, which does not grant it to finance');
  const graph = page('graph.html');
  expect(graph).toMatch(/<tr class="declared-grant" data-from="sales\/orders" data-to="marketing">.*the producer only: no input.*sales\/orders is granted to domain marketing, where no data product declares it reads it/);
  expect(graph).toMatch(/<tr class="declared-input" data-from="sales\/returns" data-to="finance\/budgets">.*the consumer only: no grant/);
});

test("the catalog's catalog.json is the mesh index: the consumer's lint explains a narrower or missing grant in one line with the fix", async () => {
  const { out } = await twoDomains();
  const index = parseMeshIndex(fs.readFileSync(path.join(out, 'catalog.json'), 'utf8'), 'catalog.json');
  expect(index.products.find((product) => product.id === 'sales/orders')).toMatchObject({ account: '111111111111', region: 'eu-west-1', database: 'sales_prod_orders', status: 'active' });
  const lint = (dataProduct: string, text: string) => {
    const report = lintContractText(`dataproducts/${dataProduct}.yaml`, text, { domain: 'finance', meshIndex: index });
    return [...report.problems, ...report.warnings].map((problem) => formatProblem(problem).replace(/^[^:]+:\d+:\d+: /, ''));
  };
  expect(lint('revenue', REVENUE)).toEqual([
    // Orders' PII column is withheld from a grant that does not name it.
    'customProperties[3].value[0].product: "sales/orders" grants domain "finance" less than it reads: not column orders.customer_email (ask domain sales for it: sdlf-mesh access request sales/orders --for finance)',
    'warning: customProperties[3].value[1]: "sales/customers" is deprecated: still served, but consumers should move off it before it is retired (move to the data product that replaces it (ask domain sales))',
  ]);
  expect(lint('budgets', contract('finance', 'budgets', { inputs: ['- sales/returns'] }))).toEqual([
    'customProperties[3].value[0]: "sales/returns" grants nothing to domain "finance" (ask domain sales for it: sdlf-mesh access request sales/returns --for finance)',
  ]);
});

test('the mesh graph draws one data flow per pair of domains, with its number of data products, one-sided and flagged ones marked', async () => {
  const { catalog, out } = await twoDomains();
  expect(catalog.flows).toEqual([
    {
      from: 'sales',
      to: 'finance',
      products: [
        { id: 'sales/customers', declared: 'both', flag: 'deprecated' },
        { id: 'sales/orders', declared: 'both' },
        { id: 'sales/returns', declared: 'input' },
      ],
    },
    { from: 'sales', to: 'marketing', products: [{ id: 'sales/orders', declared: 'grant' }] },
  ]);
  // catalog.json holds them as the catalog does.
  expect(JSON.parse(fs.readFileSync(path.join(out, 'catalog.json'), 'utf8')).flows).toEqual(catalog.flows);

  const graph = fs.readFileSync(path.join(out, 'graph.html'), 'utf8');
  const svg = graph.slice(graph.indexOf('<svg'), graph.indexOf('</svg>'));
  const flows = [...svg.matchAll(/<path class="edge flow([^"]*)" data-from="([^"]+)" data-to="([^"]+)" d="[^"]+" marker-end="url\(#arrow\)"><title>([^<]+)<\/title><\/path>/g)];
  expect(flows.map(([, classes, from, to, title]) => ({ classes: classes.trim(), from, to, title }))).toEqual([
    {
      classes: 'declared-both declared-input flag-deprecated',
      from: 'sales',
      to: 'finance',
      title: 'sales → finance: 3 data products: sales/customers (deprecated), sales/orders, sales/returns (read, not granted)',
    },
    { classes: 'declared-grant', from: 'sales', to: 'marketing', title: 'sales → marketing: 1 data product: sales/orders (granted, not read)' },
  ]);
  expect(svg).toMatch(/<text class="flow-count" data-from="sales" data-to="finance" [^>]*><title>[^<]*<\/title>3<\/text>/);
  expect(svg).toMatch(/<text class="flow-count" data-from="sales" data-to="marketing" [^>]*><title>[^<]*<\/title>1<\/text>/);
  // Between domains the flow shows the grant: no second arrow on the same pair.
  expect(svg.match(/<path class="edge"/g)).toBeNull();
  expect(svg).toContain('<title id="mesh-title">Mesh graph: 3 nodes, 2 data flows between domains and 0 grants to accounts and roles');
  expect(graph).toMatch(/<tr data-from="sales" data-to="finance"><td>sales<\/td><td>finance<\/td><td><code class="declared-both flag-deprecated">sales\/customers<\/code> \(deprecated\), <code class="declared-both">sales\/orders<\/code>, <code class="declared-input">sales\/returns<\/code> \(read, not granted\)<\/td><\/tr>/);
});

test("a retired data product's grants are revoked: the catalog shows them so, the mesh index grants nothing, and the consumer's lint says it is retired", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-retired-'));
  const LEGACY = contract('sales', 'legacy', { status: 'retired', consumers: ['- domain: finance', '  access: select', '- account: "222222222222"', '  access: select'] });
  const REPORTS = contract('finance', 'reports', { inputs: ['- sales/legacy'] });
  const out = path.join(root, 'site');
  const { catalog } = await buildCatalog({
    sources: [memorySource('acme/sales', { contracts: [file('legacy', LEGACY)] }), memorySource('acme/finance', { contracts: [file('reports', REPORTS)] })],
    out,
  });
  expect(catalog.problems).toEqual([]);
  const legacy = catalog.products.find((product) => product.id === 'sales/legacy')!;
  expect(legacy.consumers).toEqual([]);
  expect(legacy.revokedConsumers!.map(({ kind, id, access }) => `${kind} ${id} ${access}`)).toEqual(['domain finance select', 'account 222222222222 select']);
  // No grant edge, no grant in the lineage: the input is read, not granted, and flagged.
  expect(catalog.edges).toEqual([]);
  expect(catalog.lineage).toEqual([{ from: 'sales/legacy', to: 'finance/reports', toKind: 'product', declared: 'input', producerStatus: 'retired', flag: 'retired' }]);
  expect(catalog.flows).toEqual([{ from: 'sales', to: 'finance', products: [{ id: 'sales/legacy', declared: 'input', flag: 'retired' }] }]);

  const page = fs.readFileSync(path.join(out, 'products/sales.legacy.html'), 'utf8');
  const consumers = page.slice(page.indexOf('<h2 id="consumers">'), page.indexOf('<h2 id="lineage">'));
  expect(consumers).toContain('It is retired: the grants its contract names are revoked at deploy');
  expect(consumers).toContain('<li><del>domain <code>finance</code>: select; <code>legacy</code>');
  expect(consumers).toContain('Consumers granted: none, grants revoked</h2>');
  expect(consumers.match(/<li>/g)).toHaveLength(2);
  expect(consumers.match(/\(revoked\)/g)).toHaveLength(2);
  expect(consumers).not.toContain('No grants yet');
  expect(fs.readFileSync(path.join(out, 'products/finance.reports.html'), 'utf8')).toContain(
    'finance/reports declares it reads sales/legacy, which is retired: its grants are revoked and finance/reports should move off it',
  );

  // The mesh index grants nothing of it, also from a catalog.json that still lists the grants as consumers.
  const json = JSON.parse(fs.readFileSync(path.join(out, 'catalog.json'), 'utf8'));
  const index = parseMeshIndex(JSON.stringify(json), 'catalog.json');
  expect(index.products.find((product) => product.id === 'sales/legacy')).toMatchObject({ status: 'retired', grants: [] });
  const asBefore = (product: any) => ({ ...product, consumers: product.revokedConsumers ?? product.consumers });
  const older = { ...json, products: json.products.map(asBefore) };
  expect(parseMeshIndex(JSON.stringify(older), 'catalog.json').products.find((product) => product.id === 'sales/legacy')!.grants).toEqual([]);

  // The consumer's lint: retired, not "not granted".
  const report = lintContractText('dataproducts/reports.yaml', REPORTS, { domain: 'finance', meshIndex: index });
  expect([...report.problems, ...report.warnings].map((problem) => formatProblem(problem).replace(/^[^:]+:\d+:\d+: /, ''))).toEqual([
    'customProperties[3].value[0]: "sales/legacy" is retired: consumer grants are revoked and the pipeline is removed; the data is kept for its retention ' +
      '(move to the data product that replaces it (ask domain sales) and remove this input)',
  ]);
});

test('until the platform registers the producer\'s data bucket, the consumer\'s lint warns that a granted input reads no rows, and says whom to ask', async () => {
  const { out } = await twoDomains({ salesDataBucket: false });
  const index = parseMeshIndex(fs.readFileSync(path.join(out, 'catalog.json'), 'utf8'), 'catalog.json');
  expect(index.products.find((product) => product.id === 'sales/orders')?.dataLocation).toBeUndefined();
  const report = lintContractText('dataproducts/budgets.yaml', contract('finance', 'budgets', { inputs: ['- sales/orders'] }), { domain: 'finance', meshIndex: index });
  expect(report.problems).toEqual([]);
  expect(report.warnings.map((problem) => formatProblem(problem).replace(/^[^:]+:\d+:\d+: /, ''))).toEqual([
    'warning: customProperties[3].value[0]: "sales/orders" is granted, but its data location is not registered with Lake Formation in prod: ' +
      'queries read its tables\' definitions and no rows (ask the platform team to add dataBucket to environment prod of domains/sales.yaml)',
  ]);
});

test('an input whose publications start the consumer\'s pipeline is marked on the edge, on both pages and in the lineage drawing', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-'));
  // Finance's revenue starts when sales publishes orders (sdlfPipeline.trigger.inputs), and reads customers as it is.
  const triggered = contract('finance', 'revenue', { inputs: ['- sales/orders', '- sales/customers'] }).replace(
    /    value:\n      stages:\n        - name: ([a-z-]+)\n          type: lambda/,
    '    value:\n      trigger:\n        inputs: [sales/orders]\n      stages:\n        - name: $1\n          type: glue',
  );
  expect(triggered).toContain('inputs: [sales/orders]');
  const sources = [
    memorySource('acme/sales', {
      contracts: [
        file('orders', contract('sales', 'orders', { consumers: ['- domain: finance', '  access: select'] })),
        file('customers', contract('sales', 'customers', { consumers: ['- domain: finance', '  access: select'] })),
      ],
    }),
    memorySource('acme/finance', { contracts: [file('revenue', triggered)] }),
  ];
  const out = path.join(root, 'site');
  const { catalog } = await buildCatalog({ sources, out });
  expect(catalog.problems).toEqual([]);
  expect(catalog.lineage.filter((edge) => edge.to === 'finance/revenue').map(({ from, triggers }) => ({ from, triggers }))).toEqual([
    { from: 'sales/customers', triggers: undefined },
    { from: 'sales/orders', triggers: true },
  ]);
  const page = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
  expect(page('products/sales.orders.html')).toContain('finance/revenue reads sales/orders; a publication of sales/orders starts its pipeline');
  expect(page('products/sales.customers.html')).not.toContain('starts its pipeline');
  expect(page('products/finance.revenue.html')).toMatch(/<path class="edge declared-both triggers" data-from="sales\/orders" data-to="finance\/revenue"/);
  expect(page('products/finance.revenue.html')).toMatch(/<path class="edge declared-both" data-from="sales\/customers" data-to="finance\/revenue"/);
});
