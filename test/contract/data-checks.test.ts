import { parse } from 'yaml';
import { complementRatio, describeThreshold, meetsThreshold, Threshold, thresholdOf } from '../../src/contract/check-threshold';
import { dqdlRuleset } from '../../src/contract/contract-rendering';
import { DataCheck, dataChecks, dqdlRule, primaryKeyOf } from '../../src/contract/data-checks';
import { QualityRule, SchemaObject } from '../../src/contract/odcs-definitions';
import { sampleContract } from '../support/sample-contract';

const orders: SchemaObject = parse(sampleContract()).schema[0];

/** The sample's table with one quality rule more, on a column or (without one) on the table. */
function withRule(rule: QualityRule, column?: string): SchemaObject {
  return {
    ...orders,
    quality: column ? orders.quality : [...(orders.quality ?? []), rule],
    properties: orders.properties!.map((property) =>
      (property.name === column ? { ...property, quality: [...(property.quality ?? []), rule] } : property)),
  };
}

/** The check a rule added to the sample becomes, found by the name its id gives it. */
function checkOf(rule: QualityRule, column?: string): DataCheck {
  return dataChecks(withRule(rule, column)).checks.find((check) => check.name === `${column ? `orders.${column}` : 'orders'}.${rule.id}`)!;
}

test('the sample contract\'s table becomes its checks, each with a stable name, its threshold and the SQL that counts its failing rows', () => {
  const { checks, unchecked } = dataChecks(orders);
  expect(checks.map((check) => `${check.name} ${check.kind} ${describeThreshold(check.threshold)}`)).toEqual([
    'orders.order_id.present columnPresent must be 0 rows',
    'orders.order_id.type columnType must be 0 rows',
    'orders.order_id.required required must be 0 rows',
    'orders.order_id.unique unique must be 0 rows',
    'orders.customer_email.present columnPresent must be 0 rows',
    'orders.customer_email.type columnType must be 0 rows',
    'orders.order_total.present columnPresent must be 0 rows',
    'orders.order_total.type columnType must be 0 rows',
    'orders.order_total.required required must be 0 rows',
    'orders.currency.present columnPresent must be 0 rows',
    'orders.currency.type columnType must be 0 rows',
    'orders.ordered_at.present columnPresent must be 0 rows',
    'orders.ordered_at.type columnType must be 0 rows',
    'orders.ordered_at.required required must be 0 rows',
    'orders.primaryKey primaryKey must be 0 rows',
    'orders.rowCount rowCount must be > 0 rows',
    'orders.order_id.nullValues nullValues must be 0 rows',
  ]);
  expect(unchecked).toEqual([]);
  const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
  expect(byName['orders.order_total.required'].sql).toEqual({
    metric: 'SELECT count(*) FROM "orders" WHERE "order_total" IS NULL',
    failingRows: 'SELECT * FROM "orders" WHERE "order_total" IS NULL',
  });
  // A value's type is checked on the files as they hold it, before it is cast.
  expect(byName['orders.order_total.type'].sql.metric).toBe('SELECT count(*) FROM "orders:files" WHERE "order_total" IS NOT NULL AND (TRY_CAST("order_total" AS DECIMAL(12,2)) IS NULL)');
  expect(byName['orders.order_total.type'].type).toEqual({ glueType: 'decimal(12,2)', castTo: 'DECIMAL(12,2)' });
  expect(byName['orders.rowCount'].sql).toEqual({ metric: 'SELECT count(*) FROM "orders"' });
});

test('the schema\'s promises have DQDL forms: ColumnExists, IsComplete, IsUnique, IsPrimaryKey', () => {
  const glue = Object.fromEntries(dataChecks(orders).checks.filter((check) => check.origin === 'schema').map((check) => [check.name, check.glue]));
  expect(glue['orders.order_id.present']).toEqual({ dqdl: 'ColumnExists "order_id"' });
  expect(glue['orders.order_id.required']).toEqual({ dqdl: 'IsComplete "order_id"' });
  expect(glue['orders.order_id.unique']).toEqual({ dqdl: 'IsUnique "order_id"' });
  expect(glue['orders.primaryKey']).toEqual({ dqdl: 'IsPrimaryKey "order_id"' });
  expect(glue['orders.order_id.type']).toEqual({ unenforced: 'the Glue table declares the column\'s type' });
});

