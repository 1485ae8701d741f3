/**
 * What a domain's default Lambda stage costs in Lambda: the size of its bundle (esbuild, as the
 * pipeline bundles it: minified, the AWS SDK left to the runtime) and its cold-start module init,
 * the time a fresh Node.js process takes to `require` the bundle (the runtime's AWS SDK found
 * through NODE_PATH, as in Lambda), median of several runs. The stage is the sample contract's
 * only stage, which writes its table's Parquet.
 *
 * With `--baseline <git revision>`, the skeleton of that revision is measured too, rendered for
 * the same contract, for a before/after comparison. Then what one object costs: the time and peak
 * memory of a CSV of 10,000 and 100,000 rows turned into the table's Parquet.
 *
 * Run: npx projen bench   (or alone, with --runs N and --baseline <revision>)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildSync } from 'esbuild';
import * as Handlebars from 'handlebars';
import { StageBundles } from '../src/constructs/private/stage-bundles';
import { stagePrefixes } from '../src/contract/stage-prefixes';
import { exec } from '../src/util/exec';
import { contractOfKind, domainRepository } from '../test/support/domain-repository';
import { PACKAGE_ROOT } from '../test/support/packed-template';

const SKELETON = 'blueprints/sdlf-domain/samples/lambda-stage.ts.hbs';

/** The folder of the stage's bundle, made the way the pipeline makes it. */
function bundle(entry: string, projectRoot: string): string {
  const code = StageBundles.of(new App()).code(entry, projectRoot) as unknown as { path: string } | undefined;
  if (!code) {
    throw new Error('esbuild is not installed in this package: run npm install');
  }
  return path.join(code.path, 'index.js');
}

/**
 * Milliseconds a fresh Node.js process takes to load the bundle, as Lambda's init does: in all
 * (the runtime's S3 client included, which the bundle requires), and the bundle's own code (the
 * time after the S3 client is loaded), which is what the stage's code and libraries add.
 */
async function initMillis(file: string): Promise<{ total: number; own: number }> {
  const script = [
    'const ms = (from) => Number(process.hrtime.bigint() - from) / 1e6;',
    'const start = process.hrtime.bigint();',
    "require('@aws-sdk/client-s3');",
    'const sdk = process.hrtime.bigint();',
    `require(${JSON.stringify(file)});`,
    'console.log(JSON.stringify({ total: ms(start), own: ms(sdk) }));',
  ].join(' ');
  const { stdout } = await exec(process.execPath, ['-e', script], {
    cwd: os.tmpdir(),
    inheritEnv: false,
    env: { PATH: process.env.PATH, NODE_PATH: path.join(PACKAGE_ROOT, 'node_modules'), AWS_REGION: 'eu-west-1' },
  });
  return JSON.parse(stdout.trim());
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * What one object costs the stage: a CSV of `rows` rows of the sample contract's columns read into
 * records and written as its table's Parquet by the records module, in a Node.js process of its
 * own: the time, and the process's peak resident memory (what the function's memory must hold).
 */
async function objectCost(root: string, rows: number): Promise<{ csvMiB: number; parquetMiB: number; millis: number; peakMiB: number }> {
  const module = path.join(root, 'stage-records.js');
  buildSync({ entryPoints: [path.join(root, 'src', 'stages', 'stage-records.generated.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: module, logLevel: 'error' });
  const script = `
    const { readRecords, parquetOf } = require(${JSON.stringify(module)});
    const { TABLES } = require(${JSON.stringify(path.join(root, 'tables.js'))});
    const lines = ['order_id,customer_email,order_total,currency,ordered_at'];
    for (let i = 0; i < ${rows}; i++) lines.push(\`o-\${i},customer\${i}@example.com,\${(i % 100000) / 100},EUR,2024-05-01 10:\${String(i % 60).padStart(2, '0')}:00\`);
    const csv = lines.join('\\n');
    const start = Date.now();
    const parquet = parquetOf(readRecords(csv, 'csv'), TABLES[0]);
    console.log(JSON.stringify({ csvMiB: csv.length / 1048576, parquetMiB: parquet.length / 1048576, millis: Date.now() - start, peakMiB: process.resourceUsage().maxRSS / 1024 }));`;
  buildSync({ entryPoints: [path.join(root, 'src', 'stages', 'orders', 'tables.generated.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(root, 'tables.js'), logLevel: 'error' });
  const { stdout } = await exec(process.execPath, ['-e', script], { cwd: root });
  return JSON.parse(stdout.trim());
}

/** The stage of the sample contract written as the skeleton of `revision` renders it, next to the current one. */
function baselineEntry(root: string, revision: string): string {
  const template = execFileSync('git', ['show', `${revision}:${SKELETON}`], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  const prefixes = stagePrefixes('orders', ['light-transform'], 0);
  const text = Handlebars.compile(template, { noEscape: true })({
    dataProduct: 'orders', stage: 'light-transform', table: 'orders', inputPrefix: prefixes.input, outputPrefix: prefixes.output, writesTables: true,
  });
  const entry = path.join(root, 'src', 'stages', 'orders', `baseline-${revision.replace(/[^\w.-]/g, '_')}.ts`);
  fs.writeFileSync(entry, text);
  return entry;
}

async function main(): Promise<void> {
  const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const runs = Number(flag('--runs') ?? 15);
  const baseline = flag('--baseline');
  const root = domainRepository({ orders: contractOfKind('lambda', 'orders') });
  const stages: Record<string, string> = { current: path.join(root, 'src', 'stages', 'orders', 'light-transform.ts') };
  if (baseline) {
    stages[`baseline ${baseline}`] = baselineEntry(root, baseline);
  }

  console.log(`sdlf-mesh bench: the sample Lambda stage's bundle and cold-start init (node ${process.version}, ${os.cpus().length} cores, median of ${runs} runs)`);
  console.log('stage                        bundle KiB   init ms, in all (median)   init ms, the bundle\'s own code (median, min-max)');
  for (const [name, entry] of Object.entries(stages)) {
    const file = bundle(entry, root);
    await initMillis(file);
    const times: Array<{ total: number; own: number }> = [];
    for (let run = 0; run < runs; run++) {
      times.push(await initMillis(file));
    }
    const own = times.map((time) => time.own);
    const kib = (fs.statSync(file).size / 1024).toFixed(1);
    const range = `${Math.min(...own).toFixed(1)}-${Math.max(...own).toFixed(1)}`;
    console.log(`${name.padEnd(28)} ${kib.padStart(10)}   ${median(times.map((time) => time.total)).toFixed(1).padStart(24)}   ${median(own).toFixed(1).padStart(8)} (${range})`);
  }
  console.log('one object to Parquet        CSV MiB   Parquet MiB   ms   peak RSS MiB');
  for (const rows of [10_000, 100_000]) {
    const cost = await objectCost(root, rows);
    console.log(`${`${rows} rows`.padEnd(28)} ${cost.csvMiB.toFixed(1).padStart(7)}   ${cost.parquetMiB.toFixed(2).padStart(11)}   ${String(cost.millis).padStart(4)}   ${cost.peakMiB.toFixed(0).padStart(12)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
