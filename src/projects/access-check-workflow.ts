import { Component, github, javascript } from 'projen';
import { addProjectWorkflow, installSteps } from './workflow-steps';
import { ACCESS_CHECK, APPROVED_BY_POLICY_LABEL } from '../domain/names';

/**
 * Options of {@link AccessCheckWorkflow}.
 */
export interface AccessCheckWorkflowOptions {
  /** The domain whose repository it is: each changed contract must be one of its data products. */
  readonly domain: string;

  /**
   * The platform's governance policy file, relative to the repository root (`governancePolicyFile`
   * of the domain): its `accessRequests.autoApprove` and `allowedConsumers` decide what is approved.
   *
   * @default - none: no pull request is approved by policy, so every one labelled so fails the check
   */
  readonly governancePolicyFile?: string;
}

/**
 * `.github/workflows/access-check.yml`: confirms the label `approved-by-policy` of a pull request
 * (which `sdlf-mesh access request` sets when the governance policy approves the request without a
 * person) against the change itself, with `sdlf-mesh access check`: a pull request labelled so that
 * changes anything but grants the policy approves (a sensitive column, a consumer the policy does
 * not allow, a schema change, a removed consumer, another file) fails the check
 * "Access request approved by policy". A pull request without the label skips it: nothing is
 * claimed, and the producer's code owners review it as any other.
 *
 * The label is the requester's, and so is the pull request's branch, workflows included: the check
 * runs on `pull_request_target`, so its workflow, the `sdlf-mesh` it runs and the policy it reads
 * are the base branch's, which the pull request cannot change. For the same reason nothing of the
 * pull request runs or is checked out: the job checks out the base branch, installs its lockfile
 * without lifecycle scripts, and the command reads the pull request's head commit (fetched with
 * the repository's branches: a request's branch is one of the repository's, never a fork's) from
 * git's objects, merged into the base in them. The token reads contents only, and no secret is read.
 *
 * It runs again when the label is added or removed, when the branch gets a commit and when the
 * pull request is edited (its base branch changed); a newer run cancels the one in progress, so
 * the check shows the latest state.
 */
export class AccessCheckWorkflow extends Component {
  /** The workflow. */
  public readonly workflow: github.GithubWorkflow;

  constructor(project: javascript.NodeProject, options: AccessCheckWorkflowOptions) {
    super(project);
    this.workflow = addProjectWorkflow(project, 'access-check', 'access-check', {
      limitConcurrency: true,
      concurrencyOptions: { group: 'access-check-${{ github.event.pull_request.number }}', cancelInProgress: true },
    });
    this.workflow.on({ pullRequestTarget: { types: ['opened', 'reopened', 'synchronize', 'edited', 'labeled', 'unlabeled'] } });
    const policy = options.governancePolicyFile === undefined ? '' : ` --policy ${options.governancePolicyFile}`;
    this.workflow.addJob('access-check', {
      name: ACCESS_CHECK,
      if: `contains(github.event.pull_request.labels.*.name, '${APPROVED_BY_POLICY_LABEL}')`,
      runsOn: ['ubuntu-latest'],
      permissions: { contents: github.workflows.JobPermission.READ },
      timeoutMinutes: 15,
      env: { CI: 'true' },
      steps: [
        // The base branch (pull_request_target's commit), with every branch of the repository, the request's among them.
        ...installSteps({ fullHistory: true, ignoreScripts: true }),
        {
          name: 'Check the pull request against the governance policy',
          env: { HEAD_SHA: '${{ github.event.pull_request.head.sha }}' },
          run: `npx sdlf-mesh access check --base HEAD --head "$HEAD_SHA" --domain ${options.domain}${policy} --summary "$GITHUB_STEP_SUMMARY"`,
        },
      ],
    });
  }
}
