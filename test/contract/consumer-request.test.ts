import { applyConsumerGrant, approvalByPolicy, planConsumerGrant } from '../../src/contract/consumer-request';
import { lintContractText } from '../../src/contract/lint-contract';
import { AccessAutoApproval } from '../../src/domain/access-request-policy';
import { sampleContract } from '../support/sample-contract';

/**
 * The sample contract of `sales/orders` (table `orders`: order_id, customer_email [restricted,
 * pii], order_total, currency, ordered_at), with a comment of the producer's and the consumers given.
 */
function contractText(consumers = '    value: []'): string {
  return sampleContract()
    .replace('  - property: sdlfConsumers\n    value: []', `  # Who reads orders: ask the sales team first.\n  - property: sdlfConsumers\n${consumers}`);
}

/** The contract of a text, as lint reads it (it must stay valid). */
function contractOf(text: string) {
  const report = lintContractText('dataproducts/orders.yaml', text, { domain: 'sales' });
  expect(report.problems).toEqual([]);
  return report.contract!;
}

/** Grants `finance` what it asks, and returns the new text (checked valid) and the change. */
function grant(text: string, columns?: string[]) {
  const change = planConsumerGrant(contractOf(text), { consumer: 'finance', columns });
  const after = change && applyConsumerGrant(text, 'finance', change);
  return { change, after, grants: after === undefined ? [] : lintContractText('dataproducts/orders.yaml', after, { domain: 'sales' }).grants };
}

test('a first consumer becomes a block entry under sdlfConsumers, and every other line stays as the producer wrote it', () => {
  const text = contractText();
  const { change, after, grants } = grant(text);
  expect(change).toEqual({ added: ['orders.order_id', 'orders.order_total', 'orders.currency', 'orders.ordered_at'], sensitive: [], columns: undefined });
  expect(after).toBe(text.replace('  - property: sdlfConsumers\n    value: []\n', '  - property: sdlfConsumers\n    value:\n      - domain: finance\n        access: select\n'));
  expect(grants).toEqual(['domain finance (select) sees orders: order_id, order_total, currency, ordered_at; withheld: customer_email']);
});

test('a sensitive column asked for is granted by name and reported as sensitive', () => {
  const { change, after, grants } = grant(contractText(), ['orders', 'orders.customer_email']);
  expect(change?.sensitive).toEqual(['orders.customer_email']);
  expect(after).toContain('      - domain: finance\n        access: select\n        columns:\n          - orders\n          - orders.customer_email\n');
  expect(grants).toEqual(['domain finance (select) sees orders: order_id, customer_email, order_total, currency, ordered_at']);
});

test('a consumer already granted what it asks changes nothing', () => {
  const text = contractText('    value:\n      - domain: finance # since 2024\n        access: select\n');
  expect(grant(text).change).toBeUndefined();
  expect(grant(text, ['orders.order_total']).change).toBeUndefined();
});

test('a grant is widened in place: its columns get the new elements, its comments stay', () => {
  const text = contractText('    value:\n      - domain: finance # since 2024\n        access: select\n        columns: [orders.order_id] # the key only\n');
  const { change, after, grants } = grant(text, ['orders.currency']);
  expect(change).toMatchObject({ widened: 0, columns: ['orders.order_id', 'orders.currency'], sensitive: [] });
  expect(after).toContain('      - domain: finance # since 2024\n        access: select\n        columns: [orders.order_id, orders.currency] # the key only\n');
  expect(grants).toEqual(['domain finance (select) sees orders: order_id, currency; withheld: customer_email']);
});

test('a grant of every non-sensitive column widened by a sensitive one names the tables it granted', () => {
  const text = contractText('    value:\n      - domain: finance\n        access: select\n');
  const { change, grants } = grant(text, ['orders.customer_email']);
  expect(change).toMatchObject({ widened: 0, columns: ['orders', 'orders.customer_email'], added: ['orders.customer_email'], sensitive: ['orders.customer_email'] });
  expect(grants).toEqual(['domain finance (select) sees orders: order_id, customer_email, order_total, currency, ordered_at']);
});

test('an unknown table or column is refused with the closest name', () => {
  const contract = contractOf(contractText());
  expect(() => planConsumerGrant(contract, { consumer: 'finance', columns: ['orders.order_totl'] })).toThrow(
    'Invalid option "--columns": "orders.order_totl" is not a table or table.column of data product orders; did you mean "orders.order_total"? its tables are orders',
  );
  expect(() => planConsumerGrant(contract, { consumer: 'finance', columns: ['invoices'] })).toThrow(/"invoices" is not a table or table\.column/);
});

test('a contract without sdlfConsumers gets the property', () => {
  const text = contractText().replace('  # Who reads orders: ask the sales team first.\n  - property: sdlfConsumers\n    value: []\n', '');
  const { after, grants } = grant(text, ['orders.order_id']);
  expect(after).toContain('  - property: sdlfConsumers\n    value:\n      - domain: finance\n        access: select\n        columns:\n          - orders.order_id\n');
  expect(grants).toEqual(['domain finance (select) sees orders: order_id; withheld: customer_email']);
});

test('the policy approves non-sensitive columns to an allowed domain, never a sensitive column, and nothing without autoApprove', () => {
  const contract = contractOf(contractText());
  const plain = planConsumerGrant(contract, { consumer: 'finance' })!;
  const sensitive = planConsumerGrant(contract, { consumer: 'finance', columns: ['orders.customer_email'] })!;
  const policy = { accessRequests: { autoApprove: AccessAutoApproval.NON_SENSITIVE } };
  expect(approvalByPolicy(plain, 'finance', policy)).toMatch(/^every column asked for is non-sensitive and domain finance is a consumer the governance policy allows/);
  expect(approvalByPolicy(sensitive, 'finance', policy)).toBeUndefined();
  expect(approvalByPolicy(plain, 'finance', { ...policy, allowedConsumers: { domains: ['marketing'] } })).toBeUndefined();
  expect(approvalByPolicy(plain, 'finance', { accessRequests: { autoApprove: AccessAutoApproval.NONE } })).toBeUndefined();
  expect(approvalByPolicy(plain, 'finance')).toBeUndefined();
});

test('asked for every non-sensitive column, a grant of some columns gets the table; a describe-only consumer gets a select entry of its own', () => {
  const some = grant(contractText('    value:\n      - domain: finance\n        access: select\n        columns:\n          - orders.order_id\n'));
  expect(some.change).toMatchObject({ widened: 0, columns: ['orders.order_id', 'orders'] });
  expect(some.grants).toEqual(['domain finance (select) sees orders: order_id, order_total, currency, ordered_at; withheld: customer_email']);

  const describe = grant(contractText('    value:\n      - domain: finance\n        access: describe\n'));
  expect(describe.change?.widened).toBeUndefined();
  expect(describe.after).toContain('      - domain: finance\n        access: describe\n      - domain: finance\n        access: select\n');
});
