import type { ContractRule } from './contract-rule';
import { columnsOf } from './private/columns';

/** A column without a name cannot be a Glue column. */
export const COLUMN_NAME_REQUIRED: ContractRule = {
  id: 'column-name-required',
  scope: 'contract',
  severity: 'error',
  description: 'every column has a `name`: it names the Glue column',
  check({ contract, report }) {
    for (const { column, path } of columnsOf(contract)) {
      if (column.name === undefined) {
        report(path, 'a column needs a name: it names the Glue column', 'add name: <column>');
      }
    }
  },
};
