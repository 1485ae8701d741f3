import { CatalogSource, CONTRACTS_DIR, ContractVersion, domainOfProjenrc, isContractPath, SourceContract, SourceSnapshot } from './catalog-source';
import { mapLimited } from './map-limited';
import { DomainRepositoryData, DomainRepositorySelection, findDomainRepositories } from '../github/domain-repositories';
import { ApiRequestCounts, GitHubApi } from '../github/github-api';
import { listRepositoryFolder, readRepositoryFile } from '../github/repository-contents';
import { isStatus } from '../github/setup-context';

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
 * `dataproducts/` folder, `.projenrc.ts` for the domain, each contract, and with a history depth
 * the commits that changed each contract and its text at each. Without history that is
 * 3 + (number of contracts) read requests a repository.
 */
export class GitHubSource implements CatalogSource {
  public readonly name: string;
  public readonly fallbackDomain: string;

  constructor(
    private readonly api: GitHubApi,
    private readonly repository: DomainRepositoryData,
    private readonly historyDepth: number = 0,
  ) {
    this.name = repository.full_name;
    this.fallbackDomain = repository.full_name.split('/')[1];
  }

  public async read(): Promise<SourceSnapshot> {
    const [owner, repo] = this.name.split('/');
    const branch = this.repository.default_branch;
    const head = await this.api
      .send<{ commit: { sha: string } }>('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo, branch }, 'contents=read')
      .catch((error) => Promise.reject(isStatus(error, 404) ? new Error(`${this.name}: no branch ${branch}, so there is nothing to read; push the domain repository to it`) : error));
    const commit = head.commit.sha;
    const listing = await listRepositoryFolder(this.api, this.name, commit, CONTRACTS_DIR);
    if (!listing) {
      throw new Error(`${this.name}: no ${CONTRACTS_DIR}/ folder on ${branch}, so it is not a domain repository; remove its topic or add its contracts`);
    }
    const files = listing.filter((entry) => entry.type === 'file' && isContractPath(entry.path)).map((entry) => entry.path).sort();
    const projenrc = await readRepositoryFile(this.api, this.name, commit, '.projenrc.ts');
    const contracts = await mapLimited(files, FILES_AT_ONCE, async (file): Promise<SourceContract> => {
      const text = await readRepositoryFile(this.api, this.name, commit, file);
      if (text === undefined) {
        throw new Error(`${this.name}: ${file} vanished while it was read; build the catalog again`);
      }
      return { path: file, text, history: this.historyDepth > 0 ? await this.history(commit, file, text) : undefined };
    });
    return { domain: projenrc === undefined ? undefined : domainOfProjenrc(projenrc), commit, contracts };
  }

  /** The latest `historyDepth` versions of a contract, newest first. */
  private async history(commit: string, file: string, current: string): Promise<ContractVersion[]> {
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
      // The newest version that changed the file is the text already read.
      text: index === 0 ? current : await readRepositoryFile(this.api, this.name, entry.sha, file),
    }));
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
