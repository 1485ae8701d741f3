import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

// The local engine of `sdlf-mesh contract test`: DuckDB, in this process, from the npm package
// @duckdb/node-api. It is native and built for each platform, so this package cannot bundle it,
// and jsii takes no other runtime dependency: it is loaded here, with import(), only when a
// contract is tested. Domain repositories have it as a devDependency.

/** The npm package of the engine. */
export const DUCKDB_PACKAGE = '@duckdb/node-api';

/** The engine cannot be loaded: the package (or its native module for this platform) is not installed. */
export class DuckDbMissingError extends Error {
  constructor(detail: string) {
    super(`sdlf-mesh contract test runs the checks in DuckDB, from the npm package ${DUCKDB_PACKAGE}, which ${detail}: npm install --save-dev ${DUCKDB_PACKAGE}`);
    this.name = 'DuckDbMissingError';
    // The message says what to do: a stack trace of the loader would only bury it.
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** A value of a row as JSON holds it (DuckDB's big integers, decimals and times as text). */
export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

/** A DuckDB database in memory, for one test run. */
export interface SqlSession {
  /** Runs statements that return nothing worth reading (CREATE ...). */
  run(sql: string): Promise<void>;
  /** The rows of a query, each value as JSON holds it. */
  rows(sql: string): Promise<Array<Record<string, SqlValue>>>;
  /** The one number a query returns. */
  number(sql: string): Promise<number>;
  /** Closes the database and removes what it spilled to disk. */
  close(): void;
}

/**
 * The engine's error for a load failure that is the package missing (the `import()` found no
 * package, or the package found no native module for this platform); undefined for any other error.
 */
export function duckDbMissing(error: unknown): DuckDbMissingError | undefined {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if ((code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') || !message?.includes('@duckdb/')) {
    return undefined;
  }
  return new DuckDbMissingError(message.includes(`'${DUCKDB_PACKAGE}'`) ? 'is not installed here' : `has no native module for ${process.platform}-${process.arch} installed here`);
}

/**
 * Opens a DuckDB database in memory. It spills to a folder of its own under the system's
 * temporary folder, never to the working directory (a repository), and removes it on close.
 */
export async function openDuckDb(): Promise<SqlSession> {
  let engine: typeof import('@duckdb/node-api');
  try {
    engine = await import('@duckdb/node-api');
  } catch (error) {
    throw duckDbMissing(error) ?? error;
  }
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
    number: async (sql) => Number((await connection.runAndReadAll(sql)).getRows()[0]?.[0] ?? 0),
    close: () => {
      connection.closeSync();
      instance!.closeSync();
      fs.rmSync(spill, { recursive: true, force: true });
    },
  };
}
