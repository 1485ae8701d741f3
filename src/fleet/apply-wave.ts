import * as fs from 'fs';
import * as path from 'path';
import { applyProposal, RepositoryUpgrade } from './apply-proposal';
import { ContentBudget } from './content-budget';
import { FleetDiscovery } from './fleet-discovery';
import { FleetHost } from './fleet-host';
import { PROPOSAL_FILE } from './upgrade-proposal';
import { InvalidOptionError } from '../util/invalid-option-error';

/** The name of a repository's propose job in the fleet workflow: the apply finds the job's conclusion by it. */
export function proposeJobName(repository: string): string {
  return `propose ${repository}`;
}

/** The name of a repository's fetch job in the fleet workflow. */
export function fetchJobName(repository: string): string {
  return `fetch ${repository}`;
}

/** The artifact (and folder) a repository's propose job leaves its proposal in. */
export function proposalArtifact(key: string): string {
  return `proposal-${key}`;
}

/**
 * Where a repository's proposal is: `proposal-<key>/` of the proposals' folder, as GitHub's
 * download of several artifacts leaves each; or the folder itself when the run has exactly one
 * proposal (the download then leaves it there), which is this repository's only when its propose
 * job is the one of the run that succeeded (a job that succeeded uploaded its proposal).
 */
function proposalDirectory(options: ApplyWaveOptions, repository: string, key: string): string {
  const own = path.join(options.proposalsDir, proposalArtifact(key));
  if (fs.existsSync(own) || !options.jobConclusions || !fs.existsSync(path.join(options.proposalsDir, PROPOSAL_FILE))) {
    return own;
  }
  const succeeded = [...options.jobConclusions].filter(([name, conclusion]) => name.startsWith('propose ') && conclusion === 'success').map(([name]) => name);
  return succeeded.length === 1 && succeeded[0] === proposeJobName(repository) ? options.proposalsDir : own;
}

/** How to apply the proposals of one wave. */
export interface ApplyWaveOptions {
  readonly discovery: FleetDiscovery;
  /** The wave, from 1. */
  readonly wave: number;
  /** The folder that holds each repository's proposal as `proposal-<key>/`. */
  readonly proposalsDir: string;
  readonly host: FleetHost;
  /** A folder of this process's own. */
  readonly workDir: string;
  /**
   * How each job of the run ended, by job name: a proposal is taken only when the repository's
   * fetch and propose jobs both succeeded, so an artifact another job uploaded under the
   * repository's name (which fails that repository's own upload, and so its job) is never applied.
   * @default - not checked (the proposals were made on this machine)
   */
  readonly jobConclusions?: Map<string, string | null>;
  readonly draft?: boolean;
  readonly labels?: string[];
  readonly stepTimeoutMs: number;
  /** Paces the content-creating requests (one a repository). @default - GitHub's 500 an hour */
  readonly budget?: ContentBudget;
  /** Told of each repository as it is done, and of the pace. */
  readonly log?: (message: string) => void;
}

/** What the apply of a wave did. */
export interface WaveReport {
  readonly to: string;
  readonly wave: number;
  readonly repositories: RepositoryUpgrade[];
  /** When each content-creating request was taken from the budget (ms since the epoch): the next wave's apply counts them. */
  readonly contentCreatingAt: number[];
  /** How long the apply took, in seconds. */
  readonly seconds: number;
  /** The most memory the apply's process held, in MiB. */
  readonly peakMemoryMiB: number;
}

/**
 * Applies the proposals of one wave, one repository after the other: each proposal is taken
 * only from its own repository's propose job (when the run's jobs are given), checked, committed,
 * pushed and opened as the one upgrade request (see {@link applyProposal}). The content-creating
 * requests are paced to GitHub's hourly limit, and the log says the expected end when they are.
 * Nothing of the repositories' code runs.
 */
export async function applyWave(options: ApplyWaveOptions): Promise<WaveReport> {
  const started = Date.now();
  const { discovery } = options;
  const repositories = discovery.waves[options.wave - 1];
  if (repositories === undefined) {
    throw new InvalidOptionError('--wave', `${options.wave} is not a wave of this discovery; give 1 to ${discovery.waves.length}`);
  }
  const budget = options.budget ?? new ContentBudget();
  const end = budget.expectedEnd(repositories.length);
  if (end > Date.now() + 60_000) {
    options.log?.(`Paced to GitHub's 500 content-creating requests an hour: ${repositories.length} repositories, expected end ${new Date(end).toISOString()}`);
  }
  const rows: RepositoryUpgrade[] = [];
  const contentCreatingAt: number[] = [];
  const conclusions = options.jobConclusions;
  for (const repository of repositories) {
    const failedJob = conclusions && [fetchJobName(repository.name), proposeJobName(repository.name)].find((job) => conclusions.get(job) !== 'success');
    if (conclusions && failedJob) {
      const conclusion = conclusions.get(failedJob);
      rows.push({
        repository: repository.name,
        status: 'failed',
        to: discovery.to,
        step: failedJob.split(' ')[0],
        error: `its job "${failedJob}" ${conclusion ? `concluded ${conclusion}` : 'is not in this run'}: no proposal of it is taken (see the job's log)`,
      });
      options.log?.(`${repository.name}: failed (${failedJob})`);
      continue;
    }
    await budget.take();
    contentCreatingAt.push(Date.now());
    const row = await applyProposal(repository, {
      host: options.host,
      to: discovery.to,
      proposalDir: proposalDirectory(options, repository.name, repository.key),
      dir: path.join(options.workDir, repository.key),
      draft: options.draft,
      labels: options.labels,
      stepTimeoutMs: options.stepTimeoutMs,
    });
    rows.push(row);
    options.log?.(`${repository.name}: ${row.status}${row.requestUrl ? ` ${row.requestUrl}` : row.step ? ` (${row.step})` : ''}`);
  }
  const peakMemoryMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  return { to: discovery.to, wave: options.wave, repositories: rows, contentCreatingAt, seconds: (Date.now() - started) / 1000, peakMemoryMiB };
}
