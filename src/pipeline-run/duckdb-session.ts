import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { loadOptionalPackage } from './optional-package';

/** The npm package of DuckDB's Node.js API. */
export const DUCKDB_PACKAGE = '@duckdb/node-api';

/** A value of a query's row, as JSON. */
export type SqlValue = null | boolean | number | string | SqlValue[] | { [key: string]: SqlValue };

/** A connection to an in-memory DuckDB database, for one step of the run (writing a table, a check, a query). */
export class DuckDbSession {
  /**
   * Opens a session. DuckDB is loaded here, not with this module: it is native and built per
   * platform, so it is no dependency of sdlf-mesh but a devDependency of a domain repository.
   */
  public static async open(): Promise<DuckDbSession> {
    const duckdb = await loadOptionalPackage<typeof import('@duckdb/node-api')>(DUCKDB_PACKAGE, 'it writes and reads the Parquet of the tables');
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    return new DuckDbSession(instance, await instance.connect());
  }

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Runs a statement. */
  public async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** The rows of a query, as JSON objects (decimals and timestamps as text), and its columns. */
  public async rows(sql: string): Promise<{ columns: string[]; rows: Array<Record<string, SqlValue>> }> {
    const reader = await this.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Array<Record<string, SqlValue>> };
  }

  public close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** A string as an SQL literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A name as an SQL identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
