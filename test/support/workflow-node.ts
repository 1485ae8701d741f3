import * as path from 'path';
import { endToEndWork } from './end-to-end';
import { runFixture } from './run-fixtures';
import { WORKFLOW_NODE_VERSION } from '../../src/projects/action-pins';
import { exec } from '../../src/util/exec';

/**
 * The `PATH` under which `node` (and so `npm`, `npx` and everything they start) is the Node.js
 * major the generated workflows set up: a generated repository is tested on the Node.js it runs on
 * in GitHub Actions, whatever this machine has. The machine's own when it is that major; else the
 * `node` package of that major from the npm registry, installed once a test run.
 */
export async function workflowNodePath(): Promise<string> {
  if (process.versions.node.split('.')[0] === WORKFLOW_NODE_VERSION) {
    return process.env.PATH!;
  }
  endToEndWork(`Installing Node.js ${WORKFLOW_NODE_VERSION} from the registry`);
  const bin = await runFixture(`node-${WORKFLOW_NODE_VERSION}`, async (dir) => {
    await exec('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `node@${WORKFLOW_NODE_VERSION}`], { cwd: dir });
    return path.join(dir, 'node_modules', 'node', 'bin');
  });
  return `${bin}${path.delimiter}${process.env.PATH}`;
}
