/**
 * A bad option given to the real `projen new --from <packed template> sdlf-domain`: one clean line
 * that names the option, the reason and an example, and the folder as it was before.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CommandFailedError, exec } from '../../src/util/exec';
import { packTemplate, PROJEN_CLI } from '../support/packed-template';

jest.setTimeout(10 * 60_000);

let tarball: string;

beforeAll(async () => {
  tarball = await packTemplate();
});

/** `projen new` in `dir`, as a user runs it (CI unset: projen would install with `npm ci`). */
async function projenNew(dir: string, ...options: string[]): Promise<{ exitCode: number | null; output: string }> {
  const args = [PROJEN_CLI, 'new', '--from', `sdlf-mesh@file:${tarball}`, 'sdlf-domain', ...options];
  try {
    const { stdout, stderr } = await exec(process.execPath, args, { cwd: dir, env: { CI: undefined } });
    return { exitCode: 0, output: `${stdout}\n${stderr}` };
  } catch (error) {
    if (!(error instanceof CommandFailedError)) {
      throw error;
    }
    return { exitCode: error.exitCode, output: error.output };
  }
}

/** The lines of the output that are not npm's or projen's own progress. */
function errorLines(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim())
    // npm's install summaries and warnings, projen's notes and `npm ls` (a header naming the folder, a tree)
    .filter((line) => line !== '' && !/^(added \d+ packages|changed \d+ packages|up to date|👾|npm (warn|notice)|\/|└──|├──|[\w.-]*@\S* \/)/.test(line));
}

test('a domain that cannot name AWS resources: one line with the option, the reason and an example; the empty folder is left empty', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'projen-new-')), 'Sales_Team');
  fs.mkdirSync(dir);
  const run = await projenNew(dir, '--domain', 'Sales_Team', '--owner', 'sales-data@example.com');
  expect(run.exitCode).toBe(1);
  expect(errorLines(run.output)).toEqual([
    expect.stringMatching(/^Invalid option "domain": "Sales_Team" cannot name a domain: it may hold only lowercase letters, .* For example: "sales-team"\.$/),
  ]);
  expect(run.output).not.toMatch(/\bat .*\.js:\d+|option: 'domain'|\^$/m);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('in a folder that held files before, nothing that was there is removed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-new-'));
  const manifest = `${JSON.stringify({ name: 'ours', private: true }, null, 2)}\n`;
  fs.writeFileSync(path.join(dir, 'package.json'), manifest);
  fs.writeFileSync(path.join(dir, 'notes.md'), 'ours\n');
  const run = await projenNew(dir, '--domain', 'sales', '--owner', 'sales team');
  expect(run.exitCode).toBe(1);
  expect(errorLines(run.output)).toEqual([expect.stringMatching(/^Invalid option "owner": "sales team" is not an owner: give a team mailbox \(sales-data@example\.com\)/)]);
  expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('ours\n');
  // npm added the dependencies it installed to the user's package.json; its own fields stay.
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: 'ours', private: true });
});

test('in a git repository made before (git init, a clone), the install goes and the repository stays', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projen-new-'));
  await exec('git', ['init', '-q'], { cwd: dir });
  fs.writeFileSync(path.join(dir, 'README.md'), '# sales\n');
  const run = await projenNew(dir, '--domain', 'Sales_Team', '--owner', 'sales-data@example.com');
  expect(run.exitCode).toBe(1);
  expect(errorLines(run.output)).toEqual([expect.stringMatching(/^Invalid option "domain": "Sales_Team" cannot name a domain/)]);
  expect(fs.readdirSync(dir).sort()).toEqual(['.git', 'README.md']);
  expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('# sales\n');
});
