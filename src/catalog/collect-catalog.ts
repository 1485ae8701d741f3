import { parse } from 'yaml';
import { athenaQuery } from './athena-query';
import { Catalog, CATALOG_FORMAT, CatalogColumn, CatalogConsumer, CatalogDomain, CatalogEdge, CatalogProblem, CatalogProduct, CatalogQualityRule, CatalogVersion } from './catalog-model';
import { CatalogSource, ContractVersion, SourceContract, SourceSnapshot } from './catalog-source';
import { mapLimited } from './map-limited';
import type { ConsumerAllowList } from '../constructs/governance-policy';
import { consumerGrants, policyRefusal } from '../contract/consumer-grants';
import { diffContracts } from '../contract/contract-diff';
import { formatProblem } from '../contract/contract-problem';
import { classifications, glueColumns } from '../contract/contract-rendering';
import { glueDatabaseName, glueName } from '../contract/glue-names';
import { lintContractText } from '../contract/lint-contract';

/** How to collect a catalog. */
export interface CollectCatalogOptions {
  /** The environment whose Glue database names the catalog shows. @default "prod" */
  readonly environment?: string;
  /** Sources read at once. @default 4 */
  readonly concurrency?: number;
  /**
   * The consumers the platform's governance policy allows: a grant it refuses fails its domain's
   * build, so it is not shown. @default - grants are not checked against a policy
   */
  readonly allowedConsumers?: ConsumerAllowList;
}

/** The environment consumers query unless told otherwise. */
export const DEFAULT_ENVIRONMENT = 'prod';

/** Classifications that mark personal or sensitive data. */
const SENSITIVE = new Set(['confidential', 'restricted']);

/**
 * Reads every source and builds the catalog of the mesh. A source that cannot be read and a
 * contract that is not valid become problems of the catalog; they never stop it.
 */
export async function collectCatalog(sources: readonly CatalogSource[], options: CollectCatalogOptions = {}): Promise<Catalog> {
  const environment = options.environment ?? DEFAULT_ENVIRONMENT;
  const problems: CatalogProblem[] = [];
  const snapshots = await mapLimited(sources, options.concurrency ?? 4, (source) =>
    source.read().then(
      (snapshot): SourceSnapshot | Error => snapshot,
      (error: Error) => error,
    ),
  );

  const products = new Map<string, CatalogProduct>();
  const sourceDomains = new Map<string, string[]>();
  const sourceSummaries: Catalog['sources'][number][] = [];
  sources.forEach((source, index) => {
    const snapshot = snapshots[index];
    if (snapshot instanceof Error) {
      const text = snapshot.message.startsWith(source.name) ? snapshot.message : `${source.name}: ${snapshot.message}`;
      problems.push({ source: source.name, message: snapshot.message, text });
      sourceSummaries.push({ name: source.name, contracts: 0 });
      return;
    }
    const declared: string[] = [];
    for (const contract of snapshot.contracts) {
      const file = `${source.name}/${contract.path}`;
      const report = lintContractText(file, contract.text, snapshot.domain ? { domain: snapshot.domain } : {});
      if (report.problems.length > 0) {
        for (const problem of report.problems) {
          const text = formatProblem(problem);
          const message = text.slice(`${problem.file}:${problem.line}:${problem.column}: `.length);
          problems.push({ source: source.name, file, line: problem.line, column: problem.column, message, text });
        }
        continue;
      }
      const fallbackDomain = snapshot.domain ?? source.fallbackDomain;
      const context = { source: source.name, file, commit: snapshot.commit, environment, fallbackDomain, allowedConsumers: options.allowedConsumers };
      const product = productOf(report.contract, contract, context);
      declared.push(product.domain);
      const earlier = products.get(product.id);
      if (earlier) {
        const message = `data product ${product.id} is also in ${earlier.source.file}; the catalog shows that one`;
        problems.push({ source: source.name, file, line: 1, column: 1, message, text: `${file}:1:1: ${message}` });
        continue;
      }
      products.set(product.id, product);
    }
    const domain = snapshot.domain ?? mostCommon(declared) ?? source.fallbackDomain;
    sourceDomains.set(domain, [...(sourceDomains.get(domain) ?? []), source.name]);
    sourceSummaries.push({ name: source.name, domain, commit: snapshot.commit, contracts: snapshot.contracts.length });
  });

  const sorted = [...products.values()].sort((a, b) => compare(a.domain, b.domain) || compare(a.dataProduct, b.dataProduct));
  const edges = edgesOf(sorted);
  return {
    format: CATALOG_FORMAT,
    environment,
    sources: sourceSummaries,
    products: sorted,
    domains: domainsOf(sorted, sourceDomains, edges),
    edges,
    problems,
  };
}

