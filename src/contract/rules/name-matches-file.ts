import * as path from 'path';
import type { ContractRule } from './contract-rule';
import { DATA_PRODUCT_NAME, dataProductName, fileDataProduct } from './private/data-product-name';

/**
 * A domain repository keeps a contract in `dataproducts/<name>.yaml` (or `<name>.odcs.yaml`): the
 * docs page and the stacks are named after the data product, so the file name must agree.
 */
export const NAME_MATCHES_FILE: ContractRule = {
  id: 'name-matches-file',
  scope: 'contract',
  severity: 'error',
  description: 'the file is `dataproducts/<name>.yaml` (or `.odcs.yaml`): the docs page, stacks and database are named after the data product',
  check({ contract, namedFile, report }) {
    const { field, name } = dataProductName(contract);
    if (namedFile === undefined || name === undefined || !DATA_PRODUCT_NAME.test(name)) {
      return;
    }
    const fileName = fileDataProduct(namedFile);
    if (fileName !== name) {
      report(
        [field],
        `the data product "${name}" is in the file ${path.basename(namedFile)}: its docs page, stacks and database are named after the data product`,
        `rename the file to ${name}.yaml, or set ${field}: ${fileName}`,
      );
    }
  },
};
