import { athenaQuery } from './athena-query';
import {
  Catalog, CATALOG_FORMAT, CatalogColumn, CatalogConsumer, CatalogDomain, CatalogEdge, CatalogProblem, CatalogProblemKind, CatalogProduct,
  CatalogQualityRule, CatalogUpcomingProduct, CatalogVersion,
} from './catalog-model';
import { CatalogSource, ContractContent, ContractVersion, SourceContract, SourceSnapshot } from './catalog-source';
import { flowsOf, lineageOf } from './lineage';
import { mapLimited } from './map-limited';
import { RegisteredRepositories } from './registered-repositories';
import { identityOf } from './source-identity';
import { consumerGrants, isSensitiveColumn, policyRefusal } from '../contract/consumer-grants';
import { Contract, strictestClassification, teamMembers } from '../contract/contract';
import { diffContracts } from '../contract/contract-diff';
import { ContractDocument } from '../contract/contract-document';
import { lifecycleOf } from '../contract/contract-lifecycle';
import { ContractProblem, formatProblem } from '../contract/contract-problem';
import { classifications, dqdlRule, glueColumns } from '../contract/contract-rendering';
import { isFreshnessProperty } from '../contract/freshness';
import { glueDatabaseName, glueName } from '../contract/glue-names';
import { baseContract, lintContractSet } from '../contract/lint-contract';
import { QUALITY_OPERATORS, QualityRule } from '../contract/odcs-definitions';
import type { ConsumerAllowList } from '../domain/consumer-allow-list';
import { PUBLISHED_DATA_PREFIX } from '../domain/names';

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
  /**
   * The platform's domain registry: when given, it alone decides which domain each source speaks
   * for (see {@link identityOf}).
   *
   * @default - each source's custom property `domain`, else its repository's name
   */
  readonly registry?: RegisteredRepositories;
}

/** The environment consumers query unless told otherwise. */
export const DEFAULT_ENVIRONMENT = 'prod';

/**
 * Reads every source and builds the catalog of the mesh. A source that cannot be read, a
 * contract that is not valid or cannot be read safely, a contract for another domain than its
 * source's, and two sources that speak for the same domain become problems of the catalog; they
 * never stop it, and the other domains' data products are published.
 */
