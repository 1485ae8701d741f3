import { upgradeBranch } from './apply-proposal';
import { FleetHost, FleetRepository, OpenUpgradeRequest, UpgradeRequest, UpgradeRequestContent } from './fleet-host';
import { describeSelection, DomainRepositorySelection, findDomainRepositories } from '../github/domain-repositories';
import { tokenHeaderEnv } from '../github/git-over-https';
import { ApiRequestCounts, GitHubApi } from '../github/github-api';
import { readRepositoryFile } from '../github/repository-contents';
import { isStatus } from '../github/setup-context';

/** How {@link GitHubFleetHost.connect} reaches GitHub. */
export interface GitHubFleetOptions {
  /** The token; it goes to the API in a header and to git through its environment, nowhere else. */
  readonly token: string;
  /** The REST API root (`GITHUB_API_URL`). */
  readonly apiUrl: string;
  /** Which repositories are the fleet. */
  readonly selection: DomainRepositorySelection;
  /** Receives the client's notes while it waits for a rate limit or retries. */
  readonly log?: (message: string) => void;
}

/** The fields of a pull request the fleet reads. */
interface PullData {
  readonly number: number;
  readonly html_url: string;
  readonly title: string;
  readonly body: string | null;
  readonly draft?: boolean;
  readonly labels: ReadonlyArray<{ readonly name?: string }>;
  readonly head: { readonly ref: string; readonly repo: { readonly full_name: string } | null };
}

const READ_PULLS = 'pull_requests=read';
const WRITE_PULLS = 'pull_requests=write';

/**
 * The domain repositories of a GitHub organization (github.com or Enterprise Server) as the
 * fleet: found by topic, custom property or list (see {@link findDomainRepositories}). Content
 * moves with git over HTTPS, the token a header in git's environment; the API is used only to
 * list the repositories and for the one pull request a repository, looked up before it is opened
 * or updated (the lookup is a read), so an upgrade costs one content-creating request a repository
 * and a re-run never opens a second pull request.
 *
 * The client is the shared one: it retries 5xx and resets, waits as `Retry-After` says on
 * primary and secondary limits, and spaces content-creating requests.
 */
export class GitHubFleetHost implements FleetHost {
  /** Creates the client (Octokit, loaded on demand) and the host. */
  public static async connect(options: GitHubFleetOptions): Promise<GitHubFleetHost> {
    return new GitHubFleetHost(await GitHubApi.connect({ token: options.token, apiUrl: options.apiUrl, log: options.log }), options);
  }

  public readonly description: string;
  /** The origin git reaches the repositories at, as their clone URLs say once they are listed. */
  private gitOrigin: string;

  constructor(
    private readonly api: GitHubApi,
    private readonly options: GitHubFleetOptions,
  ) {
    this.description = describeSelection(options.selection);
    this.gitOrigin = gitOriginOf(options.apiUrl);
  }

  /** The API requests this host sent. */
  public get requests(): ApiRequestCounts {
    return this.api.requests;
  }

  public async listRepositories(): Promise<FleetRepository[]> {
    const found = await findDomainRepositories(this.api, this.options.selection, this.options.log);
    const repositories = found.map((data) => ({
      name: data.full_name,
      cloneUrl: data.clone_url,
      archived: data.archived === true,
      defaultBranch: data.default_branch,
      ...(data.fork ? { fork: true } : {}),
      ...(data.parent ? { parent: data.parent.full_name } : {}),
      ...(typeof data.custom_properties?.domain === 'string' && data.custom_properties.domain ? { declaredDomain: data.custom_properties.domain } : {}),
    }));
    if (repositories.length > 0) {
      this.gitOrigin = new URL(repositories[0].cloneUrl).origin;
    }
    return repositories;
  }

  public gitEnvironment(): Record<string, string> {
    return tokenHeaderEnv({ url: this.gitOrigin, token: this.options.token });
  }

  public async findUpgradeRequest(repository: FleetRepository, branch: string): Promise<OpenUpgradeRequest | undefined> {
    const pull = await this.openPull(repository, branch);
    return pull && openRequest(pull);
  }

  public async listUpgradeRequests(repository: FleetRepository): Promise<OpenUpgradeRequest[]> {
    const pulls = await this.api.list<PullData>('GET /repos/{owner}/{repo}/pulls', { ...ownerAndRepo(repository), state: 'open', per_page: 100 }, READ_PULLS);
    return pulls.filter((pull) => pull.head.ref.startsWith(upgradeBranch('')) && pull.head.repo?.full_name === repository.name).map(openRequest);
  }

