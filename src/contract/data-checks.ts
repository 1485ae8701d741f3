import { complementRatio, dqdlComparison, NO_FAILING_ROW, Threshold, thresholdOf, describeThreshold } from './check-threshold';
import { EngineType, engineTypeOf } from './engine-types';
import { glueTypeOf } from './glue-types';
import { QualityRule, SchemaObject, SchemaProperty } from './odcs-definitions';
import { sqlIdentifier, sqlLiteral, sqlString } from './sql-text';

// What a contract promises about a table's data, as checks: each column present with its type,
// required columns without nulls, unique columns and the primary key without duplicates, and
// every library quality rule. Each check is one rule with two forms, so that they cannot drift
// apart: the SQL that measures it on data files (`sdlf-mesh contract test`, in DuckDB) and, where
// Glue Data Quality has one, its DQDL rule, with the same threshold.

/** What a check measures. */
export const DATA_CHECK_KINDS = [
  'columnPresent', 'columnType', 'required', 'unique', 'primaryKey',
  'nullValues', 'missingValues', 'invalidValues', 'duplicateValues', 'rowCount',
] as const;

/** What a check measures: a promise of the schema (`columnPresent` ... `primaryKey`) or a metric of the standard. */
export type DataCheckKind = (typeof DATA_CHECK_KINDS)[number];

/** A quality rule in Glue Data Quality's language, or why it has no such form. */
export type DqdlRule = { readonly dqdl: string } | { readonly unenforced: string };

/** The local engine's SQL of a check (DuckDB's dialect). */
export interface CheckSql {
  /** One number: the failing rows (for `rowCount`, the rows), compared with the threshold. */
  readonly metric: string;
  /** The failing rows, for samples (the engine limits them); none for `rowCount`. */
  readonly failingRows?: string;
}

/** One promise of a contract about a table's data, checkable on data files and, where it has a DQDL form, by Glue Data Quality. */
export interface DataCheck {
  /**
   * Stable across runs and edits of other rules: `<table>.<column>.<what>` or `<table>.<what>`,
   * where a quality rule's `<what>` is its `id`, else its metric (`#2`, `#3` for a metric repeated
   * on one element without ids).
   */
  readonly name: string;
  readonly kind: DataCheckKind;
  /** `schema` for what the columns declare (present, type, required, unique, primary key); `quality` for a quality rule. */
  readonly origin: 'schema' | 'quality';
  /** The schema object (table). */
  readonly table: string;
  /** The columns it reads: one, the key's, or none (`rowCount`). */
  readonly columns: readonly string[];
  /** What the contract promises, in words. */
  readonly description: string;
  /** The threshold the metric is compared with, by both engines. */
  readonly threshold: Threshold;
  /** The same check in DQDL, with the same threshold, or why Glue Data Quality cannot evaluate it. */
  readonly glue: DqdlRule;
  readonly sql: CheckSql;
  /** For `columnType`: how the engine checks the declared type. */
  readonly type?: EngineType;
}

/** A quality rule no check comes from, and why. */
export interface UncheckedRule {
  /** `<table>` or `<table>.<column>`. */
  readonly element: string;
  readonly rule: QualityRule;
  /** Why it is not checked on data. */
  readonly reason: string;
  /** Why Glue Data Quality does not evaluate it either. */
  readonly unenforced: string;
}

/** The checks of a schema object, and its quality rules that none comes from. */
export interface DataChecks {
  readonly checks: DataCheck[];
  readonly unchecked: UncheckedRule[];
}

/**
 * The relation the local engine holds a table's rows in, as the table declares them: each
 * contract column (by name, whatever its case in the files) cast to its type.
 */
export function tableRelation(table: string): string {
  return sqlIdentifier(table);
}

/** The relation of the table's files as they are: the values as the files hold them, the columns they have. */
export function filesRelation(table: string): string {
  return sqlIdentifier(`${table}:files`);
}

