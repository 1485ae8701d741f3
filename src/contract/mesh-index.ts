import { Static, Type } from '@sinclair/typebox';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { ContractStatus, STATUSES } from './contract';
import { lifecycleOf } from './contract-lifecycle';
import { S3_BUCKET_NAME_PATTERN } from '../util/s3-bucket-name';

// The mesh index is what a domain needs to know of the other domains' data products to read them:
// where each is (account, region, Glue database), its tables and columns, its status, and whom it
// grants what. The platform publishes it as the catalog's `catalog.json`; a domain repository keeps
// a copy reduced to these fields (`.sdlf/mesh-index.json`), so that lint and synth read the same
// index offline and a change of it shows in a pull request.

/** Where a domain repository keeps its copy of the mesh index, relative to its root. */
export const MESH_INDEX_COPY = '.sdlf/mesh-index.json';

/** The `kind` of a mesh index document, which tells it from the `catalog.json` it is made of. */
export const MESH_INDEX_KIND = 'SdlfMeshIndex';

/** Version of the mesh index format. */
export const MESH_INDEX_FORMAT = 1;

const Name = Type.String({ minLength: 1, maxLength: 255 });

// Enumerations rather than unions of literals: a wrong value is then one error that lists the
// allowed ones, not one error per literal.
const Status = Type.Unsafe<ContractStatus>({ type: 'string', enum: [...STATUSES] });
const GrantKind = Type.Unsafe<'domain' | 'account' | 'role'>({ type: 'string', enum: ['domain', 'account', 'role'] });

const IndexTable = Type.Object({
  name: Name,
  table: Name,
  columns: Type.Array(Name),
});

const IndexGrant = Type.Object({
  kind: GrantKind,
  id: Name,
  access: Name,
  tables: Type.Array(Type.Object({ table: Name, columns: Type.Array(Name) })),
});

/** What the index and the catalog say alike of a data product: who it is, where it is. */
const PRODUCT_FIELDS = {
  id: Name,
  domain: Name,
  dataProduct: Name,
  status: Status,
  version: Type.Optional(Name),
  account: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  region: Type.Optional(Name),
  database: Type.Optional(Name),
  // Where the tables' data is, when the platform registered it with Lake Formation, which vends it from there only.
  dataLocation: Type.Optional(Type.String({ pattern: `^s3://${S3_BUCKET_NAME_PATTERN}/` })),
};

const IndexProduct = Type.Object({
  ...PRODUCT_FIELDS,
  tables: Type.Array(IndexTable),
  grants: Type.Array(IndexGrant),
});

const MeshIndexSchema = Type.Object({
  kind: Type.Literal(MESH_INDEX_KIND),
  format: Type.Literal(MESH_INDEX_FORMAT),
  environment: Type.Optional(Name),
  products: Type.Array(IndexProduct),
});

/** A table of a data product: its name in the contract, its Glue table and its columns. */
export type MeshIndexTable = Static<typeof IndexTable>;

/** A grant of a data product: to a domain, an account or a role, of which tables and columns. */
export type MeshIndexGrant = Static<typeof IndexGrant>;

/** A data product of the mesh, as the index knows it. */
export type MeshIndexProduct = Static<typeof IndexProduct>;

/** The data products of a mesh, as a domain needs to know them to read them. */
export type MeshIndex = Static<typeof MeshIndexSchema>;

// Of `catalog.json`, only the fields the index is made of are read; the catalog holds much more
// (schemas, history, pages), which the index leaves out.
const CatalogProduct = Type.Object({
  ...PRODUCT_FIELDS,
  tables: Type.Array(Type.Object({ name: Name, table: Name, columns: Type.Array(Type.Object({ name: Type.String() })) })),
  consumers: Type.Array(IndexGrant),
});

const CatalogSchema = Type.Object({
  format: Type.Number(),
  environment: Type.Optional(Name),
  products: Type.Array(CatalogProduct),
  upcoming: Type.Optional(Type.Array(Type.Object({ id: Name, domain: Name, dataProduct: Name, status: Status, version: Type.Optional(Name) }))),
});

type CatalogData = Static<typeof CatalogSchema>;

/** The index cannot be read: not JSON, or neither a mesh index nor a catalog's `catalog.json`. */
export class MeshIndexError extends Error {
  constructor(
    /** Where the index was read: a file or an address. */
    public readonly source: string,
    /** What is wrong with it. */
    public readonly problem: string,
  ) {
    super(`the mesh index ${source} ${problem}`);
    this.name = 'MeshIndexError';
  }
}

