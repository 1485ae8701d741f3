import * as fs from 'fs';
import * as path from 'path';
import { awscdk } from 'projen';
import { checkOptionsBeforeProjenNew } from './abandoned-projen-new';
import { AccessCheckWorkflow } from './access-check-workflow';
import { CodeOwners } from './code-owners';
import { DataProductDocs, readContractTexts } from './data-product-docs';
import { DataTests } from './data-tests';
import { DeployWorkflow } from './deploy-workflow';
import { DomainAppSource } from './domain-app-source';
import { DomainContracts } from './domain-contracts';
import { DomainSamples, renderDomainReadme } from './domain-samples';
import { LocalPipelineRun } from './local-pipeline-run';
import { MeshIndexCopy } from './mesh-index-copy';
import { ProjenrcImport } from './projenrc-import';
import { PullRequestWorkflow } from './pull-request-workflow';
import { SampleRenderings } from './sample-renderings';
import { sdlfAppOptions } from './sdlf-app-options';
import { StageRecords } from './stage-records';
import { StageSkeletons } from './stage-skeletons';
import { Toolchain } from './toolchain';
import { TypeCheck } from './type-check';
import { DUCKDB_PACKAGE } from '../contract/duckdb-engine';
import { atLeastTemplateCdkVersion, DomainSettings, resolveDomainSettings } from '../domain/domain-settings';

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
   * region from the GitHub environment's `AWS_REGION` variable.
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

  /**
   * The platform's governance policy (a YAML or JSON file of `GovernancePolicyProps`, as the
   * `sdlf-platform` repository holds it), relative to the repository root. Synthesis fails when
   * the file is missing: removing it does not switch the policy off. The baseline (governance
   * tags, encryption at rest) applies with or without it.
   *
   * @default - the baseline only
   */
  readonly governancePolicyFile?: string;

  /**
   * The Lake Formation principal (a 12-digit account ID or an IAM role ARN) of each consumer
   * domain the contracts grant to by name, e.g. `{ marketing: 'arn:aws:iam::222222222222:role/marketing-analysts' }`.
   * A contract that grants to a domain without a principal here (or registered by the platform in
   * its governance policy, which wins) fails the build with the fix; the policy also decides which
   * domains may be consumers.
   *
   * @default - none: contracts can grant to accounts and roles the policy allows only
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The mesh index: the catalog's `catalog.json`, as the platform publishes it, given as an https
   * URL or a path relative to the repository. `npx projen` reads it and keeps the part a domain
   * needs (each data product's status, account, region, database, tables, columns and grants) in
   * `.sdlf/mesh-index.json`, so that `contract:lint` and the synth read the same index offline and
   * a change of the mesh shows in a pull request. Lint then checks each input of the contracts
   * (`sdlfInputs`): a data product of the mesh, served, and granted to this domain. When the URL
   * cannot be reached, the copy is kept and `npx projen` warns. The URL is fetched through the
   * proxy `HTTPS_PROXY` names (an HTTP proxy that tunnels with CONNECT), unless `NO_PROXY`
   * excludes its host.
   *
   * @default - none: inputs are not checked, and lint says so
   */
  readonly meshIndex?: string;

  /**
   * Pin the repository's toolchain (aws-cdk-lib, the CDK CLI, constructs, cdk-nag, projen, tsx,
   * esbuild, the stages' AWS SDK client, Parquet writer, CSV parser and test helpers) to the exact versions this release of
   * the template was tested with, so that the repository builds as it did in the template's tests
   * and a newer set arrives only with a template upgrade. `false` floats them: a fresh install
   * takes the newest versions the registry serves within the template's ranges, and a build can
   * break the day one of them changes (the template's canary builds that set before each release).
   *
   * @default true
   */
  readonly pinTestedVersions?: boolean;
}

/**
 * A domain repository of the data mesh: a CDK app whose stacks are built from the domain's
 * data-product contracts (`dataproducts/*.yaml`), with governance tags on every resource, pipeline
 * stage skeletons, CI/CD workflows for GitHub Actions (build on pull request, deploy per
 * environment with OIDC) and docs for the domain team.
 *
 * Every option is checked before any file is written: a domain name that cannot become AWS
 * resource names is refused with the reason and a valid suggestion. A `cdkVersion` older than the
 * lowest aws-cdk-lib of the template's peer dependency range (projen's default is) is raised to it.
 *
 * @pjid sdlf-domain
 */
export class SdlfDomainProject extends awscdk.AwsCdkTypeScriptApp {
  /** The resolved domain settings (name, owner, cost center, environments, template version). */
  public readonly settings: DomainSettings;

  /** The template-managed CDK app entry point and governance tests. */
  public readonly appSource: DomainAppSource;

  /** The pull-request workflow (build, test, synth, contract diff, no uncommitted changes). */
  public readonly pullRequestWorkflow: PullRequestWorkflow;

  /** The workflow that confirms a pull request labelled approved-by-policy against the governance policy. */
  public readonly accessCheckWorkflow: AccessCheckWorkflow;

  /** The workflow that deploys the default branch to every environment. */
  public readonly deployWorkflow: DeployWorkflow;

  /** The build's type check of `.projenrc.ts` and the CDK app (`npx projen` and `cdk synth` do not check types). */
  public readonly typeCheck: TypeCheck;

  /** The toolchain's versions (the tested ones, unless they float) and its allowed install scripts. */
  public readonly toolchain: Toolchain;

  /** The sample files the domain team owns once written. */
  public readonly samples: DomainSamples;

  /** The code skeleton (and its test) of each pipeline stage of the contracts. */
  public readonly stageSkeletons: StageSkeletons;

  /** The template's code the Lambda stages import: records in and out, and each data product's tables. */
  public readonly stageRecords: StageRecords;

