import { CatalogDomain, CatalogEdge, layoutMeshGraph } from '../../src/catalog';

const domain = (name: string, products = 1, inCatalog = true): CatalogDomain => ({ name, inCatalog, sources: [], products: Array.from({ length: products }, (_, i) => `${name}/p${i}`), owners: [] });
const edge = (from: string, to: string, toKind: CatalogEdge['toKind'] = 'domain'): CatalogEdge => ({ from, to, toKind, products: [`${from}/p0`], access: ['select'] });

test('domains sit on a circle, consumers outside the catalog after them, the same way every time', () => {
  const domains = [domain('finance'), domain('sales', 4), domain('payroll', 0, false)];
  const edges = [edge('sales', 'finance'), edge('finance', 'sales'), edge('sales', '222222222222', 'account'), edge('sales', 'payroll')];
  const graph = layoutMeshGraph(domains, edges);
  expect(graph).toEqual(layoutMeshGraph(domains, edges));
  expect(graph.nodes.map((n) => [n.id, n.kind])).toEqual([
    ['finance', 'domain'],
    ['sales', 'domain'],
    ['payroll', 'outside'],
    ['account:222222222222', 'account'],
  ]);
  // The first node is at the top, the others clockwise; labels run away from the centre.
  const [finance, sales] = graph.nodes;
  expect(finance.x).toBeCloseTo(graph.width / 2);
  expect(finance.y).toBeLessThan(graph.height / 2);
  expect(sales.anchor).toBe('start');
  expect(graph.nodes[3].anchor).toBe('end');
  // A domain with more data products is drawn bigger.
  expect(sales.r).toBeGreaterThan(finance.r);
  // Edges both ways between two domains do not overlap.
  const there = graph.edges.find((e) => e.from === 'sales' && e.to === 'finance')!;
  const back = graph.edges.find((e) => e.from === 'finance' && e.to === 'sales')!;
  expect(there.d).not.toEqual(back.d);
  expect(graph.edges.map((e) => e.title)).toContain('sales → account 222222222222: sales/p0 (select)');
});

test('the circle grows with the mesh, so 200 domains do not overlap', () => {
  const domains = Array.from({ length: 200 }, (_, i) => domain(`d${String(i).padStart(3, '0')}`));
  const graph = layoutMeshGraph(domains, []);
  const [a, b] = graph.nodes;
  expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThan(a.r + b.r);
  expect(graph.edges).toEqual([]);
});
