/**
 * Inputs trigger pipelines, synthesized: domain `sales` (account 111111111111) publishes
 * `sales/orders` when its pipeline's last stage succeeds and routes the event to the default bus
 * of `finance` (account 222222222222), which it grants; `finance`'s rule starts its `revenue`
 * pipeline on it. The roles are proved with the policy evaluator, the stacks with the platform's
 * Guard hook (the real cfn-guard), which refuses a hostile route or target.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DomainApp, PlatformApp } from '../../src';
import { boundaryStatements } from '../../src/constructs/private/domain-policies';
import { MESH_INDEX_FORMAT, MESH_INDEX_KIND, MeshIndex } from '../../src/contract/mesh-index';
import { domainAppOf } from '../support/domain-app';
import { contractOfKind, domainRepository } from '../support/domain-repository';
import { exportsOf, resolveForHook, runGuard } from '../support/guard-hook';
import { decide, Principal, resolve } from '../support/iam-evaluation';
import { nagFindings } from '../support/nag';
import { activeContract } from '../support/sample-contract';

const REGION = 'eu-west-1';
const SALES = { account: '111111111111', region: REGION };
const FINANCE = { account: '222222222222', region: REGION };
const OUTSIDER = '999999999999';

const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));

/** `sales/orders`: a Lambda then a Glue stage, granted to domain finance (its account). */
function salesApp(consumerAccount = FINANCE.account): DomainApp {
  const orders = contractOfKind('lambda-glue', 'orders').replace('    value: []', '    value:\n      - domain: finance\n        access: select');
  return domainAppOf(domainRepository({ orders }), { where: SALES, consumerPrincipals: { finance: consumerAccount } });
}

/** `finance/revenue`: a Glue stage that `sales/orders` triggers (`sdlfPipeline.trigger.inputs`), reading it. */
function revenueContract(trigger = 'sales/orders'): string {
  return activeContract('finance', 'finance-data@example.com', 'revenue')
    .replace('    value:\n      stages:\n        - name: light-transform\n          type: lambda', `    value:\n      trigger:\n        inputs: [${trigger}]\n      stages:\n        - name: heavy-transform\n          type: glue\n          trigger: schedule\n          schedule: rate(1 day)`)
    .replace('  - property: sdlfConsumers', '  - property: sdlfInputs\n    value:\n      - sales/orders\n  - property: sdlfConsumers');
}

const INDEX: MeshIndex = {
  kind: MESH_INDEX_KIND,
  format: MESH_INDEX_FORMAT,
  environment: 'dev',
  products: [
    {
      id: 'sales/orders',
      domain: 'sales',
      dataProduct: 'orders',
      status: 'active',
      ...SALES,
      database: 'sales_dev_orders',
      tables: [{ name: 'orders', table: 'orders', columns: ['order_id', 'order_total'] }],
      grants: [{ kind: 'domain', id: 'finance', access: 'select', tables: [{ table: 'orders', columns: ['order_id', 'order_total'] }] }],
    },
  ],
};

function financeApp(index: MeshIndex | null = INDEX): DomainApp {
  const root = domainRepository({ revenue: revenueContract() }, { domain: 'finance' });
  return domainAppOf(root, { domain: 'finance', where: FINANCE, consumerPrincipals: undefined, meshIndex: index ?? undefined });
}

const sales = salesApp().stages[0];
const orders = sales.dataProductStacks[0];
const finance = financeApp().stages[0];
const revenue = finance.dataProductStacks[0];

const PUBLISHED = { 'source': ['sdlf-mesh.sales'], 'detail-type': ['Data Product Published'], 'account': [SALES.account], 'detail': { product: ['sales/orders'], environment: ['dev'] } };

