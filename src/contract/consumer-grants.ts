import type { Contract } from './contract';
import { glueName } from './glue-names';
import type { SchemaObject, SchemaProperty } from './odcs-definitions';
import type { ConsumerEntry } from './sdlf-extensions';
import type { ConsumerAllowList } from '../domain/consumer-allow-list';

/** The classification whose columns no grant covers unless it names them. */
export const SENSITIVE_CLASSIFICATION = 'restricted';

/** The column tag (any case) that marks personal data: such columns are sensitive too. */
export const PII_TAG = 'pii';

/** How a consumer of a contract's `sdlfConsumers` is named. */
export type ConsumerKind = 'domain' | 'account' | 'role';

/** The kinds of consumer, in the order the contract's consumer entry is read. */
export const CONSUMER_KINDS: readonly ConsumerKind[] = ['domain', 'account', 'role'];

/** What a grant covers of one table. */
export interface TableGrant {
  /** The schema object in the contract. */
  readonly object: string;
  /** Its Glue table. */
  readonly table: string;
  /** The columns the consumer sees, in contract order. */
  readonly columns: string[];
  /** The sensitive columns of the table the consumer does not see, in contract order. */
  readonly withheld: string[];
}

/**
 * The effective grant of one `sdlfConsumers` entry: what the Lake Formation grants cover, what
 * the lint explains and what the catalog shows, from this one function so they never disagree.
 */
export interface ConsumerGrant {
  /** The entry's index in `sdlfConsumers`. */
  readonly index: number;
  readonly kind: ConsumerKind;
  /** The domain name, account ID or role ARN as the contract gives it. */
  readonly id: string;
  /** `select` (read the granted columns) or `describe` (see the granted tables' metadata). */
  readonly access: string;
  /** The tables granted: each with at least one column. */
  readonly tables: TableGrant[];
  /** Schema objects the consumer gets nothing of: every column is sensitive and none is named. */
  readonly notGranted: string[];
}

/** An element of a schema that can be sensitive: a column, a nested field, an object. */
interface SchemaElement {
  readonly classification?: string;
  readonly tags?: readonly string[];
  readonly properties?: readonly SchemaElement[];
  readonly items?: SchemaElement;
}

/**
 * Whether a contract column is sensitive: classified `restricted` or tagged `pii`, itself, in any
 * property nested in it (a struct or array column holds its nested fields' data), or through
 * its schema object's `pii` tag (which marks every column of the object).
 */
export function isSensitiveColumn(column: SchemaProperty, object?: SchemaObject): boolean {
  return (object !== undefined && hasPiiTag(object)) || isSensitiveElement(column);
}

function isSensitiveElement(element: SchemaElement): boolean {
  const nested = [...(element.properties ?? []), ...(element.items ? [element.items] : [])];
  return element.classification === SENSITIVE_CLASSIFICATION || hasPiiTag(element) || nested.some(isSensitiveElement);
}

function hasPiiTag(element: SchemaElement): boolean {
  return (element.tags ?? []).some((tag) => tag.toLowerCase() === PII_TAG);
}

/** The kind and id of a consumer entry: the one of `domain`, `account`, `role` it gives. */
export function consumerIdentity(entry: ConsumerEntry): { kind: ConsumerKind; id: string } | undefined {
  const given = CONSUMER_KINDS.filter((kind) => entry[kind] !== undefined);
  // Two names for one grant would let an allowed domain carry another principal: none is granted.
  return given.length === 1 ? { kind: given[0], id: entry[given[0]]! } : undefined;
}

/**
 * The effective grant of every consumer entry of a valid contract.
 *
 * Without `columns`, a consumer gets every column that is not sensitive, table by table; a table
 * whose columns are all sensitive is not granted at all. With `columns`, it gets exactly the
 * elements named: `object.column` for one column (a sensitive column only this way) and `object`
 * for the non-sensitive columns of that object; objects not named are not granted. Names that are
 * not in the schema grant nothing (the lint reports them).
 */
export function consumerGrants(contract: Pick<Contract, 'objects' | 'consumers'>): ConsumerGrant[] {
  return contract.consumers.flatMap((entry, index): ConsumerGrant[] => {
    const identity = consumerIdentity(entry);
    if (!identity) {
      return [];
    }
    return [{ index, ...identity, access: entry.access, ...grantedTables(contract.objects, entry.columns) }];
  });
}

/**
 * What a grant of the given elements covers (all that is not sensitive when `named` is undefined):
 * the rule of {@link consumerGrants}, for any grantee.
 */
export function grantedTables(objects: readonly SchemaObject[], named?: readonly string[]): Pick<ConsumerGrant, 'tables' | 'notGranted'> {
  const tables: TableGrant[] = [];
  const notGranted: string[] = [];
  for (const object of objects) {
    const properties = object.properties ?? [];
    const sensitive = (column: SchemaProperty) => isSensitiveColumn(column, object);
    const visible = (column: SchemaProperty) =>
      named === undefined ? !sensitive(column) : named.includes(`${object.name}.${column.name}`) || (named.includes(object.name) && !sensitive(column));
    const columns = properties.filter(visible).map((column) => column.name ?? '');
    const withheld = properties.filter((column) => sensitive(column) && !visible(column)).map((column) => column.name ?? '');
    if (columns.length > 0) {
      tables.push({ object: object.name, table: glueName(object.name), columns, withheld });
    } else if (named === undefined || named.some((element) => element === object.name || element.startsWith(`${object.name}.`))) {
      // Objects a `columns` list leaves out are not the grantee's; those it names but cannot
      // grant anything of, and those without a visible column, are said.
      notGranted.push(object.name);
    }
  }
  return { tables, notGranted };
}

