/**
 * `--help` on every command and the answer to an unknown one, through the compiled `sdlf-mesh`
 * run as a user runs it: a separate process, its standard output and error apart.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertCompiled, SDLF_MESH_CLI } from '../support/sdlf-mesh-cli';

/** Runs `sdlf-mesh <args>` in an empty folder (so a command run by mistake finds nothing to act on). */
function sdlfMesh(...args: string[]) {
  assertCompiled();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-help-'));
  const env = { ...process.env, GITHUB_TOKEN: undefined, GH_TOKEN: undefined };
  const result = spawnSync(process.execPath, [SDLF_MESH_CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, files: fs.readdirSync(cwd) };
}

const COMMANDS = ['new domain', 'contract lint', 'contract diff', 'contract test', 'upgrade', 'fleet status', 'fleet discover', 'fleet fetch', 'fleet propose', 'fleet apply', 'fleet report', 'access request', 'access check', 'catalog build', 'catalog serve'];

describe.each(COMMANDS)('sdlf-mesh %s', (command) => {
  test.each(['--help', '-h'])('%s prints its own usage and examples on standard output and exits 0', (flag) => {
    const run = sdlfMesh(...command.split(' '), flag);
    expect(run).toMatchObject({ status: 0, stderr: '', files: [] });
    expect(run.stdout).toMatch(new RegExp(`^Usage: sdlf-mesh ${command} `));
    const examples = run.stdout.split('\nExamples:\n')[1]?.trimEnd().split('\n') ?? [];
    expect(examples.length).toBeGreaterThanOrEqual(1);
    for (const example of examples) {
      expect(example).toMatch(new RegExp(`^  sdlf-mesh ${command}( |$)`));
    }
    // Its own usage: no other command's.
    for (const other of COMMANDS.filter((name) => name !== command)) {
      expect(run.stdout).not.toContain(`Usage: sdlf-mesh ${other} `);
    }
  });
});

test('--help after other flags still prints the usage instead of running the command', () => {
  const run = sdlfMesh('new', 'domain', 'sales', '--owner', 'sales-data@example.com', '--help');
  expect(run).toMatchObject({ status: 0, stderr: '', files: [] });
  expect(run.stdout).toMatch(/^Usage: sdlf-mesh new domain /);
});

test('sdlf-mesh --help lists every command', () => {
  const run = sdlfMesh('--help');
  expect(run.status).toBe(0);
  for (const command of COMMANDS) {
    expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
  }
});

test.each(['--version', '-v'])('sdlf-mesh %s prints the version of the package on standard output and exits 0', (flag) => {
  const run = sdlfMesh(flag);
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect(run).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '', files: [] });
});

test('sdlf-mesh --help says how to print the version', () => {
  expect(sdlfMesh('--help').stdout).toMatch(/^  --version, -v +\S/m);
});

test.each([
  [['bogus'], /^sdlf-mesh: unknown command "bogus"\nThe commands are: new domain, contract lint, contract diff, contract test, upgrade, fleet status, fleet discover, fleet fetch, fleet propose, fleet apply, fleet report, pipeline run, pipeline test, access request, access check, catalog build, catalog serve\./],
  [['catalg', 'build'], /^sdlf-mesh: unknown command "catalg"; did you mean "catalog build" or "catalog serve"\?\n/],
  [['contract', 'bogus'], /^sdlf-mesh: unknown command "contract bogus"\nThe commands are: contract lint, contract diff, contract test\./],
  [['contract', 'lnt'], /^sdlf-mesh: unknown command "contract lnt"; did you mean "contract lint"\?\nThe commands are: contract lint, contract diff, contract test\./],
  [['catalog', 'publish'], /^sdlf-mesh: unknown command "catalog publish"\nThe commands are: catalog build, catalog serve\./],
  [['fleet', 'stats'], /^sdlf-mesh: unknown command "fleet stats"; did you mean "fleet status"\?\n/],
  [['new', 'domian', 'sales'], /^sdlf-mesh: unknown command "new domian"; did you mean "new domain"\?\n/],
])('sdlf-mesh %j is refused as unknown, with the known commands, on standard error', (args, message) => {
  const run = sdlfMesh(...args);
  expect(run).toMatchObject({ status: 2, stdout: '', files: [] });
  expect(run.stderr).toMatch(message);
});

test('an unknown flag names the closest known one', () => {
  const run = sdlfMesh('new', 'domain', 'sales', '--ownr', 'sales-data@example.com');
  expect(run).toMatchObject({ status: 1, stdout: '', files: [] });
  expect(run.stderr).toMatch(/^Invalid option "--ownr": Unknown option '--ownr' \(did you mean --owner\?\); the options are --owner, /);
});

test.each([
  [['new', 'domain', 'Sales_Team']],
  [['new', 'domain', 'Sales_Team', '--owner', 'sales-data@example.com']],
])('sdlf-mesh %j refuses the name in one line naming the option, the reason and an example, before anything is written', (args) => {
  const run = sdlfMesh(...args);
  expect(run).toMatchObject({ status: 1, stdout: '', files: [] });
  expect(run.stderr).toMatch(/^Invalid option "domain": "Sales_Team" cannot name a domain: it may hold only lowercase letters, .* For example: "sales-team"\.\n$/);
});

test.each([
  ['GITHUB_TOKEN', 'ghs_fromTheJob0123456789'],
  ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'a job that may ask for an OIDC token'],
  ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY'],
])('sdlf-mesh fleet propose refuses to run a repository\'s code with %s in its environment, before it reads anything', (variable, value) => {
  assertCompiled();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'sdlf-mesh-propose-'));
  const env = { ...process.env, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, [variable]: value };
  const run = spawnSync(process.execPath, [SDLF_MESH_CLI, 'fleet', 'propose', '--source', 'nowhere', '--to', '0.2.0', '--out', 'proposal'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(new RegExp(`^Invalid option "${variable}": fleet propose runs the repository's code, which could read it: run it without ${variable} in its environment`));
  expect(run.stderr).not.toContain(value);
  expect(fs.readdirSync(cwd)).toEqual([]);
});