describe('the producer publishes', () => {
  const template = Template.fromStack(orders);

  test('the last stage puts the publication on its default bus when its work succeeded, naming the product, version and environment', () => {
    const [last] = orders.dataProduct.pipeline!.glueStages;
    const states = definitionOf(orders, last.stateMachine).States;
    // After the work (the last data-quality evaluation), before the success is recorded.
    expect(states['EvaluateQuality-orders'].Next).toBe('Publish');
    expect(states.Publish).toMatchObject({
      Resource: 'arn:aws:states:::events:putEvents',
      Next: 'RecordSUCCEEDED',
      Parameters: {
        Entries: [{
          Source: 'sdlf-mesh.sales',
          DetailType: 'Data Product Published',
          Detail: { 'product': 'sales/orders', 'domain': 'sales', 'dataProduct': 'orders', 'version': '1.0.0', 'environment': 'dev', 'execution.$': '$$.Execution.Id' },
        }],
      },
    });
    // The first stage publishes nothing: only the data product's last stage delivers it.
    const [first] = orders.dataProduct.pipeline!.lambdaStages;
    expect(definitionOf(orders, first.stateMachine).States.Publish).toBeUndefined();
  });

  test('a rule routes its own publications to the default bus of each consumer account the contract grants, with a role', () => {
    const rules = template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['sdlf-mesh.sales'] } } });
    expect(Object.values(rules).map((rule: any) => rule.Properties.EventPattern)).toEqual([PUBLISHED]);
    const [target] = (Object.values(rules)[0] as any).Properties.Targets;
    expect(orders.resolve(target.Arn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:${REGION}:${FINANCE.account}:event-bus/default`]] });
    expect(target.RoleArn).toBeDefined();
  });

  test('the route\'s role may put events on the consumer\'s bus it routes to, and on no other', async () => {
    const role = evaluatedRole(orders, 'sales', SALES, (id, resource) => resource.Type === 'AWS::IAM::Role' && id.includes('PublicationRouteRole'));
    const bus = (account: string) => `arn:aws:events:${REGION}:${account}:event-bus/default`;
    // The role's own side: its policy and its boundary (the consumer's bus policy is the platform's, below).
    const decided = await Promise.all([FINANCE.account, OUTSIDER, SALES.account].map((account) => decide(role, { action: 'events:PutEvents', resource: bus(account), resourceAccount: SALES.account })));
    expect(decided).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  test('the boundary lets a stage put its own domain\'s publications only, and route them to the mesh\'s buses only', async () => {
    // A role of the domain that would ask for everything: the boundary decides.
    const greedy: Principal = { ...boundaryOnly('sales', SALES), identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] }] };
    const own = `arn:aws:events:${REGION}:${SALES.account}:event-bus/default`;
    // The role's own side (a bus of another account has its own policy, the platform's, below).
    const put = (source: string, resource = own) =>
      decide(greedy, { action: 'events:PutEvents', resource, resourceAccount: SALES.account, context: { 'events:source': [source], 'events:detail-type': ['Data Product Published'] } });
    expect(await put('sdlf-mesh.sales')).toBe('Allowed');
    expect(await put('sdlf-mesh.finance')).toBe('ImplicitlyDenied');
    expect(await put('aws.s3')).toBe('ImplicitlyDenied');
    const financeBus = `arn:aws:events:${REGION}:${FINANCE.account}:event-bus/default`;
    expect(await put('sdlf-mesh.sales', financeBus)).toBe('Allowed');
    expect(await put('sdlf-mesh.finance', financeBus)).toBe('ImplicitlyDenied');
    expect(await put('sdlf-mesh.sales', `arn:aws:events:${REGION}:${OUTSIDER}:event-bus/default`)).toBe('ImplicitlyDenied');
    expect(await put('sdlf-mesh.sales', `arn:aws:events:${REGION}:${FINANCE.account}:event-bus/other`)).toBe('ImplicitlyDenied');
  });

  test('a consumer in the producer\'s own account needs no route: the event is on its bus already', () => {
    const stage = salesApp(SALES.account).stages[0];
    expect(Template.fromStack(stage.dataProductStacks[0]).findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['sdlf-mesh.sales'] } } })).toEqual({});
  });
});

describe('the consumer listens', () => {
  const template = Template.fromStack(revenue);
  const [first] = revenue.dataProduct.pipeline!.glueStages;

  test('a rule on its default bus matches the input\'s publications from the producer\'s account and starts the first stage, saying who published', () => {
    const rules = template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['sdlf-mesh.sales'] } } });
    expect(Object.values(rules)).toHaveLength(1);
    const rule: any = Object.values(rules)[0];
    expect(rule.Properties.EventPattern).toEqual(PUBLISHED);
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ Ref: revenue.getLogicalId(first.stateMachine.node.defaultChild as any) });
    // EventBridge puts a path's JSON value where its placeholder is: a string with its quotes.
    expect(JSON.parse(target.InputTransformer.InputTemplate.replace(/<([a-z-]+)>/g, '"<$1>"'))).toEqual({
      objects: [],
      published: { product: '<detail-product>', version: '<detail-version>', environment: '<detail-environment>', account: '<account>', time: '<time>' },
    });
  });

  test('the rule\'s role may start its own first stage only, and the boundary keeps every rule\'s role from starting another domain\'s state machine', async () => {
    const role = evaluatedRole(revenue, 'finance', FINANCE, (id, resource) => resource.Type === 'AWS::IAM::Role' && id.includes('EventsRole'));
    const own = `arn:aws:states:${REGION}:${FINANCE.account}:stateMachine:${first.stageName}`;
    const salesMachine = `arn:aws:states:${REGION}:${FINANCE.account}:stateMachine:sdlf-sales-dev-orders-heavy-transform`;
    const start = (principal: Principal, resource: string) => decide(principal, { action: 'states:StartExecution', resource });
    expect(await start(role, own)).toBe('Allowed');
    expect(await start(role, salesMachine)).toBe('ImplicitlyDenied');
    const greedy: Principal = { ...boundaryOnly('finance', FINANCE), identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' }] }] };
    expect(await start(greedy, own)).toBe('Allowed');
    expect(await start(greedy, salesMachine)).toBe('ImplicitlyDenied');
  });

  test('an input that triggers the pipeline but is not linked (no mesh index) starts nothing, and the synth says so', () => {
    const unlinked = financeApp(null).stages[0].dataProductStacks[0];
    expect(Template.fromStack(unlinked).findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: ['sdlf-mesh.sales'] } } })).toEqual({});
    Annotations.fromStack(unlinked).hasInfo('*', Match.stringLikeRegexp('input sales/orders triggers the pipeline but is not linked'));
  });
});

test('the producer and the consumer pass the AWS Solutions rules', () => {
  expect(nagFindings(salesApp())).toEqual([]);
  expect(nagFindings(financeApp())).toEqual([]);
});

describe('the platform', () => {
  const platform = platformApp();
  const assembly = platform.synth();
  const identityOf = (account: string) => platform.identityStacks.find((stack) => stack.account === account)!;
  const rulesOf = (account: string) => {
    const identity = assembly.getStackByName(identityOf(account).stackName);
    const hooks = Object.values(identity.template.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::CloudFormation::GuardHook');
    const uri = /([0-9a-f]{64}\.guard)$/.exec(hooks[0].Properties.RuleLocation.Uri)!;
    return fs.readFileSync(path.join(assembly.directory, `asset.${uri[1]}`), 'utf8');
  };

  test('lets the consumer\'s default bus accept the mesh\'s publications from the producer\'s account, and nothing else from it', async () => {
    const [policy]: any[] = Object.values(Template.fromStack(identityOf(FINANCE.account)).findResources('AWS::Events::EventBusPolicy'));
    expect(policy.Properties.EventBusName).toBe('default');
    const statement = resolve(policy.Properties.Statement, {}, FINANCE);
    expect(statement.Principal).toEqual({ AWS: [`arn:aws:iam::${SALES.account}:root`] });
    const routeRole: Principal = { arn: `arn:aws:iam::${SALES.account}:role/sales-dev-dp-orders-PublicationRouteRole`, account: SALES.account, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] }] };
    const put = (source: string, detailType = 'Data Product Published') =>
      decide(routeRole, { action: 'events:PutEvents', resource: `arn:aws:events:${REGION}:${FINANCE.account}:event-bus/default`, resourceAccount: FINANCE.account, context: { 'events:source': [source], 'events:detail-type': [detailType] } }, { Version: '2012-10-17', Statement: [statement] });
    expect(await put('sdlf-mesh.sales')).toBe('Allowed');
    expect(await put('aws.s3', 'Object Created')).toBe('ImplicitlyDenied');
    expect(await put('sdlf-mesh.sales', 'Something Else')).toBe('ImplicitlyDenied');
  });

  test('accepts the publications of every environment it shares an account with: dev and test in one account get one policy of both meshes', () => {
    const MARKETING = '333333333333';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
    fs.mkdirSync(path.join(dir, 'domains'));
    const register = (domain: string, environments: Array<[string, string]>) =>
      fs.writeFileSync(
        path.join(dir, 'domains', `${domain}.yaml`),
        `domain: ${domain}\nrepository: acme/${domain}-data\nowner: ${domain}-data@example.com\ncostCenter: cc-1\nenvironments:\n` +
          environments.map(([name, account]) => `  - name: ${name}\n    account: "${account}"\n    region: ${REGION}\n`).join(''),
      );
    register('sales', [['dev', SALES.account]]);
    register('marketing', [['test', MARKETING]]);
    // Finance's dev and test share its account: one default bus, one statement of the platform's.
    register('finance', [['dev', FINANCE.account], ['test', FINANCE.account]]);
    const shared = new PlatformApp({
      outdir: outdir(),
      owner: 'platform@example.com',
      environments: [{ name: 'dev', ...SALES }, { name: 'devfinance', ...FINANCE }, { name: 'test', account: MARKETING, region: REGION }],
      domainsDir: path.join(dir, 'domains'),
    });
    const policies = shared.identityStacks.filter((stack) => stack.account === FINANCE.account).flatMap((stack) => Object.values(Template.fromStack(stack).findResources('AWS::Events::EventBusPolicy')) as any[]);
    expect(policies.map((policy) => resolve(policy.Properties.Statement, {}, FINANCE).Principal)).toEqual([{ AWS: [`arn:aws:iam::${SALES.account}:root`, `arn:aws:iam::${MARKETING}:root`] }]);
  });

  test('its hook passes the producer\'s and the consumer\'s stacks', () => {
    expect(hookFailures(rulesOf(SALES.account), salesApp(), SALES)).toEqual([]);
    expect(hookFailures(rulesOf(FINANCE.account), financeApp(), FINANCE)).toEqual([]);
  });

  test('its hook refuses a rule that routes events out of the mesh, or anything but the domain\'s publications', () => {
    const app = salesApp();
    const stack = app.stages[0].domainStack;
    const role = iam.Role.fromRoleArn(stack, 'Role', `arn:aws:iam::${SALES.account}:role/sales-dev-domain-x`);
    let buses = 0;
    const bus = (account: string) => events.EventBus.fromEventBusArn(stack, `Bus${buses++}`, `arn:aws:events:${REGION}:${account}:event-bus/default`);
    new events.Rule(stack, 'Exfiltrate', { eventPattern: { source: ['sdlf-mesh.sales'], detailType: ['Data Product Published'] }, targets: [new targets.EventBus(bus(OUTSIDER), { role })] });
    new events.Rule(stack, 'ForwardObjects', { eventPattern: { source: ['aws.s3'], detailType: ['Object Created'] }, targets: [new targets.EventBus(bus(FINANCE.account), { role })] });
    new events.Rule(stack, 'Impersonate', { eventPattern: { source: ['sdlf-mesh.finance'], detailType: ['Data Product Published'] }, targets: [new targets.EventBus(bus(FINANCE.account), { role })] });
    const failures = hookFailures(rulesOf(SALES.account), app, SALES);
    expect(failures.filter((failure) => failure.includes('sdlf_event_routes')).map((failure) => failure.split(' ')[2].replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['Exfiltrate', 'ForwardObjects', 'Impersonate']);
  });

  test('its hook refuses a rule that starts another domain\'s state machine', () => {
    const app = financeApp();
    const stack = app.stages[0].domainStack;
    const machine = sfn.StateMachine.fromStateMachineArn(stack, 'Theirs', `arn:aws:states:${REGION}:${FINANCE.account}:stateMachine:sdlf-sales-dev-orders-heavy-transform`);
    new events.Rule(stack, 'StartTheirs', { eventPattern: { source: ['aws.s3'], detailType: ['Object Created'] }, targets: [new targets.SfnStateMachine(machine)] });
    const failures = hookFailures(rulesOf(FINANCE.account), app, FINANCE);
    expect(failures.map((failure) => failure.split(' ').slice(1, 2).join(' '))).toEqual(['sdlf_event_rule_own_state_machines']);
    expect(failures[0]).toMatch(/ StartTheirs/);
  });
});

/** The platform: `sales` (account 111111111111) and `finance` (222222222222) registered in dev. */
function platformApp(): PlatformApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-'));
  fs.mkdirSync(path.join(dir, 'domains'));
  const register = (domain: string, account: string) =>
    fs.writeFileSync(
      path.join(dir, 'domains', `${domain}.yaml`),
      `domain: ${domain}\nrepository: acme/${domain}-data\nowner: ${domain}-data@example.com\ncostCenter: cc-1\nenvironments:\n  - name: dev\n    account: "${account}"\n    region: ${REGION}\n`,
    );
  register('sales', SALES.account);
  register('finance', FINANCE.account);
  fs.writeFileSync(path.join(dir, 'governance-policy.yaml'), `allowedConsumers:\n  domainPrincipals:\n    finance: "${FINANCE.account}"\n`);
  return new PlatformApp({
    outdir: outdir(),
    owner: 'platform@example.com',
    environments: [{ name: 'dev', ...SALES }, { name: 'devfinance', ...FINANCE }],
    domainsDir: path.join(dir, 'domains'),
    governancePolicyFile: path.join(dir, 'governance-policy.yaml'),
  });
}

/** A state machine's definition, as deployed in the commercial partition. */
function definitionOf(stack: Stack, machine: sfn.IStateMachine): any {
  const id = stack.getLogicalId(machine.node.defaultChild as sfn.CfnStateMachine);
  const definition = Template.fromStack(stack).toJSON().Resources[id].Properties.DefinitionString;
  const text = definition['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : part.Ref === 'AWS::Partition' ? 'aws' : 'deployed')).join('');
  return JSON.parse(text);
}

/**
 * The hook's failures on every resource of the app, as `stack rule resource`: one resource at a
 * time, as the hook gets them, of the types its rules on event routes and grants read.
 */
function hookFailures(rules: string, app: DomainApp, env: { account: string; region: string }): string[] {
  const assembly = app.synth();
  const deployment = (stackName: string) => ({ ...env, stackName });
  const exports = Object.assign({}, ...assembly.stacks.map((stack) => exportsOf(stack.template, deployment(stack.stackName))));
  const checked = ['AWS::Events::Rule', 'AWS::Events::EventBusPolicy', 'AWS::LakeFormation::PrincipalPermissions', 'AWS::IAM::Role', 'AWS::StepFunctions::StateMachine'];
  return assembly.stacks.flatMap((stack) => {
    const input = resolveForHook(stack.template, { ...deployment(stack.stackName), exports });
    return Object.entries<any>(input.Resources)
      .filter(([, resource]) => checked.includes(resource.Type))
      .flatMap(([id, resource]) => runGuard(rules, { Resources: { [id]: resource } }).map((failure) => `${stack.stackName} ${failure.rule} ${id}`));
  });
}

/** The platform's boundary of `domain`'s roles, resolved in its account, with the mesh's other accounts. */
function boundaryOnly(domain: string, env: { account: string; region: string }): Principal {
  const others = [SALES.account, FINANCE.account].filter((account) => account !== env.account);
  const boundaryStack = new Stack(undefined, 'Boundary', { env });
  const boundary = boundaryStack.resolve(new iam.PolicyDocument({
    statements: boundaryStatements({ domain, environment: 'dev', qualifier: DefaultStackSynthesizer.DEFAULT_QUALIFIER, classificationTagKey: 'sdlf:classification', publicationAccounts: others }),
  }).toJSON());
  return { arn: `arn:aws:iam::${env.account}:role/${domain}-dev-role`, account: env.account, identityPolicies: [], permissionsBoundary: resolve(boundary, {}, env) };
}

/** The role of `stack` that `pick` finds, as the evaluator sees it: its policies, resolved, and the boundary. */
type Env = { account: string; region: string };

function evaluatedRole(stack: Stack, domain: string, env: Env, pick: (id: string, resource: any) => boolean): Principal {
  const template = Template.fromStack(stack).toJSON();
  const values: Record<string, string> = {};
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    if (resource.Type === 'AWS::StepFunctions::StateMachine') {
      values[id] = `arn:aws:states:${env.region}:${env.account}:stateMachine:${resource.Properties.StateMachineName}`;
    }
  }
  const ids = Object.entries<any>(template.Resources).filter(([id, resource]) => pick(id, resource)).map(([id]) => id);
  expect(ids).toHaveLength(1);
  const policies = Object.values<any>(template.Resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(`"${ids[0]}"`));
  const deployment = { ...env, values: new Proxy(values, { get: (target, key: string) => target[key] ?? `deployed-${key}` }) };
  return { ...boundaryOnly(domain, env), arn: `arn:aws:iam::${env.account}:role/${domain}-dev-${ids[0]}`, identityPolicies: policies.map((policy) => resolve(policy.Properties.PolicyDocument, template, deployment)) };
}
