import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseFlags } from './command-line';
import { FleetProgress, FleetUpgradeReport, fleetStatus, planFleetUpgrade, RepositoryUpgrade, resolveUpgradeTarget, upgradeFleet } from '../fleet';
import { chooseFleetHost, ChosenFleetHost } from '../fleet/choose-fleet-host';
import { DomainNpmConfig } from '../fleet/domain-npm-config';
import { chooseIsolation } from '../fleet/domain-sandbox';
import { githubApiUrl } from '../github/github-client';
import { findGitHubToken } from '../github/github-token';
import { InvalidOptionError } from '../util/invalid-option-error';


const DEFAULT_REMOTES = path.join(os.homedir(), '.sdlf-mesh', 'remotes');

/** The flags that say where the fleet is, shared by `upgrade` and `fleet status`. */
export const FLEET_OPTIONS = {
  'remotes-dir': { type: 'string', multiple: true },
  'repos': { type: 'string' },
  'org': { type: 'string' },
  'topic': { type: 'string' },
  'property': { type: 'string' },
  'token-file': { type: 'string' },
} as const;

const UPGRADE_OPTIONS = {
  ...FLEET_OPTIONS,
  'to': { type: 'string' },
  'concurrency': { type: 'string' },
  'verify': { type: 'boolean' },
  'draft': { type: 'boolean' },
  'labels': { type: 'string' },
  'report': { type: 'string' },
  'resume': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'step-timeout': { type: 'string' },
  'npmrc': { type: 'string' },
  'allow-shared-user': { type: 'boolean' },
} as const;

const FLEET_STATUS_OPTIONS = { ...FLEET_OPTIONS, json: { type: 'boolean' } } as const;

/** The fleet's host from the flags: GitHub with a token and --org or owner/name --repos, else local remotes. */
export function fleetHost(
  values: { 'remotes-dir'?: string[]; 'repos'?: string; 'org'?: string; 'topic'?: string; 'property'?: string; 'token-file'?: string },
  repositories?: string[],
): Promise<ChosenFleetHost> {
  return chooseFleetHost({
    repositories,
    remotesDirs: values['remotes-dir'],
    defaultRemotesDir: DEFAULT_REMOTES,
    org: values.org,
    topic: values.topic,
    property: values.property,
    reposFile: values.repos,
    token: findGitHubToken(values['token-file']),
    apiUrl: () => githubApiUrl(),
    log: (message) => console.error(message),
  });
}

/** `sdlf-mesh upgrade ...` */
export async function upgradeCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, UPGRADE_OPTIONS, false);
  if (!values.to) {
    throw new InvalidOptionError('--to', 'give the template version to upgrade to, e.g. --to 1.4.0, or a tarball made by npm pack');
  }
  if (values.resume && !values.report) {
    throw new InvalidOptionError('--resume', 'give the report of the run to resume: --resume --report report.json');
  }
  const stepTimeout = values['step-timeout'] === undefined ? undefined : Number(values['step-timeout']);
  if (stepTimeout !== undefined && !(Number.isInteger(stepTimeout) && stepTimeout > 0)) {
    throw new InvalidOptionError('--step-timeout', `${values['step-timeout']} is not a number of minutes; give a whole number, e.g. --step-timeout 20`);
  }
  if (!values['dry-run']) {
    // First: a run that cannot isolate the repositories' code reads nothing, not even npm's configuration.
    chooseIsolation({ allowSharedUser: values['allow-shared-user'] });
  }
  // Checked here too, so that a dry run refuses what the run would, before any repository is read.
  const leftBehind = await (await DomainNpmConfig.load(values.npmrc)).registryLeftBehind();
  if (leftBehind) {
    const source = values.npmrc === undefined ? 'npm\'s default' : `from --npmrc ${values.npmrc}`;
    console.error(`Note: your npm uses the registry ${leftBehind.platform}; the repositories' installs use ${leftBehind.domains} (${source}), not your ~/.npmrc or global npmrc: give --npmrc a file with registry=${leftBehind.platform}, its cafile and a read-only token if they should use it.`);
  }
  const target = await resolveUpgradeTarget(values.to);
  const { host, only, apiRequests } = await fleetHost(values);

  if (values['dry-run']) {
    for (const { repository, plan } of await planFleetUpgrade({ host, target, only, verify: values.verify })) {
      console.log(`${repository}: ${plan}`);
    }
    return 0;
  }

  const resumeFrom = values.resume && fs.existsSync(values.report!) ? (JSON.parse(fs.readFileSync(values.report!, 'utf8')).repositories as RepositoryUpgrade[]) : undefined;
  const progress = new FleetProgress((text) => process.stdout.write(text), process.stdout.isTTY === true);
  // Written as each repository is done, so a run that is stopped leaves a report to resume from.
  const writeReport = (partial: FleetUpgradeReport) => {
    if (values.report) {
      const file = values.report;
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(apiRequests ? { ...partial, apiRequests } : partial, null, 2) + '\n');
      fs.renameSync(`${file}.tmp`, file);
    }
  };
  const report = await upgradeFleet({
    host,
    target,
    concurrency: values.concurrency === undefined ? undefined : Number(values.concurrency),
    verify: values.verify,
    draft: values.draft,
    labels: values.labels?.split(',').map((label) => label.trim()).filter(Boolean),
    only,
    resumeFrom,
    stepTimeoutMs: stepTimeout === undefined ? undefined : stepTimeout * 60_000,
    npmrc: values.npmrc,
    allowSharedUser: values['allow-shared-user'],
    onProgress: progress.update,
    onReport: writeReport,
  });
  writeReport(report);
  console.log(summaryTable(report.repositories));
  if (report.warning) {
    // Last, where it is read: the run gave up the isolation.
    console.log(`\nWARNING: ${report.warning}. Only for a fleet whose code you trust: run the upgrade as root or in the platform's GitHub Actions workflow to isolate each repository.`);
  }
  if (apiRequests) {
    console.log(`${apiRequests.total} API requests sent, ${apiRequests.contentCreating} of them content-creating.`);
  }
  return report.repositories.some((row) => row.status === 'failed') ? 1 : 0;
}

/** `sdlf-mesh fleet status ...` */
export async function fleetStatusCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLEET_STATUS_OPTIONS, false);
  const { host, only } = await fleetHost(values);
  const rows = (await fleetStatus(host)).filter((row) => !only || only.includes(row.repository));
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(table(['repository', 'template', 'upgrade request'], rows.map((row) => [row.repository, row.templateVersion ?? '?', row.request ?? (row.archived ? 'archived' : '-')])));
  }
  return 0;
}

function summaryTable(rows: RepositoryUpgrade[]): string {
  return table(
    ['repository', 'status', 'from', 'to', 'upgrade request / error'],
    rows.map((row) => [row.repository, row.status, row.from ?? '?', row.to, row.requestUrl ?? (row.error ? `${row.step}: ${row.error.split('\n')[0]}` : '')]),
  );
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
