import * as path from 'path';
import { exec } from '../../src/util/exec';
import { PACKAGE_ROOT } from '../support/packed-template';

// projen loads this package with require(); the GitHub code loads ES-module-only Octokit, so the
// jsii library (lib/index.js) must never reach it, nor may the fleet's and the catalog's own
// entry points: only the sdlf-mesh command loads their GitHub hosts.
test('the library does not load the GitHub code', async () => {
  const lib = path.join(PACKAGE_ROOT, 'lib');
  const github = [path.join(lib, 'github') + path.sep, path.join(lib, 'fleet', 'github-fleet-host.js'), path.join(lib, 'catalog', 'github-source.js')];
  const script = [
    "require('./lib/index.js'); require('./lib/fleet/index.js'); require('./lib/catalog/index.js');",
    `const github = ${JSON.stringify(github)};`,
    "console.log(JSON.stringify(Object.keys(require.cache).filter((file) => github.some((part) => file.startsWith(part)) || file.includes('@octokit'))));",
  ].join('\n');
  const { stdout } = await exec(process.execPath, ['-e', script], { cwd: PACKAGE_ROOT });
  expect(JSON.parse(stdout)).toEqual([]);
});
