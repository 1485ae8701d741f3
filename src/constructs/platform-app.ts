import * as fs from 'fs';
import { App, AppProps, AspectPriority, Aspects, Aws, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DomainIdentity } from './domain-identity';
import { DomainStackHook } from './domain-stack-hook';
import { Foundations } from './foundations';
import { GitHubOidcProvider } from './github-oidc-provider';
import { GovernancePolicy } from './governance-policy';
import { GovernanceTags } from './governance-tags';
import { DomainEnvironment } from '../domain/domain-environment';
import { LogRetention } from './private/log-retention';
import { MeshEventsPolicy } from './private/mesh-events-policy';
import { VendedLogsPolicy } from './private/vended-logs-policy';
import { RegisteredEnvironment } from '../domain/domain-registration';
import { checkEnvironments } from '../domain/environment-spec';
import { assertTagValue } from '../domain/tag-value';
import { loadDomainRegistry, PlatformTarget } from '../platform/domain-registry';
import { publicationAccounts } from '../platform/domain-stack-rules';

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

  /** The environments: the stacks `platform-<name>/*` each. */
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

  /**
   * The domain registry: a folder of `<domain>.yaml` files, one a domain (domain, repository and
   * its GitHub IDs `repositoryId` and `repositoryOwnerId`, owner, costCenter, environments with
   * account and region). Each registered environment gets a {@link DomainIdentity} in the identity
   * stack of the platform environment with the same account and region (with a deploy role only
   * when the registration has the repository's IDs); an invalid registry (or one naming an account the platform does not deploy to)
   * stops synth with every problem listed.
   *
   * @default - no domains
   */
  readonly domainsDir?: string;

  /**
   * ARNs of GitHub Actions OIDC providers that exist already (one an account at most); the
   * accounts without one get it created by their first environment's identity stack.
   *
   * @default - a provider is created in every account
   */
  readonly existingGitHubOidcProviders?: string[];

  /**
   * The CDK bootstrap qualifier of the accounts: the domains' assets go to their folders of that
   * bootstrap's asset bucket.
   *
   * @default "hnb659fds" (CDK's default)
   */
  readonly bootstrapQualifier?: string;
}

/**
 * The CDK app of the platform repository: per environment, stacks `platform-<environment>/*` with
 * the {@link Foundations} of the data lake, tagged and checked like every domain, and, for an
 * environment with an account and region, an `identity` stack: the account's GitHub Actions OIDC
 * provider ({@link GitHubOidcProvider}, in the account's first environment) and a
 * {@link DomainIdentity} for each registered domain environment of that account and region.
 *
 * @example
 * new PlatformApp({ owner: 'platform@example.com', environments: [{ name: 'dev' }] }).synth();
 */
export class PlatformApp extends App {
  /** The foundations stack of each environment, in the order given. */
  public readonly foundationsStacks: Stack[];

  /** The identity stack of each environment with an account and region, in the order given. */
  public readonly identityStacks: Stack[] = [];

  /** The identity of each registered domain environment, in registry order. */
  public readonly domainIdentities: DomainIdentity[] = [];

  /** The Guard hook on the stacks of each registered domain environment, in registry order. */
  public readonly domainHooks: DomainStackHook[] = [];

