/**
 * The consumer side of the mesh, synthesized: domain `finance` (account 222222222222) reads
 * `sales/orders` (account 111111111111) through a resource link in its own catalog, and its
 * pipeline's stages read exactly what `sales` grants `finance`, proved with the policy evaluator.
 */
import * as path from 'path';
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DomainApp, DomainStage, InputLink } from '../../src';
import { boundaryStatements } from '../../src/constructs/private/domain-policies';
import { MESH_INDEX_FORMAT, MESH_INDEX_KIND, MeshIndex, MeshIndexProduct } from '../../src/contract/mesh-index';
import { domainAppOf } from '../support/domain-app';
import { domainRepository } from '../support/domain-repository';
import { decide, Deployment, Principal, resolve } from '../support/iam-evaluation';
import { nagFindings } from '../support/nag';
import { activeContract } from '../support/sample-contract';

const SALES = { account: '111111111111', region: 'eu-west-1' };
const FINANCE = { account: '222222222222', region: 'eu-west-1' };
const ORDERS_COLUMNS = ['order_id', 'customer_email', 'order_total', 'currency', 'ordered_at'];

/** `finance`'s contract `revenue`, a Lambda then a Glue stage, reading what `inputs` says (YAML list items). */
function revenueContract(inputs: string): string {
  return activeContract('finance', 'finance-data@example.com', 'revenue')
    .replace('          type: lambda\n', '          type: lambda\n        - name: heavy-transform\n          type: glue\n')
    .replace('  - property: sdlfConsumers', `  - property: sdlfInputs\n    value:\n${inputs}  - property: sdlfConsumers`);
}

const READS_ORDERS = '      - product: sales/orders\n        tables:\n          - name: orders\n            columns: [order_id, order_total, customer_email]\n      - sales/ledger\n';

/** The mesh index as the catalog of `dev` gives it: `sales/orders` granted to finance without its PII column, `sales/ledger` retired. */
function meshIndex(orders: Partial<MeshIndexProduct> = {}, environment = 'dev'): MeshIndex {
  const product = (dataProduct: string, status: MeshIndexProduct['status'], grants: MeshIndexProduct['grants']): MeshIndexProduct => ({
    id: `sales/${dataProduct}`,
    domain: 'sales',
    dataProduct,
    status,
    ...SALES,
    database: `sales_${environment}_${dataProduct}`,
    tables: [{ name: dataProduct, table: dataProduct, columns: ORDERS_COLUMNS }],
    grants,
  });
  const granted = [{ kind: 'domain' as const, id: 'finance', access: 'select', tables: [{ table: 'orders', columns: ['order_id', 'order_total', 'currency', 'ordered_at'] }] }];
  return {
    kind: MESH_INDEX_KIND,
    format: MESH_INDEX_FORMAT,
    environment,
    products: [product('ledger', 'retired', granted), { ...product('orders', 'active', granted), ...orders }],
  };
}

function financeApp(index: MeshIndex | undefined, inputs = READS_ORDERS): DomainApp {
  const root = domainRepository({ revenue: revenueContract(inputs) }, { domain: 'finance' });
  return domainAppOf(root, { domain: 'finance', where: FINANCE, consumerPrincipals: undefined, meshIndex: index });
}

const revenueStack = (stage: DomainStage) => stage.dataProductStacks[0];
/** The Lake Formation grants of `stack` on the link or the producer's database. */
const grantsOf = (stack: Stack) =>
  Object.values<any>(Template.fromStack(stack).findResources('AWS::LakeFormation::PrincipalPermissions'))
    .map((grant) => grant.Properties)
    .filter((grant) => /finance_dev_sales__|sales_dev_/.test(JSON.stringify(grant.Resource)));

