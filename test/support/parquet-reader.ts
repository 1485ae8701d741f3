import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../src/contract/sql-text';

/**
 * Parquet files as a query engine reads them: the files' columns with their SQL types (without
 * the partition folders' columns), and their rows as JSON (decimals and timestamps as text), with
 * the columns of `<column>=<value>/` folders.
 */
export interface ParquetContents {
  readonly columns: Array<{ name: string; type: string }>;
  readonly rows: Array<Record<string, unknown>>;
}

/**
 * Reads Parquet files with DuckDB, an engine of its own (not the library that wrote them), which
 * maps Parquet's types to SQL types as Athena and Spark do: what a stage wrote is checked the way
 * the data product's consumers will read it.
 */
export async function readParquet(files: string | string[]): Promise<ParquetContents> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = (partitions: boolean) => `read_parquet([${[files].flat().map(sqlString).join(', ')}], hive_partitioning = ${partitions})`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source(false)}`);
    const columns = described.getRowObjectsJson().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    const rows = (await connection.runAndReadAll(`SELECT * FROM ${source(true)}`)).getRowObjectsJson() as Array<Record<string, unknown>>;
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
