import type { ContractRule } from './contract-rule';
import { CONSUMER_KINDS, consumerIdentity } from '../consumer-grants';
import { consumersOf } from './private/consumers';

/** Two names for one grant would let an allowed domain carry another principal. */
export const CONSUMER_ONE_PRINCIPAL: ContractRule = {
  id: 'consumer-one-principal',
  scope: 'contract',
  severity: 'error',
  description: 'a consumer is one `domain`, `account` or `role`',
  check({ contract, report }) {
    for (const { consumer, path } of consumersOf(contract)) {
      if (!consumerIdentity(consumer)) {
        const given = CONSUMER_KINDS.filter((kind) => consumer[kind] !== undefined);
        report(path, `a consumer is one domain, account or role; this one gives ${given.join(' and ')}`, 'split it into one consumer each');
      }
    }
  },
};
