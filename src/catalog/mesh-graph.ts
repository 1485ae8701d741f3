import { CatalogDomain, CatalogEdge } from './catalog-model';

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

/** The mesh graph laid out for an SVG. */
export interface MeshGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/** Room around the circle for the labels. */
const LABEL_ROOM = 170;
/** Length of the circle per node. */
const NODE_SPACING = 40;

/**
 * Lays the mesh out on a circle: the catalog's domains in name order, then the consumers outside
 * it (domains only named by grants, accounts, roles). Deterministic: the same catalog gives the
 * same picture. Labels point away from the centre; edges bend to their right, so grants both ways
 * between two domains stay apart.
 */
export function layoutMeshGraph(domains: readonly CatalogDomain[], edges: readonly CatalogEdge[]): MeshGraph {
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
  return { width: round(2 * center), height: round(2 * center), nodes, edges: graphEdges };
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
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  const ux = dx / length;
  const uy = dy / length;
  // Right of the direction of travel (SVG's y axis points down).
  const bend = Math.min(40, length * 0.15);
  const cx = (from.x + to.x) / 2 - uy * bend;
  const cy = (from.y + to.y) / 2 + ux * bend;
  const start = toward(from, cx, cy, from.r + 1);
  const end = toward(to, cx, cy, to.r + 4);
  return `M${start.x} ${start.y} Q${round(cx)} ${round(cy)} ${end.x} ${end.y}`;
}

function toward(node: GraphNode, x: number, y: number, distance: number): { x: number; y: number } {
  const length = Math.hypot(x - node.x, y - node.y) || 1;
  return { x: round(node.x + ((x - node.x) / length) * distance), y: round(node.y + ((y - node.y) / length) * distance) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
