import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Domain } from '../../src';

/**
 * What a pipeline stage is built with, as a domain provides it: a stack `sales-dev` in an app
 * with its own output folder, the domain (key, bucket, alarm topic) and an encrypted metadata table.
 */
export function stageFixture() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')) });
  const stack = new Stack(app, 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  const domain = new Domain(stack, 'Domain', { domain: 'sales', environment: 'dev' });
  const metadataTable = new dynamodb.Table(stack, 'Metadata', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: domain.storage.key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  return { app, stack, domain, key: domain.storage.key, bucket: domain.storage.bucket, metadataTable };
}
