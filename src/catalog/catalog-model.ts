// The catalog of a mesh: what `catalog.json` holds and the site shows.

/** Version of the `catalog.json` format. */
export const CATALOG_FORMAT = 1;

/** A column of a table of a data product. */
export interface CatalogColumn {
  readonly name: string;
  readonly logicalType?: string;
  readonly physicalType?: string;
  /** The Glue type the table gets. */
  readonly glueType: string;
  readonly description?: string;
  readonly classification?: string;
  readonly tags: string[];
  /** Personal or sensitive data: classified `confidential` or `restricted`, or tagged `pii`. */
  readonly pii: boolean;
  readonly primaryKey: boolean;
  readonly primaryKeyPosition?: number;
  readonly required: boolean;
  readonly partitioned: boolean;
}

/** A quality rule, as a person reads it. */
export interface CatalogQualityRule {
  /** The table, or `table.column`. */
  readonly element: string;
  readonly rule: string;
  /** Whether the pipeline enforces it (Glue Data Quality), or it is documentation only. */
  readonly enforced: boolean;
}

/** A schema object of a contract: a Glue table. */
export interface CatalogTable {
  /** The object's name in the contract. */
  readonly name: string;
  /** The Glue table name. */
  readonly table: string;
  readonly description?: string;
  /** The strictest classification of its columns. */
  readonly classification?: string;
  readonly columns: CatalogColumn[];
  /** The Athena query that shows its first rows. */
  readonly sql: string;
}

/** A Lake Formation grant of a data product, as it is synthesized. */
export interface CatalogConsumer {
  readonly kind: 'domain' | 'account' | 'role';
  /** The domain, account ID or role ARN. */
  readonly id: string;
  /** `select` or `describe`. */
  readonly access: string;
  /** The Glue tables granted, each with the columns the consumer sees (never empty). */
  readonly tables: Array<{ readonly table: string; readonly columns: string[] }>;
}

/**
 * One edge of the mesh's lineage: a data product read by another (or granted to a domain). It is
 * drawn from both sides' contracts: the consumer's `sdlfInputs` and the producer's `sdlfConsumers`.
 */
export interface CatalogLineageEdge {
  /** The producer, `<domain>/<data product>`. */
  readonly from: string;
  /**
   * The consumer: a data product (`<domain>/<data product>`) that declares the input, or, for a
   * grant no data product of the domain declares as an input, the domain.
   */
  readonly to: string;
  readonly toKind: 'product' | 'domain';
  /**
   * Where it is declared: `both` (an input the producer grants to the consumer's domain, or an
   * input within one domain, which needs no grant), `input` (an input the producer does not grant:
   * the pipeline cannot read it), `grant` (a grant no data product of the domain declares it reads).
   */
  readonly declared: 'both' | 'input' | 'grant';
  /** The producer's status, when the catalog knows the producer (listed, or proposed or draft). */
  readonly producerStatus?: string;
  /**
   * Set when an input's producer is deprecated or retired: the consumer should move off it, and
   * both products' pages say so.
   */
  readonly flag?: 'deprecated' | 'retired';
  /**
   * Set when the producer's publications start the consumer's pipeline (the consumer's
   * `sdlfPipeline.trigger.inputs`): new data of the producer runs the consumer.
   */
  readonly triggers?: boolean;
}

/** A data product of a flow between two domains: how its lineage edges to the consumer domain are declared. */
export interface CatalogFlowProduct {
  /** The producer's data product, `<domain>/<data product>`. */
  readonly id: string;
  /**
   * As its lineage edges to the consumer domain are declared: one way for all of them, since the
   * grant is to the domain (see {@link CatalogLineageEdge.declared}).
   */
  readonly declared: CatalogLineageEdge['declared'];
  /** Set when the data product is deprecated or retired and the consumer domain still reads it. */
  readonly flag?: CatalogLineageEdge['flag'];
}

/**
 * Data flowing from one domain to another: the lineage edges between their data products, one
 * flow per pair of domains (a domain reading its own data products is no flow between domains).
 */
export interface CatalogFlow {
  /** The producer domain. */
  readonly from: string;
  /** The consumer domain. */
  readonly to: string;
  /** The producer's data products that flow, in id order. */
  readonly products: CatalogFlowProduct[];
}

/** A stage of the data product's pipeline. */
export interface CatalogStage {
  readonly name: string;
  readonly type: string;
  readonly trigger?: string;
  readonly schedule?: string;
}

/** A service level of the contract. */
export interface CatalogServiceLevel {
  readonly property: string;
  /** Value and unit, e.g. `24 h`. */
  readonly value: string;
  readonly element?: string;
}

/** One version of a contract in its repository's history. */
export interface CatalogVersion {
  readonly commit: string;
  readonly date: string;
  readonly author: string;
  readonly subject: string;
  /** The contract's version at that commit (undefined when it could not be read). */
  readonly version?: string;
  readonly status?: string;
  /** What changed since the previous version. */
  readonly changes: Array<{ readonly breaking: boolean; readonly message: string }>;
}

