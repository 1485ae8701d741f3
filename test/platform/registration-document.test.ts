import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { resolveDomainSettings } from '../../src/domain/domain-settings';
import { registrationBranch, commitRegistration } from '../../src/platform/registration-commit';
import { domainRegistration, renderDomainRegistration } from '../../src/platform/registration-document';
import { git, repositoryWith } from '../support/git';

const settings = resolveDomainSettings({
  domain: 'sales',
  owner: '@acme/sales',
  costCenter: 'cc-1234',
  environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-central-1'],
});

test('the registry file parses back to the registration, under a header that says what merging grants', () => {
  const text = renderDomainRegistration(domainRegistration(settings, 'acme/sales-data', { repositoryId: 812345678, repositoryOwnerId: 9876543 }));
  // Account IDs stay strings (a bare 12-digit number would be read as a number), the owner's @ is quoted.
  expect(YAML.parse(text)).toEqual({
    domain: 'sales',
    repository: 'acme/sales-data',
    repositoryId: 812345678,
    repositoryOwnerId: 9876543,
    owner: '@acme/sales',
    costCenter: 'cc-1234',
    environments: [
      { name: 'dev', account: '111111111111', region: 'eu-west-1' },
      { name: 'prod', account: '222222222222', region: 'eu-central-1' },
    ],
  });
  const header = text.split('\n').filter((line) => line.startsWith('#')).join('\n');
  expect(header).toContain('arn:aws:iam::222222222222:role/sdlf-sales-prod-deploy');
  expect(header).toContain('(token subject repository_owner_id:9876543:repository_id:812345678:environment:prod)');
  expect(header).toContain('arn:aws:iam::111111111111:policy/sdlf-sales-dev-boundary');
  expect(text.endsWith('\n') && !text.endsWith('\n\n')).toBe(true);
});

test('a registration without the repository\'s IDs (a local remote) says it gets no deploy role, and how to add them', () => {
  const text = renderDomainRegistration(domainRegistration(settings, 'acme/sales-data'));
  expect(Object.keys(YAML.parse(text))).toEqual(['domain', 'repository', 'owner', 'costCenter', 'environments']);
  const header = text.split('\n').filter((line) => line.startsWith('#')).join('\n');
  expect(header).not.toContain('role/sdlf-sales-prod-deploy');
  expect(header).toContain("no deploy role until repositoryId and repositoryOwnerId are added below, which the role\n#     trusts (gh api repos/acme/sales-data --jq '.id, .owner.id' prints them)");
});

test('an environment without an account or a region cannot be registered: the error names it and the fix', () => {
  const partial = resolveDomainSettings({ domain: 'sales', owner: '@acme/sales', environments: ['dev:111111111111:eu-west-1', 'test', 'prod:222222222222'] });
  expect(() => domainRegistration(partial, 'acme/sales-data')).toThrow(
    'Invalid option "environments[1]": environment "test" has no account; the platform registers each environment with the account and region ' +
      'it creates the deploy role in: give e.g. --environments test:111111111111:eu-west-1',
  );
  const noRegion = resolveDomainSettings({ domain: 'sales', owner: '@acme/sales', environments: ['prod:222222222222'] });
  expect(() => domainRegistration(noRegion, 'acme/sales-data')).toThrow(/"environments\[0\]": environment "prod" has no region.*--environments prod:222222222222:eu-west-1$/);
});

describe('the registration commit', () => {
  const change = (content: string) => ({ file: 'domains/sales.yaml', content, baseBranch: 'main', branch: registrationBranch('sales'), message: 'register sales' });

  test('goes on its own branch without touching the checked-out branch, index or working tree; a re-run commits nothing', async () => {
    const platform = await repositoryWith({ 'README.md': '# platform\n', 'domains/finance.yaml': 'domain: finance\n' });
    fs.writeFileSync(path.join(platform, 'README.md'), '# platform, work in progress\n');
    const main = await git(platform, 'rev-parse', 'main');

    const first = await commitRegistration(platform, change('domain: sales\n'));
    expect(first.state).toBe('committed');
    expect(await git(platform, 'rev-parse', 'main')).toBe(main);
    expect(await git(platform, 'rev-parse', 'sdlf-mesh/register-sales^')).toBe(main);
    expect(await git(platform, 'show', 'sdlf-mesh/register-sales:domains/sales.yaml')).toBe('domain: sales');
    expect(await git(platform, 'ls-tree', '--name-only', 'sdlf-mesh/register-sales', 'domains/')).toBe('domains/finance.yaml\ndomains/sales.yaml');
    expect(await git(platform, 'status', '--porcelain')).toBe('M README.md');
    expect(await git(platform, 'branch', '--show-current')).toBe('main');

    expect(await commitRegistration(platform, change('domain: sales\n'))).toEqual({ state: 'on-branch', commit: first.commit });
    // A changed registration goes on top of the branch, which is never rewritten.
    const second = await commitRegistration(platform, change('domain: sales\nowner: x\n'));
    expect([second.state, await git(platform, 'rev-parse', `${second.commit}^`)]).toEqual(['committed', first.commit]);
    // Once merged, there is nothing to do.
    await git(platform, 'stash');
    await git(platform, 'merge', '--quiet', '--ff-only', 'sdlf-mesh/register-sales');
    expect((await commitRegistration(platform, change('domain: sales\nowner: x\n'))).state).toBe('merged');
  });

  test('works in a bare repository, and a dry run writes nothing', async () => {
    const source = await repositoryWith({ 'README.md': '# platform\n' });
    const bare = `${source}.git`;
    await git(source, 'clone', '--quiet', '--bare', source, bare);
    const planned = await commitRegistration(bare, { ...change('domain: sales\n'), dryRun: true });
    expect(planned).toEqual({ state: 'planned', commit: await git(bare, 'rev-parse', 'main') });
    expect(await git(bare, 'branch', '--list')).toBe('* main');
    expect((await commitRegistration(bare, change('domain: sales\n'))).state).toBe('committed');
    expect(await git(bare, 'show', 'sdlf-mesh/register-sales:domains/sales.yaml')).toBe('domain: sales');
  });
});
