import type { ContractRule } from './contract-rule';
import { lifecycleOf } from '../contract-lifecycle';
import { accessRequestCommand, grantShortfall } from '../input-grant';
import { indexedInputsOf } from './private/inputs';

export { accessRequestCommand } from '../input-grant';

/**
 * An input the producer does not grant fails only when the pipeline first reads it, in another
 * account: lint says it at the input's line, with what is missing and whom to ask.
 */
export const INPUT_GRANTED: ContractRule = {
  id: 'input-granted',
  scope: 'contract',
  severity: 'error',
  description: "given the mesh index, the producer of each input (`sdlfInputs`) grants the contract's domain `select` on every table and column it names",
  check({ contract, options, report }) {
    const domain = options.domain ?? contract.domain;
    if (domain === undefined) {
      return;
    }
    for (const { input, productPath, product } of indexedInputsOf(contract, options)) {
      // A domain reads its own data products without a grant; a product not served grants nothing
      // (`input-active` and `input-retired` say why).
      if (input.domain === domain || !lifecycleOf(product.status).granted) {
        continue;
      }
      const shortfall = grantShortfall(input, product, domain);
      if (shortfall) {
        report(productPath, `"${input.product}" ${shortfall.text}`, `ask domain ${input.domain} for it: ${accessRequestCommand(input.product, domain)}`);
      }
    }
  },
};
