import { GitRemoteAccess } from './git-over-https';
import { GitHubClient } from './github-client';
import { GitHubTarget } from './github-target';
import { DomainSettings } from '../domain/domain-settings';

/** One API request or git operation of a GitHub setup, in the order it was made. */
export interface GitHubOperation {
  /** `api` for a REST request, `git` for a git command against the repository. */
  readonly kind: 'api' | 'git';
  /** `PUT /repos/acme/sales-data/topics`, or `git push origin main` (never with credentials). */
  readonly request: string;
  /** What a content-creating request sends (what a dry run shows). */
  readonly body?: unknown;
  /** Whether it was made (false: a dry run only planned it). */
  readonly performed: boolean;
  /** The HTTP status GitHub answered, for API requests. */
  readonly status?: number;
}

/** What is known about the repository once the `repository` step has looked at it. */
export interface RepositoryFacts {
  /** Whether the repository is owned by an organization (else by a user). */
  readonly ownedByOrganization: boolean;
  /** Whether this run created it (or, in a dry run, would): it has nothing yet, so the steps need not look. */
  readonly createdNow: boolean;
  /** Its web page. */
  readonly htmlUrl: string;
  /** The HTTPS URL git pushes to. */
  readonly cloneUrl: string;
  /** The repository as GitHub describes it (absent when a dry run would create it). */
  readonly data?: RepositoryData;
  /** The organization's custom property definitions, when the repository step read them. */
  readonly propertyDefinitions?: CustomPropertyDefinition[];
  /** IDs of the reviewers of the last environment, found before anything was created. */
  readonly reviewerIds: Map<string, number>;
}

/** The fields of a repository the steps read. */
export interface RepositoryData {
  /** The repository's numeric ID, which no other repository ever gets. */
  readonly id: number;
  readonly html_url: string;
  readonly clone_url: string;
  readonly default_branch: string;
  readonly owner: { readonly login: string; readonly type: string; readonly id: number };
  readonly allow_squash_merge?: boolean;
  readonly allow_merge_commit?: boolean;
  readonly allow_rebase_merge?: boolean;
  readonly delete_branch_on_merge?: boolean;
}

/** An organization's definition of a custom property (`GET /orgs/{org}/properties/schema`). */
export interface CustomPropertyDefinition {
  readonly property_name: string;
  readonly value_type: string;
  readonly allowed_values?: string[] | null;
}

/** The error Octokit throws for an HTTP error answer. */
export interface GitHubRequestError extends Error {
  readonly status: number;
  readonly response?: { readonly headers: Record<string, string | number | undefined>; readonly data?: unknown };
}

/** Whether `error` is GitHub answering with `status`. */
export function isStatus(error: unknown, status: number): error is GitHubRequestError {
  return typeof error === 'object' && error !== null && (error as GitHubRequestError).status === status;
}

/** How long to wait before each retry of a request that GitHub's eventual consistency answers with 404. */
const NOT_FOUND_DELAYS_MS = [250, 500, 1000, 2000, 2000, 2000, 2000];

/**
 * What the steps of a GitHub setup share: the client, the target, the facts found so far, and
 * the log of every request. Reads are always made; writes are made unless this is a dry run, in
 * which case they are only logged, so a dry run shows every request the real run would make.
 */
export class SetupContext {
  /** Every API request and git operation so far, in order. */
  public readonly operations: GitHubOperation[] = [];
  /** What the repository step found; the later steps read it. */
  public repository?: RepositoryFacts;
  /** Whether this run pushed a new branch, which GitHub may not know for a few seconds. */
  public pushedNow = false;
  /** Whether the repository's branch exists on GitHub now (the push step found or pushed it). */
  public branchOnRemote = false;
  private readonly loaded = new Map<string, Promise<unknown>>();

  constructor(
    public readonly client: GitHubClient,
    public readonly target: GitHubTarget,
    public readonly settings: DomainSettings,
    public readonly repoDir: string,
    public readonly branch: string,
    public readonly token: string,
    public readonly dryRun: boolean,
  ) {}