test('a composite primary key is its columns in primaryKeyPosition order: together never null and never twice', () => {
  const lines: SchemaObject = {
    name: 'lines',
    properties: [
      { name: 'line', primaryKey: true, primaryKeyPosition: 2 },
      { name: 'note' },
      { name: 'order_id', primaryKey: true, primaryKeyPosition: 1 },
    ],
  };
  expect(primaryKeyOf(lines)).toEqual(['order_id', 'line']);
  const key = dataChecks(lines).checks.find((check) => check.kind === 'primaryKey')!;
  expect(key.name).toBe('lines.primaryKey');
  expect(key.columns).toEqual(['order_id', 'line']);
  expect(key.glue).toEqual({ dqdl: 'IsPrimaryKey "order_id" "line"' });
  expect(key.sql.metric).toBe(
    'SELECT count(*) FILTER (WHERE "order_id" IS NULL OR "line" IS NULL) + count(*) FILTER (WHERE "order_id" IS NOT NULL AND "line" IS NOT NULL) ' +
      '- count(DISTINCT ("order_id", "line")) FILTER (WHERE "order_id" IS NOT NULL AND "line" IS NOT NULL) FROM "lines"',
  );
});

describe('each kind of quality rule is one check: its DQDL and its local check compare the same metric with the same threshold', () => {
  // The rule, where it goes, the DQDL it becomes (undefined: none), and the SQL condition of a failing row.
  const kinds: Array<[string, QualityRule, string | undefined, string | undefined, string]> = [
    ['rowCount', { metric: 'rowCount', mustBeBetween: [100, 120] }, undefined, 'RowCount between 100 and 120', 'SELECT count(*) FROM "orders"'],
    ['rowCount with mustNotBe', { metric: 'rowCount', mustNotBe: 0 }, undefined, 'RowCount != 0', 'SELECT count(*) FROM "orders"'],
    ['nullValues at 0', { metric: 'nullValues', mustBe: 0 }, 'currency', 'IsComplete "currency"', '"currency" IS NULL'],
    ['nullValues in percent', { metric: 'nullValues', mustBeLessThan: 5, unit: 'percent' }, 'currency', 'Completeness "currency" > 0.95', '"currency" IS NULL'],
    ['nullValues in rows', { metric: 'nullValues', mustBeLessThan: 5 }, 'currency', undefined, '"currency" IS NULL'],
    ['duplicateValues at 0', { metric: 'duplicateValues', mustBe: 0 }, 'currency', 'IsUnique "currency"', 'count(*) OVER (PARTITION BY "currency") > 1'],
    ['duplicateValues of columns together', { metric: 'duplicateValues', mustBe: 0, arguments: { properties: ['customer_email', 'ordered_at'] } }, undefined, 'IsUnique "customer_email" "ordered_at"', 'count(*) OVER (PARTITION BY "customer_email", "ordered_at") > 1'],
    ['invalidValues at 0', { metric: 'invalidValues', mustBe: 0, arguments: { validValues: ['EUR', 'USD'] } }, 'currency', 'ColumnValues "currency" in ["EUR","USD",NULL]', '"currency" IS NOT NULL AND (CAST("currency" AS VARCHAR) NOT IN (\'EUR\', \'USD\'))'],
    ['invalidValues in percent', { metric: 'invalidValues', mustBeLessOrEqualTo: 5, unit: 'percent', arguments: { validValues: ['EUR', 'USD'] } }, 'currency', 'ColumnValues "currency" in ["EUR","USD",NULL] with threshold >= 0.95', 'NOT IN (\'EUR\', \'USD\')'],
    ['invalidValues by pattern', { metric: 'invalidValues', mustBe: 0, arguments: { pattern: '^[A-Z]{3}$' } }, 'currency', undefined, 'NOT regexp_matches(CAST("currency" AS VARCHAR), \'^[A-Z]{3}$\')'],
    ['missingValues', { metric: 'missingValues', mustBeLessThan: 10, arguments: { missingValues: [null, '', 'N/A'] } }, 'currency', undefined, '("currency" IS NULL OR CAST("currency" AS VARCHAR) IN (\'\', \'N/A\'))'],
  ];
  test.each(kinds)('%s', (_kind, written, column, dqdl, failing) => {
    const rule = { id: 'under_test', ...written };
    const check = checkOf(rule, column);
    const threshold = thresholdOf(rule) as Threshold;
    // One threshold, read once from the rule.
    expect(check.threshold).toEqual(threshold);
    expect(check.glue).toEqual(dqdl === undefined ? { unenforced: expect.stringContaining('has no Glue Data Quality form') } : { dqdl });
    expect(dqdlRule(rule, column)).toEqual(check.glue);
    expect(`${check.sql.metric} ${check.sql.failingRows ?? ''}`).toContain(failing);
    // The deployed ruleset is made of the same DQDL.
    const ruleset = dqdlRuleset(withRule(rule, column));
    if (dqdl !== undefined) {
      expect(ruleset.ruleset).toContain(dqdl);
    } else {
      expect(ruleset.unsupported).toContainEqual(expect.stringContaining((check.glue as { unenforced: string }).unenforced));
    }
  });
});

