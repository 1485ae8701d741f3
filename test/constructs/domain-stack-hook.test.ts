/**
 * The platform's Guard hook on a domain's stacks, proven with the real cfn-guard: the rules the
 * platform app deploys (read back from its cloud assembly) pass the stacks a generated domain
 * synthesizes, and reject each attack of a hostile domain, written as its `src/` would write it
 * with the CDK, naming the rule and the resource. The templates are given to cfn-guard as the
 * hook gets them: each resource with its properties resolved in the account.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aws, CfnResource, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { DomainApp, GovernanceTags, PlatformApp } from '../../src';
import { tagManagerOf } from '../../src/constructs/private/tag-managers';
import { MESH_INDEX_FORMAT, MESH_INDEX_KIND, MeshIndex } from '../../src/contract/mesh-index';
import { DOMAIN_TAGGABLE_TYPES } from '../../src/platform/domain-stack-rules';
import { domainAppOf } from '../support/domain-app';
import { contractOfKind, CONSUMER_PRINCIPALS, domainRepository, threeContracts } from '../support/domain-repository';
import { exportsOf, GuardFailure, resolveForHook, runGuard } from '../support/guard-hook';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));

/** The platform, with domain `sales` registered in dev and `marketing`'s principal allowed by the policy. */
function platformApp(): PlatformApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
  fs.mkdirSync(path.join(dir, 'domains'));
  fs.writeFileSync(
    path.join(dir, 'domains', 'sales.yaml'),
    `domain: sales\nrepository: acme/sales-data\nowner: sales-data@example.com\ncostCenter: cc-1\nenvironments:\n  - name: dev\n    account: "${ACCOUNT}"\n    region: ${REGION}\n`,
  );
  fs.writeFileSync(path.join(dir, 'governance-policy.yaml'), `allowedConsumers:\n  domainPrincipals:\n    marketing: "${CONSUMER_PRINCIPALS.marketing}"\n`);
  return new PlatformApp({
    outdir: outdir(),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', account: ACCOUNT, region: REGION }],
    domainsDir: path.join(dir, 'domains'),
    governancePolicyFile: path.join(dir, 'governance-policy.yaml'),
  });
}

const platform = platformApp();
const platformAssembly = platform.synth();

/** The rules the platform deploys: the file asset its hook points at, as staged in the cloud assembly. */
const rules = (() => {
  const identity = platformAssembly.getStackByName('platform-dev-identity');
  const [hook] = Object.values(identity.template.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::CloudFormation::GuardHook');
  const uri = /^s3:\/\/cdk-hnb659fds-assets-111111111111-eu-west-1\/([0-9a-f]{64}\.guard)$/.exec(hook.Properties.RuleLocation.Uri);
  expect(uri).not.toBeNull();
  return fs.readFileSync(path.join(platformAssembly.directory, `asset.${uri![1]}`), 'utf8');
})();

function domainApp(contracts: Record<string, string>, meshIndex?: MeshIndex): DomainApp {
  return domainAppOf(domainRepository(contracts), { where: { account: ACCOUNT, region: REGION }, meshIndex });
}

/** Every stack of the app as the hook sees it, by stack name: resources resolved in the account. */
function hookInputs(app: DomainApp): Record<string, any> {
  const assembly = app.synth();
  const deployment = (stackName: string) => ({ account: ACCOUNT, region: REGION, stackName });
  const exports = Object.assign({}, ...assembly.stacks.map((stack) => exportsOf(stack.template, deployment(stack.stackName))));
  const inputOf = (stack: { template: any; stackName: string }) => resolveForHook(stack.template, { ...deployment(stack.stackName), exports });
  return Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, inputOf(stack)]));
}

/** The hook's failures on every stack of the app, as `stack rule resource`. */
function failures(app: DomainApp): string[] {
  return Object.entries(hookInputs(app)).flatMap(([stackName, input]) =>
    runGuard(rules, input).flatMap((failure) => failure.resources.map((resource) => `${stackName} ${failure.rule} ${resource}`)),
  );
}

