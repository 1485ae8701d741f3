import type { ContractRule } from './contract-rule';
import { consumersOf } from './private/consumers';

/** A domain reads its own data products without a grant. */
export const CONSUMER_NOT_OWNER: ContractRule = {
  id: 'consumer-not-owner',
  scope: 'contract',
  severity: 'error',
  description: 'a consumer `domain` is another domain than the contract\'s',
  check({ contract, report }) {
    for (const { consumer, path } of consumersOf(contract)) {
      if (consumer.domain !== undefined && consumer.domain === contract.domain) {
        report([...path, 'domain'], `domain "${consumer.domain}" owns the data product; a grant is for another domain`);
      }
    }
  },
};
