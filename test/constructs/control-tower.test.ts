/**
 * AWS Control Tower's proactive controls (the guard rules `@cdklabs/cdk-validator-cfnguard` ships)
 * on what the template generates: a domain with both stage kinds and a consumer grant, and the
 * platform's foundations. A finding fails unless its control is in the documented list of
 * acknowledged controls, acknowledged on the resources it does not apply to, with the reason.
 * Then one test for each gap the controls found.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, AspectPriority, Aspects, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DomainApp, GovernancePolicy, GovernancePolicyProps, PlatformApp } from '../../src';
import { ACKNOWLEDGED_CONTROLS } from '../../src/constructs/private/control-tower';
import { CONSUMER_PRINCIPALS, contractOfKind, domainRepository } from '../support/domain-repository';

const ACCOUNT = '111111111111';
const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));

function domainApp(root: string, governancePolicy?: GovernancePolicyProps): DomainApp {
  return new DomainApp({
    outdir: outdir(),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments: [{ name: 'dev', account: ACCOUNT, region: 'eu-west-1' }],
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
    governancePolicy,
    consumerPrincipals: CONSUMER_PRINCIPALS,
  });
}

function platformApp(): PlatformApp {
  return new PlatformApp({ outdir: outdir(), owner: 'platform@example.com', environments: [{ name: 'dev', account: ACCOUNT, region: 'eu-west-1' }] });
}

/** A guard finding as `rule construct-path`, with the reason it was acknowledged with, if it was. */
interface Finding {
  readonly rule: string;
  readonly construct: string;
  readonly reason?: string;
}

/** Synthesizes `app` with the Control Tower guard rules; its findings, acknowledged or not. */
function guardFindings(app: App): Finding[] {
  Validations.of(app).addPlugins(new CfnGuardValidator());
  try {
    app.synth();
  } catch {
    // A finding fails synthesis; the report says which.
  }
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  const guard = report.pluginReports.find((plugin: any) => plugin.pluginName === 'cdk-validator-cfnguard');
  const findings = (violations: any[], acknowledged: boolean): Finding[] =>
    violations.flatMap((violation) =>
      violation.violatingConstructs.map((c: any) => ({
        rule: violation.ruleName,
        construct: c.constructPath,
        ...(acknowledged ? { reason: violation.reason } : {}),
      })),
    );
  return [...findings(guard.violations, false), ...findings(guard.suppressedViolations ?? [], true)];
}

const byRule = new Map(Object.values(ACKNOWLEDGED_CONTROLS).map((control) => [control.rule, control]));

describe('the Control Tower guard rules', () => {
  const domain = guardFindings(domainApp(domainRepository()));
  const platform = guardFindings(platformApp());

  test.each([
    ['the domain', domain],
    ['the platform', platform],
  ])('%s: every finding is an acknowledged control, with its documented reason', (_name, findings) => {
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((finding) => finding.reason === undefined)).toEqual([]);
    for (const finding of findings) {
      const documented = byRule.get(finding.rule)?.reason;
      expect({ construct: finding.construct, reason: finding.reason }).toEqual({ construct: finding.construct, reason: documented });
    }
  });

  test('each acknowledgement covers only the resources it is reasoned for', () => {
    const constructsOf = (rule: string) => [...domain, ...platform].filter((finding) => finding.rule === rule).map((finding) => finding.construct);
    const { objectLock, accessLogsLogging, accessLogsNotifications, accessLogsKmsEncryption } = ACKNOWLEDGED_CONTROLS;
    const { lambdaInVpc, trailToCloudWatchLogs, queueKeyFromDomainStack, logGroupKeyFromDomainStack } = ACKNOWLEDGED_CONTROLS;
    for (const control of [accessLogsLogging, accessLogsNotifications, accessLogsKmsEncryption]) {
      expect(constructsOf(control.rule).sort()).toEqual([
        'platform-dev/foundations/Foundations/AccessLogs/Resource',
        'sales-dev/domain/Domain/Storage/AccessLogs/Resource',
      ]);
    }
    expect(constructsOf(objectLock.rule).every((construct) => /\/(AccessLogs|Data|Raw|Stage|Analytics)\/Resource$/.test(construct))).toBe(true);
    expect(constructsOf(trailToCloudWatchLogs.rule)).toEqual(['platform-dev/foundations/Foundations/Trail/Resource']);
    expect(constructsOf(lambdaInVpc.rule).every((construct) => /\/(Router|[a-z-]+-Transform)\/Resource$/.test(construct))).toBe(true);
    // Encryption with the key of another stack: acknowledged in the data-product stacks only.
    for (const control of [queueKeyFromDomainStack, logGroupKeyFromDomainStack]) {
      const constructs = constructsOf(control.rule);
      expect(constructs.length).toBeGreaterThan(0);
      expect(constructs.every((construct) => construct.startsWith('sales-dev/dp-'))).toBe(true);
    }
  });

  test('the README explains every acknowledged control', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Control Tower controls\n');
    expect(start).toBeGreaterThan(0);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end === -1 ? undefined : end);
    for (const control of Object.values(ACKNOWLEDGED_CONTROLS)) {
      expect(section).toContain(control.control);
    }
  });
});

