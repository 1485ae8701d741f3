import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { accessLogsBucket, alarmTopic, dataBucket, lakeKey, metadataTable } from './private/secure-resources';
import { CLASSIFICATIONS } from '../contract/contract';
import { ACKNOWLEDGED_CONTROLS, acknowledgeControls } from './private/control-tower';

/**
 * Props of {@link Foundations}.
 */
export interface FoundationsProps {
  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /**
   * IAM role ARNs that administer Lake Formation: the platform team's roles and the execution role
   * that deploys the platform, which grants each domain's execution role its Lake Formation
   * permissions (domains deploy with their own execution roles, which are no administrators).
   *
   * @default - none: set them before domains deploy grants
   */
  readonly lakeAdmins?: string[];

  /**
   * The classification LF-tag every data product's tables and columns carry.
   *
   * @default "sdlf:classification"
   */
  readonly classificationTagKey?: string;

  /**
   * What happens to the key, buckets and tables when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The platform's shared data lake in one environment (SDLF "foundations"): a KMS key (rotation on),
 * raw, stage and analytics buckets and an access-log bucket (encrypted, private, TLS-only,
 * versioned, with lifecycle rules and access logs), DynamoDB tables for object metadata, pipeline
 * executions and manifests (KMS-encrypted, point-in-time recovery), Lake Formation settings
 * (cross-account version 4), bucket registration and the classification LF-tag, Glue Data
 * Catalog encryption, a CloudTrail trail
 * with S3 data events on the lake buckets (log files encrypted with the key), and an alarm topic.
 * The lake buckets send their events to EventBridge; they have no object lock, so data stays
 * erasable on request and by its retention (Control Tower's CT.S3.PR.9 is acknowledged with that
 * reason, see the README's "Control Tower controls").
 *
 * Everything a domain needs is published as SSM parameters under `/sdlf/<environment>/`
 * ({@link Foundations.parameterName}), so domains in other stacks or accounts look names up
 * instead of hard-coding them.
 *
 * @example
 * new Foundations(stack, 'Foundations', { environment: 'dev', lakeAdmins: ['arn:aws:iam::111111111111:role/platform-admin'] });
 */
export class Foundations extends Construct {
  /** The SSM parameter name of a foundations value, e.g. `parameterName('dev', 'bucket/raw')`. */
  public static parameterName(environment: string, key: string): string {
    return `/sdlf/${environment}/${key}`;
  }

  /** The lake's key. */
  public readonly key: kms.IKey;

  /** The bucket that receives the other buckets' access logs and the trail. */
  public readonly accessLogsBucket: s3.IBucket;

  /** The raw layer: objects as they land. */
  public readonly rawBucket: s3.IBucket;

  /** The stage layer: objects after the light transform. */
  public readonly stageBucket: s3.IBucket;

  /** The analytics layer: the data products' tables. */
  public readonly analyticsBucket: s3.IBucket;

  /** One row per object in the lake. */
  public readonly objectMetadataTable: dynamodb.ITable;

  /** One row per pipeline execution. */
  public readonly pipelineExecutionsTable: dynamodb.ITable;

  /** One row per manifest (a batch of objects processed together). */
  public readonly manifestsTable: dynamodb.ITable;

  /** The platform's alarm topic. */
  public readonly alarmTopic: sns.ITopic;

  /** The trail of data events on the lake buckets; its log files are encrypted with the lake key. */
  public readonly trail: cloudtrail.Trail;

