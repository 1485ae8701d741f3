import * as fs from 'fs';
import { CatalogTable, schemaObjectOf } from './catalog-tables';
import { LocalObjectStore } from './local-object-store';
import { isParquet } from './local-services';
import { isSensitiveColumn } from '../contract/consumer-grants';
import { openDuckDb, SqlValue } from '../contract/duckdb-engine';
import { SchemaObject } from '../contract/odcs-definitions';
import { sqlIdentifier, sqlString } from '../contract/sql-text';
import { MASKED_VALUE } from '../contract/test-contract-data';

/** How many rows of a consumer's query the run shows. */
const SHOWN_ROWS = 5;

/** A consumer's query of a table after the run: its rows, or why the table's location cannot be queried. */
export interface ConsumerQuery {
  /** `<database>.<table>`. */
  readonly table: string;
  /** The query as a consumer would write it in Athena. */
  readonly sql: string;
  /** The location the table reads. */
  readonly location: string;
  /** What the location holds: the rows the query returns, or why it returns none. */
  readonly result:
  | { readonly kind: 'rows'; readonly columns: string[]; readonly rows: Array<Record<string, SqlValue>>; readonly total: number; readonly files: number }
  | { readonly kind: 'empty' }
  | { readonly kind: 'not-parquet'; readonly objects: ReadonlyArray<{ readonly key: string; readonly size: number; readonly startsWith: string }> };
}

/**
 * What a consumer's query of a table returns after the run: `SELECT` of the contract's columns
 * (the table's columns without a contract), run by DuckDB over the Parquet files under the
 * table's location, as Athena reads them (partition folders as columns). When objects there are
 * not Parquet (a Lambda stage that writes its input's text where the table is), the query cannot
 * read them: the result names them and how they begin. A sensitive column's values are masked.
 */
export async function consumerQuery(store: LocalObjectStore, table: CatalogTable, objects: readonly SchemaObject[]): Promise<ConsumerQuery> {
  const schemaObject = schemaObjectOf(objects, table.name);
  const columns = schemaObject?.properties?.map((property) => property.name ?? '') ?? [...table.columns, ...table.partitionKeys].map((column) => column.name);
  const sql = `SELECT ${columns.join(', ')} FROM ${table.database}.${table.name} LIMIT ${SHOWN_ROWS}`;
  const location = `s3://${table.location.bucket}/${table.location.prefix}`;
  const stored = store.list(table.location.bucket, table.location.prefix)
    .map((object) => ({ ...object, file: store.fileOf(object.bucket, object.key) }));
  const parquet = stored.filter((object) => isParquet(object.file));
  const other = stored.filter((object) => !parquet.includes(object));
  const base = { table: `${table.database}.${table.name}`, sql, location };
  if (other.length > 0 && parquet.length === 0) {
    return { ...base, result: { kind: 'not-parquet', objects: other.map((object) => ({ key: object.key, size: object.size, startsWith: beginning(object.file) })) } };
  }
  if (parquet.length === 0) {
    return { ...base, result: { kind: 'empty' } };
  }
  const session = await openDuckDb('sdlf-mesh pipeline run queries the tables\' Parquet in DuckDB');
  try {
    const files = `read_parquet([${parquet.map((object) => sqlString(object.file)).join(', ')}], hive_partitioning = true)`;
    const selected = columns.map(sqlIdentifier).join(', ');
    const { rows } = await session.table(`SELECT ${selected} FROM ${files} LIMIT ${SHOWN_ROWS}`);
    const total = await session.number(`SELECT count(*) FROM ${files}`);
    // As `contract test` shows failing rows: a sensitive column's values are never printed.
    const sensitive = (schemaObject?.properties ?? [])
      .filter((property) => property.name && isSensitiveColumn(property, schemaObject!))
      .map((property) => property.name!);
    const masked = (row: Record<string, SqlValue>) =>
      Object.fromEntries(sensitive.filter((name) => row[name] !== null && row[name] !== undefined).map((name) => [name, MASKED_VALUE]));
    const shown = rows.map((row) => ({ ...row, ...masked(row) }));
    return { ...base, result: { kind: 'rows', columns, rows: shown, total, files: parquet.length } };
  } finally {
    session.close();
  }
}

/** The first line of a file (at most 60 characters), to show what it is. */
function beginning(file: string): string {
  const text = fs.readFileSync(file).subarray(0, 200).toString('utf8');
  const line = text.split(/\r?\n/)[0];
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
