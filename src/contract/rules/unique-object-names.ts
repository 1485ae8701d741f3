import type { ContractRule } from './contract-rule';
import { reportDuplicateNames } from './private/unique-names';

/** A schema object is a Glue table, named after it. */
export const UNIQUE_OBJECT_NAMES: ContractRule = {
  id: 'unique-object-names',
  scope: 'contract',
  severity: 'error',
  description: 'the schema\'s objects have distinct names: each is a Glue table',
  check({ contract, report }) {
    reportDuplicateNames(contract.schema ?? [], ['schema'], 'object', report);
  },
};
