import { lifecycleOf } from './contract-lifecycle';
import type { DataProductInput } from './data-product-input';
import { glueDatabaseName } from './glue-names';
import { findIndexProduct, MeshIndex, selectGrantedTo } from './mesh-index';

/** A table of an input that a domain may read, and the columns it reads of it. */
export interface ReadableTable {
  /** The table's name in the producer's contract (a schema object). */
  readonly name: string;
  /** Its Glue table in the producer's database. */
  readonly table: string;
  /** The columns read: asked for and granted, in the producer's order. */
  readonly columns: string[];
}

/** An input of a domain's data products, as the domain links it in its own catalog. */
export interface ReadableInput {
  /** `<domain>/<data product>` of the producer. */
  readonly product: string;
  /** The producer's account, when the mesh index says (else the consumer's own). */
  readonly account?: string;
  /** The producer's region, when the mesh index says (else the consumer's own). */
  readonly region?: string;
  /** The producer's Glue database. */
  readonly database: string;
  /** What the domain reads of it: granted and asked for. */
  readonly tables: ReadableTable[];
}

/** The inputs a domain links in one environment, and why the others are not linked. */
export interface ReadableInputs {
  /** The inputs to link, one per producer's data product, in product order. */
  readonly readable: ReadableInput[];
  /** Each input (or part of one) left unlinked, with the reason, for the synth to say. */
  readonly unlinked: string[];
}

/**
 * What `domain` may read, in `environment`, of the inputs its data products declare: for each
 * producer's data product in the mesh index that serves it, the tables and columns asked for that
 * its grants to the domain cover. An input of the domain's own is read directly, not linked; an
 * input the index does not know, that is not served (draft, proposed, retired) or that grants
 * nothing asked for is left out with the reason: lint reports it as an error where it matters, and
 * a retired input's link and grants are revoked by leaving them out.
 *
 * @param inputs every input of the domain's deployed data products (one product may be read by several)
 */
export function readableInputs(inputs: readonly DataProductInput[], index: MeshIndex, domain: string, environment: string): ReadableInputs {
  if (index.environment !== undefined && index.environment !== environment) {
    const products = [...new Set(inputs.filter((input) => input.domain !== domain).map((input) => input.product))].sort();
    return {
      readable: [],
      unlinked: products.length ? [`the mesh index describes environment ${index.environment}: ${products.join(', ')} not linked in ${environment} (give this environment's catalog.json as meshIndex to link them here)`] : [],
    };
  }
  const byProduct = new Map<string, DataProductInput[]>();
  for (const input of inputs.filter((candidate) => candidate.domain !== domain)) {
    byProduct.set(input.product, [...(byProduct.get(input.product) ?? []), input]);
  }
  const readable: ReadableInput[] = [];
  const unlinked: string[] = [];
  for (const [id, reads] of [...byProduct.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const product = findIndexProduct(index, id);
    if (!product) {
      unlinked.push(`${id} is not in the mesh index: not linked`);
      continue;
    }
    if (!lifecycleOf(product.status).granted) {
      unlinked.push(`${id} is ${product.status}: not linked, and the grants on it are revoked`);
      continue;
    }
    const granted = selectGrantedTo(product, domain);
    const tables: ReadableTable[] = [];
    for (const table of product.tables) {
      const asked = askedColumns(reads, table.name);
      const grantedColumns = granted.get(table.table);
      if (asked === null) {
        continue;
      }
      const columns = table.columns.filter((column) => grantedColumns?.has(column) && (asked === undefined || asked.has(column)));
      if (columns.length > 0) {
        tables.push({ name: table.name, table: table.table, columns });
      } else if (asked !== undefined) {
        unlinked.push(`${id} grants domain ${domain} none of the columns it reads of table ${table.name}: that table is not read`);
      }
    }
    if (tables.length === 0) {
      unlinked.push(`${id} grants domain ${domain} nothing it reads: not linked`);
      continue;
    }
    readable.push({
      product: id,
      ...(product.account ? { account: product.account } : {}),
      ...(product.region ? { region: product.region } : {}),
      database: product.database ?? glueDatabaseName(product.domain, environment, product.dataProduct),
      tables,
    });
  }
  return { readable, unlinked };
}

/**
 * The columns of table `name` that the inputs read: undefined when one reads whatever is granted
 * (it names no tables, or names the table without columns); null when none reads the table.
 */
function askedColumns(reads: readonly DataProductInput[], name: string): Set<string> | undefined | null {
  const columns = new Set<string>();
  let read = false;
  for (const input of reads) {
    if (input.tables === undefined) {
      return undefined;
    }
    const table = input.tables.find((candidate) => candidate.name === name);
    if (table) {
      if (table.columns === undefined) {
        return undefined;
      }
      read = true;
      table.columns.forEach((column) => columns.add(column));
    }
  }
  return read ? columns : null;
}