describe('the queues and log groups the guard cannot see encrypted', () => {
  const app = domainApp(domainRepository({ orders: contractOfKind('lambda', 'orders') }));
  const stage = app.stages[0];
  const template = Template.fromStack(stage.dataProductStacks[0]);

  test('are encrypted with the domain key, imported from the domain stack', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue'));
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect([queues.length, logGroups.length]).toEqual([2, 3]);
    for (const queue of queues) {
      expect(queue.Properties.KmsMasterKeyId).toEqual(expect.objectContaining({ 'Fn::ImportValue': expect.stringMatching(/DomainStorageKey/) }));
    }
    for (const logGroup of logGroups) {
      expect(logGroup.Properties.KmsKeyId).toEqual(expect.objectContaining({ 'Fn::ImportValue': expect.stringMatching(/DomainStorageKey/) }));
    }
  });
});

/** Resolves the intrinsics of a policy of `template` to the strings AWS would see: buckets get their logical ID as name. */
function resolve(value: any, template: any): any {
  if (Array.isArray(value)) {
    return value.map((item) => resolve(item, template));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (value.Ref !== undefined) {
    const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT, 'AWS::Region': 'eu-west-1', 'AWS::URLSuffix': 'amazonaws.com' };
    return pseudo[value.Ref] ?? value.Ref.toLowerCase();
  }
  if (value['Fn::GetAtt'] !== undefined) {
    const [id, attribute] = value['Fn::GetAtt'];
    const type = template.Resources[id]?.Type;
    if (type === 'AWS::S3::Bucket' && attribute === 'Arn') {
      return `arn:aws:s3:::${id.toLowerCase()}`;
    }
    if (type === 'AWS::KMS::Key' && attribute === 'Arn') {
      return `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id.toLowerCase()}`;
    }
    throw new Error(`cannot resolve ${JSON.stringify(value)}`);
  }
  if (value['Fn::Join'] !== undefined) {
    const [separator, parts] = value['Fn::Join'];
    return resolve(parts, template).join(separator);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, template)]));
}

interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourcePolicy: any;
  readonly context?: Record<string, string>;
}

/**
 * The simulator's answer to `principal` doing `action` on `resource` under the resource policy (and,
 * for a role, an identity policy allowing it all). In discovery mode, the conditions on context
 * keys the simulator does not know are left out and returned.
 */
