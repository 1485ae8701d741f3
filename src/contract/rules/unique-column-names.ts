import type { ContractRule } from './contract-rule';
import { reportDuplicateNames } from './private/unique-names';

/** A column is a Glue column of its object's table, named after it. */
export const UNIQUE_COLUMN_NAMES: ContractRule = {
  id: 'unique-column-names',
  scope: 'contract',
  severity: 'error',
  description: 'the columns of an object have distinct names',
  check({ contract, report }) {
    (contract.schema ?? []).forEach((object, objectIndex) => reportDuplicateNames(object.properties ?? [], ['schema', objectIndex, 'properties'], 'column', report));
  },
};
