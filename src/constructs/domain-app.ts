import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';
import { DataContract } from './data-contract';
import { DomainStage } from './domain-stage';
import { MESH_INDEX_COPY } from '../contract/mesh-index';
import { checkConsumerPrincipals } from '../domain/consumer-principals';
import { DomainEnvironment } from '../domain/domain-environment';
import { assertDomainName } from '../domain/domain-name';
import { checkEnvironments } from '../domain/environment-spec';
import { requireGovernancePolicyFile } from '../domain/governance-policy-file';
import { GovernancePolicyProps } from '../domain/governance-policy-props';
import { assertTagValue } from '../domain/tag-value';
import { InvalidOptionError } from '../util/invalid-option-error';

/**
 * Props of {@link DomainApp}.
 */
export interface DomainAppProps extends AppProps {
  /** Domain name: 2 to 24 lowercase letters, digits and single hyphens, starting with a letter. */
  readonly domain: string;

  /** Accountable owner of the domain, e.g. a team mailbox (`sdlf:owner`). */
  readonly owner: string;

  /**
   * Cost center of the domain (`sdlf:cost-center`).
   *
   * @default "unassigned"
   */
  readonly costCenter?: string;

  /** The environments to deploy to: one {@link DomainStage} `<domain>-<name>` each. */
  readonly environments: DomainEnvironment[];

  /**
   * Folder of the domain's data-product contracts (`*.yaml`).
   *
   * @default "dataproducts" in the working directory
   */
  readonly dataProductsDir?: string;

  /**
   * Lake Formation principals (account ID or role ARN) of consumer domains, for the grants
   * contracts give by domain name.
   *
   * @default - none: a contract that grants to a domain fails the synth, naming this prop
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The platform's governance policy (it only tightens the baseline, which always applies).
   *
   * @default - the baseline: governance tags and encryption at rest everywhere, any region
   */
  readonly governancePolicy?: GovernancePolicyProps;

  /**
   * The platform's governance policy as a YAML or JSON file of {@link GovernancePolicyProps}
   * (what the `sdlf-platform` repository holds); it must exist. Give this or `governancePolicy`.
   *
   * @default - `governancePolicy`
   */
  readonly governancePolicyFile?: string;

  /**
   * Folder of the pipeline stage code: a Lambda stage `<name>` of data product `<product>` is
   * `<stagesDir>/<product>/<name>.ts`, exporting `handler`; a Glue stage is `<name>.py`.
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
   * The mesh index the inputs of the contracts (`sdlfInputs`) are linked with (see
   * `DomainStageProps.meshIndexFile`): the repository's copy, which `npx projen` writes from the
   * project's `meshIndex` option, or any `catalog.json` of the catalog. It must exist.
   *
   * @default - `.sdlf/mesh-index.json` in the working directory when it exists, else no input is linked
   */
  readonly meshIndexFile?: string;
}

/**
 * The CDK app of a domain repository: one {@link DomainStage} per environment, built from the
 * data-product contracts in `dataproducts/`.
 *
 * The props are checked before any construct is created, so a bad domain name or environment
 * fails `cdk synth` with a message naming the prop and the fix.
 *
 * @example
 * new DomainApp({
 *   domain: 'sales',
 *   owner: 'sales-data@example.com',
 *   environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1' }],
 * }).synth();
 */
export class DomainApp extends App {
  /** The stages, one per environment, in the order given. */
  public readonly stages: DomainStage[];

  /** The data products found in the contracts folder, in file-name order. */
  public readonly dataProducts: string[];

  constructor(props: DomainAppProps) {
    assertDomainName(props.domain);
    assertTagValue(props.owner, 'owner');
    if (props.costCenter !== undefined) {
      assertTagValue(props.costCenter, 'costCenter');
    }
    checkEnvironments(props.environments);
    checkConsumerPrincipals(props.consumerPrincipals);
    const governancePolicy = policyOf(props);
    super(props);

    const dataProductsDir = props.dataProductsDir ?? path.join(process.cwd(), 'dataproducts');
    // Consumers are checked with the contracts, so a refused one is reported at its line.
    const contracts = DataContract.fromFolder(dataProductsDir, {
      domain: props.domain,
      consumerPrincipals: props.consumerPrincipals ?? {},
      allowedConsumers: governancePolicy?.allowedConsumers,
    });
    this.dataProducts = contracts.map((contract) => contract.dataProduct);
    const meshIndexFile = meshIndexFileOf(props);
    this.stages = props.environments.map(
      (environment) =>
        new DomainStage(this, `${props.domain}-${environment.name}`, {
          env: { account: environment.account, region: environment.region },
          domain: props.domain,
          environment: environment.name,
          owner: props.owner,
          costCenter: props.costCenter,
          contracts,
          consumerPrincipals: props.consumerPrincipals,
          governancePolicy,
          stagesDir: props.stagesDir,
          bootstrapQualifier: props.bootstrapQualifier,
          meshIndexFile,
        }),
    );
  }
}

/** The mesh index the app links inputs with: the one named, which must exist, or the repository's copy when there is one. */
function meshIndexFileOf(props: DomainAppProps): string | undefined {
  if (props.meshIndexFile !== undefined) {
    if (!fs.existsSync(props.meshIndexFile)) {
      throw new InvalidOptionError('meshIndexFile', `${props.meshIndexFile} does not exist; give the catalog's catalog.json or the repository's ${MESH_INDEX_COPY}`);
    }
    return props.meshIndexFile;
  }
  const copy = path.join(process.cwd(), MESH_INDEX_COPY);
  return fs.existsSync(copy) ? copy : undefined;
}

/** The platform's policy, from the file or the props; a missing file is an error, never no policy. */
function policyOf(props: DomainAppProps): GovernancePolicyProps | undefined {
  const file = props.governancePolicyFile;
  if (file === undefined) {
    return props.governancePolicy;
  }
  if (props.governancePolicy !== undefined) {
    throw new InvalidOptionError('governancePolicyFile', 'give the policy once: as governancePolicyFile or as governancePolicy');
  }
  return requireGovernancePolicyFile(file, 'governancePolicyFile');
}
