/**
 * Conformance with the Open Data Contract Standard, against the official JSON Schema and example
 * contracts of ODCS 3.1.0 (kept outside the project, with their license). The project's own
 * schema is written from the specification: every official example the official schema accepts
 * must pass it, every contract the templates generate must pass the official schema, and every
 * rejection of an official example must come from a documented SDLF rule.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { ContractDocument } from '../../src/contract/contract-document';
import { schemaProblems } from '../../src/contract/contract-schemas';
import { lintContract } from '../../src/contract/lint-contract';
import { contractOfKind } from '../support/domain-repository';
import { sampleContract } from '../support/sample-contract';

const CONFORMANCE = path.resolve(__dirname, '..', '..', '..', 'shared', 'conformance', 'odcs');
const present = fs.existsSync(path.join(CONFORMANCE, 'schema', 'odcs-json-schema-v3.1.0.json'));

/**
 * The SDLF rules (README, "Contracts: the SDLF rules") that may reject a contract the standard
 * accepts, by the message they give.
 */
const SDLF_RULES: Record<string, RegExp> = {
  'the data product is named by name': /^the field "name" is missing|cannot name a data product/,
  'the file is named after the data product': /^the data product ".*" is in the file /,
  'a semantic version': /is not a semantic version/,
  'the statuses of the lifecycle': /is not a status of the lifecycle/,
  'classifications governance knows': /is not a known classification/,
  'primary keys': /^primary key column .* cannot be optional|composite primary key|primary key positions/,
  'SLA elements exist': /is not an object or object\.column of the schema/,
  'Glue column types': /is not a Glue type|contradicts physicalType/,
  'columns have names': /^a column needs a name/,
  'names unique': /is declared twice/,
};

if (!present) {
  test.skip(`SKIPPED: no official ODCS schema and examples at ${path.relative(process.cwd(), CONFORMANCE)}, so conformance was not checked`, () => {});
} else {
  const examplesDir = path.join(CONFORMANCE, 'examples');
  const examples = fs.readdirSync(examplesDir).flatMap((group) =>
    fs.readdirSync(path.join(examplesDir, group)).filter((name) => name.endsWith('.yaml')).map((name) => `${group}/${name}`),
  );
  const official = addFormats(new Ajv2019({ allErrors: true, strict: false })).compile(
    JSON.parse(fs.readFileSync(path.join(CONFORMANCE, 'schema', 'odcs-json-schema-v3.1.0.json'), 'utf8')),
  );
  const officiallyValid = (data: unknown) => official(data) === true;

  test('the official examples are all there', () => {
    expect(examples).toHaveLength(18);
  });

  test.each(examples)('%s: accepted by our schema when the official schema accepts it', (example) => {
    const document = ContractDocument.read(path.join(examplesDir, example));
    expect(document.problems).toEqual([]);
    if (officiallyValid(document.data)) {
      expect(schemaProblems(document)).toEqual([]);
    } else {
      // Not valid ODCS: nothing to hold our schema to (said, so a change upstream is noticed).
      expect(official.errors?.length).toBeGreaterThan(0);
    }
  });

  test.each(examples)('%s: rejected, if at all, only by documented SDLF rules', (example) => {
    const document = ContractDocument.read(path.join(examplesDir, example));
    if (!officiallyValid(document.data)) {
      return;
    }
    const report = lintContract(path.join(examplesDir, example));
    const unexplained = report.problems.filter((problem) => !Object.values(SDLF_RULES).some((rule) => rule.test(problem.message)));
    expect(unexplained.map((problem) => `${problem.line}: ${problem.message}`)).toEqual([]);
  });

  test('official examples in a file named after their data product pass every SDLF rule as they are', () => {
    // The standard's examples are named for what they show; a domain repository names the file after the data product.
    const accepted = examples.filter((example) => {
      const data = ContractDocument.read(path.join(examplesDir, example)).data as { name?: string };
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'odcs-')), `${data.name}.odcs.yaml`);
      fs.copyFileSync(path.join(examplesDir, example), copy);
      return lintContract(copy).problems.length === 0;
    });
    expect(accepted).toEqual(expect.arrayContaining(['fundamentals/table-column-description.odcs.yaml', 'schema/table-column.odcs.yaml', 'sla/database-table-sla.odcs.yaml']));
  });

  test('every contract the templates generate is valid against the official schema', () => {
    const generated = [sampleContract(), sampleContract('customer_events'), contractOfKind('grant', 'customers'), contractOfKind('lambda-glue', 'shipments')];
    for (const text of generated) {
      const document = ContractDocument.parse('generated.yaml', text);
      expect(document.problems).toEqual([]);
      expect({ valid: officiallyValid(document.data), errors: official.errors ?? null }).toEqual({ valid: true, errors: null });
    }
  });

  test('a deprecated field of the standard still validates, with a warning that says what replaces it', () => {
    const text = sampleContract().replace('name: orders\n', 'dataProduct: orders\n');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'odcs-')), 'orders.yaml');
    fs.writeFileSync(file, text);
    expect(officiallyValid(ContractDocument.read(file).data)).toBe(true);
    const report = lintContract(file, { domain: 'sales' });
    expect(report.problems).toEqual([]);
    expect(report.contract?.dataProduct).toBe('orders');
    expect(report.warnings.map((warning) => warning.message)).toEqual(['dataProduct is deprecated since ODCS v3.1.0: the contract\'s name names the data product']);
  });
}
