import * as semver from 'semver';
import { isSensitiveColumn } from './consumer-grants';
import { classificationRank, Contract } from './contract';
import { lifecycleOf, stepsBack } from './contract-lifecycle';
import { LogicalType, SchemaObject, SchemaProperty } from './odcs-definitions';
import { ConsumerEntry } from './sdlf-extensions';

/** One difference between two versions of a contract. */
export interface ContractChange {
  /** Whether consumers of the data product can break because of it. */
  readonly breaking: boolean;
  /** Where, e.g. `orders.customer_email` or `consumers`. */
  readonly path: string;
  /** What changed, naming the column or grant. */
  readonly message: string;
  /**
   * Whether a reviewer must decide on it, breaking or not (a status that steps back, a
   * retirement while consumers are granted).
   *
   * @default false
   */
  readonly review?: boolean;
}

/** The differences between two versions of a contract, and whether the version says so. */
export interface ContractDiff {
  /** Version of the base contract (undefined for a new data product). */
  readonly fromVersion?: string;
  /** Version of the changed contract (undefined when the data product is removed). */
  readonly toVersion?: string;
  readonly changes: ContractChange[];
  /** Whether the major version went up. */
  readonly majorBumped: boolean;
  /** False when a breaking change comes without a major version bump. */
  readonly ok: boolean;
  /** What the changed contract's status tells its consumers (deprecated, retired...), naming them. */
  readonly notice?: string;
}

const WIDENINGS: Partial<Record<LogicalType, LogicalType[]>> = { integer: ['number'], date: ['timestamp'] };

/**
 * Classifies every change between two versions of a contract. Breaking: an object or column
 * removed or renamed, a type narrowed or changed, a required column added or a column made
 * required or nullable, the primary key changed, a classification weakened while consumers are
 * granted, a grant removed, the data product removed. The rest (columns added as optional, types
 * widened, descriptions, new grants...) is not breaking.
 */
export function diffContracts(before: Contract | undefined, after: Contract | undefined): ContractDiff {
  const changes: ContractChange[] = [];
  const add = (breaking: boolean, path: string, message: string) => changes.push({ breaking, path, message });

  if (!before && after) {
    add(false, after.dataProduct, 'new data product');
  } else if (before && !after) {
    add(true, before.dataProduct, `data product "${before.dataProduct}" removed`);
  } else if (before && after) {
    diffSchema(before, after, add);
    diffConsumers(before, after, add);
    diffStatus(before, after, changes);
  }
  const fromVersion = before?.version;
  const toVersion = after?.version;
  const majorBumped = !!(
    fromVersion && toVersion && semver.valid(fromVersion) && semver.valid(toVersion) && semver.major(toVersion) > semver.major(fromVersion)
  );
  const removed = before && !after;
  const ok = removed || majorBumped || !changes.some((change) => change.breaking);
  return { fromVersion, toVersion, changes, majorBumped, ok, notice: after && noticeOf(after) };
}

/**
 * A status change. Stepping back in the lifecycle (retired → active) needs review; retiring a
 * data product revokes its consumers' grants, so it breaks them and needs review too.
 */
function diffStatus(before: Contract, after: Contract, changes: ContractChange[]) {
  if (before.status === after.status) {
    return;
  }
  const message = `status changed from ${before.status} to ${after.status}`;
  const granted = before.consumers.flatMap((consumer) => consumerName(consumer) ?? []);
  if (after.status === 'retired' && granted.length > 0) {
    changes.push({ breaking: true, review: true, path: 'status', message: `${message} while granted to ${granted.join(', ')}: their grants are revoked (needs review)` });
  } else if (stepsBack(before.status, after.status)) {
    changes.push({ breaking: false, review: true, path: 'status', message: `${message}: a step back in the lifecycle (needs review)` });
  } else {
    changes.push({ breaking: false, path: 'status', message });
  }
}

/** What the contract's status tells its consumers, when it tells them anything. */
function noticeOf(contract: Contract): string | undefined {
  const notice = lifecycleOf(contract.status).notice;
  const consumers = contract.consumers.flatMap((consumer) => consumerName(consumer) ?? []);
  return notice && `${contract.dataProduct} is ${contract.status}: ${notice}${consumers.length > 0 ? ` (consumers: ${consumers.join(', ')})` : ''}`;
}

type Add = (breaking: boolean, path: string, message: string) => void;

function diffSchema(before: Contract, after: Contract, add: Add) {
  const objectsAfter = byName(after.objects);
  const consumersGranted = after.consumers.length > 0;
  for (const [name, object] of byName(before.objects)) {
    const changed = objectsAfter.get(name);
    if (!changed) {
      add(true, name, `object "${name}" removed`);
      continue;
    }
    const columnsBefore = object.properties ?? [];
    const columnsAfter = changed.properties ?? [];
    const namesAfter = new Set(columnsAfter.map((column) => column.name));
    const namesBefore = new Set(columnsBefore.map((column) => column.name));
    const added = columnsAfter.filter((column) => !namesBefore.has(column.name));
    const renamedTo = new Set<SchemaProperty>();

    columnsBefore.forEach((column, index) => {
      const path = `${name}.${column.name}`;
      if (!namesAfter.has(column.name)) {
        // The same type at the same place under a new name reads as a rename.
        const renamed = added.find((candidate) => columnsAfter.indexOf(candidate) === index && sameType(candidate, column));
        if (renamed) {
          renamedTo.add(renamed);
        }
        add(true, path, renamed ? `column "${column.name}" renamed to "${renamed.name}"` : `column "${column.name}" removed`);
        return;
      }
      const next = columnsAfter.find((candidate) => candidate.name === column.name)!;
      diffColumn(path, column, next, consumersGranted, add);
    });
    for (const column of added.filter((candidate) => !renamedTo.has(candidate))) {
      add(column.required === true, `${name}.${column.name}`, column.required === true ? `required column "${column.name}" added` : `column "${column.name}" added`);
    }
    const keyBefore = primaryKey(columnsBefore);
    const keyAfter = primaryKey(columnsAfter);
    if (keyBefore !== keyAfter) {
      add(true, name, `primary key changed from (${keyBefore}) to (${keyAfter})`);
    }
  }
  for (const name of objectsAfter.keys()) {
    if (!byName(before.objects).has(name)) {
      add(false, name, `object "${name}" added`);
    }
  }
}

