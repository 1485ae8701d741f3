import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse, stringify } from 'yaml';
import type { CheckResult, ContractDataTest } from '../../src/contract';
import { CommandFailedError, exec } from '../../src/util/exec';
import { PACKAGE_ROOT } from '../support/packed-template';
import { sampleContract } from '../support/sample-contract';
import { runSdlfMesh, SDLF_MESH_CLI } from '../support/sdlf-mesh-cli';

// `sdlf-mesh contract test` as a user runs it: the compiled command in a process of its own (it
// loads DuckDB with a real import()), on files the tests write from the sample contract: CSV and
// JSON lines as text, Parquet with DuckDB.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-test-'));
const at = (...names: string[]) => path.join(dir, ...names);

/** An e-mail address in the data: the customer_email column is sensitive (restricted, pii). */
const EMAIL = 'alice.secret@example.com';
const COLUMNS = ['order_id', 'customer_email', 'order_total', 'currency', 'ordered_at'];
type Row = Record<string, string | null>;
const GOOD: Row[] = [
  { order_id: 'o-1', customer_email: EMAIL, order_total: '12.50', currency: 'EUR', ordered_at: '2024-06-01 10:00:00' },
  { order_id: 'o-2', customer_email: 'bob@example.com', order_total: '7.00', currency: 'USD', ordered_at: '2024-06-01 11:30:00' },
  { order_id: 'o-3', customer_email: null, order_total: '0.00', currency: 'EUR', ordered_at: '2024-06-02 09:15:00' },
];

