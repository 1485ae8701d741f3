import { github } from 'projen';
import { ACTION_PINS, WORKFLOW_NODE_VERSION } from './action-pins';

/**
 * The steps every job of a domain repository starts with: check out without keeping the token,
 * set up Node.js with the npm cache, install exactly what the lockfile says.
 *
 * @param fullHistory check out every branch too (to compare with the base branch)
 */
export function installSteps(fullHistory = false): github.workflows.JobStep[] {
  return [
    { name: 'Checkout', uses: ACTION_PINS.checkout, with: { 'persist-credentials': false, ...(fullHistory ? { 'fetch-depth': 0 } : {}) } },
    { name: 'Set up Node.js', uses: ACTION_PINS.setupNode, with: { 'node-version': WORKFLOW_NODE_VERSION, 'cache': 'npm' } },
    { name: 'Install dependencies', run: 'npm ci' },
  ];
}
