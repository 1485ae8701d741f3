import type { InputEntry } from './sdlf-extensions';

/** A table a data product reads of one of its inputs, and the columns it reads. */
export interface InputTableRead {
  /** The table's name in the producer's contract (a schema object). */
  readonly name: string;
  /** The columns read; undefined: whatever the producer's grant gives of the table. */
  readonly columns?: readonly string[];
}

/**
 * A data product another one reads (`sdlfInputs`), one form for both ways a contract may write it:
 * `sales/orders`, or `{ product: sales/orders, tables: [...] }`.
 */
export interface DataProductInput {
  /** `<domain>/<data product>`, as the contract gives it and the catalog names products. */
  readonly product: string;
  /** The producer's domain. */
  readonly domain: string;
  /** The producer's data product. */
  readonly dataProduct: string;
  /** The tables read; undefined: whatever the producer's grant gives of the data product. */
  readonly tables?: readonly InputTableRead[];
}

/** An `sdlfInputs` entry, in the one form the rest of the code reads. */
export function dataProductInput(entry: InputEntry): DataProductInput {
  const product = typeof entry === 'string' ? entry : entry.product;
  // The schema checked the form: one `/` between the domain and the data product.
  const [domain, dataProduct] = product.split('/');
  const tables = typeof entry === 'string' ? undefined : entry.tables;
  return { product, domain, dataProduct, ...(tables ? { tables } : {}) };
}

/** `<domain>/<data product>`: how the catalog, the mesh index and the inputs name a data product. */
export function dataProductId(domain: string, dataProduct: string): string {
  return `${domain}/${dataProduct}`;
}
