import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessLogsBucket, dataBucket, lakeKey } from './private/secure-resources';

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

  /**
   * The domain's data bucket, when it exists already. Pipeline stages start from its events, so
   * it must send them to EventBridge; its access logs, versioning and encryption are its owner's.
   *
   * @default - a new bucket, encrypted with the domain key, with an access-log bucket (see the class)
   */
  readonly bucket?: s3.IBucket;

  /**
   * The domain's key, when it exists already: it encrypts the data bucket (when this construct
   * creates it) and the domain's queues, logs, tables and topics. Their services must be allowed
   * to use it in its key policy, which this construct cannot change for an imported key.
   *
   * @default - the key of `bucket` when that has one, else a new customer-managed key with rotation on
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The storage a domain owns in one environment: a customer-managed KMS key (rotation on) and a
 * data bucket encrypted with it (bucket keys on, so S3 calls KMS rarely), versioned, public access
 * blocked, TLS-only, sending its events to EventBridge, with server access logs going to a
 * dedicated log bucket (ACLs disabled, S3-managed encryption: the only kind log delivery takes).
 * No object lock: data must stay erasable on request and by its retention (Control Tower's
 * CT.S3.PR.9 is acknowledged with that reason).
 *
 * Bring your own bucket or key with `bucket` and `encryptionKey`.
 *
 * @example
 * const storage = new DomainStorage(stack, 'Storage', { domain: 'sales', environment: 'dev' });
 * storage.bucket.grantRead(role);
 */
export class DomainStorage extends Construct {
  /** The domain's customer-managed key; it encrypts the data bucket it creates. */
  public readonly key: kms.IKey;

  /** The domain's data bucket. */
  public readonly bucket: s3.IBucket;

  /**
   * The bucket that receives the data bucket's server access logs.
   *
   * @default - none when the data bucket was brought (`bucket`)
   */
  public readonly accessLogsBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: DomainStorageProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key =
      props.encryptionKey ??
      props.bucket?.encryptionKey ??
      lakeKey(this, `alias/sdlf/${props.domain}/${props.environment}`, `sdlf-mesh: data of domain ${props.domain} (${props.environment})`, removalPolicy);
    if (props.bucket) {
      this.bucket = props.bucket;
    } else {
      const logs = accessLogsBucket(this, removalPolicy);
      this.accessLogsBucket = logs;
      // Pipeline stages start from the bucket's events on EventBridge.
      this.bucket = dataBucket(this, 'Data', this.key, logs, 'data/', removalPolicy);
    }
  }
}
