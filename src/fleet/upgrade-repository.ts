import * as fs from 'fs';
import * as path from 'path';
import { applyPlan, applyProposal, RepositoryUpgrade } from './apply-proposal';
import { DomainSandbox } from './domain-sandbox';
import { FleetHost, FleetRepository } from './fleet-host';
import { PROPOSE_STEPS, proposeUpgrade } from './propose-upgrade';
import { TemplateStore } from './template-store';
import { UpgradeTarget } from './template-version';
import { planSteps } from '../util/steps';

/** How to upgrade a repository. */
export interface UpgradeRepositoryOptions {
  readonly host: FleetHost;
  readonly target: UpgradeTarget;
  /** A folder of this run's scratch space (one sub-folder a repository, removed when it is done). */
  readonly workDir: string;
  /** Where the domain's code runs (its install, synth and build). */
  readonly sandbox: DomainSandbox;
  /**
   * The run's packages, installed once for the whole fleet.
   * @default - the repository installs its dependencies on its own
   */
  readonly store?: TemplateStore;
  /** Run the repository's own build (tests and synth) before pushing. */
  readonly verify?: boolean;
  readonly draft?: boolean;
  readonly labels?: string[];
  /** Called as each step starts. */
  readonly onStep?: (step: string) => void;
}

/** What an upgrade would do to a repository, step by step, for `--dry-run`. */
export function upgradePlan(target: UpgradeTarget, options: { verify?: boolean } = {}): string {
  const propose = planSteps(PROPOSE_STEPS, { options: { target, verify: options.verify } }).map(({ detail }) => detail);
  return [...propose, ...applyPlan(target.version)].join(', ');
}

/**
 * Upgrades one domain repository on this machine, in the two phases a fleet upgrade has
 * everywhere: the propose phase clones it, pins the target in `.projenrc.ts`, installs it and
 * runs `npx projen` (and the build with `verify`) in its sandbox, and writes the change as a
 * proposal; the apply phase checks that proposal as data, commits it on the target's branch,
 * pushes it and opens the upgrade request or updates the open one, without running any of the
 * repository's code. The host's write credentials serve only the apply phase's git and API calls.
 *
 * It looks before it writes, so running it again finishes an interrupted run: a repository at
 * the target is `current`; a branch that holds the commit the upgrade makes is not pushed again,
 * and any other content of the branch is replaced.
 * A failure is returned, with its step, not thrown: the fleet goes on.
 */
export async function upgradeRepository(repository: FleetRepository, options: UpgradeRepositoryOptions): Promise<RepositoryUpgrade> {
  const to = options.target.version;
  if (repository.archived) {
    return { repository: repository.name, status: 'archived', to };
  }
  const dir = path.join(options.workDir, repository.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  fs.rmSync(dir, { recursive: true, force: true });
  const sandbox = options.sandbox.forRepository(dir);
  const stepTimeoutMs = options.sandbox.stepTimeoutMs;
  // The proposal's folder is this process's, outside the sandbox's working tree.
  const proposalDir = path.join(dir, 'proposal');
  try {
    const proposal = await proposeUpgrade({
      repository: repository.name,
      cloneUrl: repository.cloneUrl,
      defaultBranch: repository.defaultBranch,
      cloneEnv: options.host.gitEnvironment(),
      target: options.target,
      sandbox,
      dir,
      out: proposalDir,
      store: options.store,
      verify: options.verify,
      stepTimeoutMs,
      onStep: options.onStep,
    });
    return await applyProposal(repository, {
      host: options.host,
      to,
      proposalDir,
      dir,
      // The clone the proposal was made from: its base, and the contents the apply reads.
      gitDir: path.join(dir, 'git'),
      base: proposal.status === 'failed' ? undefined : proposal.base,
      draft: options.draft,
      labels: options.labels,
      stepTimeoutMs,
      onStep: options.onStep,
    });
  } finally {
    // Without holding up the other repositories of the run: a tree of copied packages takes seconds.
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
