import type { RepositoryRule } from './contract-rule';

/** A contract's `id` identifies it across versions, in the catalog and in diffs. */
export const UNIQUE_CONTRACT_ID: RepositoryRule = {
  id: 'unique-contract-id',
  scope: 'repository',
  severity: 'error',
  description: 'no two contracts of a repository have the same `id` (the later file is the invalid one)',
  check({ current, earlier, report }) {
    const first = earlier.find((other) => other.contract.document.id === current.contract.document.id);
    if (first) {
      report(['id'], `id "${current.contract.document.id}" is also the id of ${first.file}`, 'give each contract its own id');
    }
  },
};
