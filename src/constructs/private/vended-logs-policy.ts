import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { VENDED_LOGS } from '../../domain/names';

/** The name of the platform's log resource policy in an account and region. */
export const VENDED_LOGS_POLICY_NAME = 'sdlf-vended-logs';

/**
 * The log resource policy that lets AWS log delivery (Step Functions' logs) write to the domains'
 * vended log groups (`/aws/vendedlogs/sdlf/...`), from this account only. CloudWatch Logs holds ten
 * resource policies an account and region, shared by every domain, and a domain that may write one
 * may overwrite or exhaust them: the platform writes this one, once an account and region, and a
 * delivery to a group it covers needs no `logs:PutResourcePolicy` of the domain.
 */
export class VendedLogsPolicy extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    const document = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'LogDeliveryToTheDomainsVendedLogGroups',
          principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${VENDED_LOGS}*:log-stream:*`],
          conditions: {
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
          },
        }),
      ],
    });
    new logs.CfnResourcePolicy(this, 'Policy', { policyName: VENDED_LOGS_POLICY_NAME, policyDocument: stack.toJsonString(document.toJSON()) });
  }
}
