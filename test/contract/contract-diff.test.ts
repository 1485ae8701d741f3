import { diffContracts } from '../../src/contract';
import { Contract, toContract } from '../../src/contract/contract';
import { SchemaProperty } from '../../src/contract/odcs-definitions';
import { ConsumerEntry } from '../../src/contract/sdlf-extensions';

/** A minimal contract: one object with the given columns, optionally with consumers. */
function contract(version: string, columns: object[], consumers?: object[]): Contract {
  return toContract('orders.yaml', {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: 'sales-orders',
    name: 'orders',
    version,
    status: 'active',
    // Test data as it is written; the schema's shapes are what lint guarantees.
    schema: [{ name: 'orders', properties: columns as SchemaProperty[] }],
    customProperties: consumers ? [{ property: 'sdlfConsumers', value: consumers as ConsumerEntry[] }] : [],
  });
}
const id = { name: 'order_id', logicalType: 'string', physicalType: 'string', required: true, primaryKey: true };
const email = { name: 'email', logicalType: 'string', physicalType: 'varchar(50)', classification: 'restricted' };
const total = { name: 'total', logicalType: 'integer', physicalType: 'int' };

function changes(before: Contract | undefined, after: Contract | undefined) {
  return diffContracts(before, after).changes.map((change) => `${change.breaking ? 'breaking' : 'fine'}: ${change.message}`);
}

test.each([
  ['a column removed', [id, email], [id], ['breaking: column "email" removed']],
  ['a column renamed', [id, email], [id, { ...email, name: 'mail' }], ['breaking: column "email" renamed to "mail"']],
  ['a type changed', [id, total], [id, { ...total, logicalType: 'string', physicalType: 'string' }], ['breaking: type of "total" changed from integer to string']],
  ['a type widened', [id, total], [id, { ...total, logicalType: 'number', physicalType: 'double' }], ['fine: type of "total" widened from integer to number']],
  ['a physical type narrowed', [id, email], [id, { ...email, physicalType: 'varchar(20)' }], ['breaking: physical type of "email" narrowed from varchar(50) to varchar(20)']],
  ['a physical type widened', [id, email], [id, { ...email, physicalType: 'varchar(100)' }], ['fine: physical type of "email" widened from varchar(50) to varchar(100)']],
  ['a required column added', [id], [id, { ...total, required: true }], ['breaking: required column "total" added']],
  ['an optional column added', [id], [id, total], ['fine: column "total" added']],
  ['a column made required', [id, total], [id, { ...total, required: true }], ['breaking: column "total" made required']],
  ['a column made nullable', [id, { ...total, required: true }], [id, total], ['breaking: column "total" may now be null']],
  ['the primary key changed', [id, total], [{ ...id, primaryKey: false }, { ...total, primaryKey: true }], ['breaking: primary key changed from (order_id) to (total)']],
  ['a description changed', [id], [{ ...id, description: 'the id' }], ['fine: description of "order_id" changed']],
])('%s', (_case, before, after, expected) => {
  expect(changes(contract('1.0.0', before), contract('1.1.0', after))).toEqual(expected);
});

test('a classification weakened while consumers are granted is breaking; without consumers it is not', () => {
  const weakened = [id, { ...email, classification: 'internal' }];
  expect(changes(contract('1.0.0', [id, email], [{ domain: 'marketing', access: 'select' }]), contract('1.1.0', weakened, [{ domain: 'marketing', access: 'select' }]))).toEqual([
    'breaking: classification of "email" weakened from restricted to internal while consumers are granted',
  ]);
  expect(changes(contract('1.0.0', [id, email]), contract('1.1.0', weakened))).toEqual(['fine: classification of "email" weakened from restricted to internal']);
});