/**
 * The checks of a schema object: first each column's schema promises (present, type, required,
 * unique) and the primary key, then the object's quality rules, then each column's. Rules that are
 * not library metrics (`sql`, `text`, `custom`) or that a metric cannot apply to are listed apart.
 */
export function dataChecks(object: SchemaObject): DataChecks {
  const table = object.name;
  const columns = (object.properties ?? []).filter((column): column is SchemaProperty & { name: string } => column.name !== undefined);
  const checks: DataCheck[] = [];
  const unchecked: UncheckedRule[] = [];
  for (const column of columns) {
    checks.push(columnPresent(table, column.name), columnType(table, column.name, engineTypeOf(glueTypeOf(column))));
    if (column.required) {
      checks.push(required(table, column.name));
    }
    if (column.unique) {
      checks.push(unique(table, column.name));
    }
  }
  const key = primaryKeyOf(object);
  if (key.length > 0) {
    checks.push(primaryKey(table, key));
  }
  const names = new Map<string, number>();
  const add = (rule: QualityRule, column?: SchemaProperty & { name: string }) => {
    const element = column ? `${table}.${column.name}` : table;
    const form = qualityCheck(table, rule, column);
    if ('reason' in form) {
      unchecked.push({ element, rule, reason: form.reason, unenforced: form.unenforced });
      return;
    }
    const base = `${element}.${rule.id ?? form.kind}`;
    const seen = (names.get(base) ?? 0) + 1;
    names.set(base, seen);
    checks.push({ ...form, name: seen === 1 ? base : `${base}#${seen}` });
  };
  (object.quality ?? []).forEach((rule) => add(rule));
  columns.forEach((column) => (column.quality ?? []).forEach((rule) => add(rule, column)));
  return { checks, unchecked };
}

/**
 * The DQDL form of one quality rule of an object (or of its `column`), from the rule's check:
 * `rowCount` → `RowCount` with the rule's comparison; `nullValues` → `IsComplete` at 0, else
 * `Completeness` for a percentage; `duplicateValues` at 0 → `IsUnique`; `invalidValues` with
 * `validValues` at 0 or as a percentage → `ColumnValues ... in [...]`. Anything else is not
 * enforced by Glue Data Quality, and says why.
 */
export function dqdlRule(rule: QualityRule, column?: string): DqdlRule {
  const form = qualityCheck('table', rule, column === undefined ? undefined : { name: column });
  return 'reason' in form ? { unenforced: form.unenforced } : form.glue;
}

/** The columns of the primary key, in `primaryKeyPosition` order (columns without a position last, as declared). */
export function primaryKeyOf(object: SchemaObject): string[] {
  // -1 (the standard's "not part of the key") or no position sorts after the numbered columns.
  const position = ({ primaryKeyPosition: at }: SchemaProperty) => (at === undefined || at < 1 ? Number.MAX_SAFE_INTEGER : at);
  return (object.properties ?? [])
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => column.primaryKey === true && column.name !== undefined)
    .sort((a, b) => position(a.column) - position(b.column) || a.index - b.index)
    .map(({ column }) => column.name!);
}

type CheckForm = Omit<DataCheck, 'name'>;
type NoCheck = { readonly reason: string; readonly unenforced: string };

const SCHEMA = { origin: 'schema', threshold: NO_FAILING_ROW } as const;

function columnPresent(table: string, column: string): DataCheck {
  return {
    ...SCHEMA,
    name: `${table}.${column}.present`,
    kind: 'columnPresent',
    table,
    columns: [column],
    description: `the files have column ${column}`,
    glue: { dqdl: `ColumnExists ${dqdlString(column)}` },
    sql: {
      metric: `SELECT CASE WHEN count(*) = 0 THEN 1 ELSE 0 END FROM information_schema.columns WHERE table_name = ${sqlString(`${table}:files`)} AND lower(column_name) = lower(${sqlString(column)})`,
    },
  };
}