let validators: { index: ValidateFunction; catalog: ValidateFunction } | undefined;

function validatorsOf() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validators = { index: ajv.compile(JSON.parse(JSON.stringify(MeshIndexSchema))), catalog: ajv.compile(JSON.parse(JSON.stringify(CatalogSchema))) };
  }
  return validators;
}

/**
 * The mesh index in `text`: a mesh index (`.sdlf/mesh-index.json`) or the catalog's
 * `catalog.json` it is made of. Throws a {@link MeshIndexError} naming `source` and the first
 * fields at fault when it is neither.
 */
export function parseMeshIndex(text: string, source: string): MeshIndex {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MeshIndexError(source, `is not JSON (${(error as Error).message}); give the catalog's catalog.json, which sdlf-mesh catalog build writes`);
  }
  const { index, catalog } = validatorsOf();
  if (data?.kind === MESH_INDEX_KIND) {
    if (!index(data)) {
      throw new MeshIndexError(source, `is not a valid mesh index: ${describeErrors(index.errors ?? [])}; run npx projen again to write it anew`);
    }
    return data as MeshIndex;
  }
  if (!catalog(data)) {
    throw new MeshIndexError(source, `is not a catalog.json of sdlf-mesh: ${describeErrors(catalog.errors ?? [])}; give the catalog.json that sdlf-mesh catalog build writes`);
  }
  return meshIndexOfCatalog(data as CatalogData);
}

/** The index made of a catalog's data: only what a domain needs to read the data products. */
function meshIndexOfCatalog(catalog: CatalogData): MeshIndex {
  const listed = catalog.products.map((product): MeshIndexProduct => ({
    id: product.id,
    domain: product.domain,
    dataProduct: product.dataProduct,
    status: product.status,
    ...optional({ version: product.version, account: product.account, region: product.region }),
    ...optional({ database: product.database, dataLocation: product.dataLocation }),
    tables: product.tables.map((table) => ({ name: table.name, table: table.table, columns: table.columns.map((column) => column.name) })),
    // A retired data product's grants are revoked at deploy: a catalog.json of an earlier
    // version of sdlf-mesh may still list them as its consumers.
    grants: (lifecycleOf(product.status).granted ? product.consumers : []).map(({ kind, id, access, tables }) => ({
      kind,
      id,
      access,
      tables: tables.map(({ table, columns }) => ({ table, columns })),
    })),
  }));
  // Proposed and draft products are named, so an input of one is told it is not served yet.
  const upcoming = (catalog.upcoming ?? []).map((product): MeshIndexProduct => ({
    id: product.id,
    domain: product.domain,
    dataProduct: product.dataProduct,
    status: product.status,
    ...optional({ version: product.version }),
    tables: [],
    grants: [],
  }));
  const products = [...listed, ...upcoming.filter((product) => !listed.some((other) => other.id === product.id))];
  products.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { kind: MESH_INDEX_KIND, format: MESH_INDEX_FORMAT, ...optional({ environment: catalog.environment }), products };
}

/**
 * The index as `.sdlf/mesh-index.json` holds it: the same index gives the same bytes, so the
 * copy changes in a pull request only when the mesh did.
 */
export function renderMeshIndex(index: MeshIndex): string {
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** A data product of the index, by `<domain>/<data product>`. */
export function findIndexProduct(index: MeshIndex, id: string): MeshIndexProduct | undefined {
  return index.products.find((product) => product.id === id);
}

/**
 * The tables and columns a data product grants `domain` to read (`select` grants to the domain by
 * name), by Glue table name: what the domain may read of it, whatever it asks for.
 */
export function selectGrantedTo(product: MeshIndexProduct, domain: string): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>();
  for (const grant of product.grants.filter((candidate) => candidate.kind === 'domain' && candidate.id === domain && candidate.access === 'select')) {
    for (const table of grant.tables) {
      granted.set(table.table, new Set([...(granted.get(table.table) ?? []), ...table.columns]));
    }
  }
  return granted;
}

function optional<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The first few schema errors, each at its field: enough to find the fault, not a page of it. */
function describeErrors(errors: readonly ErrorObject[]): string {
  const lines = [...new Set(errors.filter((error) => !['anyOf', 'oneOf'].includes(error.keyword)).map((error) => `${fieldOf(error)} ${error.message}`))];
  return lines.length > 3 ? `${lines.slice(0, 3).join('; ')} (and ${lines.length - 3} more)` : lines.join('; ');
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.slice(1).split('/').filter(Boolean);
  const field = path.map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
  return field || 'the document';
}
