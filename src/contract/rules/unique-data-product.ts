import type { RepositoryRule } from './contract-rule';

/** The docs page, stacks and database of a data product are named after it: one contract each. */
export const UNIQUE_DATA_PRODUCT: RepositoryRule = {
  id: 'unique-data-product',
  scope: 'repository',
  severity: 'error',
  description: 'no two contracts of a repository are the same data product (the later file is the invalid one)',
  check({ current, earlier, report }) {
    const first = earlier.find((other) => other.contract.dataProduct === current.contract.dataProduct);
    if (first) {
      const field = current.contract.document.name === undefined ? 'dataProduct' : 'name';
      report([field], `data product "${current.contract.dataProduct}" is also the data product of ${first.file}`, 'give each data product one contract file');
    }
  },
};
