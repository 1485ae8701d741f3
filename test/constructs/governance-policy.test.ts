import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AspectPriority, Aspects, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DomainApp, GovernancePolicy, GovernancePolicyProps } from '../../src';
import { sampleContract } from '../support/sample-contract';

/** The policy's errors on a stack, without the construct path prefix of each message. */
function errors(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findError('*', Match.stringLikeRegexp('sdlf-policy'))
    .map((message) => String(message.entry.data));
}

function checkedStack(props: GovernancePolicyProps = {}, region = 'eu-west-1'): Stack {
  const stack = new Stack(new App(), 'checked', { env: { account: '111111111111', region } });
  Aspects.of(stack).add(new GovernancePolicy(props), { priority: AspectPriority.READONLY });
  return stack;
}

/** The domain app of the sample contract, in eu-west-1, with a policy from the platform. */
function sampleDomainApp(governancePolicy: GovernancePolicyProps): DomainApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataproducts-'));
  fs.writeFileSync(path.join(dir, 'orders.yaml'), sampleContract());
  return new DomainApp({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-')),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
    dataProductsDir: dir,
    governancePolicy,
  });
}

test('an unencrypted topic, queue and log group fail, each named with its rule', () => {
  const stack = checkedStack({ requiredTags: [] });
  new sns.Topic(stack, 'Topic');
  new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
  new logs.LogGroup(stack, 'Logs');
  expect(errors(stack).sort()).toEqual([
    '[sdlf-policy:encryption] checked/Logs/Resource: AWS::Logs::LogGroup must be encrypted at rest: set KmsKeyId',
    '[sdlf-policy:encryption] checked/Queue/Resource: AWS::SQS::Queue must be encrypted at rest: set KmsMasterKeyId (or SqsManagedSseEnabled)',
    '[sdlf-policy:encryption] checked/Topic/Resource: AWS::SNS::Topic must be encrypted at rest: set KmsMasterKeyId',
  ]);
});

test('an encrypted bucket passes; a resource without the required tags fails', () => {
  const stack = checkedStack();
  new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED });
  expect(errors(stack)).toEqual([
    '[sdlf-policy:required-tags] checked/Bucket/Resource: missing tag(s) sdlf:domain, sdlf:owner, sdlf:cost-center, sdlf:environment, sdlf:managed-by',
  ]);
  const tagged = checkedStack({ requiredTags: ['team'] });
  const bucket = new s3.Bucket(tagged, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED });
  Tags.of(bucket).add('team', 'sales');
  expect(errors(tagged)).toEqual([]);
});

test('a stack outside the allowed regions fails', () => {
  const stack = checkedStack({ allowedRegions: ['eu-west-1', 'eu-central-1'], requiredTags: [] }, 'us-east-1');
  new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED });
  expect(errors(stack)).toEqual(['[sdlf-policy:allowed-regions] checked: region us-east-1 is not allowed; allowed: eu-west-1, eu-central-1']);
});

test('a domain app keeps the policy, and cannot switch the baseline off', () => {
  const app = sampleDomainApp({ requireEncryption: false, requiredTags: ['sdlf:data-steward'] });
  const stack = app.stages[0].domainStack;
  new sns.Topic(stack, 'Unencrypted');
  const found = errors(stack);
  // The extra tag is required on top of the baseline tags, which are present everywhere.
  const tagErrors = found.filter((error) => error.includes('required-tags'));
  expect(tagErrors.length).toBeGreaterThan(0);
  expect(tagErrors.every((error) => /: missing tag\(s\) sdlf:data-steward$/.test(error))).toBe(true);
  expect(found).toContain('[sdlf-policy:encryption] sales-dev/domain/Unencrypted/Resource: AWS::SNS::Topic must be encrypted at rest: set KmsMasterKeyId');
});

test('a domain app from the sample contract breaks no rule', () => {
  const app = sampleDomainApp({ allowedRegions: ['eu-west-1'] });
  expect(errors(app.stages[0].domainStack)).toEqual([]);
});

test('the policy reads from a YAML file, and names an unknown field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  fs.writeFileSync(path.join(dir, 'policy.yaml'), 'allowedRegions: [eu-west-1]\nrequiredTags: [team]\n');
  expect(GovernancePolicy.fromFile(path.join(dir, 'policy.yaml')).requiredTags).toEqual(['team']);
  fs.writeFileSync(path.join(dir, 'bad.yaml'), 'allowedRegion: [eu-west-1]\n');
  expect(() => GovernancePolicy.fromFile(path.join(dir, 'bad.yaml'))).toThrow(
    /bad\.yaml: unknown policy field\(s\) allowedRegion; the fields are requiredTags, allowedRegions, requireEncryption/,
  );
});

test('the consumer allow-list reads from the file; a wrong shape is refused with an example', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  expect(GovernancePolicy.readFile(write('policy.yaml', "allowedConsumers:\n  domains: [marketing]\n  accounts: ['222222222222']\n")).allowedConsumers).toEqual({
    domains: ['marketing'],
    accounts: ['222222222222'],
  });
  // An unquoted account ID is a YAML number: refused rather than compared as a number.
  expect(() => GovernancePolicy.readFile(write('number.yaml', 'allowedConsumers:\n  accounts: [222222222222]\n'))).toThrow(
    /number\.yaml: allowedConsumers\.accounts must be a list of strings \(e\.g\. allowedConsumers: \{ domains: \[marketing\], accounts: \['123456789012'\] \}\)/,
  );
  expect(() => GovernancePolicy.readFile(write('typo.yaml', 'allowedConsumers:\n  role: []\n'))).toThrow(
    /typo\.yaml: unknown field allowedConsumers\.role; the fields are domains, accounts, roles, domainPrincipals/,
  );
  expect(GovernancePolicy.readFile(write('registry.yaml', "allowedConsumers:\n  domainPrincipals:\n    marketing: '333333333333'\n")).allowedConsumers).toEqual({
    domainPrincipals: { marketing: '333333333333' },
  });
  expect(() => GovernancePolicy.readFile(write('list.yaml', 'allowedConsumers:\n  domainPrincipals: [marketing]\n'))).toThrow(
    /list\.yaml: allowedConsumers\.domainPrincipals must map each domain to its principal/,
  );
});