/** The hook's failures, with their messages, on `resource` alone (the hook's input is one resource). */
function failuresOf(input: any, resource: string): GuardFailure[] {
  return runGuard(rules, { Resources: { [resource]: input.Resources[resource] } });
}

/** A domain with one data product (customers: a PII column, a grant to marketing), and the hostile code `attack` adds to its domain stack. */
function hostileDomain(attack: (stack: Stack) => void): DomainApp {
  const app = domainApp({ customers: contractOfKind('grant', 'customers') });
  attack(app.stages[0].domainStack);
  return app;
}

describe('the hook on the domain stacks', () => {
  test('is deployed by the platform for the registered domain: every resource change made with the domain\'s execution role, failing it', () => {
    const identity = Template.fromStack(platform.identityStacks[0]);
    const [hook] = Object.values(identity.findResources('AWS::CloudFormation::GuardHook'));
    const [executionRoleId] = Object.keys(identity.findResources('AWS::IAM::Role', { Properties: { RoleName: 'sdlf-sales-dev-cfn-exec' } }));
    expect(hook.Properties).toMatchObject({
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['RESOURCE'],
      StackFilters: { FilteringCriteria: 'ALL', StackRoles: { Include: [{ 'Fn::GetAtt': [executionRoleId, 'Arn'] }] } },
    });
    expect(hook.Properties.Alias).toMatch(/^Sdlf::Domain::SalesDev[0-9a-f]{8}$/);
    // The hook reads its rules with a role only CloudFormation's hooks assume.
    const hookRole = identity.toJSON().Resources[hook.Properties.ExecutionRole['Fn::GetAtt'][0]];
    expect(hookRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'hooks.cloudformation.amazonaws.com' } },
    ]);
    expect(rules).toBe(platform.domainHooks[0].rules);
    expect(GovernanceTags.untaggedResources(platform.identityStacks[0])).toEqual([]);
  });

  const generated = domainApp(threeContracts());

  test('passes every stack of a generated domain: grants by name to allowed consumers and to its own roles, service roles, governance tags', () => {
    expect(failures(generated)).toEqual([]);
  });

  test('requires the tags of every taggable resource type a generated domain deploys', () => {
    const taggable = generated.stages[0].node.findAll().filter(CfnResource.isCfnResource).filter((resource) => tagManagerOf(resource));
    const types = [...new Set(taggable.map((resource) => resource.cfnResourceType))].sort();
    expect(types.length).toBeGreaterThan(10);
    // A budget keeps its tags in ResourceTags, not Tags: the only type the rule does not read.
    expect(types.filter((type) => !DOMAIN_TAGGABLE_TYPES.includes(type) && type !== 'AWS::Budgets::Budget')).toEqual([]);
  });
});

