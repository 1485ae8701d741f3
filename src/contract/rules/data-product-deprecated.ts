import type { ContractRule } from './contract-rule';

/** ODCS v3.1 names the data product by `name`; `dataProduct` is read only when there is no `name`. */
export const DATA_PRODUCT_DEPRECATED: ContractRule = {
  id: 'data-product-deprecated',
  scope: 'contract',
  severity: 'warning',
  description: '`dataProduct` is deprecated since ODCS v3.1.0: `name` names the data product, and `dataProduct` is read only without it',
  check({ contract, report }) {
    if (contract.dataProduct === undefined) {
      return;
    }
    report(
      ['dataProduct'],
      contract.name === undefined
        ? 'dataProduct is deprecated since ODCS v3.1.0: the contract\'s name names the data product'
        : `dataProduct is deprecated since ODCS v3.1.0 and not read: name ("${contract.name}") names the data product`,
      contract.name === undefined ? `replace it with name: ${contract.dataProduct}` : 'remove dataProduct',
    );
  },
};