export async function collectCatalog(sources: readonly CatalogSource[], options: CollectCatalogOptions = {}): Promise<Catalog> {
  const environment = options.environment ?? DEFAULT_ENVIRONMENT;
  const problems: CatalogProblem[] = [...(options.registry?.problems ?? [])];
  const sourceProblem = (source: CatalogSource, kind: CatalogProblemKind, message: string) =>
    problems.push({ kind, source: source.name, message, text: message.startsWith(source.name) ? message : `${source.name}: ${message}` });

  const identities = sources.map((source) => identityOf(source, options.registry));
  // Two sources that speak for one domain: neither is taken, as the catalog cannot tell which
  // one the domain's team owns.
  const claims = new Map<string, CatalogSource[]>();
  sources.forEach((source, index) => {
    const domain = identities[index].identity?.domain;
    if (domain !== undefined) {
      claims.set(domain, [...(claims.get(domain) ?? []), source]);
    }
  });
  const conflicted = (index: number) => (claims.get(identities[index].identity?.domain ?? '')?.length ?? 0) > 1;

  const snapshots = await mapLimited(sources, options.concurrency ?? 4, async (source, index): Promise<SourceSnapshot | Error | undefined> =>
    identities[index].identity === undefined || conflicted(index)
      ? undefined
      : source.read().then(
        (snapshot): SourceSnapshot | Error => snapshot,
        (error: Error) => error,
      ),
  );

  const products = new Map<string, CatalogProduct>();
  /** The inputs each listed data product declares, by its id. */
  const declaredInputs = new Map<string, string[]>();
  const triggerInputs = new Map<string, readonly string[]>();
  const upcoming: CatalogUpcomingProduct[] = [];
  const sourceDomains = new Map<string, string[]>();
  const sourceSummaries: Catalog['sources'][number][] = [];
  sources.forEach((source, index) => {
    const { identity, problem: identityProblem } = identities[index];
    if (identityProblem !== undefined) {
      sourceProblem(source, 'identity', identityProblem);
    }
    if (identity === undefined) {
      sourceSummaries.push({ name: source.name, contracts: 0 });
      return;
    }
    const summary = { name: source.name, domain: identity.domain, identity: identity.from };
    if (conflicted(index)) {
      const others = claims.get(identity.domain)!.filter((other) => other !== source).map((other) => other.name);
      sourceProblem(
        source,
        'conflict',
        `conflict: it speaks for domain "${identity.domain}" (by its ${identity.from}), and so does ${others.join(' and ')}; ` +
          'none of their data products are published until the platform\'s registry (--registry) names one repository for the domain or the others are removed from the sources',
      );
      sourceSummaries.push({ ...summary, contracts: 0 });
      return;
    }
    const snapshot = snapshots[index]!;
    if (snapshot instanceof Error) {
      sourceProblem(source, 'source', snapshot.message);
      sourceSummaries.push({ ...summary, contracts: 0 });
      return;
    }
    const files = snapshot.contracts.map((contract) => `${source.name}/${contract.path}`);
    const reports = lintContractSet(snapshot.contracts.map((contract, at) => documentOf(files[at], contract.content)), { domain: identity.domain });
    let notYetActive = 0;
    snapshot.contracts.forEach((contract, at) => {
      const file = files[at];
      const report = reports[at];
      if (!report.contract) {
        problems.push(...report.problems.map((problem) => contractProblem(source, problem)));
        return;
      }
      // A proposed or draft contract (such as the example of a new domain) is offered to nobody yet.
      if (!lifecycleOf(report.contract.status).deployed) {
        notYetActive++;
        const { dataProduct, status, version } = report.contract;
        upcoming.push({ id: `${identity.domain}/${dataProduct}`, domain: identity.domain, dataProduct, status, version });
        return;
      }
      const versions = versionsOf(file, contract);
      problems.push(...versions.problems.map((problem) => contractProblem(source, problem)));
      const { allowedConsumers } = options;
      // Where the domain deploys in the catalog's environment: the platform registered it.
      const registered = options.registry?.entries.find((entry) => entry.domain === identity.domain);
      const place = registered?.environments?.find((candidate) => candidate.name === environment);
      const context = {
        source: source.name,
        file,
        commit: snapshot.commit,
        environment,
        domain: identity.domain,
        allowedConsumers,
        account: place?.account,
        region: place?.region,
        dataBucket: place?.dataBucket,
      };
      const product = productOf(report.contract, versions.history, context);
      const earlier = products.get(product.id);
      if (earlier) {
        const message = `data product ${product.id} is also in ${earlier.source.file}; the catalog shows that one`;
        problems.push({ kind: 'contract', source: source.name, file, line: 1, column: 1, message, text: `${file}:1:1: ${message}` });
        return;
      }
      products.set(product.id, product);
      declaredInputs.set(product.id, report.contract.inputs.map((input) => input.product));
      triggerInputs.set(product.id, report.contract.triggerInputs);
    });
    sourceDomains.set(identity.domain, [...(sourceDomains.get(identity.domain) ?? []), source.name]);
    sourceSummaries.push({ ...summary, commit: snapshot.commit, contracts: snapshot.contracts.length, notYetActive });
  });

  const sorted = [...products.values()].sort((a, b) => compare(a.domain, b.domain) || compare(a.dataProduct, b.dataProduct));
  const edges = edgesOf(sorted);
  upcoming.sort((a, b) => compare(a.id, b.id));
  const lineage = lineageOf(
    sorted.map((product) => ({
      id: product.id,
      domain: product.domain,
      status: product.status,
      inputs: declaredInputs.get(product.id) ?? [],
      triggeredBy: triggerInputs.get(product.id) ?? [],
      grantedDomains: product.consumers.filter((consumer) => consumer.kind === 'domain').map((consumer) => consumer.id),
    })),
    new Map(upcoming.map((product) => [product.id, product.status])),
  );
  const listed = sorted.map((product) => ({
    ...product,
    inputs: lineage.filter((edge) => edge.toKind === 'product' && edge.to === product.id),
    readers: lineage.filter((edge) => edge.from === product.id),
  }));
  return {
    format: CATALOG_FORMAT,
    environment,
    sources: sourceSummaries,
    products: listed,
    upcoming,
    domains: domainsOf(listed, sourceDomains, edges),
    edges,
    lineage,
    flows: flowsOf(lineage),
    problems,
  };
}

