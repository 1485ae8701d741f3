import type { ContractRule } from './contract-rule';

/** A repository speaks for its own domain only. */
export const CONTRACT_DOMAIN: ContractRule = {
  id: 'contract-domain',
  scope: 'contract',
  severity: 'error',
  description: '`domain` is the domain of the repository the contract lives in',
  check({ contract, options, report }) {
    if (options.domain !== undefined && contract.domain !== options.domain) {
      report(['domain'], `the contract is for domain "${contract.domain ?? ''}" but lives in the repository of domain "${options.domain}"`, `set domain: ${options.domain}`);
    }
  },
};
