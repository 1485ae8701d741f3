import type { CatalogFlow, CatalogFlowProduct, CatalogLineageEdge } from './catalog-model';

/** What the lineage is drawn from: for each data product, its inputs and the domains it grants. */
export interface LineageProduct {
  /** `<domain>/<data product>`. */
  readonly id: string;
  readonly domain: string;
  readonly status: string;
  /** The data products it declares it reads (`sdlfInputs`), as `<domain>/<data product>`. */
  readonly inputs: readonly string[];
  /** The domains its grants name (`sdlfConsumers`, those the synth grants). */
  readonly grantedDomains: readonly string[];
  /** The inputs whose publications start its pipeline (`sdlfPipeline.trigger.inputs`). */
  readonly triggeredBy?: readonly string[];
}

/**
 * The lineage of a mesh, producer → consumer, from both sides' contracts. An input and a grant
 * that agree are one edge declared on `both` sides; an input without a grant to the consumer's
 * domain, and a grant no data product of the domain declares it reads, are edges of their own,
 * marked so (the first one fails when the pipeline reads; the second may be an access nobody
 * uses). An input of a deprecated or retired product is flagged, and one whose publications start
 * the consumer's pipeline is marked as its trigger.
 *
 * @param products the listed data products
 * @param upcoming the status of data products that are not listed (proposed or draft), by id
 */
export function lineageOf(products: readonly LineageProduct[], upcoming: ReadonlyMap<string, string> = new Map()): CatalogLineageEdge[] {
  const byId = new Map(products.map((product) => [product.id, product]));
  const edges: CatalogLineageEdge[] = [];
  for (const consumer of products) {
    for (const input of consumer.inputs) {
      const producer = byId.get(input);
      const producerDomain = input.split('/')[0];
      // Within one domain no grant is needed: the domain reads its own data products.
      const granted = producerDomain === consumer.domain || (producer?.grantedDomains.includes(consumer.domain) ?? false);
      const producerStatus = producer?.status ?? upcoming.get(input);
      const flag = producerStatus === 'deprecated' || producerStatus === 'retired' ? producerStatus : undefined;
      const triggers = consumer.triggeredBy?.includes(input) ?? false;
      edges.push({
        from: input,
        to: consumer.id,
        toKind: 'product',
        declared: granted ? 'both' : 'input',
        ...(producerStatus ? { producerStatus } : {}),
        ...(flag ? { flag } : {}),
        ...(triggers ? { triggers } : {}),
      });
    }
  }
  for (const producer of products) {
    for (const domain of new Set(producer.grantedDomains)) {
      const declared = edges.some((edge) => edge.from === producer.id && edge.toKind === 'product' && edge.to.startsWith(`${domain}/`));
      if (!declared) {
        edges.push({ from: producer.id, to: domain, toKind: 'domain', declared: 'grant', producerStatus: producer.status });
      }
    }
  }
  return edges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
}

/**
 * The lineage between domains: one flow per producer domain and consumer domain, with the
 * producer's data products that flow and how each is declared (one way per data product, as the
 * grant is to the consumer's domain). Edges within one domain are no flow between domains.
 */
export function flowsOf(lineage: readonly CatalogLineageEdge[]): CatalogFlow[] {
  const flows = new Map<string, { from: string; to: string; products: Map<string, CatalogFlowProduct> }>();
  for (const edge of lineage) {
    const from = domainOf(edge.from);
    const to = edge.toKind === 'domain' ? edge.to : domainOf(edge.to);
    if (from === to) {
      continue;
    }
    const key = `${from}\n${to}`;
    const flow = flows.get(key) ?? { from, to, products: new Map() };
    flows.set(key, flow);
    const known = flow.products.get(edge.from);
    // Two data products of the consumer domain reading one input: one data product of the flow,
    // flagged when either edge is.
    const flag = edge.flag ?? known?.flag;
    flow.products.set(edge.from, { id: edge.from, declared: known?.declared ?? edge.declared, ...(flag ? { flag } : {}) });
  }
  return [...flows.values()]
    .map(({ from, to, products }) => ({ from, to, products: [...products.values()].sort((a, b) => compare(a.id, b.id)) }))
    .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
}

function domainOf(product: string): string {
  return product.split('/')[0];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