  /** `{ owner, repo }`, the path parameters of every repository request. */
  public get repo(): { owner: string; repo: string } {
    return { owner: this.target.owner, repo: this.target.name };
  }

  /** How git reaches the repository (known after the repository step). */
  public get remote(): GitRemoteAccess {
    return { url: this.facts.cloneUrl, token: this.token };
  }

  /** The repository facts; the repository step runs first, so they are there for every later step. */
  public get facts(): RepositoryFacts {
    if (!this.repository) {
      throw new Error('The repository step has not run');
    }
    return this.repository;
  }

  /**
   * Whether the steps can skip looking: the repository is new from this run (or a dry run would
   * create it), so it has no topics, protection, environments or teams yet. Besides saving
   * requests, this keeps reads out of the seconds after creation when GitHub may answer 404.
   */
  public get nothingToLookAt(): boolean {
    return this.facts.createdNow;
  }

  /** Loads something several steps read (e.g. the list of environments) once per run. */
  public once<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.loaded.has(key)) {
      this.loaded.set(key, load());
    }
    return this.loaded.get(key) as Promise<T>;
  }

  /** Sends a GET request; `undefined` when GitHub answers 404. */
  public async read<T>(route: string, params: Record<string, unknown> = {}): Promise<T | undefined> {
    const request = this.describe(route, params);
    try {
      const response = await this.client.request(route, withOwnRetryCount(params));
      this.operations.push({ kind: 'api', request, performed: true, status: response.status });
      return response.data as T;
    } catch (error) {
      this.operations.push({ kind: 'api', request, performed: true, status: (error as GitHubRequestError).status });
      if (isStatus(error, 404)) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Sends a content-creating request, or only logs it in a dry run. Right after this run created
   * the repository or pushed a branch, a 404 is GitHub not having caught up yet: the request is
   * sent again after a short wait, a bounded number of times.
   */
  public async write<T>(route: string, params: Record<string, unknown> = {}): Promise<T | undefined> {
    const request = this.describe(route, params);
    // Octokit sends an empty body with a PUT or PATCH that has no fields.
    const body = this.client.request.endpoint(route, params).body || undefined;
    if (this.dryRun) {
      this.operations.push({ kind: 'api', request, body, performed: false });
      return undefined;
    }
    const mayLag = this.repository?.createdNow || this.pushedNow;
    for (const delay of [...(mayLag ? NOT_FOUND_DELAYS_MS : []), undefined]) {
      try {
        const response = await this.client.request(route, withOwnRetryCount(params));
        this.operations.push({ kind: 'api', request, body, performed: true, status: response.status });
        return response.data as T;
      } catch (error) {
        if (delay === undefined || !isStatus(error, 404)) {
          this.operations.push({ kind: 'api', request, body, performed: true, status: (error as GitHubRequestError).status });
          throw error;
        }
        await sleep(delay);
      }
    }
    throw new Error('unreachable');
  }

  /** Logs a git operation: made, or only planned when it would change the remote in a dry run. */
  public logGit(request: string, options: { readOnly?: boolean } = {}): void {
    this.operations.push({ kind: 'git', request, performed: options.readOnly === true || !this.dryRun });
  }

  /** `PUT /repos/acme/sales-data/topics`: the method and the path, without the API root. */
  public describe(route: string, params: Record<string, unknown>): string {
    const { method, url } = this.client.request.endpoint(route, params);
    const { pathname, search } = new URL(url);
    const root = new URL(this.client.request.endpoint.DEFAULTS.baseUrl).pathname.replace(/\/$/, '');
    return `${method} ${pathname.slice(root.length)}${search}`;
  }
}

/**
 * The request's parameters with a `request` options object of its own. The retry and throttling
 * plugins count retries in `options.request`, which Octokit otherwise shares between all requests
 * (octokit/plugin-throttling.js#442): the count would carry over, and each later retry would wait
 * longer (the backoff grows with the square of the count).
 */
export function withOwnRetryCount(params: Record<string, unknown>): Record<string, unknown> {
  return { ...params, request: {} };
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