function columnType(table: string, column: string, type: EngineType): DataCheck {
  const value = sqlIdentifier(column);
  const failing = [
    ...(type.castTo ? [`TRY_CAST(${value} AS ${type.castTo}) IS NULL`] : []),
    ...(type.maxLength === undefined ? [] : [`length(CAST(${value} AS VARCHAR)) > ${type.maxLength}`]),
  ];
  const where = `${value} IS NOT NULL AND (${failing.join(' OR ') || 'false'})`;
  return {
    ...SCHEMA,
    name: `${table}.${column}.type`,
    kind: 'columnType',
    table,
    columns: [column],
    description: `every value of ${column} is a ${type.glueType}`,
    // The Glue table declares the column's type: the files' values are read as that type.
    glue: { unenforced: 'the Glue table declares the column\'s type' },
    sql: { metric: `SELECT count(*) FROM ${filesRelation(table)} WHERE ${where}`, failingRows: `SELECT * FROM ${filesRelation(table)} WHERE ${where}` },
    type,
  };
}

function required(table: string, column: string): DataCheck {
  return {
    ...SCHEMA,
    name: `${table}.${column}.required`,
    kind: 'required',
    table,
    columns: [column],
    description: `${column} is never null`,
    glue: { dqdl: `IsComplete ${dqdlString(column)}` },
    sql: nullRows(table, column),
  };
}

function unique(table: string, column: string): DataCheck {
  return {
    ...SCHEMA,
    name: `${table}.${column}.unique`,
    kind: 'unique',
    table,
    columns: [column],
    description: `no two rows have the same ${column}`,
    glue: { dqdl: `IsUnique ${dqdlString(column)}` },
    sql: duplicateRows(table, [column]),
  };
}

function primaryKey(table: string, key: string[]): DataCheck {
  const columns = key.map(sqlIdentifier);
  const anyNull = columns.map((column) => `${column} IS NULL`).join(' OR ');
  const noNull = columns.map((column) => `${column} IS NOT NULL`).join(' AND ');
  const tuple = columns.length === 1 ? columns[0] : `(${columns.join(', ')})`;
  return {
    ...SCHEMA,
    name: `${table}.primaryKey`,
    kind: 'primaryKey',
    table,
    columns: key,
    description: `${key.length === 1 ? `${key[0]} identifies` : `(${key.join(', ')}) identify`} each row: never null, never twice`,
    glue: { dqdl: `IsPrimaryKey ${key.map(dqdlString).join(' ')}` },
    sql: {
      metric: `SELECT count(*) FILTER (WHERE ${anyNull}) + count(*) FILTER (WHERE ${noNull}) - count(DISTINCT ${tuple}) FILTER (WHERE ${noNull}) FROM ${tableRelation(table)}`,
      failingRows: `SELECT * FROM ${tableRelation(table)} QUALIFY ${anyNull} OR count(*) OVER (PARTITION BY ${columns.join(', ')}) > 1 ORDER BY ${columns.join(', ')}`,
    },
  };
}