describe('a hostile domain: Lake Formation grants', () => {
  const everyColumn = ['customer_id', 'customer_email', 'order_total', 'currency', 'ordered_at', 'order_id'];
  const table = () => ({ catalogId: Aws.ACCOUNT_ID, databaseName: 'sales_dev_customers', name: 'customers' });

  test('a raw CfnPrincipalPermissions granting every column, PII included, to any principal of the account fails sdlf_lf_grant_principal', () => {
    const app = hostileDomain((stack) => {
      new lakeformation.CfnPrincipalPermissions(stack, 'EveryColumnToTheAccount', {
        principal: { dataLakePrincipalIdentifier: Aws.ACCOUNT_ID },
        permissions: ['SELECT'],
        permissionsWithGrantOption: [],
        resource: { tableWithColumns: { ...table(), columnNames: everyColumn } },
      });
    });
    expect(failures(app)).toEqual(['sales-dev-domain sdlf_lf_grant_principal EveryColumnToTheAccount']);
  });

  test('the same grant to another account, or to a role of another domain, fails sdlf_lf_grant_principal', () => {
    const app = hostileDomain((stack) => {
      for (const [id, principal] of [['ToAnotherAccount', '999999999999'], ['ToAnotherDomain', `arn:aws:iam::${ACCOUNT}:role/finance-dev-analysts`]]) {
        new lakeformation.CfnPrincipalPermissions(stack, id, {
          principal: { dataLakePrincipalIdentifier: principal },
          permissions: ['SELECT'],
          permissionsWithGrantOption: [],
          resource: { tableWithColumns: { ...table(), columnNames: everyColumn } },
        });
      }
    });
    expect(failures(app).sort()).toEqual(['sales-dev-domain sdlf_lf_grant_principal ToAnotherAccount', 'sales-dev-domain sdlf_lf_grant_principal ToAnotherDomain']);
  });

  test('a column wildcard, a table wildcard or an LF-tag expression fails sdlf_lf_grant_names_columns, even to an allowed consumer', () => {
    const marketing = { dataLakePrincipalIdentifier: CONSUMER_PRINCIPALS.marketing };
    const app = hostileDomain((stack) => {
      new lakeformation.CfnPrincipalPermissions(stack, 'ColumnWildcard', {
        principal: marketing,
        permissions: ['SELECT'],
        permissionsWithGrantOption: [],
        resource: { tableWithColumns: { ...table(), columnWildcard: { excludedColumnNames: [] } } },
      });
      new lakeformation.CfnPrincipalPermissions(stack, 'TableWildcard', {
        principal: marketing,
        permissions: ['SELECT'],
        permissionsWithGrantOption: [],
        resource: { table: { catalogId: Aws.ACCOUNT_ID, databaseName: 'sales_dev_customers', tableWildcard: {} } },
      });
      new lakeformation.CfnPrincipalPermissions(stack, 'ByTagExpression', {
        principal: marketing,
        permissions: ['SELECT'],
        permissionsWithGrantOption: [],
        resource: { lfTagPolicy: { catalogId: Aws.ACCOUNT_ID, resourceType: 'TABLE', expression: [{ tagKey: 'sdlf:classification', tagValues: ['restricted'] }] } },
      });
      new lakeformation.CfnPermissions(stack, 'OlderResourceType', {
        dataLakePrincipal: marketing,
        permissions: ['SELECT'],
        resource: { tableWithColumnsResource: { catalogId: Aws.ACCOUNT_ID, databaseName: 'sales_dev_customers', name: 'customers', columnWildcard: {} } },
      });
    });
    expect(failures(app).sort()).toEqual([
      'sales-dev-domain sdlf_lf_grant_names_columns ByTagExpression',
      'sales-dev-domain sdlf_lf_grant_names_columns ColumnWildcard',
      'sales-dev-domain sdlf_lf_grant_names_columns OlderResourceType',
      'sales-dev-domain sdlf_lf_grant_names_columns TableWildcard',
    ]);
  });

  test('the message names the rule, and the fix', () => {
    const input = hookInputs(hostileDomain((stack) => {
      new lakeformation.CfnPrincipalPermissions(stack, 'EveryColumnToTheAccount', {
        principal: { dataLakePrincipalIdentifier: Aws.ACCOUNT_ID },
        permissions: ['SELECT'],
        permissionsWithGrantOption: [],
        resource: { tableWithColumns: { ...table(), columnNames: everyColumn } },
      });
    }))['sales-dev-domain'];
    const [failure] = failuresOf(input, 'EveryColumnToTheAccount');
    expect(failure.rule).toBe('sdlf_lf_grant_principal');
    expect(failure.messages.join('\n')).toContain(
      'Violation: sdlf_lf_grant_principal: a Lake Formation grant of domain sales goes to a principal outside the platform\'s allow-list ' +
        'Fix: grant a consumer the governance policy allows (allowedConsumers), through the data product\'s contract',
    );
  });

  test('a resource only the platform creates (an LF-tag, Lake Formation settings, an OIDC provider) fails sdlf_platform_resources_only', () => {
    const app = hostileDomain((stack) => {
      new lakeformation.CfnTag(stack, 'OwnTag', { tagKey: 'sales:anything', tagValues: ['yes'] });
      new lakeformation.CfnDataLakeSettings(stack, 'Settings', { admins: [{ dataLakePrincipalIdentifier: `arn:aws:iam::${ACCOUNT}:role/sales-dev-admin` }] });
      new iam.CfnOIDCProvider(stack, 'OwnProvider', { url: 'https://token.actions.githubusercontent.com', clientIdList: ['sts.amazonaws.com'] });
    });
    expect(failures(app).filter((failure) => failure.includes('sdlf_platform_resources_only')).sort()).toEqual([
      'sales-dev-domain sdlf_platform_resources_only OwnProvider',
      'sales-dev-domain sdlf_platform_resources_only OwnTag',
      'sales-dev-domain sdlf_platform_resources_only Settings',
    ]);
  });
});

