import { isDeepStrictEqual } from 'util';
import { ChangedContract, ChangedPage, CONTRACTS_FOLDER, ContractChangeSet } from './changed-contracts';
import { consumerIdentity } from './consumer-grants';
import { addedColumns, grantedColumns, policyRefusals } from './consumer-request';
import { Contract } from './contract';
import { diffContracts } from './contract-diff';
import { ContractDocument } from './contract-document';
import { formatProblem } from './contract-problem';
import { renderPageAgain } from './data-product-page';
import { baseContract, lintDocument } from './lint-contract';
import { MESH_INDEX_COPY } from './mesh-index';
import { ConsumerEntry } from './sdlf-extensions';
import { GovernancePolicyProps } from '../domain/governance-policy-props';
import type { RegularFileContent } from '../util/read-regular-file';

/** What {@link checkAccessChange} judges a change against. */
export interface AccessCheckOptions {
  /**
   * The producer's domain: every changed contract must be one of its data products (as
   * `contract lint --domain` checks it).
   *
   * @default - each contract's own domain
   */
  readonly domain?: string;
  /**
   * The platform's governance policy: its `accessRequests.autoApprove` and `allowedConsumers`
   * decide what is approved without a person (see `policyRefusals`).
   *
   * @default - none: nothing is approved by policy
   */
  readonly policy?: GovernancePolicyProps;
}

/** A consumer domain a change grants more of a data product. */
export interface AccessGrant {
  /** The consumer domain. */
  readonly consumer: string;
  /** The columns (`object.column`) it gets that it did not have, in contract order. */
  readonly added: string[];
  /** The sensitive ones among them (classified restricted or tagged pii). */
  readonly sensitive: string[];
}

/** What a change does to one file, and why the producer must review it. */
export interface AccessCheckFile {
  /** The file, e.g. `dataproducts/orders.yaml`. */
  readonly file: string;
  /** The data product, when the file is a contract that could be read. */
  readonly dataProduct?: string;
  /** What the change grants, consumer by consumer. */
  readonly grants: AccessGrant[];
  /** Why the change of this file needs the producer's review, one reason each; empty: the policy approves it. */
  readonly reasons: string[];
}

/** Whether a change of a domain repository is an access request the governance policy approves without a person. */
export interface AccessCheck {
  /**
   * True when the change grants something, and only grants: consumer domains added to a
   * contract's `sdlfConsumers` or their `select` entries widened, every column added not
   * sensitive, every consumer allowed, and the policy says `accessRequests.autoApprove:
   * non-sensitive`.
   */
  readonly approved: boolean;
  /** Every file the change touches, by path. */
  readonly files: AccessCheckFile[];
  /** Why the change as a whole needs the producer's review (it changes nothing, does not merge...). */
  readonly reasons: string[];
}

/**
 * Decides, from the change alone, whether it is an access request the governance policy
 * approves without a person: what a pull request's label or branch says is not read. Each
 * changed contract is compared with its base: anything but its `sdlfConsumers` that differs (the
 * schema, the version, the pipeline...), a consumer removed or narrowed, an entry changed into
 * another principal or access, or a grant to an account or a role needs the producer; what is
 * left, consumer domains added or their `select` entries widened, is judged by the policy, with
 * the rule `sdlf-mesh access request` labels its request by (`policyRefusals`): the columns a
 * consumer gains, as the base's schema classifies them, and the consumer itself. Every other file
 * changed needs the producer, and so does a contract that cannot be read or is not valid.
 */
export function checkAccessChange(changes: ContractChangeSet, options: AccessCheckOptions = {}): AccessCheck {
  const checked = changes.contracts.map((changed) => checkContract(changed, options));
  const contracts = checked.map(({ file }) => file);
  const files = [
    ...contracts,
    ...changes.pages.map((page) => checkPage(page, checked, changes.meshIndex, options)),
    ...changes.otherFiles.map((file): AccessCheckFile => ({
      file,
      grants: [],
      reasons: [`changes a file that is not a contract (${CONTRACTS_FOLDER}/<data product>.yaml): an access request changes only sdlfConsumers`],
    })),
  ].sort((a, b) => a.file.localeCompare(b.file));
  const reasons = [...changes.problems];
  if (files.length === 0) {
    reasons.push(`changes nothing against ${changes.base.slice(0, 12)}: there is no grant to approve`);
  }
  // A page grants nothing itself: it comes with the contract it is rendered from, which must grant.
  const grantsOnly = contracts.length > 0 && contracts.every((file) => file.grants.length > 0);
  const approved = reasons.length === 0 && files.every((file) => file.reasons.length === 0) && grantsOnly;
  return { approved, files, reasons };
}

