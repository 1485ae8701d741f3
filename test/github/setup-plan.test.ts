/**
 * The GitHub setup that `sdlf-mesh new domain --github ...` prints without a token is the setup's
 * own steps: a run with a token (the compiled command against the GitHub stand-in) performs
 * exactly the steps that plan lists, in its order, and does what each says. The domain
 * repository is a committed one from an earlier run (the command resumes it), so no `projen new`
 * runs here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repositoryWith } from '../support/git';
import { GitHubServer } from '../support/github-server';
import { runSdlfMesh } from '../support/sdlf-mesh-cli';

const TOKEN = 'ghp_setupPlanStandInToken0123456789abcdef';
const FLAGS = [
  'new', 'domain', 'sales',
  '--owner', '@acme/sales',
  '--environments', 'dev:111111111111:eu-west-1',
  '--environments', 'prod:222222222222:eu-west-1',
  '--github', 'acme/sales-data',
];
// As projen new writes the options of FLAGS: a re-run must give the same ones.
const PROJENRC = [
  'const project = new SdlfDomainProject({',
  "  domain: 'sales',",
  "  environments: ['dev:111111111111:eu-west-1', 'prod:222222222222:eu-west-1'],",
  "  owner: '@acme/sales',",
  '});',
  '',
].join('\n');
const servers: GitHubServer[] = [];

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** The committed repository of domain sales that an earlier run generated. */
async function domainRepository(): Promise<string> {
  const dir = await repositoryWith({ '.projenrc.ts': PROJENRC, 'README.md': '# sales\n' });
  const named = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'setup-plan-')), 'sales');
  fs.renameSync(dir, named);
  return named;
}

/** The printed plan's steps, `- <step>: <detail>` a line, as `[step, detail]`. */
function printedPlan(output: string): Array<[string, string]> {
  const lines = output.split('\n').filter((line) => line.startsWith('  - '));
  return lines.map((line) => {
    const [, step, detail] = /^ {2}- (repository|push|merge settings|topics|custom properties|branch protection|oidc subject|environment \S+|variables \S+|team \S+|platform registration): (.*)$/.exec(line) ?? [];
    return [step ?? line, detail];
  });
}

// Both visibilities, without a team and with two: each case runs the command twice.
test.each([
  ['private', []],
  ['public', ['sales:push', 'platform:maintain']],
])('--visibility %s, teams %j: the plan printed without a token lists exactly the steps a run performs', async (visibility, teams) => {
  const flags = [...FLAGS, '--visibility', visibility, ...teams.flatMap((team) => ['--team', team])];
  const remotesDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'setup-plan-remotes-')), 'remotes');
  const withoutToken = await runSdlfMesh([...flags, '--dir', await domainRepository(), '--remotes-dir', remotesDir]);
  expect([withoutToken.exitCode, withoutToken.output]).toEqual([0, expect.stringContaining('No GitHub token')]);
  const plan = printedPlan(withoutToken.output);

  const server = await GitHubServer.start({ users: ['alice'], organizations: [{ login: 'acme', teams: ['sales', 'platform'] }], tokens: { [TOKEN]: { login: 'alice' } } });
  servers.push(server);
  const withToken = await runSdlfMesh([...flags, '--dir', await domainRepository(), '--json'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.url });
  expect(withToken.exitCode).toBe(0);
  const steps: Array<{ step: string; status: string; detail: string }> = JSON.parse(withToken.output).github.steps;

  expect(plan.map(([step]) => step)).toEqual(steps.map(({ step }) => step));
  const planned = new Map(plan);
  expect(planned.get('repository')).toBe(`create acme/sales-data (${visibility}), squash merge only, branches deleted on merge`);
  expect(steps.find(({ step }) => step === 'repository')!.detail).toBe(`created acme/sales-data (${visibility}), squash merge only, branches deleted on merge`);
  expect(server.model.repository('acme', 'sales-data')!.visibility).toBe(visibility);
  // What the run reports it set is what the plan said it would (and, in brackets, how).
  const described = steps.filter(({ step }) => /^(merge settings|topics|branch protection|oidc subject|environment|variables|team) ?/.test(step));
  expect(described.map(({ step, detail }) => [step, detail.replace(/ \(.*\)$/, '')])).toEqual(described.map(({ step }) => [step, planned.get(step)]));
  expect(planned.get('topics')).toBe('sdlf-domain, domain-sales');
  expect(planned.get('oidc subject')).toBe('deploy tokens\' subject repository_owner_id:<id>:repository_id:<id>:environment:<name>');
  expect(server.model.repository('acme', 'sales-data')!.oidcSubject).toEqual({ useDefault: false, includeClaimKeys: ['repository_owner_id', 'repository_id', 'environment'] });
  expect(planned.get('environment prod')).toBe('required reviewers @acme/sales; deployments from main only');
  const access = teams.map((team) => team.split(':'));
  expect(access.map(([team]) => planned.get(`team ${team}`))).toEqual(access.map(([team, permission]) => `acme/${team}: ${permission}`));
  expect(Object.fromEntries(server.model.repository('acme', 'sales-data')!.teams)).toEqual(Object.fromEntries(access));
  expect(server.violations).toEqual([]);
}, 60_000);
