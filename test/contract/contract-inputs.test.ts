/**
 * A data product's inputs (`sdlfInputs`): how a contract writes them, and what lint says of each
 * against the mesh index (the catalog's `catalog.json`, or a repository's copy of it).
 */
import { formatProblem } from '../../src/contract';
import { lintContractText } from '../../src/contract/lint-contract';
import { MESH_INDEX_KIND, MeshIndexError, parseMeshIndex, renderMeshIndex } from '../../src/contract/mesh-index';
import type { ContractRuleOptions } from '../../src/contract/rules';
import { meshIndex } from '../support/mesh-index';
import { activeContract } from '../support/sample-contract';

const FILE = 'dataproducts/revenue.yaml';

/** Finance's revenue, reading the given `sdlfInputs` (YAML lines of the list). */
function revenue(...lines: string[]): string {
  return activeContract('finance', 'controller@example.com', 'revenue').replace(/(    value: 365\n)/, `$1  - property: sdlfInputs\n    value:\n${lines.map((line) => `      ${line}`).join('\n')}\n`);
}

/** What lint prints of the contract, after the file name, errors, warnings and notes alike. */
function lint(text: string, options: ContractRuleOptions = { domain: 'finance', meshIndex: meshIndex() }): string[] {
  const report = lintContractText(FILE, text, options);
  return [...report.problems, ...report.warnings, ...report.notes].map((problem) => formatProblem(problem).slice(FILE.length + 1));
}

describe('how a contract writes its inputs', () => {
  test('a data product as <domain>/<data product>, or with the tables and columns it reads: both typed alike', () => {
    const report = lintContractText(FILE, revenue('- sales/orders', '- product: sales/customers', '  tables: [{ name: customers, columns: [order_id] }]'), { domain: 'finance', meshIndex: meshIndex() });
    expect(report.problems).toEqual([]);
    expect(report.contract?.inputs).toEqual([
      { product: 'sales/orders', domain: 'sales', dataProduct: 'orders' },
      { product: 'sales/customers', domain: 'sales', dataProduct: 'customers', tables: [{ name: 'customers', columns: ['order_id'] }] },
    ]);
  });

  test('a name without its domain, or a misspelt field, is refused with the form and the fix', () => {
    expect(lint(revenue('- orders', '- product: sales/orders', '  tabels: [{ name: orders }]'))).toEqual([
      '82:9: customProperties[3].value[0]: "orders" does not match ^[a-z][a-z0-9-]{1,23}/[a-z][a-z0-9_-]{0,39}$ (A data product of the mesh as <domain>/<data product>, e.g. sales/orders.)',
      '84:9: customProperties[3].value[1].tabels: unknown field "tabels" (did you mean "tables"?)',
    ]);
  });
});

describe('lint against the mesh index', () => {
  test('a grant narrower than the input reads: one line naming the missing columns and the command that asks for them', () => {
    expect(lint(revenue('- product: sales/orders', '  tables: [{ name: orders, columns: [order_id, customer_email, order_total] }]'))).toEqual([
      '82:18: customProperties[3].value[0].product: "sales/orders" grants domain "finance" less than it reads: not column orders.customer_email ' +
        '(ask domain sales for it: sdlf-mesh access request sales/orders --for finance)',
    ]);
  });

  test('a product that grants the domain nothing, or only its definitions, says so with the same fix', () => {
    const asMarketing = activeContract('marketing', 'cmo@example.com', 'campaigns').replace(/(    value: 365\n)/, '$1  - property: sdlfInputs\n    value: [sales/orders, sales/customers]\n');
    expect(lintContractText('dataproducts/campaigns.yaml', asMarketing, { domain: 'marketing', meshIndex: meshIndex() }).problems.map((problem) => problem.message)).toEqual([
      '"sales/orders" grants domain "marketing" describe only: the tables\' definitions, no data',
      '"sales/customers" grants nothing to domain "marketing"',
    ]);
  });

  test('an unknown data product, table or column comes with the closest name', () => {
    expect(lint(revenue('- saels/orders', '- product: sales/orders', '  tables: [{ name: order, columns: [id] }, { name: orders, columns: [order_totl] }]'))).toEqual([
      '82:9: customProperties[3].value[0]: "saels/orders" is not a data product of the mesh index (it has no domain "saels") (did you mean "sales/orders"?)',
      '84:26: customProperties[3].value[1].tables[0].name: "sales/orders" has no table "order" (its tables: orders) (did you mean "orders"?)',
      '84:76: customProperties[3].value[1].tables[1].columns[0]: table "orders" of "sales/orders" has no column "order_totl" (did you mean "order_total"?)',
    ]);
  });

  test('a retired input is an error, a deprecated or draft one a warning that says what to do', () => {
    expect(lint(revenue('- sales/ledger', '- sales/customers', '- sales/forecasts'))).toEqual([
      '82:9: customProperties[3].value[0]: "sales/ledger" is retired: consumer grants are revoked and the pipeline is removed; the data is kept for its retention (move to the data product that replaces it (ask domain sales) and remove this input)',
      '83:9: warning: customProperties[3].value[1]: "sales/customers" is deprecated: still served, but consumers should move off it before it is retired (move to the data product that replaces it (ask domain sales))',
      '84:9: warning: customProperties[3].value[2]: "sales/forecasts" is a draft: nothing is deployed and no consumer is granted yet (keep the input, but deploy what reads it once the data product is active)',
    ]);
  });

  test("a domain's own data products need no grant", () => {
    const index = meshIndex();
    const salesReport = activeContract('sales', 'sales-data@example.com', 'returns').replace(/(    value: 365\n)/, '$1  - property: sdlfInputs\n    value: [sales/orders]\n');
    expect(lintContractText('dataproducts/returns.yaml', salesReport, { domain: 'sales', meshIndex: index }).problems).toEqual([]);
  });

  test('without an index, one note says the inputs were not checked and names the option', () => {
    const report = lintContractText(FILE, revenue('- sales/orders', '- sales/nothing'), { domain: 'finance' });
    expect(report.problems).toEqual([]);
    expect(report.contract).toBeDefined();
    expect(report.notes.map(formatProblem)).toEqual([
      `${FILE}:82:7: note: customProperties[3].value: the 2 inputs were not checked against the mesh: there is no mesh index ` +
        "(set meshIndex in .projenrc.ts to the catalog's catalog.json (a path or an https URL) and run npx projen, or give --mesh-index)",
    ]);
  });
});

