import { Static, TSchema, Type } from '@sinclair/typebox';

// The Open Data Contract Standard v3.1, written from its specification (the "Key | Type |
// Required" tables of each section). The parts sdlf-mesh reads are typed closely, with the fields
// the standard lists and no other, so a misspelt field is found; sections sdlf-mesh does not read
// (servers, roles, support, price) keep the fields the standard requires and anything else as-is.
// These definitions are both the TypeScript types of a contract and, serialized, the JSON Schema
// that contracts are validated with and that generated repositories give their editors.

/** The logical types a property may have. */
export const LOGICAL_TYPES = ['string', 'date', 'timestamp', 'time', 'number', 'integer', 'object', 'array', 'boolean'] as const;

/** A logical data type of the standard. */
export type LogicalType = (typeof LOGICAL_TYPES)[number];

/** Links to where an element is defined or documented. */
export const AuthoritativeDefinition = Type.Object(
  {
    id: Type.Optional(Type.String()),
    type: Type.String({ description: 'What the link is, e.g. businessDefinition, privacy-statement, implementation.' }),
    url: Type.String({ description: 'Where the definition is.' }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** A property that is not part of the standard: `property` and its `value` (anything). */
export const CustomProperty = Type.Object(
  {
    id: Type.Optional(Type.String()),
    property: Type.Optional(Type.String({ description: 'The name of the property; SDLF extensions start with sdlf.' })),
    value: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** A property of the standard: one entry of `customProperties`. */
export type CustomProperty = Static<typeof CustomProperty>;

const authoritativeDefinitions = Type.Optional(Type.Array(AuthoritativeDefinition));
const customProperties = Type.Optional(Type.Array(CustomProperty));
const tags = Type.Optional(Type.Array(Type.String(), { description: 'Tags of the element; the tag pii marks personal data.' }));

/** A relationship between elements (a foreign key): from one element path (or list) to another. */
const Relationship = Type.Object(
  {
    type: Type.Optional(Type.String({ description: 'The kind of relationship, e.g. foreignKey.' })),
    from: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    to: Type.Union([Type.String(), Type.Array(Type.String())]),
    customProperties,
  },
  { additionalProperties: false },
);

const operator = (symbol: string) => Type.Optional(Type.Number({ description: `The metric must be ${symbol} this value.` }));
const range = (what: string) => Type.Optional(Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: `The metric must be ${what} [low, high].` }));

/** The comparison operators of a quality rule, by name. */
export const QUALITY_OPERATORS = ['mustBe', 'mustNotBe', 'mustBeGreaterThan', 'mustBeGreaterOrEqualTo', 'mustBeLessThan', 'mustBeLessOrEqualTo', 'mustBeBetween', 'mustNotBeBetween'] as const;

/** A data quality rule of an object or property (ODCS "Data Quality"). */
export const QualityRule = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    type: Type.Optional(Type.Union([Type.Literal('library'), Type.Literal('text'), Type.Literal('sql'), Type.Literal('custom')], { description: 'library (the default): a metric of the standard; text: for people; sql: a query; custom: a third-party engine.' })),
    metric: Type.Optional(Type.String({ description: 'For library rules: nullValues, missingValues, invalidValues, duplicateValues or rowCount.' })),
    rule: Type.Optional(Type.String({ description: 'Deprecated: use metric.' })),
    arguments: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    mustBe: operator('='),
    mustNotBe: operator('≠'),
    mustBeGreaterThan: operator('>'),
    mustBeGreaterOrEqualTo: operator('≥'),
    mustBeLessThan: operator('<'),
    mustBeLessOrEqualTo: operator('≤'),
    mustBeBetween: range('within'),
    mustNotBeBetween: range('outside'),
    unit: Type.Optional(Type.String({ description: 'rows or percent.' })),
    validValues: Type.Optional(Type.Array(Type.Unknown())),
    query: Type.Optional(Type.String()),
    engine: Type.Optional(Type.String()),
    implementation: Type.Optional(Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())])),
    dimension: Type.Optional(Type.String()),
    method: Type.Optional(Type.String()),
    severity: Type.Optional(Type.String()),
    businessImpact: Type.Optional(Type.String()),
    scheduler: Type.Optional(Type.String()),
    schedule: Type.Optional(Type.String()),
    tags,
    authoritativeDefinitions,
    customProperties,
  },
  {
    additionalProperties: false,
    // A metric of the library (the default type) is compared with something: one operator at least.
    if: { anyOf: [{ not: { required: ['type'] } }, { properties: { type: { const: 'library' } } }] },
    then: { anyOf: QUALITY_OPERATORS.map((name) => ({ required: [name] })) },
  },
);

