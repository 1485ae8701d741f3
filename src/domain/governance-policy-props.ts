import { AccessRequestPolicy } from './access-request-policy';
import { ConsumerAllowList } from './consumer-allow-list';

/**
 * The organisation's rules every domain stack must keep; the platform team sets them.
 */
export interface GovernancePolicyProps {
  /**
   * Tags every taggable resource must carry.
   *
   * @default - the governance tags: sdlf:domain, sdlf:owner, sdlf:cost-center, sdlf:environment, sdlf:managed-by
   */
  readonly requiredTags?: string[];

  /**
   * Regions stacks may be deployed to; environment-agnostic stacks are checked at deploy time by
   * the platform's account guardrails instead.
   *
   * @default - any region
   */
  readonly allowedRegions?: string[];

  /**
   * Whether every bucket, queue, DynamoDB table, log group and topic must be encrypted at rest
   * (with a KMS key where the service offers one).
   *
   * @default true
   */
  readonly requireEncryption?: boolean;

  /**
   * Fewest days a CloudWatch Logs log group keeps its events: a log group kept less breaks the
   * policy, and `DomainApp` and `PlatformApp` keep the log groups they create this long. One of
   * CloudWatch Logs' retention periods from 365 up (AWS Control Tower's CT.CLOUDWATCH.PR.2 asks
   * for at least a year).
   *
   * @default 365
   */
  readonly logRetentionDays?: number;

  /**
   * Who a data product may be granted to (`sdlfConsumers` of the contracts); any other consumer
   * fails the contract lint and the synth.
   *
   * @default - any domain of the mesh, and no account or role: a grant to another domain is what
   * a mesh is for (the domain must still resolve to a principal), while an account or a role can
   * be anyone outside the mesh, so only the platform can allow one
   */
  readonly allowedConsumers?: ConsumerAllowList;

  /**
   * Which access requests (`sdlf-mesh access request`) need no human, e.g.
   * `{ autoApprove: AccessAutoApproval.NON_SENSITIVE }`: non-sensitive columns to an allowed
   * domain. Sensitive columns always need the producer.
   *
   * @default - every request is reviewed by the producer's code owners
   */
  readonly accessRequests?: AccessRequestPolicy;
}
