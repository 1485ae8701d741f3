import { closest } from './closest';
import type { LogicalType } from './odcs-definitions';

// The Glue (Hive) types a contract column's physicalType may name, and the logical types each
// can hold: a table column has one Glue type, and a physicalType that is not one would be
// guessed from the logical type instead (`money` quietly becoming `double`).

/** The Glue types without parameters, and the logical types each can hold. */
const SIMPLE_TYPES: Record<string, readonly LogicalType[]> = {
  string: ['string', 'date', 'timestamp', 'time'],
  boolean: ['boolean'],
  tinyint: ['integer', 'number'],
  smallint: ['integer', 'number'],
  int: ['integer', 'number'],
  bigint: ['integer', 'number'],
  float: ['number'],
  double: ['number'],
  date: ['date'],
  timestamp: ['timestamp'],
  binary: ['string'],
};

/** The logical types of parameterized Glue types, by the type's name. */
const PARAMETERIZED_TYPES: Array<{ pattern: RegExp; logical: readonly LogicalType[] }> = [
  { pattern: /^(var)?char\(\d+\)$/, logical: ['string', 'date', 'timestamp', 'time'] },
  { pattern: /^decimal(\(\d+(,\d+)?\))?$/, logical: ['number', 'integer'] },
  { pattern: /^array<.+>$/, logical: ['array'] },
  { pattern: /^(map|struct)<.+>$/, logical: ['object'] },
];

/** The Glue type names a physicalType may start with, for suggestions. */
const GLUE_TYPE_NAMES = [...Object.keys(SIMPLE_TYPES), 'char(n)', 'varchar(n)', 'decimal(p,s)', 'array<...>', 'map<...>', 'struct<...>'];

/** The Glue type of each logical type, for columns without a physicalType. */
const FROM_LOGICAL: Record<LogicalType, string> = {
  string: 'string',
  integer: 'bigint',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  time: 'string',
  object: 'string',
  array: 'array<string>',
};

/** A physicalType as Glue spells it: lowercase, no blanks, `integer` as `int`. */
function normalize(physicalType: string): string {
  return physicalType.toLowerCase().replace(/\s+/g, '').replace(/^integer$/, 'int');
}

/** The logical types a Glue type holds; undefined when it is not a Glue type. */
function logicalTypesOf(glueType: string): readonly LogicalType[] | undefined {
  return SIMPLE_TYPES[glueType] ?? PARAMETERIZED_TYPES.find(({ pattern }) => pattern.test(glueType))?.logical;
}

/** Whether a Glue type holds nested values (`array<...>`, `map<...>`, `struct<...>`) rather than one flat value. */
export function isNestedGlueType(glueType: string): boolean {
  return /^(array|map|struct)</.test(glueType);
}

/** The Glue type of a column: its physical type, or the one of its logical type. */
export function glueTypeOf(column: { readonly physicalType?: string; readonly logicalType?: LogicalType }): string {
  const physical = column.physicalType === undefined ? '' : normalize(column.physicalType);
  return logicalTypesOf(physical) ? physical : FROM_LOGICAL[column.logicalType ?? 'string'];
}

/** What is wrong with a column's types, and the fix; undefined when they are a Glue type that holds the logical type. */
export function columnTypeProblem(
  physicalType: string | undefined,
  logicalType: LogicalType | undefined,
): { field: 'physicalType' | 'logicalType'; message: string; suggestion?: string } | undefined {
  if (physicalType === undefined) {
    return undefined;
  }
  const glueType = normalize(physicalType);
  const logical = logicalTypesOf(glueType);
  if (!logical) {
    const base = glueType.replace(/[(<].*$/, '');
    const suggestion = closest(base, GLUE_TYPE_NAMES.map((name) => name.replace(/[(<].*$/, '')));
    const fromLogical = logicalType && FROM_LOGICAL[logicalType];
    return {
      field: 'physicalType',
      message: `"${physicalType}" is not a Glue type: ${GLUE_TYPE_NAMES.join(', ')}`,
      suggestion: suggestion ? `did you mean "${GLUE_TYPE_NAMES.find((name) => name.startsWith(suggestion))}"?` : fromLogical && `e.g. ${fromLogical} for logicalType ${logicalType}`,
    };
  }
  if (logicalType !== undefined && !logical.includes(logicalType)) {
    return {
      field: 'logicalType',
      message: `"${logicalType}" contradicts physicalType ${physicalType}, which holds ${logical.join(' or ')}`,
      suggestion: `logicalType: ${logical[0]}, or physicalType: ${FROM_LOGICAL[logicalType]}`,
    };
  }
  return undefined;
}