test('the deployed ruleset is the quality rules\' checks in DQDL, unchanged for the sample contract', () => {
  expect(dqdlRuleset(orders)).toEqual({ ruleset: 'Rules = [\n  RowCount > 0,\n  IsComplete "order_id"\n]', enforced: 2, unsupported: [] });
  const fromChecks = dataChecks(orders).checks.filter((check) => check.origin === 'quality').map((check) => (check.glue as { dqdl: string }).dqdl);
  expect(dqdlRuleset(orders).ruleset).toBe(`Rules = [\n  ${fromChecks.join(',\n  ')}\n]`);
});

test('a threshold passes locally exactly where its DQDL comparison passes in Glue (between excludes its bounds in both)', () => {
  const between: Threshold = { operator: 'mustBeBetween', value: [100, 120], unit: 'rows' };
  expect([99, 100, 101, 119, 120, 121].map((rows) => meetsThreshold(between, rows))).toEqual([false, false, true, true, false, false]);
  const outside: Threshold = { operator: 'mustNotBeBetween', value: [100, 120], unit: 'rows' };
  expect([100, 110, 120].map((rows) => meetsThreshold(outside, rows))).toEqual([true, false, true]);
  expect(meetsThreshold({ operator: 'mustBeLessOrEqualTo', value: 5, unit: 'percent' }, 5)).toBe(true);
  expect(meetsThreshold({ operator: 'mustBeLessThan', value: 5, unit: 'percent' }, 5)).toBe(false);
  // At most 7 % null is a completeness of at least 0.93, written as DQDL writes numbers.
  expect(complementRatio({ operator: 'mustBeLessOrEqualTo', value: 7, unit: 'percent' })).toEqual({ operator: 'mustBeGreaterOrEqualTo', value: 0.93, unit: 'rows' });
  expect(complementRatio({ operator: 'mustBeBetween', value: [1, 5], unit: 'percent' })).toEqual({ operator: 'mustBeBetween', value: [0.95, 0.99], unit: 'rows' });
});

test('rules no check comes from are listed with why, and a metric repeated on a column gets a numbered name', () => {
  const object: SchemaObject = {
    name: 't',
    quality: [{ type: 'sql', name: 'no future orders', query: 'SELECT 1' }, { metric: 'nullValues', mustBe: 0 }],
    properties: [{ name: 'c', quality: [{ metric: 'nullValues', mustBe: 0 }, { metric: 'nullValues', mustBeLessThan: 2, unit: 'percent' }, { id: 'c_valid', metric: 'invalidValues', mustBe: 0 }, { metric: 'rowCount', mustBe: 1 }, { metric: 'nullValues', mustBe: 0, unit: 'lines' }] }],
  };
  const { checks, unchecked } = dataChecks(object);
  expect(checks.filter((check) => check.origin === 'quality').map((check) => check.name)).toEqual(['t.c.nullValues', 't.c.nullValues#2']);
  expect(unchecked.map(({ element, reason }) => `${element}: ${reason}`)).toEqual([
    't: a sql rule is not a metric of the standard',
    't: nullValues is a column\'s metric: give it in the column\'s quality',
    't.c: invalidValues needs arguments.validValues or arguments.pattern',
    't.c: rowCount counts a table\'s rows: give it in the table\'s quality',
    't.c: unit "lines" is neither rows nor percent',
  ]);
});
