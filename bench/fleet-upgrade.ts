/**
 * Upgrades a fleet of domain repositories on the local GitHub stand-in (every request checked
 * against GitHub's OpenAPI description, git served by `git http-backend`) with the compiled
 * `sdlf-mesh upgrade --org`, as a platform engineer runs it: real git, npm and projen in each
 * repository. Prints the wall time, repositories a minute, the REST and content-creating REST
 * calls a repository, and where a repository's time goes.
 *
 * One domain repository is generated with `projen new` at template 0.1.0 and pushed to every
 * repository of the fleet; the upgrade takes them to 0.2.0.
 *
 * Run: npx projen compile && npx ts-node --project test/tsconfig.json bench/fleet-upgrade.ts [--repos 100] [--concurrency 2]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { git } from '../test/support/git';
import { GitHubServer } from '../test/support/github-server';
import { runSdlfMesh } from '../test/support/sdlf-mesh-cli';
import { generateDomain, upgradeScenario } from '../test/support/template-versions';

const TOKEN = 'ghp_benchStandInToken0123456789abcdefABCDE';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repos: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '2' } } });
  const count = Number(values.repos);
  const concurrency = values.concurrency!;
  console.log(`sdlf-mesh bench: fleet upgrade of ${count} repositories, concurrency ${concurrency} (node ${process.version}, ${os.cpus().length} cores)`);

  const { old, target } = await upgradeScenario();
  const generated = await generateDomain(old, 'sales');
  const commit = await git(generated, 'rev-parse', 'HEAD');
  const server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
  try {
    const names = Array.from({ length: count }, (_, i) => `domain-${String(i + 1).padStart(3, '0')}-data`);
    for (const name of names) {
      await server.model.createRepository('acme', name, { topics: ['sdlf-domain'] });
      await git(generated, 'push', '--quiet', server.model.barePath('acme', name), `${commit}:refs/heads/main`);
    }
    server.resetCounts();

    const reportFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-')), 'report.json');
    const started = process.hrtime.bigint();
    const run = await runSdlfMesh(['upgrade', '--to', target, '--org', 'acme', '--concurrency', concurrency, '--report', reportFile], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!fs.existsSync(reportFile)) {
      throw new Error(`the upgrade wrote no report:\n${run.output}`);
    }
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    const rows: Array<{ status: string; stepSeconds?: Record<string, number> }> = report.repositories;
    const upgraded = rows.filter((row) => row.status === 'upgraded').length;
    const counts = server.counts();
    const pulls = names.reduce((sum, name) => sum + server.model.repository('acme', name)!.pulls.length, 0);

    const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
    line('repositories upgraded / failed', `${upgraded} / ${rows.length - upgraded} (exit code ${run.exitCode})`);
    line('pull requests opened', String(pulls));
    line('wall time', `${seconds.toFixed(1)} s`);
    line('repositories a minute (target: 12 or more)', (upgraded / (seconds / 60)).toFixed(2));
    line('each repository as a user of its own', report.isolatedByUser ? 'yes' : 'no (not run as root)');
    line('REST calls a repository', (counts.total / count).toFixed(2));
    line('content-creating REST calls a repository', (counts.contentCreating / count).toFixed(2));
    line('git requests a repository', (counts.git / count).toFixed(2));
    line('requests GitHub\'s description refuses', String(server.violations.length));
    const steps = [...new Set(rows.flatMap((row) => Object.keys(row.stepSeconds ?? {})))];
    for (const step of steps) {
      const times = rows.map((row) => row.stepSeconds?.[step]).filter((time): time is number => time !== undefined).sort((a, b) => a - b);
      line(`  step ${step}: median / slowest`, `${times[Math.floor(times.length / 2)].toFixed(1)} s / ${times[times.length - 1].toFixed(1)} s`);
    }
    if (upgraded !== count || pulls !== count || server.violations.length > 0) {
      process.exitCode = 1;
      console.error(run.output);
    }
  } finally {
    await server.close();
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