/**
 * A docs page changed with its contract: approved when it is exactly what the domain's synth
 * renders from the changed contract (with the base's mesh index and projen's marker as the base's
 * page has them), so the request keeps the producer's build green and its text is the template's,
 * never the requester's. Any other change of a page needs the producer.
 */
function checkPage(
  page: ChangedPage,
  contracts: CheckedContract[],
  meshIndexCopy: RegularFileContent | undefined,
  options: AccessCheckOptions,
): AccessCheckFile {
  const refused = (reason: string): AccessCheckFile => ({ file: page.file, dataProduct: page.dataProduct, grants: [], reasons: [reason] });
  const contract = contracts.find((checked) => checked.head?.dataProduct === page.dataProduct)?.head;
  if (contract === undefined) {
    return refused(`changes the docs page of ${page.dataProduct} without a valid change of its contract: the synth renders the page from the contract`);
  }
  if (page.head?.bytes === undefined) {
    return refused('removes or cannot read the docs page of the data product');
  }
  const expected = renderPageAgain(contract, page.base?.bytes?.toString('utf8'), meshIndexCopy, options.domain);
  if ('missing' in expected) {
    return refused(expected.missing === 'synth-page'
      ? 'adds a docs page the base did not have from the synth: the producer\'s synth writes it'
      : `${MESH_INDEX_COPY} of the base cannot be read, so the page cannot be rendered to compare`);
  }
  if (page.head.bytes.toString('utf8') !== expected.page) {
    return refused('is not the page the synth renders from the changed contract: run npx projen on the branch and commit what it writes, or leave the page out');
  }
  return { file: page.file, dataProduct: page.dataProduct, grants: [], reasons: [] };
}

/** A contract's change as checked, with the contract as the change leaves it when it is valid. */
interface CheckedContract {
  readonly file: AccessCheckFile;
  readonly head?: Contract;
}

/** What the change of one contract grants, and why the producer must review it. */
function checkContract(changed: ChangedContract, options: AccessCheckOptions): CheckedContract {
  const { file } = changed;
  const refused = (reason: string, dataProduct?: string): CheckedContract => ({
    file: {
      file,
      grants: [],
      reasons: [reason],
      ...(dataProduct ? { dataProduct } : {}),
    },
  });
  if (changed.base === undefined) {
    return refused('adds a data product: a new contract is for the producer to review');
  }
  if (changed.head === undefined) {
    return refused('removes the contract: a removed data product is for the producer to review');
  }
  if (changed.base.bytes === undefined) {
    return refused(`at the base ${changed.base.unreadable}; it cannot be compared`);
  }
  if (changed.head.bytes === undefined) {
    return refused(`${changed.head.unreadable}; it cannot be compared`);
  }
  const before = baseContract(ContractDocument.decode(`${file} (base)`, changed.base.bytes));
  if (!before.contract) {
    return refused(`is not a valid contract at the base, so it cannot be compared: ${formatProblem(before.problems[0])}`);
  }
  const after = lintDocument(ContractDocument.decode(file, changed.head.bytes), { domain: options.domain });
  if (!after.contract) {
    const more = after.problems.length > 1 ? ` (and ${after.problems.length - 1} more: sdlf-mesh contract lint ${file})` : '';
    return refused(`is not a valid contract: ${formatProblem(after.problems[0])}${more}`, before.contract.dataProduct);
  }
  const reasons: string[] = [];
  const changedFields = fieldsBesideConsumers(before.contract, after.contract);
  if (changedFields.length > 0) {
    const details = diffContracts(before.contract, after.contract).changes.filter((change) => change.path !== 'consumers').slice(0, 3).map((change) => `${change.path}: ${change.message}`);
    reasons.push(`changes more than sdlfConsumers: ${changedFields.join(', ')}${details.length ? ` (${details.join('; ')})` : ''}`);
  }
  const consumers = compareConsumers(before.contract, after.contract);
  reasons.push(...consumers.reasons);
  for (const grant of consumers.grants) {
    reasons.push(...policyRefusals(grant, grant.consumer, options.policy));
  }
  if (consumers.grants.length > 0 && before.contract.status === 'retired') {
    reasons.push('is retired: its grants are revoked, so what it grants is for the producer to decide');
  }
  if (reasons.length === 0 && consumers.grants.length === 0) {
    reasons.push('changes the contract without granting a consumer anything more');
  }
  return { file: { file, dataProduct: before.contract.dataProduct, grants: consumers.grants, reasons: [...new Set(reasons)] }, head: after.contract };
}

/**
 * The fields of a contract that differ between two versions, but `sdlfConsumers`: top-level
 * fields by name, custom properties as `customProperties.<property>`. Compared as data, so
 * comments, quoting and key order do not count.
 */
