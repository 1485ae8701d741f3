import { Annotations, Arn, AspectPriority, Aspects, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { DataContract } from './data-contract';
import { FreshnessAlarm } from './freshness-alarm';
import { GovernanceTags } from './governance-tags';
import { InputLink, InputLinkAttributes } from './input-link';
import { Pipeline, PipelineTriggerInput } from './pipeline';
import { bucketArnFor, grantOnPrincipal, keyThroughS3, lakeFormationPrincipal } from './private/data-grants';
import { consumerKey, elementsKey, granteeKey } from './private/stable-ids';
import { consumerGrants, grantedTables, resolveConsumer, TableGrant } from '../contract/consumer-grants';
import { Contract, schemaElements, strictestClassification } from '../contract/contract';
import { lifecycleOf } from '../contract/contract-lifecycle';
import { dqdlRuleset, glueTableColumns, lakeFormationClassifications } from '../contract/contract-rendering';
import { dataProductId } from '../contract/data-product-input';
import { freshnessOf } from '../contract/freshness';
import { glueDatabaseName, glueName } from '../contract/glue-names';
import { ConsumerAllowList } from '../domain/consumer-allow-list';
import { principalAccount } from '../domain/consumer-principals';
import { isExecutionRoleOf, PUBLISHED_DATA_PREFIX } from '../domain/names';
import { publicationPattern } from '../domain/publication-events';

/**
 * Props of {@link DataProduct}.
 */
export interface DataProductProps {
  /** The contract the data product is built from. */
  readonly contract: DataContract;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** Accountable owner (`sdlf:owner`). */
  readonly owner: string;

  /**
   * Cost center (`sdlf:cost-center`).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /** The domain bucket; the data product's tables live under `analytics/<data product>/`. */
  readonly bucket: s3.IBucket;

  /**
   * The Lake Formation tag (LF-tag) whose values are the classifications; the platform creates it
   * once per account with the values `public`, `internal`, `confidential`, `restricted`.
   *
   * @default "sdlf:classification"
   */
  readonly classificationTagKey?: string;

  /**
   * Lake Formation principals (an account ID or an IAM role ARN) of the consumer domains the
   * contracts name by domain. A consumer given by account or role needs no entry.
   *
   * @default - none: a consumer domain fails the synth with an error naming the fix
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The consumers the platform's governance policy allows; any other consumer of the contract
   * fails the synth.
   *
   * @default - the baseline: any domain, no account, no role (see `GovernancePolicyProps.allowedConsumers`)
   */
  readonly allowedConsumers?: ConsumerAllowList;

  /**
   * What the pipeline stages of the contract need: the folder of their code (see
   * {@link Pipeline}), the domain key, metadata table and alarm topic.
   *
   * @default - no pipeline is built
   */
  readonly pipeline?: DataProductPipelineProps;

  /**
   * The inputs the data product reads (its contract's `sdlfInputs`), as the domain links them
   * ({@link InputLink}): each stage of its pipeline gets read grants on them, exactly the columns
   * the producer grants the domain and the contract reads.
   *
   * @default - none
   */
  readonly inputs?: InputLinkAttributes[];
}

/**
 * What the pipeline of a {@link DataProduct} is built with.
 */
export interface DataProductPipelineProps {
  /** Folder of the stage code, e.g. `src/stages` of the domain repository. */
  readonly stagesDir: string;

  /** The domain key (queues, logs). */
  readonly key: kms.IKey;

  /** Processing status of every object. */
  readonly metadataTable: dynamodb.ITable;

  /**
   * Where the stages' alarms go.
   *
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * A data product, as other constructs use it: its names, and grants to read or describe it.
 */
export interface IDataProduct extends IConstruct {
  /** The data product's name, as its contract gives it. */
  readonly dataProductName: string;

  /** Its Glue database: `<domain>_<environment>_<data product>`. */
  readonly databaseName: string;

  /**
   * Grants `grantee` what reading the data product with Athena or Glue takes: Lake Formation
   * SELECT on its tables' columns, and on its identity policy the catalog reads, Lake Formation's
   * data access, reading the data product's prefix of the domain bucket, and decrypting through S3
   * with the bucket's key.
   *
   * Sensitive columns (classified `restricted` or tagged `pii`) are granted only when named, as
   * for a consumer of the contract.
   *
   * @param grantee the principal: an IAM role or user, or an account
   * @param columns exactly what to grant: `<object>.<column>` for one column (a sensitive column only this way), `<object>` for the non-sensitive columns of that schema object
   * @default columns - every non-sensitive column of every table
   */
  grantRead(grantee: iam.IGrantable, columns?: string[]): iam.Grant;

  /**
   * Grants `grantee` the definition of the data product's tables, never their data: Lake
   * Formation DESCRIBE on them, and on its identity policy the catalog reads.
   *
   * @param grantee the principal: an IAM role or user, or an account
   */
  grantDescribe(grantee: iam.IGrantable): iam.Grant;
}

/**
 * A data product (SDLF "dataset") built from its contract: a Glue database with a table per schema
 * object (columns and types from the contract, Parquet under the domain bucket's analytics layer),
 * the contract's classifications as LF-tags on tables and columns, Lake Formation grants to the
 * consumers it names (each table and its columns by name; a sensitive column only to a consumer
 * that names it), and a Glue Data Quality ruleset where the contract's quality rules have a
 * DQDL form. Its resources carry the governance tags with `sdlf:data-product` and `sdlf:classification`.
 *
 * Grant access in code the way the contract's consumers get it: `grantRead(role)` (the
 * non-sensitive columns, or exactly the columns named) and `grantDescribe(role)`.
 *
 * @example
 * const orders = new DataProduct(stack, 'orders', {
 *   contract: DataContract.fromFile('dataproducts/orders.yaml', { domain: 'sales' }),
 *   environment: 'dev',
 *   owner: 'sales-data@example.com',
 *   bucket: storage.bucket,
 * });
 * orders.grantRead(analystRole);
 */
export class DataProduct extends Construct implements IDataProduct {
  /** Glue names allow lowercase letters, digits and underscores only. */
  public static glueName(name: string): string {
    return glueName(name);
  }

  /** The data product's name, as its contract gives it. */
  public readonly dataProductName: string;

  /** The Glue database of the data product (aws-cdk-lib has no Glue L2). */
  public readonly database: glue.CfnDatabase;

  /** Its name: `<domain>_<environment>_<data product>`. */
  public readonly databaseName: string;

  /** One Glue table per schema object of the contract. */
  public readonly tables: glue.CfnTable[] = [];

  /** One Glue Data Quality ruleset per schema object whose quality rules have a DQDL form. */
  public readonly qualityRulesets: glue.CfnDataQualityRuleset[] = [];

  /**
   * The pipeline of the contract's stages.
   *
   * @default - none when the contract has no stages or no stage code folder was given
   */
  public readonly pipeline?: Pipeline;

  /** The domain bucket, where the tables are under {@link dataPrefix}. */
  public readonly bucket: s3.IBucket;

  /** Where the data product's tables are in the bucket: `analytics/<data product>/`. */
  public readonly dataPrefix: string;

  /**
   * The alarm on the freshness the contract promises (`slaProperties` freshness or latency).
   *
   * @default - none when the contract promises no freshness or the data product has no pipeline
   */
  public readonly freshnessAlarm?: FreshnessAlarm;

  /** The contract, for the grants made after construction. */
  private readonly contract: Contract;
  private readonly tableOfObject = new Map<string, glue.CfnTable>();

  constructor(scope: Construct, id: string, props: DataProductProps) {
    super(scope, id);
    const contract = props.contract._contract;
    const stack = Stack.of(this);
    const catalogId = stack.account;
    const tagKey = props.classificationTagKey ?? 'sdlf:classification';
    const product = props.contract.dataProduct;
    this.contract = contract;
    this.dataProductName = product;
    this.bucket = props.bucket;
    this.dataPrefix = `${PUBLISHED_DATA_PREFIX}${product}/`;
    this.databaseName = glueDatabaseName(props.contract.domain, props.environment, product);

    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: this.databaseName,
        description: `${product} ${props.contract.version}: ${props.contract.purpose ?? ''}`.trim(),
        // Where its tables are: in a location registered with Lake Formation, tables within their
        // database's location need no data location permission of their own.
        locationUri: props.bucket.s3UrlForObject(this.dataPrefix),
      },
    });

    let strictest: string | undefined;
    const tableRulesets: Record<string, string | undefined> = {};
    for (const object of contract.objects) {
      const tableName = DataProduct.glueName(object.name);
      const { columns, partitionKeys } = glueTableColumns(object);
      const table = new glue.CfnTable(this, `Table-${object.name}`, {
        catalogId,
        databaseName: this.databaseName,
        tableInput: {
          name: tableName,
          description: object.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: { 'classification': 'parquet', 'sdlf:contract-version': props.contract.version },
          partitionKeys: partitionKeys.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
          storageDescriptor: {
            columns: columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment })),
            location: props.bucket.s3UrlForObject(`${this.dataPrefix}${tableName}/`),
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          },
        },
      });
      table.node.addDependency(this.database);
      this.tables.push(table);
      this.tableOfObject.set(object.name, table);
      tableRulesets[tableName] = undefined;

      const classified = lakeFormationClassifications(object);
      if (classified.table) {
        strictest = strictestClassification([strictest, classified.table]);
        this.tagTable(`TableTag-${object.name}`, catalogId, tableName, tagKey, classified.table, table);
        for (const [column, classification] of Object.entries(classified.columns)) {
          this.tagTable(`ColumnTag-${object.name}-${column}`, catalogId, tableName, tagKey, classification, table, column);
        }
      }

      const dq = dqdlRuleset(object);
      for (const reason of dq.unsupported) {
        Annotations.of(this).addInfo(`quality rule left out of Glue Data Quality: ${reason}`);
      }
      if (dq.ruleset) {
        const rulesetName = `${this.databaseName}.${tableName}`.slice(0, 255);
        tableRulesets[tableName] = rulesetName;
        const ruleset = new glue.CfnDataQualityRuleset(this, `Quality-${object.name}`, {
          name: rulesetName,
          description: `Quality rules of ${product}.${object.name} from its contract`,
          ruleset: dq.ruleset,
          targetTable: { databaseName: this.databaseName, tableName },
        });
        ruleset.node.addDependency(table);
        this.qualityRulesets.push(ruleset);
      }
    }

    // The contract's status decides what is served (see lifecycleOf): a retired data product keeps
    // its data for its retention, without grants and without a pipeline.
    const lifecycle = lifecycleOf(contract.status);
    const consumerAccounts = new Set<string>();
    if (lifecycle.granted) {
      this.grantConsumers(contract, props).forEach((account) => consumerAccounts.add(account));
    } else if (contract.consumers.length > 0) {
      Annotations.of(this).addInfo(`${product} is ${contract.status}: its ${contract.consumers.length} consumer grant(s) are revoked`);
    }
    if (props.pipeline && lifecycle.pipeline) {
      this.pipeline = this.buildPipeline(props.contract, props, props.pipeline, tableRulesets);
      this.freshnessAlarm = this.alarmFreshness(contract, props);
      this.grantInputs(props.inputs ?? []);
      if (this.pipeline) {
        this.routePublications(props.environment, [...consumerAccounts]);
      }
    }
    Aspects.of(this).add(
      new GovernanceTags({
        domain: props.contract.domain,
        owner: props.owner,
        costCenter: props.costCenter,
        environment: props.environment,
        dataProduct: product,
        classification: strictest,
      }),
      { priority: AspectPriority.MUTATING },
    );
  }

  /**
   * The inputs whose publication starts the pipeline (`sdlfPipeline.trigger.inputs`), each from its
   * producer's account as the domain links it; an input not linked (no mesh index, not served or
   * granted) starts nothing, and the synth says so.
   */
  private triggerInputs(props: DataProductProps): PipelineTriggerInput[] {
    return this.contract.triggerInputs.flatMap((product) => {
      const linked = (props.inputs ?? []).find((input) => input.product === product);
      if (!linked) {
        Annotations.of(this).addInfo(`input ${product} triggers the pipeline but is not linked (see the domain stack's notes): its publications start nothing`);
        return [];
      }
      return [{ product, account: linked.targetAccount }];
    });
  }

  /** The stages read the inputs: a stage reads through the link what the producer granted the domain. */
  private grantInputs(inputs: InputLinkAttributes[]): void {
    for (const input of inputs) {
      const link = InputLink.fromInputLinkAttributes(this, `Input-${input.linkName}`, input);
      for (const stage of this.pipeline?.stages ?? []) {
        link.grantRead(stage);
      }
    }
  }

  /**
   * One alarm on the contract's freshness promise, on the last stage of the pipeline: the one
   * whose success delivers the data consumers read.
   */
  private alarmFreshness(contract: Contract, props: DataProductProps): FreshnessAlarm | undefined {
    const freshness = freshnessOf(contract);
    const lastStage = this.pipeline?.stages[this.pipeline.stages.length - 1];
    if (!freshness || !lastStage) {
      return undefined;
    }
    return new FreshnessAlarm(this, 'Freshness', {
      stateMachine: lastStage.stateMachine,
      window: Duration.seconds(freshness.seconds),
      promise: freshness.text,
      dataProduct: contract.dataProduct,
      alarmTopic: props.pipeline?.alarmTopic,
      alarmName: FreshnessAlarm.alarmNameOf(props.contract.domain, props.environment, contract.dataProduct),
    });
  }

  /**
   * @param tableRulesets the data product's tables, each with its quality ruleset's name if it has one
   */
  private buildPipeline(
    contract: DataContract,
    props: DataProductProps,
    pipeline: DataProductPipelineProps,
    tableRulesets: Record<string, string | undefined>,
  ): Pipeline | undefined {
    const stages = contract.stages;
    if (stages.length === 0) {
      return undefined;
    }
    const built = new Pipeline(this, 'Pipeline', {
      domain: props.contract.domain,
      environment: props.environment,
      dataProduct: props.contract.dataProduct,
      stages,
      stagesDir: pipeline.stagesDir,
      bucket: props.bucket,
      key: pipeline.key,
      metadataTable: pipeline.metadataTable,
      alarmTopic: pipeline.alarmTopic,
      version: props.contract.version,
      triggerInputs: this.triggerInputs(props),
      databaseName: this.databaseName,
      tableNames: Object.keys(tableRulesets),
      qualityRulesets: Object.fromEntries(Object.entries(tableRulesets).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    });
    // The stages' Lake Formation grants and crawlers need the database and tables first.
    built.node.addDependency(this.database, ...this.tables);
    return built;
  }

  private tagTable(id: string, catalogId: string, tableName: string, tagKey: string, value: string, table: glue.CfnTable, column?: string) {
    const resource: lakeformation.CfnTagAssociation.ResourceProperty = column
      ? { tableWithColumns: { catalogId, databaseName: this.databaseName, name: tableName, columnNames: [column] } }
      : { table: { catalogId, databaseName: this.databaseName, name: tableName } };
    new lakeformation.CfnTagAssociation(this, id, { resource, lfTags: [{ catalogId, tagKey, tagValues: [value] }] }).node.addDependency(table);
  }

  /**
   * One grant per consumer and table, naming the table and its columns: never a wildcard, so a
   * table or column added later (by a crawler, or to the contract without a new grant) is granted
   * to nobody, and a sensitive column only to a consumer that names it. A consumer the policy
   * does not allow or whose domain has no principal fails the synth: a grant is never skipped in
   * silence. Each grant is named after its consumer, access and columns, not its place in the
   * list: reordering or removing consumers leaves the others' grants as they are.
   */
  private grantConsumers(contract: Contract, props: DataProductProps): string[] {
    const accounts: string[] = [];
    for (const grant of consumerGrants(contract)) {
      const resolved = resolveConsumer(grant, { principals: props.consumerPrincipals, allowed: props.allowedConsumers });
      if ('refusal' in resolved) {
        Annotations.of(this).addError(`sdlfConsumers[${grant.index}].${resolved.refusal.field}: ${resolved.refusal.message} (${resolved.refusal.fix})`);
        continue;
      }
      const id = `Grant-${consumerKey(this, grant)}-${grant.access}${elementsKey(contract.consumers[grant.index].columns)}`;
      // A consumer domain whose principal is its execution role passes the grant on to its own
      // roles (its stages', through its links): Lake Formation lets it only with the grant option.
      const passedOn = grant.kind === 'domain' && isExecutionRoleOf(grant.id, resolved.principal);
      this.grantTables(id, resolved.principal, grant.access === 'select' ? 'SELECT' : 'DESCRIBE', grant.tables, passedOn);
      accounts.push(principalAccount(resolved.principal));
    }
    return accounts;
  }

  /**
   * The pipeline's publications (see `PipelineStageProps.publishVersion`) go to each consumer
   * account the contract grants, on its default event bus in this region: a rule on this account's
   * default bus matching the data product's own publications, with a role that may put events on
   * those buses only (cross-account bus targets take a role; the platform's bus policy in the
   * consumer's account accepts publications of the mesh's accounts). A consumer in this account
   * has the event on its bus already. Five targets a rule, EventBridge's limit.
   */
  private routePublications(environment: string, accounts: string[]) {
    const stack = Stack.of(this);
    const others = [...new Set(accounts)].filter((account) => account !== stack.account).sort();
    if (others.length === 0) {
      return;
    }
    const product = dataProductId(this.contract.domain ?? '', this.dataProductName);
    const role = new iam.Role(this, 'PublicationRouteRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `Routes the publications of ${product} to its consumers' accounts`,
    });
    const buses = others.map((account) => events.EventBus.fromEventBusArn(this, `ConsumerBus-${account}`, stack.formatArn({ service: 'events', account, resource: 'event-bus', resourceName: 'default' })));
    for (let start = 0; start < buses.length; start += 5) {
      const group = buses.slice(start, start + 5);
      new events.Rule(this, `PublicationRoute-${others[start]}`, {
        description: `${product} published in ${environment}: to the default bus of consumer account${group.length > 1 ? 's' : ''} ${others.slice(start, start + 5).join(', ')}`,
        eventPattern: publicationPattern(product, environment, stack.account),
        targets: group.map((bus) => new targets.EventBus(bus, { role })),
      });
    }
  }

  /**
   * Grants `grantee` what reading the data product with Athena or Glue takes: Lake Formation
   * SELECT on its tables' columns, and on its identity policy the catalog reads, Lake Formation's
   * data access, reading the data product's prefix of the domain bucket (`analytics/<data product>/`)
   * and decrypting through S3 with the bucket's key: for a grantee of the domain's account that
   * reads the objects itself, and for Athena until the platform registers the location (see
   * `DomainIdentityProps.dataBucketName`), after which Lake Formation vends the data.
   *
   * Sensitive columns (classified `restricted` or tagged `pii`) are granted only when named, by
   * the rule of the contract's consumers; a table whose columns are all sensitive is left out.
   *
   * @param grantee the principal: an IAM role or user, or an account (which then grants its own principals the IAM part)
   * @param columns exactly what to grant: `<object>.<column>` for one column (a sensitive column only this way), `<object>` for the non-sensitive columns of that schema object
   * @default columns - every non-sensitive column of every table
   */
  public grantRead(grantee: iam.IGrantable, columns?: string[]): iam.Grant {
    const tables = this.grantedTables('grantRead', 'select', columns);
    const principal = lakeFormationPrincipal(grantee, 'grantRead');
    this.grantTables(`Read-${granteeKey(this, grantee, principal)}${elementsKey(columns)}`, principal, 'SELECT', tables);
    const bucketArn = bucketArnFor(grantee, this.bucket);
    return grantOnPrincipal(
      grantee,
      [
        this.catalogReads(tables, ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition']),
        // Lake Formation's data access takes no resource but *; the grants above say what it covers.
        { actions: ['lakeformation:GetDataAccess'], resourceArns: ['*'] },
        { actions: ['s3:GetObject'], resourceArns: [`${bucketArn}/${this.dataPrefix}*`] },
        { actions: ['s3:ListBucket'], resourceArns: [bucketArn], conditions: { StringLike: { 's3:prefix': [this.dataPrefix, `${this.dataPrefix}*`] } } },
        ...keyThroughS3(this.bucket.encryptionKey, this, ['kms:Decrypt']),
      ],
      `reads data product ${this.dataProductName}: the objects under ${this.dataPrefix}, with Lake Formation's data access (which takes no resource but *)`,
    );
  }

  /**
   * Grants `grantee` the definition of the data product's tables, never their data: Lake
   * Formation DESCRIBE on them, and on its identity policy the catalog reads. A table whose columns
   * are all sensitive is left out, as for a consumer of the contract.
   *
   * @param grantee the principal: an IAM role or user, or an account
   */
  public grantDescribe(grantee: iam.IGrantable): iam.Grant {
    const tables = this.grantedTables('grantDescribe', 'describe');
    const principal = lakeFormationPrincipal(grantee, 'grantDescribe');
    this.grantTables(`Describe-${granteeKey(this, grantee, principal)}`, principal, 'DESCRIBE', tables);
    return grantOnPrincipal(grantee, [this.catalogReads(tables, ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'])], `describes data product ${this.dataProductName}`);
  }

  /**
   * The tables (and columns) a grant made in code covers: the contract's rule for its consumers,
   * from the same function, so a grant in code never shows more than the same consumer in the contract.
   */
  private grantedTables(method: string, access: string, columns?: string[]): TableGrant[] {
    const objects = this.contract.objects;
    const known = schemaElements(objects);
    const unknown = (columns ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new Error(`${method}: ${unknown.map((name) => `"${name}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not in the contract of ${this.dataProductName}; name a schema object or <object>.<column> of: ${known.join(', ')}`);
    }
    const grant = grantedTables(objects, columns);
    if (grant.tables.length === 0) {
      const fix = access === 'select' ? 'name the sensitive columns to grant as <object>.<column>' : 'grantRead with the sensitive columns named as <object>.<column> grants them';
      throw new Error(`${method}: it would grant nothing of ${this.dataProductName}: ${grant.notGranted.join(', ') || 'no table'} has only sensitive columns; ${fix}`);
    }
    return grant.tables;
  }

  /**
   * One Lake Formation grant per table, naming the table and its columns: never a wildcard, so a
   * table or column added later (by a crawler, or to the contract) is granted to nobody.
   *
   * @param id what the grant is (its principal, permission and the columns it names), never a
   * counter; a grant made twice is made once
   * @param grantable with the grant option, for a principal that passes the grant on within its account
   */
  private grantTables(id: string, principal: string, permission: 'SELECT' | 'DESCRIBE', tables: TableGrant[], grantable = false) {
    const catalogId = Stack.of(this).account;
    for (const table of tables) {
      if (this.node.tryFindChild(`${id}-${table.object}`)) {
        continue;
      }
      const resource: lakeformation.CfnPrincipalPermissions.ResourceProperty = permission === 'SELECT'
        ? { tableWithColumns: { catalogId, databaseName: this.databaseName, name: table.table, columnNames: table.columns } }
        : { table: { catalogId, databaseName: this.databaseName, name: table.table } };
      new lakeformation.CfnPrincipalPermissions(this, `${id}-${table.object}`, {
        principal: { dataLakePrincipalIdentifier: principal },
        // Lake Formation grants columns SELECT only; describe is the table's metadata.
        permissions: [permission],
        permissionsWithGrantOption: grantable ? [permission] : [],
        resource,
      }).node.addDependency(this.tableOfObject.get(table.object)!);
    }
  }

  /** The Glue catalog reads of the data product's database and the tables granted. */
  private catalogReads(tables: TableGrant[], actions: string[]) {
    const arn = (resource: string, name?: string) => Arn.format({ service: 'glue', resource, resourceName: name }, Stack.of(this));
    return {
      actions,
      resourceArns: [arn('catalog'), arn('database', this.databaseName), ...tables.map((table) => arn('table', `${this.databaseName}/${table.table}`))],
    };
  }
}