/** The check of a quality rule on a table (or on one of its columns), or why there is none. */
function qualityCheck(table: string, rule: QualityRule, column?: SchemaProperty & { name: string }): CheckForm | NoCheck {
  if (rule.type !== undefined && rule.type !== 'library') {
    const why = `a ${rule.type} rule is not a metric Glue Data Quality evaluates`;
    return { reason: `a ${rule.type} rule is not a metric of the standard`, unenforced: why };
  }
  const unenforced = noGlueForm(rule);
  const threshold = thresholdOf(rule);
  if ('problem' in threshold) {
    return { reason: threshold.problem, unenforced };
  }
  const metric = rule.metric ?? rule.rule;
  const base = { origin: 'quality', table, description: rule.description?.trim() || `${metric} ${describeThreshold(threshold)}` } as const;
  if (metric === 'rowCount') {
    if (column) {
      return { reason: 'rowCount counts a table\'s rows: give it in the table\'s quality', unenforced };
    }
    // Rows are rows: a percentage of the rows means nothing here, and DQDL never had one.
    const rows = { ...threshold, unit: 'rows' } as const;
    return { ...base, kind: 'rowCount', columns: [], threshold: rows, glue: { dqdl: `RowCount ${dqdlComparison(rows)}` }, sql: { metric: `SELECT count(*) FROM ${tableRelation(table)}` } };
  }
  if (metric === 'duplicateValues') {
    const properties = column ? [column.name] : stringList(rule.arguments?.properties);
    if (properties.length === 0) {
      return { reason: 'duplicateValues on a table needs arguments.properties, the columns that together must be unique', unenforced };
    }
    const glue = isZero(threshold) ? { dqdl: `IsUnique ${properties.map(dqdlString).join(' ')}` } : { unenforced };
    return { ...base, kind: 'duplicateValues', columns: properties, threshold, glue, sql: duplicateRows(table, properties) };
  }
  if (!column) {
    return { reason: `${metric ?? '(no metric)'} is a column's metric: give it in the column's quality`, unenforced };
  }
  const columns = [column.name];
  if (metric === 'nullValues') {
    const glue = isZero(threshold)
      ? { dqdl: `IsComplete ${dqdlString(column.name)}` }
      : threshold.unit === 'percent' ? { dqdl: `Completeness ${dqdlString(column.name)} ${dqdlComparison(complementRatio(threshold))}` } : { unenforced };
    return { ...base, kind: 'nullValues', columns, threshold, glue, sql: nullRows(table, column.name) };
  }
  if (metric === 'missingValues') {
    const listed = rule.arguments?.missingValues;
    const values = Array.isArray(listed) ? listed : [null, ''];
    return { ...base, kind: 'missingValues', columns, threshold, glue: { unenforced }, sql: rowsWhere(table, missingValue(column, values)) };
  }
  if (metric === 'invalidValues') {
    const listed = rule.arguments?.validValues ?? rule.validValues;
    const validValues = Array.isArray(listed) ? listed.filter((value) => value !== null) : undefined;
    const pattern = typeof rule.arguments?.pattern === 'string' ? rule.arguments.pattern : undefined;
    if (validValues === undefined && pattern === undefined) {
      return { reason: 'invalidValues needs arguments.validValues or arguments.pattern', unenforced };
    }
    // Glue compares the share of valid rows: at most 5 % invalid is a threshold of at least 0.95.
    const share = isZero(threshold) ? '' : ` with threshold ${dqdlComparison(complementRatio(threshold))}`;
    const glue = validValues !== undefined && pattern === undefined && (isZero(threshold) || threshold.unit === 'percent')
      ? { dqdl: `ColumnValues ${dqdlString(column.name)} in ${dqdlValues(validValues)}${share}` }
      : { unenforced };
    return { ...base, kind: 'invalidValues', columns, threshold, glue, sql: rowsWhere(table, invalidValue(column, validValues, pattern)) };
  }
  return { reason: `metric ${metric ?? '(none)'} is not one of the standard's: nullValues, missingValues, invalidValues, duplicateValues, rowCount`, unenforced };
}

/** Why a library rule has no DQDL form: the rule as written (as the ruleset's list of left-out rules has always said it). */
function noGlueForm(rule: QualityRule): string {
  const { description: _description, name: _name, ...rest } = rule;
  return `metric ${rule.metric ?? rule.rule ?? '(none)'} with ${JSON.stringify(rest)} has no Glue Data Quality form`;
}

/** A threshold of no failing row at all: 0 rows is 0 %, and Glue's `Is...` rules say it without a number. */
function isZero(threshold: Threshold): boolean {
  return threshold.operator === 'mustBe' && threshold.value === 0;
}

function nullRows(table: string, column: string): CheckSql {
  return rowsWhere(table, `${sqlIdentifier(column)} IS NULL`);
}

function rowsWhere(table: string, condition: string): CheckSql {
  return { metric: `SELECT count(*) FROM ${tableRelation(table)} WHERE ${condition}`, failingRows: `SELECT * FROM ${tableRelation(table)} WHERE ${condition}` };
}