/** A data product, from a valid contract whose status deploys it (`active`, `deprecated` or `retired`). */
export interface CatalogProduct {
  /** `<domain>/<data product>`. */
  readonly id: string;
  readonly dataProduct: string;
  /** The contract's `name`. */
  readonly name: string;
  readonly domain: string;
  readonly version: string;
  readonly status: string;
  /** What the status means for consumers (deprecated: move off it; retired: grants revoked), when it means something. */
  readonly notice?: string;
  readonly purpose?: string;
  readonly usage?: string;
  readonly limitations?: string;
  /** The team members with role `owner`. */
  readonly owners: string[];
  /** Whom to ask for access: the owners, else the domain's team. */
  readonly contact: string;
  /** The strictest classification of its tables, or `unclassified`. */
  readonly classification: string;
  /** The contract's tags and those of its tables and columns. */
  readonly tags: string[];
  /** The freshness service level, e.g. `24 h`. */
  readonly freshness?: string;
  readonly serviceLevels: CatalogServiceLevel[];
  readonly quality: CatalogQualityRule[];
  /** How many of the quality rules the pipeline enforces; the others are documentation only. */
  readonly qualityEnforced: number;
  /** The AWS account the data product is in, in the catalog's environment (from the platform's registry). */
  readonly account?: string;
  /** The AWS region the data product is in, in the catalog's environment (from the platform's registry). */
  readonly region?: string;
  /**
   * Where its tables' data is, `s3://<data bucket>/analytics/<data product>/`, when the platform
   * registers it with Lake Formation (the registry's `dataBucket`): Lake Formation vends data to
   * the principals granted its tables only from a registered location.
   */
  readonly dataLocation?: string;
  /** The Glue database in the catalog's environment. */
  readonly database: string;
  readonly tables: CatalogTable[];
  /** Its live grants: none when it is retired (see `revokedConsumers`). */
  readonly consumers: CatalogConsumer[];
  /**
   * The grants its contract names that the deploy revokes, as the data product is retired: no
   * consumer reads it any more. Absent when it is not retired.
   */
  readonly revokedConsumers?: CatalogConsumer[];
  /** What it reads: the lineage edges to it, from its `sdlfInputs` and the grants of its domain. */
  readonly inputs: CatalogLineageEdge[];
  /** Who reads it: the lineage edges from it, to the data products that declare it as an input and the domains granted it. */
  readonly readers: CatalogLineageEdge[];
  readonly stages: CatalogStage[];
  readonly retentionDays?: number;
  /** Where the contract was read. */
  readonly source: { readonly name: string; readonly file: string; readonly commit?: string };
  /** Its versions, newest first (empty when the source has no history). */
  readonly history: CatalogVersion[];
  /** Its page, relative to the site's root. */
  readonly page: string;
}

/** A data product whose contract is proposed or a draft: named, so an input of it is told it is not served yet; not listed. */
export interface CatalogUpcomingProduct {
  /** `<domain>/<data product>`. */
  readonly id: string;
  readonly domain: string;
  readonly dataProduct: string;
  readonly status: string;
  readonly version: string;
}

/** A domain of the mesh. */
export interface CatalogDomain {
  readonly name: string;
  /** Whether its repository is one of the sources (false: only named by a grant). */
  readonly inCatalog: boolean;
  /** The sources of its data products. */
  readonly sources: string[];
  /** Its data products' ids. */
  readonly products: string[];
  readonly owners: string[];
}

/** The grants of one domain's data products to one consumer. */
export interface CatalogEdge {
  /** The domain that owns the data products. */
  readonly from: string;
  /** The consumer: a domain, an account ID or a role ARN. */
  readonly to: string;
  readonly toKind: 'domain' | 'account' | 'role';
  /** The data products granted. */
  readonly products: string[];
  /** The kinds of access granted. */
  readonly access: string[];
}

/**
 * What kind of problem: a repository that could not be read (`source`), a contract that is not
 * valid or not safe to read, or for another domain than its repository's (`contract`), a
 * repository that speaks for no domain or whose custom property disagrees with the registry
 * (`identity`), two repositories that speak for one domain (`conflict`), a file of the domain
 * registry that registers nothing (`registry`).
 */
export type CatalogProblemKind = 'source' | 'contract' | 'identity' | 'conflict' | 'registry';

/** Something the catalog could not read or publish: a repository, a contract, a claim on a domain. */
export interface CatalogProblem {
  readonly kind?: CatalogProblemKind;
  /** The source. */
  readonly source: string;
  /** The contract file, when the problem is in one. */
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** `file:line:column: message`, or `source: message`. */
  readonly text: string;
}

/** The catalog of a mesh. */
export interface Catalog {
  readonly format: number;
  /** The environment the Glue names are for. */
  readonly environment: string;
  /**
   * The sources read: the domain each speaks for and where that comes from (`registry`,
   * `custom property` or `repository name`; never the contracts), none when it speaks for no
   * domain.
   */
  readonly sources: Array<{
    readonly name: string;
    readonly domain?: string;
    readonly identity?: string;
    readonly commit?: string;
    readonly contracts: number;
    /** Its valid contracts that are `proposed` or `draft`: not deployed, so not listed. */
    readonly notYetActive?: number;
  }>;
  readonly products: CatalogProduct[];
  /** The proposed and draft data products, in id order. */
  readonly upcoming: CatalogUpcomingProduct[];
  readonly domains: CatalogDomain[];
  readonly edges: CatalogEdge[];
  /** The lineage of the data products, producer → consumer, in order of producer and consumer. */
  readonly lineage: CatalogLineageEdge[];
  /** The lineage between domains: one flow per producer domain and consumer domain, in their order. */
  readonly flows: CatalogFlow[];
  readonly problems: CatalogProblem[];
}

/** How many valid contracts of the sources are proposed or drafts: not deployed, so not listed. */
export function notYetActiveOf(catalog: Catalog): number {
  return catalog.sources.reduce((sum, source) => sum + (source.notYetActive ?? 0), 0);
}
