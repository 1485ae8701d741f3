import type { ContractRule } from './contract-rule';
import { renderPath } from '../contract-problem';
import { inputsOf } from './private/inputs';

/** Two entries of one input could ask for different tables: which one counts would be a guess. */
export const UNIQUE_INPUTS: ContractRule = {
  id: 'unique-inputs',
  scope: 'contract',
  severity: 'error',
  description: 'each data product is an input (`sdlfInputs`) once',
  check({ contract, report }) {
    const seen = new Map<string, string>();
    for (const { input, path, productPath } of inputsOf(contract).inputs) {
      const first = seen.get(input.product);
      if (first !== undefined) {
        report(productPath, `"${input.product}" is an input twice (first at ${first})`, 'list it once, with every table it reads');
      } else {
        seen.set(input.product, renderPath(path));
      }
    }
  },
};
