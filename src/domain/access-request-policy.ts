/** Which access requests (`sdlf-mesh access request`) the platform approves without a person. */
export enum AccessAutoApproval {
  /** None: the producer's code owners review every request. */
  NONE = 'none',
  /**
   * A request for columns that are not sensitive, from a consumer domain the allow-list
   * (`allowedConsumers.domains`) allows. Sensitive columns always need the producer.
   */
  NON_SENSITIVE = 'non-sensitive',
}

/** How the platform treats the access requests consumer domains open on producers' repositories. */
export interface AccessRequestPolicy {
  /**
   * Which requests need no human: the request says it is approved by policy, for the platform's
   * check on the producer's pull request to confirm. Sensitive columns (classified restricted or
   * tagged pii) always need the producer's review, whatever this says.
   *
   * @default AccessAutoApproval.NONE
   */
  readonly autoApprove?: AccessAutoApproval;
}
