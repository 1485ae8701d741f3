/**
 * The fleet upgrade in its two phases, as the platform repository's fleet-upgrade workflow runs
 * it: the generated workflow is run job by job against the local GitHub stand-in (see
 * test/support/workflow-simulation.ts), each propose job a process of its own with no token,
 * the apply job with the app's write token. Prints the time of each phase (the propose jobs run
 * side by side on GitHub, `--parallel` at a time here), the apply process's peak memory, and the
 * content-creating REST calls a repository on the first run and on a re-run (of `--rerun`
 * repositories, dispatched with the `repositories` input, as a re-run of some is).
 *
 * Run: npx projen compile && npx ts-node --project test/tsconfig.json bench/fleet-two-phase.ts [--repos 100] [--rerun 100] [--parallel 2]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { git } from '../test/support/git';
import { GitHubServer } from '../test/support/github-server';
import { platformProject } from '../test/support/platform-project';
import { synthesize } from '../test/support/synth';
import { generateDomain, upgradeScenario } from '../test/support/template-versions';
import { simulateFleetUpgrade, WorkflowSimulationResult } from '../test/support/workflow-simulation';

const APP = 'sdlf-fleet-bot';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repos: { type: 'string', default: '100' }, rerun: { type: 'string' }, parallel: { type: 'string', default: '2' } } });
  const count = Number(values.repos);
  const rerun = Number(values.rerun ?? values.repos);
  const parallel = Number(values.parallel);
  console.log(`sdlf-mesh bench: two-phase fleet upgrade of ${count} repositories through the generated workflow, ${parallel} jobs at once (node ${process.version}, ${os.cpus().length} cores)`);

  const { old, target } = await upgradeScenario();
  const generated = await generateDomain(old, 'sales');
  const commit = await git(generated, 'rev-parse', 'HEAD');
  const server = await GitHubServer.start({ users: [APP], organizations: [{ login: 'acme' }], tokens: {} });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-two-phase-'));
  try {
    const checkout = path.join(dir, 'data-platform');
    synthesize(platformProject({}, checkout));
    await server.model.createRepository('acme', 'data-platform');
    for (let index = 1; index <= count; index++) {
      const domain = `domain${String(index).padStart(3, '0')}`;
      await server.model.createRepository('acme', `${domain}-data`, { topics: ['sdlf-domain'] });
      await git(generated, 'push', '--quiet', server.model.barePath('acme', `${domain}-data`), `${commit}:refs/heads/main`);
      fs.writeFileSync(path.join(checkout, 'domains', `${domain}.yaml`), `domain: ${domain}\nrepository: acme/${domain}-data\n`);
    }
    const names = Array.from({ length: count }, (_, index) => `acme/domain${String(index + 1).padStart(3, '0')}-data`);
    const simulate = async (name: string, only?: string[]) => {
      server.resetCounts();
      const started = Date.now();
      const result = await simulateFleetUpgrade({ server, checkout, to: target, appLogin: APP, parallel, dir: path.join(dir, name), only });
      return { result, seconds: (Date.now() - started) / 1000, counts: server.counts() };
    };

    const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);
    for (const [name, only] of [['first run', undefined], [`re-run of ${rerun}`, names.slice(0, rerun)]] as const) {
      const { result, seconds, counts } = await simulate(name, only);
      const upgradedHere = only?.length ?? count;
      const report = JSON.parse(fs.readFileSync(path.join(result.artifacts, 'fleet-report', 'fleet-report.json'), 'utf8'));
      const statuses = report.repositories.reduce((all: Record<string, number>, row: { status: string }) => ({ ...all, [row.status]: (all[row.status] ?? 0) + 1 }), {});
      console.log(`\n${name}`);
      line('repositories', JSON.stringify(statuses));
      line('wall time (the whole workflow, on this machine)', `${seconds.toFixed(1)} s`);
      line('propose phase: wall / median job / slowest job', phase(result, 'propose '));
      line('fetch phase: wall / median job / slowest job', phase(result, 'fetch '));
      line('apply: seconds / peak memory of its process', `${report.applySeconds.map((value: number) => value.toFixed(1)).join(' + ')} s / ${Math.max(...report.applyPeakMemoryMiB)} MiB`);
      line('content-creating REST calls a repository', (counts.contentCreating / upgradedHere).toFixed(2));
      line('REST calls a repository', (counts.total / upgradedHere).toFixed(2));
      line('requests GitHub\'s description refuses', String(server.violations.length));
      if (report.failed.length > 0 || server.violations.length > 0) {
        process.exitCode = 1;
      }
    }
  } finally {
    await server.close();
  }
}

/** The wall time of a phase's jobs (first start to last end), their median and slowest time. */
function phase(result: WorkflowSimulationResult, prefix: string): string {
  const jobs = result.jobs.filter((job) => job.name.startsWith(prefix));
  if (jobs.length === 0) {
    return '-';
  }
  const times = jobs.map((job) => (job.endedAt - job.startedAt) / 1000).sort((a, b) => a - b);
  const wall = (Math.max(...jobs.map((job) => job.endedAt)) - Math.min(...jobs.map((job) => job.startedAt))) / 1000;
  return `${wall.toFixed(1)} s / ${times[Math.floor(times.length / 2)].toFixed(1)} s / ${times[times.length - 1].toFixed(1)} s`;
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