/** A CSV file with a header; an empty cell is null. */
function writeCsv(file: string, rows: Row[], columns = COLUMNS): string {
  const cell = (value: string | null) => (value !== null && /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value ?? '');
  fs.mkdirSync(path.dirname(at(file)), { recursive: true });
  fs.writeFileSync(at(file), [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\n') + '\n');
  return at(file);
}

function writeJsonLines(file: string, rows: Row[]): string {
  fs.writeFileSync(at(file), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return at(file);
}

/** A Parquet file made by DuckDB from rows, each column of the type given (SQL). */
async function writeParquet(file: string, rows: Row[], types: Record<string, string>): Promise<string> {
  const source = writeCsv(`${file}.source.csv`, rows);
  fs.mkdirSync(path.dirname(at(file)), { recursive: true });
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const columns = COLUMNS.map((column) => `CAST(${column} AS ${types[column] ?? 'VARCHAR'}) AS ${column}`).join(', ');
  await connection.run(`COPY (SELECT ${columns} FROM read_csv('${source}', header = true, all_varchar = true)) TO '${at(file)}' (FORMAT PARQUET)`);
  connection.closeSync();
  db.closeSync();
  fs.rmSync(source);
  return at(file);
}

const TYPED = { order_total: 'DECIMAL(12,2)', ordered_at: 'TIMESTAMP' };

/** The sample contract, changed by `edit`, in a folder of its own (the file is named after the data product). */
function writeContract(name: string, edit: (contract: any) => void = () => undefined): string {
  const contract = parse(sampleContract());
  edit(contract);
  fs.mkdirSync(at(name), { recursive: true });
  fs.writeFileSync(at(name, 'orders.yaml'), stringify(contract));
  return at(name, 'orders.yaml');
}

const column = (contract: any, name: string) => contract.schema[0].properties.find((property: any) => property.name === name);

let CONTRACT: string;
let GOOD_CSV: string;
let GOOD_JSON: string;

beforeAll(() => {
  CONTRACT = writeContract('sample');
  GOOD_CSV = writeCsv('good/orders.csv', GOOD);
  GOOD_JSON = writeJsonLines('good.jsonl', GOOD);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the command with a JSON report written to a file: the exit code, the log, and the report. */
async function contractTest(...args: string[]): Promise<{ exitCode: number; output: string; report: ContractDataTest }> {
  const output = at(`report-${Math.random().toString(36).slice(2)}.json`);
  const run = await runSdlfMesh(['contract', 'test', ...args, '--format', 'json', '--output', output]);
  expect(fs.existsSync(output)).toBe(true);
  return { exitCode: run.exitCode, output: run.output, report: JSON.parse(fs.readFileSync(output, 'utf8')) };
}

function result(report: ContractDataTest, name: string): CheckResult {
  const found = report.results.find((candidate) => candidate.name === name);
  expect(found).toBeDefined();
  return found!;
}

const failed = (report: ContractDataTest) => report.results.filter((check) => check.status === 'failed').map((check) => check.name);

describe('good data passes in every format', () => {
  test('CSV: every check passes, the log says so, and the exit code is 0', async () => {
    const { exitCode, output, report } = await contractTest(CONTRACT, GOOD_CSV);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ dataProduct: 'orders', table: 'orders', format: 'csv', rows: 3, passed: true, extraColumns: [], unchecked: [] });
    expect(report.results.every((check) => check.status === 'passed')).toBe(true);
    expect(report.results).toHaveLength(17);
    expect(result(report, 'orders.rowCount')).toMatchObject({ count: 3, message: '3 rows (must be > 0 rows)', dqdl: 'RowCount > 0' });
    expect(output).toContain('  PASS  orders.order_id.required       0 failing rows (must be 0 rows)');
    expect(output).toContain('PASSED: 17 checks passed.');
  });

  test('JSON lines and Parquet, read from a folder at any depth', async () => {
    const json = await contractTest(CONTRACT, GOOD_JSON);
    expect([json.exitCode, json.report.format, json.report.rows, failed(json.report)]).toEqual([0, 'json', 3, []]);

    await writeParquet('parquet/2024/06/part-0.parquet', GOOD.slice(0, 2), TYPED);
    await writeParquet('parquet/2024/06/part-1.parquet', GOOD.slice(2), TYPED);
    fs.writeFileSync(at('parquet', '_SUCCESS'), '');
    const parquet = await contractTest(CONTRACT, at('parquet'));
    expect([parquet.exitCode, parquet.report.format, parquet.report.files.length, parquet.report.rows, failed(parquet.report)]).toEqual([0, 'parquet', 2, 3, []]);
    expect(result(parquet.report, 'orders.order_total.type').message).toBe('the files hold DECIMAL(12,2), a decimal(12,2)');
  });

  test('hive-style folders are partition columns, checked like any column', async () => {
    const contract = writeContract('partitioned', (document) => {
      document.schema[0].properties.push({ name: 'order_date', logicalType: 'date', physicalType: 'date', partitioned: true, partitionKeyPosition: 1, required: true });
      // A partitioned table is written by a Glue stage (a Lambda stage writes no partitions).
      document.customProperties.find((property: any) => property.property === 'sdlfPipeline').value.stages = [{ name: 'heavy-transform', type: 'glue' }];
    });
    await writeParquet('partitioned/data/order_date=2024-06-01/part-0.parquet', GOOD.slice(0, 2), TYPED);
    await writeParquet('partitioned/data/order_date=2024-06-02/part-0.parquet', GOOD.slice(2), TYPED);
    const good = await contractTest(contract, at('partitioned', 'data'));
    expect([good.exitCode, failed(good.report)]).toEqual([0, []]);
    expect(result(good.report, 'orders.order_date.type').status).toBe('passed');

    await writeParquet('partitioned/data/order_date=sometime/part-0.parquet', [{ ...GOOD[0], order_id: 'o-9' }], TYPED);
    const bad = await contractTest(contract, at('partitioned', 'data'));
    expect(bad.exitCode).toBe(1);
    // The folder's name is no date: it does not cast, and the date is null in the table.
    expect(failed(bad.report)).toEqual(['orders.order_date.type', 'orders.order_date.required']);
    expect(result(bad.report, 'orders.order_date.type')).toMatchObject({ count: 1, samples: [{ order_id: 'o-9', order_date: 'sometime' }] });
  });
});

describe('each kind of bad data fails, naming the rule, the count and the threshold', () => {
  test('a missing column: its presence fails, the checks that read it are not run', async () => {
    const { exitCode, output, report } = await contractTest(CONTRACT, writeCsv('missing/orders.csv', GOOD, COLUMNS.filter((name) => name !== 'currency')));
    expect(exitCode).toBe(1);
    expect(failed(report)).toEqual(['orders.currency.present']);
    expect(result(report, 'orders.currency.present').message).toBe('not in the files (their columns: order_id, customer_email, order_total, ordered_at)');
    expect(result(report, 'orders.currency.type')).toMatchObject({ status: 'skipped', message: 'not run: currency is not in the files' });
    expect(output).toContain('  FAIL  orders.currency.present');
    expect(output).toContain('FAILED: 1 of 17 checks failed, 1 not run.');
  });

  test('a wrong type: in CSV a value that does not cast, in Parquet a physical type that is not the declared one', async () => {
    const rows = GOOD.map((row, index) => (index === 1 ? { ...row, order_total: 'seven' } : row));
    const text = await contractTest(CONTRACT, writeCsv('wrong-type/orders.csv', rows));
    expect(text.exitCode).toBe(1);
    expect(result(text.report, 'orders.order_total.type')).toMatchObject({
      status: 'failed', count: 1, message: '1 failing row whose value is no decimal(12,2) (must be 0 rows)', samples: [{ order_id: 'o-2', order_total: 'seven' }],
    });
    // As a Glue table reads it, a value that does not cast is null: the required column fails too.
    expect(failed(text.report)).toEqual(['orders.order_total.type', 'orders.order_total.required']);

    const parquet = await contractTest(CONTRACT, await writeParquet('wrong-type/orders.parquet', GOOD, { ...TYPED, order_total: 'DOUBLE' }));
    expect(parquet.exitCode).toBe(1);
    expect(failed(parquet.report)).toEqual(['orders.order_total.type']);
    expect(result(parquet.report, 'orders.order_total.type').message).toBe('the files hold DOUBLE where decimal(12,2) is declared (3 failing rows with a value)');
  });

  test('a null in a required column', async () => {
    const rows = GOOD.map((row, index) => (index === 2 ? { ...row, ordered_at: null } : row));
    const { report, output } = await contractTest(CONTRACT, writeCsv('null/orders.csv', rows));
    expect(failed(report)).toEqual(['orders.ordered_at.required']);
    expect(result(report, 'orders.ordered_at.required')).toMatchObject({ count: 1, threshold: { operator: 'mustBe', value: 0, unit: 'rows' }, dqdl: 'IsComplete "ordered_at"', samples: [{ order_id: 'o-3', ordered_at: null }] });
    expect(output).toContain('  FAIL  orders.ordered_at.required     1 failing row (must be 0 rows)\n          order_id="o-3", ordered_at=null');
  });

  test('a duplicate in the unique column that is the primary key, and a null in the key', async () => {
    const rows = [...GOOD, { ...GOOD[0], order_total: '99.00' }, { ...GOOD[1], order_id: null }];
    const { report } = await contractTest(CONTRACT, writeCsv('duplicate/orders.csv', rows));
    expect(failed(report)).toEqual(['orders.order_id.required', 'orders.order_id.unique', 'orders.primaryKey', 'orders.order_id.nullValues']);
    expect(result(report, 'orders.order_id.unique')).toMatchObject({ count: 1, samples: [{ order_id: 'o-1' }, { order_id: 'o-1' }] });
    // The key fails once for the duplicate and once for the null.
    expect(result(report, 'orders.primaryKey')).toMatchObject({ count: 2, dqdl: 'IsPrimaryKey "order_id"' });
  });

  test('a broken rowCount: a delivery without rows', async () => {
    const { exitCode, report } = await contractTest(CONTRACT, writeCsv('empty/orders.csv', []));
    expect(exitCode).toBe(1);
    expect(failed(report)).toEqual(['orders.rowCount']);
    expect(result(report, 'orders.rowCount')).toMatchObject({ count: 0, message: '0 rows (must be > 0 rows)' });
  });

  test('invalid values, and a threshold in percent, compared as Glue Data Quality compares them', async () => {
    const contract = writeContract('valid-values', (document) => {
      column(document, 'currency').quality = [
        { id: 'known_currency', metric: 'invalidValues', arguments: { validValues: ['EUR', 'USD'] }, mustBe: 0 },
        { id: 'mostly_known_currency', metric: 'invalidValues', arguments: { validValues: ['EUR'] }, mustBeLessThan: 40, unit: 'percent' },
      ];
    });
    const rows = [...GOOD, { ...GOOD[0], order_id: 'o-4', currency: 'XXX' }, { ...GOOD[0], order_id: 'o-5', currency: null }];
    const { report } = await contractTest(contract, writeCsv('valid-values/orders.csv', rows));
    expect(failed(report)).toEqual(['orders.currency.known_currency', 'orders.currency.mostly_known_currency']);
    // A null is missing, not invalid.
    expect(result(report, 'orders.currency.known_currency')).toMatchObject({
      count: 1, samples: [{ order_id: 'o-4', currency: 'XXX' }], dqdl: 'ColumnValues "currency" in ["EUR","USD",NULL]',
    });
    expect(result(report, 'orders.currency.mostly_known_currency')).toMatchObject({
      count: 2, metric: 40, message: '2 failing rows = 40 % (must be < 40 %)', dqdl: 'ColumnValues "currency" in ["EUR",NULL] with threshold > 0.6',
    });
  });
});

describe('a sensitive column\'s values are never printed', () => {
  // customer_email (restricted, pii) made unique, with a duplicate: its failing rows are the ones to hide.
  let contract: string;
  let data: string;
  beforeAll(() => {
    contract = writeContract('sensitive', (document) => {
      column(document, 'customer_email').unique = true;
      document.schema[0].properties.forEach((property: any) => delete property.primaryKey);
    });
    data = writeCsv('sensitive/orders.csv', [...GOOD, { ...GOOD[1], order_id: 'o-4', customer_email: EMAIL }]);
  });

  test.each(['text', 'json', 'junit'])('in the %s report, in the log and in the file', async (format) => {
    const report = at('sensitive', `report.${format}`);
    const run = await runSdlfMesh(['contract', 'test', contract, data, '--format', format, '--output', report, '--samples', '10']);
    expect(run.exitCode).toBe(1);
    const written = fs.readFileSync(report, 'utf8');
    for (const text of [run.output, written]) {
      expect(text).toContain('***');
      expect(text).not.toContain(EMAIL);
      expect(text).not.toContain('alice.secret');
    }
    // Without a primary key a failing row shows every column: the others are shown as they are.
    expect(run.output).toContain('order_id="o-1", customer_email="***", order_total="12.50", currency="EUR", ordered_at="2024-06-01 10:00:00"');
  });

  test('nor in the column names of a file whose first line is no header', async () => {
    const file = at('sensitive', 'headerless.csv');
    fs.writeFileSync(file, `o-1,${EMAIL},12.50,EUR,2024-06-01 10:00:00\n`);
    const run = await runSdlfMesh(['contract', 'test', contract, file]);
    expect(run.exitCode).toBe(1);
    expect(run.output).toContain('FAIL  orders.order_id.present        not in the files (nor is any column of the contract: is their first line the header, comma-separated?)');
    expect(run.output).not.toContain(EMAIL);
  });

  test('nor in the error of a file DuckDB cannot read', async () => {
    const file = at('sensitive', 'broken.csv');
    fs.writeFileSync(file, `order_id,customer_email\no-1,${EMAIL}\no-2,${EMAIL},x,y\n`);
    const run = await runSdlfMesh(['contract', 'test', contract, file]);
    expect(run.exitCode).toBe(1);
    expect(run.output.trim()).toMatch(/^Invalid option ".*broken\.csv": DuckDB cannot read the files as CSV \(.*\): check that they are comma-separated with a header, every row with as many cells as the header$/);
    expect(run.output).not.toContain(EMAIL);
  });
});

test('the JUnit report is well-formed XML with a test case per check, failed as the checks failed', async () => {
  const report = at('test-reports', 'orders-data.xml');
  const rows = GOOD.map((row, index) => (index === 0 ? { ...row, order_total: 'ten & <b>"more"</b>\u0001' } : row));
  const run = await runSdlfMesh(['contract', 'test', CONTRACT, writeCsv('junit/orders.csv', rows, COLUMNS.filter((name) => name !== 'currency')), '--format', 'junit', '--output', report]);
  expect(run.exitCode).toBe(1);
  const xml = fs.readFileSync(report, 'utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
  const suite = parsed.testsuites.testsuite;
  expect([parsed.testsuites.tests, parsed.testsuites.failures, parsed.testsuites.skipped]).toEqual(['17', '3', '1']);
  expect(suite.name).toBe('orders.orders');
  expect(suite.testcase).toHaveLength(17);
  const failures = suite.testcase.filter((testcase: any) => testcase.failure);
  expect(failures.map((testcase: any) => testcase.name)).toEqual(['orders.order_total.type', 'orders.order_total.required', 'orders.currency.present']);
  expect(failures[0].failure.message).toBe('1 failing row whose value is no decimal(12,2) (must be 0 rows)');
  expect(failures[0].failure['#text']).toContain('order_total="ten & <b>\\"more\\"</b>\\u0001"');
  expect(suite.testcase.find((testcase: any) => testcase.name === 'orders.currency.type').skipped.message).toBe('not run: currency is not in the files');
});

describe('bad input is one line naming the argument and the fix, exit code 1, no stack trace', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['no data', () => [CONTRACT], /^Invalid option "files": give the data files or folders to test/],
    ['a missing file', () => [CONTRACT, at('nowhere.csv')], /^Invalid option ".*nowhere\.csv": no such file or folder: give a data file or a folder of them$/],
    ['an unknown extension', () => [CONTRACT, writeCsv('orders.txt', GOOD)], /^Invalid option ".*orders\.txt": not a data file by its extension: the engine reads CSV \(\.csv\), JSON lines/],
    ['formats mixed', () => [CONTRACT, GOOD_CSV, GOOD_JSON], /^Invalid option ".*": the files mix CSV \(.*orders\.csv\) and JSON lines \(.*good\.jsonl\): test each format on its own$/],
    ['a missing contract', () => [at('nowhere.yaml'), GOOD_CSV], /^Invalid option ".*nowhere\.yaml": no such contract file: give the data product's contract, e.g\. dataproducts\/orders\.yaml$/],
    ['a contract that does not lint', () => [writeContract('invalid', (document) => (document.kind = 'Contract')), GOOD_CSV], /^Invalid option ".*orders\.yaml": the contract does not lint \(.*orders\.yaml:\d+:\d+: .*\): fix it first, `sdlf-mesh contract lint .*orders\.yaml` lists every problem$/],
    ['a table the contract does not have', () => [CONTRACT, GOOD_CSV, '--table', 'customers'], /^Invalid option "table": "customers" is not a table of .*orders\.yaml: its tables are orders$/],
    ['a format of no report', () => [CONTRACT, GOOD_CSV, '--format', 'xml'], /^Invalid option "--format": "xml" is not a format of the report: text, json, junit$/],
    ['samples that are no number', () => [CONTRACT, GOOD_CSV, '--samples', 'few'], /^Invalid option "--samples": "few" is not a number of rows/],
  ];
  test.each(cases)('%s', async (_case, args, message) => {
    const run = await runSdlfMesh(['contract', 'test', ...args()]);
    expect(run.exitCode).toBe(1);
    expect(run.output.trim()).toMatch(message);
    expect(run.output.trim().split('\n')).toHaveLength(1);
  });

  test('DuckDB not installed: the package and the command that installs it', async () => {
    // The command as installed without @duckdb/node-api: the package's files and its other
    // dependencies by symbolic links, which node follows as paths (--preserve-symlinks).
    const install = at('without-duckdb');
    fs.mkdirSync(path.join(install, 'node_modules'), { recursive: true });
    for (const entry of ['lib', 'blueprints', 'package.json']) {
      fs.symlinkSync(path.join(PACKAGE_ROOT, entry), path.join(install, entry));
    }
    for (const entry of fs.readdirSync(path.join(PACKAGE_ROOT, 'node_modules')).filter((name) => name !== '@duckdb' && name !== '.bin')) {
      fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules', entry), path.join(install, 'node_modules', entry));
    }
    const cli = path.join(install, path.relative(PACKAGE_ROOT, SDLF_MESH_CLI));
    const run = await exec(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', cli, 'contract', 'test', CONTRACT, GOOD_CSV], { cwd: dir }).then(
      ({ stdout }) => ({ exitCode: 0, output: stdout }),
      (error: CommandFailedError) => ({ exitCode: error.exitCode, output: error.output }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.output.trim()).toBe('sdlf-mesh: sdlf-mesh runs the contract\'s checks in DuckDB, from the npm package @duckdb/node-api, which is not installed here: npm install --save-dev @duckdb/node-api (a domain repository generated by sdlf-mesh has it)');
  });
});
