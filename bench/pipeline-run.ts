/**
 * Runs the local pipeline (`sdlf-mesh pipeline run`) over a million rows of CSV of the sample
 * contract's `orders` table, for two pipelines: a Lambda stage alone (the default, which writes the
 * table's typed Parquet itself) and a Lambda stage then a Glue stage (JSON lines between them, the
 * Glue job's Parquet written by DuckDB). Prints, for each, the run's wall time and rows per second,
 * the peak resident memory of the run's process and of each process it started (the Lambda
 * handler's Node.js, the Glue transform's python3), and the time of each state of each execution
 * as the run reports it.
 *
 * Each pipeline runs in a process of its own (the compiled package), so that each peak is its own.
 * That process's peak is its `process.resourceUsage().maxRSS` (the S3 server, the state machine
 * interpreter, DuckDB's Parquet, quality checks and query); a child's is the `VmHWM` of
 * `/proc/<pid>/status`, read every 25 ms while it runs (a high-water mark: at worst the growth of
 * its last 25 ms is missed).
 *
 * The local run gives the handler the memory of the machine (it enforces the function's timeout,
 * not its memory): with `--lambda-heap`, V8's heap in the handler's process is capped as the Lambda
 * Node.js runtime caps it for the function's memory, so that the handler's peak is what it would
 * be in Lambda, and a handler that needs more heap fails as it would there.
 *
 * Run: npx projen bench:pipeline-run [--rows 100000] [--lambda-heap]   (needs `npx projen compile`)
 *      npx ts-node --project test/tsconfig.json bench/pipeline-run.ts [--rows 1000000] [--lambda-heap]
 *      (or BENCH_ROWS=100000 for a quick try)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { writeOrdersRows } from './orders-rows';
import { exec } from '../src/util/exec';
import { domainAppOf } from '../test/support/domain-app';
import { contractOfKind, ContractKind, domainRepository } from '../test/support/domain-repository';
import { PACKAGE_ROOT } from '../test/support/packed-template';

/** The pipelines measured: the data product `orders` of each kind of contract. */
const PIPELINES: ReadonlyArray<{ readonly name: string; readonly kind: ContractKind }> = [
  { name: 'Lambda stage alone', kind: 'lambda' },
  { name: 'Lambda stage, then Glue', kind: 'lambda-glue' },
];

/** What the child prints: the run's figures. */
interface RunFigures {
  readonly seconds: number;
  readonly succeeded: boolean;
  readonly peakMiB: number;
  /** User and system CPU time of the run's process. */
  readonly cpuSeconds: number;
  /** The processes the run started, in the order they started: their command's name, peak and CPU time. */
  readonly children: ReadonlyArray<{ readonly command: string; readonly peakMiB: number; readonly cpuSeconds: number }>;
  readonly executions: ReadonlyArray<{
    readonly stateMachine: string;
    readonly seconds: number;
    readonly states: ReadonlyArray<{ readonly name: string; readonly durationMs: number; readonly ok: boolean }>;
    readonly failure?: { readonly state: string; readonly error: string; readonly cause?: string };
  }>;
  /** From the start to the first execution: the cloud assembly and contracts read, the input put in the local bucket. */
  readonly beforeSeconds: number;
  /** From the end of the last execution to the report: the consumer's query of each table. */
  readonly afterSeconds: number;
  readonly records: string[];
  readonly quality: string[];
  readonly queried: string[];
}

