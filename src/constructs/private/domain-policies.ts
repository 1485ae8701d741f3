import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { platformBoundaryArn } from './domain-boundary';
import { glueName } from '../../contract/glue-names';
import { domainLogGroupPrefix, domainResourcePrefix, domainStackPrefix, glueCrawlerLogGroup, PUBLISHED_DATA_PREFIX, vendedLogGroupPrefix } from '../../domain/names';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE_PREFIX, publicationSource } from '../../domain/publication-events';

/**
 * The names a domain's resources get in one environment, which the platform's policies are scoped
 * by. CloudFormation names what it creates `<stack name>-<logical id>-<suffix>`, and a domain's
 * stacks are `<domain>-<environment>-*`; what sdlf-mesh names itself is `sdlf-<domain>-<environment>-*`
 * (jobs, crawlers, state machines, workgroup, dashboard, budget); Glue databases are
 * `<domain>_<environment>_*`. The registry refuses domain names that would reach into another
 * domain's prefixes.
 */
export interface DomainScope {
  readonly domain: string;
  readonly environment: string;
  /** The CDK bootstrap qualifier of the account's asset bucket. */
  readonly qualifier: string;
  /** The classification LF-tag key. */
  readonly classificationTagKey: string;
  /**
   * The accounts the domain may route its data products' publications to (their default event
   * buses): the mesh's other accounts, as the platform knows them (see `publicationAccounts`).
   *
   * @default - none: publications stay in the domain's account
   */
  readonly publicationAccounts?: readonly string[];
}

const arn = (service: string, resource: string, regional = true) =>
  `arn:${Aws.PARTITION}:${service}:${regional ? Aws.REGION : ''}:${Aws.ACCOUNT_ID}:${resource}`;

/** `<domain>-<environment>-`: the prefix of the names CloudFormation gives the domain's resources. */
export function stackPrefix(scope: DomainScope): string {
  return domainStackPrefix(scope.domain, scope.environment);
}

