/**
 * The consumers the platform allows. A list left out keeps the baseline for its kind: any domain,
 * no account, no role.
 */
export interface ConsumerAllowList {
  /**
   * Domains that may be consumers.
   *
   * @default - any domain
   */
  readonly domains?: string[];

  /**
   * AWS account IDs that may be consumers.
   *
   * @default - none
   */
  readonly accounts?: string[];

  /**
   * IAM role ARNs that may be consumers.
   *
   * @default - none
   */
  readonly roles?: string[];

  /**
   * The Lake Formation principal (account ID or role ARN) of each domain, as the platform
   * registers it. It is the principal of a consumer domain; a domain repository's
   * `consumerPrincipals` may name domains not listed here, never another principal for one
   * that is. With `domains` listing the same domains, only registered principals are granted.
   *
   * @default - none: consumer domains resolve through the domain repository's `consumerPrincipals`
   */
  readonly domainPrincipals?: { [domain: string]: string };
}
