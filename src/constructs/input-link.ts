import { Arn, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IConstruct } from 'constructs';
import { grantOnPrincipal, lakeFormationPrincipal } from './private/data-grants';
import { granteeKey } from './private/stable-ids';
import { glueDatabaseName, glueName } from '../contract/glue-names';

/** A table of another domain's data product that a domain reads, and the columns it reads of it. */
export interface LinkedTable {
  /** The Glue table in the producer's database. */
  readonly table: string;

  /** The columns read: those the producer grants the domain, never more. */
  readonly columns: string[];
}

/**
 * What an {@link InputLink} is: its name in the consumer's catalog and what it points at. Grants
 * on it are made with these alone, so a data product's stack grants its stage roles on the link
 * the domain's stack created without a reference between the stacks.
 */
export interface InputLinkAttributes {
  /** The data product read: `<domain>/<data product>`. */
  readonly product: string;

  /** The resource link's name in the consumer's Glue catalog (see {@link InputLink.linkNameOf}). */
  readonly linkName: string;

  /**
   * The producer's account: the catalog of the target database.
   *
   * @default - the consumer's account
   */
  readonly targetAccount?: string;

  /**
   * The producer's region.
   *
   * @default - the consumer's region
   */
  readonly targetRegion?: string;

  /** The producer's Glue database. */
  readonly targetDatabase: string;

  /** The tables read, each with the columns read. */
  readonly tables: LinkedTable[];
}

/** Props of {@link InputLink}. */
export interface InputLinkProps {
  /** The consuming domain. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** The data product read: `<domain>/<data product>`. */
  readonly product: string;

  /**
   * The producer's account: the catalog of the target database.
   *
   * @default - the consumer's account
   */
  readonly targetAccount?: string;

  /**
   * The producer's region.
   *
   * @default - the consumer's region
   */
  readonly targetRegion?: string;

  /** The producer's Glue database. */
  readonly targetDatabase: string;

  /** The tables read, each with the columns read. */
  readonly tables: LinkedTable[];
}

/** A data product of another domain, as a consuming domain reads it: through a link in its own catalog. */
export interface IInputLink extends IConstruct {
  /** The data product read: `<domain>/<data product>`. */
  readonly product: string;

  /** The resource link's name in the consumer's Glue catalog: what queries name. */
  readonly linkName: string;

  /**
   * Grants `grantee` reading the input through the link: Lake Formation DESCRIBE on the link and
   * SELECT on the producer's tables, naming each column the producer grants the domain; on its
   * identity policy, the Glue catalog reads of the link and of the producer's tables, and Lake
   * Formation's data access.
   *
   * @param grantee a role of the consuming domain (a pipeline stage's, the analysts')
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/**
 * Another domain's data product in the consuming domain's catalog: a Glue resource link
 * (`AWS::Glue::Database` with `TargetDatabase`) to the producer's database, in the same account or
 * another, which Athena and Glue query like a database of the domain's own. `grantRead` grants a
 * role of the domain what the producer granted the domain, column by column.
 *
 * Lake Formation lets a principal grant on the producer's tables only what it holds with the
 * grant option: whoever deploys the grants (a domain's execution role) must hold the producer's
 * grant as grantable. `DataProduct` grants so to a consumer domain whose principal is its
 * execution role; a grant to an account is passed on by that account's data lake administrators.
 *
 * @example
 * const orders = new InputLink(stack, 'SalesOrders', {
 *   domain: 'finance', environment: 'dev', product: 'sales/orders',
 *   targetAccount: '111111111111', targetRegion: 'eu-west-1', targetDatabase: 'sales_dev_orders',
 *   tables: [{ table: 'orders', columns: ['order_id', 'order_total'] }],
 * });
 * orders.grantRead(stage);
 */
export class InputLink extends Construct implements IInputLink {
  /**
   * The link's name in the consumer's catalog: `<domain>_<environment>_<producer domain>__<data product>`,
   * in the domain's own names (its roles may read no other), apart from its data products' databases
   * by the double underscore, which no domain or data product name holds.
   */
  public static linkNameOf(domain: string, environment: string, product: string): string {
    const [producerDomain, dataProduct] = product.split('/');
    return glueDatabaseName(domain, environment, `${glueName(producerDomain)}__${glueName(dataProduct)}`);
  }