interface ProductContext {
  readonly source: string;
  readonly file: string;
  readonly commit?: string;
  readonly environment: string;
  readonly fallbackDomain: string;
  readonly allowedConsumers?: ConsumerAllowList;
}

function productOf(contract: any, file: SourceContract, context: ProductContext): CatalogProduct {
  const domain = String(contract.domain ?? context.fallbackDomain);
  const dataProduct = String(contract.dataProduct);
  const database = glueDatabaseName(domain, context.environment, dataProduct);
  const team = Array.isArray(contract.team) ? { members: contract.team } : contract.team ?? {};
  const owners: string[] = (team.members ?? []).filter((member: any) => member?.role === 'owner').map((member: any) => String(member.username ?? member.name));
  const objects: any[] = contract.schema ?? [];
  const tags = new Set<string>(stringList(contract.tags));
  const quality: CatalogQualityRule[] = [];

  const tables = objects.map((object) => {
    const glue = glueColumns(object);
    const classified = classifications(object);
    stringList(object.tags).forEach((tag) => tags.add(tag));
    (object.quality ?? []).forEach((rule: any) => quality.push({ element: object.name, rule: ruleText(rule) }));
    const columns = (object.properties ?? []).map((column: any, index: number): CatalogColumn => {
      const columnTags = stringList(column.tags);
      columnTags.forEach((tag) => tags.add(tag));
      (column.quality ?? []).forEach((rule: any) => quality.push({ element: `${object.name}.${column.name}`, rule: ruleText(rule) }));
      return {
        name: column.name,
        logicalType: column.logicalType,
        physicalType: column.physicalType,
        glueType: glue[index].type,
        description: column.description,
        classification: column.classification,
        tags: columnTags,
        pii: SENSITIVE.has(column.classification) || columnTags.some((tag) => tag.toLowerCase() === 'pii'),
        primaryKey: column.primaryKey === true,
        primaryKeyPosition: column.primaryKey === true && typeof column.primaryKeyPosition === 'number' && column.primaryKeyPosition > 0 ? column.primaryKeyPosition : undefined,
        required: column.required === true,
        partitioned: column.partitioned === true,
      };
    });
    const table = glueName(object.name);
    const sql = athenaQuery(database, table);
    return { name: object.name, table, description: object.description, classification: classified.table, columns, sql };
  });

  const serviceLevels = (contract.slaProperties ?? []).map((sla: any) => ({
    property: String(sla.property),
    value: [sla.value, sla.unit].filter((part) => part !== undefined && part !== null).join(' '),
    element: sla.element,
  }));
  const ranked = tables.map((table) => table.classification).filter((value): value is string => !!value);
  const strictest = ['restricted', 'confidential', 'internal', 'public'].find((level) => ranked.includes(level)) ?? ranked[0];

  return {
    id: `${domain}/${dataProduct}`,
    dataProduct,
    name: String(contract.name ?? dataProduct),
    domain,
    version: String(contract.version),
    status: String(contract.status),
    purpose: contract.description?.purpose,
    usage: contract.description?.usage,
    limitations: contract.description?.limitations,
    owners,
    contact: owners.length ? owners.join(', ') : team.name ? `team ${team.name}` : `the ${domain} domain`,
    classification: strictest ?? 'unclassified',
    tags: [...tags].sort(compare),
    freshness: serviceLevels.find((sla: any) => /^(freshness|latency)$/i.test(sla.property))?.value,
    serviceLevels,
    quality,
    database,
    tables,
    consumers: consumersOf(contract, context.allowedConsumers),
    stages: (customProperty(contract, 'sdlfPipeline')?.stages ?? []).map((stage: any) => ({ name: stage.name, type: stage.type, trigger: stage.trigger, schedule: stage.schedule })),
    retentionDays: customProperty(contract, 'sdlfRetentionDays'),
    source: { name: context.source, file: context.file, commit: context.commit },
    history: historyOf(file, contract),
    page: `products/${slug(domain)}.${slug(dataProduct)}.html`,
  };
}

/**
 * The grants the data product's stack synthesizes: the same effective grants as the construct's,
 * so a consumer that would get no table (only sensitive columns, none named) or that the policy
 * refuses is not shown.
 */
