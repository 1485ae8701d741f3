import { CatalogDomain, CatalogEdge, CatalogFlow, CatalogLineageEdge } from './catalog-model';

/** A node of the mesh graph, placed. */
export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** `domain` (in the catalog), `outside` (a domain only named by grants), `account` or `role`. */
  readonly kind: 'domain' | 'outside' | 'account' | 'role';
  readonly x: number;
  readonly y: number;
  readonly r: number;
  /** Where its label starts, and which way it runs. */
  readonly labelX: number;
  readonly labelY: number;
  readonly anchor: 'start' | 'end';
  /** Degrees the label is turned by, so that it points away from the centre and labels never overlap. */
  readonly rotate: number;
  /** Its data products (domains). */
  readonly products: number;
}

/** A grant edge of the mesh graph: a curve from the owning domain to the consumer. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** SVG path data. */
  readonly d: string;
  /** What it grants, e.g. `sales/orders (select)`. */
  readonly title: string;
}

/**
 * A data flow of the mesh graph: a curve from the producer domain to the consumer domain, with the
 * number of data products that flow at its middle, classed as its data products are declared.
 */
export interface GraphFlow {
  readonly from: string;
  readonly to: string;
  /** SVG path data. */
  readonly d: string;
  /** The data products that flow. */
  readonly count: number;
  /** Where the count is written: the middle of the curve. */
  readonly labelX: number;
  readonly labelY: number;
  /** How its data products are declared, each way once (`both`, `input`, `grant`): one-sided ones are marked. */
  readonly declared: Array<CatalogLineageEdge['declared']>;
  /** The strongest flag of its data products: `retired`, else `deprecated`. */
  readonly flag?: CatalogLineageEdge['flag'];
  /** What flows, e.g. `sales → finance: 2 data products: sales/customers (deprecated), sales/orders`. */
  readonly title: string;
}

/** The mesh graph laid out for an SVG. */
export interface MeshGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  readonly flows: GraphFlow[];
}

/** The order the ways of declaring are listed in. */
const DECLARED_ORDER: ReadonlyArray<CatalogLineageEdge['declared']> = ['both', 'input', 'grant'];

/** What a data product of a flow declared on one side only is marked with (in its title, in the graph page's table). */
export const ONE_SIDED_MARK: Record<CatalogLineageEdge['declared'], string | undefined> = {
  both: undefined,
  input: 'read, not granted',
  grant: 'granted, not read',
};

/** Room around the circle for the labels. */
const LABEL_ROOM = 170;
/** Length of the circle per node. */
const NODE_SPACING = 40;

/**
 * Lays the mesh out on a circle: the catalog's domains in name order, then the consumers outside
 * it (domains only named by grants, accounts, roles). Deterministic: the same catalog gives the
 * same picture. Labels point away from the centre; edges and flows bend to their right, so those
 * both ways between two domains stay apart.
 *
 * @param edges the grants to draw
 * @param flows the data flows between domains to draw (a flow already shows the grant between
 * its two domains: draw the grants to accounts and roles beside them)
 */