  constructor(props: PlatformAppProps) {
    assertTagValue(props.owner, 'owner');
    checkEnvironments(props.environments);
    super(props);
    const policyFile = props.governancePolicyFile;
    const policyProps = policyFile && fs.existsSync(policyFile) ? GovernancePolicy.readFile(policyFile) : {};
    const policy = new GovernancePolicy(policyProps);
    const targets = props.environments.filter((environment) => environment.account && environment.region) as PlatformTarget[];
    const registrations = props.domainsDir ? loadDomainRegistry(props.domainsDir, targets) : [];
    // Each registered environment goes to the platform environment of its account and region
    // (the one of the same name when there are several).
    const home = (registered: RegisteredEnvironment) =>
      props.environments.find((e) => e.name === registered.name && e.account === registered.account && e.region === registered.region) ??
      props.environments.find((e) => e.account === registered.account && e.region === registered.region);
    // The mesh's accounts in a registered environment: where its domains' publications may go, and come from.
    const meshAccountsOf = (name: string) => {
      const registered = registrations.flatMap((registration) => registration.environments.filter((candidate) => candidate.name === name));
      return publicationAccounts(registered.map((candidate) => candidate.account), policyProps.allowedConsumers);
    };
    const providers = new Map<string, GitHubOidcProvider>();
    const vendedLogs = new Set<string>();
    this.foundationsStacks = props.environments.map((environment) => {
      // The stacks are the app's own, named `<stage>-<id>`: the CDK CLI lists and reports only those.
      const stage = new Construct(this, `platform-${environment.name}`);
      const stackProps = (id: string, description: string): StackProps => ({
        env: { account: environment.account, region: environment.region },
        stackName: `${stage.node.id}-${id}`,
        description,
      });
      const stack = new Stack(stage, 'foundations', stackProps('foundations', `sdlf-mesh platform foundations (${environment.name})`));
      const foundations = new Foundations(stack, 'Foundations', { environment: environment.name, lakeAdmins: props.lakeAdmins });
      const account = environment.account;
      const placed = registrations.flatMap((registration) =>
        registration.environments.filter((registered) => home(registered) === environment).map((registered) => ({ registration, registered })),
      );
      if (account && environment.region && (!providers.has(account) || placed.length > 0)) {
        const identity = new Stack(stage, 'identity', stackProps('identity', `sdlf-mesh platform: GitHub OIDC provider and domain identities (${environment.name})`));
        this.identityStacks.push(identity);
        // IAM holds one provider a URL in an account: the account's first environment creates it
        // (unless it exists), the others use it, deployed after it by the workflow's order.
        const first = providers.get(account);
        const existing = first ? (first.created ? providerArn(account) : first.providerArn) : (props.existingGitHubOidcProviders ?? []).find((arn) => arn.split(':')[4] === account);
        const provider = new GitHubOidcProvider(identity, 'GitHub', { existingProviderArn: existing });
        providers.set(account, first ?? provider);
        // Log resource policies are the account's and region's (ten at most): one, the platform's, for every domain.
        if (!vendedLogs.has(`${account}/${environment.region}`)) {
          vendedLogs.add(`${account}/${environment.region}`);
          new VendedLogsPolicy(identity, 'VendedLogs');
          // The default bus's policy is the account's and region's too: one statement, the platform's,
          // for every domain environment placed in the account and region, whichever platform
          // environment it belongs to (dev and test may share an account).
          const placedHere = (registered: RegisteredEnvironment) => {
            const placement = home(registered);
            return placement?.account === account && placement?.region === environment.region;
          };
          const sharing = registrations.flatMap((registration) => registration.environments.filter(placedHere));
          const senders = [...new Set(sharing.flatMap((registered) => meshAccountsOf(registered.name)))].filter((other) => other !== account);
          if (senders.length > 0) {
            new MeshEventsPolicy(identity, 'MeshEvents', senders);
          }
        }
        for (const { registration, registered } of placed) {
          const domainIdentity = new DomainIdentity(identity, `${registration.domain}-${registered.name}`, {
            domain: registration.domain,
            environment: registered.name,
            repository: registration.repository,
            repositoryId: registration.repositoryId,
            repositoryOwnerId: registration.repositoryOwnerId,
            oidcProvider: provider,
            bootstrapQualifier: props.bootstrapQualifier,
            lakeBuckets: [foundations.rawBucket, foundations.stageBucket, foundations.analyticsBucket],
            publicationAccounts: meshAccountsOf(registered.name).filter((other) => other !== registered.account),
            dataBucketName: registered.dataBucket,
          });
          this.domainIdentities.push(domainIdentity);
          // What the domain cannot skip: its stacks' grants, trust policies and tags are checked by
          // CloudFormation itself, with the platform's values, whoever wrote the template.
          this.domainHooks.push(
            new DomainStackHook(identity, `${registration.domain}-${registered.name}-Hook`, {
              domain: registration.domain,
              environment: registered.name,
              account: registered.account,
              executionRole: domainIdentity.executionRole,
              allowedConsumers: policyProps.allowedConsumers,
              requiredTags: policy.requiredTags,
              publicationAccounts: meshAccountsOf(registered.name).filter((other) => other !== registered.account),
            }),
          );
        }
      }
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

/** The ARN of the GitHub Actions provider in `account` (IAM names it by its URL). */
function providerArn(account: string): string {
  return `arn:${Aws.PARTITION}:iam::${account}:oidc-provider/${GitHubOidcProvider.ISSUER}`;
}
