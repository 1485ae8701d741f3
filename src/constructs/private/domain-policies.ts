import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { platformBoundaryArn } from './domain-boundary';
import { glueName } from '../../contract/glue-names';
import { domainResourcePrefix } from '../../domain/names';

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
}

const arn = (service: string, resource: string, regional = true) =>
  `arn:${Aws.PARTITION}:${service}:${regional ? Aws.REGION : ''}:${Aws.ACCOUNT_ID}:${resource}`;

/** `<domain>-<environment>-`: the prefix of the names CloudFormation gives the domain's resources. */
export function stackPrefix(scope: DomainScope): string {
  return `${scope.domain}-${scope.environment}-`;
}

/** The CDK bootstrap bucket of the account and region, which every domain shares. */
export function assetsBucketArn(scope: DomainScope): string {
  return `arn:${Aws.PARTITION}:s3:::cdk-${scope.qualifier}-assets-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/** The folder of the bootstrap bucket that holds the domain's assets: `<domain>-<environment>/`. */
export function assetsPrefix(scope: DomainScope): string {
  return `${scope.domain}-${scope.environment}/`;
}

/** Step Functions' log delivery: these actions accept no resource but `*`. */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
  'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
];

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
    }),
    new iam.PolicyStatement({
      sid: 'DomainAssets',
      // Glue reads its script from the domain's folder of the shared bootstrap bucket.
      actions: ['s3:GetObject*'],
      resources: [`${assetsBucketArn(scope)}/${assetsPrefix(scope)}*`],
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
    new iam.PolicyStatement({
      sid: 'DomainJobs',
      actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun', 'glue:GetJob', 'glue:StartCrawler', 'glue:GetCrawler'],
      resources: [arn('glue', `job/${sdlf}-*`), arn('glue', `crawler/${sdlf}-*`)],
    }),
    // Glue takes no resource but * for these.
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
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
      // Glue writes to its own log groups (`/aws-glue/...`), named by Glue, not by the domain.
      resources: [arn('logs', `log-group:${prefix}*`), arn('logs', `log-group:${prefix}*:*`), arn('logs', 'log-group:/aws-glue/*'), arn('logs', 'log-group:/aws-glue/*:*')],
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
    }),
    new iam.PolicyStatement({
      sid: 'FindTheAssetsBucket',
      actions: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration'],
      resources: [bucket],
    }),
    new iam.PolicyStatement({
      sid: 'ListDomainAssets',
      actions: ['s3:ListBucket'],
      resources: [bucket],
      conditions: { StringLike: { 's3:prefix': `${assetsPrefix(scope)}*` } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadTheBootstrapVersion',
      actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [arn('ssm', `parameter/cdk-bootstrap/${scope.qualifier}/version`)],
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
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      resources: [roles],
      conditions: withBoundary,
    }),
    new iam.PolicyStatement({
      sid: 'DomainRoles',
      actions: [
        'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:TagRole', 'iam:UntagRole',
        'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole',
      ],
      resources: [roles],
    }),
    new iam.PolicyStatement({
      sid: 'PassDomainRoles',
      actions: ['iam:PassRole'],
      resources: [roles],
      conditions: {
        StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'glue.amazonaws.com', 'states.amazonaws.com', 'events.amazonaws.com'] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'DomainBucketsQueuesTopicsTablesFunctions',
      actions: ['s3:*', 'sqs:*', 'sns:*', 'dynamodb:*', 'lambda:*', 'events:*', 'states:*', 'athena:*'],
      resources: [
        `arn:${Aws.PARTITION}:s3:::${prefix}*`,
        arn('sqs', `${prefix}*`),
        arn('sns', `${prefix}*`),
        arn('dynamodb', `table/${prefix}*`),
        arn('lambda', `function:${prefix}*`),
        arn('events', `rule/${prefix}*`),
        arn('states', `stateMachine:${sdlf}-*`),
        arn('athena', `workgroup/${sdlf}`),
      ],
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
      resources: [arn('logs', `log-group:${prefix}*`), arn('logs', `log-group:${prefix}*:*`)],
    }),
    new iam.PolicyStatement({
      sid: 'LogDeliveryAndListings',
      // Step Functions' log delivery, and the listings CloudFormation makes, accept no resource but *.
      actions: [
        ...LOG_DELIVERY_ACTIONS,
        'glue:CreateSecurityConfiguration', 'glue:DeleteSecurityConfiguration', 'glue:GetSecurityConfiguration', 'glue:GetSecurityConfigurations',
        'kms:ListAliases',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'CreateDomainKeys',
      actions: ['kms:CreateKey'],
      resources: ['*'],
      conditions: ownedBy(scope, 'aws:RequestTag'),
    }),
    new iam.PolicyStatement({
      sid: 'TagDomainKeys',
      // With the domain's tags only, and never a key that another domain's tags mark as its own:
      // retagging a key would make it the domain's.
      actions: ['kms:TagResource'],
      resources: [arn('kms', 'key/*')],
      conditions: {
        ...ownedBy(scope, 'aws:RequestTag'),
        StringEqualsIfExists: { 'aws:ResourceTag/sdlf:domain': scope.domain, 'aws:ResourceTag/sdlf:environment': scope.environment },
      },
    }),
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
    }),
    new iam.PolicyStatement({
      sid: 'KeepTheBoundary',
      effect: iam.Effect.DENY,
      actions: ['iam:DeleteRolePermissionsBoundary', 'iam:CreateUser', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion'],
      resources: ['*'],
    }),
  ];
}


