import { Component, Project, SampleFile } from 'projen';
import { renderBlueprint } from './blueprint';
import { glueName } from '../contract/glue-names';
import { lintContractText } from '../contract/lint-contract';
import { stagePrefixes } from '../contract/stage-prefixes';

/**
 * The code skeleton of every pipeline stage the contracts name, written once and never
 * overwritten (see {@link stageSkeletonFiles}). Adding a stage to a contract and running
 * `npx projen` gives the team code to fill in; `cdk synth` refuses a stage whose code is missing.
 */
export class StageSkeletons extends Component {
  /** The stage files this synth knows of, by data product and stage. */
  public readonly files: string[];

  /** The template's contents of each stage file, by path. */
  public readonly renderings: Record<string, string>;

  /**
   * @param contracts the contract files' text by path (invalid contracts are skipped: lint reports them)
   */
  constructor(project: Project, domain: string, contracts: Record<string, string>) {
    super(project);
    this.renderings = stageSkeletonFiles(domain, contracts);
    this.files = Object.keys(this.renderings);
    for (const [file, contents] of Object.entries(this.renderings)) {
      new SampleFile(project, file, { contents });
    }
  }
}

/**
 * The stage skeletons of valid contracts, by path in the domain repository: for a Lambda stage
 * `src/stages/<data product>/<stage>.ts` (the handler the pipeline bundles) and its test under
 * `test/stages/`; for a Glue stage `src/stages/<data product>/<stage>.py` (the PySpark script of
 * its job). Each knows the prefixes its stage reads and writes.
 */
export function stageSkeletonFiles(domain: string, contracts: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(contracts)) {
    const report = lintContractText(file, text, { domain });
    if (report.problems.length > 0) {
      continue;
    }
    const dataProduct: string = report.contract.dataProduct;
    const stages: any[] = (report.contract.customProperties ?? []).find((entry: any) => entry?.property === 'sdlfPipeline')?.value?.stages ?? [];
    const names = stages.map((stage) => stage.name);
    stages.forEach((stage, index) => {
      const prefixes = stagePrefixes(dataProduct, names, index);
      const context = {
        dataProduct,
        stage: stage.name,
        table: glueName(report.contract.schema?.[0]?.name ?? dataProduct),
        inputPrefix: prefixes.input,
        outputPrefix: prefixes.output,
      };
      const render = (blueprint: string) => renderBlueprint(`sdlf-domain/samples/${blueprint}`, context);
      if (stage.type === 'glue') {
        files[`src/stages/${dataProduct}/${stage.name}.py`] = render('glue-stage.py.hbs');
      } else {
        files[`src/stages/${dataProduct}/${stage.name}.ts`] = render('lambda-stage.ts.hbs');
        files[`test/stages/${dataProduct}/${stage.name}.test.ts`] = render('lambda-stage.test.ts.hbs');
      }
    });
  }
  return files;
}
