import * as fs from 'fs';
import * as path from 'path';
import * as Handlebars from 'handlebars';
import { Catalog, CatalogLineageEdge, CatalogProduct, notYetActiveOf } from './catalog-model';
import { describeEdge, layoutLineage } from './lineage-graph';
import { layoutMeshGraph, ONE_SIDED_MARK } from './mesh-graph';

/**
 * The site's templates and static files. `blueprints/` ships in the npm package, so the same
 * relative path works from `src/` (tests) and `lib/` (installed).
 */
export const CATALOG_BLUEPRINTS_DIR = path.join(__dirname, '..', '..', 'blueprints', 'catalog');

/** Files copied into the site as they are. */
const STATIC_FILES = ['catalog.css', 'catalog.js'];

/** The pages of a catalog, by path in the site (with `/`): HTML, CSS and JavaScript. */
export type SitePages = Map<string, string>;

/**
 * Renders the catalog's site: the index (cards, search and filters), a page per data product,
 * the mesh graph and the problems. Contract text is user input: every value is HTML-escaped.
 */
export function renderSite(catalog: Catalog): SitePages {
  const templates = compileTemplates();
  const pages: SitePages = new Map();
  const common = {
    environment: catalog.environment,
    counts: {
      products: catalog.products.length,
      domains: catalog.domains.filter((domain) => domain.inCatalog).length,
      problems: catalog.problems.length,
      notYetActive: notYetActiveOf(catalog),
    },
  };

  const cards = catalog.products.map((product) => ({
    product,
    anchor: `${product.domain}.${product.dataProduct}`,
    owners: ownersOf(product),
    pii: product.tables.some((table) => table.columns.some((column) => column.pii)),
    search: searchText(product),
  }));
  pages.set(
    'index.html',
    templates.index({
      ...common,
      root: '',
      page: 'index',
      title: 'Data products',
      cards,
      filters: [
        { name: 'domain', label: 'Domain', values: distinct(catalog.products.map((product) => product.domain)) },
        { name: 'owner', label: 'Owner', values: distinct(cards.flatMap((card) => card.owners)) },
        { name: 'classification', label: 'Classification', values: distinct(catalog.products.map((product) => product.classification)) },
        { name: 'status', label: 'Status', values: distinct(catalog.products.map((product) => product.status)) },
        { name: 'tag', label: 'Tag', values: distinct(catalog.products.flatMap((product) => product.tags)) },
      ],
    }),
  );
  const productPages = new Map(catalog.products.map((product) => [product.id, product.page]));
  const described = (edge: CatalogLineageEdge, other: string) => ({ edge, page: productPages.get(other), text: describeEdge(edge) });
  for (const product of catalog.products) {
    pages.set(
      product.page,
      templates.product({
        ...common,
        root: '../',
        page: 'product',
        title: `${product.name} (${product.domain})`,
        product,
        lineage: layoutLineage(product, productPages),
        inputs: product.inputs.map((edge) => described(edge, edge.from)),
        readers: product.readers.map((edge) => described(edge, edge.to)),
        flagged: flaggedOf(product),
      }),
    );
  }
  pages.set(
    'graph.html',
    templates.graph({
      ...common,
      root: '',
      page: 'graph',
      title: 'Mesh graph',
      // Between domains, the data flows show the grants (with the inputs that use them); the
      // grants to accounts and roles have no flow to show them.
      graph: layoutMeshGraph(catalog.domains, catalog.edges.filter((edge) => edge.toKind !== 'domain'), catalog.flows),
      edges: catalog.edges,
      flows: catalog.flows.map((flow) => ({
        flow,
        products: flow.products.map((product) => ({ ...product, oneSided: ONE_SIDED_MARK[product.declared] })),
      })),
      domains: catalog.domains,
      lineage: catalog.lineage.map((edge) => ({ edge, text: describeEdge(edge), declaredBy: DECLARED_BY[edge.declared] })),
    }),
  );
  pages.set('problems.html', templates.problems({ ...common, root: '', page: 'problems', title: 'Problems', problems: catalog.problems }));
  for (const file of STATIC_FILES) {
    pages.set(file, fs.readFileSync(path.join(CATALOG_BLUEPRINTS_DIR, file), 'utf8'));
  }
  return pages;
}

/** Who declares an edge of the lineage, as the graph page's table says it. */
const DECLARED_BY: Record<CatalogLineageEdge['declared'], string> = {
  both: 'both: input and grant',
  input: 'the consumer only: no grant',
  grant: 'the producer only: no input',
};

/**
 * What a product's page flags: an input that is deprecated or retired (move off it), and a reader
 * that still reads it while it is deprecated or retired. Both products' pages say it.
 */
function flaggedOf(product: CatalogProduct): string[] {
  return [
    ...product.inputs.filter((edge) => edge.flag).map((edge) => `It reads ${edge.from}, which is ${edge.flag}: move off it.`),
    ...product.readers.filter((edge) => edge.flag).map((edge) => `${edge.to} still reads this ${edge.flag} data product: it should move off it.`),
  ];
}

interface Templates {
  readonly index: Handlebars.TemplateDelegate;
  readonly product: Handlebars.TemplateDelegate;
  readonly graph: Handlebars.TemplateDelegate;
  readonly problems: Handlebars.TemplateDelegate;
}

let compiled: Templates | undefined;

function compileTemplates(): Templates {
  if (compiled) {
    return compiled;
  }
  const site = Handlebars.create();
  site.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  site.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  site.registerHelper('join', (values: unknown, separator: unknown) => (Array.isArray(values) ? values.join(String(separator)) : ''));
  site.registerHelper('plural', (count: unknown, one: unknown, many: unknown) => (count === 1 ? one : many));
  site.registerHelper('short', (commit: unknown) => String(commit ?? '').slice(0, 12));
  site.registerHelper('day', (date: unknown) => String(date ?? '').slice(0, 10));
  const read = (name: string) => fs.readFileSync(path.join(CATALOG_BLUEPRINTS_DIR, name), 'utf8');
  // Escaping stays on (the default): contract text must not become markup. Strict mode is off
  // because most contract fields are optional.
  const compile = (name: string) => site.compile(read(name), { strict: false });
  site.registerPartial('layout', read('layout.html.hbs'));
  site.registerPartial('mesh', read('mesh.svg.hbs'));
  site.registerPartial('lineage', read('lineage.svg.hbs'));
  compiled = {
    index: compile('index.html.hbs'),
    product: compile('product.html.hbs'),
    graph: compile('graph.html.hbs'),
    problems: compile('problems.html.hbs'),
  };
  return compiled;
}

/** Whom a card counts as owner in the filter: the owners, else the contact. */
function ownersOf(product: CatalogProduct): string[] {
  return product.owners.length ? product.owners : [product.contact];
}

/** What the search box matches, lowercase. */
function searchText(product: CatalogProduct): string {
  return [
    product.name,
    product.id,
    product.purpose,
    product.usage,
    product.contact,
    product.classification,
    product.status,
    ...product.tags,
    ...product.tables.flatMap((table) => [table.name, ...table.columns.map((column) => column.name)]),
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
