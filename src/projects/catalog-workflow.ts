import { Component, github, javascript } from 'projen';
import { ACTION_PINS } from './action-pins';
import { addProjectWorkflow, installSteps } from './workflow-steps';
import { CATALOG_APP_CLIENT_ID_VARIABLE, CATALOG_APP_PRIVATE_KEY_SECRET } from '../domain/names';

/** The artifact the build job uploads and the Pages deployment publishes. */
const SITE_DIR = 'site';

/**
 * Options of {@link CatalogWorkflow}.
 */
export interface CatalogWorkflowOptions {
  /**
   * The branch whose registry and policy the catalog is built from.
   *
   * @default "main"
   */
  readonly branch?: string;

  /**
   * When the catalog is rebuilt besides a registry change, as a cron expression (UTC).
   *
   * @default "17 5 * * *" (daily)
   */
  readonly schedule?: string;
}

/**
 * `.github/workflows/catalog.yml` of the platform repository: builds the mesh catalog
 * (`sdlf-mesh catalog build --org`) on a schedule, on every change of the domain registry or the
 * governance policy, and by hand, and publishes it with GitHub Pages.
 *
 * The registry decides which repository speaks for which domain (`--registry .`), never a
 * repository's name. The domain repositories are read through the API with a GitHub App
 * installation token minted inside the job, limited to reading contents and metadata (the
 * workflow's own token can read only this repository) and revoked when the job ends; no domain
 * code runs anywhere in the workflow (contracts are read as data, with limits). Only the deploy job
 * may write Pages and request the OIDC token Pages verifies, and it checks out nothing.
 */
export class CatalogWorkflow extends Component {
  /** The workflow. */
  public readonly workflow: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, options: CatalogWorkflowOptions = {}) {
    super(project);
    const branch = options.branch ?? 'main';
    const { READ, WRITE } = github.workflows.JobPermission;
    this.workflow = addProjectWorkflow(project, 'catalog', 'catalog');
    this.workflow.on({
      schedule: [{ cron: options.schedule ?? '17 5 * * *' }],
      push: { branches: [branch], paths: ['domains/**', 'governance-policy.yaml'] },
      workflowDispatch: {},
    });
    this.workflow.addJob('build', {
      name: 'Build the catalog',
      runsOn: ['ubuntu-latest'],
      permissions: { contents: READ },
      timeoutMinutes: 30,
      steps: [
        // The job holds a token: no dependency's install script runs here.
        ...installSteps({ ignoreScripts: true }),
        {
          name: 'Token to read the domain repositories',
          id: 'domains-token',
          uses: ACTION_PINS.createGitHubAppToken,
          with: {
            'client-id': `\${{ vars.${CATALOG_APP_CLIENT_ID_VARIABLE} }}`,
            'private-key': `\${{ secrets.${CATALOG_APP_PRIVATE_KEY_SECRET} }}`,
            'owner': '${{ github.repository_owner }}',
            'permission-contents': 'read',
            'permission-metadata': 'read',
          },
        },
        {
          name: 'Build the catalog',
          env: { GITHUB_TOKEN: '${{ steps.domains-token.outputs.token }}' },
          run: `npx sdlf-mesh catalog build --org "$GITHUB_REPOSITORY_OWNER" --registry . --policy governance-policy.yaml --out ${SITE_DIR}`,
        },
        { name: 'Upload the site', uses: ACTION_PINS.uploadPagesArtifact, with: { path: `${SITE_DIR}/` } },
      ],
    });
    this.workflow.addJob('deploy', {
      name: 'Publish with GitHub Pages',
      needs: ['build'],
      // A manual run can be started on any branch: only the default branch publishes.
      if: `github.ref == 'refs/heads/${branch}'`,
      runsOn: ['ubuntu-latest'],
      environment: { name: 'github-pages', url: '${{ steps.deployment.outputs.page_url }}' },
      concurrency: { 'group': 'pages', 'cancel-in-progress': false },
      permissions: { pages: WRITE, idToken: WRITE },
      timeoutMinutes: 10,
      steps: [{ name: 'Deploy', id: 'deployment', uses: ACTION_PINS.deployPages }],
    });
  }
}
