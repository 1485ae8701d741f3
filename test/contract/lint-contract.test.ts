import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem, lintContract } from '../../src/contract';
import { MAX_CONTRACT_BYTES } from '../../src/contract/contract-document';
import { contractFiles, lintContracts } from '../../src/contract/lint-contract';
import { sampleContract } from '../support/sample-contract';

/** The sample contract a new domain repository starts with: valid by construction. */
const SAMPLE = sampleContract();

function write(text: string, name = 'orders.yaml'): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'contract-')), name);
  fs.writeFileSync(file, text);
  return file;
}

/** The problems of a contract, formatted as the CLI prints them, without the file name. */
function problems(text: string, options = {}): string[] {
  const file = write(text);
  return lintContract(file, options).problems.map((problem) => formatProblem(problem).slice(file.length + 1));
}

test('the sample contract is valid ODCS v3.1 and passes every rule', () => {
  expect(problems(SAMPLE, { domain: 'sales' })).toEqual([]);
});

describe('YAML errors are located, never thrown', () => {
  test('a syntax error', () => {
    expect(problems('apiVersion: v3.1.0\nkind: [DataContract\n')).toEqual([expect.stringMatching(/^\d+:\d+: not valid YAML: /)]);
  });

  test('a duplicate key', () => {
    expect(problems(SAMPLE.replace('version: 1.0.0\n', 'version: 1.0.0\nversion: 1.0.1\n'))).toEqual([
      expect.stringMatching(/^10:1: not valid YAML: Map keys must be unique.* \(each field may appear once in a mapping\)$/),
    ]);
  });

  test('a tab used for indentation', () => {
    const found = problems(SAMPLE.replace('  purpose:', '\tpurpose:'));
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/^13:\d+: not valid YAML: .*\(indent with spaces, not tabs\)$/);
  });

  test('a document that is not a mapping', () => {
    expect(problems('- just\n- a list\n')).toEqual(['1:1: a contract is a YAML mapping of fields (apiVersion, kind, id, version, status, ...) (start from dataproducts/orders.yaml of a new domain repository)']);
  });

  test('a 10 MB file is refused without being parsed', () => {
    const file = write(`description: "${'x'.repeat(10 * 1024 * 1024)}"\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(MAX_CONTRACT_BYTES);
    expect(lintContract(file).problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^the file is 10\.0 MiB; the limit is 1 MiB$/),
    ]);
  });

  test('an alias bomb is refused before it expands; a few shared anchors are fine', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...'bcdefgh'.split('').map((level, index) => `${level}: &${level} [${Array(9).fill(`*${'abcdefgh'[index]}`).join(', ')}]`)];
    expect(problems(`${levels.join('\n')}\n`)).toEqual([
      '1:1: not valid YAML: its aliases expand to too much data (more than 100 alias nodes), as an alias bomb does (write the repeated parts out instead of using anchors and aliases)',
    ]);
    const shared = SAMPLE.replace('tags: [\'pii\']', 'tags: &sensitive [\'pii\']').replace(/(- name: order_total\n(?:.*\n)*?)(        logicalType)/, '$1        tags: *sensitive\n$2');
    expect(shared).toContain('tags: *sensitive');
    expect(problems(shared)).toEqual([]);
  });

  test('bytes that are not UTF-8 are refused, naming the line and the byte', () => {
    const text = SAMPLE.replace(/  purpose: .*\n/, '  purpose: Orders of our cafés.\n');
    const file = write('');
    fs.writeFileSync(file, Buffer.from(text, 'latin1'));
    const line = text.slice(0, text.indexOf('é')).split('\n').length;
    expect(lintContract(file).problems.map(formatProblem)).toEqual([
      `${file}:${line}:1: the file is not UTF-8 text: byte ${Buffer.from(text, 'latin1').indexOf(0xe9) + 1} is not valid UTF-8 (save the contract as UTF-8)`,
    ]);
    // A valid two-byte character before a stray byte does not move the blame.
    fs.writeFileSync(file, Buffer.concat([Buffer.from('description: é'), Buffer.from([0xff]), Buffer.from('\n')]));
    expect(lintContract(file).problems[0].message).toBe(`the file is not UTF-8 text: byte ${Buffer.byteLength('description: é') + 1} is not valid UTF-8`);
  });

  test('nesting deep enough to overflow the parser is a problem, not a crash', () => {
    const found = problems(`a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((problem) => /^1:\d+: not valid YAML: /.test(problem))).toBe(true);
  });

  test('a symbolic link and a device are not read', () => {
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'contract-')), 'zero.yaml');
    fs.symlinkSync('/dev/zero', link);
    expect(lintContract(link).problems.map((problem) => problem.message)).toEqual(['the file is a symbolic link, which is not followed: commit the file itself']);
    const device = lintContract('/dev/zero');
    expect(device.problems.map((problem) => problem.message)).toEqual(['the file is a device, not a regular file, so it is not read']);
  });
});

