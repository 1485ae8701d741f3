import { RepositoryUpgrade } from './apply-proposal';
import { WaveReport } from './apply-wave';

/** The report of a fleet run on GitHub Actions: every wave's rows in one. */
export interface FleetRunReport {
  readonly to: string;
  readonly repositories: RepositoryUpgrade[];
  /** The repositories that failed, as the `repositories` input of a re-run of only those takes them. */
  readonly failed: string[];
  /** How long each wave's apply took, in seconds. */
  readonly applySeconds: number[];
  /** The most memory each wave's apply process held, in MiB. */
  readonly applyPeakMemoryMiB: number[];
  /** The longest propose step time of any repository, in seconds (the propose jobs run side by side). */
  readonly slowestProposeSeconds: number;
}

const PROPOSE_STEP_NAMES = new Set(['clone', 'bump', 'install', 'synth', 'verify', 'propose']);

/** Merges the reports of a run's waves into one, in wave order. */
export function mergeWaveReports(reports: WaveReport[]): FleetRunReport {
  const ordered = [...reports].sort((a, b) => a.wave - b.wave);
  const repositories = ordered.flatMap((report) => report.repositories);
  const proposeSeconds = repositories.map((row) =>
    Object.entries(row.stepSeconds ?? {})
      .filter(([step]) => PROPOSE_STEP_NAMES.has(step))
      .reduce((total, [, seconds]) => total + seconds, 0),
  );
  return {
    to: ordered[0]?.to ?? '',
    repositories,
    failed: repositories.filter((row) => row.status === 'failed').map((row) => row.repository),
    applySeconds: ordered.map((report) => report.seconds),
    applyPeakMemoryMiB: ordered.map((report) => report.peakMemoryMiB),
    slowestProposeSeconds: Math.max(0, ...proposeSeconds),
  };
}

/** The report as the Markdown of a job summary: the counts, the failures with their step and reason, each request. */
export function fleetReportMarkdown(report: FleetRunReport): string {
  const count = (status: string) => report.repositories.filter((row) => row.status === status).length;
  // A reason is the repository's word (its proposal's error): no Markdown of its own gets through.
  const cell = (text: string) => text.replace(/[\\`*_[\]<>|#!]/g, (character) => `\\${character}`).replace(/\s+/g, ' ').slice(0, 300);
  const lines = [
    `# Fleet upgrade to ${cell(report.to)}`,
    '',
    `${count('upgraded')} upgraded, ${count('current')} at the target already, ${count('failed')} failed, of ${report.repositories.length}.`,
    `Apply: ${report.applySeconds.map((seconds) => `${seconds.toFixed(0)} s`).join(' + ') || '-'} (at most ${Math.max(0, ...report.applyPeakMemoryMiB)} MiB); slowest propose job: ${report.slowestProposeSeconds.toFixed(0)} s.`,
    '',
    '| repository | status | upgrade request / failure |',
    '| --- | --- | --- |',
    ...report.repositories.map((row) => `| ${cell(row.repository)} | ${row.status} | ${row.requestUrl ? cell(row.requestUrl) : row.error ? `${cell(row.step ?? '')}: ${cell(row.error.split('\n')[0])}` : ''} |`),
  ];
  if (report.failed.length > 0) {
    lines.push('', `Re-run only the failed ones: dispatch the workflow with repositories \`${report.failed.join(',')}\`.`);
  }
  return lines.join('\n') + '\n';
}
