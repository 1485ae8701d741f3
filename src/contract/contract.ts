import * as path from 'path';
import { DataProductInput, dataProductInput } from './data-product-input';
import { ContractDocumentData, SchemaObject, SlaProperty } from './odcs-definitions';
import { ConsumerEntry, PipelineStage, sdlfExtension } from './sdlf-extensions';

/** The classifications governance knows, weakest first: each maps to an LF-tag value. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;

/** Where a classification stands among {@link CLASSIFICATIONS}: higher is stricter, -1 for one governance does not know. */
export function classificationRank(classification: string | undefined): number {
  return (CLASSIFICATIONS as readonly (string | undefined)[]).indexOf(classification);
}

/**
 * The strictest of some classifications, by {@link classificationRank}: the first of the strictest
 * given, so one governance does not know is the answer only when no known one is given.
 */
export function strictestClassification(classifications: readonly (string | undefined)[]): string | undefined {
  return classifications.reduce<string | undefined>(
    (strictest, value) => (value && (strictest === undefined || classificationRank(value) > classificationRank(strictest)) ? value : strictest),
    undefined,
  );
}

/** The lifecycle states of a contract, the ones the standard lists. */
export const STATUSES = ['proposed', 'draft', 'active', 'deprecated', 'retired'] as const;

/** A lifecycle state of a contract. */
export type ContractStatus = (typeof STATUSES)[number];

/**
 * A data-product contract that passed lint, typed: what the constructs, the project types, the
 * docs, the catalog and the diff read, parsed once.
 */
export interface Contract {
  /** The contract file. */
  readonly file: string;
  /** The contract as written. */
  readonly document: ContractDocumentData;
  /** The data product's name: it names the docs page, the stacks and the Glue database. */
  readonly dataProduct: string;
  /** The contract's semantic version. */
  readonly version: string;
  readonly status: ContractStatus;
  /** The domain that owns the data product. */
  readonly domain?: string;
  /** The objects of the schema (tables), each a Glue table. */
  readonly objects: readonly SchemaObject[];
  /** Service-level promises (freshness, latency...). */
  readonly sla: readonly SlaProperty[];
  /** The pipeline's stages (`sdlfPipeline`), in order. */
  readonly stages: readonly PipelineStage[];
  /** Who may read the data product (`sdlfConsumers`). */
  readonly consumers: readonly ConsumerEntry[];
  /** Days the data is kept (`sdlfRetentionDays`). */
  readonly retentionDays?: number;
  /** The data products it reads (`sdlfInputs`), in contract order. */
  readonly inputs: readonly DataProductInput[];
  /**
   * The inputs whose publication starts the pipeline's first stage (`sdlfPipeline.trigger.inputs`),
   * as `<domain>/<data product>`, in contract order.
   */
  readonly triggerInputs: readonly string[];
}

/**
 * The data product a contract is for. ODCS v3.1 deprecates `dataProduct`: the contract's `name`
 * names it, and a contract with only the deprecated field still does.
 */
export function dataProductOf(document: Pick<ContractDocumentData, 'name' | 'dataProduct'>): string | undefined {
  return document.name ?? document.dataProduct;
}

/**
 * The elements a contract's schema names, as SLA elements and grants name them: each object, and
 * each of its columns as `object.column`.
 */
export function schemaElements(objects: readonly SchemaObject[]): string[] {
  return objects.flatMap((object) => [object.name, ...(object.properties ?? []).flatMap((column) => (column.name === undefined ? [] : [`${object.name}.${column.name}`]))]);
}

/** The members of a contract's team: ODCS 3.1's team object, or the deprecated 3.0 list of members. */
export function teamMembers(team: ContractDocumentData['team']) {
  return (Array.isArray(team) ? team : team?.members) ?? [];
}

/** The typed view of a document that passed the schema and the rules. */
export function toContract(file: string, document: ContractDocumentData): Contract {
  return {
    file,
    document,
    // A base version may predate the rule that a contract names its data product.
    dataProduct: dataProductOf(document) ?? path.basename(file).replace(/\.ya?ml$/, ''),
    version: document.version,
    status: document.status as ContractStatus,
    domain: document.domain,
    objects: document.schema ?? [],
    sla: document.slaProperties ?? [],
    stages: sdlfExtension(document, 'sdlfPipeline')?.value.stages ?? [],
    consumers: sdlfExtension(document, 'sdlfConsumers')?.value ?? [],
    retentionDays: sdlfExtension(document, 'sdlfRetentionDays')?.value,
    inputs: (sdlfExtension(document, 'sdlfInputs')?.value ?? []).map(dataProductInput),
    triggerInputs: sdlfExtension(document, 'sdlfPipeline')?.value.trigger?.inputs ?? [],
  };
}
