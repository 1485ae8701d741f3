/**
 * The service control policy that holds at run time what the Guard hook checks at deploy time,
 * evaluated with a real IAM evaluator: a domain's own roles (tagged `sdlf:domain` with its name by
 * its stacks, which the hook enforces) cannot grant in Lake Formation, re-tag a column, make an
 * identity or a trust, re-tag a principal or switch a hook off, whatever their own policies say;
 * their pipeline work, the platform's roles (the execution role that deploys the domain's grants
 * through CloudFormation) and untagged administrators are left alone.
 */
import { Testing } from 'projen';
import { domainGuardrailsPolicy } from '../../src/platform/domain-guardrails-scp';
import { decide } from '../support/iam-evaluation';
import { platformProject } from '../support/platform-project';

const ACCOUNT = '111111111111';
const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const scp = domainGuardrailsPolicy();

/** A role of the account allowed everything by its own policy, tagged as `domain` says (or not at all). */
const role = (name: string, domain?: string) => ({
  principal: { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, account: ACCOUNT, identityPolicies: [everything] },
  tags: (domain === undefined ? {} : { 'aws:PrincipalTag/sdlf:domain': domain }) as Record<string, string>,
});

const stageRole = role('sales-dev-dp-orders-LightTransformRole1A2B3C', 'sales');
const executionRole = role('sdlf-sales-dev-cfn-exec', 'platform');
const administrator = role('Admin');

async function decision(who: ReturnType<typeof role>, action: string, resource: string, context: Record<string, string | string[]> = {}) {
  return decide(who.principal, { action, resource, context: { ...who.tags, ...context } }, undefined, [scp]);
}

// Lake Formation's calls take no resource but *: its permissions, not IAM's, name what they act on.
const catalog = '*';
// CloudFormation's type configuration takes no resource but *.
const hookType = '*';

describe('the domain guardrails SCP', () => {
  test.each([
    ['lakeformation:GrantPermissions', catalog],
    ['lakeformation:BatchGrantPermissions', catalog],
    ['lakeformation:RemoveLFTagsFromResource', catalog],
    ['lakeformation:AddLFTagsToResource', catalog],
    ['lakeformation:PutDataLakeSettings', catalog],
    ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/sales-dev-dp-orders-LightTransformRole1A2B3C`],
    ['iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/sales-dev-backdoor`],
    ['iam:CreateOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`],
    ['iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/anyone`],
    ['cloudformation:SetTypeConfiguration', hookType],
  ])('denies a domain\'s role %s at run time, though its own policy allows it', async (action, resource) => {
    expect(await decision(stageRole, action, resource)).toBe('ExplicitlyDenied');
  });

  test('denies a domain\'s role to change the governance tags of a principal, and allows other tags', async () => {
    const target = `arn:aws:iam::${ACCOUNT}:role/sales-dev-dp-orders-LightTransformRole1A2B3C`;
    expect(await decision(stageRole, 'iam:TagRole', target, { 'aws:TagKeys': ['sdlf:domain'] })).toBe('ExplicitlyDenied');
    expect(await decision(stageRole, 'iam:UntagRole', target, { 'aws:TagKeys': ['sdlf:domain'] })).toBe('ExplicitlyDenied');
    expect(await decision(stageRole, 'iam:TagRole', target, { 'aws:TagKeys': ['team'] })).toBe('Allowed');
  });

  test.each([
    ['s3:GetObject', 'arn:aws:s3:::sales-dev-domain-bucket/raw/orders/2026/01.json'],
    ['s3:PutObject', 'arn:aws:s3:::sales-dev-domain-bucket/stage/orders/2026/01.parquet'],
    ['states:StartExecution', `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:sdlf-sales-dev-orders-light-transform`],
    ['lakeformation:GetDataAccess', '*'],
    ['glue:GetTable', `arn:aws:glue:eu-west-1:${ACCOUNT}:table/sales_dev_orders/orders`],
  ])('leaves a domain\'s pipeline work alone: %s', async (action, resource) => {
    expect(await decision(stageRole, action, resource)).toBe('Allowed');
  });

  test('leaves the platform\'s roles (the execution role deploying the domain\'s grants) and untagged administrators alone', async () => {
    expect(await decision(executionRole, 'lakeformation:GrantPermissions', catalog)).toBe('Allowed');
    expect(await decision(executionRole, 'iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/sales-dev-dp-orders-Role`)).toBe('Allowed');
    expect(await decision(administrator, 'lakeformation:PutDataLakeSettings', catalog)).toBe('Allowed');
    expect(await decision(administrator, 'cloudformation:SetTypeConfiguration', hookType)).toBe('Allowed');
  });

  test('fits an SCP\'s 5,120 characters, whatever the number of domains', () => {
    expect(JSON.stringify(scp).length).toBeLessThan(5120);
  });

  test('is the file the platform repository holds, as IAM JSON without projen\'s marker', () => {
    const files = Testing.synth(platformProject());
    expect(files['guardrails/domain-guardrails.scp.json']).toEqual(scp);
  });
});
