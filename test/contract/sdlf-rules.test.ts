/**
 * Every SDLF rule of `SDLF_RULES`, each with a contract that breaks it and one that keeps it, linted
 * as `contract lint` lints a repository's contracts; and the README's table of rules, which must
 * list exactly the registered rules, in their order, with their descriptions.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatProblem } from '../../src/contract';
import { ContractDocument } from '../../src/contract/contract-document';
import { lintContractSet } from '../../src/contract/lint-contract';
import { ContractRuleOptions, SDLF_RULES } from '../../src/contract/rules';
import { meshIndex } from '../support/mesh-index';
import { activeContract, sampleContract } from '../support/sample-contract';

/** The sample contract of a new domain repository, active: it keeps every rule. */
const SAMPLE = sampleContract();
const FILE = 'dataproducts/orders.yaml';
const MARKETING = 'arn:aws:iam::222222222222:role/marketing-analysts';

/** Finance's revenue, which reads the given inputs (`sdlfInputs`, as YAML lines of the list). */
const REVENUE = 'dataproducts/revenue.yaml';
const withInputs = (...lines: string[]) =>
  activeContract('finance', 'controller@example.com', 'revenue').replace(/(    value: 365\n)/, `$1  - property: sdlfInputs\n    value:\n${lines.map((line) => `      ${line}`).join('\n')}\n`);
const INDEX = { domain: 'finance', meshIndex: meshIndex() };

/** The mesh index before the platform registered where sales' `dataProduct` is (no `dataLocation`). */
function unregistered(dataProduct: string) {
  const index = meshIndex();
  const products = index.products.map(({ dataLocation, ...product }) =>
    (product.dataProduct === dataProduct ? product : { ...product, dataLocation }));
  return { ...index, products };
}

/** Revenue reading the given inputs, its pipeline a Glue stage that `trigger` starts (`sdlfPipeline.trigger.inputs`). */
const triggeredBy = (trigger: string, ...inputs: string[]) =>
  withInputs(...inputs).replace('    value:\n      stages:\n        - name: light-transform\n          type: lambda', `    value:\n      trigger:\n        inputs: [${trigger}]\n      stages:\n        - name: light-transform\n          type: glue`);

/** The sample with its consumers (`sdlfConsumers`) given as YAML lines of the list. */
const withConsumers = (...lines: string[]) => SAMPLE.replace('    value: []', `    value:\n${lines.map((line) => `      ${line}`).join('\n')}`);

interface RuleCase {
  /** The contract files that break the rule (the sample as `dataproducts/orders.yaml` unless given). */
  readonly breaks: Record<string, string>;
  /** The files of a contract near it that keeps the rule. */
  readonly keeps: Record<string, string>;
  /** What the rule reports, as `contract lint` prints it after the file name. */
  readonly reports: string;
  readonly options?: ContractRuleOptions;
  /** The options the breaking contract is linted with, when they differ (a mesh index that breaks it). */
  readonly breakingOptions?: ContractRuleOptions;
}

