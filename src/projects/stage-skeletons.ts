import { Component, Project, SampleFile } from 'projen';
import { renderBlueprint } from './blueprint';
import type { DomainContracts } from './domain-contracts';
import type { Contract } from '../contract/contract';
import { glueName } from '../contract/glue-names';
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
   * @param contracts the repository's contracts (the valid ones count: lint reports the others)
   */
  constructor(project: Project, contracts: DomainContracts) {
    super(project);
    this.renderings = stageSkeletonFiles(contracts._contracts);
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
export function stageSkeletonFiles(contracts: readonly Contract[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const contract of contracts) {
    const { dataProduct, stages } = contract;
    const names = stages.map((stage) => stage.name);
    stages.forEach((stage, index) => {
      const prefixes = stagePrefixes(dataProduct, names, index);
      const context = {
        dataProduct,
        stage: stage.name,
        table: glueName(contract.objects[0]?.name ?? dataProduct),
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
