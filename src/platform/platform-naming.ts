/**
 * The names the platform gives each domain's identity and limits in an AWS account.
 *
 * They are deterministic so that both sides agree without a lookup: the platform's stacks create
 * the roles and policies under these names, a domain's stacks attach the boundary by its ARN, and
 * the onboarding sets the deploy role's ARN as a GitHub Actions variable before anything is
 * deployed. A domain name is at most 24 characters and an environment name at most 10, so every
 * name stays within IAM's 64 characters.
 */

const PREFIX = 'sdlf';

/** The role GitHub Actions assumes (OIDC) to deploy `domain` to `environment`. */
export function deployRoleName(domain: string, environment: string): string {
  return `${PREFIX}-${domain}-${environment}-deploy`;
}

/** The ARN of {@link deployRoleName} in `account`. */
export function deployRoleArn(domain: string, environment: string, account: string): string {
  return `arn:aws:iam::${account}:role/${deployRoleName(domain, environment)}`;
}

/** The role CloudFormation assumes to create and change the domain's stacks in `environment`. */
export function cloudFormationExecutionRoleName(domain: string, environment: string): string {
  return `${PREFIX}-${domain}-${environment}-cfn-exec`;
}

/** The ARN of {@link cloudFormationExecutionRoleName} in `account`. */
export function cloudFormationExecutionRoleArn(domain: string, environment: string, account: string): string {
  return `arn:aws:iam::${account}:role/${cloudFormationExecutionRoleName(domain, environment)}`;
}

/** The managed policy every role of the domain in `environment` must carry as its permissions boundary. */
export function permissionsBoundaryName(domain: string, environment: string): string {
  return `${PREFIX}-${domain}-${environment}-boundary`;
}

/** The ARN of {@link permissionsBoundaryName} in `account`. */
export function permissionsBoundaryArn(domain: string, environment: string, account: string): string {
  return `arn:aws:iam::${account}:policy/${permissionsBoundaryName(domain, environment)}`;
}

/** The registry file of `domain` in the platform repository. */
export function registrationFile(domain: string): string {
  return `domains/${domain}.yaml`;
}
