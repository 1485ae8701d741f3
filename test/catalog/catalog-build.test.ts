import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createMesh, MeshFixture } from './mesh-fixture';
import { Catalog, CatalogProduct } from '../../src/catalog';
import { catalogBuildCommand, catalogServeCommand } from '../../src/cli/catalog-command';
import { InvalidOptionError } from '../../src/util/invalid-option-error';

let mesh: MeshFixture;
let site: string;
let catalog: Catalog & { files: string[] };
let printed: string;

const read = (file: string) => fs.readFileSync(path.join(site, file), 'utf8');
const product = (id: string) => catalog.products.find((p) => p.id === id) as CatalogProduct;

/** Runs `sdlf-mesh catalog ...` in this process and returns what it printed. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line) => void out.push(String(line)));
  const error = jest.spyOn(console, 'error').mockImplementation((line) => void err.push(String(line)));
  try {
    const [verb, ...rest] = args;
    const code = await (verb === 'serve' ? catalogServeCommand : catalogBuildCommand)(rest);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

beforeAll(async () => {
  mesh = await createMesh(fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-mesh-')));
  site = path.join(mesh.root, 'site');
  const result = await cli('build', ...mesh.sources, '--out', site);
  expect(result.code).toBe(0);
  printed = `${result.out}\n${result.err}`;
  catalog = JSON.parse(read('catalog.json'));
});

afterAll(() => fs.rmSync(mesh.root, { recursive: true, force: true }));

test('every valid contract of the five domains is a data product, from working trees and bare remotes', () => {
  expect(catalog.products.map((p) => p.id)).toEqual(mesh.products);
  expect(catalog.domains.filter((d) => d.inCatalog).map((d) => d.name)).toEqual(['finance', 'hr', 'logistics', 'marketing', 'sales']);
  expect(printed).toContain('catalog: 7 data products of 5 domains, 6 grants, 4 problems');
  for (const id of mesh.products) {
    expect(read('index.html')).toContain(`href="${product(id).page}"`);
    expect(fs.existsSync(path.join(site, product(id).page))).toBe(true);
  }
});

test('a card tells owner, freshness, quality, classification, status and tags', () => {
  expect(product('sales/orders')).toMatchObject({
    version: '1.0.0',
    status: 'active',
    owners: ['@acme/sales-data'],
    contact: '@acme/sales-data',
    classification: 'restricted',
    freshness: '24 h',
    tags: ['pii', 'revenue'],
    quality: [
      { element: 'orders', rule: 'A delivery is never empty.', enforced: true },
      { element: 'orders.order_id', rule: 'Every order has an identifier.', enforced: true },
    ],
    qualityEnforced: 2,
    stages: [{ name: 'light-transform', type: 'lambda' }],
    retentionDays: 365,
  });
  expect(product('finance/ledger')).toMatchObject({ status: 'retired', classification: 'internal', tags: ['accounting'] });
  // No member with role owner: ask the domain's team.
  expect(product('marketing/campaigns')).toMatchObject({ owners: [], contact: 'team marketing' });
  expect(product('logistics/shipments').stages.map((s) => s.type)).toEqual(['lambda', 'glue']);

  const index = read('index.html');
  const card = index.slice(index.indexOf('id="sales.orders"'), index.indexOf('</li>\n', index.indexOf('id="sales.orders"')));
  expect(card).toContain('data-domain="sales"');
  expect(card).toContain('data-classification="restricted"');
  expect(card).toContain('<span class="status status-active">active</span>');
  expect(card).toContain('<dd class="owner">@acme/sales-data</dd>');
  expect(card).toContain('<dt>Freshness</dt><dd>24 h</dd>');
  expect(card).toContain('2 rules');
  expect(card).toContain('<li>revenue</li>');
  // The filters offer every value, and stay hidden until the script shows them.
  expect(index).toMatch(/<form id="filters"[^>]* hidden>/);
  for (const option of ['finance', 'controller@example.com', 'team marketing', 'confidential', 'deprecated', 'gold']) {
    expect(index).toContain(`<option>${option}</option>`);
  }
});

test('a deprecated data product warns its consumers on its page; an active one has no notice', () => {
  expect(product('logistics/shipments').notice).toBe('still served, but consumers should move off it before it is retired');
  expect(read('products/logistics.shipments.html')).toContain('<p class="notice" role="note"><strong>deprecated</strong>: still served, but consumers should move off it');
  expect(product('sales/orders').notice).toBeUndefined();
  expect(read('products/sales.orders.html')).not.toContain('class="notice"');
});

test('a product page has the Athena SQL with the names the constructs create, and marks PII and keys', () => {
  const orders = read('products/sales.orders.html');
  expect(orders).toContain('<code>SELECT * FROM &quot;sales_prod_orders&quot;.&quot;orders&quot; LIMIT 10;</code>');
  expect(product('logistics/shipments').tables[0].sql).toBe('SELECT * FROM "logistics_prod_shipments"."shipments" LIMIT 10;');
  const email = orders.slice(orders.indexOf('<tr data-column="customer_email"'), orders.indexOf('</tr>', orders.indexOf('data-column="customer_email"')));
  expect(email).toContain('class="pii"');
  expect(email).toContain('<span class="pii-marker" title="personal or sensitive data">PII</span>');
  const total = orders.slice(orders.indexOf('<tr data-column="order_total"'), orders.indexOf('</tr>', orders.indexOf('data-column="order_total"')));
  expect(total).not.toContain('PII');
  expect(total).toContain('<code>decimal(12,2)</code>');
  expect(orders).toMatch(/<code>order_id<\/code> <abbr class="pk" title="primary key, position 1">PK<\/abbr>/);
  expect(orders).toContain('Ask <strong class="contact">@acme/sales-data</strong> for access');
  // The customer's e-mail is PII: the consumer's grant leaves it out.
  expect(orders).toContain('<li>domain <code>finance</code>: select; <code>orders</code> (order_id, order_total, currency, ordered_at)</li>');
  expect(orders).toContain('<li><code>light-transform</code> (lambda)</li>');
  // The badge marks what grants withhold: restricted or tagged pii; confidential alone is not.
  expect(product('logistics/shipments').tables[0].columns.find((c) => c.name === 'customer_email')).toMatchObject({ classification: 'confidential', pii: false });
  expect(product('sales/orders').tables[0].columns.find((c) => c.name === 'customer_email')).toMatchObject({ classification: 'restricted', pii: true });
  expect(product('finance/ledger').tables[0].columns.some((c) => c.pii)).toBe(false);
});

test('--environment names the Glue database of that environment', async () => {
  const dev = path.join(mesh.root, 'site-dev');
  expect((await cli('build', mesh.sources[0], '--out', dev, '--environment', 'dev', '--json')).code).toBe(0);
  const built: Catalog = JSON.parse(fs.readFileSync(path.join(dev, 'catalog.json'), 'utf8'));
  expect(built.products.map((p) => p.tables[0].sql)).toEqual([
    'SELECT * FROM "sales_dev_customers"."customers" LIMIT 10;',
    'SELECT * FROM "sales_dev_orders"."orders" LIMIT 10;',
  ]);
});

test('--policy leaves out the grants the platform does not allow: they fail their domain\'s build', async () => {
  const policy = path.join(mesh.root, 'governance-policy.yaml');
  fs.writeFileSync(policy, 'allowedConsumers:\n  roles: [arn:aws:iam::333333333333:role/audit/auditor]\n');
  const governed = path.join(mesh.root, 'site-governed');
  expect((await cli('build', ...mesh.sources, '--out', governed, '--policy', policy, '--json')).code).toBe(0);
  const built: Catalog = JSON.parse(fs.readFileSync(path.join(governed, 'catalog.json'), 'utf8'));
  // The account 222222222222 is not on the allow-list; domains keep the baseline.
  expect(built.edges.map((e) => `${e.from} -> ${e.toKind}:${e.to}`)).toEqual(
    catalog.edges.map((e) => `${e.from} -> ${e.toKind}:${e.to}`).filter((edge) => edge !== 'sales -> account:222222222222'),
  );
  expect(built.edges).toHaveLength(catalog.edges.length - 1);
});

test('the version history of a contract in a bare remote comes from git, with what each version changed', () => {
  const history = product('finance/invoices').history;
  expect(history.map((v) => [v.version, v.subject])).toEqual([
    ['2.0.0', 'invoices 2.0.0: no currency column'],
    ['1.0.0', 'invoices 1.0.0'],
  ]);
  expect(history[0].changes).toEqual([{ breaking: true, message: 'column "currency" removed' }]);
  expect(product('finance/invoices').version).toBe('2.0.0');
  expect(product('finance/invoices').tables[0].columns.map((c) => c.name)).not.toContain('currency');
  const page = read('products/finance.invoices.html');
  expect(page).toContain('<li class="breaking"><strong>breaking</strong>: column &quot;currency&quot; removed</li>');
  // A working tree under git has history too; a plain folder has none.
  expect(product('sales/orders').history).toHaveLength(1);
  expect(product('logistics/shipments').history).toEqual([]);
});

test('broken contracts and repositories are problems, with file:line:column, and the rest is built', () => {
  const texts = catalog.problems.map((p) => p.text);
  const broken = path.join(mesh.root, 'logistics', 'dataproducts', 'broken.yaml');
  expect(texts).toEqual([
    `${broken}:10:9: status: "actve" is not a status of the lifecycle: proposed, draft, active, deprecated, retired (did you mean "active"?)`,
    `${broken}:37:25: schema[0].properties[1].classification: "secret" is not a known classification: public, internal, confidential, restricted`,
    expect.stringMatching(/gone: no such folder/),
    expect.stringMatching(/empty\.git: no branch main/),
  ]);
  const problems = read('problems.html');
  expect(problems).toContain(`<code>${broken}:10:9</code>`);
  expect(problems).toContain('status: &quot;actve&quot; is not a status of the lifecycle');
  expect(problems).toContain('gone: no such folder');
  expect(problems).toContain('empty.git: no branch main');
  expect(read('index.html')).toContain('<a href="problems.html">4 problems</a>');
});

test('the mesh graph has the domains as nodes and the grants as edges, also for consumers outside the catalog', () => {
  expect(catalog.edges.map((e) => `${e.from} -> ${e.toKind}:${e.to} ${e.access.join('/')}`)).toEqual([
    'finance -> role:arn:aws:iam::333333333333:role/audit/auditor select',
    'hr -> domain:payroll select',
    'marketing -> domain:sales select',
    'sales -> account:222222222222 select',
    'sales -> domain:finance select',
    'sales -> domain:marketing describe',
  ]);
  expect(catalog.domains.find((d) => d.name === 'payroll')).toMatchObject({ inCatalog: false, products: [] });
  const graph = read('graph.html');
  // Between domains, a data flow: no data product of these domains declares an input, so each is a grant no one reads yet.
  for (const [from, to] of [
    ['sales', 'finance'],
    ['sales', 'marketing'],
    ['marketing', 'sales'],
    ['hr', 'payroll'],
  ]) {
    expect(graph).toContain(`<path class="edge flow declared-grant" data-from="${from}" data-to="${to}"`);
  }
  for (const [from, to] of [
    ['sales', 'account:222222222222'],
    ['finance', 'role:arn:aws:iam::333333333333:role/audit/auditor'],
  ]) {
    expect(graph).toContain(`<path class="edge" data-from="${from}" data-to="${to}"`);
  }
  expect(graph.match(/<path class="edge/g)).toHaveLength(6);
  for (const domain of ['finance', 'hr', 'logistics', 'marketing', 'sales']) {
    expect(graph).toContain(`<g class="node node-domain" data-id="${domain}">`);
  }
  expect(graph).toContain('<g class="node node-outside" data-id="payroll">');
  expect(graph).toContain('>role auditor (333333333333)</text>');
});

test('contract text is escaped: it cannot add markup to the site', () => {
  const page = read('products/hr.employees.html');
  expect(page).toContain('Employees &lt;script&gt;alert(1)&lt;/script&gt; &amp; contracts');
  expect(page).not.toContain('<script>alert(1)');
  expect(read('index.html')).not.toContain('<script>alert(1)');
});

test('catalog.json lists its files; a rebuild removes only the pages it wrote that are gone', async () => {
  expect(catalog.format).toBe(1);
  expect(catalog.files).toEqual(expect.arrayContaining(['index.html', 'graph.html', 'problems.html', 'catalog.css', 'catalog.js', 'catalog.json', 'products/sales.orders.html']));
  const out = path.join(mesh.root, 'site-rebuild');
  expect((await cli('build', mesh.sources[0], mesh.sources[1], '--out', out)).code).toBe(0);
  fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
  fs.writeFileSync(path.join(out, 'products', 'mine.html'), 'mine');
  expect(fs.existsSync(path.join(out, 'products', 'finance.invoices.html'))).toBe(true);

  expect((await cli('build', mesh.sources[0], '--out', out)).code).toBe(0);
  expect(fs.existsSync(path.join(out, 'products', 'finance.invoices.html'))).toBe(false);
  expect(fs.existsSync(path.join(out, 'products', 'sales.orders.html'))).toBe(true);
  expect(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
  expect(fs.readFileSync(path.join(out, 'products', 'mine.html'), 'utf8')).toBe('mine');
});

test('--repos reads the sources from a file, and a folder of bare repositories stands for each', async () => {
  const list = path.join(mesh.root, 'repos.txt');
  fs.writeFileSync(list, '# the mesh\nsales\n\nremotes\n');
  const out = path.join(mesh.root, 'site-repos');
  const result = await cli('build', '--repos', list, '--out', out, '--json');
  const summary = JSON.parse(result.out);
  expect(summary.products).toEqual(['finance/invoices', 'finance/ledger', 'marketing/campaigns', 'sales/customers', 'sales/orders']);
  expect(summary.problems.map((p: any) => p.message)).toEqual([expect.stringMatching(/no branch main/)]);
});

describe('bad options are refused before anything is written', () => {
  const expectRefused = async (args: string[], option: string, fix: RegExp) => {
    const attempt = cli(...args);
    await expect(attempt).rejects.toThrow(InvalidOptionError);
    await expect(attempt).rejects.toMatchObject({ option, message: expect.stringMatching(fix) });
  };

  test('no sources', async () => {
    const out = path.join(mesh.root, 'nothing');
    await expectRefused(['build', '--out', out], 'sources', /--repos repos\.txt/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('--out missing, a file, or a folder of other files', async () => {
    await expectRefused(['build', mesh.sources[0]], '--out', /--out site/);
    const file = path.join(mesh.root, 'a-file');
    fs.writeFileSync(file, 'x');
    await expectRefused(['build', mesh.sources[0], '--out', file], '--out', /is a file/);
    await expectRefused(['build', mesh.sources[0], '--out', path.join(file, 'site')], '--out', /is a file, so .* cannot be created/);
    const foreign = path.join(mesh.root, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'index.html'), 'someone else\'s');
    await expectRefused(['build', mesh.sources[0], '--out', foreign], '--out', /holds no catalog/);
    expect(fs.readdirSync(foreign)).toEqual(['index.html']);
  });

  test('unknown flags, both kinds of sources, a bad environment, a bad port', async () => {
    await expectRefused(['build', mesh.sources[0], '--out', 'x', '--branch', 'main'], '--branch', /Unknown option '--branch'; the options are --out, --repos, --org, --topic, --property, --history, --token-file, --environment, --registry, --without-registry, --json/);
    await expectRefused(['build', mesh.sources[0], '--out', 'x', '--org', 'acme'], '--org', /give the repositories either with --org or as folders/);
    await expectRefused(['build', mesh.sources[0], '--repos', 'repos.txt', '--out', 'x'], '--repos', /either as arguments or in a --repos file/);
    await expectRefused(['build', '--repos', path.join(mesh.root, 'missing.txt'), '--out', 'x'], '--repos', /does not exist/);
    await expectRefused(['build', mesh.sources[0], '--out', path.join(mesh.root, 'x'), '--environment', 'Prod!'], '--environment', /--environment prod/);
    await expectRefused(['serve', '--dir', site, '--port', 'http'], '--port', /give 0 to 65535/);
    await expectRefused(['serve', '--dir', mesh.root], '--dir', /no index\.html/);
    expect(fs.existsSync(path.join(mesh.root, 'x'))).toBe(false);
  });
});
