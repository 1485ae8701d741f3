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
