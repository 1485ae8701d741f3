import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { STATUSES } from '../contract';

/** The status decides what is deployed and granted (see `lifecycleOf`). */
export const LIFECYCLE_STATUS: ContractRule = {
  id: 'lifecycle-status',
  scope: 'contract',
  severity: 'error',
  description: `\`status\` is a status of the lifecycle: ${STATUSES.map((status) => `\`${status}\``).join(', ')}`,
  check({ contract, report }) {
    if ((STATUSES as readonly string[]).includes(contract.status)) {
      return;
    }
    const suggestion = closest(contract.status, STATUSES);
    report(['status'], `"${contract.status}" is not a status of the lifecycle: ${STATUSES.join(', ')}`, suggestion ? `did you mean "${suggestion}"?` : 'e.g. draft while it is written, active once it is served');
  },
};
