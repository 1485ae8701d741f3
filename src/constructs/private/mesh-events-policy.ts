import { Aws } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { PUBLICATION_DETAIL_TYPE, PUBLICATION_SOURCE_PREFIX } from '../../domain/publication-events';

/** The statement ID of the platform's statement in the default bus's policy. */
export const MESH_EVENTS_STATEMENT_ID = 'sdlf-mesh-publications';

/**
 * The statement of the account's default event bus policy that accepts the data products'
 * publications (`sdlf-mesh.<domain>` / `Data Product Published`) from the mesh's other accounts, and
 * nothing else from them. A bus policy is the account's, shared by every domain in it: the platform
 * writes this one, once an account and region, so no domain writes a bus policy (the Guard hook and
 * the execution role give it no way to). A consumer's rule then matches its input's publications
 * by the producer's account, which EventBridge sets.
 */
export class MeshEventsPolicy extends Construct {
  constructor(scope: Construct, id: string, accounts: readonly string[]) {
    super(scope, id);
    new events.CfnEventBusPolicy(this, 'Policy', {
      eventBusName: 'default',
      statementId: MESH_EVENTS_STATEMENT_ID,
      statement: {
        Sid: MESH_EVENTS_STATEMENT_ID,
        Effect: 'Allow',
        Principal: { AWS: [...accounts].sort().map((account) => `arn:${Aws.PARTITION}:iam::${account}:root`) },
        Action: 'events:PutEvents',
        Resource: `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/default`,
        // Every entry's source and detail type (the keys hold all of a call's) are a publication's.
        Condition: {
          'ForAllValues:StringLike': { 'events:source': [`${PUBLICATION_SOURCE_PREFIX}*`] },
          'ForAllValues:StringEquals': { 'events:detail-type': [PUBLICATION_DETAIL_TYPE] },
        },
      },
    });
  }
}
