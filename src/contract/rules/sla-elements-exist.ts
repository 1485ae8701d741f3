import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { schemaElements } from '../contract';

/** An SLA is promised on what the contract has: an object or one of its columns. */
export const SLA_ELEMENTS_EXIST: ContractRule = {
  id: 'sla-elements-exist',
  scope: 'contract',
  severity: 'error',
  description: 'an SLA\'s `element` names an object or `object.column` of the schema',
  check({ contract, report }) {
    const objects = contract.schema ?? [];
    // Without a schema there is nothing an SLA element could be checked against.
    if (objects.length === 0) {
      return;
    }
    // A name declared twice (which unique-object-names reports) is checked against its last object.
    const columnsByObject = new Map(objects.map((object) => [object.name, new Set((object.properties ?? []).flatMap((c) => c.name ?? []))]));
    (contract.slaProperties ?? []).forEach((sla, index) => {
      for (const element of sla.element?.split(',').map((e) => e.trim()) ?? []) {
        const [object, column] = element.split('.');
        const columns = columnsByObject.get(object);
        if (!columns || (column !== undefined && !columns.has(column))) {
          const suggestion = closest(element, schemaElements(objects));
          report(['slaProperties', index, 'element'], `"${element}" is not an object or object.column of the schema`, suggestion && `did you mean "${suggestion}"?`);
        }
      }
    });
  },
};
