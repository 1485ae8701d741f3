import * as path from 'path';
import type { ContractDocumentData } from '../../odcs-definitions';

/** What names a data product: it is part of S3 prefixes, stack names and the Glue database. */
export const DATA_PRODUCT_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * The data product's name and the field that gives it: `name`, or the deprecated `dataProduct`,
 * read only when there is no `name` (ODCS v3.1).
 */
export function dataProductName(contract: ContractDocumentData): { field: 'name' | 'dataProduct'; name?: string } {
  return { field: contract.name !== undefined ? 'name' : 'dataProduct', name: contract.name ?? contract.dataProduct };
}

/** The data product a file is named after: `orders` for `orders.yaml` or `orders.odcs.yaml`. */
export function fileDataProduct(file: string): string {
  return path.basename(file).replace(/(\.odcs)?\.ya?ml$/, '');
}
