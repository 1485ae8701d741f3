import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DomainStorage } from './domain-storage';
import { platformBoundaryArn } from './private/domain-boundary';
import { alarmTopic, metadataTable } from './private/secure-resources';
import { domainResourcePrefix } from '../domain/names';

/**
 * Props of {@link Domain}.
 */
export interface DomainProps {
  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /**
   * Monthly cost budget of the domain in this environment, in USD: the sum of everything tagged
   * `sdlf:domain=<domain>` (activate the tag as a cost allocation tag once per payer account).
   *
   * @default 100
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * Percentages of the budget (actual cost) at which the alarm topic is told.
   *
   * @default [80, 100]
   */
  readonly budgetAlertThresholds?: number[];

  /**
   * Addresses subscribed to the alarm topic by e-mail.
   *
   * @default - none: subscribe to the topic yourself
   */
  readonly alarmEmails?: string[];

  /**
   * Most data one Athena query of the domain's workgroup may scan; a query above it is cancelled.
   *
   * @default Size.gibibytes(10)
   */
  readonly athenaBytesScannedCutoff?: Size;

  /**
   * Data scanned by the workgroup in a day above which the alarm topic is told.
   *
   * @default Size.tebibytes(1)
   */
  readonly athenaDailyScanAlarm?: Size;

  /**
   * What happens to the key and the buckets when the stack is deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * The domain's data bucket, when it exists already (see `DomainStorageProps.bucket`).
   *
   * @default - a new bucket, encrypted with the domain key
   */
  readonly bucket?: s3.IBucket;

  /**
   * The domain's key, when it exists already (see `DomainStorageProps.encryptionKey`).
   *
   * @default - the key of `bucket` when that has one, else a new customer-managed key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A domain in one environment (SDLF "team"): its storage (one customer-managed key, used with S3
 * bucket keys so the domain pays for one key and few KMS calls), the platform's IAM permissions
 * boundary for every role the domain creates (by ARN), an Athena workgroup (results encrypted in the domain's bucket,
 * configuration enforced, bytes-scanned cutoff), an encrypted SNS alarm topic, a CloudWatch
 * dashboard and alarm, and an AWS Budgets budget on the domain's cost-allocation tag.
 *
 * @example
 * const domain = new Domain(stack, 'Domain', { domain: 'sales', environment: 'dev', alarmEmails: ['sales-data@example.com'] });
 * new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'), permissionsBoundary: domain.permissionsBoundary });
 */
export class Domain extends Construct {
  /** The domain's key and buckets. */
  public readonly storage: DomainStorage;

  /**
   * The boundary of every role the domain creates: the platform's (`sdlf-<domain>-<environment>-boundary`,
   * see `DomainIdentity`), by ARN in the account deployed to. It reaches only the domain's resources.
   */
  public readonly permissionsBoundary: iam.IManagedPolicy;

  /** Where alarms and budget alerts go; encrypted with the domain key. */
  public readonly alarmTopic: sns.ITopic;

  /** The domain's Athena workgroup (aws-cdk-lib has no Athena L2). */
  public readonly workGroup: athena.CfnWorkGroup;

  /** The monthly cost budget. */
  public readonly budget: budgets.CfnBudget;

  /** The domain's dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  /** Processing status of every object of the domain's pipelines (partition key `id`). */
  public readonly metadataTable: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: DomainProps) {
    super(scope, id);
    const name = domainResourcePrefix(props.domain, props.environment);
    this.storage = new DomainStorage(this, 'Storage', {
      domain: props.domain,
      environment: props.environment,
      removalPolicy: props.removalPolicy,
      bucket: props.bucket,
      encryptionKey: props.encryptionKey,
    });
    const { key, bucket } = this.storage;

    const topic = alarmTopic(this, key, `${name} alarms`, ['budgets.amazonaws.com']);
    this.alarmTopic = topic;
    this.metadataTable = metadataTable(this, 'Metadata', key, props.removalPolicy ?? RemovalPolicy.RETAIN, 'id');
    for (const email of props.alarmEmails ?? []) {
      topic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name,
      description: `Queries of domain ${props.domain} (${props.environment})`,
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: (props.athenaBytesScannedCutoff ?? Size.gibibytes(10)).toBytes(),
        resultConfiguration: {
          outputLocation: bucket.s3UrlForObject('athena-results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: key.keyArn },
        },
      },
    });

    // The platform creates the boundary (a boundary the domain made for itself would bind nothing:
    // the domain could change it). Roles get it in DomainStage; here it is for the domain's own roles.
    this.permissionsBoundary = iam.ManagedPolicy.fromManagedPolicyArn(this, 'PermissionsBoundary', platformBoundaryArn(props.domain, props.environment));

    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: name,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyBudgetUsd ?? 100, unit: 'USD' },
        costFilters: { TagKeyValue: [`user:sdlf:domain$${props.domain}`] },
      },
      notificationsWithSubscribers: (props.budgetAlertThresholds ?? [80, 100]).map((threshold) => ({
        notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
        subscribers: [{ subscriptionType: 'SNS', address: this.alarmTopic.topicArn }],
      })),
    });

    const scanned = new cloudwatch.Metric({
      namespace: 'AWS/Athena',
      metricName: 'ProcessedBytes',
      dimensionsMap: { WorkGroup: name },
      statistic: 'Sum',
      period: Duration.days(1),
    });
    const scanAlarm = scanned.createAlarm(this, 'AthenaScanAlarm', {
      alarmDescription: `Domain ${props.domain} (${props.environment}) scanned more than its daily Athena allowance`,
      threshold: (props.athenaDailyScanAlarm ?? Size.tebibytes(1)).toBytes(),
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    scanAlarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: name,
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Athena data scanned per day', left: [scanned], width: 12 }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [scanAlarm], width: 12 }),
        ],
      ],
    });
  }
}