async function simulate(request: Request, simulationMode: 'Strict' | 'Discovery' = 'Strict') {
  const roleOfTheAccount = request.principal.startsWith('arn:');
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: roleOfTheAccount ? [{ name: 'everything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    { simulationMode },
  );
  if (result.resultType !== 'single') {
    throw new Error(`unexpected simulation: ${JSON.stringify(result)}`);
  }
  return { result: result.overallResult, leftOut: (result.result.analysis as any).ignoredConditions };
}

/** Whether the request is allowed, every condition evaluated. */
async function allowed(request: Request): Promise<boolean> {
  return (await simulate(request)).result === 'Allowed';
}

describe('the gaps the controls found', () => {
  const app = domainApp(domainRepository({ orders: contractOfKind('lambda', 'orders') }));
  const domainTemplate = Template.fromStack(app.stages[0].domainStack);
  const foundationsStack = platformApp().foundationsStacks[0];
  const foundations = Template.fromStack(foundationsStack);
  const role = `arn:aws:iam::${ACCOUNT}:role/sales-dev-anyone`;

  test.each([
    ['the domain', domainTemplate],
    ['the foundations', foundations],
  ])('%s: the access-log bucket uses no ACL; the logging service writes each bucket\'s logs under its prefix, by the bucket policy', async (_name, template) => {
    const json = template.toJSON();
    const [[logsId, logsBucket]] = Object.entries(template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.absent() } }));
    expect(logsBucket.Properties.AccessControl).toBeUndefined();
    expect(logsBucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    const [bucketPolicy] = Object.values(template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: logsId } } }));
    const policy = resolve(bucketPolicy.Properties.PolicyDocument, json);
    const dataBuckets = Object.entries(template.findResources('AWS::S3::Bucket', { Properties: { LoggingConfiguration: Match.anyValue() } }));
    expect(dataBuckets.length).toBeGreaterThan(0);
    for (const [id, bucket] of dataBuckets) {
      const prefix = bucket.Properties.LoggingConfiguration.LogFilePrefix;
      expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logsId });
      const delivery = (resource: string, sourceArn: string) =>
        allowed({
          principal: 'logging.s3.amazonaws.com',
          action: 's3:PutObject',
          resource: `arn:aws:s3:::${logsId.toLowerCase()}/${resource}`,
          resourcePolicy: policy,
          context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': ACCOUNT, 'aws:SecureTransport': 'true' },
        });
      expect(await delivery(`${prefix}2026-11-30-log`, `arn:aws:s3:::${id.toLowerCase()}`)).toBe(true);
      // Another bucket cannot have its logs delivered here, nor a bucket its logs under another prefix.
      expect(await delivery(`${prefix}2026-11-30-log`, 'arn:aws:s3:::someone-elses-bucket')).toBe(false);
      expect(await delivery('elsewhere/2026-11-30-log', `arn:aws:s3:::${id.toLowerCase()}`)).toBe(false);
    }
  });

  test('the trail of the lake buckets encrypts its log files with the lake key, which only that trail may use for it', async () => {
    const json = foundations.toJSON();
    const [[keyId, key]] = Object.entries(foundations.findResources('AWS::KMS::Key'));
    const [trail] = Object.values(foundations.findResources('AWS::CloudTrail::Trail'));
    expect(trail.Properties.KMSKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const trailArn = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${trail.Properties.TrailName}`;
    const keyPolicy = resolve(key.Properties.KeyPolicy, json);
    const keyArn = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId.toLowerCase()}`;
    // The simulator does not know encryption-context keys with a colon: in discovery mode it
    // leaves the conditions it cannot settle out and returns them; they are settled here.
    const encryptFor = async (arn: string) => {
      const context: Record<string, string> = { 'aws:SourceArn': arn, 'kms:EncryptionContext:aws:cloudtrail:arn': arn };
      const request = { principal: 'cloudtrail.amazonaws.com', action: 'kms:GenerateDataKey', resource: keyArn, resourcePolicy: keyPolicy, context };
      const { result, leftOut } = await simulate(request, 'Discovery');
      const conditions: any[] = leftOut?.resource?.allow ?? [];
      expect(conditions.map((condition) => condition.key)).toContain('kms:EncryptionContext:aws:cloudtrail:arn');
      return result === 'Allowed' && conditions.every((condition) => condition.op === 'StringEquals' && condition.values.includes(context[condition.key]));
    };
    expect(await encryptFor(trailArn)).toBe(true);
    expect(await encryptFor(`arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/another-trail`)).toBe(false);
  });

  test.each([
    ['the domain key', domainTemplate],
    ['the lake key', foundations],
  ])('%s: a role of the account may use the key but not create a grant on it, unless a service creates it for an AWS resource', async (_name, template) => {
    const [[keyId, key]] = Object.entries(template.findResources('AWS::KMS::Key'));
    const keyPolicy = resolve(key.Properties.KeyPolicy, template.toJSON());
    const request = (action: string, context?: Record<string, string>) =>
      allowed({ principal: role, action, resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${keyId.toLowerCase()}`, resourcePolicy: keyPolicy, context });
    expect(await request('kms:Decrypt')).toBe(true);
    expect(await request('kms:CreateGrant')).toBe(false);
    expect(await request('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).toBe(true);
  });

  test('a dead-letter queue takes the dead letters of its stage queue alone', () => {
    const template = Template.fromStack(app.stages[0].dataProductStacks[0]);
    const [[dlqId, dlq]] = Object.entries(template.findResources('AWS::SQS::Queue', { Properties: { RedriveAllowPolicy: Match.anyValue() } }));
    const [queue] = Object.values(template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } }));
    expect(queue.Properties.QueueName).toBe('sdlf-sales-dev-orders-light-transform-intake');
    expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [dlqId, 'Arn'] });
    expect(dlq.Properties.RedriveAllowPolicy.redrivePermission).toBe('byQueue');
    expect(resolve(dlq.Properties.RedriveAllowPolicy.sourceQueueArns, template.toJSON())).toEqual([
      `arn:aws:sqs:eu-west-1:${ACCOUNT}:sdlf-sales-dev-orders-light-transform-intake`,
    ]);
  });
});

describe('log retention, a governance-policy setting', () => {
  const retentions = (app: DomainApp) =>
    app.stages[0].dataProductStacks.flatMap((stack) => Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).map((group) => group.Properties.RetentionInDays));

  test('log groups keep their events a year by default, and longer when the policy says so', () => {
    const repository = domainRepository({ orders: contractOfKind('lambda', 'orders') });
    expect(retentions(domainApp(repository))).toEqual([365, 365, 365]);
    expect(retentions(domainApp(repository, { logRetentionDays: 731 }))).toEqual([731, 731, 731]);
  });

  test('the policy file sets it; less than a year, or a period CloudWatch Logs lacks, is refused naming the field and the valid values', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')), 'governance-policy.yaml');
    fs.writeFileSync(file, 'logRetentionDays: 1827\n');
    expect(GovernancePolicy.fromFile(file).logRetentionDays).toBe(1827);
    expect(new GovernancePolicy().logRetentionDays).toBe(365);
    for (const days of [90, 500]) {
      expect(() => domainApp(domainRepository({ orders: contractOfKind('lambda', 'orders') }), { logRetentionDays: days })).toThrow(
        `Invalid option "logRetentionDays": ${days} is not a CloudWatch Logs retention period of a year or more; give one of 365, 400, 545, 731,`,
      );
    }
  });

  test('a log group kept less than the policy says breaks it; one that never expires does not', () => {
    const stack = new Stack(new App(), 'checked', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    const policy = new GovernancePolicy({ requiredTags: [], requireEncryption: false, logRetentionDays: 400 });
    Aspects.of(stack).add(policy, { priority: AspectPriority.READONLY });
    new logs.LogGroup(stack, 'Short', { retention: logs.RetentionDays.ONE_YEAR });
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('sdlf-policy')).map((message) => message.entry.data)).toEqual([
      '[sdlf-policy:log-retention] checked/Short/Resource: keeps its events 365 days; keep them at least 400 days',
    ]);
  });
});
