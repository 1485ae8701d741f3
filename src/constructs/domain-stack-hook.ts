import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { ConsumerAllowList } from '../domain/consumer-allow-list';
import { domainHookAlias, renderDomainStackRules } from '../platform/domain-stack-rules';

/**
 * Props of {@link DomainStackHook}.
 */
export interface DomainStackHookProps {
  /** The domain, as registered. */
  readonly domain: string;

  /** The environment, e.g. `dev`. */
  readonly environment: string;

  /** The account the domain environment deploys to (the hook's own). */
  readonly account: string;

  /**
   * The role CloudFormation deploys the domain's stacks with: the hook evaluates every stack
   * operation made with it, and only those.
   */
  readonly executionRole: iam.IRole;

  /**
   * The consumers the governance policy allows: a Lake Formation grant of the domain goes only to
   * their principals (and to the domain's own roles).
   *
   * @default - the baseline: no account, no role, no registered domain principal
   */
  readonly allowedConsumers?: ConsumerAllowList;

  /** The governance tags every taggable resource carries. */
  readonly requiredTags: string[];

  /**
   * The accounts the domain may route its data products' publications to: an event rule of the
   * domain sends events to no other bus than their default buses.
   *
   * @default - none: no event rule of the domain sends events to a bus
   */
  readonly publicationAccounts?: string[];

  /**
   * The platform's classification LF-tag.
   *
   * @default "sdlf:classification"
   */
  readonly classificationTagKey?: string;
}

/**
 * The platform's preventive control on one domain environment: a CloudFormation Guard hook
 * (`AWS::CloudFormation::GuardHook`) that evaluates every resource of every stack operation made
 * with the domain's execution role, before CloudFormation acts, and fails the operation with the
 * rule's message. Its rules ({@link renderDomainStackRules}) hold the platform's values: Lake
 * Formation grants only to allowed principals and by name (never a wildcard or an LF-tag
 * expression), the classification LF-tag attached but never lowered or removed from a sensitive
 * column, roles trusted by AWS services only, the governance tags with the domain's values.
 *
 * The domain cannot skip it: the hook is the platform's, in the platform's stack, its rules a file
 * asset in the platform's bootstrap bucket (the domain's deploy role writes only under its own
 * folder there), its target the execution role, the only role the domain's deploy role may pass
 * to CloudFormation. The rules file's key is its content hash: a changed rule is a new object the
 * hook is pointed at by the platform's next deploy.
 *
 * @example
 * new DomainStackHook(stack, 'SalesDevHook', { domain: 'sales', environment: 'dev', account: '111111111111', executionRole, requiredTags: ['sdlf:domain'] });
 */
export class DomainStackHook extends Construct {
  /** The Guard rules the hook evaluates, as rendered. */
  public readonly rules: string;

  /** The hook. */
  public readonly hook: cloudformation.CfnGuardHook;

  /** The role the hook reads its rules with. */
  public readonly hookRole: iam.IRole;

  constructor(scope: Construct, id: string, props: DomainStackHookProps) {
    super(scope, id);
    this.rules = renderDomainStackRules({
      domain: props.domain,
      environment: props.environment,
      account: props.account,
      allowedConsumers: props.allowedConsumers,
      requiredTags: props.requiredTags,
      classificationTagKey: props.classificationTagKey ?? 'sdlf:classification',
      publicationAccounts: props.publicationAccounts,
    });
    // An asset is a file: the rules are written into the cloud assembly this synth writes (the
    // build's output, not the user's temporary folder); the asset's key is their hash, so the
    // same rules give the same object.
    const rulesDir = path.join(Stage.of(this)?.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-guard-')), 'sdlf-guard-rules');
    fs.mkdirSync(rulesDir, { recursive: true });
    const file = path.join(rulesDir, `${props.domain}-${props.environment}.guard`);
    fs.writeFileSync(file, this.rules);
    const rules = new s3assets.Asset(this, 'Rules', { path: file });

    const role = new iam.Role(this, 'HookRole', {
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com'),
      description: `CloudFormation's Guard hook of domain ${props.domain} (${props.environment}) reads its rules with this role`,
    });
    // What CloudFormation's documentation asks of a Guard hook's role: list the bucket, read the rules.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [rules.bucket.arnForObjects(rules.s3ObjectKey)] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [rules.bucket.bucketArn] }));
    this.hookRole = role;

    this.hook = new cloudformation.CfnGuardHook(this, 'Hook', {
      alias: domainHookAlias(props.domain, props.environment),
      executionRole: role.roleArn,
      ruleLocation: { uri: rules.s3ObjectUrl },
      // Every resource change, with its properties resolved: no intrinsic can hide a principal.
      targetOperations: ['RESOURCE'],
      failureMode: 'FAIL',
      hookStatus: 'ENABLED',
      // By the role, not the stack name: every operation on the domain's stacks goes through its
      // execution role, and a name prefix of one domain can be the start of another's.
      stackFilters: { filteringCriteria: 'ALL', stackRoles: { include: [props.executionRole.roleArn] } },
    });
    this.hook.node.addDependency(role);
  }
}
