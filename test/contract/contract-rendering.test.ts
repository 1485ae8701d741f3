import { parse } from 'yaml';
import { classifications, dqdlRuleset, glueColumns, lakeFormationClassifications } from '../../src/contract/contract-rendering';
import { SchemaObject } from '../../src/contract/odcs-definitions';
import { sampleContract } from '../support/sample-contract';

const orders = parse(
  sampleContract(),
).schema[0];

test('Glue columns take the physical type when it is a Glue type, else the logical type', () => {
  expect(glueColumns(orders).map((column) => `${column.name} ${column.type}`)).toEqual([
    'order_id string',
    'customer_email string',
    'order_total decimal(12,2)',
    'currency string',
    'ordered_at timestamp',
  ]);
  expect(glueColumns({ name: 't', properties: [{ name: 'n', logicalType: 'integer', physicalType: 'NUMBER(38)' }, { name: 'i', physicalType: 'INTEGER' }] }).map((c) => c.type)).toEqual(['bigint', 'int']);
});

test('the table takes the strictest classification of its columns', () => {
  expect(classifications(orders)).toEqual({ table: 'restricted', columns: { customer_email: 'restricted' } });
  expect(classifications({ name: 't', properties: [{ name: 'a' }] })).toEqual({ table: undefined, columns: {} });
});

test('in Lake Formation a sensitive column is restricted whatever its classification, so that the platform\'s hook tells it apart', () => {
  const object: SchemaObject = {
    name: 'customers',
    properties: [
      { name: 'email', classification: 'confidential', tags: ['PII'] },
      { name: 'phone', tags: ['pii'] },
      { name: 'country', classification: 'public' },
      { name: 'note' },
    ],
  };
  expect(lakeFormationClassifications(object)).toEqual({ table: 'restricted', columns: { email: 'restricted', phone: 'restricted', country: 'public' } });
  expect(classifications(object).columns).toEqual({ email: 'confidential', country: 'public' });
});

test('quality rules become a Glue Data Quality ruleset, and what DQDL cannot say is listed', () => {
  expect(dqdlRuleset(orders)).toEqual({ ruleset: 'Rules = [\n  RowCount > 0,\n  IsComplete "order_id"\n]', enforced: 2, unsupported: [] });
  const object: SchemaObject = {
    name: 't',
    quality: [{ type: 'sql', name: 'no future orders', query: 'SELECT 1' }, { metric: 'rowCount', mustBeBetween: [1, 10] }],
    properties: [{ name: 'c', quality: [{ metric: 'nullValues', mustBeLessThan: 5 }, { metric: 'duplicateValues', mustBe: 0 }] }],
  };
  expect(dqdlRuleset(object)).toEqual({
    ruleset: 'Rules = [\n  RowCount between 1 and 10,\n  IsUnique "c"\n]',
    enforced: 2,
    unsupported: [
      't: no future orders: a sql rule is not a metric Glue Data Quality evaluates',
      't.c: metric nullValues with {"metric":"nullValues","mustBeLessThan":5} has no Glue Data Quality form',
    ],
  });
});
