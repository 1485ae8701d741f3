import type { ContractRule } from './contract-rule';
import { consumerIdentity, resolveConsumer } from '../consumer-grants';
import { consumersOf } from './private/consumers';

/**
 * Given the platform's allow-list or the consumer principals, every consumer is checked with the
 * synth's own function: a consumer the synth would refuse fails the lint, at its line.
 */
export const CONSUMER_ALLOWED: ContractRule = {
  id: 'consumer-allowed',
  scope: 'contract',
  severity: 'error',
  description: 'given the governance policy or the consumer principals, each consumer is allowed and resolves to a Lake Formation principal, as at synthesis',
  check({ contract, options, report }) {
    if (!options.consumers) {
      return;
    }
    for (const { consumer, path } of consumersOf(contract)) {
      const identity = consumerIdentity(consumer);
      const resolved = identity && resolveConsumer(identity, options.consumers);
      if (resolved && 'refusal' in resolved) {
        report([...path, resolved.refusal.field], resolved.refusal.message, resolved.refusal.fix);
      }
    }
  },
};