test('hostile: dropping the pii tag while consumers are granted is breaking, and so is tagging a granted column', () => {
  const consumers = [{ domain: 'marketing', access: 'select' }];
  const phone = { name: 'phone', logicalType: 'string', tags: ['pii'] };
  const untagged = { ...phone, tags: [] };
  expect(changes(contract('1.0.0', [id, phone], consumers), contract('1.1.0', [id, untagged], consumers))).toEqual([
    'breaking: "phone" is no longer sensitive (restricted or pii) while consumers are granted: those that do not name it will see it',
  ]);
  expect(changes(contract('1.0.0', [id, untagged], consumers), contract('1.1.0', [id, phone], consumers))).toEqual([
    'breaking: "phone" became sensitive (restricted or pii) while consumers are granted: those that do not name it lose it',
  ]);
  expect(changes(contract('1.0.0', [id, phone]), contract('1.1.0', [id, untagged]))).toEqual([]);
});

test('a grant removed or reduced is breaking; a grant added is not', () => {
  const before = contract('1.0.0', [id], [{ domain: 'marketing', access: 'select' }, { account: '111111111111', access: 'select' }]);
  const after = contract('1.1.0', [id], [{ domain: 'marketing', access: 'describe' }, { domain: 'finance', access: 'select' }]);
  expect(changes(before, after)).toEqual([
    'breaking: grant to marketing reduced from select to describe',
    'breaking: grant to 111111111111 removed',
    'fine: grant to finance added',
  ]);
});

test('an object removed is breaking', () => {
  const before = { ...contract('1.0.0', [id]), objects: [{ name: 'orders', properties: [id] as SchemaProperty[] }, { name: 'lines', properties: [] }] };
  expect(changes(before, contract('1.1.0', [id]))).toEqual(['breaking: object "lines" removed']);
});

test('a new data product is not breaking; a removed one is', () => {
  expect(changes(undefined, contract('1.0.0', [id]))).toEqual(['fine: new data product']);
  expect(changes(contract('1.0.0', [id]), undefined)).toEqual(['breaking: data product "orders" removed']);
});

test('a breaking change needs a major version bump', () => {
  expect(diffContracts(contract('1.0.0', [id, email]), contract('1.1.0', [id]))).toMatchObject({ majorBumped: false, ok: false });
  expect(diffContracts(contract('1.0.0', [id, email]), contract('2.0.0', [id]))).toMatchObject({ majorBumped: true, ok: true });
  expect(diffContracts(contract('1.0.0', [id]), contract('1.1.0', [id, total]))).toMatchObject({ majorBumped: false, ok: true });
});

describe('the lifecycle', () => {
  const withStatus = (status: string, version: string, consumers?: object[]) => ({ ...contract(version, [id], consumers), status } as Contract);
  const granted = [{ domain: 'marketing', access: 'select' }];

  test('retiring a data product with live consumers breaks them and needs review', () => {
    const diff = diffContracts(withStatus('deprecated', '1.0.0', granted), withStatus('retired', '1.1.0', granted));
    expect(diff.changes).toEqual([
      { breaking: true, review: true, path: 'status', message: 'status changed from deprecated to retired while granted to marketing: their grants are revoked (needs review)' },
    ]);
    expect(diff.ok).toBe(false);
    expect(diff.notice).toBe('orders is retired: consumer grants are revoked and the pipeline is removed; the data is kept for its retention (consumers: marketing)');
  });

  test('a step back in the lifecycle needs review without breaking anyone', () => {
    const diff = diffContracts(withStatus('retired', '1.0.0'), withStatus('active', '1.1.0'));
    expect(diff.changes).toEqual([{ breaking: false, review: true, path: 'status', message: 'status changed from retired to active: a step back in the lifecycle (needs review)' }]);
    expect(diff.ok).toBe(true);
    expect(diff.notice).toBeUndefined();
  });

  test('deprecating is an ordinary change, with a notice naming the consumers to warn', () => {
    const diff = diffContracts(withStatus('active', '1.0.0', granted), withStatus('deprecated', '1.1.0', granted));
    expect(changes(withStatus('active', '1.0.0', granted), withStatus('deprecated', '1.1.0', granted))).toEqual(['fine: status changed from active to deprecated']);
    expect(diff.notice).toBe('orders is deprecated: still served, but consumers should move off it before it is retired (consumers: marketing)');
  });
});
