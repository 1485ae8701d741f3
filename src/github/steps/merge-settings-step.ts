import { changed, unchanged } from '../../util/steps';
import { SetupPlan, SetupStep } from '../setup-step';
import { MERGE_SETTINGS } from './repository-step';

/**
 * Squash merges only and branches deleted once merged, with the domain's branch as the default:
 * set when the repository is created, and corrected on a repository found with other settings.
 */
export const mergeSettingsStep: SetupStep = {
  name: 'merge settings',
  permission: 'administration=write',
  honoursDryRun: true,
  plan: summarize,
  async run(context) {
    const { data, createdNow } = context.facts;
    const summary = summarize(context);
    if (createdNow || !data) {
      return changed(context, `${summary} (with the repository)`);
    }
    const current = data as unknown as Record<string, unknown>;
    const differing: Record<string, unknown> = Object.fromEntries(Object.entries(MERGE_SETTINGS).filter(([name, value]) => current[name] !== value));
    // The default branch can only be set to a branch that exists.
    if (data.default_branch !== context.branch && context.branchOnRemote) {
      differing.default_branch = context.branch;
    }
    if (Object.keys(differing).length === 0) {
      return unchanged(summary);
    }
    await context.write('PATCH /repos/{owner}/{repo}', { ...context.repo, ...differing });
    return changed(context, Object.entries(differing).map(([name, value]) => `${name}=${value}`).join(', '));
  },
};

function summarize({ branch }: SetupPlan): string {
  return `squash merge only, branches deleted on merge, default branch ${branch}`;
}
