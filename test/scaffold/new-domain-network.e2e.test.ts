/**
 * `sdlf-mesh new domain` behind a TLS-intercepting proxy with a company registry, set where a
 * machine sets them: in npm's global configuration (`<prefix>/etc/npmrc`). `projen new` installs
 * with `--prefix <new repository>`, which moves where npm looks for that file; the command must
 * still reach the registry, trusting its certificate authority, from a cold cache. The registry
 * is a stand-in on 127.0.0.1 that forwards to the registry this machine's npm uses.
 *
 * The template given is a package that is no projen template: `projen new` installs projen and
 * it (the two installs with `--prefix`), then stops, so the test costs seconds, not a generation.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packNotATemplate } from '../support/packed-template';
import { RegistryStandIn, throwawayCertificates, upstreamRegistry } from '../support/registry-stand-in';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

jest.setTimeout(180_000);

const TOKEN = 'company-registry-token-0123456789';
const TLS_FAILURE = /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|stale/i;

let root: string;
let registry: RegistryStandIn;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'new-domain-network-'));
  const certificates = await throwawayCertificates(path.join(root, 'certificates'));
  const upstream = await upstreamRegistry();
  registry = await RegistryStandIn.start({
    upstream: upstream.url, upstreamCa: upstream.ca, certificates, token: TOKEN, maxRequests: 500, lifetimeMs: 170_000,
  });
  // The machine's global configuration: the company registry, its token and its CA.
  fs.mkdirSync(path.join(root, 'npm-prefix', 'etc'), { recursive: true });
  fs.writeFileSync(path.join(root, 'npm-prefix', 'etc', 'npmrc'), `registry=${registry.url}\ncafile=${certificates.caFile}\n${registry.tokenLine}\n`);
});

afterAll(async () => {
  await registry?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the registry, CA and token of npm\'s global configuration reach projen new\'s installs, from a cold cache', async () => {
  // As the command runs when installed, not through npx: npm's settings come from its files alone.
  const npmVariables = Object.fromEntries(Object.keys(process.env).filter((key) => /^npm_config_/i.test(key)).map((key) => [key, undefined]));
  const cache = path.join(root, 'cold-npm-cache');
  const env = { ...npmVariables, npm_config_prefix: path.join(root, 'npm-prefix'), npm_config_cache: cache };

  const run = await runSdlfMesh(['new', 'domain', 'sales', '--owner', 'sales-data@example.com', '--dir', path.join(root, 'sales'), '--remotes-dir', path.join(root, 'remotes'),
    '--from', await packNotATemplate(root), '--verbose'], env);

  // Both installs succeeded: projen new stops only at the package, which is no template.
  expect(run.exitCode).toBe(1);
  expect(run.output).toMatch(/Module 'sdlf-mesh' does not look like it is compatible with projen/);
  // projen came through the company registry, with its token, trusted at once.
  expect(registry.requestsFor('projen').map((request) => request.path)).toEqual(expect.arrayContaining(['/projen', expect.stringMatching(/^\/projen\/-\/projen-[\d.]+\.tgz$/)]));
  expect(registry.requests.filter((request) => request.status !== 200)).toEqual([]);
  expect(run.output).not.toMatch(TLS_FAILURE);
  const logs = path.join(cache, '_logs');
  expect(fs.readdirSync(logs).map((file) => fs.readFileSync(path.join(logs, file), 'utf8')).join('\n')).not.toMatch(TLS_FAILURE);
});
