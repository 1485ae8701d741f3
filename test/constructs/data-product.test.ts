import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DataContract, DataProduct } from '../../src';
import { sampleContract } from '../support/sample-contract';

const SAMPLE = sampleContract();

function contractFile(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'data-product-')), 'orders.yaml');
  fs.writeFileSync(file, text);
  return file;
}

function dataProduct(text = SAMPLE, consumerPrincipals?: { [domain: string]: string }) {
  const stack = new Stack(new App(), 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  const product = new DataProduct(stack, 'orders', {
    contract: DataContract.fromFile(contractFile(text), { domain: 'sales' }),
    environment: 'dev',
    owner: 'sales-data@example.com',
    bucket: new s3.Bucket(stack, 'Bucket'),
    consumerPrincipals,
  });
  return { stack, product, template: Template.fromStack(stack) };
}

const WITH_CONSUMERS = SAMPLE.replace(
  '    value: []',
  '    value:\n      - domain: marketing\n        access: select\n      - account: "222222222222"\n        access: describe',
);

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

test('consumers get Lake Formation grants for their access; a domain without a known principal is skipped with a warning', () => {
  const { stack, template } = dataProduct(WITH_CONSUMERS);
  template.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 1);
  template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
    Principal: { DataLakePrincipalIdentifier: '222222222222' },
    Permissions: ['DESCRIBE'],
    PermissionsWithGrantOption: [],
    Resource: { Table: { CatalogId: '111111111111', DatabaseName: 'sales_dev_orders', TableWildcard: {} } },
  });
  Annotations.fromStack(stack).hasWarning('/sales-dev/orders', Match.stringLikeRegexp('grant to domain "marketing" skipped: give its principal in consumerPrincipals'));
});

test('a consumer domain with a known principal gets SELECT', () => {
  const role = 'arn:aws:iam::333333333333:role/marketing-analysts';
  dataProduct(WITH_CONSUMERS, { marketing: role }).template.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
    Principal: { DataLakePrincipalIdentifier: role },
    Permissions: ['SELECT', 'DESCRIBE'],
  });
});

test('a partitioned column becomes a partition key', () => {
  const partitioned = SAMPLE.replace('        physicalType: timestamp\n        required: true', '        physicalType: timestamp\n        required: true\n        partitioned: true\n        partitionKeyPosition: 1');
  const table = Object.values(dataProduct(partitioned).template.findResources('AWS::Glue::Table'))[0] as any;
  expect(table.Properties.TableInput.PartitionKeys).toEqual([{ Name: 'ordered_at', Type: 'timestamp', Comment: 'When the order was placed (UTC).' }]);
  expect(table.Properties.TableInput.StorageDescriptor.Columns.map((column: any) => column.Name)).not.toContain('ordered_at');
});

test('an invalid contract is refused with its problems', () => {
  expect(() => DataContract.fromFile(contractFile(SAMPLE.replace('logicalType: timestamp', 'logicalType: timestmp')))).toThrow(
    /invalid data-product contracts \(run: sdlf-mesh contract lint\):\n.*orders\.yaml:\d+:\d+: schema\[0\]\.properties\[4\]\.logicalType: "timestmp" is not one of/,
  );
});
