import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { git } from './git';
import { packTemplate } from './packed-template';
import { runFixture } from './run-fixtures';
import { CliRun, runSdlfMesh } from './sdlf-mesh-cli';

/** The options of domain `sales` in the runs of `sdlf-mesh new domain` the suites share. */
export const SALES_DOMAIN_FLAGS = [
  '--owner', '@acme/sales',
  '--cost-center', 'cc-1234',
  '--environments', 'dev:111111111111:eu-west-1',
  '--environments', 'test',
  '--environments', 'prod:222222222222:eu-west-1',
];

/** The first run of `sdlf-mesh new domain sales`, and what it left. */
export interface NewDomainRun {
  /** The packed template it was given with `--from`. */
  readonly tarball: string;
  /** The repository it generated and pushed: shared by the suites of the run, so clone it ({@link cloneOfNewDomain}) to change anything. */
  readonly dir: string;
  /** The `--remotes-dir` it pushed to. */
  readonly remotesDir: string;
  /** What it printed. */
  readonly run: CliRun;
}

/**
 * `sdlf-mesh new domain sales <SALES_DOMAIN_FLAGS> --from <packed template> --remotes-dir <remotes>`
 * run as a user first runs it, in a folder that does not exist yet: the compiled command, the real
 * `projen new` (installs, eslint, first commit) and the push to a local remote. Made once a test
 * run (see `runFixture`): scaffold/new-domain-command.e2e.test.ts checks how the run went, and the
 * suites that need a repository the command generated start from a clone of it.
 */
export async function newDomainRun(): Promise<NewDomainRun> {
  const tarball = await packTemplate();
  const root = await runFixture('new-domain-sales', async (fixtureDir) => {
    const dir = path.join(fixtureDir, 'sales');
    const run = await runSdlfMesh(['new', 'domain', 'sales', '--dir', dir, '--remotes-dir', path.join(fixtureDir, 'remotes'), ...SALES_DOMAIN_FLAGS, '--from', tarball]);
    if (run.exitCode !== 0) {
      throw new Error(`sdlf-mesh new domain sales failed (exit code ${run.exitCode}):\n${run.output}`);
    }
    fs.writeFileSync(path.join(fixtureDir, 'run.json'), JSON.stringify(run));
    return fixtureDir;
  });
  return {
    tarball,
    dir: path.join(root, 'sales'),
    remotesDir: path.join(root, 'remotes'),
    run: JSON.parse(fs.readFileSync(path.join(root, 'run.json'), 'utf8')),
  };
}

/** A clone of the repository of {@link newDomainRun} (same commit, no `node_modules`), in a new folder named `sales`, without `origin`. */
export async function cloneOfNewDomain(): Promise<string> {
  const { dir } = await newDomainRun();
  const clone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'new-domain-')), 'sales');
  await git(path.dirname(clone), 'clone', '--quiet', '--no-hardlinks', dir, clone);
  await git(clone, 'remote', 'remove', 'origin');
  return clone;
}
