import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ConsumerAllowList, DataContract, DataProduct } from '../../src';
import { sampleContract } from '../support/sample-contract';

const SAMPLE = sampleContract();

function contractFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'data-product-')), 'orders.yaml');
  fs.writeFileSync(file, text);
  return file;
}

function dataProduct(text = SAMPLE, consumerPrincipals?: { [domain: string]: string }, allowedConsumers?: ConsumerAllowList) {
  const stack = new Stack(new App(), 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  const product = new DataProduct(stack, 'orders', {
    contract: DataContract.fromFile(contractFile(text), { domain: 'sales' }),
    environment: 'dev',
    owner: 'sales-data@example.com',
    bucket: new s3.Bucket(stack, 'Bucket'),
    consumerPrincipals,
    allowedConsumers,
  });
  return { stack, product, template: Template.fromStack(stack) };
}

/** The sample contract with the consumers given, each as its fields separated by `; `. */
function withConsumers(...consumers: string[]): string {
  return SAMPLE.replace('    value: []', `    value:\n${consumers.map((consumer) => `      - ${consumer.replace(/; /g, '\n        ')}`).join('\n')}`);
}

/** Every grant of a template, as principal, permissions and the table columns it covers. */
function grants(template: Template): Array<{ principal: string; permissions: string[]; table: string; columns?: string[] }> {
  return Object.values(template.findResources('AWS::LakeFormation::PrincipalPermissions')).map((resource: any) => {
    const { Principal, Permissions, Resource } = resource.Properties;
    // Wildcards would cover columns and tables added later: none may appear.
    expect(JSON.stringify(Resource)).not.toMatch(/Wildcard/);
    const table = Resource.TableWithColumns ?? Resource.Table;
    const columns = Resource.TableWithColumns?.ColumnNames;
    return { principal: Principal.DataLakePrincipalIdentifier, permissions: Permissions, table: table.Name, columns };
  });
}

const MARKETING = 'arn:aws:iam::333333333333:role/marketing-analysts';

describe('a data product from the sample contract', () => {
  const { product, template } = dataProduct();

  test('has a Glue database named for domain, environment and data product', () => {
    expect(product.databaseName).toBe('sales_dev_orders');
    template.hasResourceProperties('AWS::Glue::Database', { CatalogId: '111111111111', DatabaseInput: { Name: 'sales_dev_orders' } });
  });

  test('has a Parquet table with the contract columns and Glue types under the analytics layer', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      DatabaseName: 'sales_dev_orders',
      TableInput: {
        Name: 'orders',
        TableType: 'EXTERNAL_TABLE',
        Parameters: { 'classification': 'parquet', 'sdlf:contract-version': '1.0.0' },
        StorageDescriptor: {
          Columns: [
            { Name: 'order_id', Type: 'string', Comment: 'Identifier of the order.' },
            { Name: 'customer_email', Type: 'string', Comment: 'E-mail address of the customer (personal data).' },
            { Name: 'order_total', Type: 'decimal(12,2)', Comment: 'Total amount of the order.' },
            { Name: 'currency', Type: 'string', Comment: 'ISO 4217 currency code of order_total.' },
            { Name: 'ordered_at', Type: 'timestamp', Comment: 'When the order was placed (UTC).' },
          ],
          Location: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Bucket') }, '/analytics/orders/orders/']] },
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
  });

  test('tags the table and its classified columns with the classification LF-tag', () => {
    template.resourceCountIs('AWS::LakeFormation::TagAssociation', 2);
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'sales_dev_orders', Name: 'orders' } },
      LFTags: [{ CatalogId: '111111111111', TagKey: 'sdlf:classification', TagValues: ['restricted'] }],
    });
    template.hasResourceProperties('AWS::LakeFormation::TagAssociation', {
      Resource: { TableWithColumns: { DatabaseName: 'sales_dev_orders', Name: 'orders', ColumnNames: ['customer_email'] } },
      LFTags: [{ TagKey: 'sdlf:classification', TagValues: ['restricted'] }],
    });
  });

  test('checks the quality rules with a Glue Data Quality ruleset', () => {
    template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
      Name: 'sales_dev_orders.orders',
      Ruleset: 'Rules = [\n  RowCount > 0,\n  IsComplete "order_id"\n]',
      TargetTable: { DatabaseName: 'sales_dev_orders', TableName: 'orders' },
      Tags: Match.objectLike({ 'sdlf:data-product': 'orders', 'sdlf:classification': 'restricted', 'sdlf:domain': 'sales' }),
    });
  });

  test('grants nobody when the contract names no consumer', () => {
    template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  });
});

test('hostile: a consumer of a table with a PII column gets every other column, and no grant covers the PII column', () => {
  const { template } = dataProduct(withConsumers('domain: marketing; access: select'), { marketing: MARKETING });
  expect(grants(template)).toEqual([{ principal: MARKETING, permissions: ['SELECT'], table: 'orders', columns: ['order_id', 'order_total', 'currency', 'ordered_at'] }]);
});

