/**
 * A domain app built from three contracts and their stage code: PII columns with a consumer grant,
 * a Lambda stage (bundled with esbuild from the repository's TypeScript), and a Lambda stage
 * chained to a Glue stage (the repository's PySpark script as the job's asset).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DomainApp } from '../../src';
import { exec } from '../../src/util/exec';
import { domainAppOf } from '../support/domain-app';
import { CONSUMER_PRINCIPALS, domainRepository, threeContracts } from '../support/domain-repository';
import { nagFindings } from '../support/nag';
import { PACKAGE_ROOT } from '../support/packed-template';
import { readParquet } from '../support/parquet-reader';
import { S3StandIn } from '../support/s3-stand-in';

const domainApp = domainAppOf;

const app = domainApp(domainRepository());
const product = (name: string) => app.stages[0].dataProducts.find((p) => p.node.id === name)!;
const templateOf = (name: string) => Template.fromStack(Stack.of(product(name)));
const policiesOf = (name: string) => JSON.stringify(templateOf(name).findResources('AWS::IAM::Policy'));

test('each contract gets the pipeline it declares, and none without stages', () => {
  expect(product('customers').pipeline).toBeUndefined();
  expect(product('orders').pipeline!.lambdaStages.map((stage) => stage.node.id)).toEqual(['light-transform']);
  expect(product('orders').pipeline!.glueStages).toEqual([]);
  const shipments = product('shipments').pipeline!;
  expect(shipments.lambdaStages.map((stage) => stage.node.id)).toEqual(['light-transform']);
  expect(shipments.glueStages.map((stage) => stage.node.id)).toEqual(['heavy-transform']);
  // Every stage in pipeline order, whatever runs it.
  expect(shipments.stages.map((stage) => stage.stageName)).toEqual(['sdlf-sales-dev-shipments-light-transform', 'sdlf-sales-dev-shipments-heavy-transform']);
});

test('the Lambda stage is built from the repository code and may read raw/ and write its output only', () => {
  const template = templateOf('orders');
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'sdlf-sales-dev-orders-light-transform' });
  const transform = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Description === 'Stage light-transform of data product orders') as any;
  expect(transform.Properties.Handler).toBe('index.handler');
  // Room for an object's records and their Parquet.
  expect(transform.Properties.MemorySize).toBe(1024);
  // The only stage writes where the data product's tables are.
  expect(transform.Properties.Environment.Variables).toEqual({ SDLF_INPUT_PREFIX: 'raw/orders/', SDLF_OUTPUT_PREFIX: 'analytics/orders/' });
  expect(policiesOf('orders')).toContain('/raw/orders/*');
  expect(policiesOf('orders')).toContain('/analytics/orders/*');
  // The domain bucket sends its events to EventBridge, where the stage's rule listens.
  Template.fromStack(app.stages[0].domainStack).hasResourceProperties('AWS::S3::Bucket', {
    NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
  });
});

test('stages chain through the bucket: the Glue stage reads what the Lambda stage writes', () => {
  const template = templateOf('shipments');
  const transform = Object.values(template.findResources('AWS::Lambda::Function')).find((f: any) => f.Properties.Description === 'Stage light-transform of data product shipments') as any;
  expect(transform.Properties.Environment.Variables).toEqual({ SDLF_INPUT_PREFIX: 'raw/shipments/', SDLF_OUTPUT_PREFIX: 'stage/shipments/light-transform/' });
  template.hasResourceProperties('AWS::Events::Rule', {
    EventPattern: Match.objectLike({ detail: { bucket: Match.anyValue(), object: { key: [{ prefix: 'stage/shipments/light-transform/' }] } } }),
  });
  const [job] = Object.values(template.findResources('AWS::Glue::Job')) as any[];
  expect(job.Properties.Name).toBe('sdlf-sales-dev-shipments-heavy-transform');
  expect(job.Properties.DefaultArguments['--DATABASE']).toBe('sales_dev_shipments');
  expect(job.Properties.DefaultArguments['--TABLES']).toBe('shipments');
  expect(JSON.stringify(job.Properties.DefaultArguments['--TARGET'])).toContain('/analytics/shipments/');
  // The contract's schedule drains the batch of waiting events.
  template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
  // The job is evaluated against the contract's quality rules after the catalog update.
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'sdlf-sales-dev-shipments-heavy-transform' } })) as any[];
  const definition = JSON.stringify(machine.Properties.DefinitionString);
  expect(definition).toContain('glue:startJobRun.sync');
  expect(definition).toContain('aws-sdk:glue:startCrawler');
  expect(definition).toContain('aws-sdk:glue:startDataQualityRulesetEvaluationRun');
  expect(definition).toContain('sales_dev_shipments.shipments');
});

test('the consumer grant and the PII tags come from the contract without a pipeline', () => {
  const template = templateOf('customers');
  // The consumer domain's grant leaves the PII column out.
  template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
    Principal: { DataLakePrincipalIdentifier: CONSUMER_PRINCIPALS.marketing },
    Permissions: ['SELECT'],
    Resource: { TableWithColumns: Match.objectLike({ Name: 'customers', ColumnNames: ['order_id', 'order_total', 'currency', 'ordered_at'] }) },
  });
  template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
    Resource: { TableWithColumns: Match.objectLike({ ColumnNames: ['customer_email'] }) },
    LFTags: [Match.objectLike({ TagValues: ['restricted'] })],
  });
});

test('every resource of the domain carries the governance tags', () => {
  for (const stack of [app.stages[0].domainStack, ...app.stages[0].dataProductStacks]) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    for (const [id, resource] of Object.entries(resources)) {
      const tags = resource.Properties?.Tags;
      if (tags === undefined) {
        continue;
      }
      const keys = Array.isArray(tags) ? tags.map((tag: any) => tag.Key) : Object.keys(tags);
      expect({ id, keys: keys.filter((key: string) => key.startsWith('sdlf:')).sort() }).toEqual({
        id,
        keys: expect.arrayContaining(['sdlf:cost-center', 'sdlf:domain', 'sdlf:environment', 'sdlf:managed-by', 'sdlf:owner']),
      });
    }
  }
});

test('the domain with both stage kinds passes the AWS Solutions rules; every acknowledgement has its reason', () => {
  const checked = domainApp(domainRepository());
  expect(nagFindings(checked)).toEqual([]);
  const report = JSON.parse(fs.readFileSync(path.join(checked.outdir, 'validation-report.json'), 'utf8'));
  const acknowledged = report.pluginReports.flatMap((plugin: any) => plugin.suppressedViolations ?? []);
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const violation of acknowledged) {
    expect(violation.reason.split(' ').length).toBeGreaterThan(5);
  }
});

test('a stage whose code is missing says what to run', () => {
  expect(() => domainApp(domainRepository({ orders: threeContracts().orders }, { withStageCode: false }))).toThrow(
    /light-transform\.ts: the code of stage "light-transform" of data product "orders" is missing; run npx projen to write its skeleton/,
  );
});

test('each Lambda stage runs its handler bundled from the repository, one asset for every environment that deploys it', async () => {
  const root = domainRepository();
  const twoEnvironments = new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }, { name: 'prod', account: '222222222222', region: 'eu-west-1' }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
    consumerPrincipals: CONSUMER_PRINCIPALS,
  });
  const assembly = twoEnvironments.synth();
  const assetOf = (environment: number, dataProduct: string) => {
    const stack = twoEnvironments.stages[environment].dataProducts.find((p) => p.node.id === dataProduct)!;
    const transform = Object.values<any>(Template.fromStack(Stack.of(stack)).findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Description === `Stage light-transform of data product ${dataProduct}`,
    );
    return path.join(assembly.directory, `asset.${path.basename(transform.Properties.Code.S3Key, '.zip')}`);
  };
  expect(assetOf(1, 'orders')).toBe(assetOf(0, 'orders'));
  expect(assetOf(0, 'shipments')).not.toBe(assetOf(0, 'orders'));
  expect(fs.readdirSync(assetOf(0, 'orders'))).toEqual(['index.js']);

  // The AWS SDK is left to the Lambda runtime, which carries it: the bundle requires it rather than
  // holding a copy. It holds the CSV parser and the Parquet writer (about 100 KB minified).
  const bundle = path.join(assetOf(0, 'shipments'), 'index.js');
  expect(fs.readFileSync(bundle, 'utf8')).toContain('require("@aws-sdk/client-s3")');
  expect(fs.statSync(bundle).size).toBeLessThan(150_000);
});

describe('the bundled Lambda stage, run as Lambda runs it, against an S3 stand-in', () => {
  const bundleOf = (dataProduct: string) => {
    const stack = Stack.of(product(dataProduct));
    const transform = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Description === `Stage light-transform of data product ${dataProduct}`,
    );
    return path.join(app.synth().directory, `asset.${path.basename(transform.Properties.Code.S3Key, '.zip')}`, 'index.js');
  };
  let s3: S3StandIn;
  beforeAll(async () => {
    s3 = await S3StandIn.start();
  });
  afterAll(() => s3.close());

  /** Invokes the bundle's handler in a Node.js process of its own, with the runtime's SDK found as Lambda finds it (NODE_PATH). */
  const invoke = async (event: object, dataProduct = 'shipments') => {
    const script = `require(${JSON.stringify(bundleOf(dataProduct))}).handler(${JSON.stringify(event)}).then(
      (result) => console.log(JSON.stringify(result)),
      (error) => { console.error(error.name + ': ' + error.message); process.exit(1); })`;
    const { stdout } = await exec(process.execPath, ['-e', script], {
      cwd: os.tmpdir(),
      inheritEnv: false,
      env: {
        PATH: process.env.PATH,
        NODE_PATH: path.join(PACKAGE_ROOT, 'node_modules'),
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'stand-in',
        AWS_SECRET_ACCESS_KEY: 'stand-in',
      },
    });
    return JSON.parse(stdout);
  };

  test('a stage another stage follows reads its input object\'s records and writes what the transform keeps as JSON lines, by day', async () => {
    s3.put('sales-bucket', 'raw/shipments/2024-05-01/part-1.csv', '\uFEFFid,weight\r\n 1 ,2.5\r\n\r\n', 'text/csv');
    const { results } = await invoke({ objects: [{ bucket: 'sales-bucket', key: 'raw/shipments/2024-05-01/part-1.csv' }] });
    const target = 'stage/shipments/light-transform/2024-05-01/part-1.jsonl';
    expect(results).toEqual([{
      source: { bucket: 'sales-bucket', key: 'raw/shipments/2024-05-01/part-1.csv' },
      targets: [{ bucket: 'sales-bucket', key: target }],
      records: 1,
    }]);
    expect(s3.objects.get(`sales-bucket/${target}`)).toEqual({ body: Buffer.from('{"id":"1","weight":"2.5"}\n'), contentType: 'application/x-ndjson' });
  });

  test('the last stage writes its table as Parquet that DuckDB reads with the contract\'s columns and types', async () => {
    // The sample contract's columns, in another order and case, one missing, one the table lacks.
    const csv = 'ORDER_ID,ordered_at,order_total,currency,note\no-1,2024-05-01 10:15:00,1234.5,EUR,kept out\no-2,2024-05-01T23:59:59Z,-0.015,,\n';
    s3.put('sales-bucket', 'raw/orders/2024-05-01/part-1.csv', csv, 'text/csv');
    const { results } = await invoke({ objects: [{ bucket: 'sales-bucket', key: 'raw/orders/2024-05-01/part-1.csv' }] }, 'orders');
    const target = 'analytics/orders/orders/2024-05-01-part-1.parquet';
    expect(results).toEqual([{ source: { bucket: 'sales-bucket', key: 'raw/orders/2024-05-01/part-1.csv' }, targets: [{ bucket: 'sales-bucket', key: target }], records: 2 }]);
    const written = s3.objects.get(`sales-bucket/${target}`)!;
    expect(written.contentType).toBe('application/vnd.apache.parquet');

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-')), 'orders.parquet');
    fs.writeFileSync(file, written.body);
    const { columns, rows } = await readParquet(file);
    expect(columns).toEqual([
      { name: 'order_id', type: 'VARCHAR' },
      { name: 'customer_email', type: 'VARCHAR' },
      { name: 'order_total', type: 'DECIMAL(12,2)' },
      { name: 'currency', type: 'VARCHAR' },
      { name: 'ordered_at', type: 'TIMESTAMP' },
    ]);
    // Decimals exact and rounded half up, timestamps in UTC, an empty value or a missing column null.
    expect(rows).toEqual([
      { order_id: 'o-1', customer_email: null, order_total: '1234.50', currency: 'EUR', ordered_at: '2024-05-01 10:15:00' },
      { order_id: 'o-2', customer_email: null, order_total: '-0.02', currency: null, ordered_at: '2024-05-01 23:59:59' },
    ]);
  });

  test('a missing input object fails the invocation with StageInputMissing, naming the object, and writes nothing', async () => {
    const before = s3.requests.filter((request) => request.method === 'PUT').length;
    await expect(invoke({ objects: [{ bucket: 'sales-bucket', key: 'raw/shipments/2024-05-02/gone.csv' }] })).rejects.toThrow(
      'StageInputMissing: s3://sales-bucket/raw/shipments/2024-05-02/gone.csv: the input object cannot be read (it does not exist); upload it again to rerun the stage',
    );
    expect(s3.requests.filter((request) => request.method === 'PUT').length).toBe(before);
  });

  test('an object outside its input prefix is refused before S3 is called', async () => {
    const before = s3.requests.length;
    await expect(invoke({ objects: [{ bucket: 'sales-bucket', key: 'analytics/x.csv' }] })).rejects.toThrow('expected raw/shipments/<YYYY-MM-DD>/<file>');
    expect(s3.requests.length).toBe(before);
  });
});
