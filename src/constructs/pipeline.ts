import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { GlueStage, GlueStageTrigger } from './glue-stage';
import { LambdaStage } from './lambda-stage';
import { PipelineStageBase, PipelineStageProps } from './pipeline-stage-base';
import { acknowledgeRoleWildcards } from './private/acknowledge-wildcards';
import { ACKNOWLEDGED_CONTROLS, acknowledgeControls } from './private/control-tower';
import { bucketArnFor, grantOnPrincipal, keyThroughS3 } from './private/data-grants';
import { encryptedLogGroup } from './private/secure-resources';
import { findLockFile, StageBundles, stageCodeFile } from './private/stage-bundles';
import { acknowledgeStageRuntime, STAGE_RUNTIME } from './private/stage-runtime';
import { stagePrefixes } from '../contract/stage-prefixes';
import { publicationPattern } from '../domain/publication-events';

/** The kind of a pipeline stage. */
export enum PipelineStageType {
  /** A light transform per object, a Lambda function (SDLF stage A): {@link LambdaStage}. */
  LAMBDA = 'lambda',
  /** A heavy transform in batches, a Glue job (SDLF stage B): {@link GlueStage}. */
  GLUE = 'glue',
}

/** One stage of a {@link Pipeline}, as a contract's `sdlfPipeline` names it. */
export interface PipelineStageSpec {
  /** Stage name: lowercase letters, digits and hyphens. */
  readonly name: string;

  /** What runs the stage. */
  readonly type: PipelineStageType;

  /**
   * What starts a Glue stage.
   *
   * @default GlueStageTrigger.BATCH
   */
  readonly trigger?: GlueStageTrigger;

  /**
   * When a scheduled or batch Glue stage runs: an EventBridge expression, `rate(...)` or `cron(...)`.
   *
   * @default "rate(1 hour)"
   */
  readonly schedule?: string;
}

/** Where a pipeline stage reads and writes in the domain bucket. */
export interface StagePrefixes {
  /** The prefix whose new objects are the stage's input. */
  readonly input: string;

  /** The prefix the stage writes. */
  readonly output: string;
}

/**
 * Props of {@link Pipeline}.
 */
export interface PipelineProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** The data product the pipeline builds. */
  readonly dataProduct: string;

  /** The stages, in order. */
  readonly stages: PipelineStageSpec[];

  /**
   * Folder of the stage code: `<stagesDir>/<data product>/<stage>.ts` for a Lambda stage (it
   * exports `handler`), `<stagesDir>/<data product>/<stage>.py` for a Glue stage (a PySpark script).
   */
  readonly stagesDir: string;

  /** The domain bucket. */
  readonly bucket: s3.IBucket;

  /** The domain key (queues, logs, Glue security configuration). */
  readonly key: kms.IKey;

  /** Status of every stage execution. */
  readonly metadataTable: dynamodb.ITable;

  /** The data product's Glue database. */
  readonly databaseName: string;

  /** The data product's tables (Glue stages add their partitions). */
  readonly tableNames: string[];

  /**
   * Glue Data Quality rulesets by table name, evaluated after each Glue stage run.
   *
   * @default - none
   */
  readonly qualityRulesets?: { [tableName: string]: string };

  /**
   * Where the stages' alarms go.
   *
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The data product's version: the last stage publishes it when it succeeds (see
   * `PipelineStageProps.publishVersion`), which starts the pipelines of consumers that its
   * publication triggers.
   *
   * @default - the pipeline publishes nothing
   */
  readonly version?: string;

  /**
   * What starts the first stage besides its own trigger: the publication of each of these inputs
   * (`<domain>/<data product>`), matched on the account's default event bus. The first stage must
   * be a Glue stage; it runs with no objects, as on its schedule.
   *
   * @default - none
   */
  readonly triggerInputs?: PipelineTriggerInput[];
}

/** An input whose publication starts a {@link Pipeline}. */
export interface PipelineTriggerInput {
  /** `<domain>/<data product>` of the producer. */
  readonly product: string;

  /**
   * The producer's account: only its events are matched.
   *
   * @default - the pipeline's own account
   */
  readonly account?: string;
}

