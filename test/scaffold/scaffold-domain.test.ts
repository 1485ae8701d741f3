import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scaffoldDomain, templateSpecFrom } from '../../src/scaffold/scaffold-domain';
import { git, repositoryWith } from '../support/git';

const base = { domain: 'sales', owner: 'sales-data@example.com', from: 'sdlf-mesh@1.0.0' };

test('a bad domain is refused before the folder is created', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-')), 'Sales_EU');
  await expect(scaffoldDomain({ ...base, domain: 'Sales_EU', dir })).rejects.toThrow(/Invalid option "domain": "Sales_EU"/);
  expect(fs.existsSync(dir)).toBe(false);
});

test('a folder that holds anything is refused and left as it was', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
  fs.writeFileSync(path.join(dir, 'notes.md'), 'ours\n');
  await expect(scaffoldDomain({ ...base, dir })).rejects.toThrow(/Invalid option "dir": .* exists and is not the committed repository of domain "sales"; give a new or empty folder$/);
  expect(fs.readdirSync(dir)).toEqual(['notes.md']);
});

describe('a run that stopped after generating', () => {
  const projenrc = "const project = new SdlfDomainProject({\n  domain: 'sales',\n});\n";

  test('is completed by running again: the repository is kept and published', async () => {
    const dir = await repositoryWith({ '.projenrc.ts': projenrc });
    const remotesDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');
    const result = await scaffoldDomain({ ...base, dir, remotesDir, environments: ['dev', 'prod::eu-west-1'], githubOrg: 'acme' });
    expect(result).toMatchObject({ dir, generated: false, remote: { created: true, pushed: true } });
    expect(await git(result.remote!.url, 'rev-parse', 'refs/heads/main')).toBe(await git(dir, 'rev-parse', 'HEAD'));
    expect(result.githubPlan.map(({ step, detail }) => `${step}: ${detail}`)).toEqual([
      'repository: create acme/sales (private), default branch main, squash merge only, delete branches on merge',
      'push: push main over git',
      'topics: sdlf-domain, domain-sales',
      expect.stringMatching(/^custom properties: domain=sales, owner=sales-data@example\.com, cost-center=unassigned, template-version=/),
      'branch protection: main: pull request with code-owner review of the latest push, required check "Build, test and synthesize", admins included, no force push, no deletion',
      'environment: dev: secrets AWS_DEPLOY_ROLE_ARN, AWS_REGION',
      'environment: prod: secrets AWS_DEPLOY_ROLE_ARN; required reviewers, deployments from main only',
    ]);
  });

  test('is not taken for another domain', async () => {
    const dir = await repositoryWith({ '.projenrc.ts': projenrc.replace('sales', 'finance') });
    await expect(scaffoldDomain({ ...base, dir })).rejects.toThrow(/is not the committed repository of domain "sales"/);
  });

  test('is not resumed before its first commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
    fs.writeFileSync(path.join(dir, '.projenrc.ts'), projenrc);
    await expect(scaffoldDomain({ ...base, dir })).rejects.toThrow(/\(or remove this half-generated one and run again\)$/);
  });
});

test('a tarball path becomes the file: spec projen new needs; an npm spec stays as it is', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
  const tarball = path.join(dir, 'sdlf-mesh-1.0.0.tgz');
  fs.writeFileSync(tarball, '');
  expect(templateSpecFrom(tarball)).toBe(`sdlf-mesh@file:${tarball}`);
  expect(templateSpecFrom(path.relative(process.cwd(), tarball))).toBe(`sdlf-mesh@file:${tarball}`);
  expect(templateSpecFrom('sdlf-mesh@^1.2.0')).toBe('sdlf-mesh@^1.2.0');
});

test('a tarball that does not exist is refused with the forms that work', () => {
  expect(() => templateSpecFrom('/nowhere/sdlf-mesh-1.0.0.tgz')).toThrow(
    /Invalid option "from": \/nowhere\/sdlf-mesh-1\.0\.0\.tgz does not exist; give an npm spec such as sdlf-mesh@1\.0\.0 or the path of a tarball/,
  );
});
