import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import type { ConsumerKind } from '../../contract/consumer-grants';

// The IDs of repeated children (grants, lake locations) say what the child is: its principal and
// its resource, never a counter or a position in a list. Reordering code or a contract's
// consumers, or removing one of them, then moves no other logical ID, and CloudFormation replaces
// nothing that did not change (a Lake Formation grant replaced under another logical ID is granted
// again, then revoked with the old one: the consumer loses access).

/** Eight hex digits of the SHA-256 of the parts: what keeps apart IDs whose readable parts may meet. */
export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 8);
}

/**
 * A construct by what it is: its id and a short hash of its path, so two constructs of one id in
 * different scopes stay apart (e.g. `Analysts-1a2b3c4d`).
 */
export function constructKey(construct: IConstruct): string {
  return `${construct.node.id}-${shortHash(construct.node.path)}`;
}

/**
 * A Lake Formation principal, readable where it can be: `account-<id>`, `role-<account>-<name>`,
 * `user-<account>-<name>` (a name is unique in its account, whatever its path); anything else, and a
 * token (resolved in `scope`'s stack: what it refers to, not when it was made), by a short hash.
 */
export function principalKey(scope: IConstruct, principal: string): string {
  if (Token.isUnresolved(principal)) {
    return `principal-${shortHash(JSON.stringify(Stack.of(scope).resolve(principal)))}`;
  }
  if (/^\d{12}$/.test(principal)) {
    return `account-${principal}`;
  }
  const iamArn = /^arn:[^:]+:iam::(\d{12}):(role|user)\/(?:.*\/)?([^/]+)$/.exec(principal);
  return iamArn ? `${iamArn[2]}-${iamArn[1]}-${iamArn[3]}` : `principal-${shortHash(principal)}`;
}

/**
 * A grantee given in code: the construct of its principal when it is one (a role, an imported role,
 * a stage), so a role whose ARN is a token still has a stable key; else its Lake Formation principal.
 */
export function granteeKey(scope: IConstruct, grantee: iam.IGrantable, principal: string): string {
  const construct = [grantee.grantPrincipal, grantee].find((candidate) => Construct.isConstruct(candidate));
  return construct ? constructKey(construct as IConstruct) : principalKey(scope, principal);
}

/** A consumer of a contract, as the contract names it: `domain-<name>`, `account-<id>`, `role-<account>-<name>`. */
export function consumerKey(scope: IConstruct, identity: { readonly kind: ConsumerKind; readonly id: string }): string {
  return identity.kind === 'domain' ? `domain-${identity.id}` : principalKey(scope, identity.id);
}

/**
 * What a grant names of the schema, when it names anything: a short hash of the elements, in any
 * order, so two grants of one principal on different columns stay apart; nothing for the default.
 */
export function elementsKey(elements: readonly string[] | undefined): string {
  return elements === undefined ? '' : `-${shortHash(...[...new Set(elements)].sort())}`;
}
