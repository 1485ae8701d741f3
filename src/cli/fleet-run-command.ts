// The commands of the fleet-upgrade workflow's jobs: discover, fetch, propose, apply and report.
// Only propose runs a repository's code, and it refuses to start with a credential in reach.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseFlags } from './command-line';
import { FLEET_OPTIONS, fleetHost } from './upgrade-command';
import { readRegisteredRepositories } from '../catalog/registered-repositories';
import { applyWave, WaveReport } from '../fleet/apply-wave';
import { ContentBudget } from '../fleet/content-budget';
import { DomainNpmConfig } from '../fleet/domain-npm-config';
import { chooseIsolation, DomainSandbox } from '../fleet/domain-sandbox';
import { discoverFleet, discoveryOutputs, readDiscovery, writeDiscovery } from '../fleet/fleet-discovery';
import { FleetHost } from '../fleet/fleet-host';
import { fleetReportMarkdown, mergeWaveReports } from '../fleet/fleet-report';
import { fetchSource, readSource } from '../fleet/fleet-source';
import { proposeUpgrade } from '../fleet/propose-upgrade';
import { resolveUpgradeTarget } from '../fleet/template-version';
import { GitHubApi } from '../github/github-api';
import { githubApiUrl } from '../github/github-client';
import { workflowRunJobs } from '../github/workflow-run-jobs';
import { exec } from '../util/exec';
import { InvalidOptionError } from '../util/invalid-option-error';

const DEFAULT_STEP_TIMEOUT_MINUTES = 20;

/** The fleet of a registry that registers no domain: it lists none, and nothing else is asked of it. */
const NO_REPOSITORIES: FleetHost = {
  description: 'the registry (no domain registered)',
  listRepositories: async () => [],
  gitEnvironment: () => ({}),
  findUpgradeRequest: async () => undefined,
  listUpgradeRequests: async () => [],
  readFile: async () => undefined,
  openOrUpdateUpgradeRequest: async () => {
    throw new Error('a registry without domains has no repository to open a request in');
  },
};

/**
 * Variables that would give a repository's code a credential: the propose phase refuses to run
 * with any of them set (a GitHub token, the OIDC token request of a job, a cloud's keys).
 */
const CREDENTIAL_VARIABLES = [
  'GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_RUN_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_RUNTIME_TOKEN',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'NPM_TOKEN', 'NODE_AUTH_TOKEN',
];

/** `sdlf-mesh fleet discover ...` */
export async function fleetDiscoverCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { ...FLEET_OPTIONS, 'to': { type: 'string' }, 'registry': { type: 'string' }, 'only': { type: 'string' }, 'waves': { type: 'string' }, 'wave-size': { type: 'string' }, 'out': { type: 'string' } }, false);
  const out = requireFlag(values.out, '--out', 'give the file the discovery is written to, e.g. --out discovery/discovery.json');
  const to = requireFlag(values.to, '--to', 'give the template version, "latest" for the newest release, or a tarball made by npm pack');
  const waves = Number(values.waves ?? '1');
  let registered: string[] | undefined;
  if (values.registry !== undefined) {
    if (values.repos !== undefined) {
      throw new InvalidOptionError('--registry', 'give the registry or a --repos list, not both');
    }
    // The registry decides which repositories are domains; --org keeps those of the organization.
    const { entries } = readRegisteredRepositories(values.registry);
    registered = entries.map((entry) => entry.repository).filter((repository) => values.org === undefined || repository.split('/')[0].toLowerCase() === values.org.toLowerCase());
  }
  const target = await resolveUpgradeTarget(to === 'latest' ? await newestRelease() : to);
  // A registry without a domain (of the organization) is a fleet of none: no host is asked.
  const fromRegistry = { ...values, org: undefined };
  const { host } = registered?.length === 0 ? { host: NO_REPOSITORIES } : await fleetHost(registered ? fromRegistry : values, registered);
  const only = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
  const discovery = await discoverFleet({
    host,
    target,
    only: only?.length ? only : undefined,
    waves,
    waveSize: values['wave-size'] === undefined ? undefined : Number(values['wave-size']),
  });
  writeDiscovery(out, discovery);
  if (process.env.GITHUB_OUTPUT) {
    fs.appendFileSync(process.env.GITHUB_OUTPUT, discoveryOutputs(discovery));
  }
  const sizes = discovery.waves.map((wave) => wave.length).filter((size) => size > 0);
  console.log(`${sizes.reduce((total, size) => total + size, 0)} repositories to upgrade to ${discovery.to} in ${sizes.length} wave(s) (${sizes.join(', ') || 'none'}); ${discovery.archived.length} archived.`);
  return 0;
}

