import { ContractStatus } from './contract';
import { lifecycleOf } from './contract-lifecycle';
import type { DataProductInput } from './data-product-input';
import { findIndexProduct, MeshIndex, MeshIndexProduct, selectGrantedTo } from './mesh-index';

/** The command that asks a producer for access (its pull request changes the producer's `sdlfConsumers`). */
export function accessRequestCommand(product: string, domain: string): string {
  return `sdlf-mesh access request ${product} --for ${domain}`;
}

/** What the producer's grants to a domain lack of what an input reads. */
export interface GrantShortfall {
  /** Whether the domain is granted some of what it reads (`select` on some of the tables or columns). */
  readonly partly: boolean;
  /** What is lacking, in words, e.g. `grants nothing to domain "finance"`. */
  readonly text: string;
}

/**
 * What the producer's grants to `domain` lack of what the input reads; undefined when nothing.
 * Only `select` reads data (`describe` shows the tables' definitions); a table or column the
 * producer does not have is not counted (`input-known` reports it).
 */
export function grantShortfall(input: DataProductInput, product: MeshIndexProduct, domain: string): GrantShortfall | undefined {
  const grants = product.grants.filter((grant) => grant.kind === 'domain' && grant.id === domain);
  if (grants.length === 0) {
    return { partly: false, text: `grants nothing to domain "${domain}"` };
  }
  const granted = selectGrantedTo(product, domain);
  if (granted.size === 0) {
    return { partly: false, text: `grants domain "${domain}" ${grants.map((grant) => grant.access).join(' and ')} only: the tables' definitions, no data` };
  }
  const missingTables: string[] = [];
  const missingColumns: string[] = [];
  for (const table of input.tables ?? []) {
    const known = product.tables.find((candidate) => candidate.name === table.name);
    if (known === undefined) {
      continue;
    }
    const columns = granted.get(known.table);
    if (columns === undefined) {
      missingTables.push(table.name);
      continue;
    }
    const missing = (table.columns ?? []).filter((column) => known.columns.includes(column) && !columns.has(column));
    missingColumns.push(...missing.map((column) => `${table.name}.${column}`));
  }
  if (missingTables.length === 0 && missingColumns.length === 0) {
    return undefined;
  }
  const parts = [
    ...(missingTables.length ? [`table${missingTables.length === 1 ? '' : 's'} ${missingTables.join(', ')}`] : []),
    ...(missingColumns.length ? [`column${missingColumns.length === 1 ? '' : 's'} ${missingColumns.join(', ')}`] : []),
  ];
  return { partly: true, text: `grants domain "${domain}" less than it reads: not ${parts.join(', nor ')}` };
}

/** Where an input of a domain's data product stands in the mesh index: is it served, and granted to the domain? */
export interface InputStanding {
  /** The producer's status, when the index knows the data product. */
  readonly status?: ContractStatus;
  /**
   * `yes`: granted all it reads; `partly`: some of it; `no`: nothing (or not served); `own`: a data
   * product of the domain itself, read without a grant; `unknown`: not in the index.
   */
  readonly granted: 'yes' | 'partly' | 'no' | 'own' | 'unknown';
  /** The standing in words, e.g. `no: it is retired: its grants are revoked`. */
  readonly text: string;
  /** What to do about it, when something is to be done. */
  readonly fix?: string;
}

/** Where the input of a data product of `domain` stands in the mesh index, as a person reads it (the docs pages). */
export function inputStanding(input: DataProductInput, domain: string, index: MeshIndex): InputStanding {
  const product = findIndexProduct(index, input.product);
  if (product === undefined) {
    return { granted: 'unknown', text: 'not in the mesh index', fix: `check the name, or ask domain ${input.domain} whether it publishes it` };
  }
  const status = product.status;
  if (input.domain === domain) {
    return { status, granted: 'own', text: 'its own domain: no grant needed' };
  }
  if (!lifecycleOf(status).granted) {
    return status === 'retired'
      ? { status, granted: 'no', text: 'no: it is retired, its grants are revoked', fix: `move to the data product that replaces it (ask domain ${input.domain})` }
      : { status, granted: 'no', text: `no: it is ${status === 'draft' ? 'a draft' : status}, not served yet` };
  }
  const shortfall = grantShortfall(input, product, domain);
  if (shortfall === undefined) {
    return { status, granted: 'yes', text: 'yes' };
  }
  return { status, granted: shortfall.partly ? 'partly' : 'no', text: `${shortfall.partly ? 'partly' : 'no'}: ${shortfall.text}`, fix: accessRequestCommand(input.product, domain) };
}
