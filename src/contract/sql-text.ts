// Names and values written into the local engine's SQL (DuckDB's dialect, which quotes as the
// SQL standard does): a contract's column names and valid values, the paths of data files.

/** A name as a quoted SQL identifier: `"order_id"`. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A text as a SQL string literal: `'EUR'`. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A contract's value (a valid or missing value) as a SQL literal: numbers and booleans as they are, anything else as text. */
export function sqlLiteral(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return `${value}`;
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  return sqlString(typeof value === 'string' ? value : JSON.stringify(value));
}
