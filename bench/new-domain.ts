/**
 * Times what a platform engineer waits for when creating a domain repository: `projen new` from
 * the packed template without and with the npm install, then `npx projen build` and
 * `npx cdk synth` in the generated repository. Prints one line per step.
 *
 * Run: npx projen compile && npx projen bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exec } from '../src/util/exec';
import { GIT_ENV } from '../test/support/git';
import { packTemplate, PROJEN_CLI } from '../test/support/packed-template';

// projen new installs with npm ci under CI (no lockfile yet) and commits: a git identity, no CI.
const ENV = { ...GIT_ENV, CI: undefined };

async function timed(label: string, cwd: string, program: string, ...args: string[]): Promise<void> {
  const start = process.hrtime.bigint();
  await exec(program, args, { cwd, env: ENV });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(44)} ${seconds.toFixed(1).padStart(7)} s`);
}

async function main(): Promise<void> {
  const tarball = await packTemplate();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-new-domain-'));
  const newArgs = (...extra: string[]) => [
    PROJEN_CLI, 'new', '--from', `sdlf-mesh@file:${tarball}`, 'sdlf-domain', '--domain', 'sales',
    '--owner', 'sales-data@example.com', '--environments', 'dev:111111111111:eu-west-1',
    '--environments', 'prod:222222222222:eu-west-1', ...extra,
  ];
  console.log(`sdlf-mesh bench: new domain repository (node ${process.version}, ${os.cpus().length} cores)`);

  const withoutInstall = path.join(root, 'no-install');
  fs.mkdirSync(withoutInstall);
  await timed('projen new --no-post (no npm install)', withoutInstall, process.execPath, ...newArgs('--no-post'));

  const repo = path.join(root, 'sales');
  fs.mkdirSync(repo);
  await timed('projen new (with npm install)', repo, process.execPath, ...newArgs());
  await timed('npx projen build (compile, test, synth)', repo, 'npx', 'projen', 'build');
  await timed('npx cdk synth', repo, 'npx', 'cdk', 'synth', '--quiet');
  await timed('npx projen (re-synth, no change)', repo, 'npx', 'projen');
  fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
