/**
 * Golden tests: the examples published with the standard are valid ODCS, so the schema finds
 * nothing; where they fall outside what SDLF needs, the rules say so clearly.
 */
import * as fs from 'fs';
import * as path from 'path';
import { lintContract } from '../../src/contract';
import { ContractDocument } from '../../src/contract/contract-document';
import { schemaProblems } from '../../src/contract/contract-schemas';

const FIXTURES = path.join(__dirname, 'fixtures', 'odcs');
const examples = fs.readdirSync(FIXTURES).filter((name) => name.endsWith('.yaml'));

test.each(examples)('%s is valid against the official ODCS schema', (name) => {
  const document = ContractDocument.read(path.join(FIXTURES, name));
  expect(document.problems).toEqual([]);
  expect(schemaProblems(document)).toEqual([]);
});

const messages = (name: string) => lintContract(path.join(FIXTURES, name)).problems.map((problem) => `${problem.line}: ${problem.message}`);

test('examples SDLF takes as they are', () => {
  expect(messages('table-column.odcs.yaml')).toEqual([]);
  expect(messages('all-data-types.odcs.yaml')).toEqual([]);
  expect(messages('table-columns-with-partition.odcs.yaml')).toEqual([]);
});

test('an example without dataProduct is told to name one', () => {
  expect(messages('column-validity.odcs.yaml')).toEqual(['1: the field "dataProduct" is missing: it names the data product and its resources']);
});

test('an example with a free-text status is told the known ones', () => {
  expect(messages('kafka-schema.odcs.yaml')).toEqual([
    '1: the field "dataProduct" is missing: it names the data product and its resources',
    '4: "development" is not a known status: proposed, draft, active, deprecated, retired',
  ]);
});

test('the full example: every SDLF rule it breaks, at its line', () => {
  expect(messages('full-example.odcs.yaml')).toEqual([
    '3: "my quantum" cannot name a data product: use 1 to 40 lowercase letters, digits, - and _, starting with a letter',
    '99: primary key column "rcvr_id" cannot be optional',
    expect.stringMatching(/^273: "tab1\.txn_ref_dt" is not an object or object\.column of the schema$/),
    expect.stringMatching(/^\d+: "tab1\.txn_ref_dt" is not an object or object\.column of the schema$/),
    expect.stringMatching(/^\d+: "tab1\.txn_ref_dt" is not an object or object\.column of the schema$/),
    expect.stringMatching(/^\d+: "tab1\.txn_ref_dt" is not an object or object\.column of the schema$/),
    expect.stringMatching(/^\d+: "tab1\.txn_ref_dt" is not an object or object\.column of the schema$/),
  ]);
});
