import type { ContractRule } from './contract-rule';
import { DATA_PRODUCT_NAME, dataProductName, fileDataProduct } from './private/data-product-name';

/** A contract names its data product: its resources are named after it. */
export const NAME_REQUIRED: ContractRule = {
  id: 'name-required',
  scope: 'contract',
  severity: 'error',
  description: 'the contract has a `name`: it names the data product and its resources',
  check({ contract, namedFile, report }) {
    if (dataProductName(contract).name !== undefined) {
      return;
    }
    const fileName = namedFile === undefined ? undefined : fileDataProduct(namedFile);
    const suggested = fileName !== undefined && DATA_PRODUCT_NAME.test(fileName) ? fileName : 'orders';
    report([], 'the field "name" is missing: it names the data product and its resources', `add: name: ${suggested}`);
  },
};
