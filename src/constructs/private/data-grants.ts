import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './acknowledge-wildcards';

/** One statement of a grant on the grantee's identity policy. */
export interface GrantStatement {
  readonly actions: string[];
  readonly resourceArns: string[];
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/**
 * Adds the statements to the grantee's identity policy, as one `iam.Grant`, and acknowledges on
 * the grantee, with `reason`, the cdk-nag wildcard findings of exactly these statements (a prefix
 * of a bucket, an action that takes no resource but `*`). A grantee without a policy of its own
 * (an account, a role of another account) gets nothing here: its account grants it.
 */
export function grantOnPrincipal(grantee: iam.IGrantable, statements: GrantStatement[], reason: string): iam.Grant {
  const grants = statements.map((statement) => iam.Grant.addToPrincipal({ grantee, ...statement }));
  const principal = grantee.grantPrincipal;
  if (Construct.isConstruct(principal) && grants.some((grant) => grant.principalStatements.length > 0)) {
    const document = new iam.PolicyDocument({ statements: grants.flatMap((grant) => grant.principalStatements) });
    acknowledgeWildcards(principal, document, reason);
  }
  return grants.reduce((all, grant) => all.combine(grant));
}

/**
 * Decrypting (and, to write, generating data keys) with the bucket's key, only on behalf of S3:
 * with SSE-KMS, reading an object needs `kms:Decrypt`, writing one `kms:GenerateDataKey`, and a
 * multipart upload both; the key serves the principal for nothing else.
 */
export function keyThroughS3(key: kms.IKey | undefined, scope: Construct, actions: string[]): GrantStatement[] {
  if (!key) {
    return [];
  }
  const stack = Stack.of(scope);
  return [{ actions, resourceArns: [key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } } }];
}

/**
 * The Lake Formation principal of a grantee: an IAM role's or user's ARN, or an account ID.
 * Throws, naming the fix, for anything else (a service, an organization): Lake Formation grants
 * to none of those.
 */
export function lakeFormationPrincipal(grantee: iam.IGrantable, method: string): string {
  const principal = grantee.grantPrincipal;
  if (principal instanceof iam.AccountPrincipal) {
    return String(principal.accountId);
  }
  const named = principal instanceof iam.ArnPrincipal ? principal.arn : undefined;
  const arn = (principal as Partial<iam.IRole>).roleArn ?? (principal as Partial<iam.IUser>).userArn ?? named;
  if (typeof arn === 'string') {
    const root = Token.isUnresolved(arn) ? null : /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn);
    return root ? root[1] : arn;
  }
  throw new Error(`${method}: Lake Formation grants to an IAM role, an IAM user or an account, not to ${principal}; pass a role (or a construct whose grantPrincipal is one) as grantee`);
}

/**
 * The bucket's ARN as the grantee's stack can use it. A data product's stack imports the domain
 * bucket by export name (see `DataProductStack`); a grantee in the stack that exports it (the
 * domain's own stack) cannot import its own export, so it gets the exported value itself.
 */
export function bucketArnFor(grantee: iam.IGrantable, bucket: s3.IBucket): string {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) {
    return bucket.bucketArn;
  }
  const stack = Stack.of(principal);
  const name = stack.resolve(bucket.bucketArn)?.['Fn::ImportValue'];
  const exported = typeof name === 'string' ? stack.node.tryFindChild(`Export${name}`) : undefined;
  return exported instanceof CfnOutput ? exported.value : bucket.bucketArn;
}