describe('a domain that reads another domain\'s data product', () => {
  // sales reads marketing/campaigns (another account) through a link; marketing grants sales two columns.
  const CAMPAIGNS = { catalogId: '333333333333', databaseName: 'marketing_dev_campaigns', name: 'campaigns' };
  const index: MeshIndex = {
    kind: MESH_INDEX_KIND,
    format: MESH_INDEX_FORMAT,
    environment: 'dev',
    products: [{
      id: 'marketing/campaigns',
      domain: 'marketing',
      dataProduct: 'campaigns',
      status: 'active',
      account: CAMPAIGNS.catalogId,
      region: REGION,
      database: CAMPAIGNS.databaseName,
      tables: [{ name: 'campaigns', table: 'campaigns', columns: ['campaign_id', 'budget', 'owner_email'] }],
      grants: [{ kind: 'domain', id: 'sales', access: 'select', tables: [{ table: 'campaigns', columns: ['campaign_id', 'budget'] }] }],
    }],
  };
  const reading = () => domainApp({ orders: contractOfKind('lambda', 'orders').replace('  - property: sdlfConsumers', '  - property: sdlfInputs\n    value: [marketing/campaigns]\n  - property: sdlfConsumers') }, index);

  test('passes the hook: its link, and the grants on the link and on the producer\'s table to its own stage roles', () => {
    const app = reading();
    expect(app.stages[0].inputLinks.map((link) => link.linkName)).toEqual(['sales_dev_marketing__campaigns']);
    expect(failures(app)).toEqual([]);
  });

  test('hostile: passing the producer\'s grant on to an allowed consumer of its own, or with the grant option, fails sdlf_lf_shared_grants_own_roles', () => {
    const app = reading();
    const stack = app.stages[0].domainStack;
    const ownRole = new iam.Role(stack, 'OwnRole', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    const grant = (id: string, principal: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, grantable: string[] = []) =>
      new lakeformation.CfnPrincipalPermissions(stack, id, { principal: { dataLakePrincipalIdentifier: principal }, permissions: ['SELECT'], permissionsWithGrantOption: grantable, resource });
    const columns = { tableWithColumns: { ...CAMPAIGNS, columnNames: ['campaign_id', 'budget'] } };
    grant('PassedOnToMarketing', CONSUMER_PRINCIPALS.marketing, columns);
    grant('PassedOnGrantable', ownRole.roleArn, columns, ['SELECT']);
    // Another domain's database in this very account, as a same-account producer's is.
    grant('AnotherDomainsTable', CONSUMER_PRINCIPALS.marketing, { tableWithColumns: { catalogId: ACCOUNT, databaseName: 'finance_dev_ledger', name: 'entries', columnNames: ['amount'] } });
    grant('OwnRoleReads', ownRole.roleArn, columns);
    grant('OwnAnalystsRead', `arn:aws:iam::${ACCOUNT}:role/sdlf-sales-dev-analysts`, columns);
    grant('AnotherDomainsAnalysts', `arn:aws:iam::${ACCOUNT}:role/sdlf-finance-dev-analysts`, columns);
    const input = hookInputs(app)['sales-dev-domain'];
    const ruled = (resource: string) => failuresOf(input, resource).map((failure) => failure.rule);
    expect(ruled('PassedOnToMarketing')).toEqual(['sdlf_lf_shared_grants_own_roles']);
    expect(ruled('PassedOnGrantable')).toEqual(['sdlf_lf_shared_grants_own_roles']);
    expect(ruled('AnotherDomainsTable')).toEqual(['sdlf_lf_shared_grants_own_roles']);
    expect(ruled('OwnRoleReads')).toEqual([]);
    expect(ruled('OwnAnalystsRead')).toEqual([]);
    expect(ruled('AnotherDomainsAnalysts').sort()).toEqual(['sdlf_lf_grant_principal', 'sdlf_lf_shared_grants_own_roles']);
    expect(failuresOf(input, 'PassedOnGrantable')[0].messages.join('\n')).toContain('Fix: grant without the grant option');
  });
});

describe('a hostile domain: the classification of a sensitive column', () => {
  const pii = contractOfKind('grant', 'customers');
  const relabelled = pii.replace("        classification: restricted\n        tags: ['pii']\n", '        classification: public\n');
  const unclassified = pii.replace("        classification: restricted\n        tags: ['pii']\n", '');
  const columnTag = (app: DomainApp) => {
    const input = hookInputs(app)['sales-dev-dp-customers'];
    const [id] = Object.keys(input.Resources).filter((logical) => /ColumnTagcustomerscustomeremail/.test(logical));
    return { id, resource: input.Resources[id] };
  };
  const before = columnTag(domainApp({ customers: pii }));

  /** The hook's input for a change of the tag association, as CloudFormation gives it. */
  const change = (invocationPoint: string, after: any) => ({
    HookContext: { AWSAccountID: ACCOUNT, InvocationPoint: invocationPoint, TargetName: 'AWS::LakeFormation::TagAssociation', TargetType: 'RESOURCE', TargetLogicalId: before.id },
    Resources: { [before.id]: after },
    Previous: { [before.id]: before.resource },
  });

  test('a PII column carries the platform\'s classification LF-tag as restricted', () => {
    expect(before.resource.Properties.LFTags).toEqual([{ CatalogId: ACCOUNT, TagKey: 'sdlf:classification', TagValues: ['restricted'] }]);
  });

  test('relabelling a PII column public in the contract fails sdlf_classification_kept', () => {
    const after = columnTag(domainApp({ customers: relabelled }));
    expect(after.id).toBe(before.id);
    expect(after.resource.Properties.LFTags[0].TagValues).toEqual(['public']);
    expect(runGuard(rules, change('UPDATE_PRE_PROVISION', after.resource)).map((failure) => `${failure.rule} ${failure.resources}`)).toEqual([
      `sdlf_classification_kept ${before.id}`,
    ]);
  });

  test('dropping its classification (the tag association deleted) fails sdlf_classification_kept_on_delete', () => {
    expect(columnTag(domainApp({ customers: unclassified })).id).toBeUndefined();
    const failed = runGuard(rules, change('DELETE_PRE_PROVISION', { Type: before.resource.Type, Properties: {} }));
    expect(failed.map((failure) => `${failure.rule} ${failure.resources}`)).toEqual([`sdlf_classification_kept_on_delete ${before.id}`]);
    expect(failed[0].messages.join()).toContain('removes the restricted classification LF-tag');
  });

  test('making a column stricter, or keeping it, passes', () => {
    const publicColumn = { ...before.resource, Properties: { ...before.resource.Properties, LFTags: [{ CatalogId: ACCOUNT, TagKey: 'sdlf:classification', TagValues: ['public'] }] } };
    const stricter = { HookContext: { InvocationPoint: 'UPDATE_PRE_PROVISION' }, Resources: { [before.id]: before.resource }, Previous: { [before.id]: publicColumn } };
    expect(runGuard(rules, stricter)).toEqual([]);
    expect(runGuard(rules, change('UPDATE_PRE_PROVISION', before.resource))).toEqual([]);
  });
});

describe('a hostile domain: roles', () => {
  test.each([
    ['trusting "*"', () => new iam.AnyPrincipal()],
    ['trusting another account', () => new iam.AccountPrincipal('999999999999')],
    ['trusting a role of its own account', () => new iam.ArnPrincipal(`arn:aws:iam::${ACCOUNT}:role/sales-dev-somebody`)],
    [
      'trusting GitHub\'s OIDC for repo:acme/sales-data:* (any branch, any pull request)',
      () => new iam.WebIdentityPrincipal(`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`, {
        StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/sales-data:*' },
      }),
    ],
  ])('a role %s fails sdlf_role_trusts_services', (_name, principal) => {
    const app = hostileDomain((stack) => {
      new iam.Role(stack, 'Backdoor', { assumedBy: principal() });
    });
    const failed = failures(app);
    expect(failed.filter((failure) => failure.startsWith('sales-dev-domain sdlf_role_trusts_services '))).toHaveLength(1);
    expect(failed).toEqual([expect.stringMatching(/^sales-dev-domain sdlf_role_trusts_services Backdoor[0-9A-F]{8}$/)]);
  });
});

describe('a hostile domain: schedules', () => {
  test.each([
    ['another domain\'s state machine', `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:sdlf-finance-dev-ledger-heavy`],
    ['a state machine of its names in another account', `arn:aws:states:${REGION}:999999999999:stateMachine:sdlf-sales-dev-orders-heavy`],
    ['another domain\'s function', `arn:aws:lambda:${REGION}:${ACCOUNT}:function:finance-dev-dp-ledger-Router`],
    ['an SQS queue', `arn:aws:sqs:${REGION}:${ACCOUNT}:sales-dev-queue`],
  ])('a schedule that starts %s fails sdlf_schedule_own_targets; its own pipelines\' schedules pass', (_name, arn) => {
    const app = hostileDomain((stack) => {
      new scheduler.CfnSchedule(stack, 'Nightly', {
        scheduleExpression: 'cron(0 3 * * ? *)',
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn, roleArn: `arn:aws:iam::${ACCOUNT}:role/sales-dev-domain-SchedulerRole` },
      });
    });
    expect(failures(app)).toEqual([expect.stringMatching(/^sales-dev-domain sdlf_schedule_own_targets Nightly$/)]);
  });

  test('the schedules of the domain\'s own stages (a Glue stage on a schedule, a batch drained by its function) pass', () => {
    const scheduled = contractOfKind('lambda-glue', 'orders').replace('trigger: batch', 'trigger: schedule');
    const app = domainApp({ shipments: contractOfKind('lambda-glue', 'shipments'), orders: scheduled });
    const inputs = Object.values(hookInputs(app)).flatMap((input: any) => Object.values(input.Resources).filter((resource: any) => resource.Type === 'AWS::Scheduler::Schedule'));
    expect(inputs.map((resource: any) => resource.Properties.Target.Arn.split(':')[2]).sort()).toEqual(['lambda', 'states']);
    expect(failures(app)).toEqual([]);
  });
});

describe('a hostile domain: governance tags', () => {
  test('a bucket whose tags are deleted fails sdlf_governance_tags', () => {
    const app = hostileDomain((stack) => {
      const bucket = new s3.CfnBucket(stack, 'Untagged');
      bucket.addPropertyDeletionOverride('Tags');
    });
    expect(failures(app)).toEqual(['sales-dev-domain sdlf_governance_tags Untagged']);
  });

  test('a queue tagged as another domain\'s, or without a governance tag, fails sdlf_governance_tags_values', () => {
    const app = hostileDomain((stack) => {
      const bucket = new s3.CfnBucket(stack, 'Disguised');
      Tags.of(bucket).add('sdlf:domain', 'finance', { priority: 2000 });
      const other = new s3.CfnBucket(stack, 'Ownerless');
      Tags.of(other).remove('sdlf:owner', { priority: 2000 });
    });
    expect(failures(app).sort()).toEqual(['sales-dev-domain sdlf_governance_tags_values Disguised', 'sales-dev-domain sdlf_governance_tags_values Ownerless']);
  });
});