export function layoutMeshGraph(domains: readonly CatalogDomain[], edges: readonly CatalogEdge[], flows: readonly CatalogFlow[] = []): MeshGraph {
  const entries: Array<{ id: string; label: string; kind: GraphNode['kind']; products: number }> = domains.map((domain) => ({
    id: nodeId('domain', domain.name),
    label: domain.name,
    kind: domain.inCatalog ? 'domain' : 'outside',
    products: domain.products.length,
  }));
  entries.sort((a, b) => Number(a.kind !== 'domain') - Number(b.kind !== 'domain'));
  const external = new Map<string, { id: string; label: string; kind: GraphNode['kind']; products: number }>();
  for (const edge of edges.filter((e) => e.toKind !== 'domain')) {
    external.set(nodeId(edge.toKind, edge.to), { id: nodeId(edge.toKind, edge.to), label: externalLabel(edge), kind: edge.toKind as 'account' | 'role', products: 0 });
  }
  entries.push(...[...external.values()].sort((a, b) => (a.id < b.id ? -1 : 1)));

  const radius = Math.max(140, (entries.length * NODE_SPACING) / (2 * Math.PI));
  const center = radius + LABEL_ROOM;
  const nodes = entries.map((entry, index): GraphNode => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, entries.length);
    const r = entry.kind === 'domain' ? 7 + Math.min(9, Math.sqrt(entry.products) * 2) : 6;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    return {
      ...entry,
      x: round(center + radius * cos),
      y: round(center + radius * sin),
      r: round(r),
      labelX: round(center + (radius + r + 6) * cos),
      labelY: round(center + (radius + r + 6) * sin),
      anchor: cos >= -1e-9 ? 'start' : 'end',
      rotate: round(((cos >= -1e-9 ? angle : angle + Math.PI) * 180) / Math.PI),
    };
  });

  const byId = new Map(nodes.map((node) => [node.id, node]));
  const graphEdges = edges.flatMap((edge): GraphEdge[] => {
    const from = byId.get(nodeId('domain', edge.from));
    const to = byId.get(nodeId(edge.toKind, edge.to));
    if (!from || !to || from === to) {
      return [];
    }
    return [{ from: from.id, to: to.id, d: curve(from, to), title: `${edge.from} → ${to.label}: ${edge.products.join(', ')} (${edge.access.join(', ')})` }];
  });
  const graphFlows = flows.flatMap((flow): GraphFlow[] => {
    const from = byId.get(nodeId('domain', flow.from));
    const to = byId.get(nodeId('domain', flow.to));
    if (!from || !to || from === to) {
      return [];
    }
    const flags = flow.products.map((product) => product.flag);
    const flag = flags.includes('retired') ? 'retired' : flags.includes('deprecated') ? 'deprecated' : undefined;
    const middle = curveMiddle(from, to);
    return [{
      from: from.id,
      to: to.id,
      d: curve(from, to),
      count: flow.products.length,
      labelX: middle.x,
      labelY: middle.y,
      declared: DECLARED_ORDER.filter((declared) => flow.products.some((product) => product.declared === declared)),
      ...(flag ? { flag } : {}),
      title: flowTitle(flow),
    }];
  });
  return { width: round(2 * center), height: round(2 * center), nodes, edges: graphEdges, flows: graphFlows };
}

/** A flow in words: its domains, and each data product with what is wrong with it. */
function flowTitle(flow: CatalogFlow): string {
  const products = flow.products.map((product) => {
    const marks = [ONE_SIDED_MARK[product.declared], product.flag].filter(Boolean);
    return marks.length ? `${product.id} (${marks.join(', ')})` : product.id;
  });
  const count = flow.products.length === 1 ? '1 data product' : `${flow.products.length} data products`;
  return `${flow.from} → ${flow.to}: ${count}: ${products.join(', ')}`;
}

/** The graph id of a domain or an outside consumer. */
export function nodeId(kind: string, name: string): string {
  return kind === 'domain' ? name : `${kind}:${name}`;
}

function externalLabel(edge: CatalogEdge): string {
  if (edge.toKind === 'role') {
    // arn:aws:iam::123456789012:role/path/name → role name (account)
    const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(edge.to);
    return match ? `role ${match[2]} (${match[1]})` : edge.to;
  }
  return `account ${edge.to}`;
}

/** A quadratic curve between the rims of two nodes, bent to the right of its direction. */
function curve(from: GraphNode, to: GraphNode): string {
  const { cx, cy } = control(from, to);
  const start = toward(from, cx, cy, from.r + 1);
  const end = toward(to, cx, cy, to.r + 4);
  return `M${start.x} ${start.y} Q${round(cx)} ${round(cy)} ${end.x} ${end.y}`;
}

/** The control point of the curve between two nodes: right of the direction of travel (SVG's y axis points down). */
function control(from: GraphNode, to: GraphNode): { cx: number; cy: number } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  const bend = Math.min(40, length * 0.15);
  return { cx: (from.x + to.x) / 2 - (dy / length) * bend, cy: (from.y + to.y) / 2 + (dx / length) * bend };
}

/** The point halfway along the curve between two nodes' centres. */
function curveMiddle(from: GraphNode, to: GraphNode): { x: number; y: number } {
  const { cx, cy } = control(from, to);
  return { x: round((from.x + 2 * cx + to.x) / 4), y: round((from.y + 2 * cy + to.y) / 4) };
}

function toward(node: GraphNode, x: number, y: number, distance: number): { x: number; y: number } {
  const length = Math.hypot(x - node.x, y - node.y) || 1;
  return { x: round(node.x + ((x - node.x) / length) * distance), y: round(node.y + ((y - node.y) / length) * distance) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