  public async readFile(repository: FleetRepository, branch: string, file: string): Promise<string | undefined> {
    return readRepositoryFile(this.api, repository.name, branch, file);
  }

  public async openOrUpdateUpgradeRequest(repository: FleetRepository, content: UpgradeRequestContent): Promise<UpgradeRequest> {
    const open = await this.openPull(repository, content.branch);
    if (open) {
      return this.update(repository, open, content);
    }
    let created: PullData;
    try {
      created = await this.create(repository, content, content.draft ?? false);
    } catch (error) {
      const answer = isStatus(error, 422) ? JSON.stringify(error.response?.data) : '';
      const opened = /already exists/i.test(answer) ? await this.openPull(repository, content.branch) : undefined;
      if (opened) {
        // An earlier attempt opened it and its answer was lost on the way (a reset, a timeout).
        return this.update(repository, opened, content);
      }
      if (!(content.draft && /draft/i.test(answer))) {
        throw error;
      }
      // Draft pull requests need a plan that has them (private repositories on GitHub Free do not).
      this.options.log?.(`${repository.name} cannot have draft pull requests: the upgrade is opened ready for review`);
      created = await this.create(repository, content, false);
    }
    await this.addLabels(repository, created, content.labels);
    return { url: created.html_url, created: true };
  }

  private async openPull(repository: FleetRepository, branch: string): Promise<PullData | undefined> {
    const owner = repository.name.split('/')[0];
    const params = { ...ownerAndRepo(repository), state: 'open', head: `${owner}:${branch}`, per_page: 100 };
    return (await this.api.send<PullData[]>('GET /repos/{owner}/{repo}/pulls', params, READ_PULLS))[0];
  }

  private async create(repository: FleetRepository, content: UpgradeRequestContent, draft: boolean): Promise<PullData> {
    const { title, branch: head, body } = content;
    const params = { ...ownerAndRepo(repository), title, head, base: repository.defaultBranch, body, draft };
    return this.api.send<PullData>('POST /repos/{owner}/{repo}/pulls', params, WRITE_PULLS);
  }

  /** Sets the title and body when they changed, and adds the labels it lacks: no request when all is so. */
  private async update(repository: FleetRepository, pull: PullData, content: UpgradeRequestContent): Promise<UpgradeRequest> {
    if (pull.title !== content.title || (pull.body ?? '') !== content.body) {
      const params = { ...ownerAndRepo(repository), pull_number: pull.number, title: content.title, body: content.body };
      await this.api.send('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', params, WRITE_PULLS);
    }
    await this.addLabels(repository, pull, content.labels);
    for (const name of (content.removeLabels ?? []).filter((label) => pull.labels.some((existing) => existing.name === label))) {
      const params = { ...ownerAndRepo(repository), issue_number: pull.number, name };
      await this.api.send('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', params, WRITE_PULLS);
    }
    return { url: pull.html_url, created: false };
  }

  private async addLabels(repository: FleetRepository, pull: PullData, labels: string[] | undefined): Promise<void> {
    const missing = (labels ?? []).filter((label) => !pull.labels.some((existing) => existing.name === label));
    if (missing.length > 0) {
      // GitHub takes issues=write or pull_requests=write here.
      const params = { ...ownerAndRepo(repository), issue_number: pull.number, labels: missing };
      await this.api.send('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', params, WRITE_PULLS);
    }
  }
}

function ownerAndRepo(repository: FleetRepository): { owner: string; repo: string } {
  const [owner, repo] = repository.name.split('/');
  return { owner, repo };
}

function openRequest(pull: PullData): OpenUpgradeRequest {
  return { url: pull.html_url, branch: pull.head.ref, state: pull.draft ? 'draft' : 'open' };
}

/**
 * Where git reaches the repositories of an API root before any clone URL is known: github.com's
 * API is on `api.github.com` (GHE.com's on `api.<subdomain>.ghe.com`), Enterprise Server's under
 * `/api/v3` of the host itself.
 */
export function gitOriginOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  return url.hostname.startsWith('api.') ? `${url.protocol}//${url.host.slice('api.'.length)}` : url.origin;
}
