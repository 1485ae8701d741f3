import type { ContractRule } from './contract-rule';
import { inputsOf } from './private/inputs';

/**
 * Without the mesh index, lint cannot know the other domains' data products: it says so once,
 * rather than passing the inputs in silence.
 */
export const INPUTS_CHECKED: ContractRule = {
  id: 'inputs-checked',
  scope: 'contract',
  severity: 'note',
  description: 'without a mesh index, lint says that the inputs (`sdlfInputs`) were not checked against the mesh, and how they can be',
  check({ contract, options, report }) {
    const { inputs, path } = inputsOf(contract);
    if (options.meshIndex || inputs.length === 0) {
      return;
    }
    report(
      path,
      `${inputs.length === 1 ? 'the input was' : `the ${inputs.length} inputs were`} not checked against the mesh: there is no mesh index`,
      "set meshIndex in .projenrc.ts to the catalog's catalog.json (a path or an https URL) and run npx projen, or give --mesh-index",
    );
  },
};
