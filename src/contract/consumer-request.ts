import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { closest } from './closest';
import { consumerIdentity, grantedTables, isSensitiveColumn, policyRefusal } from './consumer-grants';
import { Contract, schemaElements } from './contract';
import { SchemaObject } from './odcs-definitions';
import { ConsumerEntry } from './sdlf-extensions';
import { AccessAutoApproval } from '../domain/access-request-policy';
import { GovernancePolicyProps } from '../domain/governance-policy-props';
import { InvalidOptionError } from '../util/invalid-option-error';

/** What a consumer domain asks of a data product: `select` on some of its columns. */
export interface AccessAsk {
  /** The consumer domain. */
  readonly consumer: string;
  /**
   * The elements asked for, as a grant names them: `object.column`, or `object` for the
   * non-sensitive columns of that object.
   *
   * @default - every column that is not sensitive
   */
  readonly columns?: readonly string[];
}

/** How a contract's `sdlfConsumers` changes to give a consumer what it asks. */
export interface ConsumerGrantChange {
  /** The columns (`object.column`) the consumer gets that it does not have yet, in contract order. */
  readonly added: string[];
  /** The sensitive ones among them (classified restricted or tagged pii): the producer decides on each. */
  readonly sensitive: string[];
  /** The index in `sdlfConsumers` of the consumer's `select` entry that is widened; undefined: a new entry is added. */
  readonly widened?: number;
  /** The elements the entry grants afterwards; undefined: every non-sensitive column. */
  readonly columns?: string[];
}

/**
 * How the contract's `sdlfConsumers` must change to grant `ask`, or undefined when the consumer
 * domain's `select` entries already grant every column asked. The consumer keeps one `select`
 * entry (its grant has one identity in the producer's stacks): an existing one is widened by the
 * elements that add something, and one that grants every non-sensitive column is given them
 * named, object by object, before the new ones. An element that is not in the schema, or an
 * object whose columns are all sensitive (naming it grants nothing), is refused with the fix.
 */
export function planConsumerGrant(contract: Pick<Contract, 'dataProduct' | 'objects' | 'consumers'>, ask: AccessAsk): ConsumerGrantChange | undefined {
  const objects = contract.objects;
  const elements = schemaElements(objects);
  for (const element of ask.columns ?? []) {
    if (!elements.includes(element)) {
      const near = closest(element, elements);
      const hint = near === undefined ? '' : `did you mean "${near}"? `;
      throw new InvalidOptionError(
        '--columns',
        `"${element}" is not a table or table.column of data product ${contract.dataProduct}; ${hint}its tables are ${objects.map((object) => object.name).join(', ')}`,
      );
    }
  }
  const wanted = grantedTables(objects, ask.columns);
  if (wanted.notGranted.length > 0 || wanted.tables.length === 0) {
    const object = objects.find((candidate) => wanted.notGranted.includes(candidate.name)) ?? objects[0];
    const example = `${object?.name}.${object?.properties?.[0]?.name ?? '<column>'}`;
    throw new InvalidOptionError(
      '--columns',
      `${wanted.notGranted.join(', ') || contract.dataProduct} has only sensitive columns, which a grant of the whole table leaves out; name each column needed, e.g. --columns ${example}`,
    );
  }
  const selects = contract.consumers
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => consumerIdentity(entry)?.kind === 'domain' && entry.domain === ask.consumer && entry.access === 'select');
  const held = selects.flatMap(({ entry }) => grantedColumns(objects, entry.columns));
  const { added, sensitive } = addedColumns(objects, held, columnsOf(wanted.tables));
  if (added.length === 0) {
    return undefined;
  }
  // The elements that bring something new: those asked that cover an added column, or (asked for
  // every non-sensitive column) the objects that have one.
  const adds = (element: string) => added.some((column) => column === element || column.startsWith(`${element}.`));
  const newElements = ask.columns === undefined ? objects.map((object) => object.name).filter(adds) : unique(ask.columns.filter(adds));
  const target = selects[0];
  if (target === undefined) {
    return { added, sensitive, columns: ask.columns === undefined ? undefined : unique([...ask.columns]) };
  }
  // An entry without columns grants every non-sensitive column: named object by object, it grants the same.
  const current = target.entry.columns ?? grantedTables(objects).tables.map((table) => table.object);
  return { added, sensitive, widened: target.index, columns: unique([...current, ...newElements]) };
}

/**
 * The contract's text with the change made to its `sdlfConsumers`, everything else as the
 * producer wrote it: comments, order, quoting and the style of its lists. A new entry is
 * `{ domain, access: select, columns? }`; a widened one gets the new elements at the end of
 * its `columns`.
 *
 * @param text the contract, valid (its `sdlfConsumers` as {@link planConsumerGrant} read it)
 */
