import { parse } from 'yaml';
import { consumerGrants as grantsOfContract, explainGrant, isSensitiveColumn, resolveConsumer } from '../../src/contract/consumer-grants';
import { toContract } from '../../src/contract/contract';
import { ContractDocumentData, SchemaProperty } from '../../src/contract/odcs-definitions';
import { sampleContract } from '../support/sample-contract';

/**
 * The sample contract (table `orders`: order_id, customer_email [restricted, pii], order_total,
 * currency, ordered_at) with a second table `payments` whose columns are all sensitive, and the
 * consumers given.
 */
/** The effective grants of a contract's data. */
const consumerGrants = (data: ContractDocumentData) => grantsOfContract(toContract('orders.yaml', data));

function contract(consumers: object[]): any {
  const data = parse(sampleContract());
  data.schema.push({
    name: 'payments',
    properties: [
      { name: 'card_number', logicalType: 'string', tags: ['PII'] },
      { name: 'iban', logicalType: 'string', classification: 'restricted' },
    ],
  });
  data.customProperties.find((entry: any) => entry.property === 'sdlfConsumers').value = consumers;
  return data;
}

test('a column is sensitive when classified restricted or tagged pii in any case; confidential alone is not', () => {
  expect(isSensitiveColumn({ classification: 'restricted' })).toBe(true);
  expect(isSensitiveColumn({ tags: ['Pii'] })).toBe(true);
  expect(isSensitiveColumn({ classification: 'confidential', tags: ['finance'] })).toBe(false);
  expect(isSensitiveColumn({})).toBe(false);
});

test('hostile: PII nested in a struct or array column, or a pii tag on the whole object, makes the column sensitive', () => {
  const struct: SchemaProperty = { name: 'customer', logicalType: 'object', properties: [{ name: 'id' }, { name: 'email', tags: ['pii'] }] };
  const array: SchemaProperty = { name: 'contacts', logicalType: 'array', items: { logicalType: 'object', properties: [{ name: 'phone', classification: 'restricted' }] } };
  expect(isSensitiveColumn(struct)).toBe(true);
  expect(isSensitiveColumn(array)).toBe(true);
  expect(isSensitiveColumn({ name: 'id' }, { name: 'people', tags: ['PII'] })).toBe(true);

  const data = contract([{ domain: 'marketing', access: 'select' }]);
  data.schema[0].properties.push(struct, array);
  data.schema.push({ name: 'people', tags: ['pii'], properties: [{ name: 'person_id', logicalType: 'string' }] });
  const [grant] = consumerGrants(data);
  expect(grant.tables.map((table) => [table.object, table.columns, table.withheld])).toEqual([
    ['orders', ['order_id', 'order_total', 'currency', 'ordered_at'], ['customer_email', 'customer', 'contacts']],
  ]);
  expect(grant.notGranted).toEqual(['payments', 'people']);
});

test('hostile: a consumer that names no column gets no sensitive column, and no table of only sensitive columns', () => {
  const [grant] = consumerGrants(contract([{ domain: 'marketing', access: 'select' }]));
  expect(grant.tables).toEqual([
    { object: 'orders', table: 'orders', columns: ['order_id', 'order_total', 'currency', 'ordered_at'], withheld: ['customer_email'] },
  ]);
  expect(grant.notGranted).toEqual(['payments']);
  expect(grant.tables.flatMap((table) => table.columns)).not.toEqual(expect.arrayContaining(['customer_email', 'card_number', 'iban']));
});

test('columns grants exactly what it names: a sensitive column by object.column, the non-sensitive ones of an object by its name', () => {
  const [onlyEmail, ordersAndCard] = consumerGrants(
    contract([
      { domain: 'marketing', access: 'select', columns: ['orders.customer_email'] },
      { account: '222222222222', access: 'select', columns: ['orders', 'payments.card_number'] },
    ]),
  );
  expect(onlyEmail.tables).toEqual([{ object: 'orders', table: 'orders', columns: ['customer_email'], withheld: [] }]);
  // Objects a columns list leaves out are simply not the consumer's.
  expect(onlyEmail.notGranted).toEqual([]);
  expect(ordersAndCard.tables).toEqual([
    { object: 'orders', table: 'orders', columns: ['order_id', 'order_total', 'currency', 'ordered_at'], withheld: ['customer_email'] },
    { object: 'payments', table: 'payments', columns: ['card_number'], withheld: ['iban'] },
  ]);
});

