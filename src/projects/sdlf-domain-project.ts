import * as fs from 'fs';
import * as path from 'path';
import { awscdk } from 'projen';
import { CodeOwners } from './code-owners';
import { DataProductDocs, readContractTexts } from './data-product-docs';
import { DomainAppSource } from './domain-app-source';
import { DomainBuildWorkflow } from './domain-build-workflow';
import { DomainDeployWorkflow } from './domain-deploy-workflow';
import { DomainSamples, renderDomainReadme } from './domain-samples';
import { DomainSettings, isTemplateSpec, resolveDomainSettings } from './domain-settings';

/**
 * Options of {@link SdlfDomainProject}.
 */
export interface SdlfDomainProjectOptions extends awscdk.AwsCdkTypeScriptAppOptions {
  /**
   * Name of the business domain, e.g. `sales`.
   *
   * It becomes part of S3 bucket, IAM role, stack and Glue database names, so it must be 2 to 24
   * characters of lowercase letters, digits and single hyphens, starting with a letter.
   *
   * @default $BASEDIR
   * @featured
   */
  readonly domain: string;

  /**
   * Accountable owner of the domain's data products: a team mailbox, a GitHub user (`@name`) or
   * team (`@org/team`). It is the `sdlf:owner` tag and the code owner of the repository.
   *
   * @default $GIT_USER_EMAIL
   * @featured
   */
  readonly owner: string;

  /**
   * Cost center that pays for the domain's resources (the `sdlf:cost-center` tag).
   *
   * @default "unassigned"
   * @featured
   */
  readonly costCenter?: string;

  /**
   * GitHub organization that holds the domain repository. With `platformTeam`, the platform team
   * becomes code owner of the template-managed files.
   *
   * @default - none
   * @featured
   */
  readonly githubOrg?: string;

  /**
   * GitHub team (slug, in `githubOrg`) of the platform team that owns the template.
   *
   * @default - the domain owner owns every file
   */
  readonly platformTeam?: string;

  /**
   * The environments to deploy to, in deployment order, each as `name[:account[:region]]`,
   * e.g. `dev:111111111111:eu-west-1`. Without account or region a stage is environment-agnostic
   * and deploys to the account and region of the credentials; the deploy workflow then takes the
   * region from the GitHub environment's `AWS_REGION` secret.
   *
   * @default ["dev", "test", "prod"]
   * @featured
   */
  readonly environments?: string[];

  /**
   * The version of sdlf-mesh (the template) this repository depends on: an npm version or range,
   * or a `file:` tarball spec. The platform team's upgrade moves it.
   *
   * @default - the spec `projen new --from` was given, else the running sdlf-mesh version
   * @featured
   */
  readonly templateVersion?: string;
}

/**
 * A domain repository of the data mesh: a CDK app whose stacks are built from the domain's
 * data-product contracts (`dataproducts/*.yaml`), with governance tags on every resource, pipeline
 * stage skeletons, CI/CD workflows for GitHub Actions (build on pull request, deploy per
 * environment with OIDC) and docs for the domain team.
 *
 * Every option is checked before any file is written: a domain name that cannot become AWS
 * resource names is refused with the reason and a valid suggestion.
 *
 * @pjid sdlf-domain
 */
export class SdlfDomainProject extends awscdk.AwsCdkTypeScriptApp {
  /** The resolved domain settings (name, owner, cost center, environments, template version). */
  public readonly settings: DomainSettings;

  /** The template-managed CDK app entry point and governance tests. */
  public readonly appSource: DomainAppSource;

  /** The pull-request workflow (build, test, synth, no uncommitted changes). */
  public readonly domainBuildWorkflow: DomainBuildWorkflow;

  /** The workflow that deploys the default branch to every environment. */
  public readonly domainDeployWorkflow: DomainDeployWorkflow;

  /** The sample files the domain team owns once written. */
  public readonly samples: DomainSamples;

  /** The managed docs page of each data product. */
  public readonly dataProductDocs: DataProductDocs;

  /** The `.github/CODEOWNERS` file. */
  public readonly codeOwners: CodeOwners;

  constructor(options: SdlfDomainProjectOptions) {
    // Checked first: a bad option must stop `projen new` before anything is written.
    const settings = resolveDomainSettings(options);
    super({
      ...options,
      // The generated app imports the template when it synthesizes: a runtime dependency.
      deps: [...(options.deps ?? []).filter((spec) => !isTemplateSpec(spec)), settings.templateSpec],
      devDeps: (options.devDeps ?? []).filter((spec) => !isTemplateSpec(spec)),
      // ts-jest and ts-node do not accept the newest TypeScript major yet.
      typescriptVersion: options.typescriptVersion ?? '~5.9.0',
      // Without it projen asks for `@types/node@ts5.9`, a dist-tag the registry does not have.
      minNodeVersion: options.minNodeVersion ?? '20.0.0',
      // ts-jest only compiles NodeNext modules file by file.
      tsconfigDev: { ...options.tsconfigDev, compilerOptions: { isolatedModules: true, ...options.tsconfigDev?.compilerOptions } },
      sampleCode: false,
      lambdaAutoDiscover: false,
      // The template brings its own workflows (pinned actions, least privilege); the fleet
      // upgrade moves the template, so projen's release and dependency upgrades stay off.
      buildWorkflow: false,
      release: false,
      depsUpgrade: false,
      pullRequestTemplate: false,
      githubOptions: { mergify: false, pullRequestLint: false, ...options.githubOptions },
      readme: options.readme ?? { contents: renderDomainReadme(settings) },
      gitignore: [...(options.gitignore ?? []), '/cdk.out/'],
    });
    this.settings = settings;
    this.appSource = new DomainAppSource(this, settings);
    this.samples = new DomainSamples(this, settings);
    // A new project has no contracts on disk yet: its docs come from the sample it is writing.
    const onDisk = readContractTexts(this.outdir, 'dataproducts');
    const contracts = fs.existsSync(path.join(this.outdir, 'dataproducts')) ? onDisk : this.samples.contracts;
    this.dataProductDocs = new DataProductDocs(this, settings.domain, contracts);
    this.codeOwners = new CodeOwners(this, settings);
    const lintContracts = this.addTask('contract:lint', {
      description: 'Validate the data-product contracts (ODCS v3.1 and the SDLF rules)',
      exec: `sdlf-mesh contract lint dataproducts --domain ${settings.domain}`,
    });
    this.testTask.prependSpawn(lintContracts);
    this.domainBuildWorkflow = new DomainBuildWorkflow(this, settings.domain);
    this.domainDeployWorkflow = new DomainDeployWorkflow(this, settings, options.defaultReleaseBranch ?? 'main');
  }
}
