import { Annotations, ArnFormat, AspectPriority, Aspects, Environment } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DataContract } from './data-contract';
import { DataProduct } from './data-product';
import { DataProductStack } from './data-product-stack';
import { DomainDeploymentSynthesizer } from './domain-deployment-synthesizer';
import { DomainStack } from './domain-stack';
import { FreshnessAlarm } from './freshness-alarm';
import { GovernancePolicy } from './governance-policy';
import { GovernanceTags } from './governance-tags';
import { InputLink, InputLinkAttributes } from './input-link';
import { PipelineStageType } from './pipeline';
import { lifecycleOf } from '../contract/contract-lifecycle';
import { loadMeshIndex } from '../contract/load-mesh-index';
import { ReadableInput, readableInputs } from '../contract/readable-inputs';
import { GovernancePolicyProps } from '../domain/governance-policy-props';
import { analystsRoleName } from '../domain/names';
import { DomainBoundary } from './private/domain-boundary';
import { LogRetention } from './private/log-retention';
import { StageBundles, stageCodeFile } from './private/stage-bundles';
import { REQUIRED_TAG_KEYS } from './private/tag-managers';

/**
 * Props of {@link DomainStage}.
 */
export interface DomainStageProps {
  /**
   * The account and region of every stack of the stage.
   *
   * @default - environment-agnostic: the CDK CLI's credentials decide
   */
  readonly env?: Environment;

  /** Domain name. */
  readonly domain: string;

  /** Environment name, e.g. `dev`. */
  readonly environment: string;

  /** Accountable owner of the domain (`sdlf:owner`). */
  readonly owner: string;

  /**
   * Cost center of the domain (`sdlf:cost-center`).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /**
   * The domain's data-product contracts.
   *
   * @default - none
   */
  readonly contracts?: DataContract[];

  /**
   * Lake Formation principals of consumer domains, for grants the contracts give by domain.
   *
   * @default - none
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The platform's governance policy; it is always checked, these props only tighten it.
   *
   * @default - the baseline: governance tags and encryption at rest everywhere, any region
   */
  readonly governancePolicy?: GovernancePolicyProps;

  /**
   * Folder of the pipeline stage code (`<stagesDir>/<data product>/<stage>.ts`).
   *
   * @default - no pipelines are built
   */
  readonly stagesDir?: string;

  /**
   * The CDK bootstrap qualifier of the accounts, whose asset bucket holds the domain's assets.
   *
   * @default "hnb659fds" (CDK's default)
   */
  readonly bootstrapQualifier?: string;

  /**
   * The mesh index (`.sdlf/mesh-index.json`, or the catalog's `catalog.json`): where the data
   * products the contracts read (`sdlfInputs`) are, and what they grant the domain. Each input
   * served and granted gets a resource link in the domain stack ({@link InputLink}), and the
   * stages of the data products that read it get read grants on it.
   *
   * @default - no input is linked
   */
  readonly meshIndexFile?: string;
}

/**
 * Everything a domain deploys to one environment (`<domain>-<environment>`): the domain stack and
 * a stack per data product, named `<stage>-<id>` (e.g. `sales-dev-domain`), so that
 * `cdk deploy '<domain>-<environment>/*'` deploys an environment.
 *
 * It is a construct, not a CDK `Stage`: its stacks are the app's own, so `cdk synth` and
 * `cdk deploy` list, select and report them like any stack (the CDK CLI lists only the stacks
 * at the top of the app). The governance tags are applied here by one {@link GovernanceTags}
 * aspect, the policy's log retention by another, and then checked with the rest of the
 * {@link GovernancePolicy}.
 *
 * Its stacks deploy with the identity the platform gives the domain in this environment
 * ({@link DomainDeploymentSynthesizer}), and every role in them carries the platform's permissions
 * boundary for the domain (`sdlf-<domain>-<environment>-boundary`, by ARN in the account deployed
 * to), which the domain's execution role creates no role without. A stack of your own in the
 * stage gets the boundary too; give it a `stackName`, as CDK names a stack inside a construct with
 * a hash.
 */
export class DomainStage extends Construct {
  /** The stage's name, `<domain>-<environment>`: the prefix of its stacks' names. */
  public readonly stageName: string;

  /** The domain stack of this environment. */
  public readonly domainStack: DomainStack;

  /** The stack of each data product, in contract order (see {@link DataProductStack}). */
  public readonly dataProductStacks: DataProductStack[];

  /** The data products, in contract order. */
  public readonly dataProducts: DataProduct[];

  /** The resource links of the inputs the data products read (none without a mesh index). */
  public readonly inputLinks: InputLink[];