  constructor(scope: Construct, id: string, props: FoundationsProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const env = props.environment;

    const key = lakeKey(this, `alias/sdlf/${env}/lake`, `sdlf-mesh: data lake (${env})`, removalPolicy);
    this.key = key;
    const logs = accessLogsBucket(this, removalPolicy);
    this.accessLogsBucket = logs;
    const layer = (name: string) => dataBucket(this, name, key, logs, `${name.toLowerCase()}/`, removalPolicy);
    this.rawBucket = layer('Raw');
    this.stageBucket = layer('Stage');
    this.analyticsBucket = layer('Analytics');

    const table = (name: string, partitionKey: string, sortKey?: string) => metadataTable(this, name, this.key, removalPolicy, partitionKey, sortKey);
    this.objectMetadataTable = table('ObjectMetadata', 'id');
    this.pipelineExecutionsTable = table('PipelineExecutions', 'id', 'started_at');
    this.manifestsTable = table('Manifests', 'dataset', 'manifest');

    this.alarmTopic = alarmTopic(this, key, `sdlf ${env} platform alarms`);

    // Named, so that the key policy can name the one trail that encrypts with the key.
    const trailName = `sdlf-${env}-lake`;
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName,
      bucket: logs,
      s3KeyPrefix: 'cloudtrail',
      encryptionKey: key,
      enableFileValidation: true,
      includeGlobalServiceEvents: false,
    });
    allowTrailEncryption(key, trailName);
    acknowledgeControls(this.trail, ACKNOWLEDGED_CONTROLS.trailToCloudWatchLogs);
    for (const bucket of [this.rawBucket, this.stageBucket, this.analyticsBucket]) {
      this.trail.addS3EventSelector([{ bucket }], { readWriteType: cloudtrail.ReadWriteType.ALL });
    }

    new lakeformation.CfnDataLakeSettings(this, 'LakeFormationSettings', {
      admins: (props.lakeAdmins ?? []).map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      // New tables get no IAMAllowedPrincipals grant: Lake Formation permissions decide access.
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      // Version 4 shares a table across accounts with a principal of the other account (a consumer
      // domain's execution role), not only with the account, and through AWS RAM only where needed.
      parameters: { CROSS_ACCOUNT_VERSION: LAKE_FORMATION_CROSS_ACCOUNT_VERSION },
    });
    for (const [name, bucket] of [['Raw', this.rawBucket], ['Stage', this.stageBucket], ['Analytics', this.analyticsBucket]] as const) {
      new lakeformation.CfnResource(this, `${name}Location`, { resourceArn: bucket.bucketArn, useServiceLinkedRole: true });
    }
    new lakeformation.CfnTag(this, 'ClassificationTag', { tagKey: props.classificationTagKey ?? 'sdlf:classification', tagValues: [...CLASSIFICATIONS] });
    new glue.CfnDataCatalogEncryptionSettings(this, 'CatalogEncryption', {
      catalogId: this.key.stack.account,
      dataCatalogEncryptionSettings: {
        encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: this.key.keyArn },
        connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, kmsKeyId: this.key.keyArn },
      },
    });

    const parameters: Record<string, string> = {
      'kms/key-arn': this.key.keyArn,
      'bucket/raw': this.rawBucket.bucketName,
      'bucket/stage': this.stageBucket.bucketName,
      'bucket/analytics': this.analyticsBucket.bucketName,
      'bucket/access-logs': this.accessLogsBucket.bucketName,
      'dynamodb/object-metadata': this.objectMetadataTable.tableName,
      'dynamodb/pipeline-executions': this.pipelineExecutionsTable.tableName,
      'dynamodb/manifests': this.manifestsTable.tableName,
      'sns/alarm-topic-arn': this.alarmTopic.topicArn,
    };
    for (const [name, value] of Object.entries(parameters)) {
      new ssm.StringParameter(this, `Parameter-${name}`, { parameterName: Foundations.parameterName(env, name), stringValue: value });
    }
  }
}

/** The Lake Formation cross-account version of the platform's lakes: the latest, 4. */
const LAKE_FORMATION_CROSS_ACCOUNT_VERSION = '4';

/**
 * Lets CloudTrail encrypt the log files of the trail `trailName` with the key and describe the key
 * (the key policy CloudTrail's documentation gives, narrowed to the one trail).
 */
function allowTrailEncryption(key: kms.Key, trailName: string) {
  const stack = key.stack;
  const trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${trailName}`;
  const fromTheTrail = { 'aws:SourceArn': trailArn };
  const cloudtrailService = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsLogs',
      principals: [cloudtrailService],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { ...fromTheTrail, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({ sid: 'CloudTrailDescribesKey', principals: [cloudtrailService], actions: ['kms:DescribeKey'], resources: ['*'], conditions: { StringEquals: fromTheTrail } }),
  );
}
