import type { ContractRule } from './contract-rule';
import { DATA_PRODUCT_NAME, dataProductName } from './private/data-product-name';

/** A data product's name fits every name made of it: S3 prefixes, stacks, the Glue database. */
export const NAME_FORMAT: ContractRule = {
  id: 'name-format',
  scope: 'contract',
  severity: 'error',
  description: 'the data product\'s name is 1 to 40 lowercase letters, digits, `-` and `_`, starting with a letter',
  check({ contract, report }) {
    const { field, name } = dataProductName(contract);
    if (name === undefined || DATA_PRODUCT_NAME.test(name)) {
      return;
    }
    const example = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^a-z]+/, '').slice(0, 40) || 'orders';
    report([field], `"${name}" cannot name a data product: use 1 to 40 lowercase letters, digits, - and _, starting with a letter`, `e.g. ${example}`);
  },
};