describe('a domain that reads another domain\'s data product', () => {
  const app = financeApp(meshIndex());
  const stage = app.stages[0];
  const revenue = revenueStack(stage);

  test('links it in its own catalog: a resource link to the producer\'s database, in the producer\'s account', () => {
    expect(stage.inputLinks.map((link) => [link.product, link.linkName])).toEqual([['sales/orders', 'finance_dev_sales__orders']]);
    Template.fromStack(stage.domainStack).hasResourceProperties('AWS::Glue::Database', {
      CatalogId: FINANCE.account,
      DatabaseInput: { Name: 'finance_dev_sales__orders', TargetDatabase: { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders' } },
    });
  });

  test('each stage of the reading pipeline is granted the link, and of the producer\'s table exactly the columns granted and read', () => {
    const roles = revenue.dataProduct.pipeline!.stages.map((built) => revenue.resolve((built.grantPrincipal as iam.IRole).roleArn));
    expect(roles).toHaveLength(2);
    const toRole = (grant: any) => roles.some((role) => JSON.stringify(role) === JSON.stringify(grant.Principal.DataLakePrincipalIdentifier));
    const grants = grantsOf(revenue).filter(toRole);
    const described = grants.filter((grant) => grant.Resource.Database);
    const selected = grants.filter((grant) => grant.Resource.TableWithColumns);
    const link = { CatalogId: FINANCE.account, Name: 'finance_dev_sales__orders' };
    expect(described.map((grant) => [grant.Permissions, grant.Resource.Database])).toEqual(roles.map(() => [['DESCRIBE'], link]));
    // customer_email is read but not granted: it is never asked of Lake Formation.
    expect(selected.map((grant) => [grant.Permissions, grant.PermissionsWithGrantOption, grant.Resource.TableWithColumns])).toEqual(
      roles.map(() => [['SELECT'], [], { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders', Name: 'orders', ColumnNames: ['order_id', 'order_total'] }]),
    );
  });

  test('the domain\'s analysts (the platform\'s role, by name) are granted every link, the same columns', () => {
    const principalOf = (grant: any) => stage.domainStack.resolve(grant.Principal.DataLakePrincipalIdentifier);
    const grants = grantsOf(stage.domainStack).map((grant) => [principalOf(grant), grant.Permissions, grant.Resource]);
    const analysts = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${FINANCE.account}:role/sdlf-finance-dev-analysts`]] };
    expect(grants).toEqual([
      [analysts, ['DESCRIBE'], { Database: { CatalogId: FINANCE.account, Name: 'finance_dev_sales__orders' } }],
      [analysts, ['SELECT'], { TableWithColumns: { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders', Name: 'orders', ColumnNames: ['order_id', 'order_total'] } }],
    ]);
  });

  test('a stage role may read the link and the producer\'s tables it reads, and no other table, within the domain\'s boundary', async () => {
    const glueStage = revenue.dataProduct.pipeline!.glueStages[0];
    const role = evaluatedRole(revenue, glueStage.role, 'finance-dev-dp-revenue-heavytransformRole-1A2B3C');
    const table = (account: string, database: string, name: string) => `arn:aws:glue:eu-west-1:${account}:table/${database}/${name}`;
    const cases: Array<[string, string, string]> = [
      ['glue:GetTable', table(SALES.account, 'sales_dev_orders', 'orders'), 'Allowed'],
      ['glue:GetPartitions', table(SALES.account, 'sales_dev_orders', 'orders'), 'Allowed'],
      ['glue:GetDatabase', `arn:aws:glue:eu-west-1:${SALES.account}:database/sales_dev_orders`, 'Allowed'],
      ['glue:GetTable', table(FINANCE.account, 'finance_dev_sales__orders', 'orders'), 'Allowed'],
      ['glue:GetDatabase', `arn:aws:glue:eu-west-1:${FINANCE.account}:database/finance_dev_sales__orders`, 'Allowed'],
      ['lakeformation:GetDataAccess', '*', 'Allowed'],
      // Another table of the producer's, another product, and writing: not granted.
      ['glue:GetTable', table(SALES.account, 'sales_dev_orders', 'refunds'), 'ImplicitlyDenied'],
      ['glue:GetTable', table(SALES.account, 'sales_dev_customers', 'customers'), 'ImplicitlyDenied'],
      ['glue:UpdateTable', table(SALES.account, 'sales_dev_orders', 'orders'), 'ImplicitlyDenied'],
      ['glue:GetTable', table(SALES.account, 'sales_dev_ledger', 'ledger'), 'ImplicitlyDenied'],
    ];
    // The role's own side: its policies and its boundary. Across accounts, the producer's side is
    // Lake Formation's share (the catalog policy RAM keeps), which these grants depend on, not the role's.
    const decided = await Promise.all(cases.map(([action, resource]) => decide(role, { action, resource, resourceAccount: FINANCE.account })));
    expect(cases.map(([action, resource], index) => `${action} ${resource} ${decided[index]}`)).toEqual(cases.map(([action, resource, expected]) => `${action} ${resource} ${expected}`));
  });

  test('a retired input is not linked, and the synth says its grants are revoked', () => {
    expect(stage.inputLinks.map((link) => link.product)).not.toContain('sales/ledger');
    expect(JSON.stringify(Template.fromStack(revenue).toJSON())).not.toContain('sales_dev_ledger');
    Annotations.fromStack(stage.domainStack).hasInfo('*', Match.stringLikeRegexp('sales/ledger is retired: not linked, and the grants on it are revoked'));
  });
});

test('when the producer retires the input, the link and every grant on it go at the next synth', () => {
  const before = financeApp(meshIndex()).stages[0];
  const after = financeApp(meshIndex({ status: 'retired' })).stages[0];
  expect(grantsOf(revenueStack(before)).length).toBe(4);
  expect(after.inputLinks).toEqual([]);
  expect(grantsOf(revenueStack(after))).toEqual([]);
  expect(Template.fromStack(after.domainStack).findResources('AWS::Glue::Database')).toEqual({});
});

test('a producer in another region is linked in its region, and read there', () => {
  const stage = financeApp(meshIndex({ region: 'us-east-1' })).stages[0];
  Template.fromStack(stage.domainStack).hasResourceProperties('AWS::Glue::Database', {
    DatabaseInput: { TargetDatabase: { CatalogId: SALES.account, DatabaseName: 'sales_dev_orders', Region: 'us-east-1' } },
  });
  expect(JSON.stringify(Template.fromStack(revenueStack(stage)).findResources('AWS::IAM::Policy'))).toContain(':glue:us-east-1:111111111111:table/sales_dev_orders/orders');
});

test('without a mesh index, or with another environment\'s, nothing is linked', () => {
  expect(financeApp(undefined).stages[0].inputLinks).toEqual([]);
  const other = financeApp(meshIndex({}, 'prod')).stages[0];
  expect(other.inputLinks).toEqual([]);
  Annotations.fromStack(other.domainStack).hasInfo('*', Match.stringLikeRegexp('the mesh index describes environment prod: sales/ledger, sales/orders not linked in dev'));
});

test('an input granted nothing it reads is not linked, and the synth says so', () => {
  const stage = financeApp(meshIndex({ grants: [] })).stages[0];
  expect(stage.inputLinks).toEqual([]);
  Annotations.fromStack(stage.domainStack).hasInfo('*', Match.stringLikeRegexp('sales/orders grants domain finance none of the columns it reads of table orders'));
});

test('a mesh index file that does not exist is refused, naming the option', () => {
  expect(() =>
    new DomainApp({
      domain: 'finance',
      owner: 'finance-data@example.com',
      environments: [{ name: 'dev', ...FINANCE }],
      dataProductsDir: path.join(domainRepository({ revenue: revenueContract(READS_ORDERS) }, { domain: 'finance' }), 'dataproducts'),
      meshIndexFile: '/nonexistent/mesh-index.json',
    }),
  ).toThrow(/Invalid option "meshIndexFile": .*does not exist/);
});

test('the reading domain passes the AWS Solutions rules: its read grants say why they take wildcards', () => {
  expect(nagFindings(financeApp(meshIndex()))).toEqual([]);
});

test('InputLink names a link apart from every data product database of the domain', () => {
  expect(InputLink.linkNameOf('finance', 'dev', 'sales/orders')).toBe('finance_dev_sales__orders');
  expect(InputLink.linkNameOf('finance', 'dev', 'sales-eu/daily-orders')).toBe('finance_dev_sales_eu__daily_orders');
});

/**
 * The evaluator's view of a stage role of `stack`, deployed as `name`: its policies, resolved, and
 * the boundary the platform gives the domain's roles.
 */
function evaluatedRole(stack: Stack, role: iam.IRole, name: string): Principal {
  const template = Template.fromStack(stack).toJSON();
  const values: Record<string, string> = {};
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::Logs::LogGroup') {
      values[`${id}.Arn`] = `arn:aws:logs:${FINANCE.region}:${FINANCE.account}:log-group:${id}:*`;
    } else if (resource.Type === 'AWS::S3::Bucket' || resource.Type === 'AWS::KMS::Key') {
      values[`${id}.Arn`] = `arn:aws:s3:::finance-dev-domain-${id.toLowerCase()}`;
    }
  }
  for (const [name_, output] of Object.entries<any>(template.Parameters ?? {})) {
    values[name_] = output.Default ?? '';
  }
  const deployment: Deployment = { ...FINANCE, values: new Proxy(values, { get: (target, key: string) => target[key] ?? `deployed-${key}` }) };
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const policies = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(`"${roleId}"`));
  const boundaryStack = new Stack(undefined, 'Boundary', { env: FINANCE });
  const boundary = boundaryStack.resolve(new iam.PolicyDocument({
    statements: boundaryStatements({ domain: 'finance', environment: 'dev', qualifier: DefaultStackSynthesizer.DEFAULT_QUALIFIER, classificationTagKey: 'sdlf:classification' }),
  }).toJSON());
  return {
    arn: `arn:aws:iam::${FINANCE.account}:role/${name}`,
    account: FINANCE.account,
    identityPolicies: policies.map((policy) => resolve(policy.Properties.PolicyDocument, template, deployment)),
    permissionsBoundary: resolve(boundary, {}, FINANCE),
  };
}
