import { Arn, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PipelineStageBase, PipelineStageProps } from './pipeline-stage-base';
import { acknowledgeRoleWildcards } from './private/acknowledge-wildcards';
import { encryptedLogGroup } from './private/secure-resources';
import { StageStart, wireStage } from './private/stage-wiring';
import { domainLogGroupPrefix, glueCrawlerLogGroup, glueSecurityConfigurationName } from '../domain/names';

/** What starts a {@link GlueStage}. */
export enum GlueStageTrigger {
  /** Each object created under the input prefix starts a job run for that object. */
  EVENT = 'event',
  /** The schedule starts a job run over the input prefix; job bookmarks skip what was processed. */
  SCHEDULE = 'schedule',
  /** Object events wait in the stage's queue; the schedule starts one job run for all of them. */
  BATCH = 'batch',
}

/**
 * Props of {@link GlueStage}.
 */
export interface GlueStageProps extends PipelineStageProps {
  /**
   * The PySpark script of the job, a file of the domain repository. It gets the arguments
   * `--SOURCE` and `--TARGET` (S3 URLs of the input and output prefixes), `--DATABASE`,
   * `--TABLES` (comma-separated) and `--OBJECTS` (a JSON list of `{ bucket, key }`, empty on a
   * scheduled run).
   */
  readonly script: string;

  /**
   * Where the job writes, one folder per table under it.
   *
   * @default "analytics/<data product>/"
   */
  readonly outputPrefix?: string;

  /** The Glue database of the data product. */
  readonly databaseName: string;

  /** The tables the job writes; the catalog update adds their new partitions. */
  readonly tableNames: string[];

  /**
   * Glue Data Quality rulesets to evaluate after each run, by table name.
   *
   * @default - no evaluation
   */
  readonly qualityRulesets?: { [tableName: string]: string };

  /**
   * What starts the stage.
   *
   * @default GlueStageTrigger.BATCH
   */
  readonly trigger?: GlueStageTrigger;

  /**
   * When a scheduled or batch stage runs.
   *
   * @default - every hour
   */
  readonly schedule?: events.Schedule;

  /**
   * Glue workers of a job run (G.1X).
   *
   * @default 2
   */
  readonly workers?: number;

  /**
   * How long a job run may take.
   *
   * @default Duration.hours(2)
   */
  readonly timeout?: Duration;
}

/**
 * A heavy-transform stage (SDLF stage B): a Step Functions state machine that runs a Glue job
 * (the domain's PySpark script, Glue 5), updates the catalog with the new partitions of the
 * data product's tables (a crawler of those tables that only adds partitions and never changes
 * their contract-made schema), starts the Glue Data Quality evaluation of the tables that have
 * a ruleset, and records every execution in the metadata table.
 *
 * It runs per object event, on a schedule, or for the batch of events waiting in its queue
 * (the default), see {@link GlueStageTrigger}. Events come through an encrypted queue with a
 * dead-letter queue (redrive with SQS's message move). The job logs to the stage's own log groups
 * (`/sdlf/<domain>/<environment>/<data product>/<stage>/error` and `/output`), encrypted with the
 * domain key; its bookmarks are encrypted by the platform's Glue security configuration of the
 * domain environment (Glue's security configuration names are the account's, so the platform
 * creates them, see `DomainIdentity`); the crawler logs to its own stream. Its role reads the input prefix,
 * writes the output prefix and holds Lake Formation permissions on the data product's tables only.
 * Alarms on failed executions, dead letters and the age of waiting events.
 *
 * @example
 * new GlueStage(stack, 'HeavyTransform', { domain: 'sales', environment: 'dev', dataProduct: 'orders', name: 'heavy-transform',
 *   bucket, key, script: 'src/stages/orders/heavy-transform.py', databaseName: 'sales_dev_orders', tableNames: ['orders'],
 *   metadataTable: table, trigger: GlueStageTrigger.BATCH, schedule: events.Schedule.rate(Duration.hours(1)) });
 */