/** The CDK bootstrap bucket of the account and region, which every domain shares. */
export function assetsBucketArn(scope: DomainScope): string {
  return `arn:${Aws.PARTITION}:s3:::cdk-${scope.qualifier}-assets-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** The folder of the bootstrap bucket that holds the domain's assets: `<domain>-<environment>/`. */
export function assetsPrefix(scope: DomainScope): string {
  return `${scope.domain}-${scope.environment}/`;
}

/**
 * Step Functions' log delivery: these actions accept no resource but `*`. Not
 * `logs:PutResourcePolicy`: the account holds ten log resource policies, shared by every domain, so
 * the platform writes the one that lets log delivery write to the domains' vended log groups
 * (`/aws/vendedlogs/sdlf/...`, see `DomainIdentity`), and a delivery to a group that policy covers
 * needs no other.
 */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
  'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
];

/**
 * S3 names buckets globally: `<domain>-<environment>-*` names buckets in every account. Every S3
 * statement holds only for the account the domain deploys to.
 */
const IN_THIS_ACCOUNT = { StringEquals: { 's3:ResourceAccount': Aws.ACCOUNT_ID } };

/**
 * The log groups of the domain: those CloudFormation names (`<domain>-<environment>-*`), those
 * sdlf-mesh names (`/sdlf/<domain>/<environment>/...`: the Glue jobs') and the state machines'
 * vended log groups (`/aws/vendedlogs/sdlf/<domain>/<environment>/...`), with their streams.
 */
function domainLogGroups(scope: DomainScope): string[] {
  return [`${stackPrefix(scope)}*`, `${domainLogGroupPrefix(scope.domain, scope.environment)}*`, `${vendedLogGroupPrefix(scope.domain, scope.environment)}*`].flatMap((name) => [
    arn('logs', `log-group:${name}`),
    arn('logs', `log-group:${name}:*`),
  ]);
}

const glue = (scope: DomainScope) => glueName(`${scope.domain}_${scope.environment}`);

/** Tag conditions that say a resource (a KMS key: it has no name) belongs to the domain and environment. */
function ownedBy(scope: DomainScope, key: 'aws:ResourceTag' | 'aws:RequestTag') {
  return { StringEquals: { [`${key}/sdlf:domain`]: scope.domain, [`${key}/sdlf:environment`]: scope.environment } };
}

/**
 * The permissions boundary of every role the domain creates: what its Lambda functions, Glue
 * jobs, crawlers and data-quality runs, and Step Functions state machines need, on the domain's
 * resources only. It grants nothing by itself; it caps what the roles' own policies can grant.
 */
export function boundaryStatements(scope: DomainScope): iam.PolicyStatement[] {
  const prefix = stackPrefix(scope);
  const sdlf = domainResourcePrefix(scope.domain, scope.environment);
  return [
    new iam.PolicyStatement({
      sid: 'DomainObjects',
      actions: ['s3:GetObject*', 's3:PutObject*', 's3:DeleteObject*', 's3:AbortMultipartUpload', 's3:ListBucket*', 's3:GetBucketLocation'],
      resources: [`arn:${Aws.PARTITION}:s3:::${prefix}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'DomainAssets',
      // Glue reads its script from the domain's folder of the shared bootstrap bucket.
      actions: ['s3:GetObject*'],
      resources: [`${assetsBucketArn(scope)}/${assetsPrefix(scope)}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'DomainKeys',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'],
      resources: [arn('kms', 'key/*')],
      conditions: ownedBy(scope, 'aws:ResourceTag'),
    }),
    new iam.PolicyStatement({
      sid: 'DomainCatalog',
      actions: [
        'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
        'glue:CreatePartition', 'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:UpdateTable', 'glue:CreateTable',
        'glue:GetDataQualityRuleset', 'glue:PublishDataQuality', 'glue:StartDataQualityRulesetEvaluationRun', 'glue:GetDataQualityRulesetEvaluationRun',
        'glue:GetDataQualityResult',
      ],
      resources: [arn('glue', 'catalog'), arn('glue', `database/${glue(scope)}_*`), arn('glue', `table/${glue(scope)}_*/*`), arn('glue', `dataQualityRuleset/${glue(scope)}_*`)],
    }),
    sharedCatalogReads(),
    new iam.PolicyStatement({
      sid: 'DomainJobs',
      actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun', 'glue:GetJob', 'glue:StartCrawler', 'glue:GetCrawler'],
      resources: [arn('glue', `job/${sdlf}-*`), arn('glue', `crawler/${sdlf}-*`)],
    }),
    // Glue takes no resource but * for these; the security configuration is the platform's (one a domain environment).
    new iam.PolicyStatement({ sid: 'GlueSecurityConfigurationsAndBookmarks', actions: ['glue:GetSecurityConfiguration', 'glue:GetJobBookmark'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'DomainPipelines',
      actions: [
        'states:StartExecution', 'states:DescribeExecution', 'states:StopExecution',
        'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl',
        'lambda:InvokeFunction',
        'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:DescribeTable', 'dynamodb:ConditionCheckItem', 'dynamodb:BatchWriteItem',
        'sns:Publish',
        'athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup',
      ],
      resources: [
        arn('states', `stateMachine:${sdlf}-*`),
        arn('states', `execution:${sdlf}-*`),
        arn('sqs', `${prefix}*`),
        arn('lambda', `function:${prefix}*`),
        arn('dynamodb', `table/${prefix}*`),
        arn('sns', `${prefix}*`),
        arn('athena', `workgroup/${sdlf}`),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'PassDomainRolesToGlue',
      actions: ['iam:PassRole'],
      resources: [`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${prefix}*`],
      conditions: { StringEquals: { 'iam:PassedToService': 'glue.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'Logs',
      // The domain's own log groups only: a Glue job logs to its stage's groups (`--custom-logGroup-prefix`),
      // which the domain's stack creates with its key, so no role needs `logs:AssociateKmsKey`.
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: domainLogGroups(scope),
    }),
    new iam.PolicyStatement({
      sid: 'GlueCrawlerLogs',
      // A crawler logs to Glue's shared group, one stream a crawler, named as the crawler: the
      // domain's crawlers' streams only, never another domain's.
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [arn('logs', `log-group:${glueCrawlerLogGroup()}:log-stream:${sdlf}-*`)],
    }),
    new iam.PolicyStatement({
      sid: 'LogDelivery',
      // Step Functions' log delivery and X-Ray accept no resource but *.
      actions: [
        ...LOG_DELIVERY_ACTIONS,
        'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'GlueMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    }),
    new iam.PolicyStatement({ sid: 'LakeFormationData', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'FoundationsParameters',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [arn('ssm', `parameter/sdlf/${scope.environment}/*`)],
    }),
    new iam.PolicyStatement({
      sid: 'PublishDataProducts',
      // A pipeline's last stage says its data product was published, on the account's default bus,
      // under the domain's own source only: no domain speaks for another in a shared account.
      actions: ['events:PutEvents'],
      resources: [arn('events', 'event-bus/default')],
      // Both keys hold every entry's value (a call may put several events): each must be the domain's.
      conditions: {
        'ForAllValues:StringEquals': { 'events:source': [publicationSource(scope.domain)], 'events:detail-type': [PUBLICATION_DETAIL_TYPE] },
        'Null': { 'events:source': 'false', 'events:detail-type': 'false' },
      },
    }),
    ...(scope.publicationAccounts?.length
      ? [
        new iam.PolicyStatement({
          sid: 'RoutePublicationsToTheMesh',
          // A data product's publications go to its consumers' default buses, in the mesh's other
          // accounts only: a rule's role may put events on no other bus, and what it puts there
          // itself is the domain's publications (a rule forwards the event it matched, which the
          // Guard hook keeps to the domain's publications).
          actions: ['events:PutEvents'],
          resources: [...scope.publicationAccounts].sort().map((account) => `arn:${Aws.PARTITION}:events:*:${account}:event-bus/default`),
          conditions: { 'ForAllValues:StringEquals': { 'events:source': [publicationSource(scope.domain)], 'events:detail-type': [PUBLICATION_DETAIL_TYPE] } },
        }),
      ]
      : []),
  ];
}

/**
 * The inputs a domain reads of other domains: their tables' definitions, in any account's catalog,
 * read only. Lake Formation decides which (the platform's lake gives new tables no IAM-only
 * access): a role sees the tables it was granted, through the domain's resource links.
 */
function sharedCatalogReads(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'SharedCatalogReads',
    actions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
    resources: [`arn:${Aws.PARTITION}:glue:*:*:catalog`, `arn:${Aws.PARTITION}:glue:*:*:database/*`, `arn:${Aws.PARTITION}:glue:*:*:table/*/*`],
  });
}

