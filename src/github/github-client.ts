import type { Octokit } from '@octokit/rest' with { 'resolution-mode': 'import' };
import { InvalidOptionError } from '../util/invalid-option-error';

/** The Octokit client every GitHub step uses: REST methods, retries and rate-limit handling. */
export type GitHubClient = Octokit;

/** How {@link createGitHubClient} connects. */
export interface GitHubClientOptions {
  /** The token, sent in the Authorization header only. */
  readonly token: string;
  /** The REST API root: `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  readonly apiUrl: string;
  /** Receives what the client has to say while it waits or retries (never the token). */
  readonly log?: (message: string) => void;
}

/** The public API when `GITHUB_API_URL` is not set. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * The REST API root: `GITHUB_API_URL` (as GitHub Actions sets it), else the public API. Refused
 * with the fix when it is not a URL.
 */
export function githubApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.GITHUB_API_URL?.trim() || DEFAULT_GITHUB_API_URL;
  if (!/^https?:\/\/[^/]+/.test(url)) {
    throw new InvalidOptionError('GITHUB_API_URL', `"${url}" is not a URL; set it to ${DEFAULT_GITHUB_API_URL} or https://<host>/api/v3 for GitHub Enterprise Server`);
  }
  return url;
}

/** How often a request is sent again after a rate limit, a 5xx or a broken connection. */
const RETRIES = 4;

/**
 * Creates the GitHub client, once per run: Octokit with the retry plugin (5xx and connection
 * resets, with backoff) and the throttling plugin (primary and secondary rate limits, waiting as
 * long as `Retry-After` says; content-creating requests are spaced out as GitHub asks).
 *
 * The Octokit packages are ES modules only while this package is CommonJS (projen `require()`s
 * it), so they are loaded here with a real dynamic `import()`, which `module: node16` keeps as it
 * is. Only the `sdlf-mesh` command reaches this module, never the jsii API.
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const [{ Octokit: RestOctokit }, { retry }, { throttling }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/plugin-retry'),
    import('@octokit/plugin-throttling'),
  ]);
  const log = options.log ?? (() => undefined);
  const retryOnLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _client: unknown, retryCount: number) => {
    if (retryCount >= RETRIES) {
      return false;
    }
    log(`GitHub's ${kind} was reached at ${request.method} ${request.url}: waiting ${retryAfter}s as it asks, then sending it again`);
    return true;
  };
  const Client = RestOctokit.plugin(retry, throttling);
  return new Client({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'sdlf-mesh',
    // 429 is left to the throttling plugin, which honours Retry-After; the retry plugin would
    // resend it after its own fixed backoff.
    retry: { retries: RETRIES, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: { onRateLimit: retryOnLimit('rate limit'), onSecondaryRateLimit: retryOnLimit('secondary rate limit') },
    // Octokit logs every error answer; the steps turn the ones that matter into their own message.
    log: { debug: () => undefined, info: () => undefined, warn: log, error: () => undefined },
  }) as unknown as GitHubClient;
}