describe('schema errors name the line, the field and the fix, all at once', () => {
  test('an unknown logical type suggests the closest valid one', () => {
    expect(problems(SAMPLE.replace('logicalType: timestamp', 'logicalType: timestmp'))).toEqual([
      '52:22: schema[0].properties[4].logicalType: "timestmp" is not one of: string, date, timestamp, time, number, integer, object, array, boolean (did you mean "timestamp"?)',
    ]);
  });

  test('every error of the file is reported, in file order', () => {
    const broken = SAMPLE.replace('kind: DataContract', 'kind: Contract').replace('logicalType: number', 'logicalType: decimal').replace('required: true\n        description: Total', 'required: yes please\n        description: Total');
    expect(problems(broken)).toEqual([
      expect.stringMatching(/^6:7: kind: "Contract" is not one of: DataContract \(did you mean "DataContract"\?\)$/),
      expect.stringMatching(/^\d+:\d+: schema\[0\]\.properties\[2\]\.logicalType: "decimal" is not one of: /),
      expect.stringMatching(/^\d+:\d+: schema\[0\]\.properties\[2\]\.required: expected boolean, found string "yes please"$/),
    ]);
  });

  test('an unknown top-level field points at customProperties', () => {
    expect(problems(SAMPLE.replace('status: active\n', 'status: active\nretention: 365\n'))).toEqual([
      '11:1: retention: unknown field "retention" (ODCS allows no other top-level fields: put SDLF extensions and your own fields in customProperties)',
    ]);
  });

  test('a misspelt field suggests the right one', () => {
    expect(problems(SAMPLE.replace('        primaryKey: true', '        primaryKy: true'))).toEqual([
      expect.stringMatching(/schema\[0\]\.properties\[0\]\.primaryKy: unknown field "primaryKy" \(did you mean "primaryKey"\?\)$/),
    ]);
  });

  test('a missing required field', () => {
    expect(problems(SAMPLE.replace('id: sales-orders\n', ''))).toEqual(['5:1: id: the required field "id" is missing']);
  });

  test('a quality rule without an operator names the operators', () => {
    expect(problems(SAMPLE.replace('        mustBeGreaterThan: 0\n', ''))).toEqual([
      expect.stringMatching(/^\d+:\d+: schema\[0\]\.quality\[0\]: needs one of the fields: mustBe, mustNotBe, mustBeGreaterThan, /),
    ]);
  });

  test('SDLF extensions are checked against their schema', () => {
    const broken = SAMPLE.replace('          type: lambda', '          type: lamda').replace('value: 365', 'value: forever');
    expect(problems(broken)).toEqual([
      expect.stringMatching(/customProperties\[0\]\.value\.stages\[0\]\.type: "lamda" is not one of: lambda, glue \(did you mean "lambda"\?\)$/),
      expect.stringMatching(/customProperties\[2\]\.value: expected integer, found string "forever"$/),
    ]);
  });

  test('an unknown SDLF extension suggests the known one', () => {
    expect(problems(SAMPLE.replace('property: sdlfConsumers', 'property: sdlfConsumer'))).toEqual([
      expect.stringMatching(/customProperties\[1\]\.property: unknown SDLF extension "sdlfConsumer"; known: .* \(did you mean "sdlfConsumers"\?\)$/),
    ]);
  });

  test('a consumer must say who it is', () => {
    expect(problems(SAMPLE.replace('    value: []', '    value:\n      - access: select'))).toEqual([
      expect.stringMatching(/customProperties\[1\]\.value\[0\]: needs one of the fields: domain, account, role$/),
    ]);
  });
});

