import { Annotations, CfnResource, IAspect, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkLogRetentionDays, MINIMUM_LOG_RETENTION_DAYS } from './private/log-retention';
import { REQUIRED_TAG_KEYS, tagManagerOf } from './private/tag-managers';
import { readGovernancePolicyFile } from '../domain/governance-policy-file';
import { GovernancePolicyProps } from '../domain/governance-policy-props';

type Rule = (resource: CfnResource) => string | undefined;

/** Encryption at rest by resource type: what a resource of that type must declare. */
const ENCRYPTION_RULES: Record<string, Rule> = {
  'AWS::S3::Bucket': (r) => (prop(r, 'bucketEncryption') ? undefined : 'declare BucketEncryption (KMS or S3-managed)'),
  'AWS::SQS::Queue': (r) => (prop(r, 'kmsMasterKeyId') || prop(r, 'sqsManagedSseEnabled') === true ? undefined : 'set KmsMasterKeyId (or SqsManagedSseEnabled)'),
  'AWS::DynamoDB::Table': (r) => (prop(r, 'sseSpecification')?.sseEnabled === true ? undefined : 'enable SSESpecification with a KMS key'),
  'AWS::DynamoDB::GlobalTable': (r) => (prop(r, 'sseSpecification')?.sseEnabled === true ? undefined : 'enable SSESpecification with a KMS key'),
  'AWS::Logs::LogGroup': (r) => (prop(r, 'kmsKeyId') ? undefined : 'set KmsKeyId'),
  'AWS::SNS::Topic': (r) => (prop(r, 'kmsMasterKeyId') ? undefined : 'set KmsMasterKeyId'),
};

/**
 * The governance policy as an aspect: every stack below the scope it is added to is checked, and
 * each breach is an error annotation naming the resource and the rule, so `cdk synth` fails. It
 * runs after the aspects that add tags, as a read-only aspect.
 *
 * @example
 * Aspects.of(stage).add(GovernancePolicy.fromFile('governance-policy.yaml'), { priority: AspectPriority.READONLY });
 */
export class GovernancePolicy implements IAspect {
  /** Reads the policy from a JSON or YAML file of {@link GovernancePolicyProps}. */
  public static fromFile(file: string): GovernancePolicy {
    return new GovernancePolicy(GovernancePolicy.readFile(file));
  }

  /** The {@link GovernancePolicyProps} of a JSON or YAML file; unknown fields are refused. */
  public static readFile(file: string): GovernancePolicyProps {
    return readGovernancePolicyFile(file);
  }

  /** The tags every taggable resource must carry. */
  public readonly requiredTags: string[];

  /** The fewest days a log group keeps its events. */
  public readonly logRetentionDays: number;

  constructor(private readonly props: GovernancePolicyProps = {}) {
    this.requiredTags = [...new Set(props.requiredTags ?? REQUIRED_TAG_KEYS)];
    this.logRetentionDays = checkLogRetentionDays(props.logRetentionDays ?? MINIMUM_LOG_RETENTION_DAYS);
  }

  public visit(node: IConstruct): void {
    if (Stack.isStack(node)) {
      const allowed = this.props.allowedRegions;
      if (allowed && !Token.isUnresolved(node.region) && !allowed.includes(node.region)) {
        this.breach(node, 'allowed-regions', `region ${node.region} is not allowed; allowed: ${allowed.join(', ')}`);
      }
      return;
    }
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    const manager = tagManagerOf(node);
    if (manager) {
      const present = manager.tagValues();
      const missing = this.requiredTags.filter((key) => !(key in present));
      if (missing.length > 0) {
        this.breach(node, 'required-tags', `missing tag(s) ${missing.join(', ')}`);
      }
    }
    const encryption = ENCRYPTION_RULES[node.cfnResourceType];
    const problem = (this.props.requireEncryption ?? true) && encryption ? encryption(node) : undefined;
    if (problem) {
      this.breach(node, 'encryption', `${node.cfnResourceType} must be encrypted at rest: ${problem}`);
    }
    const retention = node.cfnResourceType === 'AWS::Logs::LogGroup' ? prop(node, 'retentionInDays') : undefined;
    if (typeof retention === 'number' && retention < this.logRetentionDays) {
      this.breach(node, 'log-retention', `keeps its events ${retention} days; keep them at least ${this.logRetentionDays} days`);
    }
  }

  private breach(node: IConstruct, rule: string, message: string) {
    Annotations.of(node).addError(`[sdlf-policy:${rule}] ${node.node.path}: ${message}`);
  }
}

/** A property of an L1 resource as its props gave it (before synthesis). */
function prop(resource: CfnResource, name: string): any {
  return (resource as any)[name];
}
