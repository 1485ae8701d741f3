import { BUILD_CHECK } from '../../domain/names';
import { changed, unchanged } from '../../util/steps';
import { SetupPlan, SetupStep } from '../setup-step';

/** What the protection of the default branch requires. */
const SUMMARY = `pull request with code-owner review of the latest push, required check "${BUILD_CHECK}", admins included, no force push, no deletion`;

/** The fields of `GET /repos/{owner}/{repo}/branches/{branch}/protection` that the step reads. */
interface BranchProtection {
  readonly required_status_checks?: { readonly strict?: boolean; readonly contexts?: string[] };
  readonly enforce_admins?: { readonly enabled?: boolean };
  readonly required_pull_request_reviews?: {
    readonly dismiss_stale_reviews?: boolean;
    readonly require_code_owner_reviews?: boolean;
    readonly required_approving_review_count?: number;
    readonly require_last_push_approval?: boolean;
  };
  readonly restrictions?: {
    readonly users?: Array<{ readonly login: string }>;
    readonly teams?: Array<{ readonly slug: string }>;
    readonly apps?: Array<{ readonly slug: string }>;
  };
  readonly required_linear_history?: { readonly enabled?: boolean };
  readonly allow_force_pushes?: { readonly enabled?: boolean };
  readonly allow_deletions?: { readonly enabled?: boolean };
  readonly required_conversation_resolution?: { readonly enabled?: boolean };
}

/**
 * Protects the default branch: changes come through a pull request that a code owner approved
 * and that the build job passed; no force push, no deletion. Administrators are held to it too
 * (`enforce_admins`), and the approval must come after the most recent push
 * (`require_last_push_approval`): otherwise whoever pushes last after an approval, or any admin,
 * could land code no code owner has seen. The API replaces the protection as
 * a whole, so what a protection found already requires (other checks, more approvals, push
 * restrictions) is sent back with it rather than dropped.
 */
export const branchProtectionStep: SetupStep = {
  name: 'branch protection',
  permission: 'administration=write',
  honoursDryRun: true,
  plan: summarize,
  async run(context) {
    const params = { ...context.repo, branch: context.branch };
    const current = context.nothingToLookAt ? undefined : await context.read<BranchProtection>('GET /repos/{owner}/{repo}/branches/{branch}/protection', params);
    if (current && isDomainProtection(current)) {
      return unchanged(summarize(context));
    }
    const reviews = current?.required_pull_request_reviews;
    const restrictions = current?.restrictions;
    await context.write('PUT /repos/{owner}/{repo}/branches/{branch}/protection', {
      ...params,
      required_status_checks: {
        strict: current?.required_status_checks?.strict ?? true,
        contexts: [...new Set([...(current?.required_status_checks?.contexts ?? []), BUILD_CHECK])],
      },
      enforce_admins: true,
      required_pull_request_reviews: {
        dismiss_stale_reviews: reviews?.dismiss_stale_reviews ?? true,
        require_code_owner_reviews: true,
        required_approving_review_count: Math.max(reviews?.required_approving_review_count ?? 1, 1),
        require_last_push_approval: true,
      },
      restrictions: restrictions
        ? {
          users: (restrictions.users ?? []).map((user) => user.login),
          teams: (restrictions.teams ?? []).map((team) => team.slug),
          apps: (restrictions.apps ?? []).map((app) => app.slug),
        }
        : null,
      required_linear_history: current?.required_linear_history?.enabled ?? false,
      required_conversation_resolution: current?.required_conversation_resolution?.enabled ?? false,
      allow_force_pushes: false,
      allow_deletions: false,
    });
    return changed(context, summarize(context));
  },
};

function isDomainProtection(protection: BranchProtection): boolean {
  const reviews = protection.required_pull_request_reviews;
  return (
    (protection.required_status_checks?.contexts ?? []).includes(BUILD_CHECK) &&
    reviews?.require_code_owner_reviews === true &&
    (reviews.required_approving_review_count ?? 0) >= 1 &&
    reviews.require_last_push_approval === true &&
    protection.enforce_admins?.enabled === true &&
    protection.allow_force_pushes?.enabled !== true &&
    protection.allow_deletions?.enabled !== true
  );
}

function summarize({ branch }: SetupPlan): string {
  return `${branch}: ${SUMMARY}`;
}
