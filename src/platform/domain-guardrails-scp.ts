/**
 * The service control policy the platform attaches to the organizational units of the accounts
 * domains deploy to: what a hook cannot see. A Guard hook evaluates what CloudFormation deploys;
 * a domain's own roles (its Lambda functions, Glue jobs, state machines) call AWS at run time,
 * where no hook runs. Their permissions boundary already leaves these calls out; the SCP holds
 * the line even where a boundary is missing or wrong (a role created outside the domain's stacks,
 * a boundary edited by mistake), because an SCP's deny applies to every principal of the account.
 *
 * Which principals are a domain's is told by the governance tag `sdlf:domain` on the calling
 * role (`aws:PrincipalTag`): the hook makes every role of a domain's stacks carry it with the
 * domain's name, `platform` is a reserved domain name, and the platform's roles (the domains'
 * execution and deploy roles included) carry `sdlf:domain=platform`. A role with no such tag
 * (administrators, the CDK bootstrap's roles) is left to its own policies. One policy serves
 * every domain, however many there are (an SCP holds 5,120 characters).
 */

/** The value of `sdlf:domain` on the platform's own roles. */
export const PLATFORM_DOMAIN_TAG_VALUE = 'platform';

/** The condition that picks a domain's principals: tagged `sdlf:domain`, not with the platform's value. */
const DOMAIN_PRINCIPAL = {
  Null: { 'aws:PrincipalTag/sdlf:domain': 'false' },
  StringNotEquals: { 'aws:PrincipalTag/sdlf:domain': PLATFORM_DOMAIN_TAG_VALUE },
};

/**
 * Lake Formation calls that grant, tag or change what Lake Formation enforces. At run time a
 * domain's role would grant a column by any expression to anyone, or take the `restricted`
 * classification off a column; through CloudFormation (the execution role, a platform role) the
 * hook checks the same changes first.
 */
export const LAKE_FORMATION_WRITES = [
  'lakeformation:GrantPermissions',
  'lakeformation:BatchGrantPermissions',
  'lakeformation:AddLFTagsToResource',
  'lakeformation:RemoveLFTagsFromResource',
  'lakeformation:CreateLFTag',
  'lakeformation:UpdateLFTag',
  'lakeformation:DeleteLFTag',
  'lakeformation:CreateLFTagExpression',
  'lakeformation:UpdateLFTagExpression',
  'lakeformation:CreateDataCellsFilter',
  'lakeformation:UpdateDataCellsFilter',
  'lakeformation:PutDataLakeSettings',
  'lakeformation:RegisterResource',
  'lakeformation:DeregisterResource',
];

/**
 * IAM and STS calls that make or change an identity or a trust: a role trusting `*`, another
 * account or GitHub's OIDC, an access key or a user outside the reviewed deploy path.
 */
export const IDENTITY_WRITES = [
  'iam:CreateRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:DeleteRolePermissionsBoundary',
  'iam:PutRolePermissionsBoundary',
  'iam:CreateUser',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:CreateSAMLProvider',
];

/** CloudFormation calls that would switch a hook off or point it at other rules. */
export const HOOK_WRITES = [
  'cloudformation:ActivateType',
  'cloudformation:DeactivateType',
  'cloudformation:SetTypeConfiguration',
  'cloudformation:SetTypeDefaultVersion',
  'cloudformation:RegisterType',
  'cloudformation:DeregisterType',
];

/**
 * The SCP (an IAM policy document) that denies a domain's principals, at run time, what the
 * hook checks at deploy time: Lake Formation grants and tag changes, identity and trust changes,
 * the governance tags of principals, and hook changes.
 */
export function domainGuardrailsPolicy(): { Version: string; Statement: object[] } {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DomainsGrantOnlyThroughTheirStacks', Effect: 'Deny', Action: LAKE_FORMATION_WRITES, Resource: '*', Condition: DOMAIN_PRINCIPAL },
      { Sid: 'DomainsMakeNoIdentityOrTrust', Effect: 'Deny', Action: IDENTITY_WRITES, Resource: '*', Condition: DOMAIN_PRINCIPAL },
      {
        Sid: 'DomainsKeepTheGovernanceTagsOfPrincipals',
        Effect: 'Deny',
        Action: ['iam:TagRole', 'iam:UntagRole', 'iam:TagUser', 'iam:UntagUser'],
        Resource: '*',
        Condition: { ...DOMAIN_PRINCIPAL, 'ForAnyValue:StringLike': { 'aws:TagKeys': ['sdlf:*'] } },
      },
      { Sid: 'DomainsLeaveTheHooksAlone', Effect: 'Deny', Action: HOOK_WRITES, Resource: '*', Condition: DOMAIN_PRINCIPAL },
    ],
  };
}
