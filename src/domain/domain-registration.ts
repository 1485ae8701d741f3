/**
 * One environment of a registered domain: where the platform creates its identity and limits.
 */
export interface RegisteredEnvironment {
  /** Environment name (`dev`, `prod`...), as the domain repository's GitHub environment is named. */
  readonly name: string;
  /** The 12-digit AWS account ID. */
  readonly account: string;
  /** The AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * The name of the domain's data bucket in this environment, once the domain has deployed (its
   * domain stack's output `DataBucketName`). With it the platform registers the bucket's
   * `analytics/` prefix, where the data products' tables are, with Lake Formation, which then
   * vends the data to the principals granted a table: without it, a consumer in another account
   * reads the tables' definitions but not their data.
   *
   * @default - the location is not registered
   */
  readonly dataBucket?: string;
}

/**
 * A domain as the platform registers it: the content of `domains/<domain>.yaml` in the platform
 * repository. The platform creates each environment's deploy role and permissions boundary from
 * it, and trusts only `repository` to deploy the domain.
 */
export interface DomainRegistration {
  /** The domain name (as in the domain repository's `.projenrc.ts`). */
  readonly domain: string;
  /** The GitHub repository that deploys the domain, `owner/name`. */
  readonly repository: string;
  /**
   * The repository's numeric ID on GitHub (the API's `id`): with {@link repositoryOwnerId}, what
   * the deploy role trusts, since a name can pass to someone else and an ID cannot. Absent when
   * the domain was registered without GitHub (a local remote): the platform then creates no
   * deploy role for it.
   */
  readonly repositoryId?: number;
  /** The numeric ID of the repository's owner (the API's `owner.id`); given with {@link repositoryId}. */
  readonly repositoryOwnerId?: number;
  /** The accountable owner: a mailbox, `@user` or `@org/team`. */
  readonly owner: string;
  /** The cost center the domain's resources are charged to. */
  readonly costCenter: string;
  /** The environments the domain deploys to, in deployment order. */
  readonly environments: RegisteredEnvironment[];
}