describe('semantic rules', () => {
  test('column names are unique in an object', () => {
    expect(problems(SAMPLE.replace('- name: currency', '- name: order_total'))).toEqual([
      expect.stringMatching(/schema\[0\]\.properties\[3\]\.name: column "order_total" is declared twice \(first at schema\[0\]\.properties\[2\]\) \(rename or remove one\)$/),
    ]);
  });

  test('a primary key column cannot be optional', () => {
    expect(problems(SAMPLE.replace('        required: true\n        primaryKey: true', '        required: false\n        primaryKey: true'))).toEqual([
      expect.stringMatching(/schema\[0\]\.properties\[0\]\.required: primary key column "order_id" cannot be optional/),
    ]);
  });

  test('a composite primary key numbers its columns', () => {
    expect(problems(SAMPLE.replace('        physicalType: string\n        description: ISO', '        physicalType: string\n        primaryKey: true\n        description: ISO'))).toEqual([
      expect.stringMatching(/schema\[0\]\.properties\[3\]: a composite primary key needs primaryKeyPosition on each of its columns/),
    ]);
  });

  test('classifications are the ones governance knows', () => {
    expect(problems(SAMPLE.replace('classification: restricted', 'classification: restriced'))).toEqual([
      expect.stringMatching(/classification: "restriced" is not a known classification: public, internal, confidential, restricted \(did you mean "restricted"\?\)$/),
    ]);
  });

  test('an SLA element names a column that exists', () => {
    expect(problems(SAMPLE.replace('element: orders.ordered_at', 'element: orders.orderd_at'))).toEqual([
      expect.stringMatching(/slaProperties\[0\]\.element: "orders\.orderd_at" is not an object or object\.column of the schema \(did you mean "orders\.ordered_at"\?\)$/),
    ]);
  });

  test('the version is semantic and the status known', () => {
    expect(problems(SAMPLE.replace('version: 1.0.0', 'version: v1').replace('status: active', 'status: activ'))).toEqual([
      expect.stringMatching(/version: "v1" is not a semantic version/),
      expect.stringMatching(/status: "activ" is not a status of the lifecycle: .* \(did you mean "active"\?\)$/),
    ]);
  });

  test('the contract belongs to the repository domain', () => {
    expect(problems(SAMPLE, { domain: 'finance' })).toEqual([
      expect.stringMatching(/domain: the contract is for domain "sales" but lives in the repository of domain "finance" \(set domain: finance\)$/),
    ]);
  });

  test('a domain does not grant to itself', () => {
    expect(problems(SAMPLE.replace('    value: []', '    value:\n      - domain: sales\n        access: select'))).toEqual([
      expect.stringMatching(/customProperties\[1\]\.value\[0\]\.domain: domain "sales" owns the data product/),
    ]);
  });

  test('stage names are unique in a pipeline', () => {
    expect(problems(SAMPLE.replace('          type: lambda', '          type: lambda\n        - name: light-transform\n          type: glue'))).toEqual([
      expect.stringMatching(/customProperties\[0\]\.value\.stages\[1\]\.name: stage "light-transform" is declared twice/),
    ]);
  });

  test('a trigger and a schedule fit their stage', () => {
    const stages = '          type: lambda\n          trigger: batch\n        - name: heavy-transform\n          type: glue\n          trigger: event\n          schedule: rate(1 hour)';
    expect(problems(SAMPLE.replace('          type: lambda', stages))).toEqual([
      expect.stringMatching(/stages\[0\]\.trigger: a Lambda stage runs for each event; trigger "batch" is for Glue stages/),
      expect.stringMatching(/stages\[1\]\.schedule: a schedule starts only a Glue stage whose trigger is schedule or batch \(remove schedule, or set trigger: batch\)$/),
    ]);
  });
});

