import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ACKNOWLEDGED_CONTROLS, acknowledgeControls, acknowledgeImportedKey } from './control-tower';
import { BASELINE_LOG_RETENTION } from './log-retention';

/**
 * A rotating customer-managed key whose grants only AWS services create: a grant hands the key's
 * use to another principal outside the key policy, so a role of the account may not create one
 * itself, while a service acting for it (DynamoDB, Lambda, Glue) still may (Control Tower's
 * CT.KMS.PR.3).
 */
export function lakeKey(scope: Construct, alias: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, 'Key', { alias, description, enableKeyRotation: true, removalPolicy });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  return key;
}

/**
 * A bucket for server access logs: private, TLS-only, versioned, kept a year, ACLs disabled (the
 * logging service writes under the bucket policy {@link dataBucket} adds). Server access logs can
 * only be delivered to a bucket encrypted with S3-managed keys.
 */
export function accessLogsBucket(scope: Construct, removalPolicy: RemovalPolicy): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    removalPolicy,
  });
  const { objectLock, accessLogsLogging, accessLogsNotifications, accessLogsKmsEncryption } = ACKNOWLEDGED_CONTROLS;
  acknowledgeControls(bucket, objectLock, accessLogsLogging, accessLogsNotifications, accessLogsKmsEncryption);
  return bucket;
}

/**
 * A data bucket: encrypted with the key (bucket keys on, so S3 calls KMS rarely), private,
 * TLS-only, versioned, owner-enforced, sending its events to EventBridge (where pipeline stages
 * start), logging to the access-log bucket under `logPrefix`.
 */
export function dataBucket(
  scope: Construct,
  id: string,
  key: kms.IKey,
  logBucket: s3.Bucket,
  logPrefix: string,
  removalPolicy: RemovalPolicy,
): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    removalPolicy,
  });
  const resource = bucket.node.defaultChild as s3.CfnBucket;
  // Set on the L1 rather than with `eventBridgeEnabled`, so that no notification custom resource
  // (a Lambda function of its own) is needed.
  resource.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  // Logging set here rather than with `serverAccessLogsBucket`: CDK would grant the logging
  // service an ACL on the log bucket unless a feature flag of the app says otherwise. The bucket
  // policy lets the service write this bucket's logs under its prefix, and nothing else.
  resource.loggingConfiguration = { destinationBucketName: logBucket.bucketName, logFilePrefix: logPrefix };
  acknowledgeControls(bucket, ACKNOWLEDGED_CONTROLS.objectLock);
  logBucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `AccessLogsOf${id}`,
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logBucket.arnForObjects(`${logPrefix}*`)],
      conditions: { ArnLike: { 'aws:SourceArn': bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account } },
    }),
  );
  return bucket;
}

/**
 * An alarm topic encrypted with the key and TLS-only; the services that publish to it (CloudWatch
 * always, others as given) may use the key for it.
 */
export function alarmTopic(scope: Construct, key: kms.IKey, displayName: string, publishers: string[] = []): sns.Topic {
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
 * A log group encrypted with the key, kept a year (the governance policy may keep it longer, see
 * `LogRetention`); named by CloudFormation unless `logGroupName` is given.
 */
export function encryptedLogGroup(scope: Construct, id: string, key: kms.IKey, logGroupName?: string): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, id, { logGroupName, encryptionKey: key, retention: BASELINE_LOG_RETENTION });
  acknowledgeImportedKey(logGroup, key, ACKNOWLEDGED_CONTROLS.logGroupKeyFromDomainStack);
  return logGroup;
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
