/**
 * A domain's stacks deploy with the platform's identity for the domain, and every role in them
 * carries the platform's boundary; the pipeline stages still get what they need inside it, proved
 * with a real IAM policy evaluator on the synthesized policies and the platform's boundary.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { DomainApp, DomainDeploymentSynthesizer, DomainEnvironment, DomainStage, PlatformApp } from '../../src';
import { domainRepository } from '../support/domain-repository';
import { decide, Principal, resolve } from '../support/iam-evaluation';
import { nagFindings } from '../support/nag';

const DEV = { account: '111111111111', region: 'eu-west-1' };
const root = domainRepository();
const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));

function domainApp(environments: DomainEnvironment[]): DomainApp {
  return new DomainApp({
    outdir: outdir(),
    domain: 'sales',
    owner: 'sales-data@example.com',
    environments,
    dataProductsDir: path.join(root, 'dataproducts'),
    stagesDir: path.join(root, 'src', 'stages'),
  });
}

// The default environments of a new domain, without accounts: the CLI's credentials decide.
const agnostic = domainApp([{ name: 'dev' }, { name: 'test' }, { name: 'prod' }]);
const nag = nagFindings(agnostic);
const assembly = agnostic.synth();

test('environment-agnostic stages with Lambda and Glue stages pass the AWS Solutions rules', () => {
  expect(nag).toEqual([]);
});

test('every role of every stack carries the platform\'s boundary of its domain and environment', () => {
  const stacksOf = (stage: DomainApp['stages'][number]) => stage.node.children.filter((child): child is Stack => child instanceof Stack);
  const stacks = agnostic.stages.flatMap((stage) => stacksOf(stage).map((stack) => [stage.node.id, stack] as const));
  expect(stacks.length).toBe(12);
  let roles = 0;
  for (const [stage, stack] of stacks) {
    const environment = stage.replace('sales-', '');
    for (const [id, role] of Object.entries(Template.fromStack(stack).findResources('AWS::IAM::Role'))) {
      roles++;
      const boundary = resolve(role.Properties.PermissionsBoundary, {}, { account: '123456789012', region: 'eu-central-1' });
      expect(`${stack.stackName}/${id} ${boundary}`).toBe(`${stack.stackName}/${id} arn:aws:iam::123456789012:policy/sdlf-sales-${environment}-boundary`);
    }
  }
  // Per environment: two Lambda stages (transform, router, state machine) and a Glue stage (job, router, state machine).
  expect(roles).toBe(3 * (2 * 3 + 3));
});

test('a role the domain adds itself, even with a boundary of its own choosing, gets the platform\'s boundary', () => {
  const app = new App({ outdir: outdir() });
  const stage = new DomainStage(app, 'sales-dev', { domain: 'sales', environment: 'dev', owner: 'sales-data@example.com' });
  const own = new Stack(stage, 'own', { synthesizer: new DomainDeploymentSynthesizer({ domain: 'sales', environment: 'dev' }) });
  new iam.Role(own, 'Escalate', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    permissionsBoundary: iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'),
  });
  const [role] = Object.values(Template.fromStack(own).findResources('AWS::IAM::Role'));
  expect(resolve(role.Properties.PermissionsBoundary, {}, DEV)).toBe(`arn:aws:iam::${DEV.account}:policy/sdlf-sales-dev-boundary`);
});

test('the CLI deploys with its own credentials, CloudFormation with the domain\'s execution role, assets under the domain\'s folder', () => {
  for (const stage of agnostic.stages) {
    const environment = stage.node.id.replace('sales-', '');
    const nested = assembly.getNestedAssembly(`assembly-${stage.node.id}`);
    for (const artifact of nested.stacks) {
      expect(artifact.assumeRoleArn).toBeUndefined();
      expect(artifact.cloudFormationExecutionRoleArn).toBe(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/sdlf-sales-${environment}-cfn-exec`);
    }
    const manifests = nested.artifacts.filter((artifact): artifact is cxapi.AssetManifestArtifact => artifact instanceof cxapi.AssetManifestArtifact);
    const keys = manifests.flatMap((manifest) => {
      const files = JSON.parse(fs.readFileSync(manifest.file, 'utf8')).files ?? {};
      return Object.values<any>(files).flatMap((file) => Object.values<any>(file.destinations).map((destination) => `${destination.bucketName} ${destination.objectKey}`));
    });
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^cdk-hnb659fds-assets-\\$\\{AWS::AccountId\\}-\\$\\{AWS::Region\\} sales-${environment}/[0-9a-f]{64}\\.(json|zip|py)$`));
    }
  }
});

describe('the stages work inside the boundary, and only there', () => {
  const app = domainApp([{ name: 'dev', ...DEV }]);
  const registry = fs.mkdtempSync(path.join(os.tmpdir(), 'domains-'));
  fs.writeFileSync(
    path.join(registry, 'sales.yaml'),
    `domain: sales\nrepository: acme/sales-data\nowner: sales-data@example.com\ncostCenter: cc-1\nenvironments:\n  - name: dev\n    account: "${DEV.account}"\n    region: ${DEV.region}\n`,
  );
  const platform = new PlatformApp({ outdir: outdir(), owner: 'platform@example.com', environments: [{ name: 'dev', ...DEV }], domainsDir: registry });
  const identity = platform.domainIdentities[0];
  const identityTemplate = Template.fromStack(Stack.of(identity)).toJSON();
  const boundary = resolve(
    identityTemplate.Resources[Stack.of(identity).getLogicalId(identity.permissionsBoundary.node.defaultChild as any)].Properties.PolicyDocument,
    identityTemplate,
    DEV,
  );

  const BUCKET = 'sales-dev-domain-domainstoragedata1a2b3c4d';
  const KEY = `arn:aws:kms:${DEV.region}:${DEV.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const KEY_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEV.account}:root` }, Action: 'kms:*', Resource: '*' }] };
  const OWN_KEY = { 'aws:ResourceTag/sdlf:domain': 'sales', 'aws:ResourceTag/sdlf:environment': 'dev' };
  // What the domain stack exports, as it is once deployed.
  const exported = (name: string) => {
    const values: Array<[RegExp, string]> = [
      [/bucket-arn$/, `arn:aws:s3:::${BUCKET}`],
      [/bucket-name$/, BUCKET],
      [/StorageKey.*Arn/, KEY],
      [/DomainMetadata/, 'sales-dev-domain-DomainMetadata1A2B3C'],
      [/AlarmTopic/, `arn:aws:sns:${DEV.region}:${DEV.account}:sales-dev-domain-DomainAlarmTopic1A2B3C`],
    ];
    const found = values.find(([pattern]) => pattern.test(name));
    if (!found) {
      throw new Error(`no deployed value for export ${name}`);
    }
    return found[1];
  };

  const stack = Stack.of(app.stages[0].dataProducts.find((product) => product.node.id === 'shipments')!);
  const template = Template.fromStack(stack).toJSON();
  const values: Record<string, string> = {};
  for (const match of JSON.stringify(template).match(/"Fn::ImportValue":"[^"]+"/g) ?? []) {
    const name = match.slice('"Fn::ImportValue":"'.length, -1);
    values[name] = exported(name);
  }
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    // Names CloudFormation gives what the stack creates: `<stack>-<logical id>-<suffix>`.
    // Named resources (Glue jobs, crawlers) are referenced by their name.
    values[id] = typeof resource.Properties?.Name === 'string' ? resource.Properties.Name : `${stack.stackName}-${id}-1A2B3C`;
    values[`${id}.Arn`] = resource.Type === 'AWS::Logs::LogGroup' ? `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:${values[id]}:*` : `arn:aws:iam::${DEV.account}:role/${values[id]}`;
  }
  const deployment = { ...DEV, values };
  /** The role whose logical ID starts with `prefix`, with its policies as deployed and the platform's boundary. */
  const roleOf = (prefix: string): Principal => {
    const [id] = Object.entries<any>(template.Resources).find(([logical, resource]) => resource.Type === 'AWS::IAM::Role' && logical.startsWith(prefix))!;
    const policies = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && resource.Properties.Roles.some((r: any) => r.Ref === id));
    return {
      arn: `arn:aws:iam::${DEV.account}:role/${values[id]}`,
      account: DEV.account,
      identityPolicies: policies.map((policy) => resolve(policy.Properties.PolicyDocument, template, deployment)),
      permissionsBoundary: boundary,
    };
  };
  const script = resolve(Object.values<any>(template.Resources).find((resource) => resource.Type === 'AWS::Glue::Job').Properties.Command.ScriptLocation, template, deployment);
  const glue = (resource: string) => `arn:aws:glue:${DEV.region}:${DEV.account}:${resource}`;

  type Case = [action: string, resource: string, context: Record<string, string>, expected: string];
  async function decisionsOf(principal: Principal, cases: Case[]): Promise<string[]> {
    const one = ([action, resource, context]: Case) => decide(principal, { action, resource, context }, resource.startsWith('arn:aws:kms:') ? KEY_POLICY : undefined);
    const decisions = await Promise.all(cases.map(one));
    return cases.map(([action, resource], index) => `${action} ${resource} ${decisions[index]}`);
  }
  const expectations = (cases: Case[]) => cases.map(([action, resource, , expected]) => `${action} ${resource} ${expected}`);

  test('the Glue job reads its input and script, writes its output, logs, metrics, partitions and quality, and nothing of another domain', async () => {
    const cases: Case[] = [
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/stage/shipments/light-transform/2026/11/30/part-0.json`, {}, 'Allowed'],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/analytics/shipments/shipments/part-0.parquet`, {}, 'Allowed'],
      ['s3:GetObject', script.replace('s3://', 'arn:aws:s3:::'), {}, 'Allowed'],
      ['kms:Decrypt', KEY, OWN_KEY, 'Allowed'],
      ['kms:GenerateDataKey', KEY, OWN_KEY, 'Allowed'],
      ['glue:GetTable', glue('table/sales_dev_shipments/shipments'), {}, 'Allowed'],
      ['glue:BatchCreatePartition', glue('table/sales_dev_shipments/shipments'), {}, 'Allowed'],
      ['glue:PublishDataQuality', glue('dataQualityRuleset/sales_dev_shipments.shipments'), {}, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws-glue/jobs/logs-v2:log-stream:jr_1`, {}, 'Allowed'],
      ['logs:AssociateKmsKey', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws-glue/crawlers-role/x`, {}, 'Allowed'],
      ['cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'Glue' }, 'Allowed'],
      ['lakeformation:GetDataAccess', '*', {}, 'Allowed'],
      // Another domain, another prefix, another environment.
      ['s3:GetObject', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c4d/stage/ledger/part-0.json', {}, 'ImplicitlyDenied'],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/raw/shipments/x.json`, {}, 'ImplicitlyDenied'],
      ['s3:GetObject', `arn:aws:s3:::cdk-hnb659fds-assets-${DEV.account}-${DEV.region}/finance-dev/script.py`, {}, 'ImplicitlyDenied'],
      ['glue:GetTable', glue('table/finance_dev_ledger/entries'), {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, { 'aws:ResourceTag/sdlf:domain': 'finance', 'aws:ResourceTag/sdlf:environment': 'dev' }, 'ImplicitlyDenied'],
      ['cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'Finance' }, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(roleOf('shipmentsPipelineheavytransformRole'), cases)).toEqual(expectations(cases));
  });

  test('the Glue stage\'s state machine runs its job, crawler and quality evaluation and records each run', async () => {
    const cases: Case[] = [
      ['glue:StartJobRun', glue('job/sdlf-sales-dev-shipments-heavy-transform'), {}, 'Allowed'],
      ['glue:StartCrawler', glue('crawler/sdlf-sales-dev-shipments-heavy-transform'), {}, 'Allowed'],
      ['glue:StartDataQualityRulesetEvaluationRun', glue('dataQualityRuleset/sales_dev_shipments.shipments'), {}, 'Allowed'],
      ['dynamodb:UpdateItem', `arn:aws:dynamodb:${DEV.region}:${DEV.account}:table/sales-dev-domain-DomainMetadata1A2B3C`, {}, 'Allowed'],
      ['xray:PutTraceSegments', '*', {}, 'Allowed'],
      ['glue:StartJobRun', glue('job/sdlf-finance-dev-ledger-heavy-transform'), {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(roleOf('shipmentsPipelineheavytransformStateMachineRole'), cases)).toEqual(expectations(cases));
  });

  test('the Lambda stage\'s transform reads raw/, writes its output and its logs, and nothing else', async () => {
    const logGroup = values[Object.keys(template.Resources).find((id) => id.startsWith('shipmentsPipelinelighttransformTransformLogs'))!];
    const cases: Case[] = [
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/raw/shipments/x.json`, {}, 'Allowed'],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/stage/shipments/light-transform/x.json`, {}, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:${logGroup}:log-stream:2026/11/30`, {}, 'Allowed'],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/analytics/shipments/x.parquet`, {}, 'ImplicitlyDenied'],
      ['s3:GetObject', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c4d/raw/ledger/x.json', {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(roleOf('shipmentsPipelinelighttransformTransformRole'), cases)).toEqual(expectations(cases));
  });
});
