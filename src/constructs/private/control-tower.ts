import { Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * An AWS Control Tower proactive control whose guard rule fails on some sdlf-mesh resources, with
 * the reason: the control does not apply to them, or they meet it in a way the rule cannot see.
 * Each is acknowledged on exactly those resources, so the guard rules of
 * `@cdklabs/cdk-validator-cfnguard` report them as acknowledged with the reason, and any other
 * finding fails synthesis. The README's "Control Tower controls" section lists them too.
 */
export interface AcknowledgedControl {
  /** The control, e.g. `CT.S3.PR.9`. */
  readonly control: string;
  /** The guard rule that checks it, as the validator names it. */
  readonly rule: string;
  /** Why the control does not apply to the resources it is acknowledged on, or how they meet it. */
  readonly reason: string;
}

const control = (controlId: string, rule: string, reason: string): AcknowledgedControl => ({ control: controlId, rule, reason });

/** The acknowledged controls, by the resources they are acknowledged on. */
export const ACKNOWLEDGED_CONTROLS = {
  /** Object lock on any bucket. */
  objectLock: control(
    'CT.S3.PR.9',
    's3_bucket_object_lock_enabled_check',
    'object lock forbids deleting an object version before its retention ends: data products must be erasable on request ' +
      '(personal data) and expire by their contracts\' retention and the lifecycle rules, so versioning and the trail of data events protect them instead',
  ),
  /** Server access logging on the access-log bucket itself. */
  accessLogsLogging: control(
    'CT.S3.PR.2',
    's3_bucket_logging_enabled_check',
    'the bucket receives the server access logs of the data buckets: logging it would log every log delivery, into itself or into another log bucket without end',
  ),
  /** Event notifications on the access-log bucket. */
  accessLogsNotifications: control(
    'CT.S3.PR.4',
    's3_event_notifications_enabled_check',
    'nothing reacts to the delivery of a log file: pipelines start from the data buckets\' events, and audits read the logs in place',
  ),
  /** A KMS key for the access-log bucket. */
  accessLogsKmsEncryption: control(
    'CT.S3.PR.10',
    's3_bucket_default_encryption_kms_check',
    'S3 delivers server access logs only to a bucket encrypted with S3-managed keys (SSE-S3): with SSE-KMS the logs would be lost; the bucket is encrypted, private and TLS-only',
  ),
  /** A VPC for the Lambda functions. */
  lambdaInVpc: control(
    'CT.LAMBDA.PR.3',
    'lambda_inside_vpc_check',
    'the functions call AWS APIs only (S3, Step Functions, SQS, DynamoDB, KMS) under least-privilege roles and reach no private network: ' +
      'a VPC would add NAT gateways or interface endpoints to every domain for no access they need',
  ),
  /** A CloudWatch Logs log group for the lake's data-event trail. */
  trailToCloudWatchLogs: control(
    'CT.CLOUDTRAIL.PR.3',
    'cloud_trail_cloud_watch_logs_enabled_check',
    'the trail records every read and write of the lake\'s objects: CloudWatch Logs would ingest all of them at a price per GB; ' +
      'they stay in the encrypted, validated log files (read with Athena), and the organization trail of Control Tower sends management events to CloudWatch Logs',
  ),
  /** A queue encrypted with the key of another stack. */
  queueKeyFromDomainStack: control(
    'CT.SQS.PR.2',
    'sqs_queue_encrypted_check',
    'the queue is encrypted with the domain key, imported from the domain stack (Fn::ImportValue), which the guard rule cannot follow to a key',
  ),
  /** A log group encrypted with the key of another stack. */
  logGroupKeyFromDomainStack: control(
    'CT.CLOUDWATCH.PR.3',
    'cloudwatch_log_group_encrypted_check',
    'the log group is encrypted with the domain key, imported from the domain stack (Fn::ImportValue), which the guard rule cannot follow to a key',
  ),
};

/** The name the guard validator reports its findings under. */
const VALIDATOR = 'cdk-validator-cfnguard';

/** Acknowledges the controls on `scope` and everything below it, each with its reason. */
export function acknowledgeControls(scope: IConstruct, ...controls: AcknowledgedControl[]): void {
  for (const { rule, reason } of controls) {
    Validations.of(scope).acknowledge({ id: `${VALIDATOR}::${rule}`, reason });
  }
}

/**
 * Acknowledges `controlOfEncryption` on `scope` when `key` belongs to another stack: the resource
 * is encrypted, with a key the guard rule cannot see.
 */
export function acknowledgeImportedKey(scope: IConstruct, key: kms.IKey, controlOfEncryption: AcknowledgedControl): void {
  if (Stack.of(key) !== Stack.of(scope)) {
    acknowledgeControls(scope, controlOfEncryption);
  }
}
