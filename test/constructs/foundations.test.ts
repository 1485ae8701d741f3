import { App, AspectPriority, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Foundations, GovernancePolicy, GovernanceTags } from '../../src';

const stack = new Stack(new App(), 'platform-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
const foundations = new Foundations(stack, 'Foundations', { environment: 'dev', lakeAdmins: ['arn:aws:iam::111111111111:role/platform-admin'] });
Aspects.of(stack).add(new GovernanceTags({ domain: 'platform', owner: 'platform@example.com', environment: 'dev' }), { priority: AspectPriority.MUTATING });
Aspects.of(stack).add(new GovernancePolicy(), { priority: AspectPriority.READONLY });
const template = Template.fromStack(stack);
const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(foundations.key.node.defaultChild as any), 'Arn'] };

test('one rotating key encrypts the three layers, with bucket keys and access logs', () => {
  template.resourceCountIs('AWS::KMS::Key', 1);
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  for (const layer of ['raw', 'stage', 'analytics']) {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('AccessLogs') }, LogFilePrefix: `${layer}/` },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  }
  template.resourceCountIs('AWS::S3::Bucket', 4);
});

test('the metadata tables are encrypted with the key and recoverable to a point in time', () => {
  const tables = Object.values(template.findResources('AWS::DynamoDB::Table')) as any[];
  expect(tables).toHaveLength(3);
  for (const table of tables) {
    expect(table.Properties.SSESpecification).toEqual({ KMSMasterKeyId: keyArn, SSEEnabled: true, SSEType: 'KMS' });
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  }
});

test('Lake Formation: admins, no IAM-only defaults, the three layers registered, the classification tag', () => {
  template.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
    Admins: [{ DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/platform-admin' }],
    CreateDatabaseDefaultPermissions: [],
    CreateTableDefaultPermissions: [],
    // A producer grants a consumer domain's execution role in another account directly.
    Parameters: { CROSS_ACCOUNT_VERSION: '4' },
  });
  template.resourceCountIs('AWS::LakeFormation::Resource', 3);
  template.hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'sdlf:classification', TagValues: ['public', 'internal', 'confidential', 'restricted'] });
  template.hasResourceProperties('AWS::Glue::DataCatalogEncryptionSettings', {
    DataCatalogEncryptionSettings: { EncryptionAtRest: { CatalogEncryptionMode: 'SSE-KMS', SseAwsKmsKeyId: keyArn } },
  });
});

test('the trail records data events on the three layers', () => {
  const [trail] = Object.values(template.findResources('AWS::CloudTrail::Trail')) as any[];
  expect(trail.Properties.EnableLogFileValidation).toBe(true);
  const selectors = trail.Properties.EventSelectors;
  expect(selectors).toHaveLength(3);
  for (const selector of selectors) {
    expect(selector).toMatchObject({ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object' }] });
  }
});

test('everything a domain needs is published under /sdlf/<environment>/', () => {
  const names = Object.values(template.findResources('AWS::SSM::Parameter')).map((parameter: any) => parameter.Properties.Name).sort();
  expect(names).toEqual([
    '/sdlf/dev/bucket/access-logs',
    '/sdlf/dev/bucket/analytics',
    '/sdlf/dev/bucket/raw',
    '/sdlf/dev/bucket/stage',
    '/sdlf/dev/dynamodb/manifests',
    '/sdlf/dev/dynamodb/object-metadata',
    '/sdlf/dev/dynamodb/pipeline-executions',
    '/sdlf/dev/kms/key-arn',
    '/sdlf/dev/sns/alarm-topic-arn',
  ]);
  expect(Foundations.parameterName('prod', 'bucket/raw')).toBe('/sdlf/prod/bucket/raw');
});

test('the foundations break no rule of the governance policy', () => {
  expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('sdlf-policy')).map((m) => m.entry.data)).toEqual([]);
});
