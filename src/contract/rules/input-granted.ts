import type { ContractRule } from './contract-rule';
import { lifecycleOf } from '../contract-lifecycle';
import type { DataProductInput } from '../data-product-input';
import { MeshIndexProduct, selectGrantedTo } from '../mesh-index';
import { indexedInputsOf } from './private/inputs';

/** The command that asks a producer for access (its pull request changes the producer's `sdlfConsumers`). */
export function accessRequestCommand(product: string, domain: string): string {
  return `sdlf-mesh access request ${product} --for ${domain}`;
}

/**
 * An input the producer does not grant fails only when the pipeline first reads it, in another
 * account: lint says it at the input's line, with what is missing and whom to ask.
 */
export const INPUT_GRANTED: ContractRule = {
  id: 'input-granted',
  scope: 'contract',
  severity: 'error',
  description: "given the mesh index, the producer of each input (`sdlfInputs`) grants the contract's domain `select` on every table and column it names",
  check({ contract, options, report }) {
    const domain = options.domain ?? contract.domain;
    if (domain === undefined) {
      return;
    }
    for (const { input, productPath, product } of indexedInputsOf(contract, options)) {
      // A domain reads its own data products without a grant; a product not served grants nothing
      // (`input-active` and `input-retired` say why).
      if (input.domain === domain || !lifecycleOf(product.status).granted) {
        continue;
      }
      const shortfall = grantShortfall(input, product, domain);
      if (shortfall) {
        report(productPath, `"${input.product}" ${shortfall}`, `ask domain ${input.domain} for it: ${accessRequestCommand(input.product, domain)}`);
      }
    }
  },
};

/** What the producer's grants to `domain` lack of what the input reads, in words; undefined when nothing. */
function grantShortfall(input: DataProductInput, product: MeshIndexProduct, domain: string): string | undefined {
  const grants = product.grants.filter((grant) => grant.kind === 'domain' && grant.id === domain);
  if (grants.length === 0) {
    return `grants nothing to domain "${domain}"`;
  }
  // Only `select` reads data; `describe` shows the tables' definitions.
  const granted = selectGrantedTo(product, domain);
  if (granted.size === 0) {
    return `grants domain "${domain}" ${grants.map((grant) => grant.access).join(' and ')} only: the tables' definitions, no data`;
  }
  const missingTables: string[] = [];
  const missingColumns: string[] = [];
  for (const table of input.tables ?? []) {
    // `input-known` reports a table or column the product does not have.
    const known = product.tables.find((candidate) => candidate.name === table.name);
    if (known === undefined) {
      continue;
    }
    const columns = granted.get(known.table);
    if (columns === undefined) {
      missingTables.push(table.name);
      continue;
    }
    const missing = (table.columns ?? []).filter((column) => known.columns.includes(column) && !columns.has(column));
    missingColumns.push(...missing.map((column) => `${table.name}.${column}`));
  }
  if (missingTables.length === 0 && missingColumns.length === 0) {
    return undefined;
  }
  const parts = [
    ...(missingTables.length ? [`table${missingTables.length === 1 ? '' : 's'} ${missingTables.join(', ')}`] : []),
    ...(missingColumns.length ? [`column${missingColumns.length === 1 ? '' : 's'} ${missingColumns.join(', ')}`] : []),
  ];
  return `grants domain "${domain}" less than it reads: not ${parts.join(', nor ')}`;
}
