import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';

/**
 * The cfn-guard binary `@cdklabs/cdk-validator-cfnguard` ships for this machine: the same engine
 * (Guard 3) CloudFormation's Guard hooks run.
 */
export function cfnGuardBinary(): string {
  return (new CfnGuardValidator({ controlTowerRulesEnabled: false }) as any).guard;
}

/** Where a template is deployed: what its references resolve to. */
export interface HookDeployment {
  readonly account: string;
  readonly region: string;
  /** The stack's name: CloudFormation names the roles it creates `<stack>-<logical id>-<suffix>`. */
  readonly stackName: string;
  /** The exports of the other stacks of the app, by export name, as deployed. */
  readonly exports?: Record<string, unknown>;
}

/**
 * A template's resources as a resource-level Guard hook sees them: properties with every
 * intrinsic resolved the way CloudFormation resolves it in `deployment` (a role's or a function's
 * ARN from its name, or from the name CloudFormation gives an unnamed one; pseudo parameters; imports from the
 * other stacks). What needs a deployed value that a hook's rule never compares (a bucket's ARN,
 * a queue's URL) becomes a readable stand-in, `<logical id>.<attribute>`.
 */
export function resolveForHook(template: any, deployment: HookDeployment): any {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': deployment.account,
    'AWS::Region': deployment.region,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': deployment.stackName,
  };
  const roleName = (logical: string) => template.Resources?.[logical]?.Properties?.RoleName ?? `${deployment.stackName}-${logical}-ABCDEF123456`.slice(0, 64);
  const value = (node: any): any => {
    if (Array.isArray(node)) {
      return node.map(value);
    }
    if (node === null || typeof node !== 'object') {
      return node;
    }
    if ('Ref' in node) {
      const type = template.Resources?.[node.Ref]?.Type;
      // A named state machine's Ref is its ARN.
      const stateMachineName = type === 'AWS::StepFunctions::StateMachine' ? template.Resources[node.Ref].Properties?.StateMachineName : undefined;
      if (stateMachineName !== undefined) {
        return `arn:aws:states:${deployment.region}:${deployment.account}:stateMachine:${value(stateMachineName)}`;
      }
      return pseudo[node.Ref] ?? (type === 'AWS::IAM::Role' ? value(roleName(node.Ref)) : template.Parameters?.[node.Ref]?.Default ?? node.Ref.toLowerCase());
    }
    if ('Fn::GetAtt' in node) {
      const [logical, attribute] = typeof node['Fn::GetAtt'] === 'string' ? node['Fn::GetAtt'].split('.') : node['Fn::GetAtt'];
      if (template.Resources?.[logical]?.Type === 'AWS::IAM::Role' && attribute === 'Arn') {
        return `arn:aws:iam::${deployment.account}:role/${value(roleName(logical))}`;
      }
      // A function CloudFormation names is named as a role is: `<stack>-<logical id>-<suffix>`.
      if (template.Resources?.[logical]?.Type === 'AWS::Lambda::Function' && attribute === 'Arn') {
        const name = template.Resources[logical].Properties?.FunctionName ?? `${deployment.stackName}-${logical}-ABCDEF123456`.slice(0, 64);
        return `arn:aws:lambda:${deployment.region}:${deployment.account}:function:${value(name)}`;
      }
      return `${logical}.${attribute}`;
    }
    if ('Fn::ImportValue' in node) {
      const name = value(node['Fn::ImportValue']);
      return deployment.exports?.[name] ?? name;
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'];
      return value(parts).join(separator);
    }
    if ('Fn::Sub' in node) {
      const [text, variables] = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'] : [node['Fn::Sub'], {}];
      const variable = (name: string) => (variables[name] !== undefined ? variables[name] : name.includes('.') ? { 'Fn::GetAtt': name } : { Ref: name });
      return text.replace(/\$\{([^}]+)\}/g, (_: string, name: string) => String(value(variable(name))));
    }
    if ('Fn::Select' in node) {
      const [index, list] = node['Fn::Select'];
      return value(list)[index];
    }
    if ('Fn::Split' in node) {
      const [separator, text] = node['Fn::Split'];
      return String(value(text)).split(separator);
    }
    if ('Fn::If' in node) {
      return value(node['Fn::If'][1]);
    }
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, value(item)]));
  };
  const resolved = (resource: any) => ({ Type: resource.Type, Properties: value(resource.Properties ?? {}) });
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {}).map(([id, resource]) => [id, resolved(resource)]));
  return { Resources: resources };
}

/** The exports of a synthesized stack's template, resolved as deployed. */
export function exportsOf(template: any, deployment: HookDeployment): Record<string, unknown> {
  // Outputs are resolved as the properties of a resource would be.
  const withOutputs = { ...template, Resources: { ...template.Resources, __outputs: { Properties: template.Outputs ?? {} } } };
  const outputs = Object.values(resolveForHook(withOutputs, deployment).Resources.__outputs.Properties as Record<string, any>);
  return Object.fromEntries(outputs.filter((output) => output.Export).map((output) => [output.Export.Name, output.Value]));
}

/** One failure of a Guard rule: the rule, the resources it failed on, and its messages. */
export interface GuardFailure {
  readonly rule: string;
  readonly resources: string[];
  readonly messages: string[];
}

/**
 * Runs the real cfn-guard on `input` (a hook's input: `Resources`, and for a change `HookContext`
 * and `Previous`) with `rules`, and returns every failure, by rule.
 */
export function runGuard(rules: string, input: unknown): GuardFailure[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-'));
  fs.writeFileSync(path.join(dir, 'rules.guard'), rules);
  fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(input));
  let output: string;
  try {
    const flags = ['--rules', path.join(dir, 'rules.guard'), '--data', path.join(dir, 'input.json'), '--output-format', 'json', '--show-summary', 'none', '--structured'];
    output = execFileSync(cfnGuardBinary(), ['validate', ...flags], { encoding: 'utf8' });
  } catch (error: any) {
    // cfn-guard exits 19 when a rule fails, with its report on standard output; anything else is
    // a broken rule or input.
    if (error.status !== 19) {
      throw new Error(`cfn-guard failed (${error.status}): ${error.stderr}`);
    }
    output = error.stdout;
  }
  const failures: GuardFailure[] = [];
  for (const result of JSON.parse(output)) {
    for (const failed of result.not_compliant ?? []) {
      const rule = failed.Rule;
      const text = JSON.stringify(rule.checks);
      const resources = [...new Set([...text.matchAll(/\/(?:Resources|Previous)\/([^/"[]+)/g)].map((match) => match[1]))].sort();
      const messages = new Set<string>();
      collectMessages(rule, messages);
      failures.push({ rule: rule.name, resources, messages: [...messages] });
    }
  }
  return failures;
}

function collectMessages(node: any, into: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach((item) => collectMessages(item, into));
  } else if (node && typeof node === 'object') {
    if (typeof node.custom_message === 'string') {
      into.add(node.custom_message.trim().replace(/\s+/g, ' '));
    }
    Object.values(node).forEach((item) => collectMessages(item, into));
  }
}
