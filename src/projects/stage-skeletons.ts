import * as fs from 'fs';
import * as path from 'path';
import { Component, javascript, SampleFile, Task } from 'projen';
import type { DomainContracts } from './domain-contracts';
import type { Contract } from '../contract/contract';
import { GlueColumn, glueTableColumns } from '../contract/contract-rendering';
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
        // The last stage writes where the tables are (typed Parquet); another stage writes for the next one.
        writesTables: index === stages.length - 1,
        // What the stage reads: the raw delivery (CSV), or what the stage before it wrote.
        inputFormat: index === 0 ? 'csv' : stages[index - 1].type === 'lambda' ? 'json' : 'parquet',
        ...sampleDelivery(contract.objects[0] ? glueTableColumns(contract.objects[0]).columns : []),
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

/** A value of a column type, as CSV text, and as the stage's test reads it back from Parquet (JSON, dates as ISO 8601 text). */
function sampleValue(glueType: string): { text: string; read: unknown } {
  const decimal = /^decimal(?:\(\d+(?:,(\d+))?\))?$/.exec(glueType);
  if (decimal) {
    // Fits every precision: 0.5 at a scale of 1 or more, 1 at scale 0.
    return Number(decimal[1] ?? 0) > 0 ? { text: '0.5', read: 0.5 } : { text: '1', read: 1 };
  }
  switch (glueType) {
    case 'boolean':
      return { text: 'true', read: true };
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      return { text: '7', read: 7 };
    case 'float':
    case 'double':
      return { text: '2.5', read: 2.5 };
    case 'date':
      return { text: '2024-05-01', read: '2024-05-01T00:00:00.000Z' };
    case 'timestamp':
      return { text: '2024-05-01 10:00:00', read: '2024-05-01T10:00:00.000Z' };
    default:
      return { text: 'text', read: 'text' };
  }
}

/**
 * The delivery a Lambda stage skeleton's test sends: one record of the first table's columns as
 * CSV, the record as the stage reads it, the row the tables' Parquet holds for it, and the same
 * CSV with a value its column cannot hold (none when every column is text).
 */
function sampleDelivery(columns: readonly GlueColumn[]) {
  const table = columns.length > 0 ? columns : [{ name: 'id', type: 'string' }];
  const values = table.map((column) => sampleValue(column.type));
  const csv = (texts: string[]) => `${table.map((column) => column.name).join(',')}\n${texts.join(',')}\n`;
  const typed = table.findIndex((column) => sampleValue(column.type).read !== 'text' && column.type !== 'binary');
  return {
    sampleCsv: csv(values.map((value) => value.text)),
    sampleRecord: Object.fromEntries(table.map((column, index) => [column.name, values[index].text])),
    expectedRow: Object.fromEntries(columns.map((column, index) => [column.name, values[index].read])),
    rejected: typed < 0 ? null : {
      csv: csv(values.map((value, index) => (index === typed ? 'not-a-value' : value.text))),
      message: `column ${table[typed].name} (${table[typed].type}) cannot hold "not-a-value"`,
    },
  };
}