  /** An input link created elsewhere (the domain's stack), to grant on from this scope. */
  public static fromInputLinkAttributes(scope: Construct, id: string, attributes: InputLinkAttributes): IInputLink {
    return new ImportedInputLink(scope, id, attributes);
  }

  public readonly product: string;
  public readonly linkName: string;

  /** The resource link (aws-cdk-lib has no Glue L2). */
  public readonly database: glue.CfnDatabase;

  private readonly attributes: InputLinkAttributes;

  constructor(scope: Construct, id: string, props: InputLinkProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.product = props.product;
    this.linkName = InputLink.linkNameOf(props.domain, props.environment, props.product);
    const { domain: _domain, environment: _environment, ...target } = props;
    this.attributes = { ...target, linkName: this.linkName };
    this.database = new glue.CfnDatabase(this, 'Link', {
      catalogId: stack.account,
      databaseInput: {
        name: this.linkName,
        targetDatabase: {
          catalogId: props.targetAccount ?? stack.account,
          databaseName: props.targetDatabase,
          ...(props.targetRegion && props.targetRegion !== stack.region ? { region: props.targetRegion } : {}),
        },
      },
    });
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantInputRead(this, this.attributes, grantee, this.database);
  }
}

class ImportedInputLink extends Construct implements IInputLink {
  public readonly product: string;
  public readonly linkName: string;

  constructor(scope: Construct, id: string, private readonly attributes: InputLinkAttributes) {
    super(scope, id);
    this.product = attributes.product;
    this.linkName = attributes.linkName;
  }

  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantInputRead(this, this.attributes, grantee);
  }
}

/**
 * The grants that reading an input through its link takes, made in `scope`: by name, so the
 * link's stack and the grantee's may differ. One Lake Formation grant per table, naming its columns
 * (never a wildcard: a column the producer adds later is read by nobody until granted).
 */
function grantInputRead(scope: Construct, link: InputLinkAttributes, grantee: iam.IGrantable, database?: glue.CfnDatabase): iam.Grant {
  const stack = Stack.of(scope);
  const principal = lakeFormationPrincipal(grantee, 'grantRead');
  const key = granteeKey(scope, grantee, principal);
  const targetAccount = link.targetAccount ?? stack.account;
  const grant = (id: string, resource: lakeformation.CfnPrincipalPermissions.ResourceProperty, permission: string) => {
    if (scope.node.tryFindChild(id)) {
      return;
    }
    const made = new lakeformation.CfnPrincipalPermissions(scope, id, {
      principal: { dataLakePrincipalIdentifier: principal },
      permissions: [permission],
      permissionsWithGrantOption: [],
      resource,
    });
    if (database) {
      made.node.addDependency(database);
    }
  };
  grant(`Describe-${key}`, { database: { catalogId: stack.account, name: link.linkName } }, 'DESCRIBE');
  for (const table of link.tables) {
    grant(`Select-${key}-${table.table}`, { tableWithColumns: { catalogId: targetAccount, databaseName: link.targetDatabase, name: table.table, columnNames: table.columns } }, 'SELECT');
  }
  const glueArn = (account: string, region: string | undefined, resource: string, name?: string) =>
    Arn.format({ service: 'glue', account, region: region ?? stack.region, resource, resourceName: name }, stack);
  const reads = ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'];
  return grantOnPrincipal(
    grantee,
    [
      // The link, in the consumer's catalog, and what it points at, in the producer's: a query reads both.
      { actions: reads, resourceArns: [glueArn(stack.account, undefined, 'catalog'), glueArn(stack.account, undefined, 'database', link.linkName), glueArn(stack.account, undefined, 'table', `${link.linkName}/*`)] },
      {
        actions: reads,
        resourceArns: [
          glueArn(targetAccount, link.targetRegion, 'catalog'),
          glueArn(targetAccount, link.targetRegion, 'database', link.targetDatabase),
          ...link.tables.map((table) => glueArn(targetAccount, link.targetRegion, 'table', `${link.targetDatabase}/${table.table}`)),
        ],
      },
      // Lake Formation's data access takes no resource but *; the grants above say what it covers.
      { actions: ['lakeformation:GetDataAccess'], resourceArns: ['*'] },
    ],
    `reads input ${link.product} through the resource link ${link.linkName}, with Lake Formation's data access (which takes no resource but *)`,
  );
}
