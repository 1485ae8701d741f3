import * as fs from 'fs';
import * as path from 'path';
import { GIT_ENV } from './git';
import { PACKAGE_ROOT } from './packed-template';
import { CommandFailedError, exec } from '../../src/util/exec';

/** The compiled `sdlf-mesh` command, as `npm install` links it. */
export const SDLF_MESH_CLI = path.join(PACKAGE_ROOT, 'lib', 'cli', 'main.js');

/** What a run of the command printed, and how it exited. */
export interface CliRun {
  readonly exitCode: number;
  /** Standard output (on failure: standard output and error together). */
  readonly output: string;
  readonly stderr: string;
}

// What `new domain` and `contract test` run: a test of them must not run an older compilation of these.
const SOURCES = ['cli', 'scaffold', 'github', 'contract', 'pipeline-run'];

/**
 * Runs `node lib/cli/main.js <args>` the way a user runs it: a separate process with its own
 * environment (the GitHub code is loaded with a real dynamic `import()`, which Jest's module
 * system cannot run). `GITHUB_TOKEN`, `GH_TOKEN` and `GITHUB_API_URL` of the test process are not
 * passed on; give them in `env`.
 */
export async function runSdlfMesh(args: string[], env: Record<string, string | undefined> = {}, cwd = PACKAGE_ROOT): Promise<CliRun> {
  assertCompiled();
  const fullEnv = { ...GIT_ENV, CI: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, GITHUB_API_URL: undefined, ...env };
  try {
    const { stdout, stderr } = await exec(process.execPath, [SDLF_MESH_CLI, ...args], { cwd, env: fullEnv });
    return { exitCode: 0, output: stdout, stderr };
  } catch (error) {
    if (!(error instanceof CommandFailedError)) {
      throw error;
    }
    return { exitCode: error.exitCode ?? -1, output: error.output, stderr: error.output };
  }
}

let compiledChecked = false;

/** Checked once per test file: the sources may change while the tests run, the compiled code does not. */
export function assertCompiled(): void {
  if (compiledChecked) {
    return;
  }
  compiledChecked = true;
  const src = path.join(PACKAGE_ROOT, 'src');
  const files = SOURCES.flatMap((source) =>
    source.endsWith('.ts') ? [source] : (fs.readdirSync(path.join(src, source), { recursive: true }) as string[]).map((file) => path.join(source, file)),
  );
  for (const file of files.filter((name) => name.endsWith('.ts'))) {
    const compiled = path.join(PACKAGE_ROOT, 'lib', file.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(compiled) || fs.statSync(compiled).mtimeMs < fs.statSync(path.join(src, file)).mtimeMs) {
      throw new Error(`lib/${file.replace(/\.ts$/, '.js')} is older than its source: run \`npx projen compile\` before these tests`);
    }
  }
}
