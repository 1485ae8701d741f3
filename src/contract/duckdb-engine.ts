import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { loadOptionalPackage } from '../util/optional-package';

// The local engine of `sdlf-mesh contract test` and `sdlf-mesh pipeline run`: DuckDB, in this
// process, from the npm package @duckdb/node-api. It is native and built for each platform, so
// this package cannot bundle it, and jsii takes no other runtime dependency: it is loaded with
// import() only when a command needs it. Domain repositories have it as a devDependency.

/** The npm package of the engine. */
export const DUCKDB_PACKAGE = '@duckdb/node-api';

/** A value of a row as JSON holds it (DuckDB's big integers, decimals and times as text). */
export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

/** A DuckDB database in memory, for one test run. */
export interface SqlSession {
  /** Runs statements that return nothing worth reading (CREATE ...). */
  run(sql: string): Promise<void>;
  /** The rows of a query, each value as JSON holds it. */
  rows(sql: string): Promise<Array<Record<string, SqlValue>>>;
  /** The columns of a query's result, in order, and its rows. */
  table(sql: string): Promise<{ columns: string[]; rows: Array<Record<string, SqlValue>> }>;
  /** The one number a query returns. */
  number(sql: string): Promise<number>;
  /** Closes the database and removes what it spilled to disk. */
  close(): void;
}

/**
 * Opens a DuckDB database in memory. It spills to a folder of its own under the system's
 * temporary folder, never to the working directory (a repository), and removes it on close.
 *
 * @param purpose what needs the engine, for the error that names the package when it is missing:
 * `sdlf-mesh contract test runs the checks in DuckDB`
 */
export async function openDuckDb(purpose: string): Promise<SqlSession> {
  const engine = await loadOptionalPackage<typeof import('@duckdb/node-api')>(DUCKDB_PACKAGE, purpose);
  const spill = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-duckdb-'));
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection;
  try {
    instance = await engine.DuckDBInstance.create(':memory:', { temp_directory: spill });
    connection = await instance.connect();
  } catch (error) {
    instance?.closeSync();
    fs.rmSync(spill, { recursive: true, force: true });
    throw error;
  }
  return {
    run: async (sql) => {
      await connection.run(sql);
    },
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, SqlValue>>,
    table: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Array<Record<string, SqlValue>> };
    },
    number: async (sql) => Number((await connection.runAndReadAll(sql)).getRows()[0]?.[0] ?? 0),
    close: () => {
      connection.closeSync();
      instance!.closeSync();
      fs.rmSync(spill, { recursive: true, force: true });
    },
  };
}