  /** The data-product contracts of the repository, parsed and linted once a synth. */
  public readonly contracts: DomainContracts;

  /** The managed docs page of each data product. */
  public readonly dataProductDocs: DataProductDocs;

  /** The `pipeline:run` task: a data product's pipeline run on a file, on this machine. */
  public readonly localPipelineRun: LocalPipelineRun;

  /** The data test: each data product's pipeline run on its samples, the tables tested against the contract. */
  public readonly dataTests: DataTests;

  /** The `.github/CODEOWNERS` file. */
  public readonly codeOwners: CodeOwners;

  /** What the template renders for each sample file, so an upgrade can show what it changed. */
  public readonly sampleRenderings: SampleRenderings;

  /** The repository's copy of the mesh index, when the `meshIndex` option names one. */
  public readonly meshIndex?: MeshIndexCopy;

  constructor(options: SdlfDomainProjectOptions) {
    // Checked first: a bad option must stop `projen new` before anything is written, and take
    // back the install `projen new` made before it got here.
    const settings = checkOptionsBeforeProjenNew(options.outdir ?? process.cwd(), () => resolveDomainSettings(options));
    const readme = renderDomainReadme(settings);
    super(sdlfAppOptions(options, settings.templateSpec, readme));
    this.settings = settings;
    // `projen new` writes .projenrc.ts from the options it was given at synth: with the version
    // the dependency has, not projen's older default.
    const created = this.initProject?.args;
    if (created?.cdkVersion !== undefined) {
      created.cdkVersion = atLeastTemplateCdkVersion(created.cdkVersion);
    }
    this.appSource = new DomainAppSource(this, settings);
    this.samples = new DomainSamples(this, settings);
    // A new project has no contracts on disk yet: its docs come from the sample it is writing.
    const onDisk = readContractTexts(this.outdir, 'dataproducts');
    const texts = fs.existsSync(path.join(this.outdir, 'dataproducts')) ? onDisk : this.samples.contracts;
    this.contracts = new DomainContracts(this, settings.domain, texts);
    this.meshIndex = settings.meshIndex === undefined ? undefined : new MeshIndexCopy(this, settings.meshIndex);
    this.dataProductDocs = new DataProductDocs(this, this.contracts, { domain: settings.domain, meshIndex: this.meshIndex });
    this.stageSkeletons = new StageSkeletons(this, this.contracts, this.dataProductDocs.keptDataProducts);
    this.stageRecords = new StageRecords(this, this.contracts, this.dataProductDocs.keptDataProducts);
    this.codeOwners = new CodeOwners(this, settings);
    this.sampleRenderings = new SampleRenderings(this, {
      ...(options.readme ? {} : { 'README.md': readme }),
      ...this.samples.contracts,
      ...this.stageSkeletons.renderings,
    });
    const lintContracts = this.addTask('contract:lint', {
      description: 'Validate the data-product contracts (ODCS v3.1 and the SDLF rules, with the governance policy and consumer principals the synth reads)',
      exec: contractLintCommand(settings),
    });
    // Before anything is compiled or synthesized: an invalid contract fails the build in seconds
    // with the lint's output, not with a stack trace from synth.
    this.preCompileTask.spawn(lintContracts);
    const defaultBranch = options.defaultReleaseBranch ?? 'main';
    this.addTask('contract:diff', {
      description: `Compare the data-product contracts with origin/${defaultBranch}, as the pull-request workflow does (fetch first)`,
      exec: `sdlf-mesh contract diff origin/${defaultBranch} dataproducts --domain ${settings.domain}`,
    });
    // `sdlf-mesh contract test` runs the contracts' checks on data files in DuckDB, native code
    // the template cannot bundle: the repository installs it, at the version the template was
    // tested with (see Toolchain).
    this.addDevDeps(DUCKDB_PACKAGE);
    this.addTask('contract:test', {
      description: 'Test data files against a data-product contract, in DuckDB on this machine: npx projen contract:test -- dataproducts/<name>.yaml <files or folders> [--format junit --output <file>]',
      exec: 'sdlf-mesh contract test',
      receiveArgs: true,
    });
    this.localPipelineRun = new LocalPipelineRun(this);
    this.dataTests = new DataTests(this, this.contracts);
    this.pullRequestWorkflow = new PullRequestWorkflow(this, { contractsDomain: settings.domain });
    this.accessCheckWorkflow = new AccessCheckWorkflow(this, { domain: settings.domain, governancePolicyFile: settings.governancePolicyFile });
    this.deployWorkflow = new DeployWorkflow(this, {
      stagePrefix: settings.domain,
      environments: settings.environments,
      branch: options.defaultReleaseBranch,
    });
    this.typeCheck = new TypeCheck(this);
    new ProjenrcImport(this);
    this.toolchain = new Toolchain(this, { cdkVersion: this.cdkDeps.cdkVersion, pinTestedVersions: options.pinTestedVersions ?? true });
  }
}

/**
 * The lint of the contracts with what `src/main.ts` gives the app: the governance policy file and
 * the consumer principals (`{}` when there are none: the app checks consumers against the
 * baseline then), so a contract the synth would refuse fails the lint, at its line.
 */
function contractLintCommand(settings: DomainSettings): string {
  // The file is a checked relative path (letters, digits, `.`, `_`, `-`, `/`); the principals are
  // account IDs and role ARNs, which hold no single quote.
  const policy = settings.governancePolicyFile === undefined ? [] : [`--policy ${settings.governancePolicyFile}`];
  const principals = `--consumer-principals '${JSON.stringify(settings.consumerPrincipals)}'`;
  return ['sdlf-mesh contract lint dataproducts', `--domain ${settings.domain}`, ...policy, principals].join(' ');
}
