import { CatalogSource, ContractContent, CONTRACTS_DIR, ContractVersion, isContractPath, SourceContract, SourceSnapshot } from './catalog-source';
import { contractEntryContent, NOT_A_FILE } from './contract-content';
import { mapLimited } from './map-limited';
import { MAX_CONTRACT_BYTES } from '../contract/contract-document';
import { DomainRepositoryData, DomainRepositorySelection, findDomainRepositories } from '../github/domain-repositories';
import { ApiRequestCounts, GitHubApi } from '../github/github-api';
import { listRepositoryFolder, readRepositoryEntry } from '../github/repository-contents';
import { isStatus } from '../github/setup-context';
import { SYMLINK_REFUSED, tooLarge } from '../util/read-regular-file';

/** How {@link githubCatalogSources} reaches GitHub and what it reads. */
export interface GitHubCatalogOptions {
  /** The token, sent in the Authorization header only. */
  readonly token: string;
  /** The REST API root (`GITHUB_API_URL`). */
  readonly apiUrl: string;
  /** Which repositories are the mesh's domains. */
  readonly selection: DomainRepositorySelection;
  /**
   * How many versions of each contract to read for its history (a request for the list, and
   * one a version). 0 reads none: the catalog then shows no version history.
   *
   * @default 0
   */
  readonly historyDepth?: number;
  /** Receives the client's notes while it waits for a rate limit or retries. */
  readonly log?: (message: string) => void;
}

/** The sources of GitHub's domain repositories, and the count of requests they send. */
export interface GitHubCatalogSources {
  readonly sources: CatalogSource[];
  /** Grows as the sources are read. */
  readonly requests: ApiRequestCounts;
}

/** Contract files of one repository read at once (the client spaces requests beyond that anyway). */
const FILES_AT_ONCE = 4;

/**
 * A domain repository on GitHub, read through the REST API without a clone: the default
 * branch's commit (so every file comes from one snapshot, even while someone pushes), the
 * `dataproducts/` folder, each contract, and with a history depth the commits that changed each
 * contract and its content at each. Without history that is 2 + (number of contracts) read
 * requests a repository. Its identity is its `owner/name` and its `domain` custom property.
 *
 * A contract the listing shows as a symbolic link (or anything but a file), or larger than the
 * size limit, is not read; one that GitHub answers with another path (it followed a link) or
 * without content (over 1 MB) is not used.
 */
export class GitHubSource implements CatalogSource {
  public readonly name: string;
  public readonly repository: string;
  public readonly declaredDomain?: string;

  constructor(
    private readonly api: GitHubApi,
    private readonly data: DomainRepositoryData,
    private readonly historyDepth: number = 0,
  ) {
    this.name = data.full_name;
    this.repository = data.full_name;
    const property = data.custom_properties?.domain;
    this.declaredDomain = typeof property === 'string' && property ? property : undefined;
  }

  public async read(): Promise<SourceSnapshot> {
    const [owner, repo] = this.name.split('/');
    const branch = this.data.default_branch;
    const head = await this.api
      .send<{ commit: { sha: string } }>('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo, branch }, 'contents=read')
      .catch((error) => Promise.reject(isStatus(error, 404) ? new Error(`${this.name}: no branch ${branch}, so there is nothing to read; push the domain repository to it`) : error));
    const commit = head.commit.sha;
    const listing = await listRepositoryFolder(this.api, this.name, commit, CONTRACTS_DIR);
    if (!listing) {
      throw new Error(`${this.name}: no ${CONTRACTS_DIR}/ folder on ${branch}, so it is not a domain repository; remove its topic or add its contracts`);
    }
    const entries = listing.filter((entry) => isContractPath(entry.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const contracts = await mapLimited(entries, FILES_AT_ONCE, async (entry): Promise<SourceContract> => {
      const kind = entry.type === 'file' ? 'file' : entry.type === 'symlink' ? 'symlink' : 'other';
      const content = await contractEntryContent(kind, entry.size, () => this.content(commit, entry.path));
      // A contract that cannot be read publishes nothing: its history is not asked for.
      const history = this.historyDepth > 0 && content.bytes ? await this.history(commit, entry.path, content) : undefined;
      return { path: entry.path, content, history };
    });
    return { commit, contracts };
  }

  /** A contract at a commit, read without following a link and never beyond 1 MB. */
  private async content(ref: string, file: string): Promise<ContractContent> {
    const entry = await readRepositoryEntry(this.api, this.name, ref, file);
    if (entry === undefined) {
      throw new Error(`${this.name}: ${file} vanished while it was read; build the catalog again`);
    }
    if (entry.type === 'dir' || entry.type === 'submodule') {
      return { unreadable: NOT_A_FILE };
    }
    if (entry.type !== 'file' || entry.path !== file) {
      return { unreadable: SYMLINK_REFUSED };
    }
    if (entry.content === undefined || entry.content.length > MAX_CONTRACT_BYTES) {
      return { unreadable: tooLarge(Math.max(entry.size, entry.content?.length ?? 0), MAX_CONTRACT_BYTES), tooLarge: true };
    }
    return { bytes: entry.content };
  }

  /** The latest `historyDepth` versions of a contract, newest first. */
  private async history(commit: string, file: string, current: ContractContent): Promise<ContractVersion[]> {
    const [owner, repo] = this.name.split('/');
    // One page is the depth: older versions are not read.
    const commits = await this.api.send<Array<{ sha: string; commit: { author: { name?: string; date?: string } | null; message: string } }>>(
      'GET /repos/{owner}/{repo}/commits',
      { owner, repo, sha: commit, path: file, per_page: this.historyDepth },
      'contents=read',
    );
    return mapLimited(commits.slice(0, this.historyDepth), FILES_AT_ONCE, async (entry, index) => ({
      commit: entry.sha,
      date: entry.commit.author?.date ?? '',
      author: entry.commit.author?.name ?? '',
      subject: entry.commit.message.split('\n')[0],
      // The newest version that changed the file is the content already read.
      content: index === 0 ? current : await this.versionContent(entry.sha, file),
    }));
  }

  /** A version's content; undefined when the commit deleted the file. */
  private async versionContent(ref: string, file: string): Promise<ContractContent | undefined> {
    return this.content(ref, file).catch((error: Error) => (/vanished/.test(error.message) ? undefined : Promise.reject(error)));
  }
}

/**
 * The catalog sources of the domain repositories a selection names on GitHub (see
 * {@link findDomainRepositories}); archived repositories are left out, as their data products are
 * retired. Loaded by the `sdlf-mesh` command with a dynamic `import()`: Octokit is ESM only.
 */
export async function githubCatalogSources(options: GitHubCatalogOptions): Promise<GitHubCatalogSources> {
  const api = await GitHubApi.connect({ token: options.token, apiUrl: options.apiUrl, log: options.log });
  const repositories = await findDomainRepositories(api, options.selection, options.log);
  return {
    sources: repositories
      .filter((repository) => !repository.archived)
      .map((repository) => new GitHubSource(api, repository, options.historyDepth ?? 0)),
    requests: api.requests,
  };
}
