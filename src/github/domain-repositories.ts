import { GitHubApi } from './github-api';
import { isStatus } from './setup-context';
import { DOMAIN_TOPIC } from './steps/topics-step';
import { InvalidOptionError } from '../util/invalid-option-error';

/**
 * Which repositories of GitHub are the mesh's domain repositories: an organization's repositories
 * with a topic, or with a custom property's value, or a list of `owner/name`.
 */
export type DomainRepositorySelection =
  | { readonly org: string; readonly topic: string }
  | { readonly org: string; readonly property: { readonly name: string; readonly value: string } }
  | { readonly repositories: string[] };

/** The fields of a repository the fleet and the catalog read (search, list and get answers all carry them). */
export interface DomainRepositoryData {
  /** `owner/name`. */
  readonly full_name: string;
  readonly clone_url: string;
  readonly default_branch: string;
  readonly archived?: boolean;
  readonly custom_properties?: Record<string, unknown>;
  /** Whether it is a fork; `parent` (the repository it forks) comes with a single repository's answer only. */
  readonly fork?: boolean;
  readonly parent?: { readonly full_name: string };
}

/** Says in a few words which repositories a selection takes, for messages. */
export function describeSelection(selection: DomainRepositorySelection): string {
  if ('repositories' in selection) {
    return `GitHub (${selection.repositories.length} repositories listed)`;
  }
  return 'topic' in selection
    ? `GitHub organization ${selection.org} (topic ${selection.topic})`
    : `GitHub organization ${selection.org} (custom property ${selection.property.name}=${selection.property.value})`;
}

/**
 * The domain repositories a selection names, archived ones included, in name order.
 *
 * By topic it is one search request per 100 matches (`org:<org> topic:<topic>`), whatever the
 * size of the organization; search works on GitHub Enterprise Server as on github.com, leaves
 * forks out, and may miss a repository tagged in the last minute (its index lags). By custom
 * property it is the organization's repository list (one request per 100 repositories), which
 * carries each repository's properties. A list costs one request a repository. An organization
 * or a listed repository that is not there (or that the token cannot see) is refused naming the
 * flag, before anything is changed.
 */
export async function findDomainRepositories(
  api: GitHubApi,
  selection: DomainRepositorySelection,
  log?: (message: string) => void,
): Promise<DomainRepositoryData[]> {
  const found = await find(api, selection, log);
  return [...found].sort((a, b) => a.full_name.localeCompare(b.full_name));
}

async function find(api: GitHubApi, selection: DomainRepositorySelection, log?: (message: string) => void): Promise<DomainRepositoryData[]> {
  if ('repositories' in selection) {
    return Promise.all(
      selection.repositories.map((name) =>
        api.send<DomainRepositoryData>('GET /repos/{owner}/{repo}', { owner: name.split('/')[0], repo: name.split('/')[1] }, 'metadata=read').catch((error) => {
          if (isStatus(error, 404)) {
            throw new InvalidOptionError('--repos', `${name} is not on GitHub, or the token cannot see it; correct the line or give the token access to it`);
          }
          throw error;
        }),
      ),
    );
  }
  if ('topic' in selection) {
    const onPage = (page: { incomplete_results?: boolean }) => {
      if (page.incomplete_results) {
        log?.(`GitHub's search timed out before it found every repository of ${selection.org} with topic ${selection.topic}; run again if some are missing`);
      }
    };
    return api
      .list<DomainRepositoryData>('GET /search/repositories', { q: `org:${selection.org} topic:${selection.topic}`, per_page: 100 }, 'metadata=read', onPage)
      .catch((error) => {
        if (isStatus(error, 422)) {
          throw new InvalidOptionError('--org', `GitHub cannot search the organization "${selection.org}": it does not exist or the token cannot see it`);
        }
        throw error;
      });
  }
  const all = await api.list<DomainRepositoryData>('GET /orgs/{org}/repos', { org: selection.org, per_page: 100 }, 'metadata=read').catch((error) => {
    if (isStatus(error, 404)) {
      throw new InvalidOptionError('--org', `"${selection.org}" is not an organization on GitHub, or the token cannot see it`);
    }
    throw error;
  });
  const { name, value } = selection.property;
  return all.filter((data) => {
    const actual = data.custom_properties?.[name];
    return Array.isArray(actual) ? actual.includes(value) : actual === value;
  });
}

/** The flags that select domain repositories on GitHub, as `upgrade`, `fleet status` and `catalog build` take them. */
export interface DomainRepositoryFlags {
  /** `--org`. */
  readonly org?: string;
  /** `--topic`. @default "sdlf-domain" */
  readonly topic?: string;
  /** `--property name=value`. */
  readonly property?: string;
  /** The `owner/name` lines of a `--repos` file. */
  readonly repositories?: string[];
}

const OWNER_AND_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * The selection the flags make, or `undefined` when they name no GitHub repositories (neither
 * `--org` nor a list). Flags that contradict each other or are malformed are refused naming the
 * flag and the fix.
 */
export function domainRepositorySelection(flags: DomainRepositoryFlags): DomainRepositorySelection | undefined {
  for (const flag of ['topic', 'property'] as const) {
    if (flags[flag] !== undefined && flags.org === undefined) {
      throw new InvalidOptionError(`--${flag}`, `name the organization too: --org <org> --${flag} ${flags[flag]}`);
    }
  }
  if (flags.topic !== undefined && flags.property !== undefined) {
    throw new InvalidOptionError('--property', 'give --topic or --property, not both');
  }
  if (flags.org !== undefined && flags.repositories !== undefined) {
    throw new InvalidOptionError('--repos', 'give --org (with --topic or --property) or a --repos list, not both');
  }
  if (flags.repositories !== undefined) {
    const bad = flags.repositories.find((line) => !OWNER_AND_NAME.test(line));
    if (bad !== undefined) {
      throw new InvalidOptionError('--repos', `"${bad}" is not owner/name; list GitHub repositories one a line as owner/name (e.g. acme/sales-data)`);
    }
    return { repositories: flags.repositories };
  }
  if (flags.org === undefined) {
    return undefined;
  }
  if (!ORGANIZATION.test(flags.org)) {
    throw new InvalidOptionError('--org', `"${flags.org}" is not a GitHub organization name; give its login, e.g. --org acme`);
  }
  if (flags.property !== undefined) {
    const match = /^([^=\s]+)=(.+)$/.exec(flags.property);
    if (!match) {
      throw new InvalidOptionError('--property', `"${flags.property}" is not name=value; give the custom property and its value, e.g. --property kind=sdlf-domain`);
    }
    return { org: flags.org, property: { name: match[1], value: match[2] } };
  }
  return { org: flags.org, topic: flags.topic ?? DOMAIN_TOPIC };
}
