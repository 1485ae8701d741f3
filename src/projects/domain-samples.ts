import { Component, JsonFile, Project, SampleDir } from 'projen';
import { ContractStatus } from '../contract/contract';
import { contractJsonSchema } from '../contract/contract-schemas';
import { glueName } from '../contract/glue-names';
import { DomainSettings } from '../domain/domain-settings';
import { deployRoleArn } from '../domain/names';
import { renderBlueprint } from '../util/blueprint';

/** The data product a new domain repository starts with. */
export const SAMPLE_DATA_PRODUCT = 'orders';

/**
 * Where a domain repository keeps the contract schema, for editors (managed). The name stays the
 * one the first contracts' `yaml-language-server` lines point at: those lines are the team's.
 */
export const CONTRACT_SCHEMA_PATH = '.sdlf/odcs-json-schema-v3.1.0.json';

/** The Lambda stage of the sample data product's pipeline. */
export const SAMPLE_LAMBDA_STAGE = 'light-transform';

/**
 * The files a domain team starts with: an example data-product contract, a draft (whose Lambda
 * stage gets its skeleton from {@link StageSkeletons}). Written only when missing and never overwritten; the
 * contract folder is written only when it does not exist, so a team that removes the sample keeps
 * it removed.
 */
export class DomainSamples extends Component {
  /** The sample data product. */
  public readonly dataProduct = SAMPLE_DATA_PRODUCT;

  /** The sample contract, by its path in the project. */
  public readonly contracts: Record<string, string>;

  constructor(project: Project, settings: DomainSettings) {
    super(project);
    // The contract schema (the standard with the SDLF extensions), kept in the repository so
    // editors complete and check contracts offline.
    new JsonFile(project, CONTRACT_SCHEMA_PATH, {
      obj: contractJsonSchema(),
      readonly: true,
      marker: false,
    });
    const contract = renderSampleContract(settings.domain, settings.owner);
    this.contracts = { [`dataproducts/${SAMPLE_DATA_PRODUCT}.yaml`]: contract };
    new SampleDir(project, 'dataproducts', { files: { [`${SAMPLE_DATA_PRODUCT}.yaml`]: contract } });
  }
}

/**
 * The contract a new domain repository starts with (valid ODCS v3.1, passing every SDLF rule);
 * other names give the same contract for another data product. It is an example, a `draft`: a
 * new domain deploys no data product nobody asked for, and the catalog of the mesh does not list
 * one in every domain. Another status gives the contract as a team that made it its own has it.
 */
export function renderSampleContract(domain: string, owner: string, dataProduct = SAMPLE_DATA_PRODUCT, status: ContractStatus = 'draft'): string {
  return renderBlueprint('sdlf-domain/samples/dataproduct.yaml.hbs', {
    domain,
    owner,
    dataProduct,
    status,
    example: status === 'draft',
    stage: SAMPLE_LAMBDA_STAGE,
    schemaPath: CONTRACT_SCHEMA_PATH,
  });
}

/** The README a domain team starts with (a sample file: theirs once written). */
export function renderDomainReadme(settings: DomainSettings): string {
  return renderBlueprint('sdlf-domain/samples/README.md.hbs', sampleContext(settings));
}

function sampleContext(settings: DomainSettings) {
  return {
    ...settings,
    dataProduct: SAMPLE_DATA_PRODUCT,
    stage: SAMPLE_LAMBDA_STAGE,
    // Glue names (a resource link's) hold no hyphen.
    glueDomain: glueName(settings.domain),
    needsRegionVariable: settings.environments.some((environment) => !environment.region),
    // The access check reads the policy the synth reads; without one it approves nothing.
    policyFlag: settings.governancePolicyFile === undefined ? '' : ` --policy ${settings.governancePolicyFile}`,
    firstDeploy: settings.environments.map(({ name, account, region }) => ({
      name,
      account: account ?? '<account>',
      region: region ?? '<region>',
      deployRoleArn: deployRoleArn(settings.domain, name, account ?? '<account>'),
    })),
  };
}
