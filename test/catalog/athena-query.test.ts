import { athenaQuery } from '../../src/catalog/athena-query';
import { glueDatabaseName } from '../../src/contract/glue-names';

test('the catalog shows the database the DataProduct construct creates', () => {
  expect(glueDatabaseName('sales-eu', 'prod', 'order-lines')).toBe('sales_eu_prod_order_lines');
});

test('the Athena query quotes the database and the table', () => {
  expect(athenaQuery('sales_prod_orders', 'orders')).toBe('SELECT * FROM "sales_prod_orders"."orders" LIMIT 10;');
});
