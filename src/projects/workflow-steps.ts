import { github } from 'projen';
import { ACTION_PINS, WORKFLOW_NODE_VERSION } from './action-pins';

/**
 * The steps every job of a domain repository starts with: check out without keeping the token,
 * set up Node.js with the npm cache, install exactly what the lockfile says.
 */
export function installSteps(): github.workflows.JobStep[] {
  return [
    { name: 'Checkout', uses: ACTION_PINS.checkout, with: { 'persist-credentials': false } },
    { name: 'Set up Node.js', uses: ACTION_PINS.setupNode, with: { 'node-version': WORKFLOW_NODE_VERSION, 'cache': 'npm' } },
    { name: 'Install dependencies', run: 'npm ci' },
  ];
}