  constructor(scope: Construct, id: string, props: DomainStageProps) {
    super(scope, id);
    this.stageName = id;
    // What every stack of the stage shares: where and how it deploys, and its name.
    const stackProps = (stackId: string) => ({
      env: props.env,
      stackName: `${id}-${stackId}`,
      synthesizer: new DomainDeploymentSynthesizer({ domain: props.domain, environment: props.environment, qualifier: props.bootstrapQualifier }),
    });
    // A proposed or draft contract is documented, not deployed (see lifecycleOf).
    const deployed = (props.contracts ?? []).filter((contract) => lifecycleOf(contract._contract.status).deployed);
    this.domainStack = new DomainStack(this, 'domain', {
      ...stackProps('domain'),
      domain: props.domain,
      environment: props.environment,
      owner: props.owner,
      costCenter: props.costCenter,
      dataProducts: deployed.map((contract) => contract.dataProduct),
    });
    for (const contract of (props.contracts ?? []).filter((c) => !deployed.includes(c))) {
      Annotations.of(this.domainStack).addInfo(`data product ${contract.dataProduct} is ${contract.status}: not deployed until its contract is active`);
    }
    if (props.stagesDir) {
      // Every Lambda stage handler of the domain is bundled in one esbuild run, with the first one built.
      const stagesDir = props.stagesDir;
      StageBundles.of(this).expect(
        deployed.flatMap((contract) =>
          contract.stages
            .filter((stage) => stage.type === PipelineStageType.LAMBDA)
            .map((stage) => stageCodeFile(stagesDir, contract.dataProduct, stage.name, 'ts')),
        ),
      );
    }
    const inputs = this.linkInputs(props, deployed);
    this.inputLinks = inputs.links;
    this.dataProductStacks = deployed.map(
      (contract) =>
        new DataProductStack(this, DataProductStack.idOf(contract.dataProduct), {
          ...stackProps(DataProductStack.idOf(contract.dataProduct)),
          description: `sdlf-mesh domain ${props.domain} (${props.environment}): data product ${contract.dataProduct}`,
          environment: props.environment,
          owner: props.owner,
          costCenter: props.costCenter,
          contract,
          bucket: this.domainStack.storage.bucket,
          consumerPrincipals: props.consumerPrincipals,
          allowedConsumers: props.governancePolicy?.allowedConsumers,
          inputs: inputs.inputsOf(contract),
          pipeline: props.stagesDir
            ? {
              stagesDir: props.stagesDir,
              key: this.domainStack.storage.key,
              metadataTable: this.domainStack.domain.metadataTable,
              alarmTopic: this.domainStack.domain.alarmTopic,
            }
            : undefined,
        }),
    );
    this.dataProducts = this.dataProductStacks.map((stack) => stack.dataProduct);
    this.showFreshness(props);
    Aspects.of(this).add(new DomainBoundary(props.domain, props.environment), { priority: AspectPriority.MUTATING });
    Aspects.of(this).add(
      new GovernanceTags({
        domain: props.domain,
        owner: props.owner,
        costCenter: props.costCenter,
        environment: props.environment,
      }),
      { priority: AspectPriority.MUTATING },
    );
    // The baseline cannot be switched off from a domain: the platform's policy only adds to it.
    const policy = props.governancePolicy ?? {};
    const requiredTags = [...REQUIRED_TAG_KEYS, ...(policy.requiredTags ?? [])];
    const governancePolicy = new GovernancePolicy({ ...policy, requiredTags, requireEncryption: true });
    Aspects.of(this).add(new LogRetention(governancePolicy.logRetentionDays), { priority: AspectPriority.MUTATING });
    Aspects.of(this).add(governancePolicy, { priority: AspectPriority.READONLY });
  }

  /**
   * The resource links of the inputs the deployed contracts read, in the domain stack (one per
   * producer's data product, for all the domain's readers), and what each contract reads of them,
   * for the grants to its stages: never more than that contract's inputs.
   */
  private linkInputs(props: DomainStageProps, deployed: DataContract[]) {
    if (props.meshIndexFile === undefined) {
      return { links: [], inputsOf: () => undefined };
    }
    const index = loadMeshIndex(props.meshIndexFile);
    const { domain, environment } = props;
    const attributesOf = (input: ReadableInput): InputLinkAttributes => ({
      product: input.product,
      linkName: InputLink.linkNameOf(domain, environment, input.product),
      targetAccount: input.account,
      targetRegion: input.region,
      targetDatabase: input.database,
      tables: input.tables.map(({ table, columns }) => ({ table, columns })),
    });
    const all = readableInputs(deployed.flatMap((contract) => contract._contract.inputs), index, domain, environment);
    for (const reason of all.unlinked) {
      Annotations.of(this.domainStack).addInfo(`input ${reason}`);
    }
    // The domain's people read every input, as its pipelines do: the platform's analysts' role (by name).
    const analysts = all.readable.length > 0 ? iam.Role.fromRoleName(this.domainStack, 'AnalystsRole', analystsRoleName(domain, environment), { mutable: false }) : undefined;
    const links = all.readable.map((input) => {
      const { linkName, ...target } = attributesOf(input);
      const link = new InputLink(this.domainStack, `Input-${linkName}`, { domain, environment, ...target });
      link.grantRead(analysts!);
      return link;
    });
    const inputsOf = (contract: DataContract) => readableInputs(contract._contract.inputs, index, domain, environment).readable.map(attributesOf);
    return { links, inputsOf };
  }

  /**
   * The freshness alarms of the data products on the domain's dashboard. They are found by name:
   * a reference from the domain stack to a data product's stack would make each depend on the other.
   */
  private showFreshness(props: DomainStageProps) {
    const stack = this.domainStack;
    const alarms = this.dataProducts.filter((product) => product.freshnessAlarm).map((product) => {
      const name = FreshnessAlarm.alarmNameOf(props.domain, props.environment, product.dataProductName);
      const arn = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      return cloudwatch.Alarm.fromAlarmArn(stack, `Freshness-${product.dataProductName}`, arn);
    });
    if (alarms.length > 0) {
      stack.domain.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Freshness of the data products (contract SLA)', alarms, width: 24 }));
    }
  }
}
