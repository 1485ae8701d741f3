/**
 * The grants of a data product and of its pipeline, proved with a real IAM policy evaluator on
 * the synthesized policies, and on the Lake Formation grants of the template.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataContract, DataProduct, DomainApp, IDataProduct, Pipeline, PipelineStageType } from '../../src';
import { decide, Deployment, Principal, resolve } from '../support/iam-evaluation';
import { nagFindings } from '../support/nag';
import { sampleContract } from '../support/sample-contract';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const BUCKET = 'sales-dev-data';
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000000`;
const object = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;
const glue = (resource: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${resource}`;
const THROUGH_S3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

function contractOf(dataProduct: string, text = sampleContract(dataProduct)): DataContract {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grants-')), `${dataProduct}.yaml`);
  fs.writeFileSync(file, text);
  return DataContract.fromFile(file, { domain: 'sales' });
}

/** Two data products of domain `sales` in one bucket, a pipeline for `orders`, and roles to grant. */
function mesh() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')) });
  const stack = new Stack(app, 'sales-dev-grants', { env: { account: ACCOUNT, region: REGION } });
  const key = new kms.Key(stack, 'Key');
  const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  const product = (name: string) => new DataProduct(stack, name, { contract: contractOf(name), environment: 'dev', owner: 'sales-data@example.com', bucket });
  const role = (name: string) => new iam.Role(stack, name, { roleName: name, assumedBy: new iam.AccountRootPrincipal() });
  const stagesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stages-'));
  fs.mkdirSync(path.join(stagesDir, 'orders'));
  fs.writeFileSync(path.join(stagesDir, 'orders', 'heavy-transform.py'), 'print("transform")\n');
  const orders = product('orders');
  const pipeline = new Pipeline(stack, 'OrdersPipeline', {
    domain: 'sales',
    environment: 'dev',
    dataProduct: 'orders',
    stages: [{ name: 'heavy-transform', type: PipelineStageType.GLUE }],
    stagesDir,
    bucket,
    key,
    metadataTable: new dynamodb.Table(stack, 'Metadata', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }),
    databaseName: orders.databaseName,
    tableNames: ['orders'],
  });
  return { app, stack, key, bucket, orders, customers: product('customers') as IDataProduct, pipeline, role };
}

/**
 * The evaluator's view of a role of the stack, deployed as `name`: every policy attached to it,
 * resolved as deployed, and the key policy for requests on the key.
 */
