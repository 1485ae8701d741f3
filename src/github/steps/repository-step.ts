import { InvalidOptionError } from '../../util/invalid-option-error';
import { changed, unchanged } from '../../util/steps';
import { CustomPropertyDefinition, isStatus, RepositoryData, SetupContext, sleep } from '../setup-context';
import { SetupPlan, SetupStep } from '../setup-step';
import { applicableProperties } from './custom-properties-step';

/** The merge settings of a domain repository: squash merges only, branches deleted once merged. */
export const MERGE_SETTINGS = {
  allow_squash_merge: true,
  allow_merge_commit: false,
  allow_rebase_merge: false,
  delete_branch_on_merge: true,
} as const;

/** How long to wait before each look at a repository just created, until GitHub shows it. */
const VISIBLE_DELAYS_MS = [250, 500, 1000, 2000, 2000, 2000, 2000, 4000];

/**
 * Finds the repository or creates it, with its visibility, merge settings and the custom
 * properties the organization defines. Before creating anything it checks what only GitHub can
 * tell: whether the owner is an organization or the token's user, and that the teams and
 * reviewers given exist (their IDs are needed later anyway).
 */
export const repositoryStep: SetupStep = {
  name: 'repository',
  permission: 'administration=write',
  honoursDryRun: true,
  plan: (known) => `create ${describe(known)}`,
  async run(context) {
    const { target } = context;
    const fullName = `${target.owner}/${target.name}`;
    const existing = await context.read<RepositoryData>('GET /repos/{owner}/{repo}', context.repo);
    const ownedByOrganization = existing ? existing.owner.type === 'Organization' : await isOrganization(context);
    checkOwnerKind(context, ownedByOrganization);
    const reviewerIds = await findReviewers(context);
    await checkTeamsExist(context);

    if (existing) {
      const { html_url: htmlUrl, clone_url: cloneUrl } = existing;
      context.repository = { ownedByOrganization, createdNow: false, htmlUrl, cloneUrl, data: existing, reviewerIds };
      return unchanged(`${fullName} exists (${ownedByOrganization ? 'organization' : 'personal'} repository)`);
    }

    const propertyDefinitions = ownedByOrganization ? await readPropertyDefinitions(context) : [];
    const properties = applicableProperties(propertyDefinitions, context.settings);
    const body = {
      name: target.name,
      description: `Data products of the ${context.settings.domain} domain (sdlf-mesh)`,
      ...(ownedByOrganization ? { visibility: target.visibility } : { private: target.visibility !== 'public' }),
      auto_init: false,
      ...MERGE_SETTINGS,
      ...(Object.keys(properties).length > 0 ? { custom_properties: properties } : {}),
    };
    const route = ownedByOrganization ? 'POST /orgs/{org}/repos' : 'POST /user/repos';
    const { data, createdNow } = await createOrFind(context, route, ownedByOrganization ? { org: target.owner, ...body } : body);
    context.repository = {
      ownedByOrganization,
      createdNow,
      htmlUrl: data?.html_url ?? webUrl(context, fullName),
      cloneUrl: data?.clone_url ?? `${webUrl(context, fullName)}.git`,
      data,
      propertyDefinitions,
      reviewerIds,
    };
    if (context.dryRun) {
      return changed(context, `create ${describe(context)}`);
    }
    if (!createdNow) {
      // A request whose answer was lost, or another run, created it after this run looked.
      return unchanged(`${fullName} exists (GitHub did not show it yet when this run looked)`);
    }
    await waitUntilVisible(context);
    return changed(context, `created ${describe(context)}`);
  },
};

/** The repository as it is created: `acme/sales-data (private), squash merge only, branches deleted on merge`. */
function describe({ target }: SetupPlan): string {
  return `${target.owner}/${target.name} (${target.visibility}), squash merge only, branches deleted on merge`;
}

/**
 * Creates the repository; when GitHub says the name is taken (an earlier run created it, and GitHub
 * did not show it yet when this run looked), finds it instead.
 */
async function createOrFind(
  context: SetupContext,
  route: string,
  params: Record<string, unknown>,
): Promise<{ data?: RepositoryData; createdNow: boolean }> {
  try {
    return { data: await context.write<RepositoryData>(route, params), createdNow: true };
  } catch (error) {
    if (!isStatus(error, 422) || !/already exists/i.test(JSON.stringify(error.response?.data ?? ''))) {
      throw error;
    }
    return { data: await waitUntilVisible(context), createdNow: false };
  }
}

