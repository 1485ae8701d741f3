import { App, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Domain } from '../../src';

function domainTemplate(props: Partial<ConstructorParameters<typeof Domain>[2]> = {}) {
  const stack = new Stack(new App(), 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
  const domain = new Domain(stack, 'Domain', { domain: 'sales', environment: 'dev', ...props });
  return { stack, domain, template: Template.fromStack(stack) };
}

const { stack, domain, template } = domainTemplate({ alarmEmails: ['sales-data@example.com'] });
const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(domain.storage.key.node.defaultChild as any), 'Arn'] };

test('one customer-managed key for the whole domain', () => {
  template.resourceCountIs('AWS::KMS::Key', 1);
});

test('the Athena workgroup enforces its configuration, encrypts results in the domain bucket and cuts off big scans', () => {
  template.hasResourceProperties('AWS::Athena::WorkGroup', {
    Name: 'sdlf-sales-dev',
    RecursiveDeleteOption: false,
    WorkGroupConfiguration: {
      EnforceWorkGroupConfiguration: true,
      PublishCloudWatchMetricsEnabled: true,
      BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
      ResultConfiguration: {
        OutputLocation: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('StorageData') }, '/athena-results/']] },
        EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: keyArn },
      },
    },
  });
  domainTemplate({ athenaBytesScannedCutoff: Size.gibibytes(1) }).template.hasResourceProperties('AWS::Athena::WorkGroup', {
    WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 1024 ** 3 }),
  });
});

test('the alarm topic is encrypted with the domain key, TLS-only, and subscribed', () => {
  template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
  template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'sales-data@example.com' });
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'budgets.amazonaws.com' } }),
      ]),
    },
  });
});

test('CloudWatch and Budgets may use the key, to publish to the encrypted topic', () => {
  const [key] = Object.values(template.findResources('AWS::KMS::Key')) as any[];
  const services = key.Properties.KeyPolicy.Statement.filter((statement: any) => statement.Principal?.Service).map((statement: any) => [
    statement.Principal.Service,
    statement.Action,
  ]);
  expect(services).toEqual(
    expect.arrayContaining([
      ['cloudwatch.amazonaws.com', ['kms:Decrypt', 'kms:GenerateDataKey*']],
      ['budgets.amazonaws.com', ['kms:Decrypt', 'kms:GenerateDataKey*']],
    ]),
  );
});

test('the budget follows the domain cost-allocation tag and alerts the topic at each threshold', () => {
  template.hasResourceProperties('AWS::Budgets::Budget', {
    Budget: {
      BudgetName: 'sdlf-sales-dev',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: 100, Unit: 'USD' },
      CostFilters: { TagKeyValue: ['user:sdlf:domain$sales'] },
    },
    NotificationsWithSubscribers: [80, 100].map((threshold) => ({
      Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' },
      Subscribers: [{ SubscriptionType: 'SNS', Address: { Ref: Match.stringLikeRegexp('AlarmTopic') } }],
    })),
  });
});

test('an alarm on the daily Athena scan notifies the topic, and the dashboard shows both', () => {
  template.hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/Athena',
    MetricName: 'ProcessedBytes',
    Dimensions: [{ Name: 'WorkGroup', Value: 'sdlf-sales-dev' }],
    Threshold: 1024 ** 4,
    AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
  });
  template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'sdlf-sales-dev' });
});

test('the domain makes no boundary of its own: its boundary is the platform\'s, by ARN in the account deployed to', () => {
  template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  expect(stack.resolve(domain.permissionsBoundary.managedPolicyArn)).toEqual({
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':policy/sdlf-sales-dev-boundary']],
  });
});

describe('bring your own bucket and key', () => {
  const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-0000-4000-8000-000000000000';

  test('an existing bucket with its key: the domain creates no bucket nor key, and encrypts with that key', () => {
    const own = new Stack(new App(), 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
    const key = kms.Key.fromKeyArn(own, 'LakeKey', KEY_ARN);
    const bucket = s3.Bucket.fromBucketAttributes(own, 'Lake', { bucketName: 'acme-sales-dev-lake', encryptionKey: key });
    const built = new Domain(own, 'Domain', { domain: 'sales', environment: 'dev', bucket });
    const byo = Template.fromStack(own);
    expect(built.storage.bucket).toBe(bucket);
    expect(built.storage.key).toBe(key);
    expect(built.storage.accessLogsBucket).toBeUndefined();
    byo.resourceCountIs('AWS::S3::Bucket', 0);
    byo.resourceCountIs('AWS::KMS::Key', 0);
    byo.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: KEY_ARN, SSEEnabled: true, SSEType: 'KMS' } });
    byo.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: KEY_ARN });
    byo.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        ResultConfiguration: { OutputLocation: 's3://acme-sales-dev-lake/athena-results/', EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: KEY_ARN } },
      }),
    });
  });

  test('an existing key alone encrypts the new data bucket, and the domain creates no key', () => {
    const own = new Stack(new App(), 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
    const key = new kms.Key(own, 'OrganisationKey', { enableKeyRotation: true });
    const built = new Domain(own, 'Domain', { domain: 'sales', environment: 'dev', encryptionKey: key });
    const byo = Template.fromStack(own);
    expect(built.storage.key).toBe(key);
    byo.resourceCountIs('AWS::KMS::Key', 1);
    byo.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: own.resolve(key.keyArn) } })] },
    });
  });

  test('a bucket without a key of its own gets a new domain key for the rest', () => {
    const own = new Stack(new App(), 'sales-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
    const built = new Domain(own, 'Domain', { domain: 'sales', environment: 'dev', bucket: s3.Bucket.fromBucketName(own, 'Lake', 'acme-sales-dev-lake') });
    const byo = Template.fromStack(own);
    byo.resourceCountIs('AWS::S3::Bucket', 0);
    byo.resourceCountIs('AWS::KMS::Key', 1);
    byo.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: own.resolve(built.storage.key.keyArn) });
  });
});