/** Run in the child: the pipeline of `options`, with its children's memory sampled, the figures printed as JSON. */
const CHILD = `
const fs = require('fs');
const path = require('path');
const { runPipeline, runtimeNodePath } = require(${JSON.stringify(path.join(PACKAGE_ROOT, 'lib', 'pipeline-run'))});
const options = JSON.parse(process.argv[1]);
const peaks = new Map();
const childrenOf = (pid) => {
  try {
    return fs.readdirSync('/proc/' + pid + '/task').flatMap((task) => fs.readFileSync('/proc/' + pid + '/task/' + task + '/children', 'utf8').split(' ').filter(Boolean));
  } catch {
    return [];
  }
};
const sample = () => {
  const pending = childrenOf(process.pid);
  while (pending.length > 0) {
    const pid = pending.pop();
    try {
      const kib = Number(/VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/' + pid + '/status', 'utf8'))[1]);
      const command = path.basename(fs.readFileSync('/proc/' + pid + '/cmdline', 'utf8').split('\\0')[0]);
      // utime and stime, the 14th and 15th fields, in clock ticks of 1/100 s.
      const stat = fs.readFileSync('/proc/' + pid + '/stat', 'utf8');
      const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
      peaks.set(pid, { command, peakMiB: Math.max(kib / 1024, peaks.get(pid)?.peakMiB ?? 0), cpuSeconds: (utime + stime) / 100 });
    } catch {
      // It has just exited.
    }
    pending.push(...childrenOf(pid));
  }
};
const sampler = setInterval(sample, 25);
const now = () => Number(process.hrtime.bigint()) / 1e9;
const started = now();
const executionStarts = [];
let lastState = started;
runPipeline({
  ...options,
  nodePath: runtimeNodePath(options.repo),
  onExecution: () => executionStarts.push(now()),
  onState: () => { lastState = now(); },
}).then((report) => {
  const ended = now();
  clearInterval(sampler);
  const ends = [...executionStarts.slice(1), lastState];
  console.log(JSON.stringify({
    seconds: ended - started,
    succeeded: report.succeeded,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    children: [...peaks.values()],
    executions: report.executions.map((execution, i) => ({
      stateMachine: execution.stateMachine,
      seconds: ends[i] - executionStarts[i],
      states: execution.states.map(({ name, durationMs, ok }) => ({ name, durationMs, ok })),
      failure: execution.failure,
    })),
    beforeSeconds: (executionStarts[0] ?? ended) - started,
    afterSeconds: ended - lastState,
    records: report.calls.filter((call) => call.action === 'glue:startJobRun').map((call) => call.summary),
    quality: report.quality.flatMap((evaluation) => evaluation.results.map((result) => result.rule + ': ' + result.measured)),
    queried: report.queries.map((query) => query.table + ': ' + (query.result.kind === 'rows' ? query.result.total + ' row(s) in ' + query.result.files + ' file(s)' : query.result.kind)),
  }));
});`;

const MIB = 1024 * 1024;

