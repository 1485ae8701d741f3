import type { ContractRule } from './contract-rule';
import { inputsOf, ownProductId } from './private/inputs';

/** A data product built from itself has no first version to start from. */
export const INPUT_NOT_SELF: ContractRule = {
  id: 'input-not-self',
  scope: 'contract',
  severity: 'error',
  description: 'an input (`sdlfInputs`) is another data product than the contract\'s own',
  check({ contract, options, report }) {
    const own = ownProductId(contract, options);
    for (const { input, productPath } of inputsOf(contract).inputs) {
      if (input.product === own) {
        report(productPath, `"${input.product}" is this contract's own data product; a data product does not read itself`, 'remove it from sdlfInputs');
      }
    }
  },
};
