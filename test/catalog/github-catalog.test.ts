/**
 * `sdlf-mesh catalog build --org acme` reads the domain repositories through the GitHub API
 * (contents and commits, no clone), run as a user runs it against the GitHub stand-in, and builds
 * the same catalog as from local clones of the same repositories.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createMesh, MeshFixture } from './mesh-fixture';
import { git } from '../support/git';
import { GitHubServer } from '../support/github-server';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const TOKEN = 'ghp_catalogStandInToken0123456789abcdefAB';
const DOMAINS = ['finance', 'hr', 'logistics', 'marketing', 'sales'];

let mesh: MeshFixture;
let server: GitHubServer;
let local: any;
let fromGitHub: any;
let summary: any;

/** Where the fixture keeps a domain: a bare remote, or a working tree. */
const localForm = (domain: string) => (['finance', 'marketing'].includes(domain) ? path.join(mesh.remotes, `${domain}.git`) : path.join(mesh.root, domain));

/** A product as both sources must give it: everything but where it was read and its history. */
const comparable = ({ source, history, ...product }: any) => product;

beforeAll(async () => {
  mesh = await createMesh(fs.mkdtempSync(path.join(os.tmpdir(), 'github-catalog-')));
  server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme' }], tokens: { [TOKEN]: { login: 'alice' } } });
  // The five domains on GitHub, as their local forms hold them (the plain folder gets a commit).
  const logistics = path.join(mesh.root, 'logistics');
  await git(logistics, 'init', '-q', '-b', 'main');
  await git(logistics, 'add', '-A');
  await git(logistics, 'commit', '-q', '-m', 'shipments');
  for (const domain of DOMAINS) {
    await server.model.createRepository('acme', domain, { topics: ['sdlf-domain'] });
    await git(localForm(domain), 'push', '-q', server.model.barePath('acme', domain), 'main');
  }
  // A domain repository nothing was pushed to, an archived one, and one that is not a domain.
  await server.model.createRepository('acme', 'empty', { topics: ['sdlf-domain'] });
  const retired = await server.model.createRepository('acme', 'retired', { topics: ['sdlf-domain'] });
  retired.archived = true;
  await server.model.createRepository('acme', 'website');

  const localSite = path.join(mesh.root, 'local-site');
  const localRun = await runSdlfMesh(['catalog', 'build', ...DOMAINS.map(localForm), '--out', localSite]);
  expect(localRun.exitCode).toBe(0);
  local = JSON.parse(fs.readFileSync(path.join(localSite, 'catalog.json'), 'utf8'));

  const site = path.join(mesh.root, 'github-site');
  const run = await runSdlfMesh(['catalog', 'build', '--org', 'acme', '--topic', 'sdlf-domain', '--without-registry', '--history', '5', '--out', site, '--json'], {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: server.url,
  });
  if (run.exitCode !== 0) {
    throw new Error(run.output);
  }
  summary = JSON.parse(run.output);
  fromGitHub = JSON.parse(fs.readFileSync(path.join(site, 'catalog.json'), 'utf8'));
}, 120_000);

afterAll(async () => {
  await server.close();
  fs.rmSync(mesh.root, { recursive: true, force: true });
});

test('the catalog read through the API has the same data products as the one read from clones', () => {
  expect(fromGitHub.products.map((product: any) => product.id)).toEqual(mesh.products);
  expect(fromGitHub.products.map(comparable)).toEqual(local.products.map(comparable));
  expect(fromGitHub.edges).toEqual(local.edges);
  expect(fromGitHub.products.find((product: any) => product.id === 'sales/orders').source).toEqual({
    name: 'acme/sales',
    file: 'acme/sales/dataproducts/orders.yaml',
    commit: expect.stringMatching(/^[0-9a-f]{40}$/),
  });
});

test('--history reads each contract\'s versions from the commits API', () => {
  const history = fromGitHub.products.find((product: any) => product.id === 'finance/invoices').history;
  expect(history.map((version: any) => [version.version, version.subject])).toEqual([
    ['2.0.0', 'invoices 2.0.0: no currency column'],
    ['1.0.0', 'invoices 1.0.0'],
  ]);
  expect(history[0].changes).toEqual([{ breaking: true, message: 'column "currency" removed' }]);
});

test('a broken contract and a repository without a branch are problems; archived and other repositories are left out', () => {
  const problems = fromGitHub.problems.map((problem: any) => problem.text).join('\n');
  expect(problems).toMatch(/dataproducts\/broken\.yaml/);
  expect(problems).toMatch(/acme\/empty: no branch main/);
  expect(problems).not.toMatch(/acme\/retired|acme\/website/);
});

test('only read requests, all valid for GitHub\'s description; one search finds the repositories', () => {
  expect(server.violations).toEqual([]);
  expect(server.counts().contentCreating).toBe(0);
  expect(server.counts().git).toBe(0);
  expect(server.requests.filter((request) => request.route === 'GET /search/repositories')).toHaveLength(1);
  expect(summary.apiRequests).toEqual({ total: server.counts().total, contentCreating: 0 });
  console.log(`catalog of ${DOMAINS.length} domains from GitHub: ${server.counts().total} API requests (with --history 5), 0 content-creating`);
});

test('--org without the registry, without a token, or with folders, is refused before anything is read', async () => {
  const out = path.join(mesh.root, 'refused');
  // A repository's name is whatever whoever made it chose: the registry decides, unless the user says otherwise.
  const unregistered = await runSdlfMesh(['catalog', 'build', '--org', 'acme', '--out', out], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });
  expect([unregistered.exitCode, unregistered.output]).toEqual([1, expect.stringMatching(/Invalid option "--org": needs the platform's registry .*: give --registry <platform repository>, or --without-registry/)]);
  const noToken = await runSdlfMesh(['catalog', 'build', '--org', 'acme', '--without-registry', '--out', out], { GITHUB_API_URL: server.url });
  expect(noToken.output).toMatch(/Invalid option "--org": the repositories are on GitHub, which needs a token/);
  const both = await runSdlfMesh(['catalog', 'build', '--org', 'acme', path.join(mesh.root, 'sales'), '--out', out], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });
  expect(both.output).toMatch(/Invalid option "--org": give the repositories either with --org or as folders/);
  const history = await runSdlfMesh(['catalog', 'build', path.join(mesh.root, 'sales'), '--history', '3', '--out', out]);
  expect(history.output).toMatch(/Invalid option "--history": is for domain repositories on GitHub/);
  expect(fs.existsSync(out)).toBe(false);
});