function principalOf(stack: Stack, role: iam.IRole, name: string): Principal & { keyPolicy: any } {
  const template = Template.fromStack(stack).toJSON();
  const values: Deployment['values'] = {};
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::S3::Bucket') {
      Object.assign(values, { [id]: BUCKET, [`${id}.Arn`]: `arn:aws:s3:::${BUCKET}` });
    } else if (resource.Type === 'AWS::KMS::Key') {
      values[`${id}.Arn`] = KEY;
    } else if (resource.Type === 'AWS::Logs::LogGroup') {
      values[`${id}.Arn`] = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${resource.Properties.LogGroupName ?? id}:*`;
    }
  }
  const deployment: Deployment = { account: ACCOUNT, region: REGION, values };
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const policies = Object.values<any>(template.Resources).filter(
    (resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(`"${roleId}"`),
  );
  const keyResource = Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::KMS::Key');
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    account: ACCOUNT,
    identityPolicies: policies.map((policy) => resolve(policy.Properties.PolicyDocument, template, deployment)),
    keyPolicy: resolve(keyResource.Properties.KeyPolicy, template, deployment),
  };
}

type Case = [action: string, resource: string, context: Record<string, string>, expected: 'Allowed' | 'ImplicitlyDenied'];

/** Each case as `action resource decision`, so a failure shows every decision that differs. */
async function decisions(principal: Principal & { keyPolicy: any }, cases: Case[]): Promise<string[]> {
  const decided = await Promise.all(
    cases.map(([action, resource, context]) => decide(principal, { action, resource, context }, resource.startsWith('arn:aws:kms:') ? principal.keyPolicy : undefined)),
  );
  return cases.map(([action, resource], index) => `${action} ${resource} ${decided[index]}`);
}
const expected = (cases: Case[]) => cases.map(([action, resource, , decision]) => `${action} ${resource} ${decision}`);

/** The Lake Formation grants of the stack to a principal on a database: table, permissions and columns. */
function lakeFormationGrants(stack: Stack, role: iam.IRole, database = 'sales_dev_orders') {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return Object.values<any>(Template.fromStack(stack).findResources('AWS::LakeFormation::PrincipalPermissions'))
    .filter((grant) => JSON.stringify(grant.Properties.Principal) === JSON.stringify({ DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } }))
    .filter((grant) => JSON.stringify(grant.Properties.Resource).includes(`"DatabaseName":"${database}"`))
    .map((grant) => {
      const resource = grant.Properties.Resource.TableWithColumns ?? grant.Properties.Resource.Table;
      // Wildcards would cover tables and columns added later.
      expect(JSON.stringify(grant.Properties.Resource)).not.toMatch(/Wildcard/);
      return { database: resource.DatabaseName, table: resource.Name, permissions: grant.Properties.Permissions, columns: resource.ColumnNames };
    });
}

describe('grantRead', () => {
  const { stack, orders, role } = mesh();
  const analyst = role('analyst');
  const grant = orders.grantRead(analyst);
  const principal = principalOf(stack, analyst, 'analyst');

  test('grants Lake Formation SELECT on the non-sensitive columns only: the PII column is withheld', () => {
    expect(grant.success).toBe(true);
    expect(lakeFormationGrants(stack, analyst)).toEqual([
      { database: 'sales_dev_orders', table: 'orders', permissions: ['SELECT'], columns: ['order_id', 'order_total', 'currency', 'ordered_at'] },
    ]);
  });

  test('lets the principal read the data product\'s tables and objects as Athena does, through Lake Formation', async () => {
    const cases: Case[] = [
      ['glue:GetTable', glue('table/sales_dev_orders/orders'), {}, 'Allowed'],
      ['glue:GetPartitions', glue('table/sales_dev_orders/orders'), {}, 'Allowed'],
      ['glue:GetDatabase', glue('database/sales_dev_orders'), {}, 'Allowed'],
      ['lakeformation:GetDataAccess', '*', {}, 'Allowed'],
      ['s3:GetObject', object('analytics/orders/orders/part-0.parquet'), {}, 'Allowed'],
      ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': 'analytics/orders/orders/' }, 'Allowed'],
      ['kms:Decrypt', KEY, THROUGH_S3, 'Allowed'],
    ];
    expect(await decisions(principal, cases)).toEqual(expected(cases));
  });

  test('hostile: the principal cannot read another data product, another layer, write, or use the key outside S3', async () => {
    const cases: Case[] = [
      ['s3:GetObject', object('analytics/customers/customers/part-0.parquet'), {}, 'ImplicitlyDenied'],
      ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': 'analytics/customers/' }, 'ImplicitlyDenied'],
      ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': '' }, 'ImplicitlyDenied'],
      // A prefix that only starts like the data product's: `orders_archive` is another data product.
      ['s3:GetObject', object('analytics/orders_archive/x.parquet'), {}, 'ImplicitlyDenied'],
      ['s3:GetObject', object('raw/orders/2026/a.csv'), {}, 'ImplicitlyDenied'],
      ['glue:GetTable', glue('table/sales_dev_customers/customers'), {}, 'ImplicitlyDenied'],
      ['s3:PutObject', object('analytics/orders/orders/part-1.parquet'), {}, 'ImplicitlyDenied'],
      ['s3:DeleteObject', object('analytics/orders/orders/part-0.parquet'), {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, {}, 'ImplicitlyDenied'],
      ['kms:GenerateDataKey', KEY, THROUGH_S3, 'ImplicitlyDenied'],
    ];
    expect(await decisions(principal, cases)).toEqual(expected(cases));
  });
});

test('grantRead grants a sensitive column only when the caller names it, and then exactly what it names', () => {
  const { stack, orders, role } = mesh();
  const marketing = role('marketing');
  orders.grantRead(marketing, ['orders.order_id', 'orders.customer_email']);
  // Naming the object alone still withholds its sensitive column.
  const finance = role('finance');
  orders.grantRead(finance, ['orders']);
  expect(lakeFormationGrants(stack, marketing)).toEqual([
    { database: 'sales_dev_orders', table: 'orders', permissions: ['SELECT'], columns: ['order_id', 'customer_email'] },
  ]);
  expect(lakeFormationGrants(stack, finance).map((grant) => grant.columns)).toEqual([['order_id', 'order_total', 'currency', 'ordered_at']]);
});

test('grantRead refuses a column that is not in the contract, naming it and what exists', () => {
  const { orders, role } = mesh();
  expect(() => orders.grantRead(role('typo'), ['orders.customer_mail'])).toThrow(
    /^grantRead: "orders.customer_mail" is not in the contract of orders; name a schema object or <object>.<column> of: orders, orders.order_id, orders.customer_email,/,
  );
});

test('hostile: a data product of only sensitive columns is not read, nor described, unless the columns are named', () => {
  const { stack, bucket, role } = mesh();
  // Every column of the sample's table classified restricted.
  const onlySensitive = sampleContract('patients').replace('        classification: restricted\n', '').replace(/(        logicalType: \w+\n)/g, '$1        classification: restricted\n');
  const patients = new DataProduct(stack, 'patients', { contract: contractOf('patients', onlySensitive), environment: 'dev', owner: 'o@example.com', bucket });
  const analyst = role('analyst');
  expect(() => patients.grantRead(analyst)).toThrow(
    'grantRead: it would grant nothing of patients: patients has only sensitive columns; name the sensitive columns to grant as <object>.<column>',
  );
  expect(() => patients.grantDescribe(analyst)).toThrow(/^grantDescribe: it would grant nothing of patients: .*grantRead with the sensitive columns named/);
  patients.grantRead(analyst, ['patients.order_id']);
  expect(lakeFormationGrants(stack, analyst, 'sales_dev_patients')).toEqual([
    { database: 'sales_dev_patients', table: 'patients', permissions: ['SELECT'], columns: ['order_id'] },
  ]);
});

test('grantRead to a principal Lake Formation cannot take says what to pass instead', () => {
  const { orders } = mesh();
  expect(() => orders.grantRead(new iam.ServicePrincipal('glue.amazonaws.com'))).toThrow(/^grantRead: Lake Formation grants to an IAM role, an IAM user or an account/);
});

describe('grantDescribe', () => {
  const { stack, orders, role } = mesh();
  const auditor = role('auditor');
  orders.grantDescribe(auditor);
  const principal = principalOf(stack, auditor, 'auditor');

  test('grants Lake Formation DESCRIBE on the tables, no column, no SELECT', () => {
    expect(lakeFormationGrants(stack, auditor)).toEqual([{ database: 'sales_dev_orders', table: 'orders', permissions: ['DESCRIBE'], columns: undefined }]);
  });

  test('hostile: the definition of the tables, never their data', async () => {
    const cases: Case[] = [
      ['glue:GetTable', glue('table/sales_dev_orders/orders'), {}, 'Allowed'],
      ['glue:GetPartitions', glue('table/sales_dev_orders/orders'), {}, 'ImplicitlyDenied'],
      ['lakeformation:GetDataAccess', '*', {}, 'ImplicitlyDenied'],
      ['s3:GetObject', object('analytics/orders/orders/part-0.parquet'), {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, THROUGH_S3, 'ImplicitlyDenied'],
    ];
    expect(await decisions(principal, cases)).toEqual(expected(cases));
  });
});

describe('Pipeline.grantIngest', () => {
  const { stack, pipeline, role } = mesh();
  const loader = role('loader');
  pipeline.grantIngest(loader);
  const principal = principalOf(stack, loader, 'loader');

  test('lets the principal deliver objects under raw/<data product>/, encrypted with the bucket key, in one part or many', async () => {
    expect(pipeline.ingestPrefix).toBe('raw/orders/');
    const cases: Case[] = [
      ['s3:PutObject', object('raw/orders/2026/11/30/orders.csv'), {}, 'Allowed'],
      ['s3:AbortMultipartUpload', object('raw/orders/big.csv'), {}, 'Allowed'],
      ['kms:GenerateDataKey', KEY, THROUGH_S3, 'Allowed'],
      ['kms:Decrypt', KEY, THROUGH_S3, 'Allowed'],
    ];
    expect(await decisions(principal, cases)).toEqual(expected(cases));
  });

  test('hostile: it cannot write outside raw/<data product>/, nor read, list or delete anything', async () => {
    const cases: Case[] = [
      ['s3:PutObject', object('raw/customers/x.csv'), {}, 'ImplicitlyDenied'],
      ['s3:PutObject', object('raw/orders_archive/x.csv'), {}, 'ImplicitlyDenied'],
      ['s3:PutObject', object('stage/orders/heavy-transform/x.parquet'), {}, 'ImplicitlyDenied'],
      ['s3:PutObject', object('analytics/orders/orders/x.parquet'), {}, 'ImplicitlyDenied'],
      ['s3:PutObject', object('raw/x.csv'), {}, 'ImplicitlyDenied'],
      ['s3:GetObject', object('raw/orders/2026/11/30/orders.csv'), {}, 'ImplicitlyDenied'],
      ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': 'raw/orders/' }, 'ImplicitlyDenied'],
      ['s3:DeleteObject', object('raw/orders/2026/11/30/orders.csv'), {}, 'ImplicitlyDenied'],
      ['s3:PutObjectAcl', object('raw/orders/2026/11/30/orders.csv'), {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, {}, 'ImplicitlyDenied'],
      ['lakeformation:GetDataAccess', '*', {}, 'ImplicitlyDenied'],
    ];
    expect(await decisions(principal, cases)).toEqual(expected(cases));
  });
});

test('a stage is a grantee: a Glue stage granted another data product reads it with its job role', async () => {
  const { stack, pipeline, customers } = mesh();
  const [stage] = pipeline.glueStages;
  customers.grantRead(stage);
  const principal = principalOf(stack, stage.role, 'heavy-transform-job');
  const cases: Case[] = [
    ['s3:GetObject', object('analytics/customers/customers/part-0.parquet'), {}, 'Allowed'],
    ['glue:GetTable', glue('table/sales_dev_customers/customers'), {}, 'Allowed'],
  ];
  expect(await decisions(principal, cases)).toEqual(expected(cases));
  expect(lakeFormationGrants(stack, stage.role, 'sales_dev_customers')).toEqual([
    { database: 'sales_dev_customers', table: 'customers', permissions: ['SELECT'], columns: ['order_id', 'order_total', 'currency', 'ordered_at'] },
  ]);
});

test('the grants pass the AWS Solutions rules: their wildcards (a prefix, Lake Formation\'s data access) are acknowledged with the reason', () => {
  const { app, orders, customers, pipeline, role } = mesh();
  const analyst = role('analyst');
  orders.grantRead(analyst);
  customers.grantDescribe(analyst);
  pipeline.grantIngest(role('loader'));
  const findings = nagFindings(app);
  // The rules run (the test's bucket has findings), and the grantees have none.
  expect(findings.some((finding) => finding.includes('/Bucket/'))).toBe(true);
  expect(findings.filter((finding) => /\/(analyst|loader)\//.test(finding))).toEqual([]);
});

test('in a domain app, a grantee in the domain\'s own stack or in the data product\'s stack gets a policy its stack can deploy', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
  fs.writeFileSync(path.join(dir, 'orders.yaml'), sampleContract());
  const app = new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: ACCOUNT, region: REGION }],
    dataProductsDir: dir,
  });
  const { domainStack, dataProducts: [orders] } = app.stages[0];
  const analysts = new iam.Role(domainStack, 'Analysts', { roleName: 'sales-analysts', assumedBy: new iam.AccountRootPrincipal() });
  const job = new iam.Role(Stack.of(orders), 'Job', { roleName: 'orders-job', assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
  orders.grantRead(analysts);
  orders.grantRead(job);
  // CloudFormation refuses a stack that imports an export of its own: the domain stack exports the bucket.
  for (const stack of [domainStack, Stack.of(orders)]) {
    const template = Template.fromStack(stack).toJSON();
    const exported = Object.values<any>(template.Outputs ?? {}).map((output) => output.Export?.Name);
    const imported = (JSON.stringify(template.Resources).match(/"Fn::ImportValue":"[^"]+"/g) ?? []).map((match) => match.slice('"Fn::ImportValue":"'.length, -1));
    expect(imported.filter((name) => exported.includes(name))).toEqual([]);
  }
  const dataProductTemplate = Template.fromStack(Stack.of(orders)).toJSON();
  expect(JSON.stringify(dataProductTemplate.Resources)).toContain('"Fn::ImportValue":"sales-dev-domain-bucket-arn"');
  // Both read the data product's objects in the one domain bucket.
  const bucketId = domainStack.getLogicalId(domainStack.storage.bucket.node.defaultChild as s3.CfnBucket);
  const keyId = domainStack.getLogicalId(domainStack.storage.key.node.defaultChild as kms.CfnKey);
  const values: Record<string, string> = { [`${bucketId}.Arn`]: `arn:aws:s3:::${BUCKET}`, 'sales-dev-domain-bucket-arn': `arn:aws:s3:::${BUCKET}`, [`${keyId}.Arn`]: KEY };
  // The key's ARN reaches the data product's stack through the export CDK makes for it.
  for (const output of Object.values<any>(Template.fromStack(domainStack).toJSON().Outputs)) {
    if (JSON.stringify(output.Value) === JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] })) {
      values[output.Export.Name] = KEY;
    }
  }
  for (const [stack, role, name] of [[domainStack, analysts, 'sales-analysts'], [Stack.of(orders), job, 'orders-job']] as const) {
    const template = Template.fromStack(stack).toJSON();
    const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    const policies = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`));
    const principal: Principal = {
      arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      account: ACCOUNT,
      identityPolicies: policies.map((policy) => resolve(policy.Properties.PolicyDocument, template, { account: ACCOUNT, region: REGION, values })),
    };
    expect(await decide(principal, { action: 's3:GetObject', resource: object('analytics/orders/orders/part-0.parquet') })).toBe('Allowed');
    expect(await decide(principal, { action: 's3:GetObject', resource: object('analytics/customers/customers/part-0.parquet') })).toBe('ImplicitlyDenied');
  }
});
