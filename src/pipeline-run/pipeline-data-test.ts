import * as fs from 'fs';
import * as path from 'path';
import { schemaObjectOf } from './catalog-tables';
import { PipelineRunReport, runPipeline } from './run-pipeline';
import { Contract } from '../contract/contract';
import { dataFiles } from '../contract/data-files';
import { contractFiles, lintContracts } from '../contract/lint-contract';
import { ContractDataTest, DEFAULT_SAMPLES, testTableData } from '../contract/test-contract-data';
import { InvalidOptionError } from '../util/invalid-option-error';

/** Statuses whose data product is deployed, so in the app: the others' samples wait. */
const DEPLOYED_STATUSES: ReadonlyArray<Contract['status']> = ['active', 'deprecated'];

/** What the data test is given. */
export interface PipelineDataTestOptions {
  /** The folder of the samples, `<dataDir>/<data product>/<file>`. */
  readonly dataDir: string;
  /** The folder of the contracts. */
  readonly contractsDir: string;
  /**
   * The app's cloud assembly: called once, when the first sample runs (a repository whose samples
   * all wait needs none, so it is not synthesized).
   */
  readonly assembly: () => Promise<string>;
  /** Where the runs keep their objects, `<workDir>/<data product>/<sample>/`. */
  readonly workDir: string;
  /** Folders that hold the AWS SDK the Lambda runtime provides. */
  readonly nodePath: string[];
  /**
   * The data products to test.
   *
   * @default - every data product with a folder of samples
   */
  readonly dataProducts?: readonly string[];
  /**
   * The environment whose data-product stacks run.
   *
   * @default - the first environment of the app that has the data product
   */
  readonly environment?: string;
  /** Called as each sample starts. */
  readonly onSample?: (dataProduct: string, sample: string) => void;
}

/** One sample of a data product, run through its pipeline and tested against its contract. */
export interface SampleTest {
  readonly dataProduct: string;
  /** The sample file. */
  readonly sample: string;
  /** Why it did not run (a data product that is not deployed). */
  readonly skipped?: string;
  /** What failed besides the checks: no contract, the run, a table left empty. */
  readonly problems: string[];
  /** The run, when there was one. */
  readonly run?: PipelineRunReport;
  /** Each table's files after the run, tested against the contract's table. */
  readonly tables: ContractDataTest[];
  readonly passed: boolean;
}

/** The outcome of a domain's data test. */
export interface PipelineDataTest {
  readonly samples: SampleTest[];
  /** No sample failed (skipped ones do not fail). */
  readonly passed: boolean;
}

/**
 * A domain's data test: each sample under `test/data/<data product>/` is delivered to the data
 * product's pipeline as synthesized ({@link runPipeline}, offline), and what the pipeline leaves in
 * each table is tested against the contract's table: every check of `sdlf-mesh contract test`
 * (columns and types, required, unique, the primary key, the quality rules), not only those Glue
 * Data Quality evaluates. So a transform that drops a required column or breaks a quality rule
 * fails the test, with the check's name and counts.
 *
 * The samples of a data product that is not deployed (draft, proposed, retired) wait, reported as
 * skipped. Samples without a contract, a run that fails, and a table the run left without Parquet
 * fail the test.
 */
export async function testPipelineData(options: PipelineDataTestOptions): Promise<PipelineDataTest> {
  const samples = findSamples(options.dataDir, options.dataProducts);
  const contracts = new Map<string, Contract>();
  if (fs.existsSync(options.contractsDir)) {
    for (const report of lintContracts(contractFiles([options.contractsDir]))) {
      if (report.contract) {
        contracts.set(report.contract.dataProduct, report.contract);
      }
    }
  }
  let assembly: Promise<string> | undefined;
  const results: SampleTest[] = [];
  for (const { dataProduct, sample } of samples) {
    const contract = contracts.get(dataProduct);
    if (!contract) {
      results.push(failed(dataProduct, sample, [
        `there is no valid contract of ${dataProduct} in ${options.contractsDir}: name the folder after a data product's contract, or remove ${path.dirname(sample)}`,
      ]));
      continue;
    }
    if (!DEPLOYED_STATUSES.includes(contract.status)) {
      results.push({
        dataProduct,
        sample,
        problems: [],
        tables: [],
        passed: true,
        skipped: `${dataProduct} is ${contract.status}: it is not deployed, so its pipeline is not in the app; its samples run once its status is active`,
      });
      continue;
    }
    options.onSample?.(dataProduct, sample);
    assembly ??= options.assembly();
    const run = await runPipeline({
      dataProduct,
      file: sample,
      assemblyDir: await assembly,
      environment: options.environment,
      contractsDir: options.contractsDir,
      // Read once for every sample, rather than again by each run.
      contract,
      workDir: path.join(options.workDir, dataProduct, path.basename(sample)),
      nodePath: options.nodePath,
    });
    results.push(await testRun(contract, sample, run));
  }
  return { samples: results, passed: results.every((result) => result.passed) };
}

/** The tables a run left, each tested against its contract table. */
async function testRun(contract: Contract, sample: string, run: PipelineRunReport): Promise<SampleTest> {
  const { dataProduct } = contract;
  if (!run.succeeded) {
    const failure = run.executions.find((execution) => !execution.succeeded)?.failure;
    const why = failure
      ? `${failure.state}: ${failure.error}${failure.cause ? `: ${failure.cause}` : ''}`
      : `no stage takes ${run.input.key}`;
    return { ...failed(dataProduct, sample, [`the pipeline run failed: ${why}`]), run };
  }
  const problems: string[] = [];
  const tables: ContractDataTest[] = [];
  for (const output of run.outputs) {
    const object = schemaObjectOf(contract.objects, output.name);
    if (!object) {
      continue;
    }
    if (output.files.length === 0) {
      problems.push(`${output.table}: the pipeline wrote no Parquet under ${output.location}, so a consumer's query finds nothing`);
      continue;
    }
    tables.push(await testTableData({ contract: contract.file, dataProduct, object }, dataFiles(output.files), DEFAULT_SAMPLES, output.location));
  }
  return { dataProduct, sample, problems, run, tables, passed: problems.length === 0 && tables.every((table) => table.passed) };
}

function failed(dataProduct: string, sample: string, problems: string[]): SampleTest {
  return { dataProduct, sample, problems, tables: [], passed: false };
}

/** The sample files of each data product's folder (dot files and Markdown left out), in name order. */
function findSamples(dataDir: string, only: readonly string[] | undefined): Array<{ dataProduct: string; sample: string }> {
  const folders = fs.existsSync(dataDir)
    ? fs.readdirSync(dataDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
    : [];
  for (const dataProduct of only ?? []) {
    if (!folders.includes(dataProduct)) {
      throw new InvalidOptionError('data product', `there are no samples of ${dataProduct}: put its deliveries under ${path.join(dataDir, dataProduct)}/`);
    }
  }
  return folders
    .filter((dataProduct) => only === undefined || only.length === 0 || only.includes(dataProduct))
    .flatMap((dataProduct) => fs.readdirSync(path.join(dataDir, dataProduct), { withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !/\.md$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort()
      .map((name) => ({ dataProduct, sample: path.join(dataDir, dataProduct, name) })));
}
