import { DuckDBInstance } from '@duckdb/node-api';

/** A Parquet file as a query engine reads it: its columns with their SQL types, and its rows as JSON (decimals and timestamps as text). */
export interface ParquetContents {
  readonly columns: Array<{ name: string; type: string }>;
  readonly rows: Array<Record<string, unknown>>;
}

/**
 * Reads a Parquet file with DuckDB, an engine of its own (not the library that wrote it), which
 * maps Parquet's types to SQL types as Athena and Spark do: what a stage wrote is checked the way
 * the data product's consumers will read it.
 */
export async function readParquet(file: string): Promise<ParquetContents> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = `read_parquet('${file.replace(/'/g, "''")}')`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const columns = described.getRowObjectsJson().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
    const rows = (await connection.runAndReadAll(`SELECT * FROM ${source}`)).getRowObjectsJson() as Array<Record<string, unknown>>;
    return { columns, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