/** Where a consumer's principal comes from, and who may be one. */
export interface ConsumerResolution {
  /** Lake Formation principals (account ID or role ARN) of consumer domains, by domain. */
  readonly principals?: { readonly [domain: string]: string };
  /**
   * The platform's allow-list; a list left out keeps the baseline for its kind (see
   * `GovernancePolicyProps.allowedConsumers`).
   *
   * @default - the baseline: any domain, no account, no role
   */
  readonly allowed?: ConsumerAllowList;
}

/**
 * How the consumers of a domain's contracts are checked, the same in the synth (`DataContract`,
 * `DomainApp`) and in `sdlf-mesh contract lint`: given the repository's principals or the
 * platform's allow-list, every consumer must be allowed and resolve to a principal (see
 * {@link resolveConsumer}); given neither, consumers are not checked (e.g. a catalog of other
 * domains' contracts).
 *
 * @param principals the repository's `consumerPrincipals`
 * @param allowed the governance policy's `allowedConsumers`
 */
export function consumerResolution(principals?: { readonly [domain: string]: string }, allowed?: ConsumerAllowList): ConsumerResolution | undefined {
  return principals === undefined && allowed === undefined ? undefined : { principals, allowed };
}

/** Why a consumer gets no grant, with the fix. */
export interface ConsumerRefusal {
  /** The field of the consumer entry at fault. */
  readonly field: ConsumerKind;
  readonly message: string;
  readonly fix: string;
}

/**
 * Why the platform's allow-list refuses a consumer, or undefined when it allows it. A list left
 * out keeps the baseline for its kind: any domain, no account, no role.
 */
export function policyRefusal(identity: { kind: ConsumerKind; id: string }, allowed: ConsumerAllowList = {}): ConsumerRefusal | undefined {
  const list = identity.kind === 'domain' ? allowed.domains : identity.kind === 'account' ? allowed.accounts : allowed.roles;
  if ((identity.kind === 'domain' && list === undefined) || (list ?? []).includes(identity.id)) {
    return undefined;
  }
  const listName = `allowedConsumers.${identity.kind === 'domain' ? 'domains' : `${identity.kind}s`}`;
  return {
    field: identity.kind,
    message: `${identity.kind} "${identity.id}" is not a consumer the platform's governance policy allows (${listName}: ${(list ?? []).join(', ') || 'none'})`,
    fix: `ask the platform team to add it to ${listName} in the governance policy, or remove this consumer`,
  };
}

/**
 * The Lake Formation principal of a consumer, or why it has none: it must be allowed by the
 * platform's allow-list, and a domain must resolve to a principal: the one the platform registered
 * (`allowedConsumers.domainPrincipals`), else the one the domain repository names.
 */
export function resolveConsumer(
  identity: { kind: ConsumerKind; id: string },
  resolution: ConsumerResolution,
): { principal: string } | { refusal: ConsumerRefusal } {
  const refusal = policyRefusal(identity, resolution.allowed);
  if (refusal) {
    return { refusal };
  }
  if (identity.kind !== 'domain') {
    return { principal: identity.id };
  }
  // The platform's registry wins: a domain repository cannot point another domain's grants elsewhere.
  const registered = resolution.allowed?.domainPrincipals?.[identity.id];
  const named = resolution.principals?.[identity.id];
  if (registered !== undefined && named !== undefined && named !== registered) {
    return {
      refusal: {
        field: 'domain',
        message: `consumerPrincipals gives domain "${identity.id}" the principal ${named}, but the platform registered ${registered}`,
        fix: `remove "${identity.id}" from consumerPrincipals of .projenrc.ts: the platform's principal applies`,
      },
    };
  }
  const principal = registered ?? named;
  if (principal === undefined) {
    return {
      refusal: {
        field: 'domain',
        message: `consumer domain "${identity.id}" has no Lake Formation principal, so nothing can be granted to it`,
        fix: `name it in consumerPrincipals of .projenrc.ts, e.g. consumerPrincipals: { '${identity.id}': 'arn:aws:iam::123456789012:role/${identity.id}-analysts' }`,
      },
    };
  }
  return { principal };
}

/** One line per consumer saying what it will see: the lint's explanation. */
export function explainGrant(grant: ConsumerGrant): string {
  const who = `${grant.kind} ${grant.id} (${grant.access})`;
  if (grant.access !== 'select') {
    // Lake Formation's DESCRIBE shows a table's definition, never its data.
    const tables = grant.tables.map((table) => table.object).join(', ');
    return `${who} sees ${tables ? `the definition of ${tables}, no data` : 'nothing'}`;
  }
  const seen = grant.tables.map((table) => {
    const withheld = table.withheld.length ? `; withheld: ${table.withheld.join(', ')}` : '';
    return `${table.object}: ${table.columns.join(', ')}${withheld}`;
  });
  const none = grant.notGranted.map((object) => `${object}: not granted (only sensitive columns; name them in columns to grant them)`);
  const parts = [...seen, ...none];
  return `${who} sees ${parts.length ? parts.join(' | ') : 'nothing'}`;
}
