import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
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
    const dir = await repositoryWith({ '.projenrc.ts': projenrc.replace('\n});', "\n  environments: ['dev', 'prod::eu-west-1'],\n  githubOrg: 'acme',\n});") });
    const remotesDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');
    const result = await scaffoldDomain({ ...base, dir, remotesDir, environments: ['dev', 'prod::eu-west-1'], githubOrg: 'acme' });
    expect(result).toMatchObject({ dir, generated: false, remote: { created: true, pushed: true } });
    expect(await git(result.remote!.url, 'rev-parse', 'refs/heads/main')).toBe(await git(dir, 'rev-parse', 'HEAD'));
    // The plan is the GitHub setup's own steps: their names, and what each would do.
    expect(result.githubPlan.map(({ step, detail }) => `${step}: ${detail}`)).toEqual([
      'repository: create acme/sales (private), squash merge only, branches deleted on merge',
      'push: push main over git',
      'merge settings: squash merge only, branches deleted on merge, default branch main',
      'topics: sdlf-domain, domain-sales',
      expect.stringMatching(/^custom properties: domain=sales, owner=sales-data@example\.com, cost-center=unassigned, template-version=.* \(those acme defines\)$/),
      'branch protection: main: pull request with code-owner review of the latest push, required check "Build, test and synthesize", admins included, no force push, no deletion',
      "oidc subject: deploy tokens' subject repository_owner_id:<id>:repository_id:<id>:environment:<name>",
      'environment dev: deployments from main only',
      'environment prod: required reviewers (give --reviewers); deployments from main only',
      'variables dev: no account for dev: set AWS_DEPLOY_ROLE_ARN and AWS_REGION on it yourself',
      'variables prod: no account for prod: set AWS_DEPLOY_ROLE_ARN on it yourself',
    ]);
  });

  test('is not taken for another domain', async () => {
    const dir = await repositoryWith({ '.projenrc.ts': projenrc.replace('sales', 'finance') });
    await expect(scaffoldDomain({ ...base, dir })).rejects.toThrow(/is not the committed repository of domain "sales"/);
  });

  test('is not completed with other options than its .projenrc.ts holds: the error names the flag and the value there', async () => {
    const dir = await repositoryWith({
      '.projenrc.ts': projenrc.replace('\n});', "\n  owner: 'sales-data@example.com',\n  environments: ['dev:111111111111:eu-west-1', 'prod'],\n  // githubOrg: undefined,\n});"),
    });
    const remotesDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');
    await expect(scaffoldDomain({ ...base, dir, remotesDir, owner: '@acme/sales' })).rejects.toThrow(
      /^Invalid option "owner": the repository in .* was generated with sales-data@example\.com in its \.projenrc\.ts, not @acme\/sales; run again with --owner sales-data@example\.com/,
    );
    await expect(scaffoldDomain({ ...base, dir, remotesDir, environments: ['dev', 'prod'] })).rejects.toThrow(
      /^Invalid option "environments": the repository in .* was generated with dev:111111111111:eu-west-1, prod in its \.projenrc\.ts, not dev, prod; run again with --environments dev:111111111111:eu-west-1 --environments prod/,
    );
    await expect(scaffoldDomain({ ...base, dir, remotesDir, costCenter: 'cc-1234' })).rejects.toThrow(
      /^Invalid option "costCenter": the repository in .* was generated with unassigned \(the default\) in its \.projenrc\.ts, not cc-1234; run again with --cost-center unassigned/,
    );
    expect(fs.existsSync(remotesDir)).toBe(false);
    // The same options, an environment spelt out differently and an option the file leaves commented out: completed.
    const result = await scaffoldDomain({ ...base, dir, remotesDir, environments: ['dev:111111111111:eu-west-1', 'prod::'], githubOrg: 'acme' });
    expect(result).toMatchObject({ generated: false, remote: { pushed: true } });
  });

  test('is not resumed before its first commit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
    fs.writeFileSync(path.join(dir, '.projenrc.ts'), projenrc);
    await expect(scaffoldDomain({ ...base, dir })).rejects.toThrow(/\(or remove this half-generated one and run again\)$/);
  });
});

