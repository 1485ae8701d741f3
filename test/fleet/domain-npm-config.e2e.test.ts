/**
 * A fleet run behind a TLS-intercepting proxy with a company registry: the repositories' installs
 * and the template store's reach a registry whose certificate only the run's `--npmrc` trusts,
 * with its read-only token, from a cold cache, with the real npm. The registry is a stand-in on
 * 127.0.0.1 that forwards to the registry this machine's npm uses, and counts what it serves.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DomainNpmConfig } from '../../src/fleet/domain-npm-config';
import { DomainSandbox, RepositorySandbox } from '../../src/fleet/domain-sandbox';
import { TemplateStore } from '../../src/fleet/template-store';
import { UpgradeTarget } from '../../src/fleet/template-version';
import { exec } from '../../src/util/exec';
import { git, GIT_ENV } from '../support/git';
import { PACKAGE_ROOT } from '../support/packed-template';
import { RegistryStandIn, throwawayCertificates, ThrowawayCertificates, upstreamRegistry } from '../support/registry-stand-in';

jest.setTimeout(180_000);

const ROOT = process.getuid?.() === 0;
const TOKEN = 'read-only-install-token-0123456789';
// What npm prints when it does not trust the registry, and when it falls back to its cache.
const TLS_FAILURE = /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|stale/i;

let root: string;
/** Where only the platform's user may look: the run's npmrc and the CA file it names. */
let platformOnly: string;
let certificates: ThrowawayCertificates;
let registry: RegistryStandIn;
let target: UpgradeTarget;

/** A package `name` with one file, packed by npm: the stand-in for the template. */
async function packed(name: string): Promise<string> {
  const dir = path.join(root, 'packages', name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(dir, 'index.js'), `module.exports = '${name}';\n`);
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', path.join(root, 'packages')], { cwd: dir });
  return path.join(root, 'packages', JSON.parse(stdout)[0].filename);
}

/** An npmrc of the platform's, in a folder only its user can read. */
function npmrc(name: string, text: string): string {
  const file = path.join(platformOnly, name);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** Everything npm wrote to its logs in `cache`. */
function npmLogs(cache: string): string {
  const logs = path.join(cache, '_logs');
  return fs.existsSync(logs) ? fs.readdirSync(logs).map((file) => fs.readFileSync(path.join(logs, file), 'utf8')).join('\n') : '';
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-npm-'));
  fs.chmodSync(root, 0o755);
  platformOnly = fs.mkdtempSync(path.join(root, 'platform-'));
  fs.chmodSync(platformOnly, 0o700);
  certificates = await throwawayCertificates(path.join(platformOnly, 'certificates'));
  const upstream = await upstreamRegistry();
  registry = await RegistryStandIn.start({
    upstream: upstream.url, upstreamCa: upstream.ca, certificates, token: TOKEN, maxRequests: 200, lifetimeMs: 170_000,
  });
  const alpha = await packed('alpha');
  target = { version: '1.0.0', templateVersion: `file:${alpha}`, installSpec: `alpha@file:${alpha}` };
});

