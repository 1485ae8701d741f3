import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

/** Values of a deployed stack: its account and region, and what its references resolve to. */
export interface Deployment {
  readonly account: string;
  readonly region: string;
  /** `Ref`, `Fn::GetAtt` (as `Logical.Attribute`) and `Fn::ImportValue` names, to their values. */
  readonly values?: Record<string, string>;
}

/**
 * A CloudFormation value as it is once deployed: pseudo parameters, `Ref`, `Fn::GetAtt`,
 * `Fn::ImportValue`, `Fn::Join` and `Fn::Sub` resolved. A role's `Arn` resolves from its
 * `RoleName` in `template`; anything else must be in `deployment.values`, or the call throws (a
 * policy the evaluator cannot read fully would prove nothing).
 */
export function resolve(value: any, template: any, deployment: Deployment): any {
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': deployment.account, 'AWS::Region': deployment.region, 'AWS::URLSuffix': 'amazonaws.com' };
  const lookup = (name: string): string => {
    if (pseudo[name] !== undefined) {
      return pseudo[name];
    }
    if (deployment.values?.[name] !== undefined) {
      return deployment.values[name];
    }
    const [logical, attribute] = name.split('.');
    const resource = template.Resources?.[logical];
    if (resource?.Type === 'AWS::IAM::Role' && attribute === 'Arn' && typeof resource.Properties?.RoleName === 'string') {
      return `arn:aws:iam::${deployment.account}:role/${resource.Properties.RoleName}`;
    }
    throw new Error(`no deployed value for ${name}`);
  };
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, template, deployment));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if ('Ref' in value) {
    return lookup(value.Ref);
  }
  if ('Fn::GetAtt' in value) {
    return lookup(value['Fn::GetAtt'].join('.'));
  }
  if ('Fn::ImportValue' in value) {
    return lookup(resolve(value['Fn::ImportValue'], template, deployment));
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return resolve(parts, template, deployment).join(separator);
  }
  if ('Fn::Sub' in value) {
    const [text, variables] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
    return text.replace(/\$\{([^}]+)\}/g, (_: string, name: string) => (variables[name] !== undefined ? resolve(variables[name], template, deployment) : lookup(name)));
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, template, deployment)]));
}

/** A request to evaluate: who asks, to do what, on which resource, with which request context. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The account that owns the resource: the principal's unless given. */
  readonly resourceAccount?: string;
}

/** The policies that decide a principal's requests. */
export interface Principal {
  readonly arn: string;
  readonly account: string;
  readonly identityPolicies: any[];
  readonly permissionsBoundary?: any;
}

/**
 * The decision AWS's policy evaluation logic takes on `request`, with a real evaluator: identity
 * policies, permissions boundary and (optionally) the resource's policy and service control
 * policies attached to the account's organization root. Throws when the evaluator
 * refuses the input (an unknown action, a resource the action does not take), so a typo cannot
 * pass for a denial.
 */
export async function decide(
  principal: Principal,
  request: Request,
  resourcePolicy?: any,
  serviceControlPolicies: any[] = [],
): Promise<'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'> {
  // An organization's root keeps AWS's FullAWSAccess beside the policies the test attaches.
  const fullAccess = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
  const scps = serviceControlPolicies.length ? [{ orgIdentifier: 'r-root', policies: [fullAccess, ...serviceControlPolicies.map((policy, index) => ({ name: `scp${index}`, policy }))] }] : [];
  const resourceAccount = request.resourceAccount ?? principal.account;
  // S3 puts the bucket owner's account in every request's context, as `s3:ResourceAccount`.
  const s3: Record<string, string> = request.action.startsWith('s3:') ? { 's3:ResourceAccount': resourceAccount } : {};
  const response = await runSimulation(
    {
      request: {
        principal: principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: resourceAccount },
        contextVariables: { ...s3, ...request.context },
      },
      identityPolicies: principal.identityPolicies.map((policy, index) => ({ name: `policy${index}`, policy })),
      permissionBoundaryPolicies: principal.permissionsBoundary ? [{ name: 'boundary', policy: principal.permissionsBoundary }] : undefined,
      serviceControlPolicies: scps,
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`the evaluator refused ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
}

/** A web identity token, as STS reads it for `sts:AssumeRoleWithWebIdentity`. */
export interface WebIdentityToken {
  /** The ARN of the account's OIDC provider that trusts the token's issuer. */
  readonly provider: string;
  /** The token's claims, by IAM's condition key: `<issuer>:sub`, `<issuer>:aud`, ... */
  readonly claims: Record<string, string>;
}

/**
 * The decision STS takes on `sts:AssumeRoleWithWebIdentity` of `roleArn` with `token`: the role's
 * trust policy decides, the provider being the principal. The evaluator first checks the input
 * (an invalid trust policy or an unknown action throws), then decides with every claim: its
 * checked run keeps only the condition keys the Service Authorization Reference lists for the
 * action, which has the provider-specific claims (`token.actions.githubusercontent.com:repository_id`...)
 * but not `<issuer>:sub` and `<issuer>:aud`, the keys IAM documents for every OIDC provider.
 * Dropped, they would make every trust on the subject a denial, and prove nothing.
 */
export async function decideWebIdentity(trustPolicy: any, roleArn: string, token: WebIdentityToken): Promise<'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied'> {
  const account = roleArn.split(':')[4];
  const simulation = {
    request: {
      principal: token.provider,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: roleArn, accountId: account },
      contextVariables: token.claims,
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trustPolicy,
  };
  const checked = await runSimulation(simulation, {});
  if (checked.resultType === 'error') {
    throw new Error(`the evaluator refused sts:AssumeRoleWithWebIdentity on ${roleArn}: ${JSON.stringify(checked.errors)}`);
  }
  // The unchecked run names the resource policy only when given as a validated one (iam-policy's
  // ValidatedPolicy); unnamed, it fails on the first statement it reports. It was checked above.
  const validated = { __validated: true, policyDocument: trustPolicy, metadata: { name: 'TrustPolicy' }, errors: [] };
  return runUnsafeSimulation({ ...simulation, resourcePolicy: validated }, {}) as 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';
}
