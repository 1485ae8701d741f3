/** The issuer of GitHub Actions' OIDC tokens, as IAM names the provider and its condition keys. */
export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** The ARN of an account's GitHub Actions OIDC provider. */
export const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/**
 * The claims a domain repository's OIDC subject is made of, in order: its owner's and its own
 * numeric IDs, then the job's environment. GitHub never gives an ID again, so a repository deleted
 * or renamed, whose name someone else then takes, cannot produce the subject of the original;
 * a subject of names (`repo:<owner>/<name>:...`, GitHub's default) would pass to the new holder.
 * The onboarding sets this customization on the repository (`PUT .../actions/oidc/customization/sub`).
 */
export const GITHUB_SUBJECT_CLAIM_KEYS: readonly string[] = ['repository_owner_id', 'repository_id', 'environment'];

/** A GitHub repository's immutable identity: the `id` and `owner.id` of the API's repository object. */
export interface GitHubRepositoryIds {
  /** The repository's numeric ID. */
  readonly repositoryId: number;
  /** Its owner's (organization or user) numeric ID. */
  readonly repositoryOwnerId: number;
}

/**
 * The `sub` of the OIDC token of a job in `environment` of the repository `ids`, as GitHub writes
 * it under {@link GITHUB_SUBJECT_CLAIM_KEYS}: `repository_owner_id:<id>:repository_id:<id>:environment:<name>`.
 */
export function githubDeploySubject(ids: GitHubRepositoryIds, environment: string): string {
  const values: Record<string, string> = {
    repository_owner_id: String(ids.repositoryOwnerId),
    repository_id: String(ids.repositoryId),
    environment,
  };
  return GITHUB_SUBJECT_CLAIM_KEYS.map((claim) => `${claim}:${values[claim]}`).join(':');
}
