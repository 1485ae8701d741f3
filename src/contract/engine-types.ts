// The local engine (DuckDB) holds a column as the Glue table would: each Glue type of a contract
// column has the DuckDB type its text values must cast to, and the DuckDB types a typed file
// (Parquet) may store it as. Athena and Glue read Parquet by its physical type, so a DOUBLE where
// decimal(12,2) is declared fails there even when every value would fit.

/** How the local engine checks a column's Glue type. */
export interface EngineType {
  /** The Glue type, as the contract declares it (normalized), e.g. `decimal(12,2)`. */
  readonly glueType: string;
  /** The DuckDB type a text value (CSV, JSON, a partition folder's name) must cast to; none for nested types. */
  readonly castTo?: string;
  /** The most characters a value may have: `varchar(n)` and `char(n)`. */
  readonly maxLength?: number;
}

const SIMPLE: Record<string, string> = {
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  int: 'INTEGER',
  bigint: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  binary: 'BLOB',
};

/** DuckDB's names of the Parquet timestamps (seconds to nanoseconds, with or without a zone). */
const TIMESTAMPS = ['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE'];

/** How the local engine checks a Glue type (as {@link glueTypeOf} gives it). */
export function engineTypeOf(glueType: string): EngineType {
  if (SIMPLE[glueType]) {
    return { glueType, castTo: SIMPLE[glueType] };
  }
  const text = /^(?:var)?char\((\d+)\)$/.exec(glueType);
  if (text) {
    return { glueType, castTo: 'VARCHAR', maxLength: Number(text[1]) };
  }
  const decimal = /^decimal(?:\((\d+)(?:,(\d+))?\))?$/.exec(glueType);
  if (decimal) {
    // Hive's decimal without precision is decimal(10,0).
    return { glueType, castTo: `DECIMAL(${decimal[1] ?? 10},${decimal[2] ?? 0})` };
  }
  return { glueType };
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
