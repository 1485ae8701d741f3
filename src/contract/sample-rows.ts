import { meetsThreshold, Threshold, thresholdOf } from './check-threshold';
import { GlueColumn, glueTableColumns } from './contract-rendering';
import { isNestedGlueType } from './glue-types';
import { SchemaObject, SchemaProperty } from './odcs-definitions';

/**
 * Where a domain repository keeps the deliveries its data test runs each pipeline on:
 * `test/data/<data product>/<file>`, each file one raw delivery (CSV with a header, or JSON lines).
 */
export const DATA_TEST_DIR = 'test/data';

/** How many rows a sample has, unless the table's `rowCount` rule asks for more. */
const SAMPLE_ROWS = 3;

/** No sample is larger than this: a `rowCount` rule asking for more is not met by a sample. */
const MAX_SAMPLE_ROWS = 1000;

/** The first day of a sample's dates and times. */
const SAMPLE_DAY = Date.UTC(2024, 4, 1);

/**
 * A delivery of a contract's table made from its contract, as CSV with a header: the table's
 * columns (partition columns too: a delivery carries them as values), a few rows that keep the
 * contract's promises. A column's values are its `examples`, else the `validValues` of its
 * `invalidValues` rule, else values of its type, different in each row (so that unique columns
 * and the primary key hold). There are 3 rows, or as many as the table's `rowCount` rule needs
 * (at most 1,000). A nested column is left empty: CSV has no form for it.
 *
 * It is what a domain's data test starts with (`test/data/<data product>/`), to be replaced by
 * real deliveries: values made from types pass the contract, but they are not the team's data.
 */
export function sampleCsv(object: SchemaObject): string {
  const { columns, partitionKeys } = glueTableColumns(object);
  const all = [...columns, ...partitionKeys];
  const properties = new Map((object.properties ?? []).map((property) => [property.name, property]));
  const rows = Array.from({ length: sampleRowCount(object) }, (_, row) =>
    all.map((column) => csvCell(sampleValue(column, properties.get(column.name), row))));
  return [all.map((column) => csvCell(column.name)), ...rows].map((cells) => cells.join(',')).join('\n') + '\n';
}

/** 3 rows, or the fewest that meet each `rowCount` rule of the table. */
function sampleRowCount(object: SchemaObject): number {
  const thresholds = (object.quality ?? [])
    .filter((rule) => rule.metric === 'rowCount')
    .map(thresholdOf)
    .filter((threshold): threshold is Threshold => !('problem' in threshold));
  if (thresholds.length === 0) {
    return SAMPLE_ROWS;
  }
  // The count is met either at the default or just beside one of the thresholds' bounds.
  const bounds = thresholds.flatMap((threshold) => [threshold.value].flat() as number[]);
  const candidates = [SAMPLE_ROWS, ...bounds.flatMap((bound) => [bound - 1, bound, bound + 1])]
    .filter((count) => Number.isInteger(count) && count >= 1 && count <= MAX_SAMPLE_ROWS)
    .sort((a, b) => Math.abs(a - SAMPLE_ROWS) - Math.abs(b - SAMPLE_ROWS));
  return candidates.find((count) => thresholds.every((threshold) => meetsThreshold(threshold, count))) ?? SAMPLE_ROWS;
}

/** The value of a column in a row of the sample, as CSV text (empty for null). */
function sampleValue(column: GlueColumn, property: SchemaProperty | undefined, row: number): string {
  const examples = property?.examples?.filter((value) => value !== null && typeof value !== 'object') ?? [];
  const listed = examples.length > 0 ? examples : validValues(property) ?? [];
  if (listed.length > 0) {
    return String(listed[row % listed.length]);
  }
  return typedValue(column, row);
}

/** The `validValues` of a column's `invalidValues` rule, if it has one. */
function validValues(property: SchemaProperty | undefined): unknown[] | undefined {
  for (const rule of property?.quality ?? []) {
    const listed = rule.metric === 'invalidValues' ? rule.arguments?.validValues ?? rule.validValues : undefined;
    if (Array.isArray(listed)) {
      return listed.filter((value) => value !== null && typeof value !== 'object');
    }
  }
  return undefined;
}

/** A value of a Glue type, different in each row, as CSV text. */
function typedValue(column: GlueColumn, row: number): string {
  const type = column.type.toLowerCase();
  const decimal = /^decimal(?:\((\d+)(?:,\s*(\d+))?\))?$/.exec(type);
  if (decimal) {
    const precision = Number(decimal[1] ?? 10);
    const scale = Number(decimal[2] ?? 0);
    // As many whole digits as the precision leaves, at most two: 10.50, 11.50 ... or 1.5, 2.5 ...
    const whole = Math.min(2, precision - scale);
    const integer = whole <= 0 ? 0 : whole === 1 ? (row % 9) + 1 : (row % 90) + 10;
    return scale > 0 ? `${integer}.${'5'.padEnd(scale, '0')}` : `${integer}`;
  }
  const text = /^(?:var)?char\((\d+)\)$/.exec(type);
  if (text) {
    const value = `${column.name}-${row + 1}`;
    return value.length <= Number(text[1]) ? value : `${row + 1}`.slice(-Number(text[1]));
  }
  if (isNestedGlueType(type)) {
    return '';
  }
  switch (type) {
    case 'boolean':
      return row % 2 === 0 ? 'true' : 'false';
    case 'tinyint':
      return `${(row % 100) + 1}`;
    case 'smallint':
    case 'int':
    case 'bigint':
      return `${row + 1}`;
    case 'float':
    case 'double':
      return `${row + 1}.5`;
    case 'date':
      return new Date(SAMPLE_DAY + row * 86_400_000).toISOString().slice(0, 10);
    case 'timestamp':
      return new Date(SAMPLE_DAY + 10 * 3_600_000 + row * 60_000).toISOString().slice(0, 19).replace('T', ' ');
    default:
      return `${column.name}-${row + 1}`;
  }
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
