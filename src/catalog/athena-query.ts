/** The Athena query that shows the first rows of a table. */
export function athenaQuery(database: string, table: string): string {
  return `SELECT * FROM "${database}"."${table}" LIMIT 10;`;
}
