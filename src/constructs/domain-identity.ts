import { Annotations, Aws, DefaultStackSynthesizer, Tags } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { GitHubOidcProvider } from './github-oidc-provider';
import { GovernanceTags } from './governance-tags';
import { acknowledgeWildcards } from './private/acknowledge-wildcards';
import { analystStatements, boundaryStatements, deployStatements, DomainScope, executionStatements, lakeAccessStatements } from './private/domain-policies';
import { constructKey } from './private/stable-ids';
import { CLASSIFICATIONS } from '../contract/contract';
import { githubDeploySubject, GitHubRepositoryIds } from '../domain/github-oidc';
import {
  analystsRoleName, cloudFormationExecutionRoleName, deployRoleName, domainResourcePrefix, domainStackPrefix, glueSecurityConfigurationName,
  lakeAccessRoleName, permissionsBoundaryName, PUBLISHED_DATA_PREFIX,
} from '../domain/names';

/**
 * Props of {@link DomainIdentity}.
 */
export interface DomainIdentityProps {
  /** Domain name, as registered. */
  readonly domain: string;

  /** Environment name, e.g. `dev`: the GitHub environment the deploy role trusts. */
  readonly environment: string;

  /** The domain's GitHub repository, `owner/name`, as registered: named in the roles' descriptions. */
  readonly repository: string;

  /**
   * The repository's numeric ID on GitHub (the API's `id`). With {@link repositoryOwnerId}, it is
   * what the deploy role trusts: the OIDC subject
   * `repository_owner_id:<owner id>:repository_id:<id>:environment:<environment>`, which the
   * domain's onboarding sets the repository to issue. GitHub never gives an ID again, so a
   * repository that takes the name after this one is deleted or renamed gets no access, as it
   * would with a subject of names (`repo:<owner>/<name>:...`).
   *
   * @default - no deploy role (and a synth warning that says how to add the IDs)
   */
  readonly repositoryId?: number;

  /**
   * The numeric ID of the repository's owner, an organization or user (the API's `owner.id`).
   *
   * @default - no deploy role, as without {@link repositoryId}
   */
  readonly repositoryOwnerId?: number;

  /** The account's GitHub Actions OIDC provider. */
  readonly oidcProvider: GitHubOidcProvider;

  /**
   * The CDK bootstrap qualifier of the account: the domain's assets go to a folder of that
   * bootstrap's asset bucket.
   *
   * @default "hnb659fds" (CDK's default)
   */
  readonly bootstrapQualifier?: string;

  /**
   * The classification LF-tag the domain tags its tables and columns with.
   *
   * @default "sdlf:classification"
   */
  readonly classificationTagKey?: string;

  /**
   * Lake buckets registered with Lake Formation (the platform's raw, stage and analytics layers):
   * the domain may create tables in its folder `<domain>/` of each, and nowhere else.
   *
   * @default - none
   */
  readonly lakeBuckets?: s3.IBucket[];

  /**
   * The accounts the domain's roles may route its data products' publications to, on their default
   * event buses: the mesh's accounts in this environment (see `publicationAccounts`).
   *
   * @default - none: the domain's publications stay in its account
   */
  readonly publicationAccounts?: string[];

  /**
   * The name of the domain's data bucket in this environment (its domain stack's output
   * `DataBucketName`, known once the domain has deployed). With it, the platform registers the
   * bucket's `analytics/` prefix, where the data products' tables are, with Lake Formation, with
   * the domain's lake access role; and lets the execution role create and change tables there.
   * Lake Formation then vends the tables' data to the principals granted them, in this account and
   * in the consumers': a location that is not registered gives a consumer in another account the
   * tables' definitions but not their data.
   *
   * It must be a bucket of the domain's names in this environment (`<domain>-<environment>-*`),
   * the only buckets the lake access role reads.
   *
   * @default - the location is not registered, and there is no lake access role
   */
  readonly dataBucketName?: string;
}