/**
 * What the domain's analysts' role may do: query in the domain's Athena workgroup, its results
 * under `athena-results/` of the domain's buckets (encrypted with the domain's keys), read table
 * definitions (Lake Formation decides which) and the data Lake Formation grants it. It reads no
 * data by IAM: what it may read is what the domain's grants give it (its inputs' links).
 */
export function analystStatements(scope: DomainScope): iam.PolicyStatement[] {
  const prefix = stackPrefix(scope);
  return [
    new iam.PolicyStatement({
      sid: 'DomainWorkgroup',
      actions: [
        'athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution',
        'athena:GetWorkGroup', 'athena:ListQueryExecutions', 'athena:BatchGetQueryExecution',
      ],
      resources: [arn('athena', `workgroup/${domainResourcePrefix(scope.domain, scope.environment)}`)],
    }),
    new iam.PolicyStatement({
      sid: 'QueryResults',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [`arn:${Aws.PARTITION}:s3:::${prefix}*/athena-results/*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'QueryResultsBucket',
      actions: ['s3:GetBucketLocation', 's3:ListBucket'],
      resources: [`arn:${Aws.PARTITION}:s3:::${prefix}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    domainKeysThroughS3(scope, ['kms:Decrypt', 'kms:GenerateDataKey']),
    sharedCatalogReads(),
    new iam.PolicyStatement({ sid: 'LakeFormationData', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
  ];
}

/** Using the domain's keys (by their tags) through S3 only: for its buckets' objects, which they encrypt. */
function domainKeysThroughS3(scope: DomainScope, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DomainKeysThroughS3',
    actions,
    resources: [arn('kms', 'key/*')],
    conditions: { StringEquals: { ...ownedBy(scope, 'aws:ResourceTag').StringEquals, 'kms:ViaService': `s3.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
  });
}

/**
 * What Lake Formation may read with the domain's lake access role, the data access role of its
 * registered location: the objects under `analytics/` of the domain's buckets in its account (its
 * data products' tables), decrypted with the domain's keys through S3. Read only: Lake Formation
 * vends it for reads (SELECT), and the domain's pipelines write with their own roles.
 */
export function lakeAccessStatements(scope: DomainScope): iam.PolicyStatement[] {
  const buckets = `arn:${Aws.PARTITION}:s3:::${stackPrefix(scope)}*`;
  return [
    new iam.PolicyStatement({
      sid: 'ReadPublishedData',
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: [`${buckets}/${PUBLISHED_DATA_PREFIX}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'ListPublishedData',
      actions: ['s3:ListBucket'],
      resources: [buckets],
      conditions: { ...IN_THIS_ACCOUNT, StringLike: { 's3:prefix': `${PUBLISHED_DATA_PREFIX}*` } },
    }),
    domainKeysThroughS3(scope, ['kms:Decrypt']),
  ];
}

/**
 * What the deploy role (GitHub Actions, through OIDC) may do itself: put the domain's assets in its
 * folder of the bootstrap bucket and run CloudFormation on the domain's stacks, always through
 * the domain's execution role. It can create no resource by itself.
 */
export function deployStatements(scope: DomainScope, executionRoleArn: string): iam.PolicyStatement[] {
  const stacks = arn('cloudformation', `stack/${stackPrefix(scope)}*/*`);
  const bucket = assetsBucketArn(scope);
  return [
    new iam.PolicyStatement({
      sid: 'ChangeDomainStacksThroughTheExecutionRole',
      actions: ['cloudformation:CreateChangeSet', 'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack'],
      resources: [stacks],
      conditions: { StringEquals: { 'cloudformation:RoleArn': executionRoleArn } },
    }),
    new iam.PolicyStatement({
      sid: 'RunDomainChangeSets',
      actions: [
        'cloudformation:ExecuteChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeChangeSet', 'cloudformation:DescribeStacks',
        'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStackResources', 'cloudformation:ListStackResources', 'cloudformation:GetTemplate',
        'cloudformation:GetTemplateSummary', 'cloudformation:ContinueUpdateRollback', 'cloudformation:RollbackStack', 'cloudformation:CancelUpdateStack',
      ],
      resources: [stacks],
    }),
    new iam.PolicyStatement({
      sid: 'ReadTheBootstrapStack',
      actions: ['cloudformation:DescribeStacks'],
      resources: [arn('cloudformation', 'stack/CDKToolkit/*')],
    }),
    new iam.PolicyStatement({
      sid: 'PassTheExecutionRole',
      actions: ['iam:PassRole'],
      resources: [executionRoleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'PublishDomainAssets',
      actions: ['s3:GetObject*', 's3:PutObject*', 's3:AbortMultipartUpload'],
      resources: [`${bucket}/${assetsPrefix(scope)}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'FindTheAssetsBucket',
      actions: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration'],
      resources: [bucket],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'ListDomainAssets',
      actions: ['s3:ListBucket'],
      resources: [bucket],
      conditions: { ...IN_THIS_ACCOUNT, StringLike: { 's3:prefix': `${assetsPrefix(scope)}*` } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadTheBootstrapVersion',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [arn('ssm', `parameter/cdk-bootstrap/${scope.qualifier}/version`)],
    }),
    new iam.PolicyStatement({
      sid: 'ImportNothing',
      // An import would hand the execution role a resource its stacks did not create (another
      // domain's security configuration, an untagged key of the account): the domain's stacks only
      // ever hold what they created.
      effect: iam.Effect.DENY,
      actions: ['cloudformation:CreateChangeSet'],
      resources: ['*'],
      conditions: { Null: { 'cloudformation:ImportResourceTypes': 'false' } },
    }),
  ];
}

/**
 * What CloudFormation may do for the domain (its execution role): create, change and delete the
 * resources a domain deploys, each kind scoped to the domain's names or tags; roles only with the
 * domain's boundary.
 */
export function executionStatements(scope: DomainScope): iam.PolicyStatement[] {
  const prefix = stackPrefix(scope);
  const sdlf = domainResourcePrefix(scope.domain, scope.environment);
  const roles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${prefix}*`;
  const withBoundary = { StringEquals: { 'iam:PermissionsBoundary': platformBoundaryArn(scope.domain, scope.environment) } };
  return [
    new iam.PolicyStatement({
      sid: 'RolesOnlyWithTheBoundary',
      // IAM sees the boundary and the name of a new role, never its trust policy (no condition key
      // holds it): that a role of a domain trusts AWS services only is checked by the platform's
      // CloudFormation Guard hook, before CloudFormation creates it. Here: the boundary, the name.
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      resources: [roles],
      conditions: withBoundary,
    }),
    new iam.PolicyStatement({
      sid: 'DomainRoles',
      // Not `iam:UpdateAssumeRolePolicy`: see KeepTheBoundaryAndTheTrust.
      actions: [
        'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:TagRole', 'iam:UntagRole',
        'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:DeleteRole',
      ],
      resources: [roles],
    }),
    new iam.PolicyStatement({
      sid: 'PassDomainRoles',
      actions: ['iam:PassRole'],
      resources: [roles],
      conditions: {
        StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'glue.amazonaws.com', 'states.amazonaws.com', 'events.amazonaws.com', 'scheduler.amazonaws.com'] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DomainBucketsQueuesTopicsTablesFunctions',
      actions: ['sqs:*', 'sns:*', 'dynamodb:*', 'lambda:*', 'states:*', 'athena:*'],
      resources: [
        arn('sqs', `${prefix}*`),
        arn('sns', `${prefix}*`),
        arn('dynamodb', `table/${prefix}*`),
        arn('lambda', `function:${prefix}*`),
        arn('states', `stateMachine:${sdlf}-*`),
        arn('athena', `workgroup/${sdlf}`),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'DomainBuckets',
      actions: ['s3:*'],
      resources: [`arn:${Aws.PARTITION}:s3:::${prefix}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'DomainEventRules',
      // The default bus carries every event of the account, the platform trail's S3 data events
      // included (who reads which data product). A rule's pattern must match objects created only
      // (S3's own events, which name a bucket and key, not a reader), or data products' publications
      // (`sdlf-mesh.<domain>`, which name a data product and version). Any other source or detail
      // type, or none, is refused; where a rule may send what it matches is the Guard hook's to check.
      actions: ['events:PutRule'],
      resources: [arn('events', `rule/${prefix}*`)],
      conditions: {
        'ForAllValues:StringLike': { 'events:source': ['aws.s3', `${PUBLICATION_SOURCE_PREFIX}*`], 'events:detail-type': ['Object Created', PUBLICATION_DETAIL_TYPE] },
        // A pattern without them would match every event: schedules are EventBridge Scheduler's (DomainSchedules).
        'Null': { 'events:source': 'false', 'events:detail-type': 'false' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DomainSchedules',
      actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:TagResource', 'scheduler:UntagResource', 'scheduler:ListTagsForResource'],
      resources: [arn('scheduler', `schedule/default/${sdlf}-*`)],
    }),
    new iam.PolicyStatement({
      sid: 'DomainEventRuleTargets',
      actions: ['events:PutTargets', 'events:RemoveTargets', 'events:DeleteRule', 'events:DescribeRule', 'events:EnableRule', 'events:DisableRule', 'events:ListTargetsByRule', 'events:TagResource', 'events:UntagResource', 'events:ListTagsForResource'],
      resources: [arn('events', `rule/${prefix}*`)],
    }),
    new iam.PolicyStatement({
      sid: 'DomainEventSourceMappings',
      actions: ['lambda:CreateEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'lambda:DeleteEventSourceMapping'],
      resources: ['*'],
      conditions: { ArnLike: { 'lambda:FunctionArn': arn('lambda', `function:${prefix}*`) } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadEventSourceMappings',
      actions: ['lambda:GetEventSourceMapping', 'lambda:ListEventSourceMappings'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DomainLogs',
      actions: ['logs:*'],
      resources: domainLogGroups(scope),
    }),
    new iam.PolicyStatement({
      sid: 'LogDeliveryAndListings',
      // Step Functions' log delivery, and the listings CloudFormation makes, accept no resource but *.
      // Glue's security configurations too: their names are shared by the account, so the platform
      // creates the domain's (see DomainIdentity) and the domain only reads it.
      actions: [...LOG_DELIVERY_ACTIONS, 'glue:GetSecurityConfiguration', 'glue:GetSecurityConfigurations', 'kms:ListAliases'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CreateDomainKeys',
      // A key is created with the domain's tags: KMS authorizes the tags of CreateKey as
      // kms:TagResource on no particular key (so this statement's *), with the request's tags only.
      actions: ['kms:CreateKey', 'kms:TagResource'],
      resources: ['*'],
      conditions: ownedBy(scope, 'aws:RequestTag'),
    }),
    // Tags decide who uses a key (the boundary's DomainKeys): an existing key is tagged only when it
    // is the domain's already. Without its tags (an untagged key of the account) or with another's,
    // tagging it would make it the domain's, and hand the role its key policy. One statement a tag:
    // either tag that differs refuses (StringNotEquals also holds when the key has no such tag).
    ...(['domain', 'environment'] as const).map(
      (tag) =>
        new iam.PolicyStatement({
          sid: `TagOnlyKeysOfTheDomainsOwn${tag === 'domain' ? 'Domain' : 'Environment'}`,
          effect: iam.Effect.DENY,
          actions: ['kms:TagResource', 'kms:UntagResource'],
          resources: [arn('kms', 'key/*')],
          conditions: { StringNotEquals: { [`aws:ResourceTag/sdlf:${tag}`]: scope[tag] } },
        }),
    ),
    new iam.PolicyStatement({
      sid: 'DomainKeys',
      actions: [
        'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:PutKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:EnableKeyRotation', 'kms:ListResourceTags',
        'kms:UpdateKeyDescription', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*',
        'kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias',
      ],
      resources: [arn('kms', 'key/*')],
      conditions: ownedBy(scope, 'aws:ResourceTag'),
    }),
    new iam.PolicyStatement({
      sid: 'CreateDomainCrawlersAndRulesets',
      // Glue names no resource when these are created: the domain's tags say whose they are.
      actions: ['glue:CreateCrawler', 'glue:CreateDataQualityRuleset'],
      resources: ['*'],
      conditions: ownedBy(scope, 'aws:RequestTag'),
    }),
    new iam.PolicyStatement({
      sid: 'DomainKeyAliases',
      actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'],
      resources: [arn('kms', `alias/sdlf/${scope.domain}/${scope.environment}`)],
    }),
    new iam.PolicyStatement({
      sid: 'DomainCatalog',
      actions: [
        'glue:GetDatabase', 'glue:GetDatabases', 'glue:CreateDatabase', 'glue:UpdateDatabase', 'glue:DeleteDatabase',
        'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable',
        'glue:GetPartitions', 'glue:BatchDeletePartition',
        'glue:UpdateDataQualityRuleset', 'glue:DeleteDataQualityRuleset', 'glue:GetDataQualityRuleset',
        'glue:TagResource', 'glue:UntagResource', 'glue:GetTags',
      ],
      resources: [arn('glue', 'catalog'), arn('glue', `database/${glue(scope)}_*`), arn('glue', `table/${glue(scope)}_*/*`), arn('glue', `userDefinedFunction/${glue(scope)}_*/*`), arn('glue', `dataQualityRuleset/${glue(scope)}_*`)],
    }),
    new iam.PolicyStatement({
      sid: 'DomainJobsAndCrawlers',
      actions: [
        'glue:CreateJob', 'glue:UpdateJob', 'glue:DeleteJob', 'glue:GetJob', 'glue:UpdateCrawler', 'glue:DeleteCrawler', 'glue:GetCrawler',
        'glue:TagResource', 'glue:UntagResource', 'glue:GetTags',
      ],
      resources: [arn('glue', `job/${sdlf}-*`), arn('glue', `crawler/${sdlf}-*`)],
    }),
    new iam.PolicyStatement({
      sid: 'DomainAlarmsAndDashboard',
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource', 'cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
      resources: [arn('cloudwatch', `alarm:${prefix}*`), arn('cloudwatch', `dashboard/${sdlf}`, false)],
    }),
    new iam.PolicyStatement({
      sid: 'DomainBudget',
      actions: ['budgets:ModifyBudget', 'budgets:ViewBudget', 'budgets:TagResource', 'budgets:UntagResource', 'budgets:ListTagsForResource'],
      resources: [`arn:${Aws.PARTITION}:budgets::${Aws.ACCOUNT_ID}:budget/${sdlf}`],
    }),
    new iam.PolicyStatement({
      sid: 'LakeFormationThroughItsOwnPermissions',
      // Lake Formation has no IAM resources: what the role may grant and tag is what Lake Formation
      // granted it (its databases, the classification tag), see DomainIdentity.
      actions: [
        'lakeformation:GrantPermissions', 'lakeformation:RevokePermissions', 'lakeformation:BatchGrantPermissions', 'lakeformation:BatchRevokePermissions',
        'lakeformation:ListPermissions', 'lakeformation:AddLFTagsToResource', 'lakeformation:RemoveLFTagsFromResource', 'lakeformation:GetResourceLFTags',
        'lakeformation:GetLFTag', 'lakeformation:ListLFTags', 'lakeformation:GetDataAccess',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'FoundationsParameters',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [arn('ssm', `parameter/sdlf/${scope.environment}/*`), arn('ssm', `parameter/cdk-bootstrap/${scope.qualifier}/version`)],
    }),
    new iam.PolicyStatement({
      sid: 'ReadDomainAssets',
      // CloudFormation reads the templates and Lambda the code the deploy role uploaded.
      actions: ['s3:GetObject*'],
      resources: [`${assetsBucketArn(scope)}/${assetsPrefix(scope)}*`],
      conditions: IN_THIS_ACCOUNT,
    }),
    new iam.PolicyStatement({
      sid: 'KeepTheBoundaryAndTheTrust',
      // A role's trust is set when it is created, where the Guard hook checks it: changing it
      // afterwards (a role of the domain trusting another account, or any GitHub workflow) is
      // refused, so a change of trust replaces the role and passes the hook again.
      effect: iam.Effect.DENY,
      actions: [
        'iam:DeleteRolePermissionsBoundary', 'iam:UpdateAssumeRolePolicy', 'iam:CreateUser', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion',
        'iam:DeletePolicy', 'iam:DeletePolicyVersion',
      ],
      resources: ['*'],
    }),
  ];
}


