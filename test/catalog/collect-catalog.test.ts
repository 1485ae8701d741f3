import { CatalogSource, collectCatalog, SourceSnapshot } from '../../src/catalog';
import { renderSampleContract } from '../../src/projects/domain-samples';

/** A source held in memory: what any other kind of source (a hosting API) gives the catalog. */
function memorySource(name: string, snapshot: SourceSnapshot | Error): CatalogSource {
  return { name, fallbackDomain: name, read: async () => (snapshot instanceof Error ? Promise.reject(snapshot) : snapshot) };
}

const orders = (domain: string) => ({ path: 'dataproducts/orders.yaml', text: renderSampleContract(domain, '@acme/team', 'orders') });

test('any CatalogSource feeds the catalog; duplicates, foreign contracts and failing sources become problems', async () => {
  const catalog = await collectCatalog([
    memorySource('acme/sales', { domain: 'sales', commit: 'abc', contracts: [orders('sales')] }),
    memorySource('acme/sales-copy', { contracts: [orders('sales')] }),
    memorySource('acme/finance', { domain: 'finance', contracts: [orders('sales')] }),
    memorySource('acme/gone', new Error('not found, or this token cannot read it')),
  ]);
  expect(catalog.products.map((product) => [product.id, product.source])).toEqual([
    ['sales/orders', { name: 'acme/sales', file: 'acme/sales/dataproducts/orders.yaml', commit: 'abc' }],
  ]);
  expect(catalog.problems.map((problem) => problem.text)).toEqual([
    'acme/sales-copy/dataproducts/orders.yaml:1:1: data product sales/orders is also in acme/sales/dataproducts/orders.yaml; the catalog shows that one',
    expect.stringMatching(/^acme\/finance\/dataproducts\/orders\.yaml:\d+:\d+: domain: the contract is for domain "sales" but lives in the repository of domain "finance"/),
    'acme/gone: not found, or this token cannot read it',
  ]);
  // A repository read without products still is a domain of the mesh.
  expect(catalog.domains.map((domain) => [domain.name, domain.sources])).toEqual([
    ['finance', ['acme/finance']],
    ['sales', ['acme/sales', 'acme/sales-copy']],
  ]);
  expect(catalog.sources).toEqual([
    { name: 'acme/sales', domain: 'sales', commit: 'abc', contracts: 1 },
    { name: 'acme/sales-copy', domain: 'sales', commit: undefined, contracts: 1 },
    { name: 'acme/finance', domain: 'finance', commit: undefined, contracts: 1 },
    { name: 'acme/gone', contracts: 0 },
  ]);
});

test('the catalog shows only the grants that are synthesized, with the columns each consumer sees', async () => {
  // Every column of orders is sensitive: a consumer that names none gets no grant at all.
  const allSensitive = renderSampleContract('sales', '@acme/team', 'orders')
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
  const sources = [memorySource('acme/sales', { domain: 'sales', contracts: [{ path: 'dataproducts/orders.yaml', text: allSensitive }] })];

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
