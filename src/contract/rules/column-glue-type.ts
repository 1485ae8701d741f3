import type { ContractRule } from './contract-rule';
import { columnTypeProblem } from '../glue-types';
import { columnsOf } from './private/columns';

/** A column has one Glue type: a physicalType that is not one would be guessed from the logical type. */
export const COLUMN_GLUE_TYPE: ContractRule = {
  id: 'column-glue-type',
  scope: 'contract',
  severity: 'error',
  description: 'a column\'s `physicalType` is a Glue type (`string`, `int`, `decimal(12,2)`, `array<...>`...) that holds its `logicalType`',
  check({ contract, report }) {
    for (const { column, path } of columnsOf(contract)) {
      const problem = columnTypeProblem(column.physicalType, column.logicalType);
      if (problem) {
        report([...path, problem.field], problem.message, problem.suggestion);
      }
    }
  },
};
