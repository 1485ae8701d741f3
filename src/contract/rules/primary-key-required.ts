import type { ContractRule } from './contract-rule';
import { columnsOf } from './private/columns';

/** A row is found by its primary key: no part of it may be missing. */
export const PRIMARY_KEY_REQUIRED: ContractRule = {
  id: 'primary-key-required',
  scope: 'contract',
  severity: 'error',
  description: 'a primary key column is not `required: false`',
  check({ contract, report }) {
    for (const { column, path } of columnsOf(contract)) {
      if (column.primaryKey === true && column.required === false) {
        report([...path, 'required'], `primary key column "${column.name}" cannot be optional`, 'remove required: false');
      }
    }
  },
};
