/**
 * The platform's identities and limits for two registered domains, synthesized by the PlatformApp
 * and evaluated with a real IAM policy evaluator: what each domain's deploy role and execution role
 * may do, and what its boundary lets its roles do.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { DomainIdentity, PlatformApp } from '../../src';
import { domainAppOf } from '../support/domain-app';
import { domainRepository } from '../support/domain-repository';
import { decide, decideWebIdentity, Principal, resolve } from '../support/iam-evaluation';
import { nagFindings } from '../support/nag';

const DEV = { account: '111111111111', region: 'eu-west-1' };
const PROD = { account: '222222222222', region: 'eu-west-1' };
const ASSETS = `cdk-hnb659fds-assets-${DEV.account}-${DEV.region}`;

function registryOf(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const environment = (name: string, where: { account: string; region: string }, dataBucket?: string) =>
  `  - name: ${name}\n    account: "${where.account}"\n    region: ${where.region}\n` + (dataBucket ? `    dataBucket: ${dataBucket}\n` : '');
/** The data bucket sales has in dev, as CloudFormation names it (its domain stack's output DataBucketName). */
const SALES_DEV_BUCKET = 'sales-dev-domain-domainstoragedata1a2b3c-4d5e6f7a8b9c';
/** The GitHub IDs of the organization acme and of its repositories, as the API's `owner.id` and `id` give them. */
const ACME_ID = 9876543;
const REPOSITORY_IDS: Record<string, number> = { sales: 812345678, finance: 812345679 };
const registration = (domain: string, environments: string, ids = true) =>
  `domain: ${domain}\nrepository: acme/${domain}-data\n` +
  (ids ? `repositoryId: ${REPOSITORY_IDS[domain]}\nrepositoryOwnerId: ${ACME_ID}\n` : '') +
  `owner: ${domain}-data@example.com\ncostCenter: cc-${domain}\nenvironments:\n${environments}`;

function platform(options: { existingGitHubOidcProviders?: string[]; financeIds?: boolean; salesDevBucket?: string } = {}) {
  const { financeIds, salesDevBucket, ...props } = options;
  return new PlatformApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', ...DEV }, { name: 'test', ...DEV }, { name: 'prod', ...PROD }],
    domainsDir: registryOf({
      'sales.yaml': registration('sales', environment('dev', DEV, salesDevBucket ?? SALES_DEV_BUCKET) + environment('test', DEV) + environment('prod', PROD)),
      'finance.yaml': registration('finance', environment('dev', DEV) + environment('prod', PROD), financeIds ?? true),
    }),
    lakeAdmins: [`arn:aws:iam::${DEV.account}:role/platform-admin`],
    ...props,
  });
}

const app = platform();
const identity = (domain: string, env: string) => app.domainIdentities.find((candidate) => candidate.node.id === `${domain}-${env}`)!;