/**
 * The identity and limits the platform gives one domain in one environment, all with the names of
 * `platform-naming` so the domain finds them without a lookup:
 *
 * - the **permissions boundary** (`sdlf-<domain>-<environment>-boundary`) every role of the domain
 *   must carry: what its Lambda functions, Glue jobs and state machines need on its own resources;
 * - the **CloudFormation execution role** (`sdlf-<domain>-<environment>-cfn-exec`) that creates the
 *   domain's resources, each kind scoped to the domain's names or tags, and roles only with the
 *   boundary (the `iam:PermissionsBoundary` condition), so no role of the domain outgrows it;
 * - the **deploy role** (`sdlf-<domain>-<environment>-deploy`) that GitHub Actions assumes through
 *   OIDC, trusted only for the subject
 *   `repository_owner_id:<owner id>:repository_id:<id>:environment:<environment>` of the
 *   repository's IDs (never its name, which can pass to someone else): it uploads the domain's
 *   assets to its folder of the bootstrap bucket and changes the domain's stacks only through the
 *   execution role. Without the IDs there is no deploy role, and synth warns;
 * - the **analysts' role** (`sdlf-<domain>-<environment>-analysts`) the domain's people query with:
 *   Athena in the domain's workgroup and its results, the data Lake Formation grants it (the
 *   domain's stacks grant it the links of its inputs), assumed by principals of the account whose
 *   own policies allow it;
 * - with the domain's data bucket (`dataBucketName`), its **registered location**: `analytics/` of the
 *   bucket, where its data products' tables are, registered with Lake Formation with the **lake
 *   access role** (`sdlf-<domain>-<environment>-lake-access`, which reads those objects only), so
 *   that Lake Formation vends their data to the principals granted a table, in the consumers'
 *   accounts too;
 * - the execution role's **Lake Formation** permissions: tag with the classification LF-tag, and
 *   data location access to its lake folders (it creates its databases through IAM, which names
 *   which, and as their creator grants on them);
 * - the domain environment's **Glue security configuration**
 *   (`sdlf-<domain>-<environment>`), which its jobs and crawlers name: Glue keeps security
 *   configurations in one namespace of the account and IAM cannot scope them to a name, so no
 *   domain may create or delete one. It encrypts job bookmarks with a key of the domain
 *   environment (tagged as the domain's, so only the domain's roles use it); the jobs' data and
 *   logs go to the domain's bucket and log groups, which the domain key encrypts.
 *
 * The stack that holds it needs a deployer that administers Lake Formation.
 *
 * @example
 * const oidc = new GitHubOidcProvider(stack, 'GitHub');
 * new DomainIdentity(stack, 'Sales', {
 *   domain: 'sales',
 *   environment: 'dev',
 *   repository: 'acme/sales-data',
 *   repositoryId: 812345678,
 *   repositoryOwnerId: 9876543,
 *   oidcProvider: oidc,
 * });
 */
export class DomainIdentity extends Construct {
  /** The boundary of every role of the domain. */
  public readonly permissionsBoundary: iam.IManagedPolicy;

  /** The role CloudFormation uses to deploy the domain's stacks. */
  public readonly executionRole: iam.IRole;

  /**
   * The role the domain repository's deploy workflow assumes; `undefined` without the
   * repository's IDs ({@link DomainIdentityProps.repositoryId}).
   */
  public readonly deployRole?: iam.IRole;

  /**
   * The role the domain's people query with (`sdlf-<domain>-<environment>-analysts`): Athena in the
   * domain's workgroup, and what Lake Formation grants it, which the domain's stacks grant (the
   * links of its inputs). Any principal of the account whose own policy allows `sts:AssumeRole` on
   * it may assume it (an IAM Identity Center permission set, say); it carries the domain's boundary.
   */
  public readonly analystsRole: iam.IRole;

  /**
   * The role Lake Formation reads the domain's data products with (`sdlf-<domain>-<environment>-lake-access`):
   * the data access role of the domain's registered location, which reads the objects under
   * `analytics/` of the domain's buckets, and nothing else; `undefined` without
   * {@link DomainIdentityProps.dataBucketName}.
   */
  public readonly lakeAccessRole?: iam.IRole;

  /**
   * The location registered with Lake Formation, `arn:<partition>:s3:::<data bucket>/analytics/`;
   * `undefined` without {@link DomainIdentityProps.dataBucketName}.
   */
  public readonly dataLocationArn?: string;

  /** The name of the Glue security configuration the domain's jobs and crawlers use. */
  public readonly glueSecurityConfigurationName: string;

