/**
 * The drift canary: generates a domain repository from this build with the newest versions the
 * registry serves (the toolchain floats, `pinTestedVersions: false`), makes its example an active
 * data product with a Lambda and a Glue stage as the generated README says, then builds it (lint,
 * compile, tests, synth with cdk-nag) and synthesizes it with the CDK CLI, on the Node.js the
 * generated workflows use. It prints which versions it got against the tested set and which step
 * broke, and exits 1 when one did: the regular CI stays on the pinned set, so it stays
 * deterministic, and the canary tells the team about tomorrow's set before users meet it.
 *
 * Run it before cutting a template release (`npx projen compile && npx projen canary`); a scheduled
 * workflow of this repository runs it every day. `--report <file>` also writes the report as
 * Markdown (the workflow's job summary).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TESTED_VERSIONS } from '../src/projects/tested-toolchain';
import { exec } from '../src/util/exec';
import { packTemplate, PROJEN_CLI } from '../test/support/packed-template';
import { workflowNodePath } from '../test/support/workflow-node';

interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly output?: string;
}

const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'canary', GIT_AUTHOR_EMAIL: 'canary@example.com', GIT_COMMITTER_NAME: 'canary', GIT_COMMITTER_EMAIL: 'canary@example.com' };

async function main(): Promise<void> {
  const reportFile = process.argv.includes('--report') ? process.argv[process.argv.indexOf('--report') + 1] : undefined;
  const env = { CI: undefined, ...GIT_IDENTITY, PATH: await workflowNodePath() };
  const repo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-canary-')), 'sales');
  fs.mkdirSync(repo);
  const results: StepResult[] = [];
  const step = async (name: string, action: () => Promise<unknown>): Promise<boolean> => {
    const started = Date.now();
    process.stderr.write(`canary: ${name}...\n`);
    try {
      await action();
      results.push({ step: name, ok: true, seconds: (Date.now() - started) / 1000 });
      return true;
    } catch (error) {
      results.push({ step: name, ok: false, seconds: (Date.now() - started) / 1000, output: lastLines((error as Error).message, 60) });
      return false;
    }
  };
  const run = (program: string, ...args: string[]) => exec(program, args, { cwd: repo, env });

  const tarball = await packTemplate();
  const steps: Array<[string, () => Promise<unknown>]> = [
    ['projen new (floating toolchain)', () => run('node', PROJEN_CLI, 'new', '--from', tarball, 'sdlf-domain', '--domain', 'sales', '--owner', 'sales-data@example.com',
      '--environments', 'dev:111111111111:eu-west-1', '--pin-tested-versions', 'false')],
    ['activate the example with a Lambda and a Glue stage', async () => {
      const contract = path.join(repo, 'dataproducts/orders.yaml');
      fs.writeFileSync(contract, fs.readFileSync(contract, 'utf8')
        .replace('status: draft', 'status: active')
        .replace('          type: lambda\n', '          type: lambda\n        - name: heavy-transform\n          type: glue\n'));
      await run('npx', 'projen');
    }],
    ['npx projen build', () => run('npx', 'projen', 'build')],
    ['npx cdk synth', () => run('npx', 'cdk', 'synth', '--quiet')],
  ];
  for (const [name, action] of steps) {
    if (!(await step(name, action))) {
      break;
    }
  }

  const report = renderReport(results, resolvedVersions(repo));
  process.stdout.write(report);
  if (reportFile) {
    fs.writeFileSync(reportFile, report);
  }
  process.exitCode = results.every((result) => result.ok) && results.length === steps.length ? 0 : 1;
}

/** The versions of the tested packages the repository's lock file holds, by name. */
function resolvedVersions(repo: string): Record<string, string | undefined> {
  const lockFile = path.join(repo, 'package-lock.json');
  const locked = fs.existsSync(lockFile) ? JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages ?? {} : {};
  return Object.fromEntries(Object.keys(TESTED_VERSIONS).map((name) => [name, locked[`node_modules/${name}`]?.version]));
}

function renderReport(results: StepResult[], resolved: Record<string, string | undefined>): string {
  const broken = results.find((result) => !result.ok);
  const lines = [
    `# sdlf-mesh canary: ${broken ? `broken at "${broken.step}"` : 'the newest toolchain builds and synthesizes'}`,
    '',
    '| package | tested | newest (this run) |',
    '| --- | --- | --- |',
    ...Object.entries(TESTED_VERSIONS).map(([name, tested]) => `| ${name} | ${tested} | ${resolved[name] ?? '-'}${resolved[name] && resolved[name] !== tested ? ' (new)' : ''} |`),
    '',
    '| step | result | seconds |',
    '| --- | --- | --- |',
    ...results.map((result) => `| ${result.step} | ${result.ok ? 'passed' : '**failed**'} | ${result.seconds.toFixed(0)} |`),
    '',
  ];
  if (broken?.output) {
    lines.push(`## What "${broken.step}" printed last`, '', '```', broken.output, '```', '');
  }
  return lines.join('\n');
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

main().catch((error) => {
  process.stderr.write(`canary: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
