import { ContractStatus, STATUSES } from './contract';

/** What a contract's status deploys: the lifecycle of a data product. */
export interface Lifecycle {
  /** Whether the data product's stack (database, tables, ...) is deployed at all. */
  readonly deployed: boolean;
  /** Whether its consumers are granted. */
  readonly granted: boolean;
  /** Whether its pipeline runs (and its freshness is alarmed). */
  readonly pipeline: boolean;
  /** What consumers and readers are told of the status, when it is one to be told (e.g. still served, but...). */
  readonly notice?: string;
}

const LIFECYCLE: Record<ContractStatus, Lifecycle> = {
  // Written and reviewed, not served: lint and docs only.
  proposed: { deployed: false, granted: false, pipeline: false, notice: 'documented for review; nothing is deployed and no consumer is granted' },
  draft: { deployed: false, granted: false, pipeline: false, notice: 'documented while it is written; nothing is deployed and no consumer is granted' },
  active: { deployed: true, granted: true, pipeline: true },
  deprecated: { deployed: true, granted: true, pipeline: true, notice: 'still served, but consumers should move off it before it is retired' },
  // The data stays for its retention; nothing new arrives and nobody reads it.
  retired: { deployed: true, granted: false, pipeline: false, notice: 'consumer grants are revoked and the pipeline is removed; the data is kept for its retention' },
};

/** What a status deploys. */
export function lifecycleOf(status: ContractStatus): Lifecycle {
  return LIFECYCLE[status];
}

/** Whether going from one status to another steps back in the lifecycle (e.g. retired → active). */
export function stepsBack(from: ContractStatus, to: ContractStatus): boolean {
  return STATUSES.indexOf(to) < STATUSES.indexOf(from);
}
