import { Component, github, javascript } from 'projen';
import { addProjectWorkflow, installSteps } from './workflow-steps';
import { BUILD_CHECK } from '../domain/names';

/**
 * Options of {@link PullRequestWorkflow}.
 */
export interface PullRequestWorkflowOptions {
  /**
   * The domain whose contracts (`dataproducts/`) are compared with the base branch.
   *
   * @default - no contract comparison (a repository without contracts)
   */
  readonly contractsDomain?: string;
}

/**
 * `.github/workflows/build.yml`: on every pull request, install, build (for a domain: lint the
 * contracts; compile, test with the governance checks, `cdk synth`), for a domain compare every
 * contract with the base branch (a breaking change without a major version bump fails, and the
 * comparison goes to the job summary), and fail when the build changed files that should have
 * been committed (the output of `npx projen`). Read-only token.
 */
export class PullRequestWorkflow extends Component {
  /** The workflow. */
  public readonly workflow: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, options: PullRequestWorkflowOptions = {}) {
    super(project);
    const domain = options.contractsDomain;
    this.workflow = addProjectWorkflow(project, 'build', 'pull-request');
    this.workflow.on({ pullRequest: {}, workflowDispatch: {} });
    this.workflow.addJob('build', {
      name: BUILD_CHECK,
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      timeoutMinutes: 30,
      env: { CI: 'true' },
      steps: [
        ...installSteps({ fullHistory: domain !== undefined }),
        { name: 'Build, test and synthesize', run: 'npx projen build' },
        ...(domain
          ? [
            {
              name: 'Compare the data-product contracts with the base branch',
              if: "github.event_name == 'pull_request'",
              env: { BASE_REF: '${{ github.base_ref }}' },
              run: `npx sdlf-mesh contract diff "origin/$BASE_REF" dataproducts --domain ${domain} --summary "$GITHUB_STEP_SUMMARY"`,
            },
          ]
          : []),
        {
          name: 'Fail on uncommitted generated changes',
          run: [
            'git add --all',
            'if ! git diff --staged --exit-code --stat; then',
            '  echo "::error::The build changed files: run \'npx projen build\' and commit the result."',
            '  exit 1',
            'fi',
          ].join('\n'),
        },
      ],
    });
  }
}
