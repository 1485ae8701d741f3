import * as fs from 'fs';
import { FleetHost } from './fleet-host';
import { GitHubFleetHost } from './github-fleet-host';
import { LocalFleetHost } from './local-fleet-host';
import { domainRepositorySelection } from '../github/domain-repositories';
import { ApiRequestCounts } from '../github/github-api';
import { InvalidOptionError } from '../util/invalid-option-error';

/** Where the fleet is, as the `sdlf-mesh upgrade` and `fleet status` flags say. */
export interface FleetHostFlags {
  /** `--remotes-dir`: folders of local bare repositories. */
  readonly remotesDirs?: string[];
  /** The local remotes when neither `--remotes-dir` nor GitHub is given. */
  readonly defaultRemotesDir: string;
  /** `--org`: the GitHub organization whose domain repositories make the fleet. */
  readonly org?: string;
  /** `--topic`: the topic that marks a domain repository. @default "sdlf-domain" */
  readonly topic?: string;
  /** `--property name=value`: a custom property that marks a domain repository (instead of the topic). */
  readonly property?: string;
  /** `--repos`: a file of repository names, one a line (`owner/name` on GitHub). */
  readonly reposFile?: string;
  /** The repositories' names, given in another way than `--repos` (a registry, a run's discovery). */
  readonly repositories?: string[];
  /** The GitHub token (`GITHUB_TOKEN`, `GH_TOKEN` or `--token-file`), if there is one. */
  readonly token?: string;
  /** The REST API root; asked only when the fleet is on GitHub. */
  readonly apiUrl: () => string;
  /** Receives the GitHub client's notes (rate limits, retries). */
  readonly log?: (message: string) => void;
}

/** The host of the fleet, and what to take of it. */
export interface ChosenFleetHost {
  readonly host: FleetHost;
  /** Only these repositories (a `--repos` list of local names). */
  readonly only?: string[];
  /** The API requests the host sends (GitHub only), for the run's summary. */
  readonly apiRequests?: ApiRequestCounts;
}

/**
 * The fleet's host from the flags: GitHub with `--org` (repositories with `--topic`, default
 * `sdlf-domain`, or with `--property name=value`) or with `--repos` listing `owner/name` lines,
 * which needs a token; otherwise the local bare repositories of `--remotes-dir` (the default
 * without a token), where `--repos` lists the names to take. Flags that contradict each other, or
 * GitHub without a token, are refused with the fix before any repository is touched.
 */
export async function chooseFleetHost(flags: FleetHostFlags): Promise<ChosenFleetHost> {
  const listed = flags.repositories ?? (flags.reposFile === undefined ? undefined : readRepositoryList(flags.reposFile));
  const githubList = listed?.some((line) => line.includes('/')) ?? false;
  if (flags.org !== undefined && listed !== undefined) {
    throw new InvalidOptionError('--repos', 'give --org (with --topic or --property) or a --repos list, not both');
  }
  const selection = domainRepositorySelection({
    org: flags.org,
    topic: flags.topic,
    property: flags.property,
    repositories: githubList ? listed : undefined,
  });
  if (!selection) {
    return { host: new LocalFleetHost(flags.remotesDirs ?? [flags.defaultRemotesDir]), only: listed };
  }
  const flag = flags.org !== undefined ? '--org' : '--repos';
  if (flags.remotesDirs !== undefined) {
    throw new InvalidOptionError('--remotes-dir', `is for local remotes: leave it out with ${flag === '--org' ? '--org' : 'owner/name lines in --repos'}`);
  }
  if (flags.token === undefined) {
    throw new InvalidOptionError(flag, 'the repositories are on GitHub, which needs a token: set GITHUB_TOKEN or GH_TOKEN, or give --token-file <file>');
  }
  const host = await GitHubFleetHost.connect({ token: flags.token, apiUrl: flags.apiUrl(), selection, log: flags.log });
  return { host, apiRequests: host.requests };
}

/** The lines of a list file, without blanks and `#` comments. */
function readRepositoryList(file: string): string[] {
  if (!fs.existsSync(file)) {
    throw new InvalidOptionError('--repos', `${file} does not exist; give a file with one repository a line (owner/name on GitHub)`);
  }
  return fs.readFileSync(file, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
}
