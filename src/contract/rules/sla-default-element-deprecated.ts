import type { ContractRule } from './contract-rule';

/** ODCS v3.1 deprecates `slaDefaultElement`: each SLA property names its element. */
export const SLA_DEFAULT_ELEMENT_DEPRECATED: ContractRule = {
  id: 'sla-default-element-deprecated',
  scope: 'contract',
  severity: 'warning',
  description: '`slaDefaultElement` is deprecated since ODCS v3.1.0: each `slaProperties` entry gives its element',
  check({ contract, report }) {
    if (contract.slaDefaultElement !== undefined) {
      report(['slaDefaultElement'], 'slaDefaultElement is deprecated since ODCS v3.1.0', 'give each slaProperties entry its element');
    }
  },
};
