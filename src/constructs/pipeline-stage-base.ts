import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { resourceName } from './private/resource-name';
import { domainResourcePrefix } from '../domain/names';

/**
 * What every pipeline stage is built with; the props of {@link LambdaStage} and {@link GlueStage}
 * extend it.
 */
export interface PipelineStageProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** The data product the stage works for. */
  readonly dataProduct: string;

  /** Stage name, e.g. `light-transform`. */
  readonly name: string;

  /** The domain bucket: objects created under the input prefix are the stage's input. */
  readonly bucket: s3.IBucket;

  /**
   * Where the stage's input lands in the bucket; in a pipeline, the previous stage's output.
   *
   * @default - `raw/<data product>/` for a {@link LambdaStage}, `stage/<data product>/` for a {@link GlueStage}
   */
  readonly inputPrefix?: string;

  /** The domain key: it encrypts the stage's queues and logs (and a Glue job's bookmarks). */
  readonly key: kms.IKey;

  /** Where the status of each execution is kept (partition key `id`, a string). */
  readonly metadataTable: dynamodb.ITable;

  /**
   * Where the stage's alarms go.
   *
   * @default - alarms without actions
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The data product's version, for the last stage of a pipeline: when an execution succeeds, the
   * stage puts a `Data Product Published` event (source `sdlf-mesh.<domain>`, naming the data
   * product, this version and the environment) on its account's default event bus, where the data
   * product's consumers' rules pick it up.
   *
   * @default - the stage publishes nothing
   */
  readonly publishVersion?: string;
}

/**
 * What every stage of a pipeline is: a Step Functions state machine that records each execution
 * in the metadata table, started from the stage's intake (or schedule), with alarms, named
 * `sdlf-<domain>-<environment>-<data product>-<stage>`. A stage is an `IGrantable`: grant it what
 * its work needs beyond its own prefixes, e.g. `otherProduct.grantRead(stage)`.
 */
export abstract class PipelineStageBase extends Construct implements iam.IGrantable {
  /**
   * The stage's name in its resources' names: `sdlf-<domain>-<environment>-<data product>-<stage>`,
   * shortened with a hash to 80 characters.
   */
  public readonly stageName: string;

  /** The principal the stage's work runs as. */
  public abstract readonly grantPrincipal: iam.IPrincipal;

  /** The state machine of one execution of the stage. */
  public abstract readonly stateMachine: sfn.IStateMachine;

  /** The stage's alarms. */
  public abstract readonly alarms: cloudwatch.IAlarm[];

  /**
   * Names the stage; the subclass builds its work, state machine, start and alarms.
   */
  protected constructor(scope: Construct, id: string, props: PipelineStageProps) {
    super(scope, id);
    this.stageName = resourceName(`${domainResourcePrefix(props.domain, props.environment)}-${props.dataProduct}-${props.name}`, 80);
  }
}
