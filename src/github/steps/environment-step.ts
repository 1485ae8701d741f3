import { changed, StepOutcome, unchanged } from '../../util/steps';
import { EnvironmentReviewer } from '../github-target';
import { SetupContext } from '../setup-context';
import { SetupPlan, SetupStep } from '../setup-step';

/** The fields of an environment (`GET /repos/{owner}/{repo}/environments`) that the steps read. */
interface Environment {
  readonly name: string;
  readonly protection_rules?: Array<{
    readonly type: string;
    readonly wait_timer?: number;
    readonly prevent_self_review?: boolean;
    readonly reviewers?: Array<{ readonly type?: string; readonly reviewer?: { readonly id?: number } }>;
  }>;
  readonly deployment_branch_policy?: { readonly protected_branches: boolean; readonly custom_branch_policies: boolean } | null;
}

/**
 * One step per deployment environment, in deployment order. Each environment exists on GitHub
 * (the deploy workflow's jobs name it) and takes deployments from the default branch only, so no
 * other branch can get the deploy role's credentials; the last one (prod) also requires a
 * reviewer's approval.
 */
export function environmentSteps(environments: string[]): SetupStep[] {
  return environments.map((name, index) => {
    const guarded = index === environments.length - 1;
    return {
      name: `environment ${name}`,
      permission: 'administration=write',
      honoursDryRun: true,
      plan: (known: SetupPlan) => summarize(known, guarded),
      run: (context: SetupContext) => setUpEnvironment(context, name, guarded),
    };
  });
}

/** What an environment gets: deployments from the default branch only; with `guarded`, required reviewers. */
function summarize({ branch, target }: SetupPlan, guarded: boolean): string {
  const reviewers = target.reviewers.map(describeReviewer(target.owner)).join(', ') || '(give --reviewers)';
  return `${guarded ? `required reviewers ${reviewers}; ` : ''}deployments from ${branch} only`;
}

/** Creates or completes one environment: the branch policy, and with `guarded` the reviewers. */
async function setUpEnvironment(context: SetupContext, name: string, guarded: boolean): Promise<StepOutcome> {
  const { branch, target } = context;
  const current = await findEnvironment(context, name);
  const wanted = guarded ? target.reviewers.map((reviewer) => ({ type: reviewer.type, id: reviewerId(context, reviewer) })) : [];
  const reviewersRule = current?.protection_rules?.find((rule) => rule.type === 'required_reviewers');
  const present = (reviewersRule?.reviewers ?? []).flatMap(({ type, reviewer }) =>
    type && reviewer?.id !== undefined ? [{ type, id: reviewer.id }] : [],
  );
  const missing = wanted.filter((reviewer) => !present.some((found) => found.type === reviewer.type && found.id === reviewer.id));
  const policy = current?.deployment_branch_policy;
  const branchesLimited = policy?.custom_branch_policies === true && policy.protected_branches === false;
  const summary = summarize(context, guarded);

  const changes: string[] = [];
  if (!current || missing.length > 0 || !branchesLimited) {
    // The API replaces the environment's protection: send back the reviewers and wait timer found.
    const waitTimer = current?.protection_rules?.find((rule) => rule.type === 'wait_timer')?.wait_timer;
    const reviewers = [...present, ...missing];
    await context.write('PUT /repos/{owner}/{repo}/environments/{environment_name}', {
      ...context.repo,
      environment_name: name,
      ...(reviewers.length > 0 ? { reviewers } : {}),
      ...(waitTimer !== undefined ? { wait_timer: waitTimer } : {}),
      ...(reviewersRule?.prevent_self_review !== undefined ? { prevent_self_review: reviewersRule.prevent_self_review } : {}),
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    });
    changes.push(current ? 'protection updated' : 'created');
  }
  // A new environment, or one that did not limit branches before, has no branch policies yet.
  const policies =
    current && branchesLimited
      ? ((await context.read<{ branch_policies: Array<{ name?: string; type?: string }> }>(
        'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
        { ...context.repo, environment_name: name, per_page: 100 },
      ))?.branch_policies ?? [])
      : [];
  if (!policies.some((found) => found.name === branch && (found.type ?? 'branch') === 'branch')) {
    await context.write('POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies', {
      ...context.repo,
      environment_name: name,
      name: branch,
      type: 'branch',
    });
    changes.push(`deployments from ${branch} allowed`);
  }
  return changes.length > 0 ? changed(context, `${summary} (${changes.join(', ')})`) : unchanged(summary);
}

/** The repository's environments, read once for all the environment steps. */
async function findEnvironment(context: SetupContext, name: string): Promise<Environment | undefined> {
  if (context.nothingToLookAt) {
    return undefined;
  }
  const environments = await context.once('environments', async () => {
    const found = await context.read<{ environments?: Environment[] }>('GET /repos/{owner}/{repo}/environments', { ...context.repo, per_page: 100 });
    return found?.environments ?? [];
  });
  return environments.find((environment) => environment.name === name);
}

function reviewerId(context: SetupContext, reviewer: EnvironmentReviewer): number {
  const id = context.facts.reviewerIds.get(`${reviewer.type}:${reviewer.name.toLowerCase()}`);
  if (id === undefined) {
    throw new Error(`The repository step did not find the ID of reviewer ${reviewer.name}`);
  }
  return id;
}

function describeReviewer(owner: string): (reviewer: EnvironmentReviewer) => string {
  return (reviewer) => (reviewer.type === 'User' ? `@${reviewer.name}` : `@${owner}/${reviewer.name}`);
}
