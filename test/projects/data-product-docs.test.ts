/**
 * The docs page of a data product lists its inputs (`sdlfInputs`): what it reads of each, and,
 * given the repository's copy of the mesh index, whether each is served and granted to the domain.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MESH_INDEX_COPY, renderMeshIndex } from '../../src/contract/mesh-index';
import { domainProject, newProjectDir } from '../support/domain-project';
import { meshIndex } from '../support/mesh-index';
import { activeContract } from '../support/sample-contract';
import { synthesize } from '../support/synth';

jest.setTimeout(120_000);

/** A finance contract that reads five of sales's data products: one narrower than granted, a deprecated, a retired, a draft and an unknown one. */
const REVENUE = activeContract('finance', '@acme/finance', 'revenue').replace(
  /(    value: 365\n)/,
  `$1  - property: sdlfInputs
    value:
      - product: sales/orders
        tables: [{ name: orders, columns: [order_id, customer_email, order_total] }]
      - sales/customers
      - sales/ledger
      - sales/forecasts
      - sales/returns
`,
);

/** A finance repository with the revenue contract, synthesized; the files given are written first. */
function financeDocs(options: { meshIndex?: string } = {}, files: Record<string, string> = {}): string {
  const outdir = newProjectDir();
  for (const [file, text] of Object.entries({ 'dataproducts/revenue.yaml': REVENUE, ...files })) {
    fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
    fs.writeFileSync(path.join(outdir, file), text);
  }
  const read = synthesize(domainProject({ name: 'finance', domain: 'finance', ...options }, outdir));
  const page = read('docs/dataproducts/revenue.md');
  return page.slice(page.indexOf('## Inputs'), page.indexOf('## Consumers'));
}

test('given the mesh index, each input says its status and whether it is granted to the domain, with the fix', () => {
  const inputs = financeDocs({ meshIndex: 'catalog.json' }, { 'catalog.json': renderMeshIndex(meshIndex()) });
  expect(inputs.split('\n')).toEqual([
    '## Inputs',
    '',
    '| data product | reads | status | granted to finance |',
    '| --- | --- | --- | --- |',
    '| `sales/orders` | `orders` (order_id, customer_email, order_total) | active | partly: grants domain "finance" less than it reads: not column orders.customer_email; ' +
      'sdlf-mesh access request sales/orders --for finance |',
    '| `sales/customers` | what the grant gives | deprecated | yes |',
    '| `sales/ledger` | what the grant gives | retired | no: it is retired, its grants are revoked; move to the data product that replaces it (ask domain sales) |',
    '| `sales/forecasts` | what the grant gives | draft | no: it is a draft, not served yet |',
    '| `sales/returns` | what the grant gives | unknown | not in the mesh index; check the name, or ask domain sales whether it publishes it |',
    '',
    'As the mesh index says (`.sdlf/mesh-index.json`, environment prod); `npx projen` reads it anew.',
    '',
    '',
  ]);
});

test('a copy of the mesh index in the repository is read as lint reads it, without the option', () => {
  const inputs = financeDocs({}, { [MESH_INDEX_COPY]: renderMeshIndex(meshIndex()) });
  expect(inputs).toContain('| `sales/customers` | what the grant gives | deprecated | yes |');
});

test('without a mesh index the inputs are listed, and the page says how to check them', () => {
  const inputs = financeDocs();
  expect(inputs).toContain('| data product | reads |\n| --- | --- |\n| `sales/orders` | `orders` (order_id, customer_email, order_total) |\n');
  expect(inputs).toContain("Not checked: set `meshIndex` in `.projenrc.ts` to the catalog's `catalog.json` and run `npx projen` to see whether each is served and granted to finance.");
  expect(inputs).not.toContain('granted to finance |');
});

test('a data product without inputs has no inputs section', () => {
  const page = synthesize(domainProject())('docs/dataproducts/orders.md');
  expect(page).not.toContain('## Inputs');
});

test("a retired data product's page says its grants are revoked", () => {
  const outdir = newProjectDir();
  const contract = activeContract('sales', '@acme/sales', 'orders')
    .replace('status: active', 'status: retired')
    .replace('    value: []', '    value:\n      - domain: finance\n        access: select');
  fs.mkdirSync(path.join(outdir, 'dataproducts'));
  fs.writeFileSync(path.join(outdir, 'dataproducts/orders.yaml'), contract);
  const page = synthesize(domainProject({}, outdir))('docs/dataproducts/orders.md');
  const consumers = page.slice(page.indexOf('## Consumers'), page.indexOf('## Pipeline'));
  expect(consumers).toMatch(/^## Consumers\n\nRevoked at deploy: the data product is retired, so none of these consumers reads it any more\.\n\n- .*finance/);
});
