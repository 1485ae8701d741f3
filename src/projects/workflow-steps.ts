import { github, javascript } from 'projen';
import { ACTION_PINS, WORKFLOW_NODE_VERSION } from './action-pins';

/** How {@link installSteps} checks out and installs. */
export interface InstallStepsOptions {
  /** Check out every branch too (to compare with the base branch). */
  readonly fullHistory?: boolean;
  /**
   * Install without running any package's lifecycle scripts (`npm ci --ignore-scripts`). A job
   * that may request an OIDC token (`id-token: write`) must: an install script of any dependency
   * would run with the right to ask for the deploy role's credentials.
   */
  readonly ignoreScripts?: boolean;
}

/**
 * The steps every job of a domain repository starts with: check out without keeping the token,
 * set up Node.js with the npm cache, install exactly what the lockfile says.
 */
export function installSteps(options: InstallStepsOptions = {}): github.workflows.JobStep[] {
  return [
    { name: 'Checkout', uses: ACTION_PINS.checkout, with: { 'persist-credentials': false, ...(options.fullHistory ? { 'fetch-depth': 0 } : {}) } },
    { name: 'Set up Node.js', uses: ACTION_PINS.setupNode, with: { 'node-version': WORKFLOW_NODE_VERSION, 'cache': 'npm' } },
    options.ignoreScripts
      ? { name: 'Install dependencies (no lifecycle scripts)', run: 'npm ci --ignore-scripts' }
      : { name: 'Install dependencies', run: 'npm ci' },
  ];
}

/**
 * Adds the workflow `.github/workflows/<name>.yml` to `project`; `what` names it in the error
 * when the project has no GitHub (every sdlf-mesh workflow needs it). `options` are the
 * workflow's own (its concurrency, for one).
 */
export function addProjectWorkflow(
  project: javascript.NodeProject,
  name: string,
  what: string,
  options: github.GithubWorkflowOptions = {},
): github.GithubWorkflow {
  if (!project.github) {
    throw new Error(`The ${what} workflow needs GitHub: do not set github: false on an sdlf-mesh project`);
  }
  return new github.GithubWorkflow(project.github, name, options);
}
