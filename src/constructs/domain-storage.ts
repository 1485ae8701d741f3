import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * Props of {@link DomainStorage}.
 */
export interface DomainStorageProps {
  /** Domain name (see `SdlfDomainProject` for the rules it follows). */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /**
   * What happens to the key and the buckets when the stack is deleted.
   *
   * Data outlives a stack by default; choose `DESTROY` only for throw-away environments.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The storage a domain owns in one environment: a customer-managed KMS key (rotation on) and a
 * data bucket encrypted with it (bucket keys on, so S3 calls KMS rarely), versioned, public access
 * blocked, TLS-only, with server access logs going to a dedicated log bucket.
 *
 * @example
 * const storage = new DomainStorage(stack, 'Storage', { domain: 'sales', environment: 'dev' });
 * storage.bucket.grantRead(role);
 */
export class DomainStorage extends Construct {
  /** The domain's customer-managed key; it encrypts the data bucket. */
  public readonly key: kms.Key;

  /** The domain's data bucket. */
  public readonly bucket: s3.Bucket;

  /** The bucket that receives the data bucket's server access logs. */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DomainStorageProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = new kms.Key(this, 'Key', {
      alias: `alias/sdlf/${props.domain}/${props.environment}`,
      description: `sdlf-mesh: data of domain ${props.domain} (${props.environment})`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // Server access logs can only be delivered to a bucket encrypted with S3-managed keys. Its
    // object ownership is left to CDK: log delivery needs an ACL or a bucket policy depending on
    // the app's feature flags.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy,
    });

    this.bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'data/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy,
    });
  }
}
