// The DuckDB type of each Glue (Hive) type of a table's columns: Parquet written with it has the
// physical and logical types Athena reads for the Glue type (decimal(12,2) as DECIMAL(12,2),
// timestamp as TIMESTAMP...).

/** The DuckDB types of the Glue types without parameters. */
const SIMPLE_TYPES: Record<string, string> = {
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
  // Hive's decimal without precision is decimal(10,0).
  decimal: 'DECIMAL(10,0)',
};

/** The DuckDB type of a Glue column type, e.g. `decimal(12,2)` → `DECIMAL(12,2)`, `array<int>` → `INTEGER[]`. */
export function duckDbTypeOf(glueType: string): string {
  const type = glueType.trim().toLowerCase();
  if (SIMPLE_TYPES[type]) {
    return SIMPLE_TYPES[type];
  }
  const parameterized = /^(decimal|varchar|char)\s*\(([^)]*)\)$/.exec(type);
  if (parameterized) {
    return parameterized[1] === 'decimal' ? `DECIMAL(${parameterized[2].replace(/\s/g, '')})` : 'VARCHAR';
  }
  const complex = /^(array|map|struct)<(.*)>$/.exec(type);
  if (complex) {
    const parts = splitTopLevel(complex[2]);
    if (complex[1] === 'array') {
      return `${duckDbTypeOf(complex[2])}[]`;
    }
    if (complex[1] === 'map') {
      return `MAP(${parts.map(duckDbTypeOf).join(', ')})`;
    }
    return `STRUCT(${parts.map((field) => {
      const colon = field.indexOf(':');
      return `"${field.slice(0, colon).trim().replace(/"/g, '""')}" ${duckDbTypeOf(field.slice(colon + 1))}`;
    }).join(', ')})`;
  }
  throw new Error(`"${glueType}" is no Glue type the local run can write`);
}

/** The comma-separated parts of a type's parameters, without splitting the nested ones. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<' || text[i] === '(') depth++;
    if (text[i] === '>' || text[i] === ')') depth--;
    if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}
