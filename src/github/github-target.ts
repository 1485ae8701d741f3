import { DomainSettings } from '../domain/domain-settings';
import { InvalidOptionError } from '../util/invalid-option-error';

/** Who can see a repository. */
export type RepositoryVisibility = 'private' | 'internal' | 'public';

/** A team's role on a repository, as the REST API names it. */
export type TeamPermission = 'pull' | 'triage' | 'push' | 'maintain' | 'admin';

/** A team and the role it gets on the repository. */
export interface TeamAccess {
  /** The team's slug in the repository's organization. */
  readonly team: string;
  readonly permission: TeamPermission;
}

/** Someone who must approve deployments to the last environment. */
export interface EnvironmentReviewer {
  readonly type: 'User' | 'Team';
  /** A user's login, or a team's slug in the repository's organization. */
  readonly name: string;
}

/** The GitHub options of `sdlf-mesh new domain`, as the user gives them. */
export interface GitHubTargetValues {
  /** `<owner>/<repository>`, or `<owner>` for a repository named after the domain. */
  readonly repository: string;
  /** @default "private" */
  readonly visibility?: string;
  /** `<team-slug>:<permission>` entries. */
  readonly teams?: string[];
  /**
   * Required reviewers of the last environment: `@login` or `@org/team` entries.
   *
   * @default - the owner when it is a GitHub user or team, else the platform team
   */
  readonly reviewers?: string[];
  /** Set up an existing repository that holds other content instead of refusing it. */
  readonly adopt?: boolean;
  /**
   * The platform team's repository, `<owner>/<repository>`, where the domain is registered
   * (`domains/<domain>.yaml`) through a pull request.
   *
   * @default - the domain is not registered
   */
  readonly platformRepository?: string;
}

/** Where and how a domain repository goes on GitHub, checked. */
export interface GitHubTarget {
  /** The user or organization that owns the repository. */
  readonly owner: string;
  /** The repository name. */
  readonly name: string;
  readonly visibility: RepositoryVisibility;
  readonly teams: TeamAccess[];
  readonly reviewers: EnvironmentReviewer[];
  readonly adopt: boolean;
  /** The platform repository the domain is registered in, if any. */
  readonly platform?: RepositoryName;
}

/** A repository, by owner and name. */
export interface RepositoryName {
  readonly owner: string;
  readonly name: string;
}

const VISIBILITIES: RepositoryVisibility[] = ['private', 'internal', 'public'];
// The REST API's role names, and the names the web interface shows for two of them.
const PERMISSIONS: Record<string, TeamPermission> = { pull: 'pull', read: 'pull', triage: 'triage', push: 'push', write: 'push', maintain: 'maintain', admin: 'admin' };
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
const TEAM = /^[a-z0-9][a-z0-9._-]*$/;
// GitHub accepts at most six required reviewers on an environment.
const MAX_REVIEWERS = 6;

/**
 * Checks the GitHub options and applies their defaults. Throws an {@link InvalidOptionError}
 * naming the flag and its fix, before anything is generated or created.
 */
export function resolveGitHubTarget(values: GitHubTargetValues, settings: DomainSettings): GitHubTarget {
  const [owner, name = settings.domain, ...rest] = values.repository.split('/');
  if (rest.length > 0 || !OWNER.test(owner) || !REPOSITORY.test(name) || name === '.' || name === '..') {
    throw new InvalidOptionError('github', `"${values.repository}" is not <owner>/<repository>; give e.g. --github acme/${settings.domain}-data`);
  }
  const visibility = (values.visibility ?? 'private') as RepositoryVisibility;
  if (!VISIBILITIES.includes(visibility)) {
    throw new InvalidOptionError('visibility', `"${values.visibility}" is not a visibility; give one of ${VISIBILITIES.join(', ')}`);
  }
  const teams = (values.teams ?? []).map(parseTeamAccess);
  const reviewers = (values.reviewers ?? defaultReviewers(settings, owner)).map((reviewer) => parseReviewer(reviewer, owner));
  if (reviewers.length === 0) {
    const last = settings.environments[settings.environments.length - 1].name;
    throw new InvalidOptionError('reviewers', `deployments to ${last} need required reviewers: give --reviewers @login or --reviewers @${owner}/<team>`);
  }
  if (reviewers.length > MAX_REVIEWERS) {
    throw new InvalidOptionError('reviewers', `GitHub allows at most ${MAX_REVIEWERS} required reviewers on an environment; give a team instead of its members`);
  }
  const platform = values.platformRepository !== undefined ? parseRepositoryName(values.platformRepository, 'platform-repo', 'acme/data-platform') : undefined;
  if (platform && platform.owner.toLowerCase() === owner.toLowerCase() && platform.name.toLowerCase() === name.toLowerCase()) {
    throw new InvalidOptionError('platform-repo', `${values.platformRepository} is the domain repository itself; give the platform team's repository, e.g. --platform-repo ${owner}/data-platform`);
  }
  return { owner, name, visibility, teams, reviewers, adopt: values.adopt ?? false, platform };
}

