/**
 * The names the platform and the domains derive, one function each: a domain's identity and
 * limits in an AWS account, the prefix of the resources it names itself, the platform repository's
 * registry files, and the GitHub names its workflows and its setup agree on.
 *
 * They are deterministic so that both sides agree without a lookup: the platform's stacks create
 * the roles and policies under these names, a domain's stacks attach the boundary by its ARN, and
 * the onboarding sets the deploy role's ARN as a GitHub Actions variable before anything is
 * deployed. A domain name is at most 24 characters and an environment name at most 10, so every
 * name stays within IAM's 64 characters.
 *
 * An ARN takes its account and partition as values or as CloudFormation references (`Aws.ACCOUNT_ID`,
 * `Aws.PARTITION` in a stack), so the same function serves the platform's tools and the constructs.
 */

const PREFIX = 'sdlf';

/** The partition of the commercial regions, where an ARN is not resolved in a stack. */
const COMMERCIAL_PARTITION = 'aws';

/** `sdlf-<domain>-<environment>`: the prefix of the names sdlf-mesh gives a domain's resources in `environment`. */
export function domainResourcePrefix(domain: string, environment: string): string {
  return `${PREFIX}-${domain}-${environment}`;
}

/**
 * `<domain>-<environment>-`: the prefix of the names of a domain's stacks in `environment`, and of
 * the names CloudFormation gives the resources in them (its roles among them).
 */
export function domainStackPrefix(domain: string, environment: string): string {
  return `${domain}-${environment}-`;
}

/**
 * `/sdlf/<domain>/<environment>/`: the prefix of the log groups sdlf-mesh names for a domain's
 * resources in `environment` (its Glue jobs'). It ends with `/`, which no domain or environment name
 * holds, so no other domain's prefix begins with it.
 */
export function domainLogGroupPrefix(domain: string, environment: string): string {
  return `/${PREFIX}/${domain}/${environment}/`;
}

/**
 * `/aws/vendedlogs/sdlf/<domain>/<environment>/`: the prefix of the log groups AWS services deliver a
 * domain's logs to (its state machines'). CloudWatch Logs keeps one resource policy for all groups
 * under `/aws/vendedlogs/`, which the platform writes, so no domain needs to write one.
 */
export function vendedLogGroupPrefix(domain: string, environment: string): string {
  return `${VENDED_LOGS}${domain}/${environment}/`;
}

/** `/aws/vendedlogs/sdlf/`: the prefix of every domain's {@link vendedLogGroupPrefix}, which the platform's log resource policy covers. */
export const VENDED_LOGS = `/aws/vendedlogs/${PREFIX}/`;

/** The log group Glue writes every crawler's logs to, one stream a crawler, named as the crawler. */
export function glueCrawlerLogGroup(): string {
  return '/aws-glue/crawlers';
}

/**
 * The Glue security configuration of `domain` in `environment`, which the platform creates (Glue
 * names security configurations in a flat namespace of the account, and IAM cannot scope them:
 * `glue:CreateSecurityConfiguration` takes no resource but `*`). The domain's jobs and crawlers
 * name it.
 */
export function glueSecurityConfigurationName(domain: string, environment: string): string {
  return domainResourcePrefix(domain, environment);
}

/** The role GitHub Actions assumes (OIDC) to deploy `domain` to `environment`. */
export function deployRoleName(domain: string, environment: string): string {
  return `${domainResourcePrefix(domain, environment)}-deploy`;
}

/** The ARN of {@link deployRoleName} in `account`. */
export function deployRoleArn(domain: string, environment: string, account: string, partition = COMMERCIAL_PARTITION): string {
  return `arn:${partition}:iam::${account}:role/${deployRoleName(domain, environment)}`;
}

/** The role CloudFormation assumes to create and change the domain's stacks in `environment`. */
export function cloudFormationExecutionRoleName(domain: string, environment: string): string {
  return `${domainResourcePrefix(domain, environment)}-cfn-exec`;
}

/** The ARN of {@link cloudFormationExecutionRoleName} in `account`. */
export function cloudFormationExecutionRoleArn(domain: string, environment: string, account: string, partition = COMMERCIAL_PARTITION): string {
  return `arn:${partition}:iam::${account}:role/${cloudFormationExecutionRoleName(domain, environment)}`;
}

/**
 * Whether `principal` is the execution role of `domain` in some environment and account
 * (`arn:<partition>:iam::<account>:role/sdlf-<domain>-<environment>-cfn-exec`): the principal that
 * deploys the domain's grants, so the one a grant to the domain can be passed on through.
 */