const CASES: Record<string, RuleCase> = {
  'data-product-deprecated': {
    breaks: { [FILE]: SAMPLE.replace('name: orders\n', 'dataProduct: orders\n') },
    keeps: { [FILE]: SAMPLE },
    reports: '8:14: warning: dataProduct: dataProduct is deprecated since ODCS v3.1.0: the contract\'s name names the data product (replace it with name: orders)',
  },
  'name-required': {
    breaks: { [FILE]: SAMPLE.replace('name: orders\n', '') },
    keeps: { [FILE]: SAMPLE },
    reports: '5:1: the field "name" is missing: it names the data product and its resources (add: name: orders)',
  },
  'name-format': {
    breaks: { 'dataproducts/Orders 2.yaml': SAMPLE.replace('name: orders\n', 'name: Orders 2\n') },
    keeps: { 'dataproducts/orders_2.yaml': SAMPLE.replace('name: orders\n', 'name: orders_2\n') },
    reports: '8:7: name: "Orders 2" cannot name a data product: use 1 to 40 lowercase letters, digits, - and _, starting with a letter (e.g. orders_2)',
  },
  'name-matches-file': {
    breaks: { 'dataproducts/sales-orders.yaml': SAMPLE },
    keeps: { 'dataproducts/orders.odcs.yaml': SAMPLE },
    reports: '8:7: name: the data product "orders" is in the file sales-orders.yaml: its docs page, stacks and database are named after the data product (rename the file to orders.yaml, or set name: sales-orders)',
  },
  'semantic-version': {
    breaks: { [FILE]: SAMPLE.replace('version: 1.0.0', 'version: v1') },
    keeps: { [FILE]: SAMPLE.replace('version: 1.0.0', 'version: 2.1.0-rc.1') },
    reports: '9:10: version: "v1" is not a semantic version (MAJOR.MINOR.PATCH); breaking changes are told by the major version (e.g. 1.0.0)',
  },
  'lifecycle-status': {
    breaks: { [FILE]: SAMPLE.replace('status: active', 'status: live') },
    keeps: { [FILE]: SAMPLE.replace('status: active', 'status: deprecated') },
    reports: '10:9: status: "live" is not a status of the lifecycle: proposed, draft, active, deprecated, retired (e.g. draft while it is written, active once it is served)',
  },
  'contract-domain': {
    breaks: { [FILE]: SAMPLE.replace('domain: sales', 'domain: finance') },
    keeps: { [FILE]: SAMPLE },
    options: { domain: 'sales' },
    reports: '11:9: domain: the contract is for domain "finance" but lives in the repository of domain "sales" (set domain: sales)',
  },
  'sla-default-element-deprecated': {
    breaks: { [FILE]: SAMPLE.replace('slaProperties:\n', 'slaDefaultElement: orders\nslaProperties:\n') },
    keeps: { [FILE]: SAMPLE },
    reports: '60:20: warning: slaDefaultElement: slaDefaultElement is deprecated since ODCS v3.1.0 (give each slaProperties entry its element)',
  },
  'unique-object-names': {
    breaks: { [FILE]: SAMPLE.replace('schema:\n', 'schema:\n  - name: orders\n    properties: [{ name: id, logicalType: string }]\n') },
    keeps: { [FILE]: SAMPLE.replace('schema:\n', 'schema:\n  - name: order_lines\n    properties: [{ name: id, logicalType: string }]\n') },
    reports: '19:11: schema[1].name: object "orders" is declared twice (first at schema[0]) (rename or remove one)',
  },
  'unique-column-names': {
    breaks: { [FILE]: SAMPLE.replace('- name: currency', '- name: order_total') },
    keeps: { [FILE]: SAMPLE.replace('- name: currency', '- name: currency_code') },
    reports: '46:15: schema[0].properties[3].name: column "order_total" is declared twice (first at schema[0].properties[2]) (rename or remove one)',
  },
  'quality-enforced': {
    breaks: { [FILE]: SAMPLE.replace('      - metric: rowCount\n        mustBeGreaterThan: 0', '      - type: sql\n        query: SELECT COUNT(*) FROM orders WHERE order_total < 0\n        mustBe: 0') },
    keeps: { [FILE]: SAMPLE },
    reports: '57:9: warning: schema[0].quality[0]: this quality rule is documented but not enforced: a sql rule is not a metric Glue Data Quality evaluates (enforce it in the pipeline, or keep it as documentation)',
  },
  'primary-key-positions': {
    breaks: { [FILE]: SAMPLE.replace('        physicalType: string\n        description: ISO', '        physicalType: string\n        primaryKey: true\n        description: ISO') },
    keeps: { [FILE]: SAMPLE.replace('        physicalType: string\n        description: ISO', '        physicalType: string\n        primaryKey: true\n        primaryKeyPosition: 2\n        description: ISO') },
    reports: '46:9: schema[0].properties[3]: a composite primary key needs primaryKeyPosition on each of its columns (number them 1 to 2)',
  },
  'column-name-required': {
    breaks: { [FILE]: SAMPLE.replace('      - name: currency\n        logicalType', '      - logicalType') },
    keeps: { [FILE]: SAMPLE },
    reports: '46:9: schema[0].properties[3]: a column needs a name: it names the Glue column (add name: <column>)',
  },
  'primary-key-required': {
    breaks: { [FILE]: SAMPLE.replace('        required: true\n        primaryKey: true', '        required: false\n        primaryKey: true') },
    keeps: { [FILE]: SAMPLE.replace('        required: true\n        primaryKey: true', '        primaryKey: true') },
    reports: '25:19: schema[0].properties[0].required: primary key column "order_id" cannot be optional (remove required: false)',
  },
  'known-classification': {
    breaks: { [FILE]: SAMPLE.replace('classification: restricted', 'classification: secret') },
    keeps: { [FILE]: SAMPLE.replace('classification: restricted', 'classification: confidential') },
    reports: '37:25: schema[0].properties[1].classification: "secret" is not a known classification: public, internal, confidential, restricted',
  },
  'column-glue-type': {
    breaks: { [FILE]: SAMPLE.replace('physicalType: decimal(12,2)', 'physicalType: money') },
    keeps: { [FILE]: SAMPLE.replace('physicalType: decimal(12,2)', 'physicalType: double') },
    reports: '43:23: schema[0].properties[2].physicalType: "money" is not a Glue type: string, boolean, tinyint, smallint, int, bigint, float, double, date, timestamp, binary, char(n), varchar(n), decimal(p,s), array<...>, map<...>, struct<...> (e.g. double for logicalType number)',
  },
  'sla-elements-exist': {
    breaks: { [FILE]: SAMPLE.replace('element: orders.ordered_at', 'element: orders.placed_at') },
    keeps: { [FILE]: SAMPLE.replace('element: orders.ordered_at', 'element: orders') },
    reports: '64:14: slaProperties[0].element: "orders.placed_at" is not an object or object.column of the schema (did you mean "orders.ordered_at"?)',
  },
  'known-sdlf-extension': {
    breaks: { [FILE]: SAMPLE.replace('property: sdlfRetentionDays', 'property: sdlfRetention') },
    keeps: { [FILE]: SAMPLE.replace('property: sdlfRetentionDays', 'property: retentionDays') },
    reports: '78:15: customProperties[2].property: unknown SDLF extension "sdlfRetention"; known: sdlfPipeline, sdlfConsumers, sdlfRetentionDays, sdlfInputs (did you mean "sdlfRetentionDays"?)',
  },
  'unique-stage-names': {
    breaks: { [FILE]: SAMPLE.replace('          type: lambda', '          type: lambda\n        - name: light-transform\n          type: glue') },
    keeps: { [FILE]: SAMPLE.replace('          type: lambda', '          type: lambda\n        - name: heavy-transform\n          type: glue') },
    reports: '76:17: customProperties[0].value.stages[1].name: stage "light-transform" is declared twice (first at customProperties[0].value.stages[0]) (rename or remove one)',
  },
  'lambda-stage-trigger': {
    breaks: { [FILE]: SAMPLE.replace('          type: lambda', '          type: lambda\n          trigger: schedule') },
    keeps: { [FILE]: SAMPLE.replace('          type: lambda', '          type: lambda\n          trigger: event') },
    reports: '76:20: customProperties[0].value.stages[0].trigger: a Lambda stage runs for each event; trigger "schedule" is for Glue stages (remove trigger, or make it a glue stage)',
  },
  'lambda-stage-tables': {
    breaks: { [FILE]: SAMPLE.replace('        physicalType: timestamp\n', '        physicalType: timestamp\n        partitioned: true\n') },
    keeps: {
      [FILE]: SAMPLE.replace('        physicalType: timestamp\n', '        physicalType: timestamp\n        partitioned: true\n').replace('          type: lambda', '          type: lambda\n        - name: heavy-transform\n          type: glue'),
    },
    reports: '54:22: schema[0].properties[4].partitioned: column "ordered_at" is a partition key, and the pipeline\'s last stage, a Lambda stage, adds no partitions to the catalog (end the pipeline with a glue stage, or remove partitioned)',
  },
  'stage-schedule': {
    breaks: { [FILE]: SAMPLE.replace('          type: lambda', '          type: glue\n          trigger: event\n          schedule: rate(1 hour)') },
    keeps: { [FILE]: SAMPLE.replace('          type: lambda', '          type: glue\n          trigger: batch\n          schedule: rate(1 hour)') },
    reports: '77:21: customProperties[0].value.stages[0].schedule: a schedule starts only a Glue stage whose trigger is schedule or batch (remove schedule, or set trigger: batch)',
  },
  'consumer-not-owner': {
    breaks: { [FILE]: withConsumers('- domain: sales', '  access: select') },
    keeps: { [FILE]: withConsumers('- domain: marketing', '  access: select') },
    reports: '78:17: customProperties[1].value[0].domain: domain "sales" owns the data product; a grant is for another domain',
  },
  'consumer-one-principal': {
    breaks: { [FILE]: withConsumers('- domain: marketing', '  account: "999999999999"', '  access: select') },
    keeps: { [FILE]: withConsumers('- account: "999999999999"', '  access: select') },
    reports: '78:9: customProperties[1].value[0]: a consumer is one domain, account or role; this one gives domain and account (split it into one consumer each)',
  },
  'consumer-allowed': {
    breaks: { [FILE]: withConsumers('- role: arn:aws:iam::999999999999:role/outsider', '  access: select') },
    keeps: { [FILE]: withConsumers(`- role: ${MARKETING}`, '  access: select') },
    options: { consumers: { allowed: { roles: [MARKETING] } } },
    reports: `78:15: customProperties[1].value[0].role: role "arn:aws:iam::999999999999:role/outsider" is not a consumer the platform's governance policy allows (allowedConsumers.roles: ${MARKETING}) (ask the platform team to add it to allowedConsumers.roles in the governance policy, or remove this consumer)`,
  },
  'consumer-columns-exist': {
    breaks: { [FILE]: withConsumers('- domain: marketing', '  access: select', '  columns: [orders.customer_mail]') },
    keeps: { [FILE]: withConsumers('- domain: marketing', '  access: select', '  columns: [orders, orders.customer_email]') },
    reports: '80:19: customProperties[1].value[0].columns[0]: "orders.customer_mail" is not an object or object.column of the schema (did you mean "orders.customer_email"?)',
  },
  'input-not-self': {
    breaks: { [REVENUE]: withInputs('- finance/revenue') },
    keeps: { [REVENUE]: withInputs('- sales/orders') },
    options: INDEX,
    reports: '82:9: customProperties[3].value[0]: "finance/revenue" is this contract\'s own data product; a data product does not read itself (remove it from sdlfInputs)',
  },
  'unique-inputs': {
    breaks: { [REVENUE]: withInputs('- sales/orders', '- product: sales/orders', '  tables: [{ name: orders }]') },
    keeps: { [REVENUE]: withInputs('- product: sales/orders', '  tables: [{ name: orders }]') },
    options: INDEX,
    reports: '83:18: customProperties[3].value[1].product: "sales/orders" is an input twice (first at customProperties[3].value[0]) (list it once, with every table it reads)',
  },
  'inputs-checked': {
    breaks: { [REVENUE]: withInputs('- sales/orders') },
    keeps: { [REVENUE]: activeContract('finance', 'controller@example.com', 'revenue') },
    reports: '82:7: note: customProperties[3].value: the input was not checked against the mesh: there is no mesh index (set meshIndex in .projenrc.ts to the catalog\'s catalog.json (a path or an https URL) and run npx projen, or give --mesh-index)',
  },
  'input-known': {
    breaks: { [REVENUE]: withInputs('- sales/order') },
    keeps: { [REVENUE]: withInputs('- sales/orders') },
    options: INDEX,
    reports: '82:9: customProperties[3].value[0]: "sales/order" is not a data product of the mesh index (domain "sales" has customers, forecasts, ledger, orders) (did you mean "sales/orders"?)',
  },
  'input-retired': {
    breaks: { [REVENUE]: withInputs('- sales/ledger') },
    keeps: { [REVENUE]: withInputs('- sales/orders') },
    options: INDEX,
    reports: '82:9: customProperties[3].value[0]: "sales/ledger" is retired: consumer grants are revoked and the pipeline is removed; the data is kept for its retention (move to the data product that replaces it (ask domain sales) and remove this input)',
  },
  'input-active': {
    breaks: { [REVENUE]: withInputs('- sales/customers') },
    keeps: { [REVENUE]: withInputs('- sales/orders') },
    options: INDEX,
    reports: '82:9: warning: customProperties[3].value[0]: "sales/customers" is deprecated: still served, but consumers should move off it before it is retired (move to the data product that replaces it (ask domain sales))',
  },
  'input-granted': {
    breaks: { [REVENUE]: withInputs('- product: sales/orders', '  tables: [{ name: orders, columns: [order_id, customer_email, order_total] }]') },
    keeps: { [REVENUE]: withInputs('- product: sales/orders', '  tables: [{ name: orders, columns: [order_id, order_total] }]') },
    options: INDEX,
    reports: '82:18: customProperties[3].value[0].product: "sales/orders" grants domain "finance" less than it reads: not column orders.customer_email (ask domain sales for it: sdlf-mesh access request sales/orders --for finance)',
  },
  'input-data-registered': {
    breaks: { [REVENUE]: withInputs('- sales/orders') },
    keeps: { [REVENUE]: withInputs('- sales/orders') },
    options: INDEX,
    breakingOptions: { domain: 'finance', meshIndex: unregistered('orders') },
    reports: '82:9: warning: customProperties[3].value[0]: "sales/orders" is granted, but its data location is not registered with Lake Formation in prod: queries read its tables\' definitions and no rows (ask the platform team to add dataBucket to environment prod of domains/sales.yaml)',
  },
  'input-trigger-declared': {
    breaks: { [REVENUE]: triggeredBy('sales/order', '- sales/orders') },
    keeps: { [REVENUE]: triggeredBy('sales/orders', '- sales/orders') },
    options: INDEX,
    reports: '74:18: customProperties[0].value.trigger.inputs[0]: "sales/order" triggers the pipeline but is not an input of the contract (sdlfInputs: sales/orders) (did you mean "sales/orders"?)',
  },
  'input-trigger-stage': {
    breaks: { [REVENUE]: triggeredBy('sales/orders', '- sales/orders').replace('          type: glue', '          type: lambda') },
    keeps: { [REVENUE]: triggeredBy('sales/orders', '- sales/orders') },
    options: INDEX,
    reports: '74:17: customProperties[0].value.trigger.inputs: an input\'s publication starts the first stage, "light-transform", with no object, and a Lambda stage transforms one object it is given (begin the pipeline with a glue stage, or remove trigger)',
  },
  'unique-data-product': {
    breaks: { 'dataproducts/orders.odcs.yaml': SAMPLE.replace('id: sales-orders', 'id: sales-orders-v2'), [FILE]: SAMPLE },
    keeps: { [FILE]: SAMPLE, 'dataproducts/returns.yaml': sampleContract('returns') },
    reports: '8:7: name: data product "orders" is also the data product of dataproducts/orders.odcs.yaml (give each data product one contract file)',
  },
  'unique-contract-id': {
    breaks: { [FILE]: SAMPLE, 'dataproducts/returns.yaml': sampleContract('returns').replace('id: sales-returns', 'id: sales-orders') },
    keeps: { [FILE]: SAMPLE, 'dataproducts/returns.yaml': sampleContract('returns') },
    reports: '7:5: id: id "sales-orders" is also the id of dataproducts/orders.yaml (give each contract its own id)',
  },
};

