/**
 * `sdlf-mesh fleet discover` as the discover job runs it: the registry decides the fleet, the
 * job's outputs hand each wave on, and a registry without domains is a run with nothing to do,
 * not a fall-back to other repositories.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

function platformWith(registrations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-discover-'));
  fs.mkdirSync(path.join(dir, 'domains'));
  for (const [domain, repository] of Object.entries(registrations)) {
    fs.writeFileSync(path.join(dir, 'domains', `${domain}.yaml`), `domain: ${domain}\nrepository: ${repository}\n`);
  }
  return dir;
}

test('a registry without domains gives empty waves and asks no host, with or without a token', async () => {
  const platform = platformWith({});
  const outputs = path.join(platform, 'github-output');
  fs.writeFileSync(outputs, '');
  const run = await runSdlfMesh(['fleet', 'discover', '--to', '0.2.0', '--org', 'acme', '--registry', platform, '--waves', '2', '--out', path.join(platform, 'discovery.json')], { GITHUB_OUTPUT: outputs }, platform);
  expect([run.exitCode, run.output]).toEqual([0, '0 repositories to upgrade to 0.2.0 in 0 wave(s) (none); 0 archived.\n']);
  expect(fs.readFileSync(outputs, 'utf8').split('\n')).toEqual(['to=0.2.0', 'wave-1=[]', 'repositories-1=', 'wave-2=[]', 'repositories-2=', '']);
  expect(JSON.parse(fs.readFileSync(path.join(platform, 'discovery.json'), 'utf8')).waves).toEqual([[], []]);
});

test('registered repositories on GitHub need a token, and the refusal names the way to give one', async () => {
  const platform = platformWith({ sales: 'acme/sales-data' });
  const run = await runSdlfMesh(['fleet', 'discover', '--to', '0.2.0', '--org', 'acme', '--registry', platform, '--out', path.join(platform, 'discovery.json')], {}, platform);
  expect(run.exitCode).toBe(1);
  expect(run.output).toMatch(/the repositories are on GitHub, which needs a token: set GITHUB_TOKEN or GH_TOKEN/);
  expect(fs.existsSync(path.join(platform, 'discovery.json'))).toBe(false);
});
