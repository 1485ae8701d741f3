import type { ContractRule } from './contract-rule';
import { lifecycleOf } from '../contract-lifecycle';
import { indexedInputsOf } from './private/inputs';

/** A retired product's grants are revoked: a pipeline reading it fails. */
export const INPUT_RETIRED: ContractRule = {
  id: 'input-retired',
  scope: 'contract',
  severity: 'error',
  description: 'given the mesh index, no input (`sdlfInputs`) is retired: its grants are revoked and nothing new arrives',
  check({ contract, options, report }) {
    for (const { input, productPath, product } of indexedInputsOf(contract, options)) {
      if (product.status === 'retired') {
        report(productPath, `"${input.product}" is retired: ${lifecycleOf('retired').notice}`, `move to the data product that replaces it (ask domain ${input.domain}) and remove this input`);
      }
    }
  },
};
