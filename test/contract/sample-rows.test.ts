/**
 * The sample a new data product's data test starts with is made from its contract, and it keeps
 * the contract: `contract test` (real DuckDB) passes on it, whatever the types, examples, valid
 * values, unique columns and row count the contract asks for.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintContractText } from '../../src/contract/lint-contract';
import { sampleCsv } from '../../src/contract/sample-rows';
import { testContractData } from '../../src/contract/test-contract-data';
import { sampleContract } from '../support/sample-contract';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-rows-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The sample made from a contract's first table, and `contract test` of the contract on it. */
async function sampleAndTest(name: string, contract: string) {
  const contractFile = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(contractFile, contract);
  const valid = lintContractText(contractFile, contract).contract;
  expect(valid).toBeDefined();
  const csv = sampleCsv(valid!.objects[0]);
  const sample = path.join(dir, `${name}.csv`);
  fs.writeFileSync(sample, csv);
  return { csv, test: await testContractData({ contract: contractFile, data: [sample] }) };
}

const failures = (test: Awaited<ReturnType<typeof testContractData>>) =>
  test.results.filter((result) => result.status !== 'passed').map((result) => `${result.name}: ${result.message}`);

test('the template\'s sample contract: three rows of its columns, with its examples, else values of their type, the key unique', async () => {
  const { csv, test } = await sampleAndTest('orders', sampleContract('orders'));
  expect(csv.split('\n')).toEqual([
    'order_id,customer_email,order_total,currency,ordered_at',
    'order_id-1,ann@example.com,10.50,EUR,2024-05-01 10:00:00',
    'order_id-2,bob@example.com,11.50,USD,2024-05-01 10:01:00',
    'order_id-3,ann@example.com,12.50,EUR,2024-05-01 10:02:00',
    '',
  ]);
  expect(failures(test)).toEqual([]);
  expect(test.rows).toBe(3);
});

test('examples, valid values, every type, a narrow decimal, a short text and a row count of at least 10 are kept', async () => {
  const contract = sampleContract('events')
    .replace(/    properties:\n[\s\S]*?\n    quality:\n      - metric: rowCount\n        mustBeGreaterThan: 0\n/, [
      '    properties:',
      '      - { name: event_id, logicalType: integer, physicalType: bigint, required: true, unique: true, primaryKey: true, primaryKeyPosition: 1 }',
      '      - { name: kind, logicalType: string, physicalType: string, required: true, examples: ["click", "view"] }',
      '      - name: country',
      '        logicalType: string',
      '        physicalType: string',
      '        quality:',
      '          - { metric: invalidValues, arguments: { validValues: ["FR", "DE"] }, mustBe: 0 }',
      '      - { name: score, logicalType: number, physicalType: "decimal(3,2)", required: true }',
      '      - { name: ratio, logicalType: number, physicalType: double }',
      '      - { name: level, logicalType: integer, physicalType: tinyint }',
      '      - { name: happened_on, logicalType: date, physicalType: date, unique: true }',
      '      - { name: flagged, logicalType: boolean, physicalType: boolean }',
      '      - { name: code, logicalType: string, physicalType: "varchar(2)", unique: true }',
      '    quality:',
      '      - metric: rowCount',
      '        mustBeGreaterOrEqualTo: 10',
      '',
    ].join('\n'))
    .replace(/element: events\.ordered_at/, 'element: events.happened_on');
  const { csv, test } = await sampleAndTest('events', contract);
  const lines = csv.trim().split('\n');
  expect(lines).toHaveLength(11);
  expect(lines[0]).toBe('event_id,kind,country,score,ratio,level,happened_on,flagged,code');
  expect(lines[1]).toBe('1,click,FR,1.50,1.5,1,2024-05-01,true,1');
  expect(lines[2]).toBe('2,view,DE,2.50,2.5,2,2024-05-02,false,2');
  expect(failures(test)).toEqual([]);
  expect(test.rows).toBe(10);
});

test('a value with a comma or a quote is quoted as CSV quotes it', async () => {
  const contract = sampleContract('notes').replace('        examples: [EUR, USD]\n', '        examples: [\'say "hi", then go\']\n');
  expect(contract).toContain('then go');
  const { csv, test } = await sampleAndTest('notes', contract);
  expect(csv.split('\n')[1]).toContain(',"say ""hi"", then go",');
  expect(failures(test)).toEqual([]);
});