function diffColumn(path: string, column: SchemaProperty, next: SchemaProperty, consumersGranted: boolean, add: Add) {
  const name = column.name;
  if (column.logicalType !== next.logicalType) {
    const widened = next.logicalType !== undefined && (WIDENINGS[column.logicalType ?? 'string'] ?? []).includes(next.logicalType);
    add(!widened, path, `type of "${name}" ${widened ? 'widened' : 'changed'} from ${column.logicalType} to ${next.logicalType}`);
  } else if ((column.physicalType ?? '') !== (next.physicalType ?? '')) {
    const comparison = comparePhysical(column.physicalType, next.physicalType);
    add(comparison !== 'wider', path, `physical type of "${name}" ${comparison === 'wider' ? 'widened' : comparison === 'narrower' ? 'narrowed' : 'changed'} from ${column.physicalType} to ${next.physicalType}`);
  }
  if ((column.required === true) !== (next.required === true)) {
    add(true, path, next.required === true ? `column "${name}" made required` : `column "${name}" may now be null`);
  }
  const rankBefore = classificationRank(column.classification);
  const rankAfter = classificationRank(next.classification);
  const weakened = column.classification !== next.classification && rankAfter < rankBefore;
  if (column.classification !== next.classification) {
    add(
      weakened && consumersGranted,
      path,
      `classification of "${name}" ${weakened ? 'weakened' : 'changed'} from ${column.classification ?? 'none'} to ${next.classification ?? 'none'}` +
        (weakened && consumersGranted ? ' while consumers are granted' : ''),
    );
  }
  // Whether a column is sensitive decides which consumers see it (see consumerGrants).
  const sensitiveBefore = isSensitiveColumn(column);
  if (consumersGranted && sensitiveBefore !== isSensitiveColumn(next) && !weakened) {
    add(
      true,
      path,
      sensitiveBefore
        ? `"${name}" is no longer sensitive (restricted or pii) while consumers are granted: those that do not name it will see it`
        : `"${name}" became sensitive (restricted or pii) while consumers are granted: those that do not name it lose it`,
    );
  }
  if ((column.description ?? '') !== (next.description ?? '')) {
    add(false, path, `description of "${name}" changed`);
  }
}

function diffConsumers(before: Contract, after: Contract, add: Add) {
  const granted = new Map(after.consumers.map((consumer) => [consumerName(consumer), consumer]));
  const previous = new Map(before.consumers.map((consumer) => [consumerName(consumer), consumer]));
  for (const [who, consumer] of previous) {
    const now = granted.get(who);
    if (!now) {
      add(true, 'consumers', `grant to ${who} removed`);
    } else if (consumer.access === 'select' && now.access !== 'select') {
      add(true, 'consumers', `grant to ${who} reduced from select to ${now.access}`);
    }
  }
  for (const who of granted.keys()) {
    if (!previous.has(who)) {
      add(false, 'consumers', `grant to ${who} added`);
    }
  }
}

function byName(objects: readonly SchemaObject[]): Map<string, SchemaObject> {
  return new Map(objects.map((object) => [object.name, object]));
}

function sameType(a: SchemaProperty, b: SchemaProperty): boolean {
  return a.logicalType === b.logicalType && (a.physicalType ?? '') === (b.physicalType ?? '');
}

function primaryKey(columns: readonly SchemaProperty[]): string {
  return [...columns]
    .filter((column) => column.primaryKey === true)
    .sort((a, b) => (a.primaryKeyPosition ?? 0) - (b.primaryKeyPosition ?? 0))
    .map((column) => column.name)
    .join(', ');
}

/** `varchar(20)` against `varchar(50)`: the same base type with larger sizes is wider. */
function comparePhysical(before: string | undefined, after: string | undefined): 'wider' | 'narrower' | 'other' {
  const parse = (type: string | undefined) => /^\s*([\w ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(type ?? '');
  const a = parse(before);
  const b = parse(after);
  if (!a || !b || a[1].toLowerCase() !== b[1].toLowerCase() || a[2] === undefined || b[2] === undefined) {
    return 'other';
  }
  const sizes = [Number(b[2]) - Number(a[2]), Number(b[3] ?? 0) - Number(a[3] ?? 0)];
  if (sizes.every((delta) => delta >= 0)) {
    return 'wider';
  }
  return sizes.every((delta) => delta <= 0) ? 'narrower' : 'other';
}

/** How a consumer is named in the diff: its domain, account or role, the first it gives. */
function consumerName(consumer: ConsumerEntry): string | undefined {
  return consumer.domain ?? consumer.account ?? consumer.role;
}
