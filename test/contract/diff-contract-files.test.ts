import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffContractFiles, renderDiffMarkdown, renderDiffText } from '../../src/contract';
import { exec } from '../../src/util/exec';
import { sampleContract } from '../support/sample-contract';

const SAMPLE = sampleContract();
const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** A git repository whose main holds dataproducts/orders.yaml (the sample) and returns.yaml. */
async function repository(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-diff-'));
  const git = (...args: string[]) => exec('git', args, { cwd: dir, env: GIT_ENV });
  await git('init', '-q', '-b', 'main');
  fs.mkdirSync(path.join(dir, 'dataproducts'));
  fs.writeFileSync(path.join(dir, 'dataproducts', 'orders.yaml'), SAMPLE);
  fs.writeFileSync(path.join(dir, 'dataproducts', 'returns.yaml'), SAMPLE.replace(/orders/g, 'returns'));
  await git('add', '.');
  await git('commit', '-q', '-m', 'v1');
  return dir;
}

test('a pull request that removes a column of a v1 contract fails, naming the column', async () => {
  const dir = await repository();
  const file = path.join(dir, 'dataproducts', 'orders.yaml');
  fs.writeFileSync(file, SAMPLE.replace(/      - name: currency\n(        .*\n)+?(?=      - name: ordered_at)/, '').replace('version: 1.0.0', 'version: 1.1.0'));

  const diffs = await diffContractFiles('main', path.join(dir, 'dataproducts'), { domain: 'sales' });
  const orders = diffs.find((diff) => diff.file.endsWith('orders.yaml'))!;
  expect(orders).toMatchObject({ fromVersion: '1.0.0', toVersion: '1.1.0', ok: false });
  expect(orders.changes).toEqual([{ breaking: true, path: 'orders.currency', message: 'column "currency" removed' }]);
  expect(renderDiffText([orders])).toContain('BREAKING  orders.currency: column "currency" removed');
  expect(renderDiffText([orders])).toContain('Breaking changes need a major version bump: set version to 2.0.0.');
  expect(renderDiffMarkdown([orders])).toContain('| **breaking** | `orders.currency` | column "currency" removed |');
  expect(diffs.find((diff) => diff.file.endsWith('returns.yaml'))).toMatchObject({ ok: true, changes: [] });

  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: 1.1.0', 'version: 2.0.0'));
  expect((await diffContractFiles('main', file)).every((diff) => diff.ok)).toBe(true);
});

test('a contract removed from the folder is a breaking change; a new one is not', async () => {
  const dir = await repository();
  fs.rmSync(path.join(dir, 'dataproducts', 'returns.yaml'));
  fs.writeFileSync(path.join(dir, 'dataproducts', 'refunds.yaml'), SAMPLE.replace(/orders/g, 'refunds'));
  const diffs = await diffContractFiles('main', path.join(dir, 'dataproducts'));
  expect(diffs.map((diff) => [path.basename(diff.file), diff.ok, diff.changes.map((change) => change.message)])).toEqual([
    ['orders.yaml', true, []],
    ['refunds.yaml', true, ['new data product']],
    ['returns.yaml', true, ['data product "returns" removed']],
  ]);
  expect(diffs[2].changes[0].breaking).toBe(true);
});

test('an invalid contract cannot be compared and fails with its problems', async () => {
  const dir = await repository();
  fs.writeFileSync(path.join(dir, 'dataproducts', 'orders.yaml'), SAMPLE.replace('logicalType: timestamp', 'logicalType: timestmp'));
  const [orders] = await diffContractFiles('main', path.join(dir, 'dataproducts', 'orders.yaml'));
  expect(orders.ok).toBe(false);
  expect(orders.problems.map((problem) => problem.message)).toEqual([expect.stringContaining('"timestmp" is not one of')]);
});

