/**
 * Domain repositories are untrusted input to the catalog: contracts built to exhaust memory or
 * hang the reader (an alias bomb, a 30 MiB file, a link to /dev/zero, a named pipe), bytes that
 * are not UTF-8, and repositories that speak for another domain. Each is a problem; the catalog
 * is built with everyone else's data products, read locally and through GitHub's API.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCatalog, Catalog, localSources } from '../../src/catalog';
import { contractFiles, lintContract } from '../../src/contract';
import { exec } from '../../src/util/exec';
import { git, GIT_ENV } from '../support/git';
import { GitHubServer } from '../support/github-server';
import { activeContract } from '../support/sample-contract';
import { runSdlfMesh, SDLF_MESH_CLI } from '../support/sdlf-mesh-cli';

const MIB = 1024 * 1024;
const TOKEN = 'ghp_hostileStandInToken0123456789abcdefAB';

/** Nine levels of nine aliases: about 400 million strings once expanded, in 20 lines. */
const ALIAS_BOMB = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
  .concat('bcdefghi'.split('').map((level, index) => `${level}: &${level} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(', ')}]`))
  .join('\n');
/** A contract with 30 MiB of padding: valid YAML, far over the limit. */
const huge = (domain: string) => `${activeContract(domain, '@acme/team', 'invoices')}# ${'x'.repeat(30 * MIB)}\n`;
/** A contract saved as Latin-1: the é is one byte that is not UTF-8. */
const latin1 = (domain: string) => Buffer.from(activeContract(domain, '@acme/team', 'cafes').replace(/  purpose: .*\n/, '  purpose: Cafés and their sales.\n'), 'latin1');
/** The line of the byte that is not UTF-8. */
const LATIN1_LINE = latin1('sales').subarray(0, latin1('sales').indexOf(0xe9)).filter((byte) => byte === 0x0a).length + 1;

let root: string;
let sales: string;
let finance: string;
let evil: string;
let catalog: Catalog;