/** A data quality rule of an object or property. */
export type QualityRule = Static<typeof QualityRule>;

/** What every element of a schema (object or property) may carry. */
const elementFields = {
  id: Type.Optional(Type.String({ description: 'A stable identifier for references to the element.' })),
  physicalName: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  businessName: Type.Optional(Type.String()),
  authoritativeDefinitions,
  quality: Type.Optional(Type.Array(QualityRule)),
  tags,
  customProperties,
  relationships: Type.Optional(Type.Array(Relationship)),
};

/**
 * The options of a logical type (`logicalTypeOptions`): which apply depends on the type; the
 * standard's keys of every type are accepted here, the meaning is the type's.
 */
const LogicalTypeOptions = Type.Object(
  {
    format: Type.Optional(Type.String()),
    pattern: Type.Optional(Type.String()),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    minimum: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    maximum: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    exclusiveMinimum: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    exclusiveMaximum: Type.Optional(Type.Union([Type.Number(), Type.String(), Type.Boolean()])),
    multipleOf: Type.Optional(Type.Number()),
    minItems: Type.Optional(Type.Integer({ minimum: 0 })),
    maxItems: Type.Optional(Type.Integer({ minimum: 0 })),
    uniqueItems: Type.Optional(Type.Boolean()),
    minProperties: Type.Optional(Type.Integer({ minimum: 0 })),
    maxProperties: Type.Optional(Type.Integer({ minimum: 0 })),
    required: Type.Optional(Type.Array(Type.String())),
    timezone: Type.Optional(Type.Boolean()),
    defaultTimezone: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** A property (column or field) of a schema object; objects and arrays nest further properties. */
export const SchemaProperty = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        name: Type.Optional(Type.String({ description: 'Name of the column or field.' })),
        ...elementFields,
        physicalType: Type.Optional(Type.String({ description: 'The type in the data source, e.g. string, bigint, decimal(12,2), timestamp.' })),
        logicalType: Type.Optional(Type.Union(LOGICAL_TYPES.map((type) => Type.Literal(type)), { description: `One of ${LOGICAL_TYPES.join(', ')}.` })),
        logicalTypeOptions: Type.Optional(LogicalTypeOptions),
        required: Type.Optional(Type.Boolean({ description: 'The element may not be null.' })),
        unique: Type.Optional(Type.Boolean()),
        primaryKey: Type.Optional(Type.Boolean()),
        primaryKeyPosition: Type.Optional(Type.Integer({ minimum: -1 })),
        partitioned: Type.Optional(Type.Boolean()),
        partitionKeyPosition: Type.Optional(Type.Integer({ minimum: -1 })),
        classification: Type.Optional(Type.String({ description: 'public, internal, confidential or restricted (restricted columns are granted only by name).' })),
        encryptedName: Type.Optional(Type.String()),
        transformSourceObjects: Type.Optional(Type.Array(Type.String())),
        transformLogic: Type.Optional(Type.String()),
        transformDescription: Type.Optional(Type.String()),
        examples: Type.Optional(Type.Array(Type.Unknown())),
        criticalDataElement: Type.Optional(Type.Boolean()),
        items: Type.Optional(Self),
        properties: Type.Optional(Type.Array(Self)),
      },
      { additionalProperties: false },
    ),
  { $id: 'SchemaProperty' },
);

/** A property (column or field) of a schema object. */
export type SchemaProperty = Static<typeof SchemaProperty>;

/** An object of the schema (a table, view, topic or file) and its properties. */
export const SchemaObject = Type.Object(
  {
    name: Type.String({ description: 'Name of the object: it names the Glue table.' }),
    ...elementFields,
    physicalType: Type.Optional(Type.String({ description: 'table, view, topic or file.' })),
    logicalType: Type.Optional(Type.Literal('object')),
    dataGranularityDescription: Type.Optional(Type.String()),
    properties: Type.Optional(Type.Array(SchemaProperty)),
  },
  { additionalProperties: false },
);

