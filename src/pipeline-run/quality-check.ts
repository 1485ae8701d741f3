import { DuckDbSession, sqlIdentifier, sqlString } from './duckdb-session';
import { dqdlRule } from '../contract/contract-rendering';
import { QualityRule, SchemaObject } from '../contract/odcs-definitions';

/** The outcome of one quality rule of a contract on the data a run wrote. */
export interface QualityRuleResult {
  /** The rule as Glue Data Quality evaluates it, e.g. `IsComplete "order_id"`. */
  readonly rule: string;
  /** The column the rule is about, when it is a column's. */
  readonly column?: string;
  readonly passed: boolean;
  /** What was measured, e.g. `0 null values`, `3 rows`. */
  readonly measured: string;
}

/**
 * The quality rules of a table's schema object that Glue Data Quality evaluates after the Glue
 * stage (those with a DQDL form: `IsComplete`, `IsUnique`, `RowCount`), checked with DuckDB on the
 * Parquet files written, with the ruleset's thresholds. Rules without a DQDL form are left out, as
 * from the deployed ruleset.
 *
 * The seam for the contract's data checks: the same function of the contract, the table and the
 * files, whatever engine answers it.
 *
 * @param object the schema object of the table, from the contract
 * @param files the table's Parquet files (partition folders `<column>=<value>/` give their columns)
 */
export async function checkQuality(object: SchemaObject, files: string[]): Promise<QualityRuleResult[]> {
  const checks: Array<{ rule: string; column?: string; measure: string; passes: (value: number) => boolean; unit: string }> = [];
  const add = (rule: QualityRule, column?: string) => {
    const form = dqdlRule(rule, column);
    if (!('dqdl' in form)) {
      return;
    }
    const name = column === undefined ? '' : sqlIdentifier(column);
    if (form.dqdl.startsWith('RowCount')) {
      checks.push({ rule: form.dqdl, measure: 'count(*)', passes: (value) => compare(rule, value), unit: 'rows' });
    } else if (form.dqdl.startsWith('IsComplete')) {
      checks.push({ rule: form.dqdl, column, measure: `count(*) - count(${name})`, passes: (value) => value === 0, unit: 'null values' });
    } else if (form.dqdl.startsWith('IsUnique')) {
      checks.push({ rule: form.dqdl, column, measure: `count(${name}) - count(DISTINCT ${name})`, passes: (value) => value === 0, unit: 'duplicate values' });
    }
  };
  (object.quality ?? []).forEach((rule) => add(rule));
  for (const property of object.properties ?? []) {
    (property.quality ?? []).forEach((rule) => add(rule, property.name));
  }
  if (checks.length === 0) {
    return [];
  }
  const session = await DuckDbSession.open();
  try {
    const source = files.length === 0
      ? `(SELECT ${(object.properties ?? []).map((property) => `NULL AS ${sqlIdentifier(property.name ?? '')}`).join(', ') || 'NULL AS none'} WHERE false)`
      : `read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true)`;
    const { rows } = await session.rows(`SELECT ${checks.map((check, index) => `CAST(${check.measure} AS BIGINT) AS m${index}`).join(', ')} FROM ${source}`);
    return checks.map((check, index) => {
      const value = Number(rows[0][`m${index}`]);
      return { rule: check.rule, column: check.column, passed: check.passes(value), measured: `${value} ${check.unit}` };
    });
  } finally {
    session.close();
  }
}

/** Whether a measured value meets the rule's operator (the ODCS operators, as the DQDL form compares). */
function compare(rule: QualityRule, value: number): boolean {
  if (rule.mustBe !== undefined) return value === Number(rule.mustBe);
  if (rule.mustBeGreaterThan !== undefined) return value > Number(rule.mustBeGreaterThan);
  if (rule.mustBeGreaterOrEqualTo !== undefined) return value >= Number(rule.mustBeGreaterOrEqualTo);
  if (rule.mustBeLessThan !== undefined) return value < Number(rule.mustBeLessThan);
  if (rule.mustBeLessOrEqualTo !== undefined) return value <= Number(rule.mustBeLessOrEqualTo);
  if (rule.mustBeBetween) return value >= Number(rule.mustBeBetween[0]) && value <= Number(rule.mustBeBetween[1]);
  return false;
}