export function isExecutionRoleOf(domain: string, principal: string): boolean {
  const named = /^arn:[a-z-]+:iam::\d{12}:role\/sdlf-(.+)-cfn-exec$/.exec(principal)?.[1];
  return named !== undefined && named.startsWith(`${domain}-`) && /^[a-z][a-z0-9]{0,9}$/.test(named.slice(domain.length + 1));
}

/**
 * The role the domain's people query its data with (Athena in the domain's workgroup), which the
 * platform creates and the domain's grants name: its inputs' links, read through Lake Formation.
 */
export function analystsRoleName(domain: string, environment: string): string {
  return `${domainResourcePrefix(domain, environment)}-analysts`;
}

/** The ARN of {@link analystsRoleName} in `account`. */
export function analystsRoleArn(domain: string, environment: string, account: string, partition = COMMERCIAL_PARTITION): string {
  return `arn:${partition}:iam::${account}:role/${analystsRoleName(domain, environment)}`;
}

/**
 * The role Lake Formation reads the domain's data products with in `environment` (the data access
 * role of the domain's registered location, see {@link PUBLISHED_DATA_PREFIX}), which the platform
 * creates: it vends credentials of this role, scoped down to what a principal was granted, to the
 * engines that read the domain's tables (Athena in a consumer's account among them).
 */
export function lakeAccessRoleName(domain: string, environment: string): string {
  return `${domainResourcePrefix(domain, environment)}-lake-access`;
}

/**
 * `analytics/`: the prefix of a domain's data bucket its data products' tables are under
 * (`analytics/<data product>/<table>/`), which the platform registers with Lake Formation.
 */
export const PUBLISHED_DATA_PREFIX = 'analytics/';

/** The managed policy every role of the domain in `environment` must carry as its permissions boundary. */
export function permissionsBoundaryName(domain: string, environment: string): string {
  return `${domainResourcePrefix(domain, environment)}-boundary`;
}

/** The ARN of {@link permissionsBoundaryName} in `account`. */
export function permissionsBoundaryArn(domain: string, environment: string, account: string, partition = COMMERCIAL_PARTITION): string {
  return `arn:${partition}:iam::${account}:policy/${permissionsBoundaryName(domain, environment)}`;
}

/** The registry file of `domain` in the platform repository. */
export function registrationFile(domain: string): string {
  return `domains/${domain}.yaml`;
}

/** The GitHub Actions environment variable that holds the ARN of the role a deploy job assumes. */
export const DEPLOY_ROLE_VARIABLE = 'AWS_DEPLOY_ROLE_ARN';

/** The GitHub Actions environment variable that holds the region of an environment given without one. */
export const REGION_VARIABLE = 'AWS_REGION';

/**
 * The name of the build job of a domain repository's pull-request workflow (`.github/workflows/build.yml`):
 * GitHub names the job's status check so, and branch protection requires it.
 */
export const BUILD_CHECK = 'Build, test and synthesize';

/**
 * The label of an access request (`sdlf-mesh access request`) that says the governance policy
 * approves it without a person. The requester sets it; the access-check workflow of the producer's
 * repository confirms it against the change itself.
 */
export const APPROVED_BY_POLICY_LABEL = 'approved-by-policy';

/**
 * The name of the job of a domain repository's access-check workflow (`.github/workflows/access-check.yml`)
 * that confirms a pull request labelled {@link APPROVED_BY_POLICY_LABEL}: GitHub names its status check so.
 */
export const ACCESS_CHECK = 'Access request approved by policy';

/**
 * The GitHub Actions variable of the platform repository that holds the client ID of the GitHub
 * App the catalog workflow reads the domain repositories with (contents and metadata: read).
 */
export const CATALOG_APP_CLIENT_ID_VARIABLE = 'SDLF_CATALOG_APP_CLIENT_ID';

/** The GitHub Actions secret of the platform repository that holds that GitHub App's private key. */
export const CATALOG_APP_PRIVATE_KEY_SECRET = 'SDLF_CATALOG_APP_PRIVATE_KEY';

/**
 * The GitHub Actions variable of the platform repository that holds the client ID of the GitHub
 * App the fleet-upgrade workflow reads and upgrades the domain repositories with (contents, pull
 * requests and workflows: write; metadata: read). Each job mints a token of it with only what that
 * job needs.
 */
export const FLEET_APP_CLIENT_ID_VARIABLE = 'SDLF_FLEET_APP_CLIENT_ID';

/** The GitHub Actions secret of the platform repository that holds that GitHub App's private key. */
export const FLEET_APP_PRIVATE_KEY_SECRET = 'SDLF_FLEET_APP_PRIVATE_KEY';
