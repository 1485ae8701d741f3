import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CatalogSource, collectCatalog, readRegisteredRepositories, renderSite, SourceSnapshot } from '../../src/catalog';
import { renderSampleContract } from '../../src/projects/domain-samples';
import { InvalidOptionError } from '../../src/util/invalid-option-error';
import { activeContract } from '../support/sample-contract';

/** A source held in memory: what any other kind of source (a hosting API) gives the catalog. */
function memorySource(repository: string, snapshot: SourceSnapshot | Error, declaredDomain?: string): CatalogSource {
  return { name: repository, repository, declaredDomain, read: async () => (snapshot instanceof Error ? Promise.reject(snapshot) : snapshot) };
}

const contract = (domain: string, dataProduct = 'orders') => ({
  path: `dataproducts/${dataProduct}.yaml`,
  content: { bytes: Buffer.from(activeContract(domain, '@acme/team', dataProduct)) },
});
const texts = (problems: Array<{ text: string }>) => problems.map((problem) => problem.text);

test('a contract speaks only for the domain of its repository: another domain\'s name in its text is a problem', async () => {
  const catalog = await collectCatalog([
    memorySource('acme/sales', { commit: 'abc', contracts: [contract('sales')] }),
    // Its text says sales: the repository is finance's.
    memorySource('acme/finance', { contracts: [contract('sales', 'refunds'), contract('finance', 'invoices')] }),
    memorySource('acme/gone', new Error('not found, or this token cannot read it')),
  ]);
  expect(catalog.products.map((product) => [product.id, product.source.name])).toEqual([
    ['finance/invoices', 'acme/finance'],
    ['sales/orders', 'acme/sales'],
  ]);
  expect(texts(catalog.problems)).toEqual([
    expect.stringMatching(/^acme\/finance\/dataproducts\/refunds\.yaml:\d+:\d+: domain: the contract is for domain "sales" but lives in the repository of domain "finance"/),
    'acme/gone: not found, or this token cannot read it',
  ]);
  expect(catalog.sources).toEqual([
    { name: 'acme/sales', domain: 'sales', identity: 'repository name', commit: 'abc', contracts: 1, notYetActive: 0 },
    { name: 'acme/finance', domain: 'finance', identity: 'repository name', commit: undefined, contracts: 2, notYetActive: 0 },
    // A repository that could not be read still holds its domain: another cannot take it meanwhile.
    { name: 'acme/gone', domain: 'gone', identity: 'repository name', contracts: 0 },
  ]);
});

test('the catalog shows only the grants that are synthesized, with the columns each consumer sees', async () => {
  // Every column of orders is sensitive: a consumer that names none gets no grant at all.
  const allSensitive = activeContract('sales', '@acme/team', 'orders')
    .replace('        classification: restricted\n', '')
    .replace(/(        logicalType: \w+\n)/g, '$1        classification: restricted\n')
    .replace(
      '    value: []',
      [
        '    value:',
        '      - domain: marketing',
        '        access: select',
        '      - domain: finance',
        '        access: select',
        '        columns: [orders.order_id]',
        '      - account: "222222222222"',
        '        access: select',
        '        columns: [orders.order_id, orders.customer_email]',
      ].join('\n'),
    );
  const sources = [memorySource('acme/sales', { contracts: [{ path: 'dataproducts/orders.yaml', content: { bytes: Buffer.from(allSensitive) } }] })];

  const catalog = await collectCatalog(sources);
  expect(catalog.problems).toEqual([]);
  expect(catalog.products[0].consumers).toEqual([
    { kind: 'domain', id: 'finance', access: 'select', tables: [{ table: 'orders', columns: ['order_id'] }] },
    { kind: 'account', id: '222222222222', access: 'select', tables: [{ table: 'orders', columns: ['order_id', 'customer_email'] }] },
  ]);
  expect(catalog.edges.map((edge) => edge.to)).toEqual(['222222222222', 'finance']);

  // With the platform's policy, the account it does not allow is not shown either.
  const governed = await collectCatalog(sources, { allowedConsumers: { domains: ['finance', 'marketing'] } });
  expect(governed.products[0].consumers.map((consumer) => consumer.id)).toEqual(['finance']);
  expect(governed.edges.map((edge) => edge.to)).toEqual(['finance']);
});

test('a proposed or draft contract, such as the example of a new domain, is not listed until it is active', async () => {
  const proposed = activeContract('finance', '@acme/finance', 'budgets').replace('status: active', 'status: proposed');
  const retired = activeContract('finance', '@acme/finance', 'ledgers').replace('status: active', 'status: retired');
  const catalog = await collectCatalog([
    // A new domain's repository, as projen new writes it.
    memorySource('acme/sales', { contracts: [{ path: 'dataproducts/orders.yaml', content: { bytes: Buffer.from(renderSampleContract('sales', '@acme/sales')) } }] }),
    memorySource('acme/finance', {
      contracts: [contract('finance', 'invoices'), { path: 'dataproducts/budgets.yaml', content: { bytes: Buffer.from(proposed) } }, { path: 'dataproducts/ledgers.yaml', content: { bytes: Buffer.from(retired) } }],
    }),
  ]);
  expect(catalog.problems).toEqual([]);
  // Retired data is still there for its retention: it stays listed, with its notice.
  expect(catalog.products.map((product) => [product.id, product.status])).toEqual([['finance/invoices', 'active'], ['finance/ledgers', 'retired']]);
  expect(catalog.sources.map(({ name, contracts, notYetActive }) => ({ name, contracts, notYetActive }))).toEqual([
    { name: 'acme/sales', contracts: 1, notYetActive: 1 },
    { name: 'acme/finance', contracts: 3, notYetActive: 1 },
  ]);
  expect(catalog.domains.find((domain) => domain.name === 'sales')).toMatchObject({ inCatalog: true, products: [] });
  expect(renderSite(catalog).get('index.html')).toContain('2 proposed or draft contracts are not listed until they are active.');
});