export function applyConsumerGrant(text: string, consumer: string, change: ConsumerGrantChange): string {
  const document = parseDocument(text, { uniqueKeys: true });
  let properties = document.get('customProperties', true);
  if (!isSeq(properties)) {
    properties = document.createNode([]) as YAMLSeq;
    document.set('customProperties', properties);
  }
  const list = properties as YAMLSeq;
  let property = list.items.find((item): item is YAMLMap => isMap(item) && item.get('property') === 'sdlfConsumers');
  if (property === undefined) {
    property = document.createNode({ property: 'sdlfConsumers', value: [] }) as YAMLMap;
    list.add(property);
  }
  const found: unknown = property.get('value', true);
  let entries: YAMLSeq;
  if (isSeq(found)) {
    entries = found;
  } else {
    entries = document.createNode([]) as YAMLSeq;
    property.set('value', entries);
  }
  if (change.widened === undefined) {
    // `value: []` becomes a block list, as a person adds the first consumer.
    entries.flow = false;
    const entry: ConsumerEntry = { domain: consumer, access: 'select', ...(change.columns ? { columns: change.columns } : {}) };
    entries.add(document.createNode(entry));
  } else {
    const entry = entries.items[change.widened] as YAMLMap;
    const columns = entry.get('columns', true);
    if (isSeq(columns)) {
      const present = new Set(columns.items.map((item) => String((item as { value?: unknown }).value ?? item)));
      for (const element of change.columns ?? []) {
        if (!present.has(element)) {
          columns.add(document.createNode(element));
        }
      }
    } else {
      entry.set('columns', document.createNode(change.columns));
    }
  }
  // No re-folding of long lines and no padding inside flow lists: the rest reads as it was written.
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * The columns (`object.column`) a grant of the given elements covers, in contract order: every
 * column that is not sensitive when `named` is undefined (see {@link grantedTables}).
 */
export function grantedColumns(objects: readonly SchemaObject[], named?: readonly string[]): string[] {
  return columnsOf(grantedTables(objects, named).tables);
}

/**
 * The columns of `granted` that a consumer holding `held` does not have yet, and the sensitive
 * ones among them (classified restricted or tagged pii, as {@link isSensitiveColumn} says): what
 * a request asks the producer for, and what the check of a pull request finds it grants.
 */
export function addedColumns(objects: readonly SchemaObject[], held: Iterable<string>, granted: readonly string[]): Pick<ConsumerGrantChange, 'added' | 'sensitive'> {
  const had = new Set(held);
  const added = granted.filter((column) => !had.has(column));
  const sensitiveColumns = new Set(objects.flatMap((object) => (object.properties ?? []).filter((column) => isSensitiveColumn(column, object)).map((column) => `${object.name}.${column.name}`)));
  return { added, sensitive: added.filter((column) => sensitiveColumns.has(column)) };
}

/**
 * Why the platform's governance policy does not approve a change without a person, one reason
 * each; empty when it does: with `accessRequests.autoApprove: non-sensitive`, a change that
 * grants no sensitive column to a domain the allow-list allows. A sensitive column always needs
 * the producer.
 */
export function policyRefusals(change: Pick<ConsumerGrantChange, 'sensitive'>, consumer: string, policy?: GovernancePolicyProps): string[] {
  const refusals: string[] = [];
  const autoApprove = policy?.accessRequests?.autoApprove ?? AccessAutoApproval.NONE;
  if (policy === undefined) {
    refusals.push('no governance policy was given, and without one every grant needs the producer\'s review');
  } else if (autoApprove !== AccessAutoApproval.NON_SENSITIVE) {
    refusals.push(`the governance policy approves no grant without a person (accessRequests.autoApprove: ${autoApprove}; ${AccessAutoApproval.NON_SENSITIVE} approves non-sensitive columns)`);
  }
  if (change.sensitive.length > 0) {
    const columns = change.sensitive.length === 1 ? `column ${change.sensitive[0]}` : `columns ${change.sensitive.join(', ')}`;
    refusals.push(`grants domain ${consumer} the sensitive ${columns} (classified restricted or tagged pii): the producer decides on each sensitive column`);
  }
  const refusal = policyRefusal({ kind: 'domain', id: consumer }, policy?.allowedConsumers);
  if (refusal !== undefined) {
    refusals.push(refusal.message);
  }
  return refusals;
}

/**
 * Why the platform's governance policy approves a change without a person, or undefined when the
 * producer's code owners must review it (see {@link policyRefusals}).
 */
export function approvalByPolicy(change: ConsumerGrantChange, consumer: string, policy?: GovernancePolicyProps): string | undefined {
  if (policyRefusals(change, consumer, policy).length > 0) {
    return undefined;
  }
  return `every column asked for is non-sensitive and domain ${consumer} is a consumer the governance policy allows (accessRequests.autoApprove: ${AccessAutoApproval.NON_SENSITIVE}).`;
}

function columnsOf(tables: ReadonlyArray<{ readonly object: string; readonly columns: readonly string[] }>): string[] {
  return tables.flatMap((table) => table.columns.map((column) => `${table.object}.${column}`));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