export class GlueStage extends PipelineStageBase {
  /** The Glue job. */
  public readonly job: glue.CfnJob;

  /** The crawler that adds the tables' new partitions to the catalog. */
  public readonly crawler: glue.CfnCrawler;

  /** The role of the job, the crawler and the data-quality evaluation. */
  public readonly role: iam.IRole;

  /** The state machine of one run. */
  public readonly stateMachine: sfn.IStateMachine;

  /**
   * The queue of object events.
   *
   * @default - none with a schedule trigger
   */
  public readonly queue?: sqs.IQueue;

  /**
   * Where events go after three failed receives.
   *
   * @default - none with a schedule trigger
   */
  public readonly deadLetterQueue?: sqs.IQueue;

  /** The stage's alarms. */
  public readonly alarms: cloudwatch.IAlarm[];

  /** The job's role: what the stage reads or writes beyond its prefixes is granted to it. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: GlueStageProps) {
    super(scope, id, props);
    const stack = Stack.of(this);
    const name = this.stageName;
    const inputPrefix = props.inputPrefix ?? `stage/${props.dataProduct}/`;
    const outputPrefix = props.outputPrefix ?? `analytics/${props.dataProduct}/`;
    const trigger = props.trigger ?? GlueStageTrigger.BATCH;
    const schedule = props.schedule ?? events.Schedule.rate(Duration.hours(1));
    const timeout = props.timeout ?? Duration.hours(2);

    // CloudWatch Logs encrypts the job's log groups with the domain key.
    props.key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
    const security = glueSecurityConfigurationName(props.domain, props.environment);
    // Glue 5 writes a job's logs to `<prefix>/error` and `<prefix>/output`: the stage's own groups,
    // created here with the domain key, not Glue's `/aws-glue/jobs/*` that every job of the account shares.
    const logGroupPrefix = `${domainLogGroupPrefix(props.domain, props.environment)}${props.dataProduct}/${props.name}`;
    const jobLogGroups = ['error', 'output'].map((kind) => encryptedLogGroup(this, `JobLogs-${kind}`, props.key, `${logGroupPrefix}/${kind}`));

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Glue job, crawler and data-quality runs of ${name}`,
    });
    this.role = role;
    this.grantPrincipal = role;
    const script = new s3assets.Asset(this, 'Script', { path: props.script });
    script.grantRead(role);
    props.bucket.grantRead(role, `${inputPrefix}*`);
    props.bucket.grantReadWrite(role, `${outputPrefix}*`);
    props.key.grantEncryptDecrypt(role);
    jobLogGroups.forEach((logGroup) => logGroup.grantWrite(role));
    this.grantCatalog(role, props);

    this.job = new glue.CfnJob(this, 'Job', {
      name,
      description: `Stage ${props.name} of data product ${props.dataProduct}`,
      role: role.roleArn,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: script.s3ObjectUrl },
      glueVersion: '5.0',
      workerType: 'G.1X',
      numberOfWorkers: props.workers ?? 2,
      timeout: timeout.toMinutes(),
      // Step Functions retries; the job itself does not, so a failure shows once.
      maxRetries: 0,
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: security,
      defaultArguments: {
        '--job-language': 'python',
        '--job-bookmark-option': 'job-bookmark-enable',
        '--custom-logGroup-prefix': logGroupPrefix,
        '--enable-metrics': 'true',
        '--enable-glue-datacatalog': 'true',
        '--SOURCE': props.bucket.s3UrlForObject(inputPrefix),
        '--TARGET': props.bucket.s3UrlForObject(outputPrefix),
        '--DATABASE': props.databaseName,
        '--TABLES': props.tableNames.join(','),
        '--OBJECTS': '[]',
      },
    });

    this.crawler = new glue.CfnCrawler(this, 'Crawler', {
      name,
      description: `Adds the new partitions of ${props.dataProduct} to the catalog after stage ${props.name}`,
      role: role.roleArn,
      targets: { catalogTargets: [{ databaseName: props.databaseName, tables: props.tableNames }] },
      // The tables' schema comes from the contract: the crawler only adds partitions.
      schemaChangePolicy: { updateBehavior: 'LOG', deleteBehavior: 'LOG' },
      configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } }),
      crawlerSecurityConfiguration: security,
    });
    // The platform's security configuration is in the platform's identity stack, where cdk-nag cannot follow a name.
    for (const resource of [this.job, this.crawler]) {
      Validations.of(resource).acknowledge(
        { id: 'AwsSolutions::AwsSolutions-GL1', reason: `the job logs to its own log groups, encrypted with the domain key; the crawler to its own stream of ${glueCrawlerLogGroup()}` },
        { id: 'AwsSolutions::AwsSolutions-GL3', reason: `the platform's security configuration ${security} encrypts job bookmarks with the domain environment's Glue key (CSE-KMS)` },
      );
    }

    const start: StageStart =
      trigger === GlueStageTrigger.SCHEDULE ? { kind: 'schedule', schedule } : trigger === GlueStageTrigger.BATCH ? { kind: 'batch', schedule } : { kind: 'each-object' };
    const { stateMachine, intake, alarms } = wireStage(this, props, {
      inputPrefix,
      timeout: timeout.plus(Duration.hours(1)),
      start,
      work: (failed) => this.definition(name, role, props, failed),
    });
    this.stateMachine = stateMachine;
    this.queue = intake?.queue;
    this.deadLetterQueue = intake?.deadLetterQueue;
    this.alarms = alarms;

    acknowledgeRoleWildcards(
      role,
      `the Glue role reads its script asset and ${inputPrefix} of the domain bucket, writes ${outputPrefix}, ` +
        'reads and adds partitions of its data product\'s tables, writes Glue\'s own log groups and metrics, and gets Lake Formation data access',
    );
  }

  /** Job run (retried while Glue refuses it for concurrency, and once after a failure) → crawl → data-quality evaluations. */
  private definition(name: string, role: iam.IRole, props: GlueStageProps, failed: sfn.IChainable): sfn.Chain {
    const run = new tasks.GlueStartJobRun(this, 'RunJob', {
      glueJobName: this.job.ref,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      arguments: sfn.TaskInput.fromObject({ '--OBJECTS': sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.objects')) }),
      resultSelector: { 'jobRunId.$': '$.Id', 'state.$': '$.JobRunState' },
      resultPath: '$.job',
    });
    run.addRetry({ errors: ['Glue.ConcurrentRunsExceededException'], maxAttempts: 6, interval: Duration.minutes(1), backoffRate: 2 });
    run.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 1, interval: Duration.minutes(1) });
    run.addCatch(failed, { resultPath: '$.error' });

    const crawlerArn = Arn.format({ service: 'glue', resource: 'crawler', resourceName: name }, Stack.of(this));
    const crawl = new tasks.CallAwsService(this, 'UpdateCatalog', {
      service: 'glue',
      action: 'startCrawler',
      parameters: { Name: this.crawler.ref },
      iamResources: [crawlerArn],
      resultPath: sfn.JsonPath.DISCARD,
    });
    const wait = new sfn.Wait(this, 'WaitForCrawler', { time: sfn.WaitTime.duration(Duration.seconds(30)) });
    const state = new tasks.CallAwsService(this, 'CrawlerState', {
      service: 'glue',
      action: 'getCrawler',
      parameters: { Name: this.crawler.ref },
      iamResources: [crawlerArn],
      resultSelector: { 'state.$': '$.Crawler.State' },
      resultPath: '$.crawler',
    });
    state.addCatch(failed, { resultPath: '$.error' });
    const crawled = new sfn.Pass(this, 'CatalogUpdated');
    const alreadyRunning = new sfn.Pass(this, 'CrawlerAlreadyRunning');
    // A crawl started by another run may still be going: it picks up this run's partitions too.
    crawl.addCatch(alreadyRunning, { errors: ['Glue.CrawlerRunningException'], resultPath: sfn.JsonPath.DISCARD });
    crawl.addCatch(failed, { resultPath: '$.error' });
    run.next(crawl);
    crawl.next(wait);
    alreadyRunning.next(wait);
    wait.next(state).next(new sfn.Choice(this, 'CrawlerDone').when(sfn.Condition.stringEquals('$.crawler.state', 'READY'), crawled).otherwise(wait));

    let last = sfn.Chain.start(crawled);
    for (const [table, ruleset] of Object.entries(props.qualityRulesets ?? {})) {
      const evaluate = new tasks.CallAwsService(this, `EvaluateQuality-${table}`, {
        service: 'glue',
        action: 'startDataQualityRulesetEvaluationRun',
        parameters: {
          DataSource: { GlueTable: { DatabaseName: props.databaseName, TableName: table } },
          Role: role.roleArn,
          RulesetNames: [ruleset],
        },
        iamResources: [Arn.format({ service: 'glue', resource: 'dataQualityRuleset', resourceName: ruleset }, Stack.of(this))],
        additionalIamStatements: [new iam.PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] })],
        resultSelector: { 'runId.$': '$.RunId' },
        resultPath: `$.quality.${table}`,
      });
      evaluate.addCatch(failed, { resultPath: '$.error' });
      last = last.next(evaluate);
    }
    return sfn.Chain.custom(run, last.endStates, last);
  }

  /** Read and add partitions of the data product's tables, in the Glue catalog and Lake Formation. */
  private grantCatalog(role: iam.IRole, props: GlueStageProps) {
    const stack = Stack.of(this);
    const arn = (resource: string, name?: string) => Arn.format({ service: 'glue', resource, resourceName: name }, stack);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'Catalog',
        actions: [
          'glue:GetDatabase',
          'glue:GetTable',
          'glue:GetTables',
          'glue:GetPartition',
          'glue:GetPartitions',
          'glue:BatchGetPartition',
          'glue:CreatePartition',
          'glue:BatchCreatePartition',
          'glue:UpdatePartition',
          'glue:GetDataQualityRuleset',
          'glue:PublishDataQuality',
        ],
        resources: [
          arn('catalog'),
          arn('database', props.databaseName),
          ...props.tableNames.map((table) => arn('table', `${props.databaseName}/${table}`)),
          ...Object.values(props.qualityRulesets ?? {}).map((ruleset) => arn('dataQualityRuleset', ruleset)),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CrawlerLogs',
        // Glue's crawler log group is the account's: the crawler's own stream in it, named as the crawler.
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [Arn.format({ service: 'logs', resource: 'log-group', resourceName: `${glueCrawlerLogGroup()}:log-stream:${this.stageName}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'BookmarkKey',
        // The key of the platform's security configuration: the domain environment's, by its tags.
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [Arn.format({ service: 'kms', resource: 'key', resourceName: '*' }, stack)],
        conditions: { StringEquals: { 'aws:ResourceTag/sdlf:domain': props.domain, 'aws:ResourceTag/sdlf:environment': props.environment } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'GlueMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
      }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'LakeFormationData', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }));
    // The tables are in Lake Formation's hands (no IAMAllowedPrincipals): the role needs its grants,
    // on the contract's tables by name, so a table added to the database later is not the job's.
    for (const table of props.tableNames) {
      new lakeformation.CfnPrincipalPermissions(this, `TablePermissions-${table}`, {
        principal: { dataLakePrincipalIdentifier: role.roleArn },
        permissions: ['SELECT', 'INSERT', 'ALTER', 'DESCRIBE'],
        permissionsWithGrantOption: [],
        resource: { table: { catalogId: stack.account, databaseName: props.databaseName, name: table } },
      });
    }
  }
}
