import { changed, unchanged } from '../../util/steps';
import { TeamAccess, TeamPermission } from '../github-target';
import { SetupContext } from '../setup-context';
import { SetupPlan, SetupStep } from '../setup-step';

// How `GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}` names the roles (`role_name`).
const ROLE_NAMES: Record<TeamPermission, string> = { pull: 'read', triage: 'triage', push: 'write', maintain: 'maintain', admin: 'admin' };

/** One step per `--team`: the team gets exactly the role given on the repository. */
export function teamAccessSteps(teams: TeamAccess[]): SetupStep[] {
  return teams.map((access) => {
    const plan = ({ target }: SetupPlan) => `${target.owner}/${access.team}: ${access.permission}`;
    return {
      name: `team ${access.team}`,
      permission: 'administration=write',
      honoursDryRun: true,
      plan,
      run: async (context: SetupContext) => {
        const { owner } = context.target;
        const params = { org: owner, team_slug: access.team, ...context.repo };
        const summary = plan(context);
        if (!context.nothingToLookAt) {
          // With this media type GitHub answers with the repository and the team's role on it; 404: no access.
          const current = await context.read<{ role_name?: string }>('GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}', {
            ...params,
            headers: { accept: 'application/vnd.github.v3.repository+json' },
          });
          if (current?.role_name === ROLE_NAMES[access.permission]) {
            return unchanged(summary);
          }
        }
        await context.write('PUT /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}', { ...params, permission: access.permission });
        return changed(context, summary);
      },
    };
  });
}