function consumersOf(contract: any, allowedConsumers: ConsumerAllowList | undefined): CatalogConsumer[] {
  return consumerGrants(contract)
    .filter((grant) => grant.tables.length > 0 && (allowedConsumers === undefined || policyRefusal(grant, allowedConsumers) === undefined))
    .map(({ kind, id, access, tables }) => ({ kind, id, access, tables: tables.map(({ table, columns }) => ({ table, columns })) }));
}

/** The versions of a contract, newest first, each with what changed since the one before. */
function historyOf(file: SourceContract, current: any): CatalogVersion[] {
  const versions = file.history ?? [];
  const data = versions.map((version: ContractVersion) => (version.text === file.text ? current : parseQuietly(version.text)));
  return versions.map((version, index) => {
    const contract = data[index];
    const before = data[index + 1];
    const changes = contract === undefined ? [] : diffContracts(index + 1 < versions.length ? before : undefined, contract).changes;
    return {
      commit: version.commit,
      date: version.date,
      author: version.author,
      subject: version.subject,
      version: contract?.version === undefined ? undefined : String(contract.version),
      status: contract?.status === undefined ? undefined : String(contract.status),
      changes: changes.map(({ breaking, message }) => ({ breaking, message })),
    };
  });
}

function parseQuietly(text: string | undefined): any {
  if (text === undefined) return undefined;
  try {
    const data = parse(text);
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Grants of each domain's products, one edge per domain and consumer. */
function edgesOf(products: readonly CatalogProduct[]): CatalogEdge[] {
  const edges = new Map<string, { from: string; to: string; toKind: CatalogEdge['toKind']; products: Set<string>; access: Set<string> }>();
  for (const product of products) {
    for (const consumer of product.consumers) {
      const key = `${product.domain}\n${consumer.kind}\n${consumer.id}`;
      const edge = edges.get(key) ?? { from: product.domain, to: consumer.id, toKind: consumer.kind, products: new Set(), access: new Set() };
      edge.products.add(product.id);
      edge.access.add(consumer.access);
      edges.set(key, edge);
    }
  }
  return [...edges.values()]
    .map((edge) => ({ ...edge, products: [...edge.products].sort(compare), access: [...edge.access].sort(compare) }))
    .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
}

function domainsOf(products: readonly CatalogProduct[], sourceDomains: Map<string, string[]>, edges: readonly CatalogEdge[]): CatalogDomain[] {
  const names = new Set<string>([...sourceDomains.keys(), ...products.map((product) => product.domain)]);
  const referenced = edges.filter((edge) => edge.toKind === 'domain' && !names.has(edge.to)).map((edge) => edge.to);
  return [...names, ...new Set(referenced)]
    .sort(compare)
    .map((name) => {
      const own = products.filter((product) => product.domain === name);
      return {
        name,
        inCatalog: names.has(name),
        sources: sourceDomains.get(name) ?? [...new Set(own.map((product) => product.source.name))],
        products: own.map((product) => product.id),
        owners: [...new Set(own.flatMap((product) => product.owners))].sort(compare),
      };
    });
}

function customProperty(contract: any, name: string): any {
  return (contract.customProperties ?? []).find((entry: any) => entry?.property === name)?.value;
}

const COMPARISONS: Array<[string, string]> = [
  ['mustBe', '='],
  ['mustNotBe', '≠'],
  ['mustBeGreaterThan', '>'],
  ['mustBeGreaterOrEqualTo', '≥'],
  ['mustBeLessThan', '<'],
  ['mustBeLessOrEqualTo', '≤'],
  ['mustBeBetween', 'between'],
  ['mustNotBeBetween', 'not between'],
];

/** A quality rule as a sentence: its description, else its metric and comparison. */
function ruleText(rule: any): string {
  if (typeof rule?.description === 'string' && rule.description.trim()) {
    return rule.description.trim();
  }
  const comparison = COMPARISONS.filter(([key]) => rule?.[key] !== undefined)
    .map(([key, operator]) => `${operator} ${Array.isArray(rule[key]) ? rule[key].join(' and ') : rule[key]}${rule.unit === 'percent' ? ' %' : ''}`)
    .join(', ');
  return [rule?.metric ?? rule?.rule ?? rule?.type ?? 'rule', comparison].filter(Boolean).join(' ');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  values.forEach((value) => counts.set(value, (counts.get(value) ?? 0) + 1));
  return [...counts].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0]?.[0];
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
