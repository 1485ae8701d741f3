import * as fs from 'fs';
import * as path from 'path';
import { Component, javascript, TextFile } from 'projen';
import type { DomainContracts } from './domain-contracts';
import { managedFile } from './managed-file';
import type { Contract } from '../contract/contract';
import { glueTableColumns } from '../contract/contract-rendering';
import { glueName } from '../contract/glue-names';
import { stagePrefixes } from '../contract/stage-prefixes';

/** The template's module of records in and out of a Lambda stage, which every Lambda stage imports. */
export const STAGE_RECORDS_FILE = 'src/stages/stage-records.generated.ts';

/** The Jest transform that gives the tests the ES-module-only packages as CommonJS. */
export const ESM_TRANSFORM_FILE = 'test/esm-to-commonjs.js';

/** The packages published as ES modules only that a stage or its test imports: Jest cannot `require()` them before Node.js 24.9. */
const ESM_ONLY_PACKAGES = ['hyparquet', 'hyparquet-writer'];

/** What the records module and the stages' tests need. */
const RECORD_DEPENDENCIES = {
  // Bundled into each Lambda stage by esbuild: the CSV parser, and the Parquet writer (pure
  // JavaScript, no native code, about 100 KB bundled).
  runtime: ['hyparquet-writer@^0.17.0', 'csv-parse@^7'],
  // The stages' tests read back the Parquet a stage writes with the writer's own reader.
  test: ['hyparquet@^1.31.5'],
};

/** The file of a data product's tables, which its Lambda stages import. */
export function stageTablesFile(dataProduct: string): string {
  return `src/stages/${dataProduct}/tables.generated.ts`;
}

/**
 * The template-managed code the Lambda stage skeletons import, regenerated on every synth so that
 * a contract change or a template upgrade reaches the stages without their code being edited.
 *
 * Its files:
 * - `src/stages/stage-records.generated.ts`: reading CSV and JSON lines into records, conforming
 *   a record to a table's columns, writing typed Parquet (with hyparquet-writer) and JSON lines;
 * - `src/stages/<data product>/tables.generated.ts` for each data product with a Lambda stage:
 *   its tables' names, columns, Glue types and partition keys, from its contract, and the prefix
 *   where they are.
 *
 * It adds the writer and the CSV parser as dependencies (esbuild bundles them into each stage)
 * and has Jest give the tests the writer and its reader, which are ES modules only, as CommonJS.
 * The tables of a data product whose contract became invalid stay as its last valid version made
 * them, as its docs page does, until the contract is valid again.
 */
export class StageRecords extends Component {
  /** The managed files, by path. */
  public readonly files: string[];

  /**
   * @param contracts the repository's contracts (the valid ones count: lint reports the others)
   * @param keptDataProducts data products whose contract is invalid but was valid before
   */
  constructor(project: javascript.NodeProject, contracts: DomainContracts, keptDataProducts: string[] = []) {
    super(project);
    this.files = [];
    for (const module of stageModules(contracts._contracts)) {
      managedFile(project, module.file, module.blueprint, module.context);
      this.files.push(module.file);
    }
    for (const dataProduct of keptDataProducts) {
      const lines = writtenManagedLines(project.outdir, stageTablesFile(dataProduct));
      if (lines) {
        new TextFile(project, stageTablesFile(dataProduct), { readonly: true, lines });
        this.files.push(stageTablesFile(dataProduct));
      }
    }
    project.addDeps(...RECORD_DEPENDENCIES.runtime);
    project.addDevDeps(...RECORD_DEPENDENCIES.test);

    managedFile(project, ESM_TRANSFORM_FILE, 'sdlf-domain/managed/esm-to-commonjs.js.hbs', {});
    this.files.push(ESM_TRANSFORM_FILE);
    const jest = project.jest;
    if (jest) {
      const packages = ESM_ONLY_PACKAGES.join('|');
      jest.config.transformIgnorePatterns = [`/node_modules/(?!(${packages})/)`];
      jest.config.transform = { ...jest.config.transform, [`/node_modules/(${packages})/.+\\.js$`]: `<rootDir>/${ESM_TRANSFORM_FILE}` };
    }
  }
}

/** A managed module of the Lambda stages: its path, and the blueprint and context it is rendered from. */
export interface StageModule {
  readonly file: string;
  readonly blueprint: string;
  readonly context: object;
}

/**
 * The managed modules the Lambda stages of valid contracts import: the records module, and the
 * tables of each data product with a Lambda stage.
 */
export function stageModules(contracts: readonly Contract[]): StageModule[] {
  return [
    { file: STAGE_RECORDS_FILE, blueprint: 'sdlf-domain/managed/stage-records.ts.hbs', context: {} },
    ...contracts.filter((contract) => contract.stages.some((stage) => stage.type === 'lambda')).map((contract) => ({
      file: stageTablesFile(contract.dataProduct),
      blueprint: 'sdlf-domain/managed/tables.ts.hbs',
      context: stageTablesContext(contract),
    })),
  ];
}

/** What the tables module of a data product is rendered from. */
function stageTablesContext(contract: Contract) {
  const names = contract.stages.map((stage) => stage.name);
  return {
    dataProduct: contract.dataProduct,
    file: contract.file,
    tablesPrefix: stagePrefixes(contract.dataProduct, names, names.length - 1).output,
    tables: contract.objects.map((object) => {
      const { columns, partitionKeys } = glueTableColumns(object);
      const column = ({ name, type }: { name: string; type: string }) => ({ name, type });
      return { name: glueName(object.name), columns: columns.map(column), partitionKeys: partitionKeys.map(column) };
    }),
  };
}

/** The lines of a managed file a synth wrote (without its final newline), or undefined when there is none. */
function writtenManagedLines(outdir: string, file: string): string[] | undefined {
  const absolute = path.join(outdir, file);
  if (!fs.existsSync(absolute)) {
    return undefined;
  }
  const lines = fs.readFileSync(absolute, 'utf8').replace(/\n$/, '').split('\n');
  return lines[0]?.includes('Generated by projen') ? lines : undefined;
}
