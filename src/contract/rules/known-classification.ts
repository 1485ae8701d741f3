import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { CLASSIFICATIONS } from '../contract';
import { columnsOf } from './private/columns';

/** A classification becomes an LF-tag value, which the platform creates for these values only. */
export const KNOWN_CLASSIFICATION: ContractRule = {
  id: 'known-classification',
  scope: 'contract',
  severity: 'error',
  description: `a column's \`classification\` is one governance knows: ${CLASSIFICATIONS.map((classification) => `\`${classification}\``).join(', ')}`,
  check({ contract, report }) {
    for (const { column, path } of columnsOf(contract)) {
      if (column.classification !== undefined && !(CLASSIFICATIONS as readonly string[]).includes(column.classification)) {
        const suggestion = closest(column.classification, CLASSIFICATIONS);
        report([...path, 'classification'], `"${column.classification}" is not a known classification: ${CLASSIFICATIONS.join(', ')}`, suggestion && `did you mean "${suggestion}"?`);
      }
    }
  },
};