/** The deployed policies of a role of an identity, and the boundary its domain's roles carry. */
function deployed(id: DomainIdentity) {
  const stack = Stack.of(id);
  const template = Template.fromStack(stack).toJSON();
  const where = stack.account === DEV.account ? DEV : PROD;
  const logical = (construct: any) => stack.getLogicalId(construct.node.defaultChild);
  // The lake buckets come from the foundations stack: any bucket name stands for them here.
  const values = Object.fromEntries(
    Object.values(template.Resources as Record<string, any>)
      .flatMap((resource) => JSON.stringify(resource).match(/"Fn::ImportValue":"[^"]+"/g) ?? [])
      .map((match) => match.slice('"Fn::ImportValue":"'.length, -1))
      .map((name) => [name, `arn:aws:s3:::platform-lake-${name.length}`]),
  );
  // IAM names the account's OIDC provider by its URL: its Ref is that ARN.
  for (const [logicalId, resource] of Object.entries(template.Resources as Record<string, any>)) {
    if (resource.Type === 'AWS::IAM::OIDCProvider') {
      values[logicalId] = `arn:aws:iam::${where.account}:oidc-provider/${resource.Properties.Url.replace('https://', '')}`;
    }
  }
  const document = (construct: any, name: string) => {
    const inline = template.Resources[logical(construct)].Properties.Policies.find((policy: any) => policy.PolicyName === name);
    return resolve(inline.PolicyDocument, template, { ...where, values });
  };
  const boundary = resolve(template.Resources[logical(id.permissionsBoundary)].Properties.PolicyDocument, template, { ...where, values });
  const principal = (construct: any, name: string): Principal => ({
    arn: `arn:aws:iam::${where.account}:role/${template.Resources[logical(construct)].Properties.RoleName}`,
    account: where.account,
    identityPolicies: [document(construct, name)],
  });
  return {
    template,
    boundary,
    trust: resolve(template.Resources[logical(id.deployRole)].Properties.AssumeRolePolicyDocument, template, { ...where, values }),
    deployRoleArn: `arn:aws:iam::${where.account}:role/${template.Resources[logical(id.deployRole)].Properties.RoleName}`,
    deployRole: principal(id.deployRole, 'DeployDomainStacks'),
    executionRole: principal(id.executionRole, 'DeployDomainResources'),
    analystsRole: { ...principal(id.analystsRole, 'QueryDomainData'), permissionsBoundary: boundary },
    analystsTrust: resolve(template.Resources[logical(id.analystsRole)].Properties.AssumeRolePolicyDocument, template, { ...where, values }),
    lakeAccessRole: id.lakeAccessRole && principal(id.lakeAccessRole, 'ReadPublishedData'),
    lakeAccessTrust: id.lakeAccessRole &&
      resolve(template.Resources[logical(id.lakeAccessRole)].Properties.AssumeRolePolicyDocument, template, { ...where, values }),
    resolved: (value: unknown) => resolve(value, template, { ...where, values }),
  };
}

describe('the OIDC provider', () => {
  test('is created once an account, in the account\'s first environment', () => {
    const providers = app.identityStacks.map((stack) => Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider'));
    expect(app.identityStacks.map((stack) => stack.stackName)).toEqual(['platform-dev-identity', 'platform-test-identity', 'platform-prod-identity']);
    expect(providers.map((found) => Object.keys(found).length)).toEqual([1, 0, 1]);
    const [provider] = Object.values(providers[0]) as any[];
    expect(provider.Properties).toMatchObject({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
  });

  test('an existing provider is used, not created', () => {
    const existing = `arn:aws:iam::${PROD.account}:oidc-provider/token.actions.githubusercontent.com`;
    const withExisting = platform({ existingGitHubOidcProviders: [existing] });
    expect(withExisting.identityStacks.map((stack) => Object.keys(Template.fromStack(stack).findResources('AWS::IAM::OIDCProvider')).length)).toEqual([1, 0, 0]);
    const prodSales = withExisting.domainIdentities.find((candidate) => candidate.node.id === 'sales-prod')!;
    expect(deployed(prodSales).trust.Statement[0].Principal).toEqual({ Federated: existing });
  });
});

describe('the deploy role', () => {
  test.each([['sales', 'dev'], ['sales', 'prod'], ['finance', 'dev']])('of %s in %s is trusted by exactly its repository\'s IDs and environment', (domain, env) => {
    const { trust } = deployed(identity(domain, env));
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Action).toBe('sts:AssumeRoleWithWebIdentity');
    // Exactly these two keys with StringEquals: no StringLike, no wildcard, no branch or pull-request subject.
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repository_owner_id:${ACME_ID}:repository_id:${REPOSITORY_IDS[domain]}:environment:${env}`,
      },
    });
  });

  test('is assumed by a token of its repository\'s IDs only: not by the name, not by a repository that took the name, nor from another environment', async () => {
    const { trust, deployRoleArn } = deployed(identity('sales', 'prod'));
    const provider = `arn:aws:iam::${PROD.account}:oidc-provider/token.actions.githubusercontent.com`;
    // A deploy job's token: GitHub writes the subject from the claims the onboarding set (GITHUB_SUBJECT_CLAIM_KEYS).
    const assume = (sub: string, aud = 'sts.amazonaws.com') =>
      decideWebIdentity(trust, deployRoleArn, { provider, claims: { 'token.actions.githubusercontent.com:sub': sub, 'token.actions.githubusercontent.com:aud': aud } });
    const cases: Array<[string, string, string]> = [
      ['the repository, in prod', `repository_owner_id:${ACME_ID}:repository_id:812345678:environment:prod`, 'Allowed'],
      // GitHub's default subject, of names: what acme/sales-data's token says without the customization,
      // and what a repository named acme/sales-data says after the original was deleted or renamed.
      ['the name, default subject', 'repo:acme/sales-data:environment:prod', 'ImplicitlyDenied'],
      // The name re-created by someone else (in the same organization, or in one that took the name acme): a new ID.
      ['the name re-created, new repository ID', `repository_owner_id:${ACME_ID}:repository_id:912345678:environment:prod`, 'ImplicitlyDenied'],
      ['the name re-created, new owner', 'repository_owner_id:1234567:repository_id:812345678:environment:prod', 'ImplicitlyDenied'],
      ['another domain\'s repository', `repository_owner_id:${ACME_ID}:repository_id:812345679:environment:prod`, 'ImplicitlyDenied'],
      ['the repository, in dev', `repository_owner_id:${ACME_ID}:repository_id:812345678:environment:dev`, 'ImplicitlyDenied'],
      ['the repository, a pull request', `repository_owner_id:${ACME_ID}:repository_id:812345678:pull_request`, 'ImplicitlyDenied'],
    ];
    const decisions = await Promise.all(cases.map(async ([name, sub]) => [name, await assume(sub)]));
    expect(decisions).toEqual(cases.map(([name, , expected]) => [name, expected]));
    // A token for another audience is refused even with the right subject.
    expect(await assume(`repository_owner_id:${ACME_ID}:repository_id:812345678:environment:prod`, 'https://github.com/acme')).toBe('ImplicitlyDenied');
  });

  test('is not created for a registration without the repository\'s IDs, and synth says how to add them', () => {
    const withoutIds = platform({ financeIds: false });
    const finance = withoutIds.domainIdentities.filter((candidate) => candidate.node.id.startsWith('finance-'));
    expect(finance.map((candidate) => [candidate.node.id, candidate.deployRole])).toEqual([['finance-dev', undefined], ['finance-prod', undefined]]);
    const roles = Object.values(Template.fromStack(Stack.of(finance[0])).findResources('AWS::IAM::Role')).map((role: any) => role.Properties.RoleName);
    expect(roles).toEqual(expect.arrayContaining(['sdlf-sales-dev-deploy', 'sdlf-finance-dev-cfn-exec']));
    expect(roles).not.toContain('sdlf-finance-dev-deploy');
    const warnings = Annotations.fromStack(Stack.of(finance[0])).findWarning('*', Match.stringLikeRegexp('No deploy role'));
    expect(warnings.map((warning) => warning.entry.data)).toEqual([
      'No deploy role for domain finance in dev: the registration of acme/finance-data has no repositoryId and repositoryOwnerId, which the role trusts ' +
        '(a repository name can pass to someone else, its IDs cannot). Add them to domains/finance.yaml (gh api repos/acme/finance-data --jq \'.id, .owner.id\' prints them), ' +
        'or register the domain with sdlf-mesh new domain finance --github acme/finance-data and a GitHub token. [ack: sdlf-mesh:deploy-role-without-repository-ids]',
    ]);
  });

  test('runs CloudFormation on its own stacks only, and only through its own execution role', async () => {
    const sales = deployed(identity('sales', 'dev'));
    const stack = (name: string) => `arn:aws:cloudformation:${DEV.region}:${DEV.account}:stack/${name}/0f5a4e20-0000-11ee-8d3b-0a1b2c3d4e5f`;
    const salesExecution = `arn:aws:iam::${DEV.account}:role/sdlf-sales-dev-cfn-exec`;
    const financeExecution = `arn:aws:iam::${DEV.account}:role/sdlf-finance-dev-cfn-exec`;
    const changeSet = (name: string, role?: string) => decide(sales.deployRole, { action: 'cloudformation:CreateChangeSet', resource: stack(name), context: role ? { 'cloudformation:RoleArn': role } : {} });
    expect(await changeSet('sales-dev-domain', salesExecution)).toBe('Allowed');
    expect(await changeSet('sales-dev-dp-orders', salesExecution)).toBe('Allowed');
    expect(await changeSet('finance-dev-domain', salesExecution)).toBe('ImplicitlyDenied');
    expect(await changeSet('finance-dev-domain', financeExecution)).toBe('ImplicitlyDenied');
    expect(await changeSet('sales-dev-domain', financeExecution)).toBe('ImplicitlyDenied');
    // Without an execution role CloudFormation would act with the deploy role's own rights.
    expect(await changeSet('sales-dev-domain')).toBe('ImplicitlyDenied');
    expect(await changeSet('sales-test-domain', salesExecution)).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 'cloudformation:ExecuteChangeSet', resource: stack('finance-dev-domain') })).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 'cloudformation:DeleteStack', resource: stack('platform-dev-foundations'), context: { 'cloudformation:RoleArn': salesExecution } })).toBe('ImplicitlyDenied');
  });

  test('passes only its own execution role, to CloudFormation only', async () => {
    const sales = deployed(identity('sales', 'dev'));
    const pass = (role: string, service: string) => decide(sales.deployRole, { action: 'iam:PassRole', resource: `arn:aws:iam::${DEV.account}:role/${role}`, context: { 'iam:PassedToService': service } });
    expect(await pass('sdlf-sales-dev-cfn-exec', 'cloudformation.amazonaws.com')).toBe('Allowed');
    expect(await pass('sdlf-sales-dev-cfn-exec', 'lambda.amazonaws.com')).toBe('ImplicitlyDenied');
    expect(await pass('sdlf-finance-dev-cfn-exec', 'cloudformation.amazonaws.com')).toBe('ImplicitlyDenied');
    expect(await pass('cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1', 'cloudformation.amazonaws.com')).toBe('ImplicitlyDenied');
  });

  test('publishes assets to its own folder of the bootstrap bucket only', async () => {
    const sales = deployed(identity('sales', 'dev'));
    const put = (key: string) => decide(sales.deployRole, { action: 's3:PutObject', resource: `arn:aws:s3:::${ASSETS}/${key}` });
    expect(await put('sales-dev/4b1e0c8d.zip')).toBe('Allowed');
    expect(await put('finance-dev/4b1e0c8d.zip')).toBe('ImplicitlyDenied');
    expect(await put('4b1e0c8d.zip')).toBe('ImplicitlyDenied');
    expect(await put('sales-devx/4b1e0c8d.zip')).toBe('ImplicitlyDenied');
    const list = (prefix: string) => decide(sales.deployRole, { action: 's3:ListBucket', resource: `arn:aws:s3:::${ASSETS}`, context: { 's3:prefix': prefix } });
    expect(await list('sales-dev/4b1e0c8d.zip')).toBe('Allowed');
    expect(await list('finance-dev/')).toBe('ImplicitlyDenied');
    expect(await list('')).toBe('ImplicitlyDenied');
  });

  test('creates, changes or deletes nothing by itself: not its own resources, nor another domain\'s', async () => {
    const sales = deployed(identity('sales', 'dev'));
    const glue = (resource: string) => `arn:aws:glue:${DEV.region}:${DEV.account}:${resource}`;
    expect(await decide(sales.deployRole, { action: 'glue:DeleteDatabase', resource: glue('database/finance_dev_ledger') })).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 'glue:CreateDatabase', resource: glue('database/sales_dev_orders') })).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 'iam:DeleteRole', resource: `arn:aws:iam::${DEV.account}:role/finance-dev-domain-Role-1A2B3C` })).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 's3:DeleteBucket', resource: 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c' })).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 'iam:CreateRole', resource: `arn:aws:iam::${DEV.account}:role/sales-dev-anything`, context: { 'iam:PermissionsBoundary': `arn:aws:iam::${DEV.account}:policy/sdlf-sales-dev-boundary` } })).toBe('ImplicitlyDenied');
    expect(await decide(sales.deployRole, { action: 's3:CreateBucket', resource: 'arn:aws:s3:::sales-dev-domain-data' })).toBe('ImplicitlyDenied');
  });
});

const role = (name: string) => `arn:aws:iam::${DEV.account}:role/${name}`;
const KEY = `arn:aws:kms:${DEV.region}:${DEV.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
// The key policy CDK gives a key: the account's IAM policies decide who uses it.
const KEY_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV.account}:root` }, Action: 'kms:*', Resource: '*' }] };
const resourcePolicyOf = (resource: string) => (resource.startsWith('arn:aws:kms:') ? KEY_POLICY : undefined);

type Case = [action: string, resource: string, context: Record<string, string | string[]>, expected: string];

/** `action resource decision` of each case, so a failure names every case that went wrong. */
async function decisionsOf(principal: Principal, cases: Case[]): Promise<string[]> {
  const one = ([action, resource, context]: Case) => decide(principal, { action, resource, context }, resourcePolicyOf(resource));
  const decisions = await Promise.all(cases.map(one));
  return cases.map(([action, resource], index) => `${action} ${resource} ${decisions[index]}`);
}

const expectations = (cases: Case[]) => cases.map(([action, resource, , expected]) => `${action} ${resource} ${expected}`);

describe('the execution role', () => {
  const boundaryOf = (domain: string, env = 'dev') => `arn:aws:iam::${DEV.account}:policy/sdlf-${domain}-${env}-boundary`;

  test('creates a role only with its domain\'s boundary, and never removes it', async () => {
    const { executionRole } = deployed(identity('sales', 'dev'));
    const create = (name: string, boundary?: string) => decide(executionRole, { action: 'iam:CreateRole', resource: role(name), context: boundary ? { 'iam:PermissionsBoundary': boundary } : {} });
    expect(await create('sales-dev-dp-orders-GlueRole-1A2B3C')).toBe('ImplicitlyDenied');
    expect(await create('sales-dev-dp-orders-GlueRole-1A2B3C', boundaryOf('sales'))).toBe('Allowed');
    expect(await create('sales-dev-dp-orders-GlueRole-1A2B3C', boundaryOf('finance'))).toBe('ImplicitlyDenied');
    expect(await create('sales-dev-dp-orders-GlueRole-1A2B3C', boundaryOf('sales', 'prod'))).toBe('ImplicitlyDenied');
    expect(await create('finance-dev-domain-Role-1A2B3C', boundaryOf('finance'))).toBe('ImplicitlyDenied');
    expect(await create('sdlf-sales-dev-deploy', boundaryOf('sales'))).toBe('ImplicitlyDenied');
    const policy = (boundary?: string) => decide(executionRole, { action: 'iam:PutRolePolicy', resource: role('sales-dev-domain-Role-1A2B3C'), context: boundary ? { 'iam:PermissionsBoundary': boundary } : {} });
    expect(await policy()).toBe('ImplicitlyDenied');
    expect(await policy(boundaryOf('sales'))).toBe('Allowed');
    expect(await decide(executionRole, { action: 'iam:DeleteRolePermissionsBoundary', resource: role('sales-dev-domain-Role-1A2B3C') })).toBe('ExplicitlyDenied');
    expect(await decide(executionRole, { action: 'iam:CreatePolicyVersion', resource: boundaryOf('sales') })).toBe('ExplicitlyDenied');
  });

  test('touches its domain\'s buckets, Glue databases, stacks\' roles and keys, and none of another domain\'s', async () => {
    const { executionRole } = deployed(identity('sales', 'dev'));
    const glue = (resource: string) => `arn:aws:glue:${DEV.region}:${DEV.account}:${resource}`;
    const cases: Case[] = [
      ['s3:CreateBucket', 'arn:aws:s3:::sales-dev-domain-domainstoragedata1a2b3c', {}, 'Allowed'],
      ['s3:CreateBucket', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c', {}, 'ImplicitlyDenied'],
      ['s3:PutBucketPolicy', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c', {}, 'ImplicitlyDenied'],
      ['s3:PutObject', `arn:aws:s3:::${ASSETS}/finance-dev/4b1e0c8d.zip`, {}, 'ImplicitlyDenied'],
      ['glue:CreateDatabase', glue('database/sales_dev_orders'), {}, 'Allowed'],
      ['glue:DeleteDatabase', glue('database/finance_dev_ledger'), {}, 'ImplicitlyDenied'],
      ['glue:UpdateTable', glue('table/finance_dev_ledger/entries'), {}, 'ImplicitlyDenied'],
      ['glue:CreateJob', glue('job/sdlf-finance-dev-ledger-heavy'), {}, 'ImplicitlyDenied'],
      ['iam:DeleteRole', role('finance-dev-dp-ledger-Role-1A2B3C'), {}, 'ImplicitlyDenied'],
      ['iam:PassRole', role('finance-dev-dp-ledger-Role-1A2B3C'), { 'iam:PassedToService': 'lambda.amazonaws.com' }, 'ImplicitlyDenied'],
      ['iam:PassRole', role('sales-dev-dp-orders-Role-1A2B3C'), { 'iam:PassedToService': 'lambda.amazonaws.com' }, 'Allowed'],
      ['lambda:UpdateFunctionCode', `arn:aws:lambda:${DEV.region}:${DEV.account}:function:finance-dev-dp-ledger-Router`, {}, 'ImplicitlyDenied'],
      ['kms:CreateKey', '*', { 'aws:RequestTag/sdlf:domain': 'sales', 'aws:RequestTag/sdlf:environment': 'dev' }, 'Allowed'],
      ['kms:CreateKey', '*', { 'aws:RequestTag/sdlf:domain': 'finance', 'aws:RequestTag/sdlf:environment': 'dev' }, 'ImplicitlyDenied'],
      ['kms:PutKeyPolicy', KEY, { 'aws:ResourceTag/sdlf:domain': 'finance', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'ImplicitlyDenied'],
      ['kms:PutKeyPolicy', KEY, { 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'Allowed'],
      ['s3:DeleteBucket', 'arn:aws:s3:::platform-dev-foundations-rawbucket1a2b3c', {}, 'ImplicitlyDenied'],
      // Retagging another domain's key would make it this domain's.
      ['kms:TagResource', KEY, { 'aws:RequestTag/sdlf:domain': 'sales', 'aws:RequestTag/sdlf:environment': 'dev', 'aws:ResourceTag/sdlf:domain': 'finance', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'ExplicitlyDenied'],
      ['kms:TagResource', KEY, { 'aws:RequestTag/sdlf:domain': 'sales', 'aws:RequestTag/sdlf:environment': 'dev', 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'Allowed'],
      ['kms:TagResource', KEY, { 'aws:RequestTag/sdlf:domain': 'finance', 'aws:RequestTag/sdlf:environment': 'dev', 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(executionRole, cases)).toEqual(expectations(cases));
  });
});

describe('the boundary', () => {
  test('lets a role of the domain use its own data and keys, never another domain\'s (whose table definitions it may only read)', async () => {
    const { boundary } = deployed(identity('sales', 'dev'));
    // A role that was granted everything: the boundary alone decides.
    const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const bounded: Principal = { arn: role('sales-dev-dp-orders-Role-1A2B3C'), account: DEV.account, identityPolicies: [everything], permissionsBoundary: boundary };
    const cases: Case[] = [
      ['s3:GetObject', 'arn:aws:s3:::sales-dev-domain-domainstoragedata1a2b3c/stage/orders/part-0.parquet', {}, 'Allowed'],
      ['s3:GetObject', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c/stage/ledger/part-0.parquet', {}, 'ImplicitlyDenied'],
      ['s3:GetObject', `arn:aws:s3:::${ASSETS}/finance-dev/script.py`, {}, 'ImplicitlyDenied'],
      // Another domain's table definitions are read only, as the inputs a domain links are: Lake
      // Formation decides which (the platform's lake gives new tables no IAM-only access). Never written.
      ['glue:GetTable', `arn:aws:glue:${DEV.region}:${DEV.account}:table/finance_dev_ledger/entries`, {}, 'Allowed'],
      ['glue:UpdateTable', `arn:aws:glue:${DEV.region}:${DEV.account}:table/finance_dev_ledger/entries`, {}, 'ImplicitlyDenied'],
      ['glue:CreatePartition', `arn:aws:glue:${DEV.region}:222222222222:table/finance_prod_ledger/entries`, {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, { 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'Allowed'],
      ['kms:Decrypt', KEY, { 'aws:ResourceTag/sdlf:domain': 'finance', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, { 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'prod' }, 'ImplicitlyDenied'],
      ['iam:CreateRole', role('sales-dev-escalate'), {}, 'ImplicitlyDenied'],
      ['iam:PassRole', role('finance-dev-dp-ledger-Role-1A2B3C'), { 'iam:PassedToService': 'glue.amazonaws.com' }, 'ImplicitlyDenied'],
      ['sts:AssumeRole', role('sdlf-sales-dev-deploy'), {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(bounded, cases)).toEqual(expectations(cases));
  });
});

test('the identity stacks pass the AWS Solutions rules, their wildcards acknowledged with reasons', () => {
  expect(nagFindings(platform())).toEqual([]);
});

/**
 * What a domain's own stacks (its `src/`, deployed by its execution role) could do to other domains
 * or to the account through names and services every domain shares, evaluated on the deployed
 * policies: each call is refused, and the same kind of call on the domain's own resources passes.
 */
describe('a hostile domain stack', () => {
  const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  /** A role of the sales domain that was granted everything: its boundary alone decides. */
  const boundedRole = (): Principal => ({ arn: role('sales-dev-dp-orders-Role-1A2B3C'), account: DEV.account, identityPolicies: [everything], permissionsBoundary: deployed(identity('sales', 'dev')).boundary });
  const logs = (resource: string) => `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:${resource}`;

  test('cannot change whom a role trusts, not even a role of its own domain, and creates roles only with its boundary', async () => {
    const { executionRole } = deployed(identity('sales', 'dev'));
    const cases: Case[] = [
      // A role `sales-dev-x` made to trust {"AWS": "*"}, another account or any workflow of the repository.
      ['iam:UpdateAssumeRolePolicy', role('sales-dev-dp-orders-GlueRole-1A2B3C'), {}, 'ExplicitlyDenied'],
      ['iam:UpdateAssumeRolePolicy', role('sdlf-sales-dev-deploy'), {}, 'ExplicitlyDenied'],
      // Its own pipeline still deploys: roles with the boundary, their policies, passed to its services.
      ['iam:CreateRole', role('sales-dev-dp-orders-GlueRole-1A2B3C'), { 'iam:PermissionsBoundary': `arn:aws:iam::${DEV.account}:policy/sdlf-sales-dev-boundary` }, 'Allowed'],
      ['iam:PutRolePolicy', role('sales-dev-dp-orders-GlueRole-1A2B3C'), { 'iam:PermissionsBoundary': `arn:aws:iam::${DEV.account}:policy/sdlf-sales-dev-boundary` }, 'Allowed'],
      ['iam:DeleteRole', role('sales-dev-dp-orders-GlueRole-1A2B3C'), {}, 'Allowed'],
    ];
    expect(await decisionsOf(executionRole, cases)).toEqual(expectations(cases));
  });

  test('cannot create, delete or import a Glue security configuration, whose names the account shares: the platform creates the domain\'s', async () => {
    const sales = deployed(identity('sales', 'dev'));
    const stack = `arn:aws:cloudformation:${DEV.region}:${DEV.account}:stack/sales-dev-domain/0f5a4e20-0000-11ee-8d3b-0a1b2c3d4e5f`;
    const execution: Case[] = [
      ['glue:CreateSecurityConfiguration', '*', {}, 'ImplicitlyDenied'],
      ['glue:DeleteSecurityConfiguration', '*', {}, 'ImplicitlyDenied'],
      ['glue:GetSecurityConfiguration', '*', {}, 'Allowed'],
    ];
    expect(await decisionsOf(sales.executionRole, execution)).toEqual(expectations(execution));
    // Importing a resource (another domain's security configuration, an untagged key) would make it the stack's.
    const changeSet = (context: Record<string, string | string[]>) =>
      decide(sales.deployRole, { action: 'cloudformation:CreateChangeSet', resource: stack, context: { 'cloudformation:RoleArn': `arn:aws:iam::${DEV.account}:role/sdlf-sales-dev-cfn-exec`, ...context } });
    expect(await changeSet({ 'cloudformation:ImportResourceTypes': ['AWS::Glue::SecurityConfiguration'] })).toBe('ExplicitlyDenied');
    expect(await changeSet({})).toBe('Allowed');
    // The platform's identity stack creates it, under the name the domain's jobs use.
    const configurations = Object.values(sales.template.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::Glue::SecurityConfiguration');
    expect(configurations.map((resource) => resource.Properties.Name).sort()).toEqual(['sdlf-finance-dev', 'sdlf-sales-dev']);
  });

  test('cannot write the account\'s log resource policies, Glue\'s shared log groups or another crawler\'s logs, nor attach a key to a log group', async () => {
    const { executionRole } = deployed(identity('sales', 'dev'));
    const execution: Case[] = [
      ['logs:PutResourcePolicy', '*', {}, 'ImplicitlyDenied'],
      ['logs:CreateLogDelivery', '*', {}, 'Allowed'],
      ['logs:CreateLogGroup', logs('/aws/vendedlogs/sdlf/sales/dev/orders/light-transform'), {}, 'Allowed'],
      ['logs:CreateLogGroup', logs('/sdlf/sales/dev/orders/heavy-transform/error'), {}, 'Allowed'],
      ['logs:CreateLogGroup', logs('/aws/vendedlogs/sdlf/finance/dev/ledger/light-transform'), {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(executionRole, execution)).toEqual(expectations(execution));
    const runtime: Case[] = [
      ['logs:PutResourcePolicy', '*', {}, 'ImplicitlyDenied'],
      ['logs:PutLogEvents', logs('/aws-glue/jobs/output:log-stream:jr_1-driver'), {}, 'ImplicitlyDenied'],
      ['logs:CreateLogStream', logs('/aws-glue/jobs/error:log-stream:jr_1-driver'), {}, 'ImplicitlyDenied'],
      ['logs:AssociateKmsKey', logs('/aws-glue/crawlers-role/finance-dev-dp-ledger-Role-1A2B3C-sdlf-finance-dev'), {}, 'ImplicitlyDenied'],
      ['logs:PutLogEvents', logs('/aws-glue/crawlers:log-stream:sdlf-finance-dev-ledger-heavy-transform'), {}, 'ImplicitlyDenied'],
      // Its own groups and its own crawlers' streams.
      ['logs:PutLogEvents', logs('/sdlf/sales/dev/orders/heavy-transform/output:log-stream:jr_1-driver'), {}, 'Allowed'],
      ['logs:PutLogEvents', logs('/aws-glue/crawlers:log-stream:sdlf-sales-dev-orders-heavy-transform'), {}, 'Allowed'],
      ['logs:PutLogEvents', logs('sales-dev-dp-orders-RouterLogs1A2B3C-1A2B3C:log-stream:2026/11/30'), {}, 'Allowed'],
    ];
    expect(await decisionsOf(boundedRole(), runtime)).toEqual(expectations(runtime));
  });

  test('the platform opens the domains\' vended log groups to log delivery once an account and region, from the account only', () => {
    const policies = app.identityStacks.map((stack) => Object.values(Template.fromStack(stack).findResources('AWS::Logs::ResourcePolicy')) as any[]);
    // dev and test share an account and region: one policy there, one in prod's.
    expect(policies.map((found) => found.length)).toEqual([1, 0, 1]);
    const statement = JSON.parse(resolve(policies[0][0].Properties.PolicyDocument, {}, DEV));
    expect(statement.Statement[0]).toMatchObject({
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Resource: `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws/vendedlogs/sdlf/*:log-stream:*`,
      Condition: { StringEquals: { 'aws:SourceAccount': DEV.account } },
    });
  });

  test('cannot make an event rule receive the account\'s other events, such as the trail\'s S3 data events, but S3\'s object events and publications', async () => {
    const { executionRole } = deployed(identity('sales', 'dev'));
    const rule = `arn:aws:events:${DEV.region}:${DEV.account}:rule/sales-dev-dp-orders-Rule-1A2B3C`;
    const cases: Case[] = [
      ['events:PutRule', rule, { 'events:source': ['aws.s3'], 'events:detail-type': ['AWS API Call via CloudTrail'] }, 'ImplicitlyDenied'],
      ['events:PutRule', rule, { 'events:source': ['aws.cloudtrail'], 'events:detail-type': ['Object Created'] }, 'ImplicitlyDenied'],
      ['events:PutRule', rule, { 'events:source': ['aws.s3'] }, 'ImplicitlyDenied'],
      // A pattern that names no source (`{"detail": {"eventName": ["GetObject"]}}`) matches every event.
      ['events:PutRule', rule, {}, 'ImplicitlyDenied'],
      // Its own stages: S3's object events, and schedules with EventBridge Scheduler.
      ['events:PutRule', rule, { 'events:source': ['aws.s3'], 'events:detail-type': ['Object Created'] }, 'Allowed'],
      // Data products' publications: its own, to route them, and its inputs', to start its pipelines.
      ['events:PutRule', rule, { 'events:source': ['sdlf-mesh.finance'], 'events:detail-type': ['Data Product Published'] }, 'Allowed'],
      ['events:PutRule', rule, { 'events:source': ['custom.app'], 'events:detail-type': ['Data Product Published'] }, 'ImplicitlyDenied'],
      ['events:PutRule', rule, { 'events:source': ['sdlf-mesh.finance'], 'events:detail-type': ['AWS API Call via CloudTrail'] }, 'ImplicitlyDenied'],
      ['scheduler:CreateSchedule', `arn:aws:scheduler:${DEV.region}:${DEV.account}:schedule/default/sdlf-sales-dev-orders-heavy-transform-schedule`, {}, 'Allowed'],
      ['scheduler:CreateSchedule', `arn:aws:scheduler:${DEV.region}:${DEV.account}:schedule/default/sdlf-finance-dev-ledger-heavy-transform-schedule`, {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(executionRole, cases)).toEqual(expectations(cases));
  });

  test('cannot tag a key of the account that is not its own yet, and tags the keys it creates', async () => {
    const { executionRole } = deployed(identity('sales', 'dev'));
    const own = { 'aws:RequestTag/sdlf:domain': 'sales', 'aws:RequestTag/sdlf:environment': 'dev' };
    const cases: Case[] = [
      // An untagged key of the account: tagged as the domain's, the role would hold its key policy.
      ['kms:TagResource', KEY, own, 'ExplicitlyDenied'],
      ['kms:TagResource', KEY, { ...own, 'aws:ResourceTag/sdlf:domain': 'sales' }, 'ExplicitlyDenied'],
      ['kms:PutKeyPolicy', KEY, {}, 'ImplicitlyDenied'],
      // Its own keys: created with its tags, retagged with its tags.
      ['kms:CreateKey', '*', own, 'Allowed'],
      ['kms:TagResource', KEY, { ...own, 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'Allowed'],
    ];
    expect(await decisionsOf(executionRole, cases)).toEqual(expectations(cases));
  });

  test('reaches buckets of its names in its own account only: bucket names are global', async () => {
    const { executionRole, deployRole } = deployed(identity('sales', 'dev'));
    // A bucket of another account named as the domain's, open to everyone by its owner's policy: a place to copy data to.
    const elsewhere = 'arn:aws:s3:::sales-dev-exfiltration';
    const open = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: [elsewhere, `${elsewhere}/*`] }] };
    const other = '999999999999';
    expect(await decide(boundedRole(), { action: 's3:PutObject', resource: `${elsewhere}/orders.parquet`, resourceAccount: other }, open)).toBe('ImplicitlyDenied');
    expect(await decide(boundedRole(), { action: 's3:GetObject', resource: `${elsewhere}/orders.parquet`, resourceAccount: other }, open)).toBe('ImplicitlyDenied');
    expect(await decide(executionRole, { action: 's3:PutBucketPolicy', resource: elsewhere, resourceAccount: other }, open)).toBe('ImplicitlyDenied');
    expect(await decide(deployRole, { action: 's3:PutObject', resource: `arn:aws:s3:::${ASSETS}/sales-dev/x.zip`, resourceAccount: other }, open)).toBe('ImplicitlyDenied');
    // The same calls in its own account.
    expect(await decide(boundedRole(), { action: 's3:PutObject', resource: 'arn:aws:s3:::sales-dev-domain-domainstoragedata1a2b3c/stage/orders/part-0.parquet' })).toBe('Allowed');
    expect(await decide(executionRole, { action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::sales-dev-domain-domainstoragedata1a2b3c' })).toBe('Allowed');
    expect(await decide(deployRole, { action: 's3:PutObject', resource: `arn:aws:s3:::${ASSETS}/sales-dev/x.zip` })).toBe('Allowed');
  });
});

describe('the analysts\' role', () => {
  test('is the platform\'s, named for the domain and environment, assumed by principals of its account its own policies allow', () => {
    const { analystsRole, analystsTrust } = deployed(identity('sales', 'dev'));
    expect(analystsRole.arn).toBe(role('sdlf-sales-dev-analysts'));
    expect(analystsTrust.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV.account}:root` } }]);
  });

  test('queries in the domain\'s workgroup, its results in the domain\'s buckets; reads data only as Lake Formation grants it', async () => {
    const { analystsRole } = deployed(identity('sales', 'dev'));
    const workgroup = (name: string) => `arn:aws:athena:${DEV.region}:${DEV.account}:workgroup/${name}`;
    const bucket = 'arn:aws:s3:::sales-dev-domain-domainstoragedata1a2b3c';
    const own = { 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev', 'kms:ViaService': `s3.${DEV.region}.amazonaws.com` };
    const cases: Case[] = [
      ['athena:StartQueryExecution', workgroup('sdlf-sales-dev'), {}, 'Allowed'],
      ['athena:GetQueryResults', workgroup('sdlf-sales-dev'), {}, 'Allowed'],
      ['athena:StartQueryExecution', workgroup('sdlf-finance-dev'), {}, 'ImplicitlyDenied'],
      ['athena:StartQueryExecution', workgroup('primary'), {}, 'ImplicitlyDenied'],
      ['s3:PutObject', `${bucket}/athena-results/q1.csv`, {}, 'Allowed'],
      ['s3:GetObject', `${bucket}/athena-results/q1.csv`, {}, 'Allowed'],
      // The data itself is Lake Formation's to give: no IAM read of a data product's objects.
      ['s3:GetObject', `${bucket}/analytics/orders/part-0.parquet`, {}, 'ImplicitlyDenied'],
      ['s3:PutObject', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c/athena-results/q1.csv', {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, own, 'Allowed'],
      ['kms:Decrypt', KEY, { ...own, 'kms:ViaService': `sqs.${DEV.region}.amazonaws.com` }, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, { ...own, 'aws:ResourceTag/sdlf:domain': 'finance' }, 'ImplicitlyDenied'],
      ['glue:GetTable', `arn:aws:glue:${DEV.region}:${PROD.account}:table/marketing_dev_campaigns/campaigns`, {}, 'Allowed'],
      ['glue:UpdateTable', `arn:aws:glue:${DEV.region}:${DEV.account}:table/sales_dev_orders/orders`, {}, 'ImplicitlyDenied'],
      ['lakeformation:GetDataAccess', '*', {}, 'Allowed'],
      ['lakeformation:GrantPermissions', '*', {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(analystsRole, cases)).toEqual(expectations(cases));
  });
});

/**
 * The data path of a consumer in another account: Lake Formation vends the data of a table only in
 * a registered location, with the role it was registered with. The platform registers where the
 * domain's data products' tables are, once the registry names the domain's data bucket.
 */
describe('the registered data location', () => {
  const locationOf = (resources: Record<string, any>, type: string) => Object.values(resources).filter((resource) => resource.Type === type);

  test('is analytics/ of the domain\'s data bucket, registered with its lake access role, and lets its execution role create tables there', () => {
    const { template, resolved } = deployed(identity('sales', 'dev'));
    const location = `arn:aws:s3:::${SALES_DEV_BUCKET}/analytics/`;
    const registrations = locationOf(template.Resources, 'AWS::LakeFormation::Resource').map((resource) => resolved(resource.Properties));
    expect(registrations).toEqual([{ ResourceArn: location, RoleArn: role('sdlf-sales-dev-lake-access'), UseServiceLinkedRole: false }]);
    const grants = Object.entries(template.Resources as Record<string, any>).filter(([, resource]) => resource.Type === 'AWS::LakeFormation::PrincipalPermissions' && resource.Properties.Resource.DataLocation);
    const [registrationId] = Object.entries(template.Resources as Record<string, any>).find(([, resource]) => resource.Type === 'AWS::LakeFormation::Resource')!;
    expect(grants.map(([, grant]) => resolved(grant.Properties))).toEqual(
      expect.arrayContaining([
        { Principal: { DataLakePrincipalIdentifier: role('sdlf-sales-dev-cfn-exec') }, Resource: { DataLocation: { CatalogId: DEV.account, ResourceArn: location } }, Permissions: ['DATA_LOCATION_ACCESS'], PermissionsWithGrantOption: [] },
      ]),
    );
    // Lake Formation refuses a grant on a location it does not know yet.
    const locationGrant = grants.find(([, grant]) => resolved(grant.Properties.Resource.DataLocation.ResourceArn) === location)!;
    expect(locationGrant[1].DependsOn).toContain(registrationId);
  });

  test('is not registered until the registry names the data bucket: no lake access role either', () => {
    const { template, lakeAccessRole } = deployed(identity('sales', 'test'));
    expect(lakeAccessRole).toBeUndefined();
    const registered = locationOf(template.Resources, 'AWS::LakeFormation::Resource').map((resource) => JSON.stringify(resource.Properties.ResourceArn));
    expect(registered.filter((arn) => arn.includes('sales-test'))).toEqual([]);
  });

  test('a data bucket outside the domain\'s names is refused, with the output to copy', () => {
    expect(() => platform({ salesDevBucket: 'finance-dev-domain-domainstoragedata1a2b3c-4d5e6f7a8b9c' })).toThrow(
      /dataBucket "finance-dev-domain-domainstoragedata1a2b3c-4d5e6f7a8b9c" is not a bucket of domain sales in dev, whose buckets are named sales-dev-\*[\s\S]*DataBucketName of the domain's stack sales-dev-domain/,
    );
  });

  test('Lake Formation reads with the lake access role the domain\'s published objects, and nothing else', async () => {
    const { lakeAccessRole, lakeAccessTrust } = deployed(identity('sales', 'dev'));
    expect(lakeAccessTrust.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lakeformation.amazonaws.com' } }]);
    const bucket = `arn:aws:s3:::${SALES_DEV_BUCKET}`;
    const own = { 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev', 'kms:ViaService': `s3.${DEV.region}.amazonaws.com` };
    const cases: Case[] = [
      ['s3:GetObject', `${bucket}/analytics/orders/orders/part-0.parquet`, { 's3:ResourceAccount': DEV.account }, 'Allowed'],
      ['s3:ListBucket', bucket, { 's3:ResourceAccount': DEV.account, 's3:prefix': 'analytics/orders/orders/' }, 'Allowed'],
      // The stages' intermediate data, the raw deliveries and the query results are no data product's.
      ['s3:GetObject', `${bucket}/stage/orders/clean/part-0.parquet`, { 's3:ResourceAccount': DEV.account }, 'ImplicitlyDenied'],
      ['s3:GetObject', `${bucket}/data/orders/2026-12-07.csv`, { 's3:ResourceAccount': DEV.account }, 'ImplicitlyDenied'],
      ['s3:ListBucket', bucket, { 's3:ResourceAccount': DEV.account, 's3:prefix': 'stage/' }, 'ImplicitlyDenied'],
      ['s3:GetObject', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c/analytics/ledger/entries/part-0.parquet', { 's3:ResourceAccount': DEV.account }, 'ImplicitlyDenied'],
      // Bucket names are global: a bucket of the domain's names in another account is not its own.
      ['s3:GetObject', `${bucket}/analytics/orders/orders/part-0.parquet`, { 's3:ResourceAccount': PROD.account }, 'ImplicitlyDenied'],
      ['s3:PutObject', `${bucket}/analytics/orders/orders/part-0.parquet`, { 's3:ResourceAccount': DEV.account }, 'ImplicitlyDenied'],
      ['s3:DeleteObject', `${bucket}/analytics/orders/orders/part-0.parquet`, { 's3:ResourceAccount': DEV.account }, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, own, 'Allowed'],
      ['kms:Decrypt', KEY, { ...own, 'aws:ResourceTag/sdlf:domain': 'finance' }, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, { ...own, 'kms:ViaService': `sqs.${DEV.region}.amazonaws.com` }, 'ImplicitlyDenied'],
      ['kms:Encrypt', KEY, own, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(lakeAccessRole!, cases)).toEqual(expectations(cases));
  });

  test('holds every table of the domain\'s data products: their data is what Lake Formation vends', async () => {
    const assembly = domainAppOf(domainRepository()).synth();
    const { lakeAccessRole } = deployed(identity('sales', 'dev'));
    const where = { account: '111111111111', region: 'eu-west-1' };
    const tables = assembly.stacks.flatMap((stack) => {
      const resources = stack.template.Resources as Record<string, any>;
      // The domain stack's bucket, as CloudFormation named it, wherever a template refers to it.
      const imports = Object.fromEntries(
        (JSON.stringify(resources).match(/"Fn::ImportValue":"[^"]+"/g) ?? []).map((match) => match.slice('"Fn::ImportValue":"'.length, -1)).filter((name) => /bucket/i.test(name)).map((name) => [name, SALES_DEV_BUCKET]),
      );
      return Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::Glue::Table' || (resource.Type === 'AWS::Glue::Database' && !resource.Properties.DatabaseInput.TargetDatabase))
        .map((resource) => resolve(resource.Properties, stack.template, { ...where, values: imports }))
        .map((properties) => properties.TableInput?.StorageDescriptor?.Location ?? properties.DatabaseInput.LocationUri);
    });
    expect(tables.length).toBeGreaterThan(3);
    for (const location of tables) {
      expect(location).toMatch(new RegExp(`^s3://${SALES_DEV_BUCKET}/analytics/[a-z0-9_-]+/`));
      const key = location.slice(`s3://${SALES_DEV_BUCKET}/`.length);
      expect(await decide(lakeAccessRole!, { action: 's3:GetObject', resource: `arn:aws:s3:::${SALES_DEV_BUCKET}/${key}part-00000.parquet`, context: { 's3:ResourceAccount': DEV.account } })).toBe('Allowed');
    }
  });
});