/**
 * The duplicates of a column (or of columns together): each value's occurrences after its first.
 * A null is no value: rows whose columns are all null are not duplicates of each other, as neither
 * SQL's UNIQUE nor Glue's uniqueness counts them.
 */
function duplicateRows(table: string, columns: readonly string[]): CheckSql {
  const quoted = columns.map(sqlIdentifier);
  const someValue = quoted.map((column) => `${column} IS NOT NULL`).join(' OR ');
  const tuple = quoted.length === 1 ? quoted[0] : `(${quoted.join(', ')})`;
  return {
    metric: `SELECT count(*) FILTER (WHERE ${someValue}) - count(DISTINCT ${tuple}) FILTER (WHERE ${someValue}) FROM ${tableRelation(table)}`,
    failingRows: `SELECT * FROM ${tableRelation(table)} WHERE ${someValue} QUALIFY count(*) OVER (PARTITION BY ${quoted.join(', ')}) > 1 ORDER BY ${quoted.join(', ')}`,
  };
}

/** A value the rule lists as missing: null when null is listed, else one of the listed values. */
function missingValue(column: SchemaProperty & { name: string }, values: readonly unknown[]): string {
  const listed = values.filter((value) => value !== null && value !== undefined);
  const conditions = [
    ...(values.some((value) => value === null) ? [`${sqlIdentifier(column.name)} IS NULL`] : []),
    ...(listed.length > 0 ? [`${comparable(column, listed)} IN (${listed.map((value) => literalFor(column, listed, value)).join(', ')})`] : []),
  ];
  return conditions.length > 0 ? `(${conditions.join(' OR ')})` : 'false';
}

/**
 * A value that is not valid: not one of `validValues`, or not matching `pattern` (a regular
 * expression, found anywhere in the value unless anchored). A null is never invalid: it is
 * missing, which `nullValues` and `missingValues` count, and the DQDL form lists NULL as valid.
 */
function invalidValue(column: SchemaProperty & { name: string }, validValues: readonly unknown[] | undefined, pattern: string | undefined): string {
  const value = sqlIdentifier(column.name);
  const conditions = [
    ...(validValues === undefined ? [] : [validValues.length === 0 ? 'true' : `${comparable(column, validValues)} NOT IN (${validValues.map((valid) => literalFor(column, validValues, valid)).join(', ')})`]),
    ...(pattern === undefined ? [] : [`NOT regexp_matches(CAST(${value} AS VARCHAR), ${sqlString(pattern)})`]),
  ];
  return `${value} IS NOT NULL AND (${conditions.join(' OR ')})`;
}

/** Listed values are compared with the column's values as they are where both are numbers or both booleans, else as text. */
function sameKind(column: SchemaProperty, values: readonly unknown[]): boolean {
  const type = glueTypeOf(column);
  const numeric = /^(tinyint|smallint|int|bigint|float|double|decimal)/.test(type);
  return (numeric && values.every((value) => typeof value === 'number')) || (type === 'boolean' && values.every((value) => typeof value === 'boolean'));
}

function comparable(column: SchemaProperty & { name: string }, values: readonly unknown[]): string {
  return sameKind(column, values) ? sqlIdentifier(column.name) : `CAST(${sqlIdentifier(column.name)} AS VARCHAR)`;
}

function literalFor(column: SchemaProperty, values: readonly unknown[], value: unknown): string {
  return sameKind(column, values) ? sqlLiteral(value) : sqlString(typeof value === 'string' ? value : JSON.stringify(value));
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A column name or text value as a DQDL string. */
function dqdlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Valid values as a DQDL array, NULL among them (nulls are not invalid values). */
function dqdlValues(values: readonly unknown[]): string {
  const numbers = values.every((value) => typeof value === 'number');
  return `[${[...values.map((value) => (numbers ? `${value}` : dqdlString(typeof value === 'string' ? value : JSON.stringify(value)))), 'NULL'].join(',')}]`;
}