afterAll(async () => {
  await registry?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('with --npmrc naming a company registry, its CA and a read-only token, the store and each repository install through it from a cold cache', async () => {
  const config = await DomainNpmConfig.load(npmrc('fleet.npmrc', `registry=${registry.url}\ncafile=certificates/ca.pem ; relative to this file\n${registry.tokenLine}\n`));
  const scratch = fs.mkdtempSync(path.join(root, 'run-'));
  const sandbox = DomainSandbox.forRun(scratch, { stepTimeoutMs: 120_000, npm: config });
  const store = new TemplateStore(path.join(scratch, 'store'), target, config);
  const repository = (name: string, dependencies: Record<string, string>): RepositorySandbox => {
    const repo = sandbox.forRepository(path.join(scratch, name));
    fs.mkdirSync(repo.workTree);
    fs.writeFileSync(path.join(repo.workTree, 'package.json'), JSON.stringify({ name, version: '0.0.0', dependencies: { alpha: target.templateVersion, ...dependencies } }));
    repo.handOver();
    return repo;
  };
  // The store's npm uses the platform's cache: a new one, so nothing comes from an earlier run.
  const storeCache = path.join(scratch, 'platform-npm-cache');
  const saved = process.env.npm_config_cache;
  process.env.npm_config_cache = storeCache;
  try {
    const first = repository('first', { 'is-odd': '3.0.1' });
    const second = repository('second', { 'is-odd': '3.0.1', 'is-number': '7.0.0' });

    // The first makes the store (its npm runs as the platform, --ignore-scripts) and needs no npm of its own.
    expect(await store.linkInto(first.workTree, first.owner)).toBe(true);
    expect(store.completeInstall(first.workTree, first.owner)).toBe(true);
    // The second asks for one package more: its own npm, in its sandbox, as its user.
    expect(await store.linkInto(second.workTree, second.owner)).toBe(true);
    expect(store.completeInstall(second.workTree, second.owner)).toBe(false);
    const install = await second.run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', target.installSpec]);

    const version = (repo: RepositorySandbox, name: string) => JSON.parse(fs.readFileSync(path.join(repo.workTree, 'node_modules', name, 'package.json'), 'utf8')).version;
    expect([version(first, 'is-odd'), version(first, 'is-number')]).toEqual(['3.0.1', expect.stringMatching(/^6\./)]);
    expect([version(second, 'is-odd'), version(second, 'is-number')]).toEqual(['3.0.1', '7.0.0']);
    // The packages came through the company registry, with its token: the store's, then the repository's.
    expect(registry.requestsFor('is-odd').map((request) => request.path)).toEqual(expect.arrayContaining(['/is-odd', '/is-odd/-/is-odd-3.0.1.tgz']));
    expect(registry.requestsFor('is-number').map((request) => request.path)).toEqual(
      expect.arrayContaining(['/is-number', '/is-number/-/is-number-7.0.0.tgz', expect.stringMatching(/^\/is-number\/-\/is-number-6\.\d+\.\d+\.tgz$/)]),
    );
    expect(registry.requests.filter((request) => request.status !== 200)).toEqual([]);
    // Trusted at once: no TLS failure, no retry, no fallback to a stale cache entry.
    expect(install.stdout + install.stderr).not.toMatch(TLS_FAILURE);
    expect(npmLogs(path.join(second.home, 'npm-cache')) + npmLogs(storeCache)).not.toMatch(TLS_FAILURE);
    expect(npmLogs(path.join(second.home, 'npm-cache'))).toMatch(/fetch GET 200 https:\/\/127\.0\.0\.1:\d+\/is-number/);

    // The repository's code reads the run's npmrc (the README says so), never the platform's files.
    const seen = JSON.parse((await second.run(process.execPath, ['-e', `
      const fs = require('fs');
      const read = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch (error) { return error.code; } };
      console.log(JSON.stringify({ npmrc: read(process.env.npm_config_userconfig), platformCa: read(${JSON.stringify(certificates.caFile)}) }));
    `])).stdout);
    expect(seen.npmrc).toContain(registry.tokenLine);
    if (ROOT) {
      // Its own user cannot read the platform's CA file: it was given a copy.
      expect(seen.platformCa).toBe('EACCES');
    }
  } finally {
    process.env.npm_config_cache = saved;
  }
});

test('domain code that reaches the network itself trusts what NODE_EXTRA_CA_CERTS names, from a copy its user can read', async () => {
  const saved = process.env.NODE_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = certificates.caFile;
  try {
    const scratch = fs.mkdtempSync(path.join(root, 'run-'));
    const sandbox = DomainSandbox.forRun(scratch, { stepTimeoutMs: 60_000, npm: await DomainNpmConfig.load(undefined) });
    const repo = sandbox.forRepository(path.join(scratch, 'downloads'));
    fs.mkdirSync(repo.workTree);
    repo.handOver();

    // As an install script that downloads a file does.
    const fetched = await repo.run(process.execPath, ['-e', `
      require('https').get(${JSON.stringify(`${registry.url}is-number`)}, { headers: { authorization: 'Bearer ${TOKEN}' } }, (response) => {
        console.log(response.statusCode);
        response.resume();
      }).on('error', (error) => { console.log(error.code); });
    `]);

    expect(fetched.stdout.trim()).toBe('200');
  } finally {
    process.env.NODE_EXTRA_CA_CERTS = saved;
  }
});

test('a registry the platform\'s own npm uses and the installs would not is named before the run, with the fix', async () => {
  const remotes = fs.mkdtempSync(path.join(root, 'remotes-'));
  // The platform's npm is set up for the company registry (here through a variable, as in ~/.npmrc).
  const upgrade = (...args: string[]) => exec(process.execPath, [path.join(PACKAGE_ROOT, 'lib', 'cli', 'main.js'), 'upgrade', '--to', '9.9.9', '--dry-run', '--remotes-dir', remotes, ...args], {
    cwd: root,
    env: { ...GIT_ENV, CI: undefined, npm_config_registry: registry.url },
  });

  const without = await upgrade();
  expect(without.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(
    `^Note: your npm uses the registry ${registry.url}; the repositories' installs use \\S+ \\(npm's default\\), not your ~/\\.npmrc or global npmrc: give --npmrc a file with registry=${registry.url}, its cafile and a read-only token`,
  ))]);
  const withNpmrc = await upgrade('--npmrc', npmrc('company.npmrc', `registry=${registry.url}\n`));
  expect(withNpmrc.stderr).toBe('');
});

