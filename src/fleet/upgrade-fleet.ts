import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetHost } from './fleet-host';
import { SharedInstall } from './shared-install';
import { UpgradeTarget } from './template-version';
import { RepositoryUpgrade, upgradeRepository } from './upgrade-repository';
import { InvalidOptionError } from '../config/invalid-option-error';

/** How to upgrade a fleet. */
export interface UpgradeFleetOptions {
  readonly host: FleetHost;
  readonly target: UpgradeTarget;
  /** Repositories upgraded side by side. @default 2 */
  readonly concurrency?: number;
  readonly verify?: boolean;
  readonly draft?: boolean;
  readonly labels?: string[];
  /** Only these repositories (by name). @default - all the host lists */
  readonly only?: string[];
  /**
   * The report of an earlier run: its repositories that are done (upgraded, current, archived)
   * are not visited again.
   */
  readonly resumeFrom?: RepositoryUpgrade[];
  /** Progress: a repository starts a step, or is done. */
  readonly onProgress?: (event: FleetProgressEvent) => void;
}

/** A step of a repository started, or it is done. */
export interface FleetProgressEvent {
  readonly repository: string;
  readonly worker: number;
  readonly step?: string;
  readonly result?: RepositoryUpgrade;
}

/** What a fleet upgrade did. */
export interface FleetUpgradeReport {
  readonly to: string;
  readonly repositories: RepositoryUpgrade[];
}

const DONE = new Set(['upgraded', 'current', 'archived']);
/** A run's scratch space is `<tmp>/sdlf-mesh-upgrade-<pid>-<random>`. */
const SCRATCH_PREFIX = 'sdlf-mesh-upgrade-';

/**
 * Upgrades every domain repository of a host to the target template, `concurrency` at a time,
 * installing the template's dependencies once for the whole fleet. A repository that fails is
 * reported and the others go on; every repository's upgrade is idempotent, so running again (or
 * with `resumeFrom`) finishes an interrupted run without a second branch or request.
 */
export async function upgradeFleet(options: UpgradeFleetOptions): Promise<FleetUpgradeReport> {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) {
    throw new InvalidOptionError('--concurrency', `${options.concurrency} is not a number of workers; give 1 to 16`);
  }
  const listed = await options.host.listRepositories();
  const unknown = (options.only ?? []).filter((name) => !listed.some((repository) => repository.name === name));
  if (unknown.length > 0) {
    throw new InvalidOptionError('--repos', `not found on ${options.host.description}: ${unknown.join(', ')}`);
  }
  const finished = (options.resumeFrom ?? []).filter((row) => row.to === options.target.version && DONE.has(row.status));
  const done = new Map(finished.map((row) => [row.repository, row]));
  const selected = listed.filter((repository) => !options.only || options.only.includes(repository.name));

  removeAbandonedScratch();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
  const sharedInstall = new SharedInstall(scratch);
  const results = new Map<string, RepositoryUpgrade>();
  const queue = selected.filter((repository) => !done.has(repository.name));
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async (_, worker) => {
        for (let repository = queue.shift(); repository; repository = queue.shift()) {
          const name = repository.name;
          const result = await upgradeRepository(repository, {
            host: options.host,
            target: options.target,
            workDir: path.join(scratch, `worker-${worker}`),
            sharedInstall,
            verify: options.verify,
            draft: options.draft,
            labels: options.labels,
            onStep: (step) => options.onProgress?.({ repository: name, worker, step }),
          });
          results.set(name, result);
          options.onProgress?.({ repository: name, worker, result });
        }
      }),
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return {
    to: options.target.version,
    repositories: selected.map((repository) => results.get(repository.name) ?? done.get(repository.name)!),
  };
}

/**
 * Removes the scratch space of runs that were killed (its name holds the process id): a run that
 * is stopped hard leaves its clones and `node_modules` behind, and the next run clears them.
 */
function removeAbandonedScratch(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const pid = Number(new RegExp(`^${SCRATCH_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (pid && !isRunning(pid)) {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