/**
 * The repository a domain would get on GitHub when no `--github` names one, for the plan printed
 * without it: `<githubOrg>/<domain>` (`<org>/<domain>` without an organization), private, with
 * the default reviewers.
 */
export function defaultGitHubTarget(settings: DomainSettings): GitHubTarget {
  const owner = settings.githubOrg ?? '<org>';
  const reviewers = defaultReviewers(settings, owner).map((reviewer) => parseReviewer(reviewer, owner));
  return { owner, name: settings.domain, visibility: 'private', teams: [], reviewers, adopt: false };
}

/**
 * `<owner>/<repository>`, checked; throws an {@link InvalidOptionError} naming `option` and an
 * example otherwise.
 */
export function parseRepositoryName(spec: string, option: string, example: string): RepositoryName {
  const [owner, name, ...rest] = spec.split('/');
  if (rest.length > 0 || !OWNER.test(owner) || !REPOSITORY.test(name ?? '') || name === '.' || name === '..') {
    throw new InvalidOptionError(option, `"${spec}" is not <owner>/<repository>; give e.g. --${option} ${example}`);
  }
  return { owner, name };
}

/** `<team-slug>:<permission>`, e.g. `sales:push` or `data-platform:maintain`. */
function parseTeamAccess(spec: string): TeamAccess {
  const [team, role, ...rest] = spec.split(':');
  const permission = PERMISSIONS[role ?? ''];
  if (rest.length > 0 || !TEAM.test(team ?? '') || !permission) {
    throw new InvalidOptionError('team', `"${spec}" is not <team-slug>:<permission>; give e.g. --team sales:push (permissions: pull, triage, push, maintain, admin)`);
  }
  return { team, permission };
}

/** `@login`, `@org/team` (or without the `@`); a team must belong to the repository's owner. */
function parseReviewer(spec: string, owner: string): EnvironmentReviewer {
  const [first, team, ...rest] = spec.replace(/^@/, '').split('/');
  if (rest.length > 0 || !OWNER.test(first) || (team !== undefined && !TEAM.test(team))) {
    throw new InvalidOptionError('reviewers', `"${spec}" is neither @login nor @org/team; give e.g. --reviewers @octocat or --reviewers @${owner}/platform`);
  }
  if (team === undefined) {
    return { type: 'User', name: first };
  }
  if (first.toLowerCase() !== owner.toLowerCase()) {
    throw new InvalidOptionError('reviewers', `team "${spec}" is not in ${owner}, which owns the repository; give a team of ${owner}`);
  }
  return { type: 'Team', name: team };
}

/** The owner when it is a GitHub user or team of the repository's owner, else the platform team. */
function defaultReviewers(settings: DomainSettings, owner: string): string[] {
  const ownerIsGitHub = settings.owner.startsWith('@') && (!settings.owner.includes('/') || settings.owner.toLowerCase().startsWith(`@${owner.toLowerCase()}/`));
  if (ownerIsGitHub) {
    return [settings.owner];
  }
  if (settings.platformTeam && settings.githubOrg?.toLowerCase() === owner.toLowerCase()) {
    return [`@${owner}/${settings.platformTeam}`];
  }
  return [];
}
