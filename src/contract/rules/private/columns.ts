import type { ContractDocumentData, SchemaObject, SchemaProperty } from '../../odcs-definitions';
import type { FieldPath } from '../contract-rule';

/** A column of a schema object, with where it is in the contract. */
export interface ColumnAt {
  readonly object: SchemaObject;
  readonly column: SchemaProperty;
  /** Its path: `['schema', <object>, 'properties', <column>]`. */
  readonly path: FieldPath;
}

/** The columns of every schema object of the contract, object by object, in contract order. */
export function columnsOf(contract: ContractDocumentData): ColumnAt[] {
  return (contract.schema ?? []).flatMap((object, objectIndex) =>
    (object.properties ?? []).map((column, index) => ({ object, column, path: ['schema', objectIndex, 'properties', index] })),
  );
}