describe('a bad --npmrc is refused in one line naming the option and the fix, before any repository is touched', () => {
  test.each([
    ['a file that does not exist', () => path.join(root, 'nowhere.npmrc'), /^Invalid option "--npmrc": .*nowhere\.npmrc cannot be read \(ENOENT\); give the npm configuration file for the domains' installs, e\.g\. --npmrc fleet\.npmrc/],
    ['a cafile that does not exist', () => npmrc('missing-ca.npmrc', 'registry=https://127.0.0.1:9/\ncafile=/nowhere/ca.pem\n'),
      /^Invalid option "--npmrc": cafile=\/nowhere\/ca\.pem \(line 2 of .*missing-ca\.npmrc\): \/nowhere\/ca\.pem cannot be read \(ENOENT\); give the path of the registry's CA certificate file \(PEM\)/],
    ['a cafile that holds no certificate', () => npmrc('not-a-ca.npmrc', `cafile=${path.join(platformOnly, 'not-a-ca.npmrc')}\n`), /^Invalid option "--npmrc": cafile=.* holds no PEM certificate/],
    ['a token the installs would not get', () => npmrc('variable.npmrc', '//127.0.0.1:9/:_authToken=${NPM_TOKEN}\n'),
      /^Invalid option "--npmrc": line 1 of .*variable\.npmrc refers to \$\{NPM_TOKEN\}, which the domains' installs do not get .*; write the read-only install token itself into the file/],
  ])('%s', async (_, file, message) => {
    const remotes = path.join(fs.mkdtempSync(path.join(root, 'remotes-')), 'remotes');
    fs.mkdirSync(remotes);
    await git(remotes, 'init', '-q', '--bare', 'sales.git');
    const before = await git(path.join(remotes, 'sales.git'), 'for-each-ref');

    const run = await exec(process.execPath, [path.join(PACKAGE_ROOT, 'lib', 'cli', 'main.js'), 'upgrade', '--to', '9.9.9', '--remotes-dir', remotes, '--npmrc', file()], {
      cwd: root,
      env: { ...GIT_ENV, CI: undefined },
    }).then(() => ({ code: 0, output: '' }), (error) => ({ code: error.exitCode, output: error.output.trim() as string }));

    expect(run.code).toBe(1);
    expect(run.output.split('\n')).toEqual([expect.stringMatching(message)]);
    expect(await git(path.join(remotes, 'sales.git'), 'for-each-ref')).toBe(before);
  });
});
