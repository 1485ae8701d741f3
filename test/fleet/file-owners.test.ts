import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changedFilesByOwner } from '../../src/fleet/file-owners';
import { domainProject } from '../support/domain-project';
import { synthesize } from '../support/synth';

/** A domain repository as projen writes it (its real `.projen/files.json`), without the install. */
function synthesizedDomain(): string {
  const project = domainProject();
  synthesize(project);
  return project.outdir;
}

test('package.json, which projen writes on every synth but leaves out of files.json, is the template\'s, not a file to check by hand', () => {
  const repo = synthesizedDomain();
  expect(JSON.parse(fs.readFileSync(path.join(repo, '.projen/files.json'), 'utf8')).files).not.toContain('package.json');

  const owners = changedFilesByOwner(repo, ['.projenrc.ts', 'package-lock.json', 'package.json', 'src/main.ts', 'src/stages/orders/light-transform.ts']);
  expect(owners).toEqual({
    managed: ['package-lock.json', 'package.json', 'src/main.ts'],
    domain: ['.projenrc.ts'],
    // A file of the domain team that changed: a person checks it.
    unowned: ['src/stages/orders/light-transform.ts'],
  });
});

test('a repository without .projen/files.json still has projen\'s writable files; everything else is checked by hand', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'file-owners-bare-'));
  expect(changedFilesByOwner(repo, ['package.json', 'src/main.ts'])).toEqual({ managed: ['package.json'], domain: [], unowned: ['src/main.ts'] });
});
