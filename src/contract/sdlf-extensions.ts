import { Static, TSchema, Type } from '@sinclair/typebox';
import type { ContractDocumentData } from './odcs-definitions';

// ODCS allows no fields of its own at the top level: the SDLF extensions of a contract are
// `customProperties` entries, `{ property: sdlfPipeline, value: ... }`. Their values are
// defined here once, for validation, for the editors' schema and for the typed accessors.

/**
 * How a contract names another domain's data product: `<domain>/<data product>`, each part as
 * the domain's and the data product's names are made (they name resources, so they are plain).
 */
export const DATA_PRODUCT_REFERENCE = '^[a-z][a-z0-9-]{1,23}/[a-z][a-z0-9_-]{0,39}$';

const DATA_PRODUCT_REFERENCE_DESCRIPTION = 'A data product of the mesh as <domain>/<data product>, e.g. sales/orders.';

/** One stage of a data product's pipeline. */
export const PipelineStage = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9-]{0,39}$',
      description: "Stage name: lowercase letters, digits and hyphens; it names the stage's code folder and resources.",
    }),
    type: Type.Union([Type.Literal('lambda'), Type.Literal('glue')], {
      description: 'lambda: light transform per object (SDLF stage A); glue: heavy transform in batches (SDLF stage B).',
    }),
    trigger: Type.Optional(
      Type.Union([Type.Literal('event'), Type.Literal('schedule'), Type.Literal('batch')], {
        description: 'What starts the stage: each event, a schedule, or events batched and drained on a schedule.',
      }),
    ),
    schedule: Type.Optional(Type.String({ pattern: '^(cron|rate)\\(.+\\)$', description: 'EventBridge schedule expression, for trigger schedule or batch.' })),
  },
  { additionalProperties: false },
);

/** One stage of a data product's pipeline, as the contract gives it. */
export type PipelineStage = Static<typeof PipelineStage>;

/**
 * What starts a pipeline besides its stages' own triggers: a new version of each input named,
 * published by the producer's pipeline when its last stage succeeds.
 */
export const PipelineTrigger = Type.Object(
  {
    inputs: Type.Array(Type.String({ pattern: DATA_PRODUCT_REFERENCE, description: DATA_PRODUCT_REFERENCE_DESCRIPTION }), {
      minItems: 1,
      uniqueItems: true,
      description: "Inputs (sdlfInputs) whose publication starts the pipeline's first stage, a glue stage: each as <domain>/<data product>.",
    }),
  },
  { additionalProperties: false, description: 'What starts the pipeline besides its stages\' own triggers: the publication of a new version of an input.' },
);

/** What starts a pipeline besides its stages' own triggers, as the contract gives it. */
export type PipelineTrigger = Static<typeof PipelineTrigger>;

/** A consumer of the data product: one domain, account or role, and what it may do. */
export const ConsumerEntry = Type.Object(
  {
    domain: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{1,23}$', description: 'A domain of the mesh; it must resolve to a principal (consumerPrincipals).' })),
    account: Type.Optional(Type.String({ pattern: '^\\d{12}$', description: "An AWS account ID the platform's governance policy allows." })),
    role: Type.Optional(Type.String({ pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/.+$', description: "An IAM role ARN the platform's governance policy allows." })),
    access: Type.Union([Type.Literal('select'), Type.Literal('describe')], {
      description: "select: read the granted columns; describe: see the granted tables' metadata only.",
    }),
    columns: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description:
          'Exactly what is granted: object.column for one column, object for the columns of that object that are not sensitive. ' +
          'Sensitive columns (classified restricted or tagged pii) are granted only when named here. Without columns: every column that is not sensitive.',
      }),
    ),
  },
  { additionalProperties: false, anyOf: [{ required: ['domain'] }, { required: ['account'] }, { required: ['role'] }] },
);

/** A consumer of the data product, as the contract gives it. */
export type ConsumerEntry = Static<typeof ConsumerEntry>;

/** A table of an input, and the columns read of it. */
export const InputTable = Type.Object(
  {
    name: Type.String({ minLength: 1, description: "The table's name in the producer's contract (a schema object)." }),
    columns: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        uniqueItems: true,
        description: "The columns read, by name; the producer's grant must cover each. Without columns: whatever the grant gives of the table.",
      }),
    ),
  },
  { additionalProperties: false },
);

/**
 * A data product this one reads: `<domain>/<data product>`, or a mapping that also names the
 * tables and columns read (as an ODPS input port references another product's contract).
 */
export const InputEntry = Type.Union([
  Type.String({ pattern: DATA_PRODUCT_REFERENCE, description: DATA_PRODUCT_REFERENCE_DESCRIPTION }),
  Type.Object(
    {
      product: Type.String({ pattern: DATA_PRODUCT_REFERENCE, description: DATA_PRODUCT_REFERENCE_DESCRIPTION }),
      tables: Type.Optional(Type.Array(InputTable, { minItems: 1, description: 'The tables read. Without tables: whatever the grant gives of the data product.' })),
    },
    { additionalProperties: false },
  ),
]);

/** A data product this one reads, as the contract gives it. */
export type InputEntry = Static<typeof InputEntry>;

/** The value of each SDLF extension, by property name. */
export const SDLF_EXTENSION_SCHEMAS = {
  sdlfPipeline: Type.Object(
    { trigger: Type.Optional(PipelineTrigger), stages: Type.Array(PipelineStage, { minItems: 1, maxItems: 10 }) },
    { additionalProperties: false, description: 'The pipeline that builds the data product: stages run in order on Step Functions.' },
  ),
  sdlfConsumers: Type.Array(ConsumerEntry, { description: 'Who may read the data product: Lake Formation grants.' }),
  sdlfRetentionDays: Type.Integer({ minimum: 1, maximum: 36500, description: 'Days the data is kept in every layer.' }),
  sdlfInputs: Type.Array(InputEntry, {
    description: 'What the data product reads: other data products of the mesh, each as <domain>/<data product> or { product, tables: [{ name, columns }] }.',
  }),
} satisfies Record<string, TSchema>;

/** The SDLF extensions a contract may carry in `customProperties`. */
export type SdlfExtensionName = keyof typeof SDLF_EXTENSION_SCHEMAS;

/** The SDLF extensions a contract may carry in `customProperties`, by property name. */
export const SDLF_EXTENSIONS = Object.keys(SDLF_EXTENSION_SCHEMAS) as SdlfExtensionName[];

/** The value of an SDLF extension, by name. */
export type SdlfExtensionValue<Name extends SdlfExtensionName> = Static<(typeof SDLF_EXTENSION_SCHEMAS)[Name]>;

/**
 * Where an SDLF extension is in a contract: its index in `customProperties` and its value (as
 * the schema checked it), or undefined when the contract does not carry it.
 */
export function sdlfExtension<Name extends SdlfExtensionName>(
  contract: Pick<ContractDocumentData, 'customProperties'>,
  name: Name,
): { readonly index: number; readonly value: SdlfExtensionValue<Name> } | undefined {
  const index = (contract.customProperties ?? []).findIndex((entry) => entry.property === name);
  return index < 0 ? undefined : { index, value: contract.customProperties![index].value as SdlfExtensionValue<Name> };
}