/** What linting the files together reports, each as `contract lint` prints it, with its rule. */
function lint(files: Record<string, string>, options?: ContractRuleOptions) {
  const reports = lintContractSet(Object.entries(files).map(([file, text]) => ContractDocument.parse(file, text)), options);
  const found = reports.flatMap((report) => [...report.problems, ...report.warnings, ...report.notes]);
  return found.map((problem) => ({ rule: problem.rule, text: formatProblem(problem).slice(problem.file.length + 1) }));
}

test('every registered rule has a case here, and only those', () => {
  expect(Object.keys(CASES)).toEqual(SDLF_RULES.map((rule) => rule.id));
});

describe.each(SDLF_RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
  const { breaks, keeps, reports, options, breakingOptions } = CASES[id];

  test(`a contract that breaks it: one ${rule.severity}, and nothing else`, () => {
    expect(lint(breaks, breakingOptions ?? options)).toEqual([{ rule: id, text: reports }]);
    expect(/^\d+:\d+: (warning|note): /.exec(reports)?.[1] ?? 'error').toBe(rule.severity);
  });

  test('a contract that keeps it: nothing', () => {
    expect(lint(keeps, options)).toEqual([]);
  });
});

test('lambda-stage-tables: a nested column of a table a Lambda stage writes is reported at its type', () => {
  const nested = SAMPLE.replace('      - name: currency\n        logicalType: string\n        physicalType: string', '      - name: currency\n        logicalType: array\n        physicalType: array<string>');
  expect(lint({ [FILE]: nested }).map((problem) => problem.text)).toEqual([
    '48:23: schema[0].properties[3].physicalType: column "currency" is array<string>, and the pipeline\'s last stage, a Lambda stage, writes flat values only (end the pipeline with a glue stage, or make it a string of JSON)',
  ]);
});

describe('the README\'s table of rules', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const table = /<!-- sdlf-rules:start -->\n([\s\S]*?)<!-- sdlf-rules:end -->/.exec(readme)?.[1];

  test('lists every registered rule, in order, with its severity and description', () => {
    const rows = SDLF_RULES.map((rule) => `| \`${rule.id}\` | ${rule.severity}${rule.scope === 'repository' ? ' (repository)' : ''} | ${rule.description} |`);
    expect(table).toBe(['| rule | severity | what it asks |', '| --- | --- | --- |', ...rows, ''].join('\n'));
  });

  test('each rule has an id of its own, in kebab-case, and a one-line description', () => {
    expect(new Set(SDLF_RULES.map((rule) => rule.id)).size).toBe(SDLF_RULES.length);
    for (const rule of SDLF_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.description).toMatch(/^[^|\n]+$/);
    }
  });
});
