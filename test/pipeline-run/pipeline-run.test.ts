/**
 * A data product's pipeline runs on a CSV file, offline, from the state machines of a domain app
 * synthesized with the constructs: the repository's bundled Lambda handler against the local S3
 * server, the Glue script's transform with python3, Parquet by the table's schema with DuckDB, the
 * crawler's partitions and the contract's quality rules.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lintContractText } from '../../src/contract/lint-contract';
import { sampleCsv } from '../../src/contract/sample-rows';
import { PipelineRunReport, runPipeline, runtimeNodePath } from '../../src/pipeline-run';
import { renderSampleContract } from '../../src/projects/domain-samples';
import { InvalidOptionError } from '../../src/util/invalid-option-error';
import { domainAppOf } from '../support/domain-app';
import { contractOfKind, domainRepository } from '../support/domain-repository';
import { readParquet } from '../support/parquet-reader';
import { sampleContract } from '../support/sample-contract';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const CURRENCY = '        description: ISO 4217 currency code of order_total.\n';
const SAMPLE_STAGES = '      stages:\n        - name: light-transform\n          type: lambda\n';

/** The sample contract with a Glue stage alone, its table partitioned by currency. */
function glueOnlyContract(dataProduct: string): string {
  return sampleContract(dataProduct)
    .replace(SAMPLE_STAGES, '      stages:\n        - name: heavy-transform\n          type: glue\n')
    .replace(CURRENCY, `${CURRENCY}        partitioned: true\n`);
}

const CSV = [
  'order_id,customer_email,order_total,currency,ordered_at',
  '1,ann@example.com,12.50,EUR,2024-05-01T10:00:00Z',
  '2, bob@example.com ,7,USD,2024-05-01 11:30:00',
  '3,,not a number,EUR,2024-05-02 09:15:00',
].join('\n') + '\n';

let repo: string;
let assembly: string;
let csvFile: string;

