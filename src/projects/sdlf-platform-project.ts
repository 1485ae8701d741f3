import { awscdk, Component, JsonFile, SampleFile } from 'projen';
import { checkOptionsBeforeProjenNew } from './abandoned-projen-new';
import { CatalogWorkflow } from './catalog-workflow';
import { DeployWorkflow } from './deploy-workflow';
import { checkFleetWaves, FleetUpgradeWorkflow } from './fleet-upgrade-workflow';
import { managedFile } from './managed-file';
import { ProjenrcImport } from './projenrc-import';
import { PullRequestWorkflow } from './pull-request-workflow';
import { sdlfAppOptions } from './sdlf-app-options';
import { Toolchain } from './toolchain';
import { TypeCheck } from './type-check';
import { assertOwner, readTemplateVersion, resolveTemplateSpec } from '../domain/domain-settings';
import { DEFAULT_ENVIRONMENTS, parseEnvironmentSpecs } from '../domain/environment-spec';
import { GITHUB_OIDC_PROVIDER_ARN } from '../domain/github-oidc';
import { assertTagValue } from '../domain/tag-value';
import { domainGuardrailsPolicy } from '../platform/domain-guardrails-scp';
import { renderBlueprint } from '../util/blueprint';
import { InvalidOptionError } from '../util/invalid-option-error';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Options of {@link SdlfPlatformProject}.
 */
export interface SdlfPlatformProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions {
  /**
   * The platform team: a team mailbox, a GitHub user (`@name`) or team (`@org/team`). It is the
   * `sdlf:owner` tag and the code owner of the repository.
   *
   * @default $GIT_USER_EMAIL
   * @featured
   */
  readonly owner: string;

  /**
   * Cost center of the platform (the `sdlf:cost-center` tag).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /**
   * The environments, in deployment order, each as `name[:account[:region]]`.
   *
   * @default ["dev", "test", "prod"]
   * @featured
   */
  readonly environments?: string[];

  /**
   * IAM role ARNs that administer Lake Formation: the platform's roles and the execution role that
   * deploys the platform, which grants the domains' execution roles their Lake Formation permissions.
   *
   * @default - none
   * @featured
   */
  readonly lakeAdmins?: string[];

  /**
   * ARNs of the GitHub Actions OIDC providers that exist already in the accounts (one an account at
   * most): the platform then uses them instead of creating one.
   *
   * @default - the platform creates the provider of each account
   */
  readonly existingGitHubOidcProviders?: string[];

  /**
   * The version of sdlf-mesh (the template) this repository depends on.
   *
   * @default - the spec `projen new --from` was given, else the running sdlf-mesh version
   */
  readonly templateVersion?: string;

  /**
   * Pin the repository's toolchain (aws-cdk-lib, the CDK CLI, constructs, cdk-nag, projen, tsx,
   * esbuild, the stages' AWS SDK client and test helpers) to the exact versions this release of
   * the template was tested with, so that the repository builds as it did in the template's tests
   * and a newer set arrives only with a template upgrade. `false` floats them: a fresh install
   * takes the newest versions the registry serves within the template's ranges, and a build can
   * break the day one of them changes (the template's canary builds that set before each release).
   *
   * @default true
   */
  readonly pinTestedVersions?: boolean;

  /**
   * Into how many waves the fleet-upgrade workflow splits the domain repositories: a wave is at
   * most 256 repositories (the most jobs a GitHub Actions matrix runs) and the waves run one after
   * the other, so the workflow upgrades at most 256 times this many. From 1 to 16.
   *
   * @default 4 (1,024 repositories)
   */
  readonly fleetUpgradeWaves?: number;

  /**
   * When the fleet-upgrade workflow upgrades every domain repository to the newest release of the
   * template besides by hand, as a cron expression (UTC).
   *
   * @default "41 6 * * 1" (weekly, Monday morning)
   */
  readonly fleetUpgradeSchedule?: string;
}

/**
 * The platform team's repository: a CDK app that deploys the data lake {@link Foundations} of
 * every environment and the identity and limits of every domain in the registry (`domains/`, one
 * `<domain>.yaml` a domain, see {@link DomainIdentity}), the organisation's governance policy
 * (`governance-policy.yaml`), governance tests, and the same pull-request and deploy workflows as
 * the domains.
 *
 * @pjid sdlf-platform
 */
export class SdlfPlatformProject extends awscdk.AwsCdkTypeScriptApp {
  /** The template-managed `src/main.ts`, `test/governance.test.ts` and CODEOWNERS. */
  public readonly managedFiles: Component[];

  /** The pull-request workflow. */
  public readonly pullRequestWorkflow: PullRequestWorkflow;

  /** The workflow that deploys the default branch to every environment. */
  public readonly deployWorkflow: DeployWorkflow;

