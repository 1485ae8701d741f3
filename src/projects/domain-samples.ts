import { Component, Project, SampleDir, SampleFile } from 'projen';
import { renderBlueprint } from './blueprint';
import { DomainSettings } from './domain-settings';

/** The data product a new domain repository starts with. */
export const SAMPLE_DATA_PRODUCT = 'orders';

/** The Lambda stage of the sample data product's pipeline. */
export const SAMPLE_LAMBDA_STAGE = 'light-transform';

/**
 * The files a domain team owns once they are written: a data-product contract, a Lambda stage
 * handler with its test. Each is written only when missing and never overwritten; the contract
 * folder is written only when it does not exist, so a team that removes the sample keeps it removed.
 */
export class DomainSamples extends Component {
  /** The sample data product. */
  public readonly dataProduct = SAMPLE_DATA_PRODUCT;

  /** The sample contract, by its path in the project. */
  public readonly contracts: Record<string, string>;

  constructor(project: Project, settings: DomainSettings) {
    super(project);
    const context = sampleContext(settings);
    const contract = renderBlueprint('sdlf-domain/samples/dataproduct.yaml.hbs', context);
    this.contracts = { [`dataproducts/${SAMPLE_DATA_PRODUCT}.yaml`]: contract };
    new SampleDir(project, 'dataproducts', { files: { [`${SAMPLE_DATA_PRODUCT}.yaml`]: contract } });
    new SampleFile(project, `src/stages/${SAMPLE_DATA_PRODUCT}/${SAMPLE_LAMBDA_STAGE}.ts`, {
      contents: renderBlueprint('sdlf-domain/samples/lambda-stage.ts.hbs', context),
    });
    new SampleFile(project, `test/stages/${SAMPLE_DATA_PRODUCT}/${SAMPLE_LAMBDA_STAGE}.test.ts`, {
      contents: renderBlueprint('sdlf-domain/samples/lambda-stage.test.ts.hbs', context),
    });
  }
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
    needsRegionSecret: settings.environments.some((environment) => !environment.region),
  };
}