/**
 * The pipeline of a data product (SDLF pipeline): its stages in order, chained through the
 * domain bucket. The first stage reads `raw/<data product>/`; each stage writes
 * `stage/<data product>/<stage>/`, which the next one reads; the last one writes
 * `analytics/<data product>/`, where the data product's tables are. A stage starts when objects
 * land in its input (or on its schedule), so stages stay independent: one can be redeployed,
 * redriven or replaced without touching the others.
 *
 * Stage code comes from the domain repository: a Lambda stage's TypeScript handler is bundled
 * with esbuild (the transform gets `SDLF_INPUT_PREFIX` and `SDLF_OUTPUT_PREFIX` and may read the
 * one and write the other only); a Glue stage's PySpark script becomes an asset of its job.
 * The functions run outside a VPC: they call AWS APIs only (Control Tower's CT.LAMBDA.PR.3 is
 * acknowledged on them with that reason). Log groups keep their events a year, or what the
 * governance policy's `logRetentionDays` says.
 *
 * @example
 * new Pipeline(stack, 'Pipeline', { domain: 'sales', environment: 'dev', dataProduct: 'orders',
 *   stages: [{ name: 'light-transform', type: PipelineStageType.LAMBDA }, { name: 'heavy-transform', type: PipelineStageType.GLUE }],
 *   stagesDir: 'src/stages', bucket, key, metadataTable, databaseName: 'sales_dev_orders', tableNames: ['orders'] });
 */
export class Pipeline extends Construct {
  /** Where a stage of a data product reads and writes, given its place in the pipeline. */
  public static prefixes(dataProduct: string, stages: string[], index: number): StagePrefixes {
    return stagePrefixes(dataProduct, stages, index);
  }

  /** Every stage, in pipeline order. */
  public readonly stages: PipelineStageBase[] = [];

  /** The Lambda stages, in pipeline order. */
  public readonly lambdaStages: LambdaStage[] = [];

  /** The Glue stages, in pipeline order. */
  public readonly glueStages: GlueStage[] = [];

  /** Where the pipeline's input lands in the domain bucket: `raw/<data product>/`. */
  public readonly ingestPrefix: string;

