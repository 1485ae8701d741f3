import { QUALITY_OPERATORS, QualityRule } from './odcs-definitions';

// A quality rule compares one number, its metric, with a value: the standard's operators
// (mustBe, mustBeLessThan, ..., mustBeBetween) in rows or in percent of the rows. The local check
// and Glue Data Quality read the same threshold from here, so a rule that passes on one passes
// on the other.

/** An operator of the standard, e.g. `mustBeLessThan`. */
export type QualityOperator = (typeof QUALITY_OPERATORS)[number];

/** What a threshold counts in: rows, or percent of all the rows. */
export type ThresholdUnit = 'rows' | 'percent';

/** The value a check's metric is compared with, by one of the standard's operators. */
export interface Threshold {
  readonly operator: QualityOperator;
  /** The value, or `[low, high]` for `mustBeBetween` and `mustNotBeBetween`. */
  readonly value: number | readonly [number, number];
  readonly unit: ThresholdUnit;
}

/** No failing row: the threshold of the schema's own promises (a column present, required, unique). */
export const NO_FAILING_ROW: Threshold = { operator: 'mustBe', value: 0, unit: 'rows' };

/** How each operator reads, and its DQDL comparison (DQDL's `between` excludes its bounds, as the standard's does). */
const OPERATORS: Record<QualityOperator, { words: string; dqdl: string }> = {
  mustBe: { words: 'must be', dqdl: '=' },
  mustNotBe: { words: 'must not be', dqdl: '!=' },
  mustBeGreaterThan: { words: 'must be >', dqdl: '>' },
  mustBeGreaterOrEqualTo: { words: 'must be >=', dqdl: '>=' },
  mustBeLessThan: { words: 'must be <', dqdl: '<' },
  mustBeLessOrEqualTo: { words: 'must be <=', dqdl: '<=' },
  mustBeBetween: { words: 'must be between', dqdl: 'between' },
  mustNotBeBetween: { words: 'must not be between', dqdl: 'not between' },
};

/**
 * The threshold of a quality rule, or why it has none usable: the standard gives a rule one
 * operator (its JSON Schema says exactly one); where a contract gives several, the first in the
 * standard's order is the one both engines read. `unit` is `rows` unless it says `percent`.
 */
export function thresholdOf(rule: QualityRule): Threshold | { readonly problem: string } {
  const unit = rule.unit ?? 'rows';
  if (unit !== 'rows' && unit !== 'percent') {
    return { problem: `unit "${rule.unit}" is neither rows nor percent` };
  }
  const operator = QUALITY_OPERATORS.find((name) => rule[name] !== undefined);
  if (operator === undefined) {
    return { problem: `it has no operator (${QUALITY_OPERATORS.join(', ')})` };
  }
  const value = rule[operator]!;
  return { operator, value: Array.isArray(value) ? [value[0], value[1]] : (value as number), unit };
}

/** Whether a metric meets the threshold (in the threshold's unit). */
export function meetsThreshold(threshold: Threshold, metric: number): boolean {
  const value = threshold.value;
  if (Array.isArray(value)) {
    const inside = metric > value[0] && metric < value[1];
    return threshold.operator === 'mustBeBetween' ? inside : !inside;
  }
  const single = value as number;
  switch (threshold.operator) {
    case 'mustBe': return metric === single;
    case 'mustNotBe': return metric !== single;
    case 'mustBeGreaterThan': return metric > single;
    case 'mustBeGreaterOrEqualTo': return metric >= single;
    case 'mustBeLessThan': return metric < single;
    case 'mustBeLessOrEqualTo': return metric <= single;
    default: return false;
  }
}

/** The threshold in words, e.g. `must be 0 rows`, `must be < 5 %`, `must be between 1 and 10`. */
export function describeThreshold(threshold: Threshold): string {
  const unit = threshold.unit === 'percent' ? ' %' : ' rows';
  const value = Array.isArray(threshold.value) ? `${threshold.value[0]} and ${threshold.value[1]}` : `${threshold.value}`;
  return `${OPERATORS[threshold.operator].words} ${value}${unit}`;
}

/** The threshold as a DQDL comparison of the same metric, e.g. `> 0`, `between 1 and 10`. */
export function dqdlComparison(threshold: Threshold): string {
  const value = Array.isArray(threshold.value) ? `${dqdlNumber(threshold.value[0])} and ${dqdlNumber(threshold.value[1])}` : dqdlNumber(threshold.value as number);
  return `${OPERATORS[threshold.operator].dqdl} ${value}`;
}

/** The operator that compares the complement `1 - metric / 100` as this one compares a percentage. */
const COMPLEMENTS: Record<QualityOperator, QualityOperator> = {
  mustBe: 'mustBe',
  mustNotBe: 'mustNotBe',
  mustBeGreaterThan: 'mustBeLessThan',
  mustBeGreaterOrEqualTo: 'mustBeLessOrEqualTo',
  mustBeLessThan: 'mustBeGreaterThan',
  mustBeLessOrEqualTo: 'mustBeGreaterOrEqualTo',
  mustBeBetween: 'mustBeBetween',
  mustNotBeBetween: 'mustNotBeBetween',
};

/**
 * A percentage threshold on failing rows as the same threshold on the ratio of passing rows
 * (`1 - percent / 100`), which Glue Data Quality's ratio metrics measure (`Completeness`,
 * `ColumnValues ... with threshold`): at most 5 % null is a completeness of at least 0.95.
 */
export function complementRatio(threshold: Threshold): Threshold {
  const ratio = (percent: number) => Number((1 - percent / 100).toFixed(12));
  const value = Array.isArray(threshold.value)
    ? ([ratio(threshold.value[1]), ratio(threshold.value[0])] as const)
    : ratio(threshold.value as number);
  return { operator: COMPLEMENTS[threshold.operator], value, unit: 'rows' };
}

/** A number as DQDL writes it: digits and a point, never an exponent. */
function dqdlNumber(value: number): string {
  const text = `${value}`;
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}