  /** The workflow that builds the mesh catalog and publishes it with GitHub Pages. */
  public readonly catalogWorkflow: CatalogWorkflow;

  /**
   * The workflow that upgrades every domain repository of the registry to a release of the
   * template, one pull request a repository, without running domain code where a write credential is.
   */
  public readonly fleetUpgradeWorkflow: FleetUpgradeWorkflow;

  /** The build's type check of `.projenrc.ts` and the CDK app (`npx projen` and `cdk synth` do not check types). */
  public readonly typeCheck: TypeCheck;

  /** The toolchain's versions (the tested ones, unless they float) and its allowed install scripts. */
  public readonly toolchain: Toolchain;

  /**
   * `guardrails/domain-guardrails.scp.json`: the service control policy to attach to the accounts
   * domains deploy to. It denies a domain's roles at run time what the platform's Guard hooks
   * check at deploy time (Lake Formation grants and tag changes, identities and trusts, hooks).
   * Plain IAM JSON, without projen's marker key, so it can be attached as it is.
   */
  public readonly guardrailsPolicy: JsonFile;

  constructor(options: SdlfPlatformProjectOptions) {
    // Checked first: a bad option must stop `projen new` before anything is written, and take
    // back the install `projen new` made before it got here.
    const { costCenter, environments } = checkOptionsBeforeProjenNew(options.outdir ?? process.cwd(), () => checkPlatformOptions(options));
    const templateVersion = readTemplateVersion();
    const context = {
      owner: options.owner,
      costCenter,
      environments,
      lakeAdmins: options.lakeAdmins ?? [],
      existingGitHubOidcProviders: options.existingGitHubOidcProviders ?? [],
      templateVersion,
    };
    super(sdlfAppOptions(options, resolveTemplateSpec(options, templateVersion), renderBlueprint('sdlf-platform/samples/README.md.hbs', context)));

    this.managedFiles = [
      managedFile(this, 'src/main.ts', 'sdlf-platform/managed/main.ts.hbs', context),
      managedFile(this, 'test/governance.test.ts', 'sdlf-platform/managed/governance.test.ts.hbs', context),
      managedFile(this, '.github/CODEOWNERS', 'sdlf-domain/managed/CODEOWNERS.hbs', { owner: options.owner }),
    ];
    const regions = [...new Set(environments.map((environment) => environment.region).filter(Boolean))];
    new SampleFile(this, 'governance-policy.yaml', { contents: renderBlueprint('sdlf-platform/samples/governance-policy.yaml.hbs', { regions }) });
    // The domain registry: one file a domain, read and checked by the app on every synth.
    new SampleFile(this, 'domains/README.md', { contents: renderBlueprint('sdlf-platform/samples/domains-README.md.hbs', context) });
    this.guardrailsPolicy = new JsonFile(this, 'guardrails/domain-guardrails.scp.json', { obj: domainGuardrailsPolicy(), marker: false, readonly: true });
    this.pullRequestWorkflow = new PullRequestWorkflow(this);
    this.deployWorkflow = new DeployWorkflow(this, { stagePrefix: 'platform', environments, branch: options.defaultReleaseBranch });
    this.catalogWorkflow = new CatalogWorkflow(this, { branch: options.defaultReleaseBranch });
    this.fleetUpgradeWorkflow = new FleetUpgradeWorkflow(this, { waves: options.fleetUpgradeWaves, schedule: options.fleetUpgradeSchedule });
    this.typeCheck = new TypeCheck(this);
    new ProjenrcImport(this);
    this.toolchain = new Toolchain(this, { cdkVersion: this.cdkDeps.cdkVersion, pinTestedVersions: options.pinTestedVersions ?? true });
  }
}

/** The platform's options, checked: the first that cannot work is an InvalidOptionError naming it. */
function checkPlatformOptions(options: SdlfPlatformProjectOptions) {
  assertOwner(options.owner);
  const costCenter = options.costCenter ?? 'unassigned';
  assertTagValue(costCenter, 'costCenter');
  const environments = parseEnvironmentSpecs(options.environments ?? DEFAULT_ENVIRONMENTS);
  checkFleetWaves(options.fleetUpgradeWaves, 'fleetUpgradeWaves');
  (options.lakeAdmins ?? []).forEach((arn, index) => {
    if (!ROLE_ARN.test(arn)) {
      throw new InvalidOptionError(`lakeAdmins[${index}]`, `"${arn}" is not an IAM role ARN such as arn:aws:iam::111111111111:role/platform-admin`);
    }
  });
  (options.existingGitHubOidcProviders ?? []).forEach((arn, index) => {
    if (!GITHUB_OIDC_PROVIDER_ARN.test(arn)) {
      throw new InvalidOptionError(
        `existingGitHubOidcProviders[${index}]`,
        `"${arn}" is not the ARN of a GitHub Actions provider such as arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com`,
      );
    }
  });
  return { costCenter, environments };
}
