import { Component, github, javascript } from 'projen';
import { ACTION_PINS } from './action-pins';
import { addProjectWorkflow, installSteps } from './workflow-steps';
import { DomainEnvironment } from '../domain/domain-environment';
import { DEPLOY_ROLE_VARIABLE, REGION_VARIABLE } from '../domain/names';

const CLOUD_ASSEMBLY = 'cloud-assembly';

/**
 * Options of {@link DeployWorkflow}.
 */
export interface DeployWorkflowOptions {
  /** The stages are `<stagePrefix>-<environment>`: the domain name, or `platform`. */
  readonly stagePrefix: string;

  /** The environments, in deployment order. */
  readonly environments: DomainEnvironment[];

  /**
   * The branch whose pushes deploy.
   *
   * @default "main"
   */
  readonly branch?: string;
}

/**
 * `.github/workflows/deploy.yml`: on every push to the default branch, synthesize once, then deploy the
 * environments in order, each as a job in its GitHub environment (where reviewers and the
 * deployment branch policy apply). AWS credentials come from GitHub's OIDC provider: the job
 * assumes the role named by the environment's `AWS_DEPLOY_ROLE_ARN` variable (a GitHub Actions
 * variable, not a secret: an ARN grants nothing, and the platform's trust policy decides who may
 * assume it); no long-lived keys exist.
 *
 * Only the default branch deploys: a manual run (`workflow_dispatch`) of another branch skips every
 * deploy job, and the environments accept deployments from the default branch only. Only deploy
 * jobs may request an OIDC token, they install without lifecycle scripts, and no job can write to
 * the repository.
 */
export class DeployWorkflow extends Component {
  /** The workflow. */
  public readonly workflow: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, options: DeployWorkflowOptions) {
    super(project);
    const branch = options.branch ?? 'main';
    const { READ, WRITE } = github.workflows.JobPermission;
    this.workflow = addProjectWorkflow(project, 'deploy', 'deploy');
    this.workflow.on({ push: { branches: [branch] }, workflowDispatch: {} });
    this.workflow.addJob('synth', {
      name: 'Synthesize',
      runsOn: ['ubuntu-latest'],
      permissions: { contents: READ },
      timeoutMinutes: 30,
      env: { CI: 'true' },
      steps: [
        ...installSteps(),
        { name: 'Build, test and synthesize', run: 'npx projen build' },
        { name: 'Upload the cloud assembly', uses: ACTION_PINS.uploadArtifact, with: { name: CLOUD_ASSEMBLY, path: 'cdk.out/' } },
      ],
    });

    let previous = 'synth';
    for (const environment of options.environments) {
      const jobId = `deploy-${environment.name}`;
      const stage = `${options.stagePrefix}-${environment.name}`;
      this.workflow.addJob(jobId, {
        name: `Deploy ${environment.name}`,
        needs: [previous],
        // A manual run can be started on any branch: only the default branch deploys.
        if: `github.ref == 'refs/heads/${branch}'`,
        runsOn: ['ubuntu-latest'],
        environment: environment.name,
        concurrency: { 'group': jobId, 'cancel-in-progress': false },
        permissions: { contents: READ, idToken: WRITE },
        timeoutMinutes: 60,
        steps: [
          // The job can request an OIDC token: no dependency's install script may run here.
          ...installSteps({ ignoreScripts: true }),
          { name: 'Download the cloud assembly', uses: ACTION_PINS.downloadArtifact, with: { name: CLOUD_ASSEMBLY, path: 'cdk.out' } },
          {
            name: 'Assume the deploy role (OIDC)',
            uses: ACTION_PINS.configureAwsCredentials,
            with: {
              'role-to-assume': `\${{ vars.${DEPLOY_ROLE_VARIABLE} }}`,
              'role-session-name': `${stage}-deploy-\${{ github.run_id }}`,
              'aws-region': environment.region ?? `\${{ vars.${REGION_VARIABLE} }}`,
            },
          },
          // A stack a data product: deploy those that do not depend on each other side by side.
          { name: `Deploy ${stage}`, run: `npx cdk deploy --app cdk.out '${stage}/*' --require-approval never --concurrency 8` },
        ],
      });
      previous = jobId;
    }
  }
}
