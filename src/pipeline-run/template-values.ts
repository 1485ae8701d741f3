import { AssemblyStack, CloudAssembly, TemplateResource } from './cloud-assembly';

/** A resource of a stack that a resolved value came from (through `Ref` or `Fn::GetAtt`). */
export interface ResourceReference {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly resource: TemplateResource;
}

/** The property of each resource type that names it, when the template gives the name. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Glue::Job': 'Name',
  'AWS::Glue::Crawler': 'Name',
  'AWS::Glue::DataQualityRuleset': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
};

// Private-use characters, which no template holds, around the index of a reference: a resolved
// definition keeps where each of its values came from until its states are read.
const MARK_START = '\uE000';
const MARK_END = '\uE001';
const MARK = new RegExp(`${MARK_START}(\\d+)${MARK_END}`, 'g');

/**
 * The values of a stack's template as CloudFormation would resolve them when deploying it to the
 * stack's account and region: pseudo parameters, `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`,
 * `Fn::Select`, `Fn::Split` and `Fn::ImportValue` (from the exports of the assembly's other stacks).
 *
 * A resource whose template gives no name gets the one CloudFormation would derive, without the
 * random suffix: `<stack name>-<logical ID>` (lowercase for a bucket), so that the local run's
 * buckets, tables and functions have stable names.
 */
export class TemplateValues {
  private readonly references: ResourceReference[] = [];

  constructor(
    private readonly assembly: CloudAssembly,
    public readonly stack: AssemblyStack,
  ) {}

  /** A value of the template, resolved. */
  public resolve(value: unknown): any {
    return this.unmark(this.resolveIn(this.stack, value, false));
  }

  /**
   * A value resolved with marks where a reference was: {@link referencesIn} finds the resources
   * of a part of it, {@link unmark} gives its plain value. Strings only (a definition's JSON).
   */
  public resolveMarked(value: unknown): string {
    return String(this.resolveIn(this.stack, value, true));
  }

  /** The resources a marked value refers to, in order, each once. */
  public referencesIn(marked: unknown): ResourceReference[] {
    const found = new Set<number>();
    const visit = (value: unknown) => {
      if (typeof value === 'string') {
        for (const match of value.matchAll(MARK)) {
          found.add(Number(match[1]));
        }
      } else if (value && typeof value === 'object') {
        Object.entries(value).forEach(([key, inner]) => {
          visit(key);
          visit(inner);
        });
      }
    };
    visit(marked);
    return [...found].sort((a, b) => a - b).map((index) => this.references[index]);
  }

  /** A marked value without its marks. */
  public unmark<T>(marked: T): T {
    if (typeof marked === 'string') {
      return marked.replace(MARK, '').replace(new RegExp(`[${MARK_START}${MARK_END}]`, 'g'), '') as T;
    }
    if (Array.isArray(marked)) {
      return marked.map((item) => this.unmark(item)) as T;
    }
    if (marked && typeof marked === 'object') {
      return Object.fromEntries(Object.entries(marked).map(([key, value]) => [this.unmark(key), this.unmark(value)])) as T;
    }
    return marked;
  }

  /** The physical name of a resource of a stack, as CloudFormation would give it. */
  public physicalName(stack: AssemblyStack, logicalId: string): string {
    const resource = stack.template.Resources?.[logicalId];
    const property = resource && NAME_PROPERTIES[resource.Type];
    const given = property && resource.Properties?.[property];
    if (given !== undefined) {
      return this.unmark(String(this.resolveIn(stack, given, false)));
    }
    const derived = `${stack.stackName}-${logicalId}`;
    return resource?.Type === 'AWS::S3::Bucket' ? derived.toLowerCase().slice(0, 63).replace(/[-.]+$/, '') : derived;
  }