/** `sdlf-mesh fleet fetch ...` */
export async function fleetFetchCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { ...FLEET_OPTIONS, repository: { type: 'string' }, out: { type: 'string' } }, false);
  const name = requireFlag(values.repository, '--repository', 'give the repository to fetch, e.g. --repository acme/sales-data');
  const out = requireFlag(values.out, '--out', 'give the folder the source is written to, e.g. --out source');
  const { host } = await fleetHost(values, [name]);
  const [repository] = await host.listRepositories();
  const source = await fetchSource(repository, host, out);
  console.log(`${source.repository}: ${source.defaultBranch} at ${source.base}`);
  return 0;
}

/** `sdlf-mesh fleet propose ...` */
export async function fleetProposeCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { 'source': { type: 'string' }, 'to': { type: 'string' }, 'out': { type: 'string' }, 'verify': { type: 'boolean' }, 'step-timeout': { type: 'string' }, 'npmrc': { type: 'string' } }, false);
  // First, before anything is read: the repository's code runs here.
  const credentials = CREDENTIAL_VARIABLES.filter((name) => process.env[name]);
  if (credentials.length > 0) {
    throw new InvalidOptionError(
      credentials[0],
      `fleet propose runs the repository's code, which could read it: run it without ${credentials.join(', ')} in its environment (in the workflow, the propose job gets no secret and no token)`,
    );
  }
  const sourceDir = requireFlag(values.source, '--source', 'give the folder the repository\'s fetch job left, e.g. --source source');
  const out = requireFlag(values.out, '--out', 'give the folder the proposal is written to, e.g. --out proposal');
  const to = requireFlag(values.to, '--to', 'give the version the discovery resolved, or a tarball made by npm pack');
  const stepTimeoutMs = minutes(values['step-timeout']) * 60_000;
  const source = readSource(sourceDir);
  const target = await resolveUpgradeTarget(to);
  // The process holds no credential, so the repository's code may run as its user where the
  // machine gives no stronger isolation (a job's runner is the repository's alone).
  const isolation = chooseIsolation({ allowSharedUser: true });
  const npm = await DomainNpmConfig.load(values.npmrc);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-propose-'));
  const tarball = target.templateVersion.startsWith('file:') ? [target.templateVersion.slice('file:'.length)] : [];
  try {
    const sandbox = DomainSandbox.forRun(scratch, { stepTimeoutMs, npm, isolation, readable: tarball });
    const dir = path.join(scratch, 'repository');
    const proposal = await proposeUpgrade({
      repository: source.repository,
      cloneUrl: source.bundle,
      defaultBranch: source.defaultBranch,
      target,
      sandbox: sandbox.forRepository(dir),
      dir,
      out: path.resolve(out),
      verify: values.verify,
      stepTimeoutMs,
      onStep: (step) => console.error(`${source.repository}: ${step}`),
    });
    const what = proposal.status === 'failed' ? `failed at ${proposal.step}: ${proposal.error}` : proposal.status === 'current' ? `at ${proposal.to} already` : `a change from ${proposal.from ?? '?'} to ${proposal.to}`;
    console.log(`${source.repository}: ${what} (proposal in ${out})`);
    // A written proposal, a failure's included, is this job's result: the apply job reports it.
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** `sdlf-mesh fleet apply ...` */
export async function fleetApplyCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(
    args,
    {
      ...FLEET_OPTIONS,
      'discovery': { type: 'string' },
      'wave': { type: 'string' },
      'proposals': { type: 'string' },
      'github-run': { type: 'boolean' },
      'earlier-reports': { type: 'string' },
      'draft': { type: 'boolean' },
      'labels': { type: 'string' },
      'report': { type: 'string' },
      'step-timeout': { type: 'string' },
    },
    false,
  );
  const discovery = readDiscovery(requireFlag(values.discovery, '--discovery', 'give the discovery job\'s file, e.g. --discovery discovery/discovery.json'));
  const proposals = requireFlag(values.proposals, '--proposals', 'give the folder of the proposals\' artifacts, e.g. --proposals proposals');
  const wave = Number(values.wave ?? '1');
  const names = (discovery.waves[wave - 1] ?? []).map((repository) => repository.name);
  const jobConclusions = values['github-run'] ? await runJobConclusions() : undefined;
  const { host, apiRequests } = await fleetHost(values, names);
  const budget = new ContentBudget();
  if (values['earlier-reports'] !== undefined) {
    budget.seed(readWaveReports(values['earlier-reports']).flatMap((report) => report.contentCreatingAt));
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-apply-'));
  try {
    const report = await applyWave({
      discovery,
      wave,
      proposalsDir: proposals,
      host,
      workDir: scratch,
      jobConclusions,
      draft: values.draft,
      labels: values.labels?.split(',').map((label) => label.trim()).filter(Boolean),
      stepTimeoutMs: minutes(values['step-timeout']) * 60_000,
      budget,
      log: (message) => console.log(message),
    });
    if (values.report) {
      fs.mkdirSync(path.dirname(path.resolve(values.report)), { recursive: true });
      fs.writeFileSync(values.report, JSON.stringify(apiRequests ? { ...report, apiRequests } : report, null, 2) + '\n');
    }
    if (apiRequests) {
      console.log(`${apiRequests.total} API requests sent, ${apiRequests.contentCreating} of them content-creating.`);
    }
    return report.repositories.some((row) => row.status === 'failed') ? 1 : 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** `sdlf-mesh fleet report ...` */
export async function fleetReportCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, { reports: { type: 'string' }, out: { type: 'string' }, failed: { type: 'string' }, summary: { type: 'string' } }, false);
  const reports = readWaveReports(requireFlag(values.reports, '--reports', 'give the folder of the waves\' reports, e.g. --reports reports'));
  const report = mergeWaveReports(reports);
  if (values.out) {
    fs.writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
  }
  if (values.failed) {
    fs.writeFileSync(values.failed, report.failed.map((name) => `${name}\n`).join(''));
  }
  const markdown = fleetReportMarkdown(report);
  if (values.summary) {
    fs.appendFileSync(values.summary, markdown);
  }
  console.log(markdown);
  return report.failed.length > 0 ? 1 : 0;
}

function requireFlag(value: string | undefined, flag: string, fix: string): string {
  if (value === undefined || value === '') {
    throw new InvalidOptionError(flag, fix);
  }
  return value;
}

function minutes(value: string | undefined): number {
  const parsed = Number(value ?? DEFAULT_STEP_TIMEOUT_MINUTES);
  if (!(Number.isInteger(parsed) && parsed > 0)) {
    throw new InvalidOptionError('--step-timeout', `${value} is not a number of minutes; give a whole number, e.g. --step-timeout 20`);
  }
  return parsed;
}

/** The wave reports (`*.json`) of a folder, as apply jobs wrote them. */
function readWaveReports(dir: string): WaveReport[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort().map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as WaveReport);
}

/** The newest release of the template, as npm's registry says. */
async function newestRelease(): Promise<string> {
  const { stdout } = await exec('npm', ['view', 'sdlf-mesh', 'version'], { cwd: process.cwd() });
  return stdout.trim();
}

/**
 * How this workflow run's jobs ended, read with the run's own token (`GITHUB_RUN_TOKEN`, the
 * job's `github.token` with `actions: read`): GitHub Actions' variables name the run.
 */
async function runJobConclusions(): Promise<Map<string, string | null>> {
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId, GITHUB_RUN_TOKEN: token } = process.env;
  if (!repository || !runId || !token) {
    throw new InvalidOptionError('--github-run', 'runs in a GitHub Actions job: it needs GITHUB_REPOSITORY, GITHUB_RUN_ID and GITHUB_RUN_TOKEN (the job\'s github.token, with actions: read)');
  }
  const api = await GitHubApi.connect({ token, apiUrl: githubApiUrl(), log: (message) => console.error(message) });
  return workflowRunJobs(api, { repository, runId });
}
