import { MESH_INDEX_FORMAT, MESH_INDEX_KIND, MeshIndex, MeshIndexProduct } from '../../src/contract/mesh-index';

const ORDERS_COLUMNS = ['order_id', 'customer_email', 'order_total', 'currency', 'ordered_at'];

const product = (dataProduct: string, status: MeshIndexProduct['status'], grants: MeshIndexProduct['grants'] = []): MeshIndexProduct => ({
  id: `sales/${dataProduct}`,
  domain: 'sales',
  dataProduct,
  status,
  version: '1.0.0',
  account: '111111111111',
  region: 'eu-west-1',
  database: `sales_prod_${dataProduct}`,
  // The platform registered sales' data bucket in prod (its registry's dataBucket).
  ...(status === 'draft' ? {} : { dataLocation: `s3://sales-prod-domain-domainstoragedata1a2b3c-4d5e6f/analytics/${dataProduct}/` }),
  tables: status === 'draft' ? [] : [{ name: dataProduct, table: dataProduct, columns: ORDERS_COLUMNS }],
  grants,
});

/**
 * The mesh index of a mesh whose `sales` domain has `orders` (active: granted to finance without
 * its PII column), `customers` (deprecated, granted to finance), `ledger` (retired) and
 * `forecasts` (a draft).
 */
export function meshIndex(): MeshIndex {
  return {
    kind: MESH_INDEX_KIND,
    format: MESH_INDEX_FORMAT,
    environment: 'prod',
    products: [
      product('customers', 'deprecated', [{ kind: 'domain', id: 'finance', access: 'select', tables: [{ table: 'customers', columns: ['order_id'] }] }]),
      product('forecasts', 'draft'),
      product('ledger', 'retired'),
      product('orders', 'active', [
        { kind: 'domain', id: 'finance', access: 'select', tables: [{ table: 'orders', columns: ['order_id', 'order_total', 'currency', 'ordered_at'] }] },
        { kind: 'domain', id: 'marketing', access: 'describe', tables: [{ table: 'orders', columns: ['order_id'] }] },
      ]),
    ],
  };
}
