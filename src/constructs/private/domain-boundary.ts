import { Aws, IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { permissionsBoundaryArn } from '../../domain/names';

/** The ARN of the platform's boundary for the domain, in the account a stack deploys to. */
export function platformBoundaryArn(domain: string, environment: string): string {
  return permissionsBoundaryArn(domain, environment, Aws.ACCOUNT_ID, Aws.PARTITION);
}

/**
 * Sets the platform's boundary on every role of a domain stage, whoever made it (the stages, CDK's
 * own helper functions, the domain's code), replacing any other: the execution role the domain
 * deploys with creates no role without it.
 */
export class DomainBoundary implements IAspect {
  constructor(
    private readonly domain: string,
    private readonly environment: string,
  ) {}

  public visit(node: IConstruct): void {
    if (node instanceof iam.CfnRole) {
      node.permissionsBoundary = platformBoundaryArn(this.domain, this.environment);
    }
  }
}