test('a consumer that names the PII column in columns is granted it, and only what it names', () => {
  const { template } = dataProduct(withConsumers('domain: marketing; access: select; columns: [orders.order_id, orders.customer_email]'), { marketing: MARKETING });
  expect(grants(template)).toEqual([{ principal: MARKETING, permissions: ['SELECT'], table: 'orders', columns: ['order_id', 'customer_email'] }]);
});

test('a consumer domain registered by its execution role gets the grant with the grant option, to pass on to its own roles; no other principal does', () => {
  const grantOptions = (template: Template) =>
    Object.values<any>(template.findResources('AWS::LakeFormation::PrincipalPermissions')).map((resource) => [resource.Properties.Principal.DataLakePrincipalIdentifier, resource.Properties.PermissionsWithGrantOption]);
  const financeRole = 'arn:aws:iam::222222222222:role/sdlf-finance-dev-cfn-exec';
  const consumers = withConsumers('domain: finance; access: select', 'domain: marketing; access: select');
  expect(grantOptions(dataProduct(consumers, { finance: financeRole, marketing: MARKETING }).template)).toEqual([
    [financeRole, ['SELECT']],
    [MARKETING, []],
  ]);
  // Another domain's execution role, an account, or a role of another name: no grant option.
  for (const principal of ['arn:aws:iam::222222222222:role/sdlf-marketing-dev-cfn-exec', '222222222222', 'arn:aws:iam::222222222222:role/sdlf-finance-dev-deploy', 'arn:aws:iam::222222222222:role/sdlf-finance-eu-dev-cfn-exec']) {
    expect(grantOptions(dataProduct(withConsumers('domain: finance; access: select'), { finance: principal }).template)).toEqual([[principal, []]]);
  }
});

test('a table of only sensitive columns is granted to nobody who does not name them', () => {
  const onlySensitive = SAMPLE.replace('        classification: restricted\n', '').replace(/(        logicalType: \w+\n)/g, '$1        classification: restricted\n');
  expect(onlySensitive.match(/classification: restricted/g)).toHaveLength(5);
  const { template } = dataProduct(onlySensitive.replace('    value: []', '    value:\n      - domain: marketing\n        access: select'), { marketing: MARKETING });
  expect(grants(template)).toEqual([]);
});

test('describe grants DESCRIBE on the named tables only, to an account the policy allows', () => {
  const { template } = dataProduct(withConsumers('account: "222222222222"; access: describe'), undefined, { accounts: ['222222222222'] });
  expect(grants(template)).toEqual([{ principal: '222222222222', permissions: ['DESCRIBE'], table: 'orders', columns: undefined }]);
});

test('a consumer domain without a principal, or an account the policy does not allow, fails the synth and is not granted', () => {
  const { stack, template } = dataProduct(withConsumers('domain: marketing; access: select', 'account: "222222222222"; access: select'));
  expect(grants(template)).toEqual([]);
  const errors = Annotations.fromStack(stack).findError('/sales-dev/orders', Match.anyValue()).map((message) => String(message.entry.data));
  expect(errors).toEqual([
    expect.stringMatching(/^sdlfConsumers\[0\]\.domain: consumer domain "marketing" has no Lake Formation principal.*\(name it in consumerPrincipals of \.projenrc\.ts/),
    expect.stringMatching(/^sdlfConsumers\[1\]\.account: account "222222222222" is not a consumer the platform's governance policy allows \(allowedConsumers\.accounts: none\)/),
  ]);
});

test('a partitioned column becomes a partition key', () => {
  // A pipeline whose tables are partitioned ends in a Glue stage, whose crawler adds the partitions.
  const partitioned = SAMPLE.replace('        physicalType: timestamp\n        required: true', '        physicalType: timestamp\n        required: true\n        partitioned: true\n        partitionKeyPosition: 1')
    .replace('          type: lambda', '          type: glue');
  const table = Object.values(dataProduct(partitioned).template.findResources('AWS::Glue::Table'))[0] as any;
  expect(table.Properties.TableInput.PartitionKeys).toEqual([{ Name: 'ordered_at', Type: 'timestamp', Comment: 'When the order was placed (UTC).' }]);
  expect(table.Properties.TableInput.StorageDescriptor.Columns.map((column: any) => column.Name)).not.toContain('ordered_at');
});

test('an invalid contract is refused with its problems', () => {
  expect(() => DataContract.fromFile(contractFile(SAMPLE.replace('logicalType: timestamp', 'logicalType: timestmp')))).toThrow(
    /invalid data-product contracts \(run: sdlf-mesh contract lint\):\n.*orders\.yaml:\d+:\d+: schema\[0\]\.properties\[4\]\.logicalType: "timestmp" is not one of/,
  );
});
