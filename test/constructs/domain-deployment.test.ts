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
import { CONSUMER_PRINCIPALS, domainRepository } from '../support/domain-repository';
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
    consumerPrincipals: CONSUMER_PRINCIPALS,
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
  // Per environment: two Lambda stages (transform, router, state machine) and a Glue stage (job, router, state machine, schedule).
  expect(roles).toBe(3 * (2 * 3 + 4));
});

test('a role the domain adds itself, even with a boundary of its own choosing, gets the platform\'s boundary', () => {
  const app = new App({ outdir: outdir() });
  const stage = new DomainStage(app, 'sales-dev', { domain: 'sales', environment: 'dev', owner: 'sales-data@example.com' });
  const own = new Stack(stage, 'own', { stackName: 'sales-dev-own', synthesizer: new DomainDeploymentSynthesizer({ domain: 'sales', environment: 'dev' }) });
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
    const stacks = assembly.stacks.filter((artifact) => artifact.hierarchicalId.startsWith(`${stage.stageName}/`));
    expect(stacks).toHaveLength(4);
    for (const artifact of stacks) {
      expect(artifact.assumeRoleArn).toBeUndefined();
      expect(artifact.cloudFormationExecutionRoleArn).toBe(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/sdlf-sales-${environment}-cfn-exec`);
    }
    const manifests = stacks
      .flatMap((stack) => stack.dependencies)
      .filter((artifact): artifact is cxapi.AssetManifestArtifact => artifact instanceof cxapi.AssetManifestArtifact);
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
    // Named resources (Glue jobs, crawlers, the job's log groups) are referenced by their name.
    const named = resource.Properties?.Name ?? resource.Properties?.LogGroupName;
    values[id] = typeof named === 'string' ? named : `${stack.stackName}-${id}-1A2B3C`;
    const arns: Record<string, string> = {
      'AWS::Logs::LogGroup': `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:${values[id]}:*`,
      'AWS::SQS::Queue': `arn:aws:sqs:${DEV.region}:${DEV.account}:${values[id]}`,
      'AWS::Lambda::Function': `arn:aws:lambda:${DEV.region}:${DEV.account}:function:${values[id]}`,
    };
    values[`${id}.Arn`] = arns[resource.Type] ?? `arn:aws:iam::${DEV.account}:role/${values[id]}`;
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

  test('CloudFormation, with the domain\'s execution role, may create every resource of every stack of the stage', async () => {
    const executionRole = Object.values<any>(identityTemplate.Resources).find((resource) => resource.Properties?.RoleName === 'sdlf-sales-dev-cfn-exec');
    const execution: Principal = {
      arn: `arn:aws:iam::${DEV.account}:role/sdlf-sales-dev-cfn-exec`,
      account: DEV.account,
      identityPolicies: executionRole.Properties.Policies.map((policy: any) => resolve(policy.PolicyDocument, identityTemplate, DEV)),
    };
    const arn = (service: string, resource: string) => `arn:aws:${service}:${DEV.region}:${DEV.account}:${resource}`;
    const requests: Array<[where: string, action: string, resource: string, context: Record<string, string>]> = [];
    for (const domainStack of app.stages[0].node.findAll().filter(Stack.isStack)) {
      const resources = Template.fromStack(domainStack).toJSON().Resources as Record<string, any>;
      // The names CloudFormation gives what it names itself: `<stack>-<logical id>-<suffix>`, cut to the service's limit.
      const generated = (id: string, limit = 64) => `${domainStack.stackName}-${id}`.slice(0, limit - 7) + '-1A2B3C';
      const nameOf = (id: string): string => {
        const { Type, Properties: p = {} } = resources[id];
        const named = p.Name ?? p.StateMachineName ?? p.DashboardName ?? p.AliasName ?? p.LogGroupName ?? p.Budget?.BudgetName
          ?? p.DatabaseInput?.Name;
        return typeof named === 'string' ? named : Type === 'AWS::S3::Bucket' ? generated(id, 63).toLowerCase() : generated(id);
      };
      const ref = (value: any): string => (typeof value === 'string' ? value : nameOf(value.Ref ?? value['Fn::GetAtt'][0]));
      const boundaryArn = `arn:aws:iam::${DEV.account}:policy/sdlf-sales-dev-boundary`;
      for (const [id, { Type, Properties: p = {} }] of Object.entries(resources)) {
        const add = (action: string, resource: string, context: Record<string, string> = {}) => requests.push([`${domainStack.stackName}/${id}`, action, resource, context]);
        const tagList = Array.isArray(p.Tags) ? p.Tags.map((tag: any) => [tag.Key, tag.Value]) : Object.entries(p.Tags ?? {});
        const tags = Object.fromEntries(tagList.map(([key, value]: [string, string]) => [`aws:RequestTag/${key}`, value]));
        const role = (value: any) => `arn:aws:iam::${DEV.account}:role/${ref(value)}`;
        switch (Type) {
          case 'AWS::CDK::Metadata': break;
          case 'AWS::S3::Bucket': add('s3:CreateBucket', `arn:aws:s3:::${nameOf(id)}`); break;
          case 'AWS::S3::BucketPolicy': add('s3:PutBucketPolicy', `arn:aws:s3:::${ref(p.Bucket)}`); break;
          case 'AWS::KMS::Key': add('kms:CreateKey', '*', tags); break;
          case 'AWS::KMS::Alias': add('kms:CreateAlias', arn('kms', p.AliasName)); break;
          case 'AWS::SNS::Topic': add('sns:CreateTopic', arn('sns', nameOf(id))); break;
          case 'AWS::SNS::TopicPolicy': p.Topics.forEach((topic: any) => add('sns:SetTopicAttributes', arn('sns', ref(topic)))); break;
          case 'AWS::SQS::Queue': add('sqs:CreateQueue', arn('sqs', nameOf(id))); break;
          case 'AWS::SQS::QueuePolicy': p.Queues.forEach((queue: any) => add('sqs:SetQueueAttributes', arn('sqs', ref(queue)))); break;
          case 'AWS::DynamoDB::Table': add('dynamodb:CreateTable', arn('dynamodb', `table/${nameOf(id)}`)); break;
          case 'AWS::Athena::WorkGroup': add('athena:CreateWorkGroup', arn('athena', `workgroup/${nameOf(id)}`)); break;
          case 'AWS::Budgets::Budget': add('budgets:ModifyBudget', `arn:aws:budgets::${DEV.account}:budget/${nameOf(id)}`); break;
          case 'AWS::CloudWatch::Alarm': add('cloudwatch:PutMetricAlarm', arn('cloudwatch', `alarm:${nameOf(id)}`)); break;
          case 'AWS::CloudWatch::Dashboard': add('cloudwatch:PutDashboard', `arn:aws:cloudwatch::${DEV.account}:dashboard/${nameOf(id)}`); break;
          case 'AWS::Events::Rule': {
            // The pattern's source and detail type, as EventBridge gives them to IAM.
            const pattern = p.EventPattern ?? {};
            const keys: Record<string, string[]> = {
              ...(pattern.source ? { 'events:source': pattern.source } : {}),
              ...(pattern['detail-type'] ? { 'events:detail-type': pattern['detail-type'] } : {}),
            };
            requests.push([`${domainStack.stackName}/${id}`, 'events:PutRule', arn('events', `rule/${nameOf(id)}`), keys as any]);
            break;
          }
          case 'AWS::Scheduler::Schedule':
            add('scheduler:CreateSchedule', arn('scheduler', `schedule/default/${p.Name}`));
            add('iam:PassRole', role(p.Target.RoleArn), { 'iam:PassedToService': 'scheduler.amazonaws.com' });
            break;
          case 'AWS::Logs::LogGroup': add('logs:CreateLogGroup', arn('logs', `log-group:${nameOf(id)}`)); break;
          case 'AWS::Glue::Database': add('glue:CreateDatabase', arn('glue', `database/${nameOf(id)}`)); break;
          case 'AWS::Glue::Table': add('glue:CreateTable', arn('glue', `table/${p.DatabaseName}/${p.TableInput.Name}`)); break;
          case 'AWS::Glue::DataQualityRuleset': add('glue:CreateDataQualityRuleset', '*', tags); break;
          case 'AWS::Glue::Job': add('glue:CreateJob', arn('glue', `job/${nameOf(id)}`)); add('iam:PassRole', role(p.Role), { 'iam:PassedToService': 'glue.amazonaws.com' }); break;
          case 'AWS::Glue::Crawler': add('glue:CreateCrawler', '*', tags); add('iam:PassRole', role(p.Role), { 'iam:PassedToService': 'glue.amazonaws.com' }); break;
          case 'AWS::Glue::SecurityConfiguration': add('glue:CreateSecurityConfiguration', '*'); break;
          case 'AWS::LakeFormation::PrincipalPermissions': add('lakeformation:GrantPermissions', '*'); break;
          case 'AWS::LakeFormation::TagAssociation': add('lakeformation:AddLFTagsToResource', '*'); break;
          case 'AWS::IAM::Role': add('iam:CreateRole', role({ Ref: id }), { 'iam:PermissionsBoundary': boundaryArn }); break;
          case 'AWS::IAM::Policy': p.Roles.forEach((value: any) => add('iam:PutRolePolicy', role(value), { 'iam:PermissionsBoundary': boundaryArn })); break;
          case 'AWS::Lambda::Function':
            add('lambda:CreateFunction', arn('lambda', `function:${nameOf(id)}`));
            add('iam:PassRole', role(p.Role), { 'iam:PassedToService': 'lambda.amazonaws.com' });
            if (p.Code?.S3Key) {
              add('s3:GetObject', `arn:aws:s3:::cdk-hnb659fds-assets-${DEV.account}-${DEV.region}/${p.Code.S3Key}`);
            }
            break;
          case 'AWS::Lambda::Permission': add('lambda:AddPermission', arn('lambda', `function:${ref(p.FunctionName)}`)); break;
          case 'AWS::Lambda::EventSourceMapping': add('lambda:CreateEventSourceMapping', '*', { 'lambda:FunctionArn': arn('lambda', `function:${ref(p.FunctionName)}`) }); break;
          case 'AWS::StepFunctions::StateMachine': add('states:CreateStateMachine', arn('states', `stateMachine:${nameOf(id)}`)); add('iam:PassRole', role(p.RoleArn), { 'iam:PassedToService': 'states.amazonaws.com' }); break;
          default: add(`(${Type} is a kind of resource the execution role was not checked for: add it here and to the execution role)`, '*');
        }
      }
    }
    expect(requests.length).toBeGreaterThan(100);
    const decisions = await Promise.all(requests.map(([, action, resource, context]) => (action.startsWith('(') ? action : decide(execution, { action, resource, context }))));
    expect(requests.map(([where, action, resource], index) => `${where} ${action} ${resource}: ${decisions[index]}`).filter((line) => !line.endsWith(': Allowed'))).toEqual([]);
  });

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
      // Its own log groups (Glue 5's `--custom-logGroup-prefix`) and its crawler's own stream.
      ['logs:CreateLogStream', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/sdlf/sales/dev/shipments/heavy-transform/error:log-stream:jr_1-driver`, {}, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/sdlf/sales/dev/shipments/heavy-transform/output:log-stream:jr_1-driver`, {}, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws-glue/crawlers:log-stream:sdlf-sales-dev-shipments-heavy-transform`, {}, 'Allowed'],
      // Not Glue's groups that every job of the account shares, nor another crawler's stream, nor a key on a group.
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws-glue/jobs/output:log-stream:jr_1`, {}, 'ImplicitlyDenied'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws-glue/crawlers:log-stream:sdlf-finance-dev-ledger-heavy-transform`, {}, 'ImplicitlyDenied'],
      ['logs:AssociateKmsKey', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/aws-glue/crawlers-role/x`, {}, 'ImplicitlyDenied'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:/sdlf/finance/dev/ledger/heavy-transform/output:log-stream:jr_1-driver`, {}, 'ImplicitlyDenied'],
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

  test('the router of a batch stage drains its queue and starts its state machine, and no other domain\'s', async () => {
    const queue = values[Object.keys(template.Resources).find((id) => id.startsWith('shipmentsPipelineheavytransformIntakeQueue') && template.Resources[id].Type === 'AWS::SQS::Queue')!];
    const logGroup = values[Object.keys(template.Resources).find((id) => id.startsWith('shipmentsPipelineheavytransformIntakeRouterLogs'))!];
    const states = (name: string) => `arn:aws:states:${DEV.region}:${DEV.account}:stateMachine:${name}`;
    const cases: Case[] = [
      ['sqs:ReceiveMessage', `arn:aws:sqs:${DEV.region}:${DEV.account}:${queue}`, {}, 'Allowed'],
      ['sqs:DeleteMessage', `arn:aws:sqs:${DEV.region}:${DEV.account}:${queue}`, {}, 'Allowed'],
      ['kms:Decrypt', KEY, OWN_KEY, 'Allowed'],
      ['states:StartExecution', states('sdlf-sales-dev-shipments-heavy-transform'), {}, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:${logGroup}:log-stream:2026/11/30`, {}, 'Allowed'],
      ['states:StartExecution', states('sdlf-finance-dev-ledger-heavy-transform'), {}, 'ImplicitlyDenied'],
      ['sqs:ReceiveMessage', `arn:aws:sqs:${DEV.region}:${DEV.account}:finance-dev-dp-ledger-Queue-1A2B3C`, {}, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(roleOf('shipmentsPipelineheavytransformIntakeRouterRole'), cases)).toEqual(expectations(cases));
  });

  test('the Lambda stage\'s transform gets its input objects, puts under its output prefix, writes its logs, and nothing else', async () => {
    const logGroup = values[Object.keys(template.Resources).find((id) => id.startsWith('shipmentsPipelinelighttransformTransformLogs'))!];
    const throughS3 = { ...OWN_KEY, 'kms:ViaService': `s3.${DEV.region}.amazonaws.com` };
    const cases: Case[] = [
      // What the stage skeleton does: get its input object, put the transform of it, with the bucket's key through S3.
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/raw/shipments/x.json`, {}, 'Allowed'],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/stage/shipments/light-transform/x.json`, {}, 'Allowed'],
      ['kms:Decrypt', KEY, throughS3, 'Allowed'],
      ['kms:GenerateDataKey', KEY, throughS3, 'Allowed'],
      ['logs:PutLogEvents', `arn:aws:logs:${DEV.region}:${DEV.account}:log-group:${logGroup}:log-stream:2026/11/30`, {}, 'Allowed'],
      // Nothing more: not the other prefixes, not listing, deleting, tagging or ACLs, not the key outside S3.
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/analytics/shipments/x.parquet`, {}, 'ImplicitlyDenied'],
      ['s3:PutObject', `arn:aws:s3:::${BUCKET}/raw/shipments/x.json`, {}, 'ImplicitlyDenied'],
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/stage/shipments/light-transform/x.json`, {}, 'ImplicitlyDenied'],
      ['s3:GetObject', `arn:aws:s3:::${BUCKET}/raw/orders/x.json`, {}, 'ImplicitlyDenied'],
      ['s3:GetObject', 'arn:aws:s3:::finance-dev-domain-domainstoragedata1a2b3c4d/raw/ledger/x.json', {}, 'ImplicitlyDenied'],
      ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`, { 's3:prefix': 'raw/shipments/' }, 'ImplicitlyDenied'],
      ['s3:DeleteObject', `arn:aws:s3:::${BUCKET}/raw/shipments/x.json`, {}, 'ImplicitlyDenied'],
      ['s3:PutObjectTagging', `arn:aws:s3:::${BUCKET}/stage/shipments/light-transform/x.json`, {}, 'ImplicitlyDenied'],
      ['s3:PutObjectAcl', `arn:aws:s3:::${BUCKET}/stage/shipments/light-transform/x.json`, {}, 'ImplicitlyDenied'],
      ['kms:Decrypt', KEY, OWN_KEY, 'ImplicitlyDenied'],
      ['kms:Encrypt', KEY, throughS3, 'ImplicitlyDenied'],
    ];
    expect(await decisionsOf(roleOf('shipmentsPipelinelighttransformTransformRole'), cases)).toEqual(expectations(cases));
  });
});