describe('registration in a platform repository on this machine (no token)', () => {
  const environments = ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'];
  const projenrc = `const project = new SdlfDomainProject({\n  domain: 'sales',\n  environments: ['${environments.join("', '")}'],\n});\n`;
  const github = { repository: 'acme/sales-data', reviewers: ['@acme/platform'] };
  const remotes = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'remotes-')), 'remotes');

  test('--platform-dir gets domains/<domain>.yaml as a commit on its registration branch; a re-run commits nothing', async () => {
    const dir = await repositoryWith({ '.projenrc.ts': projenrc });
    const platform = await repositoryWith({ 'README.md': '# platform\n' });
    const main = await git(platform, 'rev-parse', 'main');
    const options = { ...base, dir, environments, remotesDir: remotes(), github, platformDir: platform };

    const dryRun = await scaffoldDomain({ ...options, dryRun: true });
    expect(dryRun.registration).toMatchObject({ state: 'planned', branch: 'sdlf-mesh/register-sales' });
    expect(await git(platform, 'branch', '--list', 'sdlf-mesh/*')).toBe('');

    const result = await scaffoldDomain(options);
    expect(result.registration).toMatchObject({ state: 'committed', file: 'domains/sales.yaml', branch: 'sdlf-mesh/register-sales', baseBranch: 'main' });
    expect(await git(platform, 'rev-parse', 'main')).toBe(main);
    const registered = YAML.parse(await git(platform, 'show', 'sdlf-mesh/register-sales:domains/sales.yaml'));
    expect(registered).toMatchObject({ domain: 'sales', repository: 'acme/sales-data', environments: [{ name: 'dev', account: '111111111111' }, { name: 'prod' }] });
    expect(result.githubPlan.at(-1)).toEqual({ step: 'variables prod', detail: expect.stringContaining('AWS_DEPLOY_ROLE_ARN=arn:aws:iam::222222222222:role/sdlf-sales-prod-deploy') });

    const again = await scaffoldDomain(options);
    expect(again.registration).toMatchObject({ state: 'on-branch', commit: result.registration!.commit });
    expect(await git(platform, 'rev-list', '--count', 'sdlf-mesh/register-sales')).toBe('2');
  });

  test('with --platform-repo, the platform\'s bare repository among the local remotes stands in for it', async () => {
    const dir = await repositoryWith({ '.projenrc.ts': projenrc });
    const remotesDir = remotes();
    const platform = await repositoryWith({ 'README.md': '# platform\n' });
    await git(platform, 'clone', '--quiet', '--bare', platform, path.join(remotesDir, 'data-platform.git'));
    const result = await scaffoldDomain({ ...base, dir, environments, remotesDir, github: { ...github, platformRepository: 'acme/data-platform' } });
    expect(result.registration).toMatchObject({ state: 'committed', dir: path.join(remotesDir, 'data-platform.git') });
    expect(result.githubPlan.at(-1)).toEqual({ step: 'platform registration', detail: 'pull request on acme/data-platform adding domains/sales.yaml' });
  });

  test('bad registration input is refused before anything is written', async () => {
    const dir = await repositoryWith({ '.projenrc.ts': projenrc });
    const platform = await repositoryWith({ 'README.md': '# platform\n' });
    const remotesDir = remotes();
    const cases: Array<[object, RegExp]> = [
      [{ github, environments: ['dev:111111111111:eu-west-1', 'test'], platformDir: platform }, /Invalid option "environments\[1\]": environment "test" has no account/],
      [{ environments, platformDir: platform }, /Invalid option "platform-dir": the registration names the GitHub repository that deploys the domain: give --github/],
      [{ github, environments, platformDir: path.join(platform, 'nothing') }, /Invalid option "platform-dir": .* is not a git repository/],
      [{ github: { ...github, platformRepository: 'acme' }, environments }, /Invalid option "platform-repo": "acme" is not <owner>\/<repository>; give e.g. --platform-repo acme\/data-platform/],
      [{ github: { ...github, platformRepository: 'acme/sales-data' }, environments }, /Invalid option "platform-repo": acme\/sales-data is the domain repository itself/],
    ];
    for (const [options, message] of cases) {
      await expect(scaffoldDomain({ ...base, dir, remotesDir, ...options })).rejects.toThrow(message);
    }
    expect(fs.existsSync(remotesDir)).toBe(false);
    expect(await git(platform, 'branch', '--list', 'sdlf-mesh/*')).toBe('');
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
