/**
 * The pieces of a fleet run on GitHub Actions that decide what runs where: the waves (a matrix
 * takes 256 jobs), the pace of the apply (500 content-creating requests an hour for one
 * identity), and the report (a proposal's reason is the repository's text).
 */
import { WaveReport } from '../../src/fleet/apply-wave';
import { ContentBudget } from '../../src/fleet/content-budget';
import { discoverFleet, discoveryOutputs } from '../../src/fleet/fleet-discovery';
import { FleetHost, FleetRepository } from '../../src/fleet/fleet-host';
import { fleetReportMarkdown, mergeWaveReports } from '../../src/fleet/fleet-report';

const HOUR = 3_600_000;

/** A host that lists `count` repositories (every tenth archived), and does nothing else. */
function hostOf(count: number): FleetHost {
  const repositories: FleetRepository[] = Array.from({ length: count }, (_, index) => ({
    name: `acme/domain-${String(index).padStart(4, '0')}`,
    cloneUrl: `https://example.com/acme/domain-${index}.git`,
    archived: index % 10 === 9,
    defaultBranch: 'main',
  }));
  const unused = () => {
    throw new Error('not used by the discovery');
  };
  return { description: 'a test host', listRepositories: async () => repositories, gitEnvironment: unused, findUpgradeRequest: unused, listUpgradeRequests: unused, readFile: unused, openOrUpdateUpgradeRequest: unused };
}

const target = { version: '0.2.0', templateVersion: '0.2.0', installSpec: 'sdlf-mesh@0.2.0' };

test('1,000 repositories go into waves of at most 256, archived ones left out, each with a key unique in the run', async () => {
  const discovery = await discoverFleet({ host: hostOf(1000), target, waves: 4 });
  expect(discovery.waves.map((wave) => wave.length)).toEqual([256, 256, 256, 132]);
  expect(discovery.archived).toHaveLength(100);
  const keys = discovery.waves.flat().map((repository) => repository.key);
  expect(new Set(keys).size).toBe(900);
  expect(keys[0]).toBe('0001-acme_domain-0000');
  const outputs = discoveryOutputs(discovery).split('\n');
  expect(outputs[0]).toBe('to=0.2.0');
  expect(JSON.parse(outputs.find((line) => line.startsWith('wave-4='))!.slice('wave-4='.length))).toHaveLength(132);
  expect(outputs.find((line) => line.startsWith('repositories-1='))!.split(',')[0]).toBe('repositories-1=domain-0000');
});

test('more repositories than the workflow\'s waves take are refused with the fix, and --only names what it cannot find', async () => {
  await expect(discoverFleet({ host: hostOf(600), target, waves: 2 })).rejects.toThrow(/Invalid option "--waves": 540 repositories need 3 waves of 256, and the workflow has 2: raise fleetUpgradeWaves in \.projenrc\.ts/);
  await expect(discoverFleet({ host: hostOf(10), target, waves: 1, only: ['acme/nowhere'] })).rejects.toThrow(/Invalid option "--only": not found on a test host: acme\/nowhere/);
  await expect(discoverFleet({ host: hostOf(10), target, waves: 1, waveSize: 300 })).rejects.toThrow(/Invalid option "--wave-size"/);
  const only = await discoverFleet({ host: hostOf(10), target, waves: 1, only: ['acme/domain-0003'] });
  expect(only.waves[0].map((repository) => repository.name)).toEqual(['acme/domain-0003']);
});

test('the apply paces itself to GitHub\'s hourly limit, counting the earlier waves\' requests, and knows when it will end', async () => {
  let now = 10 * HOUR;
  const slept: number[] = [];
  const clock = { now: () => now, sleep: async (ms: number) => { slept.push(ms); now += ms; } };
  const budget = new ContentBudget(500, clock);
  // The first wave sent 300 requests half an hour ago.
  budget.seed(Array.from({ length: 300 }, () => now - HOUR / 2));
  expect(budget.expectedEnd(200)).toBe(now);
  expect(budget.expectedEnd(201)).toBe(now + HOUR / 2);
  for (let request = 0; request < 200; request++) {
    await budget.take();
  }
  expect(slept).toEqual([]);
  await budget.take();
  expect(slept).toEqual([HOUR / 2]);
});

test('the report merges the waves, lists the failed repositories for a re-run, and shows a repository\'s reason as text, not Markdown', () => {
  const wave = (index: number, rows: WaveReport['repositories']): WaveReport => ({ to: '0.2.0', wave: index, repositories: rows, contentCreatingAt: [], seconds: 60 * index, peakMemoryMiB: 80 });
  const report = mergeWaveReports([
    wave(2, [{ repository: 'acme/c', status: 'failed', to: '0.2.0', step: 'synth', error: '![x](https://evil.example/a.png) <img src=x> | broken\nmore', stepSeconds: { install: 40, synth: 5 } }]),
    wave(1, [{ repository: 'acme/a', status: 'upgraded', to: '0.2.0', requestUrl: 'https://github.com/acme/a/pull/1', stepSeconds: { clone: 1, install: 50 } }, { repository: 'acme/b', status: 'current', to: '0.2.0' }]),
  ]);
  expect(report.repositories.map((row) => row.repository)).toEqual(['acme/a', 'acme/b', 'acme/c']);
  expect(report.failed).toEqual(['acme/c']);
  expect(report.applySeconds).toEqual([60, 120]);
  expect(report.slowestProposeSeconds).toBe(51);
  const markdown = fleetReportMarkdown(report);
  expect(markdown).toContain('1 upgraded, 1 at the target already, 1 failed, of 3.');
  expect(markdown).toContain('| acme/c | failed | synth: \\!\\[x\\](https://evil.example/a.png) \\<img src=x\\> \\| broken |');
  expect(markdown).toContain('dispatch the workflow with repositories `acme/c`');
});
