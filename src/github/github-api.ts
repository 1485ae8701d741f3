import { createGitHubClient, GitHubClient, GitHubClientOptions } from './github-client';
import { describeFailure } from './github-setup-error';
import { GitHubRequestError, withOwnRetryCount } from './setup-context';

/** API requests sent, and how many of them created or changed content (what GitHub's secondary limits count). */
export interface ApiRequestCounts {
  total: number;
  contentCreating: number;
}

/**
 * The requests of a run that reads and writes across many repositories (the fleet upgrade, the
 * catalog): the shared client (retries, rate limits), every request counted, and every error
 * answer turned into a message that names the request and, for a 403, the permission the token
 * lacks. The error keeps GitHub's `status` and `response`, so callers can still tell a 404 or a
 * 422 apart.
 */
export class GitHubApi {
  /** Creates the client (Octokit, loaded on demand). */
  public static async connect(options: GitHubClientOptions): Promise<GitHubApi> {
    return new GitHubApi(await createGitHubClient(options), options.apiUrl);
  }

  /** The requests sent so far (a request the client retried counts once). */
  public readonly requests: ApiRequestCounts = { total: 0, contentCreating: 0 };

  constructor(
    private readonly client: GitHubClient,
    private readonly apiUrl: string,
  ) {}

  /**
   * Sends one request and returns what GitHub answered.
   *
   * @param permission the fine-grained permission GitHub documents for it, named when it answers 403
   */
  public async send<T>(route: string, params: Record<string, unknown>, permission: string): Promise<T> {
    this.count(route);
    try {
      return (await this.client.request(route, withOwnRetryCount(params))).data as T;
    } catch (error) {
      throw this.explain(error, route, params, permission);
    }
  }

  /**
   * Every page of a list (a search's `items` too), a request each. `onPage` sees each page's
   * answer, e.g. to notice a search that timed out (`incomplete_results`).
   */
  public async list<T>(
    route: string,
    params: Record<string, unknown>,
    permission: string,
    onPage?: (page: T[] & { incomplete_results?: boolean }) => void,
  ): Promise<T[]> {
    const items: T[] = [];
    try {
      for await (const response of this.client.paginate.iterator(route, withOwnRetryCount(params))) {
        this.count(route);
        const page = response.data as T[] & { incomplete_results?: boolean };
        onPage?.(page);
        items.push(...page);
      }
    } catch (error) {
      this.count(route);
      throw this.explain(error, route, params, permission);
    }
    return items;
  }

  private count(route: string): void {
    this.requests.total++;
    if (!route.startsWith('GET ')) {
      this.requests.contentCreating++;
    }
  }

  private explain(error: unknown, route: string, params: Record<string, unknown>, permission: string): Error {
    if (typeof (error as GitHubRequestError).status !== 'number') {
      return error as Error;
    }
    const { method, url } = this.client.request.endpoint(route, params);
    const root = new URL(this.apiUrl).pathname.replace(/\/$/, '');
    const request = `${method} ${new URL(url).pathname.slice(root.length)}`;
    const explained = new Error(describeFailure(error, { permission }, request));
    return Object.assign(explained, { status: (error as GitHubRequestError).status, response: (error as GitHubRequestError).response });
  }
}
