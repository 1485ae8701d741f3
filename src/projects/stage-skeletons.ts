import * as fs from 'fs';
import * as path from 'path';
import { Component, javascript, SampleFile, Task } from 'projen';
import type { DomainContracts } from './domain-contracts';
import type { Contract } from '../contract/contract';
import { glueName } from '../contract/glue-names';
import { stagePrefixes } from '../contract/stage-prefixes';
import { renderBlueprint } from '../util/blueprint';

/** The task that runs the Python tests of the Glue stage skeletons. */
export const GLUE_STAGE_TESTS_TASK = 'test:glue-stages';

/** What the stage skeletons' code and tests need, beyond what a CDK app has. */
const STAGE_DEPENDENCIES = {
  // The Lambda stages call S3 with the AWS SDK v3 the Lambda Node.js runtime carries (the
  // pipeline's bundle leaves it out): here for types, tests, and ESLint's check of imports.
  runtime: ['@aws-sdk/client-s3@^3'],
  // Their tests give the handler an S3 client whose answers each test sets, with bodies as the SDK returns them.
  test: ['aws-sdk-client-mock@^4', '@smithy/util-stream@^4'],
};

/**
 * The code skeleton of every pipeline stage the contracts name, written once and never
 * overwritten (see {@link stageSkeletonFiles}). Adding a stage to a contract and running
 * `npx projen` gives the team code to fill in; `cdk synth` refuses a stage whose code is missing.
 *
 * The skeletons' tests are part of `npx projen test`, and so of the pull-request workflow's build:
 * the Lambda stages' with jest, the Glue stages' with Python 3's unittest (task `test:glue-stages`).
 */
export class StageSkeletons extends Component {
  /** The stage files this synth knows of, by data product and stage. */
  public readonly files: string[];

  /** The template's contents of each stage file, by path. */
  public readonly renderings: Record<string, string>;

  /** The task that runs the Glue stages' Python tests; `undefined` when no contract has a Glue stage. */
  public readonly glueTestTask?: Task;

  /**
   * @param contracts the repository's contracts (the valid ones count: lint reports the others)
   * @param keptDataProducts data products whose contract is invalid but was valid before: the
   * Python tests of their Glue stages still run, as the last valid synth had them run
   */
  constructor(project: javascript.NodeProject, contracts: DomainContracts, keptDataProducts: string[] = []) {
    super(project);
    this.renderings = stageSkeletonFiles(contracts._contracts);
    this.files = Object.keys(this.renderings);
    for (const [file, contents] of Object.entries(this.renderings)) {
      new SampleFile(project, file, { contents });
    }
    project.addDeps(...STAGE_DEPENDENCIES.runtime);
    project.addDevDeps(...STAGE_DEPENDENCIES.test);

    const pythonTests = [...this.files, ...keptDataProducts.flatMap((dataProduct) => writtenGlueTests(project.outdir, dataProduct))];
    const pythonTestDirs = [...new Set(pythonTests.filter((file) => file.startsWith('test/') && file.endsWith('.py')).map((file) => path.posix.dirname(file)))];
    if (pythonTestDirs.length > 0) {
      // Unconditional: a repository with a Glue stage needs Python 3 to test it (GitHub's Ubuntu
      // runners have it). A machine without it fails the build saying `python3` is not found,
      // rather than passing with tests that did not run.
      this.glueTestTask = project.addTask(GLUE_STAGE_TESTS_TASK, { description: 'Test the pure functions of the Glue stages (Python 3, without Spark or Glue)' });
      for (const dir of pythonTestDirs.sort()) {
        // One run per folder, as the test modules of two data products may have the same name;
        // -B leaves no bytecode cache behind (the workflow fails on files the build changed).
        this.glueTestTask.exec(`python3 -B -m unittest discover -v -s ${dir} -p 'test_*.py'`);
      }
      project.testTask.spawn(this.glueTestTask);
      project.gitignore.exclude('__pycache__/');
    }
  }
}

/** The Glue stage tests of a data product on disk (`test/stages/<data product>/test_*.py`), relative to the project. */
function writtenGlueTests(outdir: string, dataProduct: string): string[] {
  const dir = `test/stages/${dataProduct}`;
  const absolute = path.join(outdir, dir);
  return fs.existsSync(absolute) ? fs.readdirSync(absolute).filter((name) => /^test_.*\.py$/.test(name)).map((name) => `${dir}/${name}`) : [];
}

/**
 * The stage skeletons of valid contracts, by path in the domain repository: for a Lambda stage
 * `src/stages/<data product>/<stage>.ts` (the handler the pipeline bundles) and its test under
 * `test/stages/`; for a Glue stage `src/stages/<data product>/<stage>.py` (the PySpark script of
 * its job) and `test/stages/<data product>/test_<stage>.py` (a unittest of its pure functions).
 * Each knows the prefixes its stage reads and writes.
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
        // The last stage writes where the tables are (Parquet): the Lambda skeleton says what that takes.
        writesTables: index === stages.length - 1,
        // A Python module name (unittest discovers `test_*.py`), from a stage name of letters, digits and hyphens.
        testModule: `test_${stage.name.replace(/-/g, '_')}`,
      };
      const render = (blueprint: string) => renderBlueprint(`sdlf-domain/samples/${blueprint}`, context);
      if (stage.type === 'glue') {
        files[`src/stages/${dataProduct}/${stage.name}.py`] = render('glue-stage.py.hbs');
        files[`test/stages/${dataProduct}/${context.testModule}.py`] = render('glue-stage-test.py.hbs');
      } else {
        files[`src/stages/${dataProduct}/${stage.name}.ts`] = render('lambda-stage.ts.hbs');
        files[`test/stages/${dataProduct}/${stage.name}.test.ts`] = render('lambda-stage.test.ts.hbs');
      }
    });
  }
  return files;
}
