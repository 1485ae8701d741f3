import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { inputsOf } from './private/inputs';
import { triggerInputsOf } from './private/trigger-inputs';

/** A pipeline started by a data product it does not read would start for nothing it can use. */
export const INPUT_TRIGGER_DECLARED: ContractRule = {
  id: 'input-trigger-declared',
  scope: 'contract',
  severity: 'error',
  description: 'each input that triggers the pipeline (`sdlfPipeline.trigger.inputs`) is an input of the contract (`sdlfInputs`)',
  check({ contract, report }) {
    const declared = inputsOf(contract).inputs.map(({ input }) => input.product);
    for (const { product, path } of triggerInputsOf(contract).inputs) {
      if (!declared.includes(product)) {
        const suggestion = closest(product, declared);
        report(
          path,
          `"${product}" triggers the pipeline but is not an input of the contract (sdlfInputs: ${declared.join(', ') || 'none'})`,
          suggestion ? `did you mean "${suggestion}"?` : `add ${product} to sdlfInputs, or remove it from trigger.inputs`,
        );
      }
    }
  },
};
