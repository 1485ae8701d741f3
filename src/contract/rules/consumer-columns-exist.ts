import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { schemaElements } from '../contract';
import { consumersOf } from './private/consumers';

/** A grant of a name that is not in the schema would grant nothing, in silence. */
export const CONSUMER_COLUMNS_EXIST: ContractRule = {
  id: 'consumer-columns-exist',
  scope: 'contract',
  severity: 'error',
  description: 'a consumer\'s `columns` name objects or `object.column`s of the schema',
  check({ contract, report }) {
    const elements = schemaElements(contract.schema ?? []);
    for (const { consumer, path } of consumersOf(contract)) {
      (consumer.columns ?? []).forEach((element, index) => {
        if (!elements.includes(element)) {
          const suggestion = closest(element, elements);
          report([...path, 'columns', index], `"${element}" is not an object or object.column of the schema`, suggestion && `did you mean "${suggestion}"?`);
        }
      });
    }
  },
};