/**
 * GitHub answers 404 for a few seconds after it created a repository: look until it shows it,
 * a bounded number of times, so that the push and the settings that follow find it.
 */
async function waitUntilVisible(context: SetupContext): Promise<RepositoryData> {
  for (const delay of [...VISIBLE_DELAYS_MS, undefined]) {
    const found = await context.read<RepositoryData>('GET /repos/{owner}/{repo}', context.repo);
    if (found) {
      return found;
    }
    if (delay === undefined) {
      break;
    }
    await sleep(delay);
  }
  throw new Error(`GitHub still does not show ${context.target.owner}/${context.target.name} after creating it; run again in a minute`);
}

/** Whether the owner of a repository to create is an organization; a user must be the token's. */
async function isOrganization(context: SetupContext): Promise<boolean> {
  const { owner } = context.target;
  const account = await context.read<{ type: string }>('GET /users/{username}', { username: owner });
  if (!account) {
    throw new InvalidOptionError('github', `"${owner}" is neither a user nor an organization on GitHub; give an existing owner: --github <org>/<repository>`);
  }
  if (account.type === 'Organization') {
    return true;
  }
  const user = await context.read<{ login: string }>('GET /user');
  if (user?.login.toLowerCase() !== owner.toLowerCase()) {
    throw new InvalidOptionError('github', `the token belongs to ${user?.login ?? 'another account'}, which cannot create repositories for the user ${owner}; give an organization or ${user?.login}`);
  }
  return false;
}

/** What only an organization repository can have. */
function checkOwnerKind(context: SetupContext, ownedByOrganization: boolean): void {
  if (ownedByOrganization) {
    return;
  }
  const { target } = context;
  if (target.visibility === 'internal') {
    throw new InvalidOptionError('visibility', `${target.owner} is a user: only organization repositories can be internal; give --visibility private or public`);
  }
  if (target.teams.length > 0) {
    throw new InvalidOptionError('team', `${target.owner} is a user: only organization repositories have team access; leave out --team`);
  }
  if (target.reviewers.some((reviewer) => reviewer.type === 'Team')) {
    throw new InvalidOptionError('reviewers', `${target.owner} is a user: only organization repositories have team reviewers; give users (--reviewers @login)`);
  }
}

/** The IDs of the required reviewers (the environment API takes IDs); a name that does not exist is refused. */
async function findReviewers(context: SetupContext): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const reviewer of context.target.reviewers) {
    const found =
      reviewer.type === 'User'
        ? await context.read<{ id: number }>('GET /users/{username}', { username: reviewer.name })
        : await context.read<{ id: number }>('GET /orgs/{org}/teams/{team_slug}', { org: context.target.owner, team_slug: reviewer.name });
    if (!found) {
      const name = reviewer.type === 'User' ? `@${reviewer.name}` : `@${context.target.owner}/${reviewer.name}`;
      throw new InvalidOptionError('reviewers', `${name} does not exist on GitHub; give an existing user (@login) or team of ${context.target.owner} (@${context.target.owner}/<team>)`);
    }
    ids.set(`${reviewer.type}:${reviewer.name.toLowerCase()}`, found.id);
  }
  return ids;
}

/** Every team of `--team` must exist in the organization. */
async function checkTeamsExist(context: SetupContext): Promise<void> {
  const { owner, teams } = context.target;
  for (const { team } of teams) {
    const found = await context.read('GET /orgs/{org}/teams/{team_slug}', { org: owner, team_slug: team });
    if (!found) {
      throw new InvalidOptionError('team', `team "${team}" does not exist in ${owner}; give the slug of one of its teams (${webUrl(context, `orgs/${owner}/teams`)})`);
    }
  }
}

async function readPropertyDefinitions(context: SetupContext): Promise<CustomPropertyDefinition[]> {
  return (await context.read<CustomPropertyDefinition[]>('GET /orgs/{org}/properties/schema', { org: context.target.owner })) ?? [];
}

/**
 * The web address of a path on the GitHub the API belongs to: `api.github.com` → `github.com`,
 * `https://<host>/api/v3` (Enterprise Server) → `https://<host>`. Only needed before the
 * repository exists, when GitHub has not told its address yet.
 */
function webUrl(context: SetupContext, pathname: string): string {
  const api = new URL(context.client.request.endpoint.DEFAULTS.baseUrl);
  const host = api.host.replace(/^api\./, '');
  const root = api.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/$/, '');
  return `${api.protocol}//${host}${root}/${pathname}`;
}