  private resolveIn(stack: AssemblyStack, value: unknown, mark: boolean): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolveIn(stack, item, mark));
    }
    if (!value || typeof value !== 'object') {
      return value;
    }
    const entries = Object.entries(value);
    if (entries.length !== 1 || !(entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      return Object.fromEntries(entries.map(([key, inner]) => [key, this.resolveIn(stack, inner, mark)]));
    }
    const [fn, args] = entries[0] as [string, any];
    const resolved = (inner: unknown) => this.resolveIn(stack, inner, mark);
    switch (fn) {
      case 'Ref':
        return this.ref(stack, String(args), mark);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(args) ? args : String(args).split(/\.(.*)/s);
        return this.marked(stack, logicalId, this.attribute(stack, logicalId, String(resolved(attribute))), mark);
      }
      case 'Fn::Join':
        return (resolved(args[1]) as unknown[]).map(String).join(String(args[0]));
      case 'Fn::Select':
        return (resolved(args[1]) as unknown[])[Number(resolved(args[0]))];
      case 'Fn::Split':
        return String(resolved(args[1])).split(String(args[0]));
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(args) ? [args[0], resolved(args[1] ?? {}) as Record<string, unknown>] : [args, {}];
        return String(text).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
          if (name in variables) return String(variables[name]);
          const [logicalId, attribute] = name.split(/\.(.*)/s);
          if (attribute === undefined) {
            return String(this.ref(stack, logicalId, mark));
          }
          return this.marked(stack, logicalId, this.attribute(stack, logicalId, attribute), mark);
        }).replace(/\$\{!/g, '${');
      }
      case 'Fn::ImportValue':
        return this.importValue(String(resolved(args)), mark);
      case 'Fn::GetAZs':
        return ['a', 'b', 'c'].map((zone) => `${stack.region}${zone}`);
      case 'Fn::Base64':
        return Buffer.from(String(resolved(args))).toString('base64');
      default:
        throw new Error(`${stack.displayName}: the local run cannot resolve ${fn}`);
    }
  }

  private ref(stack: AssemblyStack, name: string, mark: boolean): unknown {
    const pseudo: Record<string, string> = {
      'AWS::Region': stack.region,
      'AWS::AccountId': stack.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${stack.region}:${stack.account}:stack/${stack.stackName}/local`,
      'AWS::NoValue': '',
    };
    if (name in pseudo) {
      return pseudo[name];
    }
    const parameter = stack.template.Parameters?.[name];
    if (parameter) {
      return this.resolveIn(stack, parameter.Default, mark);
    }
    const resource = stack.template.Resources?.[name];
    if (!resource) {
      throw new Error(`${stack.displayName}: Ref to ${name}, which is no resource or parameter of the template`);
    }
    // What Ref gives for each type: a queue's URL, a topic's or state machine's ARN, else the name.
    const physical = this.physicalName(stack, name);
    const value = resource.Type === 'AWS::SQS::Queue'
      ? `https://sqs.${stack.region}.amazonaws.com/${stack.account}/${physical}`
      : ['AWS::SNS::Topic', 'AWS::StepFunctions::StateMachine'].includes(resource.Type) ? this.arnOf(stack, resource.Type, physical) : physical;
    return this.marked(stack, name, value, mark);
  }

  private attribute(stack: AssemblyStack, logicalId: string, attribute: string): string {
    const resource = stack.template.Resources?.[logicalId];
    if (!resource) {
      throw new Error(`${stack.displayName}: Fn::GetAtt of ${logicalId}, which is no resource of the template`);
    }
    const physical = this.physicalName(stack, logicalId);
    switch (attribute) {
      case 'Arn':
        return this.arnOf(stack, resource.Type, physical);
      case 'QueueName':
      case 'Name':
      case 'TopicName':
        return physical;
      case 'QueueUrl':
        return `https://sqs.${stack.region}.amazonaws.com/${stack.account}/${physical}`;
      case 'RegionalDomainName':
        return `${physical}.s3.${stack.region}.amazonaws.com`;
      case 'DomainName':
        return `${physical}.s3.amazonaws.com`;
      default:
        return `${physical}.${attribute}`;
    }
  }

  /** The ARN of a resource of `type` named `name` in the stack's account and region. */
  private arnOf(stack: AssemblyStack, type: string, name: string): string {
    const { region, account } = stack;
    switch (type) {
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${region}:${account}:function:${name}`;
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
      case 'AWS::DynamoDB::Table': return `arn:aws:dynamodb:${region}:${account}:table/${name}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${region}:${account}:${name}`;
      case 'AWS::SNS::Topic': return `arn:aws:sns:${region}:${account}:${name}`;
      case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${account}:role/${name}`;
      case 'AWS::KMS::Key': return `arn:aws:kms:${region}:${account}:key/${name}`;
      case 'AWS::Events::EventBus': return `arn:aws:events:${region}:${account}:event-bus/${name}`;
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${region}:${account}:log-group:${name}:*`;
      case 'AWS::Glue::Job': return `arn:aws:glue:${region}:${account}:job/${name}`;
      case 'AWS::Glue::Crawler': return `arn:aws:glue:${region}:${account}:crawler/${name}`;
      default: return `arn:aws:${type.split('::')[1].toLowerCase()}:${region}:${account}:${name}`;
    }
  }

  /** The value of an export of a stack of the assembly, resolved in its stack. */
  private importValue(name: string, mark: boolean): unknown {
    for (const stack of this.assembly.stacks) {
      for (const output of Object.values(stack.template.Outputs ?? {})) {
        if (output.Export && this.unmark(String(this.resolveIn(stack, output.Export.Name, false))) === name) {
          return this.resolveIn(stack, output.Value, mark);
        }
      }
    }
    throw new Error(`${this.stack.displayName}: Fn::ImportValue of ${name}, which no stack of the assembly exports`);
  }

  private marked(stack: AssemblyStack, logicalId: string, value: string, mark: boolean): string {
    if (!mark) {
      return value;
    }
    this.references.push({ stack, logicalId, resource: stack.template.Resources![logicalId] });
    return `${MARK_START}${this.references.length - 1}${MARK_END}${value}`;
  }
}
