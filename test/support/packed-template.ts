import * as fs from 'fs';
import * as path from 'path';
import { endToEndWork } from './end-to-end';
import { runFixture } from './run-fixtures';
import { exec } from '../../src/util/exec';

/** The root of this package. */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..');

/**
 * Packs this package with `npm pack`, as it would be published, and returns the tarball's path
 * (once a test run: the suites share it). Installing from a tarball (not a folder, which npm
 * symlinks) gives the generated app a single copy of aws-cdk-lib and constructs, as a real install
 * does. Needs the compiled `lib/` and `.jsii`.
 */
export async function packTemplate(): Promise<string> {
  endToEndWork('Packing this package (npm pack)');
  if (!fs.existsSync(path.join(PACKAGE_ROOT, '.jsii')) || !fs.existsSync(path.join(PACKAGE_ROOT, 'lib', 'index.js'))) {
    throw new Error('The package is not compiled: run `npx projen compile` before the end-to-end tests');
  }
  return runFixture('packed-template', async (destination) => {
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', destination], { cwd: PACKAGE_ROOT });
    return path.join(destination, JSON.parse(stdout)[0].filename);
  });
}

/** The projen CLI this package depends on. */
export const PROJEN_CLI = require.resolve('projen/bin/projen');

/**
 * Packs a package that is no projen template into `dir` and returns the tarball's path: what a
 * mistyped `--from` installs, so that `projen new` runs its installs and then stops.
 */
export async function packNotATemplate(dir: string): Promise<string> {
  endToEndWork('projen new from the registry');
  const source = path.join(dir, 'not-a-template');
  fs.mkdirSync(source);
  fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify({ name: 'not-a-template', version: '1.0.0' }));
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', dir], { cwd: source });
  return path.join(dir, JSON.parse(stdout)[0].filename);
}