test('an entry naming two principals gets no grant at all', () => {
  expect(consumerGrants(contract([{ domain: 'marketing', account: '999999999999', access: 'select' }]))).toEqual([]);
});

test('the explanation says what a consumer sees, what is withheld and what is not granted', () => {
  const [grant] = consumerGrants(contract([{ domain: 'marketing', access: 'select' }]));
  expect(explainGrant(grant)).toBe(
    'domain marketing (select) sees orders: order_id, order_total, currency, ordered_at; withheld: customer_email' +
      ' | payments: not granted (only sensitive columns; name them in columns to grant them)',
  );
  const [describe] = consumerGrants(contract([{ account: '222222222222', access: 'describe' }]));
  expect(explainGrant(describe)).toBe('account 222222222222 (describe) sees the definition of orders, no data');
});

describe('a consumer resolves to a principal the platform allows', () => {
  const role = 'arn:aws:iam::222222222222:role/marketing-analysts';

  test('baseline: any domain with a principal, no account, no role', () => {
    expect(resolveConsumer({ kind: 'domain', id: 'marketing' }, { principals: { marketing: role } })).toEqual({ principal: role });
    expect(resolveConsumer({ kind: 'account', id: '222222222222' }, {})).toEqual({
      refusal: expect.objectContaining({ field: 'account', fix: expect.stringContaining('allowedConsumers.accounts') }),
    });
    expect(resolveConsumer({ kind: 'role', id: role }, { allowed: { domains: ['marketing'] } })).toEqual({
      refusal: expect.objectContaining({ field: 'role', message: expect.stringContaining('allowedConsumers.roles: none') }),
    });
  });

  test('a domain without a principal is refused with the consumerPrincipals fix', () => {
    expect(resolveConsumer({ kind: 'domain', id: 'marketing' }, {})).toEqual({
      refusal: expect.objectContaining({ field: 'domain', fix: expect.stringContaining("consumerPrincipals: { 'marketing': ") }),
    });
  });

  test('hostile: the platform\'s registered principal of a domain wins; a repository cannot point it elsewhere', () => {
    const allowed = { domainPrincipals: { marketing: '333333333333' } };
    expect(resolveConsumer({ kind: 'domain', id: 'marketing' }, { allowed })).toEqual({ principal: '333333333333' });
    expect(resolveConsumer({ kind: 'domain', id: 'marketing' }, { allowed, principals: { marketing: '333333333333' } })).toEqual({ principal: '333333333333' });
    expect(resolveConsumer({ kind: 'domain', id: 'marketing' }, { allowed, principals: { marketing: '999999999999' } })).toEqual({
      refusal: {
        field: 'domain',
        message: 'consumerPrincipals gives domain "marketing" the principal 999999999999, but the platform registered 333333333333',
        fix: 'remove "marketing" from consumerPrincipals of .projenrc.ts: the platform\'s principal applies',
      },
    });
  });

  test('an allow-list of domains refuses the others, even with a principal', () => {
    const resolution = { principals: { marketing: role, finance: '333333333333' }, allowed: { domains: ['finance'], accounts: ['222222222222'] } };
    expect(resolveConsumer({ kind: 'domain', id: 'finance' }, resolution)).toEqual({ principal: '333333333333' });
    expect(resolveConsumer({ kind: 'account', id: '222222222222' }, resolution)).toEqual({ principal: '222222222222' });
    expect(resolveConsumer({ kind: 'domain', id: 'marketing' }, resolution)).toEqual({
      refusal: expect.objectContaining({ field: 'domain', message: 'domain "marketing" is not a consumer the platform\'s governance policy allows (allowedConsumers.domains: finance)' }),
    });
  });
});
