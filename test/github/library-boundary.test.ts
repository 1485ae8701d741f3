import * as path from 'path';
import { exec } from '../../src/util/exec';
import { PACKAGE_ROOT } from '../support/packed-template';

// projen loads this package with require(); the GitHub code loads ES-module-only Octokit, so the
// jsii library (lib/index.js) must never reach it: only the sdlf-mesh command does.
test('the library does not load the GitHub code', async () => {
  const github = JSON.stringify(path.join(PACKAGE_ROOT, 'lib', 'github') + path.sep);
  const script = `require('./lib/index.js'); console.log(JSON.stringify(Object.keys(require.cache).filter((file) => file.startsWith(${github}) || file.includes('@octokit'))));`;
  const { stdout } = await exec(process.execPath, ['-e', script], { cwd: PACKAGE_ROOT });
  expect(JSON.parse(stdout)).toEqual([]);
});
