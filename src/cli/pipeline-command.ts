import * as fs from 'fs';
import * as path from 'path';
import { parseFlags } from './command-line';
import { DATA_TEST_DIR } from '../contract/sample-rows';
import { renderPipelineDataTest, renderRunSummary, renderState, runPipeline, runtimeNodePath, testPipelineData } from '../pipeline-run';
import { CommandFailedError, exec } from '../util/exec';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The flags of `pipeline run`. */
const RUN_OPTIONS = {
  app: { type: 'string' },
  environment: { type: 'string' },
  contracts: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The flags of `pipeline test`. */
const TEST_OPTIONS = {
  app: { type: 'string' },
  environment: { type: 'string' },
  contracts: { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
} as const;

/** Where the run keeps its objects, in the domain repository (ignored by git). */
export const PIPELINE_RUN_DIR = '.sdlf/pipeline-run';

/** Where the data test's runs keep their objects, in the domain repository (ignored by git). */
export const PIPELINE_TEST_DIR = '.sdlf/pipeline-test';

/** What a domain app's cloud assembly is made from: newer files than it mean it is out of date. */
const APP_SOURCES = ['src', 'dataproducts', 'cdk.json'];

/** `sdlf-mesh pipeline run <data product> <file>`: the arguments after the command's name. */
export async function pipelineRunCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, RUN_OPTIONS, true);
  const [dataProduct, file, ...extra] = positionals;
  if (!dataProduct || !file || extra.length > 0) {
    throw new InvalidOptionError('arguments', 'give the data product and the file to deliver to its pipeline: sdlf-mesh pipeline run orders samples/orders.csv');
  }
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    throw new InvalidOptionError('file', `${file} is not a file; give the file to deliver to the pipeline, e.g. sdlf-mesh pipeline run ${dataProduct} samples/${dataProduct}.csv`);
  }
  const cwd = process.cwd();
  const assemblyDir = values.app ?? (await synthesize(cwd));
  const json = values.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const report = await runPipeline({
    dataProduct,
    file,
    assemblyDir,
    environment: values.environment,
    contractsDir: values.contracts ?? path.join(cwd, 'dataproducts'),
    workDir: values.out ?? path.join(cwd, PIPELINE_RUN_DIR),
    nodePath: runtimeNodePath(cwd),
    onExecution: (stage, objects) => say(`${stage} (${objects} object(s)):`),
    onState: (_stage, state) => say(renderState(state)),
  });
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(renderRunSummary(report));
  }
  return report.succeeded ? 0 : 1;
}

/** `sdlf-mesh pipeline test [<data product>...]`: the arguments after the command's name. */
export async function pipelineTestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, TEST_OPTIONS, true);
  const cwd = process.cwd();
  const test = await testPipelineData({
    // Relative, as the report names them.
    dataDir: values.data ?? DATA_TEST_DIR,
    contractsDir: values.contracts ?? 'dataproducts',
    assembly: async () => values.app ?? (await currentAssembly(cwd)),
    workDir: values.out ?? path.join(cwd, PIPELINE_TEST_DIR),
    nodePath: runtimeNodePath(cwd),
    dataProducts: positionals,
    environment: values.environment,
    onSample: (dataProduct, sample) => process.stderr.write(`Running ${dataProduct}'s pipeline on ${sample}...\n`),
  });
  console.log(renderPipelineDataTest(test));
  return test.passed ? 0 : 1;
}

/**
 * The cloud assembly of the domain app of `cwd`: the one there is (cdk.json's `output`, else
 * cdk.out) when no file it is made from is newer, as after the build's synth; else synthesized
 * afresh, so that the stages' code a test runs is the code in `src/`.
 */
async function currentAssembly(cwd: string): Promise<string> {
  const manifest = path.join(assemblyDirOf(cwd), 'manifest.json');
  const built = fs.statSync(manifest, { throwIfNoEntry: false })?.mtimeMs;
  if (built !== undefined && APP_SOURCES.every((source) => newestChange(path.join(cwd, source)) <= built)) {
    return path.dirname(manifest);
  }
  return synthesize(cwd);
}

/** When a file or anything in a folder last changed (0 when it does not exist). */
function newestChange(file: string): number {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) {
    return stat?.mtimeMs ?? 0;
  }
  return Math.max(stat.mtimeMs, ...fs.readdirSync(file).map((name) => newestChange(path.join(file, name))));
}

/** The cloud assembly folder of the domain app of `cwd`: cdk.json's `output`, else cdk.out. */
function assemblyDirOf(cwd: string): string {
  const cdkJson = path.join(cwd, 'cdk.json');
  const output = fs.existsSync(cdkJson) ? JSON.parse(fs.readFileSync(cdkJson, 'utf8')).output : undefined;
  return path.join(cwd, typeof output === 'string' ? output : 'cdk.out');
}

/** Synthesizes the domain app of `cwd` into its cloud assembly (cdk.json's `output`, else cdk.out). */
async function synthesize(cwd: string): Promise<string> {
  const cdkJson = path.join(cwd, 'cdk.json');
  if (!fs.existsSync(cdkJson)) {
    throw new InvalidOptionError('--app', `there is no CDK app in ${cwd} (no cdk.json): run the command in a domain repository, or give the cloud assembly with --app cdk.out`);
  }
  process.stderr.write('Synthesizing the app (npx cdk synth --quiet)...\n');
  try {
    await exec('npx', ['cdk', 'synth', '--quiet'], { cwd, stdout: 'log' });
  } catch (error) {
    if (error instanceof CommandFailedError) {
      throw new InvalidOptionError('--app', `npx cdk synth failed, so there is no app to run; fix what it says, or give a cloud assembly with --app:\n${error.output.trim().split('\n').slice(-15).join('\n')}`);
    }
    throw error;
  }
  return assemblyDirOf(cwd);
}
