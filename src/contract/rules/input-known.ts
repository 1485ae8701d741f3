import type { ContractRule } from './contract-rule';
import { closest } from '../closest';
import { lifecycleOf } from '../contract-lifecycle';
import { findIndexProduct } from '../mesh-index';
import { inputsOf, ownProductId } from './private/inputs';

const didYouMean = (value: string, candidates: readonly string[]) => {
  const suggestion = closest(value, candidates);
  return suggestion && `did you mean "${suggestion}"?`;
};

/** An input the mesh does not have would fail only when the pipeline first reads it. */
export const INPUT_KNOWN: ContractRule = {
  id: 'input-known',
  scope: 'contract',
  severity: 'error',
  description: 'given the mesh index, each input (`sdlfInputs`) is a data product of the mesh, and the tables and columns it names are in that product',
  check({ contract, options, report }) {
    const index = options.meshIndex;
    if (!index) {
      return;
    }
    const ids = index.products.map((product) => product.id);
    // The contract's own product may be new to the mesh; `input-not-self` reports it as an input.
    const own = ownProductId(contract, options);
    for (const { input, path, productPath } of inputsOf(contract).inputs.filter((at) => at.input.product !== own)) {
      const product = findIndexProduct(index, input.product);
      if (!product) {
        const ofDomain = index.products.filter((candidate) => candidate.domain === input.domain).map((candidate) => candidate.dataProduct);
        const known = ofDomain.length > 0 ? `domain "${input.domain}" has ${ofDomain.join(', ')}` : `it has no domain "${input.domain}"`;
        report(productPath, `"${input.product}" is not a data product of the mesh index (${known})`, didYouMean(input.product, ids) ?? 'name a data product as <domain>/<data product>, as the catalog lists it');
        continue;
      }
      // A product that is not deployed yet has no tables to name; `input-active` says so.
      if (!lifecycleOf(product.status).deployed) {
        continue;
      }
      (input.tables ?? []).forEach((table, tableIndex) => {
        const found = product.tables.find((candidate) => candidate.name === table.name);
        const names = product.tables.map((candidate) => candidate.name);
        if (!found) {
          report([...path, 'tables', tableIndex, 'name'], `"${input.product}" has no table "${table.name}" (its tables: ${names.join(', ') || 'none'})`, didYouMean(table.name, names));
          return;
        }
        (table.columns ?? []).forEach((column, columnIndex) => {
          if (!found.columns.includes(column)) {
            report([...path, 'tables', tableIndex, 'columns', columnIndex], `table "${table.name}" of "${input.product}" has no column "${column}"`, didYouMean(column, found.columns));
          }
        });
      });
    }
  },
};
