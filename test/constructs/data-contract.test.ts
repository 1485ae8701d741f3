import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataContract, PipelineStageType } from '../../src';
import { sampleContract } from '../support/sample-contract';

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-contract-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('a contract is read into structs every jsii language can use: tables, columns, stages, retention', () => {
  const contract = DataContract.fromFile(path.join(folder({ 'orders.yaml': sampleContract() }), 'orders.yaml'), { domain: 'sales' });
  expect(contract).toMatchObject({ dataProduct: 'orders', version: '1.0.0', domain: 'sales', status: 'active', retentionDays: 365 });
  expect(contract.purpose).toMatch(/^Orders placed by customers/);
  expect(contract.stages).toEqual([{ name: 'light-transform', type: PipelineStageType.LAMBDA }]);
  const [orders] = contract.tables;
  expect(orders).toMatchObject({ name: 'orders', glueName: 'orders', description: 'One row per order.' });
  expect(orders.columns.map((column) => [column.name, column.glueType, column.required, column.sensitive])).toEqual([
    ['order_id', 'string', true, false],
    ['customer_email', 'string', false, true],
    ['order_total', 'decimal(12,2)', true, false],
    ['currency', 'string', false, false],
    ['ordered_at', 'timestamp', true, false],
  ]);
  // Nothing of the raw document is public: the typed contract is internal.
  expect(Object.keys(contract).filter((key) => !key.startsWith('_')).sort()).toEqual(
    ['dataProduct', 'domain', 'file', 'purpose', 'retentionDays', 'stages', 'status', 'tables', 'version'],
  );
});

test('a folder with two contracts of one data product is refused with the lint problem, not a later crash', () => {
  const dir = folder({ 'orders.yaml': sampleContract(), 'orders.odcs.yaml': sampleContract().replace('id: sales-orders', 'id: sales-orders-2') });
  expect(() => DataContract.fromFolder(dir, { domain: 'sales' })).toThrow(/orders\.yaml:\d+:\d+: name: data product "orders" is also the data product of .*orders\.odcs\.yaml/);
});
