import * as fs from 'fs';
import { App, AppProps, AspectPriority, Aspects, Stack, Stage } from 'aws-cdk-lib';
import { DomainEnvironment } from './domain-environment';
import { Foundations } from './foundations';
import { GovernancePolicy } from './governance-policy';
import { GovernanceTags } from './governance-tags';
import { LogRetention } from './private/log-retention';
import { checkEnvironments } from '../config/environment-spec';
import { assertTagValue } from '../config/tag-value';

/**
 * Props of {@link PlatformApp}.
 */
export interface PlatformAppProps extends AppProps {
  /** The platform team (`sdlf:owner`). */
  readonly owner: string;

  /**
   * Cost center of the platform (`sdlf:cost-center`).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /** The environments: one stage `platform-<name>` each. */
  readonly environments: DomainEnvironment[];

  /**
   * IAM role ARNs that administer Lake Formation.
   *
   * @default - none
   */
  readonly lakeAdmins?: string[];

  /**
   * The governance policy file (JSON or YAML) the platform's own stacks keep, and that the
   * platform publishes to domains.
   *
   * @default - the baseline policy
   */
  readonly governancePolicyFile?: string;
}

/**
 * The CDK app of the platform repository: one stage `platform-<environment>` per environment with
 * the {@link Foundations} of the data lake, tagged and checked like every domain.
 *
 * @example
 * new PlatformApp({ owner: 'platform@example.com', environments: [{ name: 'dev' }] }).synth();
 */
export class PlatformApp extends App {
  /** The foundations stack of each environment, in the order given. */
  public readonly foundationsStacks: Stack[];

  constructor(props: PlatformAppProps) {
    assertTagValue(props.owner, 'owner');
    checkEnvironments(props.environments);
    super(props);
    const policyFile = props.governancePolicyFile;
    const policy = policyFile && fs.existsSync(policyFile) ? GovernancePolicy.fromFile(policyFile) : new GovernancePolicy();
    this.foundationsStacks = props.environments.map((environment) => {
      const stage = new Stage(this, `platform-${environment.name}`, { env: { account: environment.account, region: environment.region } });
      const stack = new Stack(stage, 'foundations', { description: `sdlf-mesh platform foundations (${environment.name})` });
      new Foundations(stack, 'Foundations', { environment: environment.name, lakeAdmins: props.lakeAdmins });
      Aspects.of(stage).add(
        new GovernanceTags({ domain: 'platform', owner: props.owner, costCenter: props.costCenter, environment: environment.name }),
        { priority: AspectPriority.MUTATING },
      );
      Aspects.of(stage).add(new LogRetention(policy.logRetentionDays), { priority: AspectPriority.MUTATING });
      Aspects.of(stage).add(policy, { priority: AspectPriority.READONLY });
      return stack;
    });
  }
}
