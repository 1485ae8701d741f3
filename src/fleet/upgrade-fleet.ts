import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RepositoryUpgrade } from './apply-proposal';
import { DomainNpmConfig } from './domain-npm-config';
import { chooseIsolation, DomainSandbox, SandboxIsolation } from './domain-sandbox';
import { FleetHost } from './fleet-host';
import { TemplateStore } from './template-store';
import { TemplateStoreCache } from './template-store-cache';
import { templateVersionInManifest, UpgradeTarget } from './template-version';
import { upgradePlan, upgradeRepository } from './upgrade-repository';
import { InvalidOptionError } from '../util/invalid-option-error';
import { processIdentity } from '../util/process-identity';

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
  /**
   * How long one step of a repository (its clone, install, synth, build, push...) may take.
   * @default 20 minutes
   */
  readonly stepTimeoutMs?: number;
  /**
   * The npm configuration file of the repositories' installs (and the template store's): the
   * registry, its certificate authority (`cafile`) and a read-only install token. The domains'
   * code can read it: never give the platform's own token. The platform's own `~/.npmrc` and the
   * machine's global one are not read; the certificate authorities the platform trusts are
   * carried over (see {@link DomainNpmConfig}). Checked before any repository is touched.
   * @default - npm's defaults, with the platform's certificate authorities
   */
  readonly npmrc?: string;
  /**
   * Run the repositories' code as the user running the upgrade when this machine cannot isolate
   * it (not root, no bubblewrap): that code can then read the upgrade's process, and its token.
   * Only for a fleet whose code the platform team trusts; the report says it
   * (`isolation: 'shared'`). Without it such a run is refused before any repository is read.
   * @default false
   */
  readonly allowSharedUser?: boolean;
  /** Progress: a repository starts a step, or is done. */
  readonly onProgress?: (event: FleetProgressEvent) => void;
  /**
   * Called with the report so far each time a repository is done, so a run that is stopped
   * leaves a report to resume from.
   */
  readonly onReport?: (report: FleetUpgradeReport) => void;
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
  /**
   * Whether each repository's code ran as a user of its own (the upgrade ran as root), rather
   * than as the user who ran the upgrade.
   */
  readonly isolatedByUser?: boolean;
  /**
   * How the repositories' code was kept from the upgrade's process and from one another;
   * `shared`: it was not (`allowSharedUser`).
   */
  readonly isolation?: SandboxIsolation;
  /** Present when the repositories' code was not isolated: says so, for whoever reads the report. */
  readonly warning?: string;
}

/** What the report of a run with `allowSharedUser` says. */
export const SHARED_USER_WARNING = 'NOT ISOLATED (--allow-shared-user): the repositories\' code ran as the user running the upgrade, and could read its process and token';

const DONE = new Set(['upgraded', 'current', 'archived']);
/** A run's scratch space is `<tmp>/sdlf-mesh-upgrade-<pid>.<start time>-<random>`. */
const SCRATCH_PREFIX = 'sdlf-mesh-upgrade-';
const DEFAULT_STEP_TIMEOUT_MS = 20 * 60_000;

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
  // Before any repository is read: without isolation nothing of the run may start.
  const isolation = chooseIsolation({ allowSharedUser: options.allowSharedUser });
  const npm = await DomainNpmConfig.load(options.npmrc);
  const listed = await options.host.listRepositories();
  const unknown = (options.only ?? []).filter((name) => !listed.some((repository) => repository.name === name));
  if (unknown.length > 0) {
    throw new InvalidOptionError('--repos', `not found on ${options.host.description}: ${unknown.join(', ')}`);
  }
  const finished = (options.resumeFrom ?? []).filter((row) => row.to === options.target.version && DONE.has(row.status));
  const done = new Map(finished.map((row) => [row.repository, row]));
  const selected = listed.filter((repository) => !options.only || options.only.includes(repository.name));

  removeAbandonedScratch();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${processIdentity(process.pid)}-`));
  const tarball = options.target.templateVersion.startsWith('file:') ? [options.target.templateVersion.slice('file:'.length)] : [];
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const sandbox = DomainSandbox.forRun(scratch, { stepTimeoutMs, npm, isolation, readable: tarball });
  const store = new TemplateStore(path.join(scratch, 'store'), options.target, npm, TemplateStoreCache.forRun(isolation));
  const results = new Map<string, RepositoryUpgrade>();
  const queue = selected.filter((repository) => !done.has(repository.name));
  const report = (): FleetUpgradeReport => ({
    to: options.target.version,
    repositories: selected
      .map((repository) => results.get(repository.name) ?? done.get(repository.name))
      .filter((row): row is RepositoryUpgrade => row !== undefined),
    isolatedByUser: sandbox.isolatedByUser,
    isolation,
    ...(isolation === 'shared' ? { warning: SHARED_USER_WARNING } : {}),
  });
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async (_, worker) => {
        for (let repository = queue.shift(); repository; repository = queue.shift()) {
          const name = repository.name;
          const result = await upgradeRepository(repository, {
            host: options.host,
            target: options.target,
            workDir: path.join(scratch, `worker-${worker}`),
            sandbox,
            store,
            verify: options.verify,
            draft: options.draft,
            labels: options.labels,
            onStep: (step) => options.onProgress?.({ repository: name, worker, step }),
          });
          results.set(name, result);
          options.onReport?.(report());
          options.onProgress?.({ repository: name, worker, result });
        }
      }),
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return report();
}

/** What `--dry-run` says of one repository. */
export interface RepositoryUpgradePlan {
  readonly repository: string;
  /** What the upgrade would do to it, or why it has nothing to do. */
  readonly plan: string;
}

/**
 * What an upgrade of the fleet would do, repository by repository, without a clone: each
 * default branch's package.json is read through the host (as `fleet status` reads it), so a
 * repository already at the target says it has nothing to do, as the upgrade would find.
 */
export async function planFleetUpgrade(options: Pick<UpgradeFleetOptions, 'host' | 'target' | 'only' | 'verify'>): Promise<RepositoryUpgradePlan[]> {
  const repositories = (await options.host.listRepositories()).filter((repository) => !options.only || options.only.includes(repository.name));
  return Promise.all(
    repositories.map(async (repository) => {
      if (repository.archived) {
        return { repository: repository.name, plan: 'skip (archived)' };
      }
      const manifest = await options.host.readFile(repository, repository.defaultBranch, 'package.json');
      const from = manifest === undefined ? undefined : templateVersionInManifest(manifest);
      if (from === options.target.version) {
        return { repository: repository.name, plan: `nothing to do: ${repository.defaultBranch} is at ${from} already` };
      }
      return { repository: repository.name, plan: upgradePlan(options.target, { verify: options.verify }) };
    }),
  );
}

/**
 * Removes the scratch space of runs that were killed: a run that is stopped hard leaves its
 * clones and packages behind, and the next run of the same user clears them. A scratch space is
 * its run's while a process with the same ID and start time runs, so a live run's is never
 * removed, not even when the process ID was reused; another user's is never touched.
 */
function removeAbandonedScratch(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const owner = new RegExp(`^${SCRATCH_PREFIX}(\\d+)\\.(\\d+)-`).exec(name);
    // Only this user's: another user's run (root's, of a CI job) is theirs to clear.
    const dir = path.join(os.tmpdir(), name);
    if (owner && processIdentity(Number(owner[1])) !== `${owner[1]}.${owner[2]}` && ownedByThisUser(dir)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

function ownedByThisUser(file: string): boolean {
  try {
    return fs.lstatSync(file).uid === process.getuid?.();
  } catch {
    return false;
  }
}