beforeAll(() => {
  repo = domainRepository({
    events: glueOnlyContract('events'),
    shipments: contractOfKind('lambda-glue', 'shipments'),
    refunds: contractOfKind('lambda', 'refunds'),
    orders: contractOfKind('lambda', 'orders'),
    broken: contractOfKind('lambda', 'broken'),
    drafts: renderSampleContract('sales', 'sales-data@example.com', 'drafts', 'draft'),
  });
  // A transform that breaks the contract: it drops a required column, and loses one order's key.
  const broken = path.join(repo, 'src', 'stages', 'broken', 'light-transform.ts');
  const brokenCode = fs.readFileSync(broken, 'utf8').replace(
    /export function transform\(record: StageRecord\): StageRecord \| undefined \{/,
    '$&\n  const { order_total: _dropped, ...kept } = record;\n  return { ...kept, order_id: String(record.order_id).endsWith(\'-2\') ? null : record.order_id };',
  );
  fs.writeFileSync(broken, brokenCode);
  // Each data product's sample, made from its contract as a new data product gets it.
  for (const dataProduct of ['orders', 'shipments', 'broken', 'drafts']) {
    const contract = lintContractText(`${dataProduct}.yaml`, fs.readFileSync(path.join(repo, 'dataproducts', `${dataProduct}.yaml`), 'utf8')).contract!;
    fs.mkdirSync(path.join(repo, 'test', 'data', dataProduct), { recursive: true });
    fs.writeFileSync(path.join(repo, 'test', 'data', dataProduct, `${dataProduct}.csv`), sampleCsv(contract.objects[0]));
  }
  // A handler that refuses its input: the run must fail at the state that calls it.
  const refunds = path.join(repo, 'src', 'stages', 'refunds', 'light-transform.ts');
  const skeleton = fs.readFileSync(refunds, 'utf8');
  const refusing = skeleton.replace(/export function transform\(record: StageRecord\): StageRecord \| undefined \{/, '$&\n  throw new Error(`refused order ${record.order_id}`);');
  expect(refusing).not.toBe(skeleton);
  fs.writeFileSync(refunds, refusing);
  assembly = domainAppOf(repo).synth().directory;
  csvFile = path.join(repo, 'orders.csv');
  fs.writeFileSync(csvFile, CSV);
});

const run = (dataProduct: string, extra: { environment?: string; file?: string; assemblyDir?: string } = {}) =>
  runPipeline({
    dataProduct,
    file: extra.file ?? csvFile,
    assemblyDir: extra.assemblyDir ?? assembly,
    environment: extra.environment,
    contractsDir: path.join(repo, 'dataproducts'),
    workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-run-')),
    nodePath: runtimeNodePath(repo),
    day: '2024-05-03',
  });

/** The name and type of every Parquet column of `files`, and their rows in order of order_id. */
async function readOrders(files: string[]) {
  const { columns, rows } = await readParquet(files);
  const byOrderId = [...rows].sort((a, b) => String(a.order_id).localeCompare(String(b.order_id)));
  return { schema: Object.fromEntries(columns.map((column) => [column.name, column.type])), rows: byOrderId };
}

const statesOf = (report: PipelineRunReport) =>
  report.executions.map((execution) => [execution.stateMachine, execution.states.map((state) => state.name)]);
const written = (report: PipelineRunReport) => report.executions.flatMap((execution) => execution.written);

test('a Glue stage writes typed Parquet by the table\'s schema, partitioned as the table is, and the crawler registers the partitions', async () => {
  const report = await run('events');
  expect(report.succeeded).toBe(true);
  expect(statesOf(report)).toEqual([[
    'sdlf-sales-dev-events-heavy-transform',
    ['RecordSTARTED', 'RunJob', 'UpdateCatalog', 'WaitForCrawler', 'CrawlerState', 'CrawlerDone', 'CatalogUpdated', 'EvaluateQuality-events', 'Publish', 'RecordSUCCEEDED'],
  ]]);
  expect(report.input.key).toBe('raw/events/2024-05-03/orders.csv');
  const parquet = written(report).filter((object) => object.key.startsWith('analytics/events/events/'));
  expect(parquet.map((object) => object.key.replace(/part-[0-9a-f-]+/, 'part-*'))).toEqual([
    'analytics/events/events/currency=EUR/part-*.parquet',
    'analytics/events/events/currency=USD/part-*.parquet',
  ]);
  const files = parquet.map((object) => path.join(report.workDir, object.bucket, ...object.key.split('/')));
  const { schema, rows } = await readOrders(files);
  // The contract's types; the partition column is in the folder names only, as Spark writes it.
  expect(schema).toEqual({ order_id: 'VARCHAR', customer_email: 'VARCHAR', order_total: 'DECIMAL(12,2)', ordered_at: 'TIMESTAMP' });
  expect(rows.map((row) => [row.order_id, row.customer_email, row.order_total, row.currency])).toEqual([
    ['1', 'ann@example.com', '12.50', 'EUR'],
    // The template's transform trims; a value that does not cast is null, as Spark casts it.
    ['2', 'bob@example.com', '7.00', 'USD'],
    ['3', null, null, 'EUR'],
  ]);
  expect(report.partitions.map((partition) => partition.values)).toEqual([{ currency: 'EUR' }, { currency: 'USD' }]);
  expect(report.quality).toEqual([{
    table: 'sales_dev_events.events',
    ruleset: 'sales_dev_events.events',
    results: [
      { rule: 'RowCount > 0', passed: true, measured: '3 rows (must be > 0 rows)' },
      { rule: 'IsComplete "order_id"', column: 'order_id', passed: true, measured: '0 failing rows (must be 0 rows)' },
    ],
  }]);
  const [query] = report.queries;
  expect(query.sql).toBe('SELECT order_id, customer_email, order_total, currency, ordered_at FROM sales_dev_events.events LIMIT 5');
  expect(query.result).toMatchObject({ kind: 'rows', total: 3, columns: ['order_id', 'customer_email', 'order_total', 'currency', 'ordered_at'] });
  // The customer's e-mail is sensitive: masked where it has a value.
  expect((query.result as any).rows.map((row: any) => [row.order_id, row.customer_email]).sort()).toEqual([['1', '***'], ['2', '***'], ['3', null]]);
  // The stages' status records, as DynamoDB would hold them.
  expect(report.calls.filter((call) => call.action === 'dynamodb:updateItem').map((call) => call.summary.replace(/updatedAt=\S+/, 'updatedAt=*'))).toEqual([
    expect.stringContaining('status=STARTED stage=events/heavy-transform'),
    expect.stringContaining('status=SUCCEEDED stage=events/heavy-transform'),
  ]);
  // The last stage publishes the data product on the default bus, for its consumers' pipelines.
  expect(report.calls.filter((call) => call.action === 'events:putEvents').map((call) => call.summary)).toEqual(['sdlf-mesh.sales Data Product Published']);
});

test('a Lambda stage then a Glue stage: the bundled handler writes through the local S3 server, the Glue stage takes what it wrote', async () => {
  // The cloud assembly as a user names it, relative to where the command runs.
  const report = await run('shipments', { assemblyDir: path.relative(process.cwd(), assembly) });
  expect(report.succeeded).toBe(true);
  expect(statesOf(report)).toEqual([
    ['sdlf-sales-dev-shipments-light-transform', ['RecordSTARTED', 'Process', 'RecordSUCCEEDED']],
    ['sdlf-sales-dev-shipments-heavy-transform', ['RecordSTARTED', 'RunJob', 'UpdateCatalog', 'WaitForCrawler', 'CrawlerState', 'CrawlerDone', 'CatalogUpdated', 'EvaluateQuality-shipments', 'Publish', 'RecordSUCCEEDED']],
  ]);
  const [lambda, glue] = report.executions;
  expect(lambda.written.map((object) => object.key)).toEqual(['stage/shipments/light-transform/2024-05-03/orders.jsonl']);
  expect(glue.input.objects).toEqual([{ bucket: lambda.written[0].bucket, key: lambda.written[0].key }]);
  const files = glue.written.map((object) => path.join(report.workDir, object.bucket, ...object.key.split('/')));
  expect(glue.written[0].key).toMatch(/^analytics\/shipments\/shipments\/part-[0-9a-f-]+\.parquet$/);
  const { schema, rows } = await readOrders(files);
  expect(schema).toEqual({ order_id: 'VARCHAR', customer_email: 'VARCHAR', order_total: 'DECIMAL(12,2)', currency: 'VARCHAR', ordered_at: 'TIMESTAMP' });
  expect(rows.map((row) => row.ordered_at)).toEqual(['2024-05-01 10:00:00', '2024-05-01 11:30:00', '2024-05-02 09:15:00']);
});

test('a handler that throws fails the run, naming the state and the error, after the state machine\'s retries', async () => {
  const report = await run('refunds');
  expect(report.succeeded).toBe(false);
  const [execution] = report.executions;
  expect(execution.states.map((state) => [state.name, state.ok])).toEqual([['RecordSTARTED', true], ['Process', false], ['RecordFAILED', true], ['Failed', false]]);
  expect(execution.states[1]).toMatchObject({ retries: 2, caught: true, error: 'Error' });
  expect(execution.failure).toMatchObject({ state: 'Process', error: 'Error' });
  expect(execution.failure!.cause).toContain('refused');
});

test('a Lambda stage alone writes its table\'s Parquet, which the consumer\'s query reads; a value its column cannot hold fails the stage, naming it', async () => {
  const clean = path.join(repo, 'clean-orders.csv');
  fs.writeFileSync(clean, CSV.split('\n').slice(0, 3).join('\n') + '\n');
  const report = await run('orders', { file: clean });
  expect(report.succeeded).toBe(true);
  expect(report.executions[0].written.map((object) => object.key)).toEqual(['analytics/orders/orders/2024-05-03-clean-orders.parquet']);
  expect(report.queries[0].result).toMatchObject({ kind: 'rows', columns: ['order_id', 'customer_email', 'order_total', 'currency', 'ordered_at'], total: 2 });
  const { schema } = await readOrders(report.executions[0].written.map((object) => path.join(report.workDir, object.bucket, ...object.key.split('/'))));
  expect(schema).toEqual({ order_id: 'VARCHAR', customer_email: 'VARCHAR', order_total: 'DECIMAL(12,2)', currency: 'VARCHAR', ordered_at: 'TIMESTAMP' });

  // The third row's order_total is "not a number".
  const failed = await run('orders');
  expect(failed.succeeded).toBe(false);
  expect(failed.executions[0].failure).toMatchObject({ state: 'Process', error: 'ColumnValueError' });
  expect(failed.executions[0].failure!.cause).toContain('order_total');
});

test('bad input is refused with one line naming the argument and the fix', async () => {
  await expect(run('nothing')).rejects.toThrow(new InvalidOptionError('data product', 'the app has no data product "nothing"; its data products are broken, events, orders, refunds, shipments'));
  await expect(run('events', { environment: 'prod' })).rejects.toThrow(/Invalid option "--environment": the app has no environment "prod"; its environments are dev/);
  await expect(run('events', { file: path.join(repo, 'missing.csv') })).rejects.toThrow(/Invalid option "file": .*missing\.csv is not a file/);
  await expect(runPipeline({ dataProduct: 'events', file: csvFile, assemblyDir: repo, contractsDir: repo, workDir: os.tmpdir(), nodePath: [] })).rejects.toThrow(/Invalid option "--app": .* holds no cloud assembly \(no manifest.json\): run npx cdk synth/);
});

describe('pipeline test: each data product\'s pipeline runs on its samples, and the tables are tested against the contract', () => {
  const pipelineTest = (...args: string[]) => runSdlfMesh(['pipeline', 'test', '--app', assembly, ...args], {}, repo);

  test('samples made from the contracts pass, through a Lambda stage alone and a Lambda then a Glue stage', async () => {
    const { exitCode, output } = await pipelineTest('orders', 'shipments');
    expect(output).toMatch(/^PASS  test\/data\/orders\/orders\.csv → sales-dev\/dp-orders, 1 execution\(s\)$/m);
    expect(output).toMatch(/^  pass  orders\.orders: 3 row\(s\), \d+ check\(s\) passed$/m);
    expect(output).toMatch(/^PASS  .*test\/data\/shipments\/shipments\.csv → sales-dev\/dp-shipments, 2 execution\(s\)$/m);
    expect(output).toMatch(/^  pass  shipments\.shipments: 3 row\(s\), \d+ check\(s\) passed$/m);
    expect(output).toMatch(/^Data test passed: 2 of 2 sample\(s\) passed\.$/m);
    expect(exitCode).toBe(0);
  });

  test('a transform that breaks the contract fails, naming each check and its counts; a draft\'s samples wait; samples without a contract fail', async () => {
    fs.mkdirSync(path.join(repo, 'test', 'data', 'ghosts'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'test', 'data', 'ghosts', 'ghosts.csv'), 'id\n1\n');
    try {
      const { exitCode, output } = await pipelineTest();
      expect(exitCode).toBe(1);
      expect(output).toMatch(/^FAIL  .*test\/data\/broken\/broken\.csv → sales-dev\/dp-broken, 1 execution\(s\)$/m);
      expect(output).toMatch(/^ {4}FAIL  broken\.order_total\.required +3 failing rows \(must be 0 rows\)$/m);
      expect(output).toMatch(/^ {4}FAIL  broken\.order_id\.required +1 failing row \(must be 0 rows\)$/m);
      expect(output).toMatch(/^ {4}FAIL  broken\.order_id\.nullValues +1 failing row \(must be 0 rows\)$/m);
      // Its failing rows, by key.
      expect(output).toMatch(/^ +order_id=null, order_total=null$/m);
      expect(output).toMatch(/^SKIP  .*test\/data\/drafts\/drafts\.csv: drafts is draft: it is not deployed, so its pipeline is not in the app; its samples run once its status is active$/m);
      expect(output).toMatch(/^FAIL  .*test\/data\/ghosts\/ghosts\.csv\n  there is no valid contract of ghosts in dataproducts: name the folder after a data product's contract, or remove test\/data\/ghosts$/m);
      expect(output).toMatch(/^Data test FAILED: 2 of 4 sample\(s\) passed, 1 waiting\.$/m);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      fs.rmSync(path.join(repo, 'test', 'data', 'ghosts'), { recursive: true });
    }
  });

  test('a data product without samples is refused with one line naming the folder', async () => {
    const { exitCode, output } = await pipelineTest('refunds');
    expect(exitCode).not.toBe(0);
    expect(output).toMatch(/there are no samples of refunds: put its deliveries under .*test\/data\/refunds\//);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
