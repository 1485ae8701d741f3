import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** A rotating customer-managed key. */
export function lakeKey(scope: Construct, alias: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, 'Key', { alias, description, enableKeyRotation: true, removalPolicy });
}

/**
 * A bucket for server access logs: private, TLS-only, versioned, kept a year. Server access logs
 * can only be delivered to a bucket encrypted with S3-managed keys; its object ownership is left
 * to CDK, since log delivery needs an ACL or a bucket policy depending on the app's feature flags.
 */
export function accessLogsBucket(scope: Construct, removalPolicy: RemovalPolicy): s3.Bucket {
  return new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy,
  });
}

/**
 * A data bucket: encrypted with the key (bucket keys on, so S3 calls KMS rarely), private,
 * TLS-only, versioned, owner-enforced, logging to the access-log bucket under `logPrefix`.
 */
export function dataBucket(
  scope: Construct,
  id: string,
  key: kms.IKey,
  logs: s3.IBucket,
  logPrefix: string,
  removalPolicy: RemovalPolicy,
): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: logPrefix,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    removalPolicy,
  });
}

/**
 * An alarm topic encrypted with the key and TLS-only; the services that publish to it (CloudWatch
 * always, others as given) may use the key for it.
 */
export function alarmTopic(scope: Construct, key: kms.Key, displayName: string, publishers: string[] = []): sns.Topic {
  const topic = new sns.Topic(scope, 'AlarmTopic', { displayName, masterKey: key, enforceSSL: true });
  for (const service of ['cloudwatch.amazonaws.com', ...publishers]) {
    key.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
  }
  for (const service of publishers) {
    topic.grantPublish(new iam.ServicePrincipal(service));
  }
  return topic;
}

/**
 * A metadata table: string keys, on-demand, encrypted with the key, recoverable to a point in time.
 */
export function metadataTable(
  scope: Construct,
  id: string,
  key: kms.IKey,
  removalPolicy: RemovalPolicy,
  partitionKey: string,
  sortKey?: string,
): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: sortKey ? { name: sortKey, type: dynamodb.AttributeType.STRING } : undefined,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy,
  });
}
