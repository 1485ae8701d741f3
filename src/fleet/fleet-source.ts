import * as fs from 'fs';
import * as path from 'path';
import { FleetHost, FleetRepository } from './fleet-host';
import { git, gitText } from '../util/git';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The bundle of a source folder: the default branch's history, as `git bundle` writes it. */
export const SOURCE_BUNDLE = 'source.bundle';
/** What a source folder says of its bundle. */
export const SOURCE_FILE = 'source.json';

/**
 * A repository's default branch as the trusted fetch job hands it to the repository's propose
 * job, which gets no credential: a git bundle of the branch and what it is.
 */
export interface FleetSource {
  readonly repository: string;
  readonly defaultBranch: string;
  /** The commit the bundle's branch is at. */
  readonly base: string;
}

/**
 * Fetches a repository's default branch with the host's (read) credentials into `out`: a bare
 * clone of that branch alone, written as a git bundle. Nothing of the repository runs: a bare
 * clone checks out nothing and runs none of its hooks.
 */
export async function fetchSource(repository: FleetRepository, host: FleetHost, outDir: string): Promise<FleetSource> {
  const out = path.resolve(outDir);
  fs.mkdirSync(out, { recursive: true });
  const bare = path.join(out, 'fetch.git');
  fs.rmSync(bare, { recursive: true, force: true });
  const env = { ...host.gitEnvironment(), CI: undefined };
  try {
    await git({ cwd: out, env }, 'clone', '--quiet', '--bare', '--single-branch', '--no-tags', '--branch', repository.defaultBranch, repository.cloneUrl, bare);
    const ref = `refs/heads/${repository.defaultBranch}`;
    const base = await gitText(bare, 'rev-parse', ref);
    await git(bare, 'bundle', 'create', '--quiet', path.join(out, SOURCE_BUNDLE), ref);
    const source: FleetSource = { repository: repository.name, defaultBranch: repository.defaultBranch, base };
    fs.writeFileSync(path.join(out, SOURCE_FILE), JSON.stringify(source, null, 2) + '\n');
    return source;
  } finally {
    fs.rmSync(bare, { recursive: true, force: true });
  }
}

/** Reads the source folder a fetch job left (`--source`). */
export function readSource(dir: string): FleetSource & { readonly bundle: string } {
  const file = path.join(dir, SOURCE_FILE);
  const bundle = path.resolve(dir, SOURCE_BUNDLE);
  if (!fs.existsSync(file) || !fs.existsSync(bundle)) {
    throw new InvalidOptionError('--source', `${dir} holds no ${SOURCE_FILE} and ${SOURCE_BUNDLE}: give the folder of the repository's fetch job's artifact`);
  }
  const source = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof source.repository !== 'string' || typeof source.defaultBranch !== 'string') {
    throw new InvalidOptionError('--source', `${file} is not what a fetch job writes (repository, defaultBranch, base)`);
  }
  return { ...source, bundle };
}