test('two files compare directly', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-diff-'));
  fs.mkdirSync(path.join(dir, 'v1'));
  fs.mkdirSync(path.join(dir, 'v2'));
  fs.writeFileSync(path.join(dir, 'v1', 'orders.yaml'), SAMPLE);
  fs.writeFileSync(path.join(dir, 'v2', 'orders.yaml'), SAMPLE.replace('version: 1.0.0', 'version: 1.0.1').replace('Identifier of the order.', 'Order identifier.'));
  const [diff] = await diffContractFiles(path.join(dir, 'v1', 'orders.yaml'), path.join(dir, 'v2', 'orders.yaml'));
  expect(diff).toMatchObject({ ok: true, changes: [{ breaking: false, path: 'orders.order_id', message: 'description of "order_id" changed' }] });
});

test('a base file against a folder is refused, saying what to compare instead', async () => {
  const dir = await repository();
  const base = path.join(dir, 'dataproducts', 'orders.yaml');
  await expect(diffContractFiles(base, path.join(dir, 'dataproducts'))).rejects.toThrow(
    `the base "${base}" is a file, and ${path.join(dir, 'dataproducts')} a folder: compare the file with one contract file, or the folder with a git ref (e.g. origin/main)`,
  );
});

test('the pull-request summary warns about a deprecation, naming the consumers, and marks what needs review', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-diff-'));
  const granted = SAMPLE.replace('    value: []', '    value:\n      - domain: marketing\n        access: select');
  for (const [version, text] of [['v1', granted], ['v2', granted.replace('status: active', 'status: deprecated')], ['v3', granted.replace('status: active', 'status: retired')]]) {
    fs.mkdirSync(path.join(dir, version));
    fs.writeFileSync(path.join(dir, version, 'orders.yaml'), text);
  }
  const deprecated = await diffContractFiles(path.join(dir, 'v1', 'orders.yaml'), path.join(dir, 'v2', 'orders.yaml'));
  expect(renderDiffMarkdown(deprecated)).toContain('> [!WARNING]\n> orders is deprecated: still served, but consumers should move off it before it is retired (consumers: marketing)\n');
  const retired = await diffContractFiles(path.join(dir, 'v2', 'orders.yaml'), path.join(dir, 'v3', 'orders.yaml'));
  expect(retired[0].ok).toBe(false);
  expect(renderDiffMarkdown(retired)).toContain('| **breaking**, **review** | `status` | status changed from deprecated to retired while granted to marketing: their grants are revoked (needs review) |');
  expect(renderDiffText(retired)).toContain('  BREAKING  status: status changed from deprecated to retired');
});

test('hostile: a base version over the size limit, or not UTF-8, is a problem of the diff naming the size or the byte', async () => {
  const dir = await repository();
  const git = (...args: string[]) => exec('git', args, { cwd: dir, env: GIT_ENV });
  const file = path.join(dir, 'dataproducts', 'orders.yaml');
  fs.writeFileSync(file, `${SAMPLE}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  fs.writeFileSync(path.join(dir, 'dataproducts', 'returns.yaml'), Buffer.concat([Buffer.from(SAMPLE.replace(/orders/g, 'returns')), Buffer.from([0xff, 0x0a])]));
  await git('commit', '-q', '-am', 'oversized and Latin-1');
  fs.writeFileSync(file, SAMPLE);
  fs.writeFileSync(path.join(dir, 'dataproducts', 'returns.yaml'), SAMPLE.replace(/orders/g, 'returns'));
  const diffs = await diffContractFiles('main', path.join(dir, 'dataproducts'), { domain: 'sales' });
  expect(diffs.map((diff) => [path.basename(diff.file), diff.ok, diff.problems.map((problem) => problem.message)])).toEqual([
    ['orders.yaml', false, ['the base version: the file is 2.0 MiB; the limit is 1 MiB']],
    ['returns.yaml', false, [expect.stringMatching(/^the base version: the file is not UTF-8 text: byte \d+ is not valid UTF-8$/)]],
  ]);
});
