/**
 * What `npm pack` puts in the published tarball: what users install, and nothing of how this
 * repository is built or tested.
 */
import { exec } from '../../src/util/exec';
import { PACKAGE_ROOT } from '../support/packed-template';

jest.setTimeout(120_000);

let files: string[];

beforeAll(async () => {
  // --ignore-scripts: the list, without running the package's lifecycle scripts.
  const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: PACKAGE_ROOT });
  files = (JSON.parse(stdout)[0].files as Array<{ path: string }>).map((file) => file.path);
});

test('the tarball holds the compiled code, the jsii manifest and the blueprints', () => {
  expect(files).toEqual(expect.arrayContaining(['package.json', '.jsii', 'lib/index.js', 'lib/cli/main.js']));
  expect(files.some((file) => file.startsWith('blueprints/'))).toBe(true);
});

test('the tarball holds no CI script, source, test or benchmark', () => {
  expect(files.filter((file) => /^(\.ci|src|test|bench|\.demo|\.projen)\//.test(file))).toEqual([]);
});
