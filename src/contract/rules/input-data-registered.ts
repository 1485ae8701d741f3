import type { ContractRule } from './contract-rule';
import { lifecycleOf } from '../contract-lifecycle';
import { selectGrantedTo } from '../mesh-index';
import { indexedInputsOf } from './private/inputs';

/**
 * Lake Formation vends a table's data only from a location registered with it (the platform
 * registers a domain's once its registry names the domain's data bucket): a granted input whose
 * location is not registered deploys, links and queries, and every query returns no rows. Lint
 * says so before anyone wonders why. An index that does not say where the product is (a catalog
 * built without the platform's registry) says nothing of its location either, and is not warned of.
 */
export const INPUT_DATA_REGISTERED: ContractRule = {
  id: 'input-data-registered',
  scope: 'contract',
  severity: 'warning',
  description: 'given the mesh index, the data of each granted input (`sdlfInputs`) is in a location the platform registered with Lake Formation, which vends it from there only',
  check({ contract, options, report }) {
    const domain = options.domain ?? contract.domain;
    if (domain === undefined) {
      return;
    }
    for (const { input, productPath, product } of indexedInputsOf(contract, options)) {
      const granted = input.domain !== domain && lifecycleOf(product.status).granted && selectGrantedTo(product, domain).size > 0;
      if (granted && product.account !== undefined && product.dataLocation === undefined) {
        const where = options.meshIndex?.environment ?? '<environment>';
        report(
          productPath,
          `"${input.product}" is granted, but its data location is not registered with Lake Formation in ${where}: queries read its tables' definitions and no rows`,
          `ask the platform team to add dataBucket to environment ${where} of domains/${input.domain}.yaml`,
        );
      }
    }
  },
};