describe('the mesh index', () => {
  const catalogJson = {
    format: 1,
    environment: 'prod',
    sources: [],
    domains: [],
    edges: [],
    problems: [],
    products: [
      {
        id: 'sales/orders',
        dataProduct: 'orders',
        name: 'orders',
        domain: 'sales',
        version: '1.0.0',
        status: 'active',
        account: '111111111111',
        region: 'eu-west-1',
        database: 'sales_prod_orders',
        owners: ['@acme/sales'],
        tables: [{ name: 'orders', table: 'orders', columns: [{ name: 'order_id', glueType: 'string' }, { name: 'order_total', glueType: 'decimal(12,2)' }], sql: 'SELECT 1' }],
        consumers: [{ kind: 'domain', id: 'finance', access: 'select', tables: [{ table: 'orders', columns: ['order_id'] }] }],
        history: [],
      },
    ],
    upcoming: [{ id: 'sales/forecasts', domain: 'sales', dataProduct: 'forecasts', status: 'draft', version: '0.1.0' }],
  };

  test("is made of the catalog's catalog.json: only what a domain needs to read the products, the same bytes every time", () => {
    const index = parseMeshIndex(JSON.stringify(catalogJson), 'catalog.json');
    expect(index).toEqual({
      kind: MESH_INDEX_KIND,
      format: 1,
      environment: 'prod',
      products: [
        { id: 'sales/forecasts', domain: 'sales', dataProduct: 'forecasts', status: 'draft', version: '0.1.0', tables: [], grants: [] },
        {
          id: 'sales/orders',
          domain: 'sales',
          dataProduct: 'orders',
          status: 'active',
          version: '1.0.0',
          account: '111111111111',
          region: 'eu-west-1',
          database: 'sales_prod_orders',
          tables: [{ name: 'orders', table: 'orders', columns: ['order_id', 'order_total'] }],
          grants: [{ kind: 'domain', id: 'finance', access: 'select', tables: [{ table: 'orders', columns: ['order_id'] }] }],
        },
      ],
    });
    // The copy a repository keeps reads back as the same index.
    expect(parseMeshIndex(renderMeshIndex(index), '.sdlf/mesh-index.json')).toEqual(index);
    expect(renderMeshIndex(parseMeshIndex(JSON.stringify(catalogJson), 'catalog.json'))).toBe(renderMeshIndex(index));
  });

  test('anything else is refused with where it was read and the fields at fault', () => {
    expect(() => parseMeshIndex('<html>', 'https://catalog.example.com/')).toThrow(MeshIndexError);
    expect(() => parseMeshIndex('<html>', 'https://catalog.example.com/')).toThrow(
      /^the mesh index https:\/\/catalog.example.com\/ is not JSON \(.*\); give the catalog's catalog.json, which sdlf-mesh catalog build writes$/,
    );
    const broken = { ...catalogJson, products: [{ ...catalogJson.products[0], status: 'live', tables: 'orders' }] };
    expect(() => parseMeshIndex(JSON.stringify(broken), 'catalog.json')).toThrow(
      'the mesh index catalog.json is not a catalog.json of sdlf-mesh: products[0].status must be equal to one of the allowed values; products[0].tables must be array; give the catalog.json that sdlf-mesh catalog build writes',
    );
  });
});