function fieldsBesideConsumers(before: Contract, after: Contract): string[] {
  const fields = (contract: Contract): Record<string, unknown> => {
    type Fields = Record<string, unknown> & { customProperties?: Array<{ property?: unknown }> };
    const { customProperties, ...rest } = contract.document as unknown as Fields;
    const properties = (customProperties ?? []).filter((property) => property.property !== 'sdlfConsumers');
    return { ...rest, ...Object.fromEntries(properties.map((property, index) => [`customProperties.${String(property.property ?? index)}`, property])) };
  };
  const [a, b] = [fields(before), fields(after)];
  const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => !isDeepStrictEqual(a[key], b[key]));
  // The order of the custom properties is data too: moved around, they are not what the base had.
  const order = (values: Record<string, unknown>) => Object.keys(values).filter((key) => key.startsWith('customProperties.'));
  if (changed.length === 0 && !isDeepStrictEqual(order(a), order(b))) {
    changed.push('customProperties (their order)');
  }
  return changed;
}

/**
 * How `sdlfConsumers` changed: each entry of the base is kept as it was or, a `select` entry of a
 * domain, widened (its columns only, losing none), and the new entries are `select` entries of
 * domains that had none, as `sdlf-mesh access request` writes them; anything else is a reason.
 * Entries are matched by their principal and access, not by their place in the list. The grants
 * are what each domain with a new or widened entry gains, over every column its `select` entries
 * gave it at the base.
 */
function compareConsumers(before: Contract, after: Contract): { grants: AccessGrant[]; reasons: string[] } {
  const reasons: string[] = [];
  const objects = before.objects;
  const granting = new Set<string>();
  const widenable = (entry: ConsumerEntry) => consumerIdentity(entry)?.kind === 'domain' && entry.access === 'select';
  const sameGrantee = (a: ConsumerEntry, b: ConsumerEntry) => isDeepStrictEqual(consumerIdentity(a), consumerIdentity(b));
  const left = [...after.consumers];
  const take = (found: (entry: ConsumerEntry) => boolean) => {
    const index = left.findIndex(found);
    return index < 0 ? undefined : left.splice(index, 1)[0];
  };
  for (const entry of before.consumers) {
    if (take((now) => isDeepStrictEqual(now, entry)) !== undefined) {
      continue;
    }
    const now = take((candidate) => sameGrantee(candidate, entry) && candidate.access === entry.access);
    if (now === undefined) {
      const other = take((candidate) => sameGrantee(candidate, entry));
      reasons.push(other === undefined ? `removes the grant of ${who(entry)}` : `changes the access of ${who(entry)} to ${other.access}`);
    } else if (!widenable(entry)) {
      reasons.push(`changes the grant of ${who(entry)}: the policy approves select grants to domains only`);
    } else {
      const lost = without(grantedColumns(objects, entry.columns), grantedColumns(objects, now.columns));
      if (lost.length > 0) {
        reasons.push(`narrows the grant of ${who(entry)}: it loses ${lost.join(', ')}`);
      }
      granting.add(entry.domain!);
    }
  }
  const selects = (contract: Contract, domain: string) => contract.consumers.filter((entry) => widenable(entry) && entry.domain === domain);
  for (const entry of left) {
    if (!widenable(entry)) {
      reasons.push(`adds a grant of ${who(entry)}: the policy approves select grants to domains only`);
    } else if (selects(before, entry.domain!).length > 0 || selects(after, entry.domain!).length > 1) {
      reasons.push(`adds a second select entry for domain ${entry.domain}: a request widens the one it has`);
    } else {
      granting.add(entry.domain!);
    }
  }
  const grants: AccessGrant[] = [];
  // In contract order: the columns of every select entry of the domain, before and after.
  const columns = objects.flatMap((object) => (object.properties ?? []).map((column) => `${object.name}.${column.name}`));
  for (const consumer of granting) {
    const had = selects(before, consumer).flatMap((entry) => grantedColumns(objects, entry.columns));
    const has = new Set(selects(after, consumer).flatMap((entry) => grantedColumns(objects, entry.columns)));
    const { added, sensitive } = addedColumns(objects, had, columns.filter((column) => has.has(column)));
    if (added.length > 0) {
      grants.push({ consumer, added, sensitive });
    }
  }
  return { grants, reasons };
}

/** A consumer entry as a reason names it: `domain finance (select)`. */
function who(entry: ConsumerEntry): string {
  const identity = consumerIdentity(entry);
  return `${identity ? `${identity.kind} ${identity.id}` : 'an unnamed consumer'} (${entry.access})`;
}

function without(values: readonly string[], removed: readonly string[]): string[] {
  const gone = new Set(removed);
  return values.filter((value) => !gone.has(value));
}
