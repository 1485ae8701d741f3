import { Component, Project, SampleFile } from 'projen';
import { renderBlueprint } from './blueprint';
import { lintContractText } from '../contract/lint-contract';

/**
 * The code skeleton of every Lambda stage the contracts name, written once and never overwritten:
 * `src/stages/<data product>/<stage>.ts` (the handler the pipeline bundles) and its test under
 * `test/stages/`. Adding a stage to a contract and running `npx projen` gives the team a handler
 * to fill in; `cdk synth` refuses a stage whose code is missing.
 */
export class StageSkeletons extends Component {
  /** The stage files this synth knows of, handler and test, by data product and stage. */
  public readonly files: string[] = [];

  /**
   * @param contracts the contract files' text by path (invalid contracts are skipped: lint reports them)
   */
  constructor(project: Project, domain: string, contracts: Record<string, string>) {
    super(project);
    for (const [file, text] of Object.entries(contracts)) {
      const report = lintContractText(file, text, { domain });
      if (report.problems.length > 0) {
        continue;
      }
      const pipeline = (report.contract.customProperties ?? []).find((entry: any) => entry?.property === 'sdlfPipeline')?.value;
      for (const stage of pipeline?.stages ?? []) {
        if (stage.type !== 'lambda') {
          continue;
        }
        const context = { dataProduct: report.contract.dataProduct, stage: stage.name };
        const handler = `src/stages/${context.dataProduct}/${stage.name}.ts`;
        const test = `test/stages/${context.dataProduct}/${stage.name}.test.ts`;
        new SampleFile(project, handler, { contents: renderBlueprint('sdlf-domain/samples/lambda-stage.ts.hbs', context) });
        new SampleFile(project, test, { contents: renderBlueprint('sdlf-domain/samples/lambda-stage.test.ts.hbs', context) });
        this.files.push(handler, test);
      }
    }
  }
}