test('two repositories that speak for one domain are a conflict of both, never resolved by their order', async () => {
  const build = (order: CatalogSource[]) => collectCatalog(order);
  const sources = [
    memorySource('acme/sales', { contracts: [contract('sales')] }),
    // A repository whose custom property claims the sales domain.
    memorySource('acme/sales-copy', { contracts: [contract('sales'), contract('sales', 'customers')] }, 'sales'),
    memorySource('acme/finance', { contracts: [contract('finance', 'invoices')] }),
  ];
  const catalog = await build(sources);
  const reversed = await build([...sources].reverse());
  // The other domains are still published; sales is published from neither.
  expect(catalog.products.map((product) => product.id)).toEqual(['finance/invoices']);
  expect(reversed.products).toEqual(catalog.products);
  expect(catalog.problems.filter((problem) => problem.kind === 'conflict').map((problem) => problem.source)).toEqual(['acme/sales', 'acme/sales-copy']);
  expect(texts(catalog.problems)).toEqual([
    expect.stringMatching(/^acme\/sales: conflict: it speaks for domain "sales" \(by its repository name\), and so does acme\/sales-copy; none of their data products are published/),
    expect.stringMatching(/^acme\/sales-copy: conflict: it speaks for domain "sales" \(by its custom property\), and so does acme\/sales;/),
  ]);
});

test('a repository that cannot be read right now still holds its domain against a claimant', async () => {
  const catalog = await collectCatalog([
    memorySource('acme/hr', new Error('the server answered 502')),
    memorySource('acme/people', { contracts: [contract('hr', 'employees')] }, 'hr'),
  ]);
  expect(catalog.products).toEqual([]);
  expect(catalog.problems.map((problem) => [problem.kind, problem.source])).toEqual([
    ['conflict', 'acme/hr'],
    ['conflict', 'acme/people'],
  ]);
});

describe('with the platform\'s domain registry', () => {
  let platform: string;
  beforeAll(() => {
    platform = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
    const domains = path.join(platform, 'domains');
    fs.mkdirSync(domains);
    fs.writeFileSync(path.join(domains, 'sales.yaml'), 'domain: sales\nrepository: acme/sales-data\nowner: "@acme/sales"\n');
    fs.writeFileSync(path.join(domains, 'finance.yaml'), 'domain: finance\nrepository: acme/finance\n');
    // A registration that names another domain than its file, and one that is an alias bomb.
    fs.writeFileSync(path.join(domains, 'hr.yaml'), 'domain: sales\nrepository: acme/hr\n');
    fs.writeFileSync(path.join(domains, 'bomb.yaml'), 'a: &a [x, x]\nb: &b [*a, *a]\ndomain: bomb\nrepository: acme/bomb\n');
  });
  afterAll(() => fs.rmSync(platform, { recursive: true, force: true }));

  test('the registry alone says which repository speaks for a domain; the others publish nothing', async () => {
    const registry = readRegisteredRepositories(platform);
    expect(registry.entries).toEqual([
      { domain: 'finance', repository: 'acme/finance' },
      { domain: 'sales', repository: 'acme/sales-data' },
    ]);
    const catalog = await collectCatalog(
      [
        memorySource('acme/sales-data', { contracts: [contract('sales')] }),
        // Named like the domain, with the custom property too: the registry names another repository.
        memorySource('acme/sales', { contracts: [contract('sales', 'customers')] }, 'sales'),
        // Its custom property disagrees with the registry: the registry counts.
        memorySource('acme/finance', { contracts: [contract('finance', 'invoices')] }, 'marketing'),
      ],
      { registry },
    );
    expect(catalog.products.map((product) => product.id)).toEqual(['finance/invoices', 'sales/orders']);
    expect(catalog.sources.map((source) => [source.name, source.domain, source.identity])).toEqual([
      ['acme/sales-data', 'sales', 'registry'],
      ['acme/sales', undefined, undefined],
      ['acme/finance', 'finance', 'registry'],
    ]);
    expect(texts(catalog.problems)).toEqual([
      expect.stringMatching(/bomb\.yaml:1:1: not a domain registration: .*alias/i),
      expect.stringMatching(/hr\.yaml:1:1: domain: a registration names its own domain, as its file name does: domain: hr/),
      expect.stringMatching(/^acme\/sales: not in the domain registry .*: no domains\/<domain>\.yaml names acme\/sales as its repository, so it speaks for no domain/),
      'acme/finance: its custom property domain is "marketing", but the domain registry registers it for "finance"; the registry counts (correct the property)',
    ]);
  });

  test('a folder without registrations is refused, naming the option', () => {
    expect(() => readRegisteredRepositories(fs.mkdtempSync(path.join(os.tmpdir(), 'empty-')))).toThrow(InvalidOptionError);
    expect(() => readRegisteredRepositories(path.join(platform, 'missing'))).toThrow(/Invalid option "--registry": .*missing holds no domain registrations/);
  });

  test('a platform repository before its first registration is a registry of no domain: every repository publishes nothing', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
    fs.mkdirSync(path.join(fresh, 'domains'));
    fs.writeFileSync(path.join(fresh, 'domains', 'README.md'), '# Domain registry\n');
    const registry = readRegisteredRepositories(fresh);
    expect(registry.entries).toEqual([]);
    const catalog = await collectCatalog([memorySource('acme/sales', { contracts: [contract('sales')] }, 'sales')], { registry });
    expect(catalog.products).toEqual([]);
    expect(texts(catalog.problems)).toEqual([expect.stringMatching(/^acme\/sales: not in the domain registry /)]);
  });
});