/** The data product's Lambda stage's function in the cloud assembly: its template file, memory and timeout as deployed. */
function stageFunction(assemblyDir: string): { file: string; logicalId: string; memoryMb: number; timeoutSeconds: number } {
  const found = fs.readdirSync(assemblyDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.template.json'))
    .flatMap((file) => Object.entries<any>(JSON.parse(fs.readFileSync(path.join(assemblyDir, file), 'utf8')).Resources ?? {})
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function' && resource.Properties?.Environment?.Variables?.SDLF_INPUT_PREFIX)
      .map(([logicalId, resource]) => ({
        file: path.join(assemblyDir, file),
        logicalId,
        memoryMb: Number(resource.Properties.MemorySize),
        timeoutSeconds: Number(resource.Properties.Timeout),
      })));
  if (found.length !== 1) {
    throw new Error(`expected the one Lambda stage's function in ${assemblyDir}, found ${found.length}`);
  }
  return found[0];
}

/**
 * Caps V8's heap in the Lambda handler's process as the Lambda Node.js runtime sizes it from the
 * function's memory (the bootstrap's `--max-old-space-size` of 90 % and `--max-semi-space-size`
 * of 5 %), through NODE_OPTIONS in the function's environment, which Lambda passes to Node.js too.
 * Without it, the local handler's Node.js has the heap of this machine's memory and collects late.
 */
function capLambdaHeap(fn: { file: string; logicalId: string; memoryMb: number }): string {
  const options = `--max-old-space-size=${Math.floor(fn.memoryMb * 0.9)} --max-semi-space-size=${Math.floor(fn.memoryMb * 0.05)}`;
  const template = JSON.parse(fs.readFileSync(fn.file, 'utf8'));
  template.Resources[fn.logicalId].Properties.Environment.Variables.NODE_OPTIONS = options;
  fs.writeFileSync(fn.file, JSON.stringify(template));
  return options;
}

/** Which part of the run a process the run started is: the Lambda handler's Node.js or the Glue transform's Python (not a version manager's shim around it). */
function roleOf(command: string): string | undefined {
  if (command === path.basename(process.execPath)) {
    return 'Lambda handler';
  }
  return command.startsWith('python') ? 'Glue transform' : undefined;
}

function print(name: string, rows: number, figures: RunFigures, fn: { memoryMb: number }, heapCapped: boolean): void {
  const mib = (value: number) => `${value.toFixed(0)} MiB`;
  console.log(`\n${name}: ${figures.succeeded ? 'succeeded' : 'FAILED'} in ${figures.seconds.toFixed(1)} s, ${Math.round(rows / figures.seconds).toLocaleString('en-US')} rows/second`);
  console.log(`  the run's process (S3 server, state machines, DuckDB): peak RSS ${mib(figures.peakMiB)}, CPU ${figures.cpuSeconds.toFixed(1)} s`);
  for (const child of figures.children) {
    const role = roleOf(child.command);
    if (role) {
      const over = role !== 'Lambda handler' || child.peakMiB <= fn.memoryMb ? ''
        : heapCapped ? `: over the function's ${fn.memoryMb} MB, Lambda would stop it`
          : `: over the function's ${fn.memoryMb} MB, with a heap this machine's memory sizes (--lambda-heap sizes it as Lambda does)`;
      console.log(`  ${`the ${role}'s process (${child.command})`.padEnd(47)}: peak RSS ${mib(child.peakMiB)}, CPU ${child.cpuSeconds.toFixed(1)} s${over}`);
    }
  }
  console.log(`  before the first execution (assembly and contract read, file put in the bucket): ${figures.beforeSeconds.toFixed(1)} s`);
  for (const execution of figures.executions) {
    console.log(`  ${execution.stateMachine}: ${execution.seconds.toFixed(1)} s`);
    console.log(`    ${execution.states.map((state) => `${state.name} ${state.durationMs} ms${state.ok ? '' : ' (failed)'}`).join(', ')}`);
    if (execution.failure) {
      console.log(`    failed at ${execution.failure.state}: ${execution.failure.error} ${(execution.failure.cause ?? '').slice(0, 400)}`);
    }
  }
  console.log(`  after the executions (the consumer's query): ${figures.afterSeconds.toFixed(1)} s`);
  for (const line of [...figures.records, ...figures.quality, ...figures.queried]) {
    console.log(`  ${line}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'rows': { type: 'string', default: process.env.BENCH_ROWS ?? '1000000' }, 'lambda-heap': { type: 'boolean' } } });
  const rows = Number(values.rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipeline-run-'));
  const temporary: string[] = [dir];
  try {
    const csv = path.join(dir, 'orders.csv');
    await writeOrdersRows(rows, { CSV: csv });
    console.log(`sdlf-mesh bench: local pipeline run of ${rows.toLocaleString('en-US')} rows of the sample's orders ` +
      `(CSV, ${(fs.statSync(csv).size / MIB).toFixed(0)} MiB; node ${process.version}, ${os.cpus().length} cores)`);
    for (const pipeline of PIPELINES) {
      const repo = domainRepository({ orders: contractOfKind(pipeline.kind, 'orders') });
      const assemblyDir = domainAppOf(repo).synth().directory;
      temporary.push(repo, assemblyDir);
      const options = {
        repo,
        dataProduct: 'orders',
        file: csv,
        assemblyDir,
        contractsDir: path.join(repo, 'dataproducts'),
        workDir: path.join(dir, `run-${pipeline.kind}`),
        day: '2024-05-03',
      };
      const fn = stageFunction(assemblyDir);
      const heap = values['lambda-heap'] ? `; the handler's heap capped as in Lambda: ${capLambdaHeap(fn)}` : '';
      const { stdout } = await exec(process.execPath, ['-e', CHILD, JSON.stringify(options)], { cwd: dir });
      print(`${pipeline.name} (its function: ${fn.memoryMb} MB, ${fn.timeoutSeconds} s in AWS${heap})`, rows, JSON.parse(stdout.trim().split('\n').pop()!), fn, heap !== '');
      fs.rmSync(options.workDir, { recursive: true, force: true });
    }
  } finally {
    for (const folder of temporary) {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