function write(dir: string, files: Record<string, string | Buffer>) {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

async function commit(dir: string, message: string, files: Record<string, string | Buffer>, links: Record<string, string> = {}) {
  write(dir, files);
  for (const [link, target] of Object.entries(links)) {
    fs.symlinkSync(target, path.join(dir, link));
  }
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', message);
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-catalog-'));

  // sales: a clone whose working tree holds hostile files next to its contract (not committed:
  // a platform engineer's checkout can hold anything).
  sales = path.join(root, 'sales');
  fs.mkdirSync(sales);
  await git(sales, 'init', '-q', '-b', 'main');
  await commit(sales, 'orders', { 'dataproducts/orders.yaml': activeContract('sales', '@acme/sales', 'orders') });
  write(sales, { 'dataproducts/bomb.yaml': ALIAS_BOMB, 'dataproducts/huge.yaml': huge('sales'), 'dataproducts/cafes.yaml': latin1('sales') });
  fs.symlinkSync('/dev/zero', path.join(sales, 'dataproducts', 'zero.yaml'));
  await exec('mkfifo', [path.join(sales, 'dataproducts', 'pipe.yaml')], { cwd: sales });

  // finance: a bare repository whose history holds a 30 MiB version, and whose main holds a
  // committed link to /dev/zero, an alias bomb and Latin-1 bytes next to a valid contract.
  const work = path.join(root, 'work', 'finance');
  fs.mkdirSync(work, { recursive: true });
  await git(work, 'init', '-q', '-b', 'main');
  const invoices = activeContract('finance', '@acme/finance', 'invoices');
  await commit(work, 'invoices 1.0.0', { 'dataproducts/invoices.yaml': invoices });
  await commit(work, 'invoices with the data in it', { 'dataproducts/invoices.yaml': huge('finance') });
  await commit(
    work,
    'invoices 3.0.0 and the rest',
    { 'dataproducts/invoices.yaml': invoices.replace('version: 1.0.0', 'version: 3.0.0'), 'dataproducts/bomb.yaml': ALIAS_BOMB, 'dataproducts/cafes.yaml': latin1('finance') },
    { 'dataproducts/zero.yaml': '/dev/zero' },
  );
  finance = path.join(root, 'remotes', 'finance.git');
  await git(root, 'init', '-q', '--bare', '-b', 'main', finance);
  await git(work, 'push', '-q', finance, 'main');

  // evil: a repository that says it is sales, in its .projenrc.ts and in its contracts.
  evil = path.join(root, 'evil');
  write(evil, {
    '.projenrc.ts': "new SdlfDomainProject({ domain: 'sales' });\n",
    'dataproducts/orders.yaml': activeContract('sales', '@evil/team', 'orders').replace(/  purpose: .*\n/, '  purpose: The real orders, trust us.\n'),
    'dataproducts/refunds.yaml': activeContract('sales', '@evil/team', 'refunds'),
  });

  const built = await buildCatalog({ sources: localSources([sales, finance, evil]), out: path.join(root, 'site') });
  catalog = built.catalog;
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const problemsOf = (source: string) => catalog.problems.filter((problem) => problem.source === source).map((problem) => problem.text);

test('the catalog is built with the valid data products of every domain', () => {
  expect(catalog.products.map((product) => product.id)).toEqual(['finance/invoices', 'sales/orders']);
  expect(catalog.products.find((product) => product.id === 'sales/orders')!.purpose).not.toMatch(/trust us/);
  expect(fs.existsSync(path.join(root, 'site', 'products', 'sales.orders.html'))).toBe(true);
});

test('hostile files of a working tree are problems: never followed, never read past the limit, never decoded loosely', () => {
  const file = (name: string) => `${sales}/dataproducts/${name}`;
  expect(problemsOf(sales)).toEqual([
    `${file('bomb.yaml')}:1:1: not valid YAML: its aliases expand to too much data (more than 100 alias nodes), as an alias bomb does (write the repeated parts out instead of using anchors and aliases)`,
    `${file('cafes.yaml')}:${LATIN1_LINE}:1: the file is not UTF-8 text: byte ${latin1('sales').indexOf(0xe9) + 1} is not valid UTF-8 (save the contract as UTF-8)`,
    `${file('huge.yaml')}:1:1: the file is 30.0 MiB; the limit is 1 MiB (describe the data in the contract; keep the data itself out of it)`,
    `${file('pipe.yaml')}:1:1: the file is a named pipe, not a regular file, so it is not read`,
    `${file('zero.yaml')}:1:1: the file is a symbolic link, which is not followed: commit the file itself`,
  ]);
});

test('in a bare repository, a committed link, bomb or Latin-1 file and an oversized version in the history are problems', () => {
  const file = (name: string) => `${finance}/dataproducts/${name}`;
  const problems = problemsOf(finance);
  expect(problems).toEqual([
    expect.stringMatching(new RegExp(`^${file('bomb.yaml')}:1:1: not valid YAML: its aliases expand to too much data`)),
    expect.stringMatching(new RegExp(`^${file('cafes.yaml')}:${LATIN1_LINE}:1: the file is not UTF-8 text`)),
    expect.stringMatching(new RegExp(`^${file('invoices.yaml')}:1:1: the version of commit [0-9a-f]{12}: the file there is 30\\.0 MiB; the limit is 1 MiB`)),
    `${file('zero.yaml')}:1:1: the file is a symbolic link, which is not followed: commit the file itself`,
  ]);
  // The oversized version stays in the history, without what it cannot tell.
  const history = catalog.products.find((product) => product.id === 'finance/invoices')!.history;
  expect(history.map((version) => [version.subject, version.version])).toEqual([
    ['invoices 3.0.0 and the rest', '3.0.0'],
    ['invoices with the data in it', undefined],
    ['invoices 1.0.0', '1.0.0'],
  ]);
});

test('a repository cannot speak for another domain, whatever its .projenrc.ts and contracts say', () => {
  expect(catalog.sources.find((source) => source.name === evil)).toMatchObject({ domain: 'evil', identity: 'repository name' });
  expect(problemsOf(evil)).toEqual([
    expect.stringMatching(/orders\.yaml:\d+:\d+: domain: the contract is for domain "sales" but lives in the repository of domain "evil"/),
    expect.stringMatching(/refunds\.yaml:\d+:\d+: domain: the contract is for domain "sales" but lives in the repository of domain "evil"/),
  ]);
});

test('the problems page and --json list every problem', async () => {
  const page = fs.readFileSync(path.join(root, 'site', 'problems.html'), 'utf8');
  expect(page).toContain('zero.yaml');
  expect(page).toContain('is not UTF-8 text');
  const run = await runSdlfMesh(['catalog', 'build', sales, finance, evil, '--out', path.join(root, 'site-json'), '--json']);
  expect(run.exitCode).toBe(0);
  const summary = JSON.parse(run.output);
  expect(summary.products).toEqual(['finance/invoices', 'sales/orders']);
  expect(summary.problems.map((problem: { text: string }) => problem.text)).toEqual(catalog.problems.map((problem) => problem.text));
});

test('with --registry only the registered repositories speak, local ones by their folder\'s name', async () => {
  const platform = path.join(root, 'platform');
  write(platform, {
    'domains/sales.yaml': 'domain: sales\nrepository: acme/sales\n',
    'domains/finance.yaml': 'domain: finance\nrepository: acme/finance\n',
  });
  const run = await runSdlfMesh(['catalog', 'build', sales, finance, evil, '--registry', platform, '--out', path.join(root, 'site-registry'), '--json']);
  expect(run.exitCode).toBe(0);
  const summary = JSON.parse(run.output);
  expect(summary.products).toEqual(['finance/invoices', 'sales/orders']);
  const evilProblems = summary.problems.filter((problem: any) => problem.source === evil);
  expect(evilProblems).toEqual([
    expect.objectContaining({ kind: 'identity', message: expect.stringMatching(/^not in the domain registry .*platform: no domains\/<domain>\.yaml names evil as its repository/) }),
  ]);

  const refused = await runSdlfMesh(['catalog', 'build', sales, '--registry', path.join(root, 'work'), '--out', path.join(root, 'site-refused')]);
  expect(refused.exitCode).not.toBe(0);
  expect(refused.output).toMatch(/Invalid option "--registry": .*work holds no domain registrations \(domains\/<domain>\.yaml\); give the platform repository or its domains\/ folder/);
  expect(fs.existsSync(path.join(root, 'site-refused'))).toBe(false);
});

test('contract lint reports the same files as problems and does not hang or crash', () => {
  const reports = contractFiles([path.join(sales, 'dataproducts'), path.join(sales, 'dataproducts', 'zero.yaml')]).map((file) => lintContract(file, { domain: 'sales' }));
  expect(reports.map((report) => [path.basename(report.file), report.problems.length > 0])).toEqual([
    ['bomb.yaml', true],
    ['cafes.yaml', true],
    ['huge.yaml', true],
    ['orders.yaml', false],
    ['pipe.yaml', true],
    ['zero.yaml', true],
    ['zero.yaml', true],
  ]);
});

test('the memory of a catalog build stays bounded', async () => {
  if (!fs.existsSync('/usr/bin/time')) {
    console.log('/usr/bin/time is not on this machine: the peak memory is not measured');
    return;
  }
  // GNU time prints the peak resident set size of the command, in KiB.
  const peak = async (...sources: string[]) => {
    const args = ['-f', 'peak-rss-kib %M', process.execPath, SDLF_MESH_CLI, 'catalog', 'build', ...sources, '--out', fs.mkdtempSync(path.join(root, 'rss-'))];
    const { stderr } = await exec('/usr/bin/time', args, { cwd: root, env: GIT_ENV });
    return Number(/peak-rss-kib (\d+)/.exec(stderr)![1]) / 1024;
  };
  const hostile = await peak(sales, finance, evil);
  // The same build without the hostile files: the valid contracts alone.
  const calm = path.join(root, 'calm');
  write(calm, { 'dataproducts/orders.yaml': activeContract('calm', '@acme/calm', 'orders') });
  const baseline = await peak(calm);
  console.log(`peak RSS of a catalog build: ${hostile.toFixed(0)} MiB with the hostile fixtures, ${baseline.toFixed(0)} MiB without`);
  // 30 MiB read even once as a string, parsed as YAML or expanded as aliases would show here.
  expect(hostile - baseline).toBeLessThan(30);
}, 60_000);

describe('through the GitHub API', () => {
  let server: GitHubServer;
  let summary: any;

  beforeAll(async () => {
    server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
    for (const [name, from, properties] of [
      ['finance', finance, {}],
      ['sales', sales, {}],
      // Named otherwise, but its custom property claims the sales domain.
      ['shop', sales, { domain: 'sales' }],
    ] as const) {
      await server.model.createRepository('acme', name, { topics: ['sdlf-domain'], custom_properties: properties });
      await git(from, 'push', '-q', server.model.barePath('acme', name), 'main');
    }
    const run = await runSdlfMesh(['catalog', 'build', '--org', 'acme', '--without-registry', '--history', '5', '--out', path.join(root, 'github-site'), '--json'], {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: server.url,
    });
    if (run.exitCode !== 0) {
      throw new Error(run.output);
    }
    summary = JSON.parse(run.output);
  }, 120_000);
  afterAll(() => server.close());

  test('a link, a bomb, Latin-1 bytes and a version over 1 MB are problems; the oversized one is never downloaded', () => {
    const texts = summary.problems.filter((problem: any) => problem.source === 'acme/finance').map((problem: any) => problem.text);
    expect(texts).toEqual([
      expect.stringMatching(/^acme\/finance\/dataproducts\/bomb\.yaml:1:1: not valid YAML: its aliases expand to too much data/),
      expect.stringMatching(new RegExp(`^acme/finance/dataproducts/cafes\\.yaml:${LATIN1_LINE}:1: the file is not UTF-8 text`)),
      expect.stringMatching(/^acme\/finance\/dataproducts\/invoices\.yaml:1:1: the version of commit [0-9a-f]{12}: the file there is 30\.0 MiB; the limit is 1 MiB/),
      'acme/finance/dataproducts/zero.yaml:1:1: the file is a symbolic link, which is not followed: commit the file itself',
    ]);
    expect(summary.products).toEqual(['finance/invoices']);
    // The link was never read, nor its history: its listing entry said what it is.
    expect(server.requests.filter((request) => request.kind === 'api' && /zero\.yaml/.test(request.url)).map((request) => request.url)).toEqual([]);
    expect(server.violations).toEqual([]);
  });

  test('a repository whose custom property claims another domain is a conflict of both, reported', () => {
    const conflicts = summary.problems.filter((problem: any) => problem.kind === 'conflict');
    expect(conflicts.map((problem: any) => problem.text)).toEqual([
      expect.stringMatching(/^acme\/sales: conflict: it speaks for domain "sales" \(by its repository name\), and so does acme\/shop/),
      expect.stringMatching(/^acme\/shop: conflict: it speaks for domain "sales" \(by its custom property\), and so does acme\/sales/),
    ]);
    expect(summary.products.filter((id: string) => id.startsWith('sales/'))).toEqual([]);
  });

  test('with --registry the registry alone decides: a repository whose name or custom property claims a domain publishes nothing', async () => {
    const platform = path.join(root, 'github-platform');
    write(platform, { 'domains/sales.yaml': 'domain: sales\nrepository: acme/sales\n', 'domains/finance.yaml': 'domain: finance\nrepository: acme/finance\n' });
    const run = await runSdlfMesh(['catalog', 'build', '--org', 'acme', '--registry', platform, '--out', path.join(root, 'github-site-registry'), '--json'], {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: server.url,
    });
    expect(run.exitCode).toBe(0);
    const registered = JSON.parse(run.output);
    expect(registered.products).toEqual(['finance/invoices', 'sales/orders']);
    expect(registered.problems.filter((problem: any) => problem.source === 'acme/shop')).toEqual([
      expect.objectContaining({ kind: 'identity', message: expect.stringMatching(/^not in the domain registry .*: no domains\/<domain>\.yaml names acme\/shop as its repository/) }),
    ]);
    expect(registered.problems.filter((problem: any) => problem.kind === 'conflict')).toEqual([]);
  });
});