/** A problem of a contract file as the catalog lists it. */
function contractProblem(source: CatalogSource, problem: ContractProblem): CatalogProblem {
  const text = formatProblem(problem);
  const message = text.slice(`${problem.file}:${problem.line}:${problem.column}: `.length);
  return { kind: 'contract', source: source.name, file: problem.file, line: problem.line, column: problem.column, message, text };
}

/** A contract's content as a document: parsed with limits, or only the reason it was not read. */
function documentOf(file: string, content: ContractContent): ContractDocument {
  if (content.bytes === undefined) {
    return ContractDocument.unreadable(file, `the file ${content.unreadable ?? 'could not be read'}`, content.tooLarge ? 'describe the data in the contract; keep the data itself out of it' : undefined);
  }
  return ContractDocument.decode(file, content.bytes);
}

interface ProductContext {
  readonly source: string;
  readonly file: string;
  readonly commit?: string;
  readonly environment: string;
  /** The source's domain, which the contract's `domain` was checked to be. */
  readonly domain: string;
  readonly allowedConsumers?: ConsumerAllowList;
  /** The account and region of the domain in the environment, when the platform's registry says. */
  readonly account?: string;
  readonly region?: string;
  /** The domain's data bucket in the environment, when the platform registers it with Lake Formation. */
  readonly dataBucket?: string;
}

function productOf(contract: Contract, history: CatalogVersion[], context: ProductContext): CatalogProduct {
  const domain = context.domain;
  const { dataProduct, document } = contract;
  const database = glueDatabaseName(domain, context.environment, dataProduct);
  const members = teamMembers(document.team);
  const teamName = Array.isArray(document.team) ? undefined : document.team?.name;
  const owners = members.filter((member) => member.role === 'owner').flatMap((member) => member.username ?? member.name ?? []);
  const tags = new Set<string>(document.tags ?? []);
  const quality: CatalogQualityRule[] = [];
  const addQuality = (rules: readonly QualityRule[] | undefined, element: string, column?: string) =>
    (rules ?? []).forEach((rule) => quality.push({ element, rule: ruleText(rule), enforced: 'dqdl' in dqdlRule(rule, column) }));

  const tables = contract.objects.map((object) => {
    const glue = glueColumns(object);
    const classified = classifications(object);
    (object.tags ?? []).forEach((tag) => tags.add(tag));
    addQuality(object.quality, object.name);
    const columns = (object.properties ?? []).map((column, index): CatalogColumn => {
      const columnTags = column.tags ?? [];
      columnTags.forEach((tag) => tags.add(tag));
      addQuality(column.quality, `${object.name}.${column.name}`, column.name);
      return {
        name: column.name ?? '',
        logicalType: column.logicalType,
        physicalType: column.physicalType,
        glueType: glue[index].type,
        description: column.description,
        classification: column.classification,
        tags: columnTags,
        // The columns a grant withholds unless it names them (see consumerGrants).
        pii: isSensitiveColumn(column, object),
        primaryKey: column.primaryKey === true,
        primaryKeyPosition: column.primaryKey === true && (column.primaryKeyPosition ?? 0) > 0 ? column.primaryKeyPosition : undefined,
        required: column.required === true,
        partitioned: column.partitioned === true,
      };
    });
    const table = glueName(object.name);
    const sql = athenaQuery(database, table);
    return { name: object.name, table, description: object.description, classification: classified.table, columns, sql };
  });

  const serviceLevels = contract.sla.map((sla) => ({
    property: sla.property,
    value: [sla.value, sla.unit].filter((part) => part !== undefined && part !== null).join(' '),
    element: sla.element,
  }));
  const strictest = strictestClassification(tables.map((table) => table.classification));

  return {
    id: `${domain}/${dataProduct}`,
    dataProduct,
    name: document.name ?? dataProduct,
    domain,
    version: contract.version,
    status: contract.status,
    notice: lifecycleOf(contract.status).notice,
    purpose: document.description?.purpose,
    usage: document.description?.usage,
    limitations: document.description?.limitations,
    owners,
    contact: owners.length ? owners.join(', ') : teamName ? `team ${teamName}` : `the ${domain} domain`,
    classification: strictest ?? 'unclassified',
    tags: [...tags].sort(compare),
    freshness: serviceLevels.find((sla) => isFreshnessProperty(sla.property))?.value,
    serviceLevels,
    quality,
    qualityEnforced: quality.filter((rule) => rule.enforced).length,
    ...(context.account ? { account: context.account } : {}),
    ...(context.region ? { region: context.region } : {}),
    ...(context.dataBucket ? { dataLocation: `s3://${context.dataBucket}/${PUBLISHED_DATA_PREFIX}${dataProduct}/` } : {}),
    database,
    tables,
    // A retired data product's grants are revoked at deploy (see lifecycleOf): they are no grants
    // any more, and nobody (the graph, the mesh index, a consumer's lint) may take them for one.
    ...(lifecycleOf(contract.status).granted
      ? { consumers: consumersOf(contract, context.allowedConsumers) }
      : { consumers: [], revokedConsumers: consumersOf(contract, context.allowedConsumers) }),
    // Drawn once every product is known (see lineageOf).
    inputs: [],
    readers: [],
    stages: contract.stages.map((stage) => ({ name: stage.name, type: stage.type, trigger: stage.trigger, schedule: stage.schedule })),
    retentionDays: contract.retentionDays,
    source: { name: context.source, file: context.file, commit: context.commit },
    history,
    page: `products/${slug(domain)}.${slug(dataProduct)}.html`,
  };
}