  constructor(scope: Construct, id: string, props: DomainIdentityProps) {
    super(scope, id);
    const { domain, environment } = props;
    const domainScope: DomainScope = {
      domain,
      environment,
      qualifier: props.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER,
      classificationTagKey: props.classificationTagKey ?? 'sdlf:classification',
      publicationAccounts: props.publicationAccounts,
    };

    const permissionsBoundary = new iam.ManagedPolicy(this, 'PermissionsBoundary', {
      managedPolicyName: permissionsBoundaryName(domain, environment),
      description: `Boundary of every role of domain ${domain} (${environment}): its own resources only`,
      statements: boundaryStatements(domainScope),
    });
    this.permissionsBoundary = permissionsBoundary;

    const executionPolicy = new iam.PolicyDocument({ statements: executionStatements(domainScope) });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: cloudFormationExecutionRoleName(domain, environment),
      description: `CloudFormation deploys domain ${domain} (${environment}) with this role`,
      assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
      inlinePolicies: { DeployDomainResources: executionPolicy },
    });

    const ids = repositoryIds(props);
    const deployPolicy = new iam.PolicyDocument({ statements: deployStatements(domainScope, this.executionRole.roleArn) });
    if (ids) {
      this.deployRole = new iam.Role(this, 'DeployRole', {
        roleName: deployRoleName(domain, environment),
        description: `GitHub Actions of ${props.repository} (repository ID ${ids.repositoryId}) deploy domain ${domain} (${environment}) with this role`,
        assumedBy: new iam.WebIdentityPrincipal(props.oidcProvider.providerArn, {
          StringEquals: {
            [`${GitHubOidcProvider.ISSUER}:aud`]: 'sts.amazonaws.com',
            [`${GitHubOidcProvider.ISSUER}:sub`]: githubDeploySubject(ids, environment),
          },
        }),
        inlinePolicies: { DeployDomainStacks: deployPolicy },
      });
    } else {
      // A role trusted by the repository's name would pass to whoever takes the name next: none at all,
      // until the registration says which repository (by its IDs) it is.
      Annotations.of(this).addWarningV2(
        'sdlf-mesh:deploy-role-without-repository-ids',
        `No deploy role for domain ${domain} in ${environment}: the registration of ${props.repository} has no repositoryId and repositoryOwnerId, ` +
          'which the role trusts (a repository name can pass to someone else, its IDs cannot). ' +
          `Add them to domains/${domain}.yaml (gh api repos/${props.repository} --jq '.id, .owner.id' prints them), ` +
          `or register the domain with sdlf-mesh new domain ${domain} --github ${props.repository} and a GitHub token.`,
      );
    }

    const analystPolicy = new iam.PolicyDocument({ statements: analystStatements(domainScope) });
    this.analystsRole = new iam.Role(this, 'AnalystsRole', {
      roleName: analystsRoleName(domain, environment),
      description: `The people of domain ${domain} (${environment}) query its data with this role: Athena in its workgroup, what Lake Formation grants it`,
      // The account decides who: a principal of it whose own policy allows assuming the role.
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary,
      inlinePolicies: { QueryDomainData: analystPolicy },
    });

    this.grantLakeFormation(domainScope, props.lakeBuckets ?? []);
    if (props.dataBucketName !== undefined) {
      const { role, location } = this.registerDataLocation(domainScope, props.dataBucketName);
      this.lakeAccessRole = role;
      this.dataLocationArn = location;
    }
    this.glueSecurityConfigurationName = this.createGlueSecurityConfiguration(domain, environment);

    const reason = (what: string) => `${what}: its wildcards are the domain's name prefixes (${domainStackPrefix(domain, environment)}*, ${domainResourcePrefix(domain, environment)}-*) and services that accept only *`;
    acknowledgeWildcards(permissionsBoundary, permissionsBoundary.document, reason('a permissions boundary caps what the domain roles may do and grants nothing itself'));
    acknowledgeWildcards(this.executionRole, executionPolicy, reason('the execution role creates, changes and deletes the domain resources'));
    acknowledgeWildcards(this.analystsRole, analystPolicy, reason('the analysts\' role queries in the domain\'s workgroup, reads table definitions Lake Formation decides on, and Lake Formation\'s data access takes no resource but *'));
    if (this.deployRole) {
      acknowledgeWildcards(this.deployRole, deployPolicy, reason('the deploy role publishes the domain assets and changes the domain stacks'));
    }
  }

  /**
   * The Glue security configuration of the domain environment, and the key of its job bookmarks.
   * S3 encryption is left to the bucket (its default encryption is the domain key, which Lake
   * Formation's readers use), CloudWatch Logs encryption to the log groups (the domain's stack
   * creates them with the domain key): with it, Glue would write to `/aws-glue/*` groups shared by
   * the account and need `logs:AssociateKmsKey` on them.
   */
  private createGlueSecurityConfiguration(domain: string, environment: string): string {
    const key = new kms.Key(this, 'GlueKey', {
      description: `Glue job bookmarks of domain ${domain} (${environment})`,
      enableKeyRotation: true,
    });
    // The domain's tags, above the platform's governance tags: the boundary lets the domain's roles use its keys by these.
    for (const [tag, value] of Object.entries({ 'sdlf:domain': domain, 'sdlf:environment': environment })) {
      Tags.of(key).add(tag, value, { priority: GovernanceTags.PRIORITY + 1 });
    }
    const name = glueSecurityConfigurationName(domain, environment);
    new glue.CfnSecurityConfiguration(this, 'GlueSecurityConfiguration', {
      name,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'DISABLED' }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'DISABLED' },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
      },
    });
    return name;
  }

  /**
   * Registers where the domain's data products' tables are (`analytics/` of its data bucket) with
   * Lake Formation, with a role of the platform's that reads those objects only (never the
   * service-linked role, whose policy Lake Formation widens to every location registered with it),
   * and lets the execution role create and change the tables there (data location access: it
   * creates the data products' databases and tables, and their stages add partitions within
   * them). The registration precedes the grant, which Lake Formation refuses on a location it
   * does not know.
   */
  private registerDataLocation(scope: DomainScope, bucketName: string): { role: iam.IRole; location: string } {
    const { domain, environment } = scope;
    if (!bucketName.startsWith(domainStackPrefix(domain, environment))) {
      throw new Error(`DomainIdentity ${domain}/${environment}: dataBucketName "${bucketName}" is not a bucket of the domain (${domainStackPrefix(domain, environment)}*), the only buckets its lake access role reads; give its domain stack's output DataBucketName`);
    }
    const policy = new iam.PolicyDocument({ statements: lakeAccessStatements(scope) });
    const role = new iam.Role(this, 'LakeAccessRole', {
      roleName: lakeAccessRoleName(domain, environment),
      description: `Lake Formation reads the data products of domain ${domain} (${environment}) with this role, for the principals granted their tables`,
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
      inlinePolicies: { ReadPublishedData: policy },
    });
    acknowledgeWildcards(role, policy, `Lake Formation reads the objects under ${PUBLISHED_DATA_PREFIX} of the domain's buckets (${domainStackPrefix(domain, environment)}*), decrypted with its keys (by their tags) through S3`);
    const location = `arn:${Aws.PARTITION}:s3:::${bucketName}/${PUBLISHED_DATA_PREFIX}`;
    const registration = new lakeformation.CfnResource(this, 'DataLocation', { resourceArn: location, roleArn: role.roleArn, useServiceLinkedRole: false });
    registration.node.addDependency(role);
    const grant = new lakeformation.CfnPrincipalPermissions(this, 'DataLocationAccess', {
      principal: { dataLakePrincipalIdentifier: this.executionRole.roleArn },
      resource: { dataLocation: { catalogId: Aws.ACCOUNT_ID, resourceArn: location } },
      permissions: ['DATA_LOCATION_ACCESS'],
      permissionsWithGrantOption: [],
    });
    grant.node.addDependency(registration, this.executionRole);
    return { role, location };
  }

  /**
   * What Lake Formation lets the execution role do besides creating databases (which Lake Formation
   * leaves to IAM by default, and IAM limits to the domain's names): tag with the classification
   * LF-tag, and use its lake folders. As creator it holds every permission on its databases and
   * tables, so it grants on them, and on nothing else.
   */
  private grantLakeFormation(scope: DomainScope, lakeBuckets: s3.IBucket[]): void {
    const principal = { dataLakePrincipalIdentifier: this.executionRole.roleArn };
    const catalogId = Aws.ACCOUNT_ID;
    const grants: Array<[string, lakeformation.CfnPrincipalPermissions.ResourceProperty, string[]]> = [
      ['ClassificationTag', { lfTag: { catalogId, tagKey: scope.classificationTagKey, tagValues: [...CLASSIFICATIONS] } }, ['ASSOCIATE', 'DESCRIBE']],
      // Named after the bucket, not its place in the list: a bucket added or removed moves no other grant.
      ...lakeBuckets.map(
        (bucket): [string, lakeformation.CfnPrincipalPermissions.ResourceProperty, string[]] => [
          `LakeLocation-${constructKey(bucket)}`,
          { dataLocation: { catalogId, resourceArn: `${bucket.bucketArn}/${scope.domain}/` } },
          ['DATA_LOCATION_ACCESS'],
        ],
      ),
    ];
    for (const [id, resource, permissions] of grants) {
      const grant = new lakeformation.CfnPrincipalPermissions(this, id, { principal, resource, permissions, permissionsWithGrantOption: [] });
      grant.node.addDependency(this.executionRole);
    }
  }
}

/** The repository's IDs, when both are given; one without the other is a mistake of the caller. */
function repositoryIds(props: DomainIdentityProps): GitHubRepositoryIds | undefined {
  const { repositoryId, repositoryOwnerId } = props;
  for (const [name, value] of Object.entries({ repositoryId, repositoryOwnerId })) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new Error(`DomainIdentity ${props.domain}/${props.environment}: ${name} must be a positive integer, GitHub's numeric ID (gh api repos/${props.repository} --jq '.id, .owner.id'); got ${value}`);
    }
  }
  if ((repositoryId === undefined) !== (repositoryOwnerId === undefined)) {
    throw new Error(`DomainIdentity ${props.domain}/${props.environment}: give repositoryId and repositoryOwnerId together (gh api repos/${props.repository} --jq '.id, .owner.id'); the deploy role trusts the two`);
  }
  return repositoryId !== undefined && repositoryOwnerId !== undefined ? { repositoryId, repositoryOwnerId } : undefined;
}
