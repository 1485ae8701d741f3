import { sqlIdentifier } from './sql-text';

// The local engine (DuckDB) holds a column as the Glue table would: each Glue type of a contract
// column has its DuckDB type, which Parquet written with it has as the physical and logical types
// Athena reads for the Glue type (decimal(12,2) as DECIMAL(12,2), timestamp as TIMESTAMP...), and
// which its text values must cast to; and the DuckDB types a typed file (Parquet) may store it as.
// Athena and Glue read Parquet by its physical type, so a DOUBLE where decimal(12,2) is declared
// fails there even when every value would fit.

/** How the local engine checks a column's Glue type. */
export interface EngineType {
  /** The Glue type, as the contract declares it (normalized), e.g. `decimal(12,2)`. */
  readonly glueType: string;
  /** The DuckDB type a text value (CSV, JSON, a partition folder's name) must cast to; none for nested types. */
  readonly castTo?: string;
  /** The most characters a value may have: `varchar(n)` and `char(n)`. */
  readonly maxLength?: number;
}

/** DuckDB's names of the Parquet timestamps (seconds to nanoseconds, with or without a zone). */
const TIMESTAMPS = ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE'];

/** How the local engine checks a Glue type (as {@link glueTypeOf} gives it). */
export function engineTypeOf(glueType: string): EngineType {
  const text = /^(?:var)?char\((\d+)\)$/.exec(glueType);
  if (text) {
    return { glueType, castTo: 'VARCHAR', maxLength: Number(text[1]) };
  }
  // Text casts to flat types only: a nested value is checked by its file's type.
  if (/^(array|map|struct)</.test(glueType)) {
    return { glueType };
  }
  try {
    return { glueType, castTo: duckDbTypeOf(glueType) };
  } catch {
    return { glueType };
  }
}

/** Whether a column a typed file holds as `physicalType` (DuckDB's name of it) is the Glue type. */
export function holdsGlueType(type: EngineType, physicalType: string): boolean {
  const physical = physicalType.toUpperCase().replace(/\s*,\s*/g, ',');
  if (type.glueType === 'timestamp') {
    return TIMESTAMPS.includes(physical);
  }
  if (type.castTo !== undefined) {
    return physical === type.castTo;
  }
  if (type.glueType.startsWith('array<')) {
    return physical.endsWith('[]');
  }
  if (type.glueType.startsWith('map<')) {
    return physical.startsWith('MAP(');
  }
  return type.glueType.startsWith('struct<') && physical.startsWith('STRUCT(');
}

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
    if (parameterized[1] !== 'decimal') {
      return 'VARCHAR';
    }
    // decimal(p) is decimal(p,0), which DuckDB names with both.
    const [precision, scale = '0'] = parameterized[2].split(',').map((part) => part.trim());
    return `DECIMAL(${precision},${scale})`;
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
      return `${sqlIdentifier(field.slice(0, colon).trim())} ${duckDbTypeOf(field.slice(colon + 1))}`;
    }).join(', ')})`;
  }
  throw new Error(`"${glueType}" is no Glue type DuckDB holds`);
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