  private readonly bucket: s3.IBucket;
  private readonly dataProduct: string;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const names = props.stages.map((stage) => stage.name);
    this.bucket = props.bucket;
    this.dataProduct = props.dataProduct;
    this.ingestPrefix = Pipeline.prefixes(props.dataProduct, names, 0).input;
    props.stages.forEach((stage, index) => {
      const prefixes = Pipeline.prefixes(props.dataProduct, names, index);
      const common: PipelineStageProps = {
        domain: props.domain,
        environment: props.environment,
        dataProduct: props.dataProduct,
        name: stage.name,
        bucket: props.bucket,
        key: props.key,
        metadataTable: props.metadataTable,
        alarmTopic: props.alarmTopic,
        publishVersion: index === props.stages.length - 1 ? props.version : undefined,
      };
      if (stage.type === PipelineStageType.LAMBDA) {
        const process = this.transform(stage.name, props, prefixes);
        const built = new LambdaStage(this, stage.name, { ...common, process, inputPrefix: prefixes.input });
        this.lambdaStages.push(built);
        this.stages.push(built);
      } else {
        const built = new GlueStage(this, stage.name, {
          ...common,
          script: this.stageCode(props, stage.name, 'py'),
          inputPrefix: prefixes.input,
          outputPrefix: prefixes.output,
          databaseName: props.databaseName,
          tableNames: props.tableNames,
          qualityRulesets: props.qualityRulesets,
          trigger: stage.trigger,
          schedule: stage.schedule ? events.Schedule.expression(stage.schedule) : undefined,
        });
        this.glueStages.push(built);
        this.stages.push(built);
      }
    });
    this.triggerOnInputs(props);
  }

  /**
   * One rule a triggering input, on the account's default bus: the producer's publication of it in
   * this environment, from the producer's account, starts the first stage's state machine with
   * `{ objects: [], published: { product, version, environment, account, time } }`. The rule's
   * role may start that state machine only.
   */
  private triggerOnInputs(props: PipelineProps) {
    const inputs = props.triggerInputs ?? [];
    const first = this.stages[0];
    if (inputs.length === 0) {
      return;
    }
    if (!(first instanceof GlueStage)) {
      throw new Error(`pipeline of ${props.dataProduct}: its inputs' publications start the first stage, which must be a glue stage (a lambda stage transforms the one object it is given)`);
    }
    for (const input of inputs) {
      new events.Rule(this, `Published-${input.product.replace('/', '-')}`, {
        description: `${input.product} published in ${props.environment}: starts ${first.stageName}`,
        eventPattern: publicationPattern(input.product, props.environment, input.account),
        targets: [
          new targets.SfnStateMachine(first.stateMachine, {
            input: events.RuleTargetInput.fromObject({
              objects: [],
              published: {
                product: events.EventField.fromPath('$.detail.product'),
                version: events.EventField.fromPath('$.detail.version'),
                environment: events.EventField.fromPath('$.detail.environment'),
                account: events.EventField.account,
                time: events.EventField.time,
              },
            }),
            retryAttempts: 2,
          }),
        ],
      });
    }
  }

  /**
   * Grants `grantee` writing objects under {@link ingestPrefix} of the domain bucket, which
   * starts the pipeline, and nothing else: no reading, listing or deleting, no other prefix. With
   * the bucket's key it may generate data keys and decrypt, both only through S3, which writing an
   * encrypted object (and completing a multipart upload) takes.
   *
   * @param grantee who delivers the data product's raw data, e.g. the role of an ingestion job
   */
  public grantIngest(grantee: iam.IGrantable): iam.Grant {
    return grantOnPrincipal(
      grantee,
      [
        { actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resourceArns: [`${bucketArnFor(grantee, this.bucket)}/${this.ingestPrefix}*`] },
        ...keyThroughS3(this.bucket.encryptionKey, this, ['kms:GenerateDataKey', 'kms:Decrypt']),
      ],
      `delivers the raw data of ${this.dataProduct}: writes objects under ${this.ingestPrefix} of the domain bucket`,
    );
  }

  /** The Lambda function of a stage, from `<stagesDir>/<data product>/<stage>.ts`. */
  private transform(stage: string, props: PipelineProps, prefixes: StagePrefixes): lambda.IFunction {
    const entry = this.stageCode(props, stage, 'ts');
    const role = new iam.Role(this, `${stage}-TransformRole`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const logGroup = encryptedLogGroup(this, `${stage}-TransformLogs`, props.key);
    logGroup.grantWrite(role);
    // The stage code belongs to the domain repository: bundle it with that repository's lockfile and esbuild.
    const lockFile = findLockFile(path.dirname(entry));
    const projectRoot = lockFile ? path.dirname(lockFile) : path.dirname(entry);
    const functionProps: lambda.FunctionOptions = {
      description: `Stage ${stage} of data product ${props.dataProduct}`,
      timeout: Duration.minutes(5),
      // The stage holds an object's records and their Parquet in memory: a CSV of 100,000 rows
      // (6 MB) takes about 260 MB, which Lambda's default of 128 MB cannot hold. CPU comes with memory.
      memorySize: 1024,
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { SDLF_INPUT_PREFIX: prefixes.input, SDLF_OUTPUT_PREFIX: prefixes.output },
    };
    const code = StageBundles.of(this).code(entry, projectRoot);
    const transform = code
      ? new lambda.Function(this, `${stage}-Transform`, { ...functionProps, runtime: STAGE_RUNTIME, code, handler: 'index.handler' })
      : new nodejs.NodejsFunction(this, `${stage}-Transform`, { ...functionProps, runtime: STAGE_RUNTIME, entry, depsLockFilePath: lockFile, projectRoot, handler: 'handler', bundling: { minify: true } });
    acknowledgeControls(transform, ACKNOWLEDGED_CONTROLS.lambdaInVpc);
    acknowledgeStageRuntime(transform);
    // The transform gets objects of its input prefix and puts objects under its output prefix of the
    // domain bucket, which is all the stage skeleton does: no listing, deleting, tagging or ACLs.
    // (Without s3:ListBucket, S3 answers a missing object with 403; the skeleton says so.)
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [props.bucket.arnForObjects(`${prefixes.input}*`)] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [props.bucket.arnForObjects(`${prefixes.output}*`)] }));
    // SSE-KMS: the key decrypts what it reads and makes the data keys of what it writes, through S3 only.
    for (const statement of keyThroughS3(props.bucket.encryptionKey, this, ['kms:Decrypt', 'kms:GenerateDataKey'])) {
      iam.Grant.addToPrincipal({ grantee: role, ...statement });
    }
    acknowledgeRoleWildcards(role, `the transform reads ${prefixes.input} and writes ${prefixes.output} of the domain bucket, and traces to X-Ray`);
    return transform;
  }

  private stageCode(props: PipelineProps, stage: string, extension: string): string {
    const file = stageCodeFile(props.stagesDir, props.dataProduct, stage, extension);
    if (!fs.existsSync(file)) {
      throw new Error(`${file}: the code of stage "${stage}" of data product "${props.dataProduct}" is missing; run npx projen to write its skeleton`);
    }
    return file;
  }
}