/** An object of the schema (a table, view, topic or file). */
export type SchemaObject = Static<typeof SchemaObject>;

/** A service-level promise (`slaProperties`): e.g. freshness 24 h on an element. */
export const SlaProperty = Type.Object(
  {
    id: Type.Optional(Type.String()),
    property: Type.String({ description: 'What is promised: latency, frequency, retention, freshness, ...' }),
    value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
    valueExt: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    unit: Type.Optional(Type.String({ description: 'e.g. d, h, m (days, hours, minutes).' })),
    element: Type.Optional(Type.String({ description: 'The object or object.property it applies to.' })),
    driver: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    scheduler: Type.Optional(Type.String()),
    schedule: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** A service-level promise of a contract. */
export type SlaProperty = Static<typeof SlaProperty>;

const TeamMember = Type.Object(
  {
    id: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    role: Type.Optional(Type.String()),
    dateIn: Type.Optional(Type.String()),
    dateOut: Type.Optional(Type.String()),
    replacedByUsername: Type.Optional(Type.String()),
    tags,
    authoritativeDefinitions,
    customProperties,
  },
  { additionalProperties: false },
);

/** The team (ODCS 3.1: an object with members; the list of members of 3.0 is deprecated). */
const Team = Type.Union([
  Type.Object(
    {
      id: Type.Optional(Type.String()),
      name: Type.Optional(Type.String()),
      description: Type.Optional(Type.String()),
      members: Type.Optional(Type.Array(TeamMember)),
      tags,
      authoritativeDefinitions,
      customProperties,
    },
    { additionalProperties: false },
  ),
  Type.Array(TeamMember),
]);

/** A section sdlf-mesh does not read: the fields the standard requires, anything else kept as written. */
const openSection = (required: Record<string, TSchema>) => Type.Object(required, { additionalProperties: true });

/** Fields of the standard's fundamentals, in the order a contract usually lists them. */
export const ContractDocumentSchema = Type.Object(
  {
    apiVersion: Type.String({ description: 'Version of the standard, e.g. v3.1.0.', pattern: '^v3\\.' }),
    kind: Type.Literal('DataContract'),
    id: Type.String({ description: 'A unique identifier of the contract.' }),
    name: Type.Optional(Type.String({ description: 'Name of the contract; sdlf-mesh names the data product and its resources with it.' })),
    version: Type.String({ description: 'Semantic version of the contract, quoted: "1.0.0".' }),
    status: Type.String({ description: 'proposed, draft, active, deprecated or retired.' }),
    tenant: Type.Optional(Type.String()),
    tags,
    domain: Type.Optional(Type.String({ description: 'The domain that owns the data product.' })),
    dataProduct: Type.Optional(Type.String({ description: 'Deprecated since ODCS v3.1.0: the data product is named by name.', deprecated: true })),
    authoritativeDefinitions,
    description: Type.Optional(
      Type.Object(
        {
          purpose: Type.Optional(Type.String()),
          limitations: Type.Optional(Type.String()),
          usage: Type.Optional(Type.String()),
          authoritativeDefinitions,
          customProperties,
        },
        { additionalProperties: false },
      ),
    ),
    schema: Type.Optional(Type.Array(SchemaObject)),
    servers: Type.Optional(Type.Array(openSection({ server: Type.String(), type: Type.String() }))),
    support: Type.Optional(Type.Array(openSection({ channel: Type.String() }))),
    price: Type.Optional(openSection({})),
    team: Type.Optional(Team),
    roles: Type.Optional(Type.Array(openSection({ role: Type.String() }))),
    slaDefaultElement: Type.Optional(Type.String({ description: 'Deprecated since ODCS v3.1.0.', deprecated: true })),
    slaProperties: Type.Optional(Type.Array(SlaProperty)),
    customProperties,
    contractCreatedTs: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

/** A data-product contract as written (Open Data Contract Standard v3.1). */
export type ContractDocumentData = Static<typeof ContractDocumentSchema>;