describe('consumers', () => {
  const consumers = (...lines: string[]) => SAMPLE.replace('    value: []', `    value:\n${lines.map((line) => `      ${line}`).join('\n')}`);
  const role = 'arn:aws:iam::222222222222:role/marketing-analysts';

  test('hostile: one entry cannot name an allowed domain and another principal', () => {
    expect(problems(consumers('- domain: marketing', '  account: "999999999999"', '  access: select'), { consumers: { principals: { marketing: role } } })).toEqual([
      expect.stringMatching(/^\d+:9: customProperties\[1\]\.value\[0\]: a consumer is one domain, account or role; this one gives domain and account \(split it into one consumer each\)$/),
    ]);
  });

  test('a principal the platform does not allow is an error naming the field and the fix', () => {
    const found = problems(consumers('- role: arn:aws:iam::999999999999:role/outsider', '  access: select'), { domain: 'sales', consumers: { allowed: { roles: [role] } } });
    expect(found).toEqual([
      expect.stringMatching(
        /^\d+:\d+: customProperties\[1\]\.value\[0\]\.role: role "arn:aws:iam::999999999999:role\/outsider" is not a consumer the platform's governance policy allows \(allowedConsumers\.roles: arn:aws:iam::222222222222:role\/marketing-analysts\) \(ask the platform team to add it to allowedConsumers\.roles in the governance policy, or remove this consumer\)$/,
      ),
    ]);
  });

  test('a consumer domain without a principal is an error with the fix', () => {
    expect(problems(consumers('- domain: marketing', '  access: select'), { consumers: {} })).toEqual([
      expect.stringMatching(/customProperties\[1\]\.value\[0\]\.domain: consumer domain "marketing" has no Lake Formation principal.* \(name it in consumerPrincipals of \.projenrc\.ts, e\.g\. consumerPrincipals: \{ 'marketing': /),
    ]);
  });

  test('columns must name objects or object.columns of the schema', () => {
    expect(problems(consumers('- domain: marketing', '  access: select', '  columns: [orders.customer_mail]'))).toEqual([
      expect.stringMatching(/customProperties\[1\]\.value\[0\]\.columns\[0\]: "orders\.customer_mail" is not an object or object\.column of the schema \(did you mean "orders\.customer_email"\?\)$/),
    ]);
  });

  test('a valid contract says what each consumer will see', () => {
    const file = write(consumers('- domain: marketing', '  access: select', '- domain: finance', '  access: select', '  columns: [orders.order_id, orders.customer_email]'));
    const report = lintContract(file, { domain: 'sales', consumers: { principals: { marketing: role, finance: '333333333333' } } });
    expect(report.problems).toEqual([]);
    expect(report.grants).toEqual([
      'domain marketing (select) sees orders: order_id, order_total, currency, ordered_at; withheld: customer_email',
      'domain finance (select) sees orders: order_id, customer_email',
    ]);
  });
});

describe('no silent surprises', () => {
  /** A repository's contract folder with the given files. */
  function folder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }
  const messages = (dir: string) =>
    lintContracts(contractFiles([dir])).flatMap((report) => report.problems.map((problem) => `${path.basename(problem.file)}:${problem.line}: ${problem.message}`));

  test('two files of one data product, or with one id, are an error on the second', () => {
    const copy = sampleContract('returns').replace('name: returns', 'name: orders').replace('id: sales-returns', 'id: sales-orders');
    const dir = folder({ 'orders.yaml': sampleContract(), 'orders.odcs.yaml': copy });
    expect(messages(dir)).toEqual([
      expect.stringMatching(/^orders\.yaml:\d+: data product "orders" is also the data product of .*orders\.odcs\.yaml$/),
      expect.stringMatching(/^orders\.yaml:\d+: id "sales-orders" is also the id of .*orders\.odcs\.yaml$/),
    ]);
    // The data product, not the file, is what collides: distinct products pass.
    expect(messages(folder({ 'orders.yaml': sampleContract(), 'returns.yaml': sampleContract('returns') }))).toEqual([]);
  });

  test('a file named otherwise than its data product is an error with both fixes', () => {
    expect(messages(folder({ 'sales-orders.yaml': sampleContract() }))).toEqual([
      expect.stringMatching(/^sales-orders\.yaml:\d+: the data product "orders" is in the file sales-orders\.yaml/),
    ]);
    const [problem] = lintContract(path.join(folder({ 'sales-orders.yaml': sampleContract() }), 'sales-orders.yaml')).problems;
    expect(problem.suggestion).toBe('rename the file to orders.yaml, or set name: sales-orders');
  });

  test('an unknown physical type is an error, with the closest Glue type', () => {
    expect(problems(SAMPLE.replace('physicalType: decimal(12,2)', 'physicalType: money'))).toEqual([
      expect.stringMatching(/^\d+:\d+: schema\[0\]\.properties\[2\]\.physicalType: "money" is not a Glue type: .* \(e\.g\. double for logicalType number\)$/),
    ]);
    expect(problems(SAMPLE.replace('physicalType: timestamp', 'physicalType: timestmap'))).toEqual([
      expect.stringMatching(/physicalType: "timestmap" is not a Glue type: .* \(did you mean "timestamp"\?\)$/),
    ]);
  });

  test('a logical type that contradicts the physical type is an error naming what the physical type holds', () => {
    expect(problems(SAMPLE.replace(/logicalType: number\n(\s+)physicalType: decimal\(12,2\)/, 'logicalType: boolean\n$1physicalType: decimal(12,2)'))).toEqual([
      expect.stringMatching(/logicalType: "boolean" contradicts physicalType decimal\(12,2\), which holds number or integer \(logicalType: number, or physicalType: boolean\)$/),
    ]);
  });

  test('version: 1.0 is a YAML number: the message says to quote it', () => {
    expect(problems(SAMPLE.replace('version: 1.0.0', 'version: 1.0'))).toEqual([
      expect.stringMatching(/^\d+:\d+: version: expected a string, found 1\.0, which YAML reads as the number 1 \(quote it: "1\.0"\)$/),
    ]);
  });

  test('a quality rule Glue Data Quality cannot enforce is a warning that says so; the contract stays valid', () => {
    const text = SAMPLE.replace('      - metric: rowCount\n        mustBeGreaterThan: 0', '      - type: sql\n        query: SELECT COUNT(*) FROM orders WHERE order_total < 0\n        mustBe: 0');
    const report = lintContract(write(text));
    expect(report.problems).toEqual([]);
    expect(report.warnings.map(formatProblem)).toEqual([
      expect.stringMatching(/:\d+:\d+: warning: schema\[0\]\.quality\[0\]: this quality rule is documented but not enforced: a sql rule is not a metric Glue Data Quality evaluates/),
    ]);
  });

  test('the deprecated dataProduct still names a data product without name, with a warning', () => {
    const report = lintContract(write(SAMPLE.replace('name: orders\n', 'dataProduct: orders\n')), { domain: 'sales' });
    expect(report.problems).toEqual([]);
    expect(report.contract?.dataProduct).toBe('orders');
    expect(report.warnings.map((warning) => `${warning.path}: ${warning.message} (${warning.suggestion})`)).toEqual([
      "dataProduct: dataProduct is deprecated since ODCS v3.1.0: the contract's name names the data product (replace it with name: orders)",
    ]);
  });
});
