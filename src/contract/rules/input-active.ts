import type { ContractRule } from './contract-rule';
import { lifecycleOf } from '../contract-lifecycle';
import { indexedInputsOf } from './private/inputs';

/**
 * A deprecated input still serves, and a proposed or draft one is not served yet: neither breaks
 * the build, but the domain should know before it depends on it.
 */
export const INPUT_ACTIVE: ContractRule = {
  id: 'input-active',
  scope: 'contract',
  severity: 'warning',
  description: 'given the mesh index, each input (`sdlfInputs`) is active: a deprecated one should be moved off, a proposed or draft one is not served yet',
  check({ contract, options, report }) {
    for (const { input, productPath, product } of indexedInputsOf(contract, options)) {
      if (product.status === 'deprecated') {
        report(productPath, `"${input.product}" is deprecated: ${lifecycleOf('deprecated').notice}`, `move to the data product that replaces it (ask domain ${input.domain})`);
      } else if (product.status === 'proposed' || product.status === 'draft') {
        report(productPath, `"${input.product}" is ${product.status === 'draft' ? 'a draft' : 'proposed'}: nothing is deployed and no consumer is granted yet`, 'keep the input, but deploy what reads it once the data product is active');
      }
    }
  },
};
