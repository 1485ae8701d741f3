import type { ContractRule } from './contract-rule';
import type { SchemaProperty } from '../odcs-definitions';

/** A composite primary key says the order of its columns. */
export const PRIMARY_KEY_POSITIONS: ContractRule = {
  id: 'primary-key-positions',
  scope: 'contract',
  severity: 'error',
  description: 'the columns of a composite primary key are numbered 1 to n by `primaryKeyPosition`, each once',
  check({ contract, report }) {
    (contract.schema ?? []).forEach((object, objectIndex) => {
      const base = ['schema', objectIndex, 'properties'];
      const keys = (object.properties ?? []).map((property, index) => ({ property, index })).filter(({ property }) => property.primaryKey === true);
      const positioned = (property: SchemaProperty) => property.primaryKeyPosition !== undefined && property.primaryKeyPosition !== -1;
      const positions = keys.flatMap(({ property }) => (positioned(property) ? [property.primaryKeyPosition!] : []));
      if (keys.length > 1 && positions.length !== keys.length) {
        const { index } = keys.find(({ property }) => !positioned(property))!;
        report([...base, index], 'a composite primary key needs primaryKeyPosition on each of its columns', `number them 1 to ${keys.length}`);
      } else if (positions.length > 0 && [...positions].sort((a, b) => a - b).some((position, i) => position !== i + 1)) {
        report([...base, keys[0].index, 'primaryKeyPosition'], `primary key positions ${positions.join(', ')} must be 1 to ${positions.length}, each once`);
      }
    });
  },
};