/**
 * The grants the data product's stack synthesizes: the same effective grants as the construct's,
 * so a consumer that would get no table (only sensitive columns, none named) or that the policy
 * refuses is not shown.
 */
function consumersOf(contract: Contract, allowedConsumers: ConsumerAllowList | undefined): CatalogConsumer[] {
  return consumerGrants(contract)
    .filter((grant) => grant.tables.length > 0 && (allowedConsumers === undefined || policyRefusal(grant, allowedConsumers) === undefined))
    .map(({ kind, id, access, tables }) => ({ kind, id, access, tables: tables.map(({ table, columns }) => ({ table, columns })) }));
}

/**
 * The versions of a contract, newest first, each with what changed since the one before, and
 * the versions that could not be read safely (a link, too large, not UTF-8, an alias bomb) as
 * problems: they are in the history without their content.
 */
function versionsOf(file: string, contract: SourceContract): { history: CatalogVersion[]; problems: ContractProblem[] } {
  const versions = contract.history ?? [];
  const problems: ContractProblem[] = [];
  const data = versions.map((version: ContractVersion) => {
    if (version.content === undefined) {
      return undefined;
    }
    const document = documentOf(file, version.content);
    for (const problem of document.problems) {
      problems.push({ ...problem, message: `the version of commit ${version.commit.slice(0, 12)}: ${problem.message.replace(/^the file /, 'the file there ')}` });
    }
    // An earlier version that does not fit today's schema has no changes to show, only its place in the history.
    return document.problems.length > 0 ? undefined : baseContract(document).contract;
  });
  const history = versions.map((version, index) => {
    const current = data[index];
    const before = data[index + 1];
    const changes = current === undefined ? [] : diffContracts(index + 1 < versions.length ? before : undefined, current).changes;
    return {
      commit: version.commit,
      date: version.date,
      author: version.author,
      subject: version.subject,
      version: current?.version,
      status: current?.status,
      changes: changes.map(({ breaking, message }) => ({ breaking, message })),
    };
  });
  return { history, problems };
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

const COMPARISONS: Array<[(typeof QUALITY_OPERATORS)[number], string]> = [
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
function ruleText(rule: QualityRule): string {
  if (rule.description?.trim()) {
    return rule.description.trim();
  }
  const comparison = COMPARISONS.flatMap(([key, operator]) => {
    const value = rule[key];
    return value === undefined ? [] : [`${operator} ${Array.isArray(value) ? value.join(' and ') : value}${rule.unit === 'percent' ? ' %' : ''}`];
  }).join(', ');
  return [rule.metric ?? rule.rule ?? rule.type ?? 'rule', comparison].filter(Boolean).join(' ');
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
