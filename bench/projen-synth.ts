/**
 * What every `npx projen` and every `cdk synth` of a domain repository costs, against the same
 * commands in a stock projen CDK app: generates a stock `awscdk-app-ts` project and an
 * `sdlf-domain` repository (from this build, packed) with the same projen and npm cache, then
 * alternates runs of `npx projen` and of `npx cdk synth -q` in each and prints the median wall
 * time, the peak resident memory (of the largest process, from `/usr/bin/time`) and the ratios
 * against the targets. A first round warms caches and is not counted. The domain's build-time type
 * check (`npx projen compile`) is timed once, for information.
 *
 * Run: npx projen compile && npx projen bench   (or alone, with --rounds N)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exec } from '../src/util/exec';
import { GIT_ENV } from '../test/support/git';
import { packTemplate, PROJEN_CLI } from '../test/support/packed-template';

// projen new installs with npm ci under CI (no lockfile yet) and commits: a git identity, no CI.
const ENV = { ...GIT_ENV, CI: undefined };

/** The targets: the domain's figure over the stock project's. */
const TARGETS = [
  { command: 'npx projen', figure: 'wall', most: 1.3 },
  { command: 'npx projen', figure: 'rss', most: 1.5 },
  { command: 'npx cdk synth -q', figure: 'wall', most: 1.3 },
] as const;

interface Run {
  readonly seconds: number;
  readonly rssMiB: number;
}

/** Runs a command under `/usr/bin/time`: its wall time and the peak memory of its largest process. */
async function measured(cwd: string, command: string): Promise<Run> {
  const report = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
  await exec('/usr/bin/time', ['-f', '%e %M', '-o', report, ...command.split(' ')], { cwd, env: ENV });
  const [seconds, kib] = fs.readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  fs.rmSync(report, { force: true });
  return { seconds, rssMiB: kib / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const roundsFlag = process.argv.indexOf('--rounds');
  const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 3;
  if (!fs.existsSync('/usr/bin/time')) {
    throw new Error('This benchmark reads peak memory from GNU time: install it (the `time` package) and run it again');
  }
  const tarball = await packTemplate();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-projen-synth-'));
  const projects: Record<string, string> = { stock: path.join(root, 'stock'), domain: path.join(root, 'sales') };
  Object.values(projects).forEach((dir) => fs.mkdirSync(dir));
  await exec(process.execPath, [PROJEN_CLI, 'new', 'awscdk-app-ts'], { cwd: projects.stock, env: ENV });
  await exec(process.execPath, [PROJEN_CLI, 'new', '--from', `sdlf-mesh@file:${tarball}`, 'sdlf-domain', '--domain', 'sales', '--owner', 'sales-data@example.com'], {
    cwd: projects.domain,
    env: ENV,
  });
  const versions = (dir: string) => ['projen', 'aws-cdk-lib'].map((name) => `${name} ${JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version}`).join(', ');
  console.log(`sdlf-mesh bench: a generated domain against a stock awscdk-app-ts (node ${process.version}, ${os.cpus().length} cores, ${rounds} rounds after a warm-up)`);
  console.log(`  stock: ${versions(projects.stock)}; domain: ${versions(projects.domain)}`);

  const runs: Record<string, Record<string, Run[]>> = {};
  for (const command of ['npx projen', 'npx cdk synth -q']) {
    runs[command] = { stock: [], domain: [] };
    for (let round = 0; round <= rounds; round++) {
      for (const [name, dir] of Object.entries(projects)) {
        const run = await measured(dir, command);
        if (round > 0) {
          runs[command][name].push(run);
        }
      }
    }
  }

  console.log('command             project   wall s (median)   peak RSS MiB (max)');
  for (const [command, byProject] of Object.entries(runs)) {
    for (const [name, list] of Object.entries(byProject)) {
      const seconds = median(list.map((run) => run.seconds));
      const rss = Math.max(...list.map((run) => run.rssMiB));
      console.log(`${command.padEnd(18)}  ${name.padEnd(7)}   ${seconds.toFixed(1).padStart(15)}   ${rss.toFixed(0).padStart(18)}`);
    }
  }
  const typeCheck = await measured(projects.domain, 'npx projen compile');
  console.log(`npx projen compile  domain    ${typeCheck.seconds.toFixed(1).padStart(15)}   ${typeCheck.rssMiB.toFixed(0).padStart(18)}   (the build's type check, once)`);

  let missed = 0;
  for (const target of TARGETS) {
    const figure = (name: string) => {
      const list = runs[target.command][name];
      return target.figure === 'wall' ? median(list.map((run) => run.seconds)) : Math.max(...list.map((run) => run.rssMiB));
    };
    const ratio = figure('domain') / figure('stock');
    const met = ratio <= target.most;
    missed += met ? 0 : 1;
    console.log(`${target.command} ${target.figure === 'wall' ? 'wall time' : 'peak memory'}: ${ratio.toFixed(2)}x the stock project (target <= ${target.most}x) ${met ? 'met' : 'MISSED'}`);
  }
  fs.rmSync(root, { recursive: true, force: true });
  if (missed > 0) {
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
