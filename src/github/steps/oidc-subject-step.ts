import { GITHUB_SUBJECT_CLAIM_KEYS } from '../../domain/github-oidc';
import { changed, unchanged } from '../../util/steps';
import { SetupStep } from '../setup-step';

/** The repository's OIDC subject customization (`GET /repos/{owner}/{repo}/actions/oidc/customization/sub`). */
interface SubjectCustomization {
  readonly use_default: boolean;
  readonly include_claim_keys?: string[];
}

/** `repository_owner_id:<id>:repository_id:<id>:environment:<name>`: the subject as the plan and the report show it. */
const SUBJECT_FORM = GITHUB_SUBJECT_CLAIM_KEYS.map((claim) => `${claim}:<${claim === 'environment' ? 'name' : 'id'}>`).join(':');

/**
 * Makes the repository's GitHub Actions OIDC tokens carry a subject of IDs,
 * `repository_owner_id:<id>:repository_id:<id>:environment:<name>`, instead of GitHub's default
 * of names (`repo:<owner>/<name>:environment:<name>`): the platform's deploy role trusts that
 * subject, which a repository that later takes the name cannot produce. A customization that
 * differs (GitHub's default, the organization's template, other claims) is replaced; the
 * deploy workflows need no change, the token is GitHub's.
 */
export const oidcSubjectStep: SetupStep = {
  name: 'oidc subject',
  // GitHub's table of fine-grained permissions lists the repository's OIDC customization under "Actions".
  permission: 'actions=write',
  honoursDryRun: true,
  plan: () => `deploy tokens' subject ${SUBJECT_FORM}`,
  async run(context) {
    const wanted = [...GITHUB_SUBJECT_CLAIM_KEYS];
    const route = '/repos/{owner}/{repo}/actions/oidc/customization/sub';
    // A repository this run created has GitHub's default: no need to look (nor to meet its first seconds' 404s).
    const current = context.nothingToLookAt ? undefined : await context.read<SubjectCustomization>(`GET ${route}`, context.repo);
    const same = current?.use_default === false && JSON.stringify(current.include_claim_keys ?? []) === JSON.stringify(wanted);
    if (same) {
      return unchanged(`deploy tokens' subject ${SUBJECT_FORM}`);
    }
    await context.write(`PUT ${route}`, { ...context.repo, use_default: false, include_claim_keys: wanted });
    const was = !current || current.use_default ? "GitHub's default, repo:<owner>/<name>:..." : `claims ${(current.include_claim_keys ?? []).join(', ') || 'of the organization\'s template'}`;
    return changed(context, `deploy tokens' subject ${SUBJECT_FORM} (was ${was})`);
  },
};
