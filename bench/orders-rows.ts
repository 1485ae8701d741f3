/**
 * The rows the benchmarks deliver: the sample contract's `orders` columns, every row valid
 * (unique ids, one customer in ten without an e-mail address), made by DuckDB.
 */
import { DuckDBInstance } from '@duckdb/node-api';

/** A query of `rows` rows of the sample's columns. */
export function ordersRowsSql(rows: number): string {
  return `
  SELECT 'o-' || i AS order_id,
         CASE WHEN i % 10 = 0 THEN NULL ELSE 'customer-' || (i % 50000) || '@example.com' END AS customer_email,
         CAST((i % 100000) / 100 AS DECIMAL(12,2)) AS order_total,
         CASE WHEN i % 3 = 0 THEN 'USD' ELSE 'EUR' END AS currency,
         TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 7) AS ordered_at
  FROM range(${rows}) AS rows(i)`;
}

/** Writes `rows` rows to each file, in the format its key names (`CSV` with a header, `PARQUET`). */
export async function writeOrdersRows(rows: number, files: { readonly [format in 'CSV' | 'PARQUET']?: string }): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    for (const [format, file] of Object.entries(files)) {
      await connection.run(`COPY (${ordersRowsSql(rows)}) TO '${file}' (FORMAT ${format}${format === 'CSV' ? ', HEADER' : ''})`);
    }
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}
