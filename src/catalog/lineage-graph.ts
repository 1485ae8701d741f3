import type { CatalogLineageEdge, CatalogProduct } from './catalog-model';

/** A box of a data product's lineage graph: the product, one of its inputs, or one of its readers. */
export interface LineageNode {
  readonly id: string;
  /** `product` (the page's own), `input` or `reader`. */
  readonly role: 'product' | 'input' | 'reader';
  /** The page of the data product, relative to the site's root, when the catalog lists it. */
  readonly page?: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An arrow of the lineage graph, producer → consumer, classed by how it is declared and flagged. */
export interface LineageArrow {
  readonly from: string;
  readonly to: string;
  readonly d: string;
  readonly declared: CatalogLineageEdge['declared'];
  readonly flag?: CatalogLineageEdge['flag'];
  /** Set when the producer's publications start the consumer's pipeline. */
  readonly triggers?: boolean;
  /** What the arrow means, for its tooltip. */
  readonly title: string;
}

/** One data product's lineage laid out for an SVG: inputs on the left, readers on the right. */
export interface LineageGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: LineageNode[];
  readonly arrows: LineageArrow[];
}

const BOX_WIDTH = 220;
const BOX_HEIGHT = 30;
const ROW = 44;
const GAP = 90;

/**
 * Lays out the lineage of one data product in three columns, in the order of its edges (so the
 * same catalog gives the same picture); undefined when it has neither inputs nor readers.
 *
 * @param pages the page of each listed data product, by id
 */
export function layoutLineage(product: CatalogProduct, pages: ReadonlyMap<string, string>): LineageGraph | undefined {
  if (product.inputs.length === 0 && product.readers.length === 0) {
    return undefined;
  }
  const rows = Math.max(product.inputs.length, product.readers.length, 1);
  const height = rows * ROW + 10;
  const column = (index: number) => index * (BOX_WIDTH + GAP) + 5;
  const place = (role: LineageNode['role'], id: string, x: number, index: number, count: number): LineageNode => ({
    id,
    role,
    ...(pages.has(id) ? { page: pages.get(id) } : {}),
    x,
    y: Math.round((height - count * ROW) / 2 + index * ROW + (ROW - BOX_HEIGHT) / 2),
    width: BOX_WIDTH,
    height: BOX_HEIGHT,
  });
  const centre = place('product', product.id, column(1), 0, 1);
  const inputs = product.inputs.map((edge, index) => place('input', edge.from, column(0), index, product.inputs.length));
  const readers = product.readers.map((edge, index) => place('reader', edge.to, column(2), index, product.readers.length));
  const arrow = (edge: CatalogLineageEdge, from: LineageNode, to: LineageNode): LineageArrow => ({
    from: edge.from,
    to: edge.to,
    d: curve(from, to),
    declared: edge.declared,
    ...(edge.flag ? { flag: edge.flag } : {}),
    ...(edge.triggers ? { triggers: true } : {}),
    title: describeEdge(edge),
  });
  return {
    width: column(3) - GAP + 5,
    height,
    nodes: [...inputs, centre, ...readers],
    arrows: [
      ...product.inputs.map((edge, index) => arrow(edge, inputs[index], centre)),
      ...product.readers.map((edge, index) => arrow(edge, centre, readers[index])),
    ],
  };
}

/** An edge in words: who reads what, and what is wrong with it. */
export function describeEdge(edge: CatalogLineageEdge): string {
  const reader = edge.toKind === 'domain' ? `domain ${edge.to}` : edge.to;
  const declared = {
    both: `${reader} reads ${edge.from}`,
    input: `${reader} declares it reads ${edge.from}, which does not grant it to ${edge.to.split('/')[0]}`,
    grant: `${edge.from} is granted to ${reader}, where no data product declares it reads it`,
  }[edge.declared];
  const triggers = edge.triggers ? `; a publication of ${edge.from} starts its pipeline` : '';
  if (edge.flag === 'retired' && edge.declared === 'input') {
    // Its grants are revoked: it grants nobody, whatever its contract still names.
    return `${reader} declares it reads ${edge.from}, which is retired: its grants are revoked and ${edge.to} should move off it${triggers}`;
  }
  return edge.flag ? `${declared}${triggers}; ${edge.from} is ${edge.flag}: ${edge.to} should move off it` : `${declared}${triggers}`;
}

function curve(from: LineageNode, to: LineageNode): string {
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x - 4;
  const y2 = to.y + to.height / 2;
  const bend = (x2 - x1) / 2;
  return `M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`;
}
