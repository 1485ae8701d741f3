import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { serveGitHttpBackend } from './git-http-backend';
import { Answer, errorAnswer, GitHubModel, OPERATION_PERMISSIONS, OrganizationSetup } from './github-model';
import { GitHubOpenApi } from './github-openapi';

/**
 * What can go wrong on the way to GitHub: a 5xx, a connection reset, a secondary rate limit
 * (403 with `Retry-After`), or a 429 with `Retry-After`.
 */
export type Fault = 'server-error' | 'connection-reset' | 'secondary-rate-limit' | 'too-many-requests';

/** A fault to inject into the next requests of a route. */
export interface FaultInjection {
  /** `PUT /repos/{owner}/{repo}/topics` (the OpenAPI route), or `git git-receive-pack` / `git git-upload-pack`. */
  readonly route: string;
  readonly fault: Fault;
  /** How many requests of the route get it. @default 1 */
  readonly times?: number;
  /** Carry the request out, then fail the answer (the client cannot know it was done). @default false */
  readonly afterHandling?: boolean;
}

/** A token the stand-in accepts. */
export interface TokenSetup {
  /** The user it belongs to. */
  readonly login: string;
  /**
   * Its fine-grained permissions, e.g. `administration=write` (write includes read).
   *
   * @default - every permission
   */
  readonly permissions?: string[];
  /**
   * The repositories (`owner/name`) it reaches, as a GitHub App installation token limited to
   * chosen repositories: any other answers 404, as GitHub does.
   *
   * @default - every repository its user reaches
   */
  readonly repositories?: string[];
}

/** The accounts and tokens of a stand-in. */
export interface GitHubServerOptions {
  readonly users: string[];
  readonly organizations: OrganizationSetup[];
  /** Token → owner and permissions. */
  readonly tokens: Record<string, TokenSetup>;
}

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly kind: 'api' | 'git';
  readonly method: string;
  /** The OpenAPI route (`PUT /repos/{owner}/{repo}/topics`), or `git <service>`; set once the route is known. */
  route: string;
  /** The path and query as sent. */
  readonly url: string;
  /** What was answered (0: the connection was reset). */
  status: number;
  /** When it arrived (milliseconds since the epoch). */
  readonly at: number;
  /** The fault injected, if any. */
  fault?: Fault;
}

/** Request counts, for the report and the assertions. */
export interface RequestCounts {
  /** API requests. */
  readonly total: number;
  /** API requests that create or change content: POST, PUT, PATCH, DELETE. */
  readonly contentCreating: number;
  /** Git smart-HTTP requests. */
  readonly git: number;
}

const GIT_PATH = /^\/([^/]+)\/([^/]+)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;
const SECONDARY_LIMIT = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

/**
 * A local stand-in for GitHub for tests: a node HTTP server on 127.0.0.1 that checks every API
 * request against GitHub's official OpenAPI description (a violation is recorded and answered
 * with 404 or 422 as GitHub would), answers the operations a domain repository's setup uses from
 * a {@link GitHubModel}, serves git over smart HTTP through the real `git http-backend` with the
 * token checked, injects faults, and counts requests.
 */
export class GitHubServer {
  /** Starts a stand-in on a free port. */
  public static async start(options: GitHubServerOptions): Promise<GitHubServer> {
    const server = new GitHubServer(GitHubOpenApi.acquire(), options);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    server.url = `http://127.0.0.1:${(server.http.address() as AddressInfo).port}`;
    server.model = new GitHubModel(server.url, fs.mkdtempSync(path.join(os.tmpdir(), 'github-stand-in-')), options.users, options.organizations);
    return server;
  }

  /** The root URL of the API and of git (`GITHUB_API_URL`). */
  public url = '';
  /** The state: repositories, teams, custom properties. */
  public model!: GitHubModel;
  /** Every request that GitHub's OpenAPI description does not allow, or that the stand-in does not model. */
  public readonly violations: string[] = [];
  /** Every request received, in order. */
  public readonly requests: RecordedRequest[] = [];
  private readonly http: http.Server;
  private readonly faults: Array<FaultInjection & { left: number }> = [];

  private constructor(
    private readonly openApi: GitHubOpenApi,
    private readonly options: GitHubServerOptions,
  ) {
    this.http = http.createServer((request, response) => {
      this.route(request, response).catch((error: Error) => {
        this.violations.push(`stand-in failure on ${request.method} ${request.url}: ${error.stack}`);
        if (!response.headersSent) {
          response.writeHead(500).end();
        }
      });
    });
  }

  /** Accepts one more token from now on: one a simulated job mints, as an app installation token. */
  public addToken(token: string, setup: TokenSetup): void {
    this.options.tokens[token] = setup;
  }

  /** Makes the next `times` requests of a route fail with `fault`. */
  public inject(injection: FaultInjection): void {
    this.faults.push({ ...injection, left: injection.times ?? 1 });
  }

  /** The faults injected that no request has met yet. */
  public get pendingFaults(): FaultInjection[] {
    return this.faults.filter((fault) => fault.left > 0);
  }

  /** The requests received since the last {@link resetCounts}. */
  public counts(): RequestCounts {
    const api = this.requests.filter((request) => request.kind === 'api');
    return {
      total: api.length,
      contentCreating: api.filter((request) => request.method !== 'GET' && request.method !== 'HEAD').length,
      git: this.requests.length - api.length,
    };
  }

  /** Starts counting anew (the violations are kept). */
  public resetCounts(): void {
    this.requests.length = 0;
  }

  /** Stops the server and removes its repositories. */
  public async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise((resolve) => this.http.close(resolve));
    fs.rmSync(this.model.gitRoot, { recursive: true, force: true });
    await GitHubOpenApi.release();
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const git = GIT_PATH.exec(url.pathname);
    if (git) {
      return this.serveGit(request, response, url, git[1], git[2]);
    }
    return this.serveApi(request, response, url);
  }

  private async serveApi(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<void> {
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const record: RecordedRequest = { kind: 'api', method, route: `${method} ${url.pathname}`, url: `${url.pathname}${url.search}`, status: 0, at: Date.now() };
    this.requests.push(record);
    const send = (answer: Answer) => {
      record.status = answer.status;
      const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
      response.writeHead(answer.status, {
        ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        'x-github-media-type': 'github.v3; format=json',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        ...answer.headers,
      });
      response.end(body);
    };

    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        this.violations.push(`${method} ${url.pathname}: the body is not JSON`);
        return send(errorAnswer(400, 'Problems parsing JSON'));
      }
    }
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of url.searchParams) {
      const previous = query[name];
      query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
    const headers = request.headers as Record<string, string | string[]>;
    const checked = await this.openApi.check({ method, path: url.pathname, query, headers, body });
    this.violations.push(...checked.violations);
    if (!checked.operationId || !checked.route) {
      return send(errorAnswer(404, 'Not Found'));
    }
    record.route = checked.route;
    if (checked.violations.length > 0) {
      return send(errorAnswer(422, 'Invalid request.', { errors: checked.violations }));
    }

    const token = this.authenticate(request.headers.authorization);
    if (!token) {
      return send(errorAnswer(401, 'Bad credentials'));
    }
    if (checked.params.owner && checked.params.repo && !reaches(token, checked.params.owner, checked.params.repo)) {
      return send(errorAnswer(404, 'Not Found'));
    }
    const needed = OPERATION_PERMISSIONS[checked.operationId];
    if (needed && !grants(token, needed)) {
      return send({ ...errorAnswer(403, 'Resource not accessible by personal access token'), headers: { 'x-accepted-github-permissions': needed } });
    }

    const fault = this.takeFault(checked.route);
    if (fault && !fault.afterHandling) {
      return this.fail(fault.fault, record, request, send);
    }
    const answer = await this.model.answer(checked.operationId, {
      params: checked.params,
      query,
      headers: request.headers,
      body: (body ?? {}) as Record<string, unknown>,
      login: token.login,
    });
    if (!answer) {
      this.violations.push(`${checked.route}: the stand-in does not model ${checked.operationId}`);
      return send(errorAnswer(501, `${checked.operationId} is not modelled`));
    }
    if (fault) {
      return this.fail(fault.fault, record, request, send);
    }
    return send(answer);
  }

  private async serveGit(request: http.IncomingMessage, response: http.ServerResponse, url: URL, owner: string, name: string): Promise<void> {
    const service = url.pathname.endsWith('/info/refs') ? url.searchParams.get('service') ?? 'dumb' : url.pathname.split('/').pop()!;
    const record: RecordedRequest = {
      kind: 'git',
      method: request.method ?? 'GET',
      route: `git ${service}`,
      url: `${url.pathname}${url.search}`,
      status: 0,
      at: Date.now(),
    };
    this.requests.push(record);
    const answer = (status: number, text: string, headers: Record<string, string> = {}) => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
    };
    const token = this.authenticate(request.headers.authorization);
    if (!token) {
      return answer(401, 'Authentication required', { 'www-authenticate': 'Basic realm="GitHub"' });
    }
    const repository = this.model.visible(owner, name);
    if (!repository || !reaches(token, owner, name)) {
      return answer(404, 'Repository not found.');
    }
    if (!grants(token, service === 'git-receive-pack' ? 'contents=write' : 'contents=read')) {
      return answer(403, 'Permission denied');
    }
    if (repository.gitUnavailable) {
      return answer(503, 'Service Unavailable');
    }
    if (repository.archived && service === 'git-receive-pack') {
      return answer(403, 'This repository was archived so it is read-only.');
    }
    const fault = this.takeFault(record.route);
    if (fault) {
      return this.fail(fault.fault, record, request, ({ status, body }) => answer(status, JSON.stringify(body)));
    }
    if (service === 'git-receive-pack') {
      await this.model.branches(repository);
      response.on('finish', () => void this.model.branches(repository));
    }
    response.on('finish', () => (record.status = response.statusCode));
    serveGitHttpBackend(request, response, {
      projectRoot: this.model.gitRoot,
      pathInfo: `/${repository.owner.login}/${repository.name}.git${url.pathname.slice(url.pathname.indexOf('.git/') + 4)}`,
      remoteUser: token.login,
    });
  }

  /** The token of an `Authorization` header: `token X`, `Bearer X`, or Basic with it as user or password. */
  private authenticate(header: string | undefined): TokenSetup | undefined {
    const [scheme, credentials] = (header ?? '').split(' ');
    let candidates = [credentials];
    if (scheme?.toLowerCase() === 'basic') {
      candidates = Buffer.from(credentials ?? '', 'base64').toString('utf8').split(':');
    } else if (!['token', 'bearer'].includes(scheme?.toLowerCase() ?? '')) {
      return undefined;
    }
    return candidates.map((candidate) => this.options.tokens[candidate ?? '']).find(Boolean);
  }

  private takeFault(route: string): FaultInjection | undefined {
    const fault = this.faults.find((candidate) => candidate.route === route && candidate.left > 0);
    if (fault) {
      fault.left--;
    }
    return fault;
  }

  private fail(fault: Fault, record: RecordedRequest, request: http.IncomingMessage, send: (answer: Answer) => void): void {
    record.fault = fault;
    switch (fault) {
      case 'connection-reset':
        request.socket.destroy();
        return;
      case 'server-error':
        return send(errorAnswer(502, 'Server Error'));
      case 'secondary-rate-limit':
        return send({ ...errorAnswer(403, SECONDARY_LIMIT), headers: { 'retry-after': '1' } });
      case 'too-many-requests':
        return send({ ...errorAnswer(429, SECONDARY_LIMIT), headers: { 'retry-after': '1' } });
    }
  }
}

/** Whether a token reaches a repository (an installation token limited to some reaches only those). */
function reaches(token: TokenSetup, owner: string, name: string): boolean {
  return !token.repositories || token.repositories.some((full) => full.toLowerCase() === `${owner}/${name}`.toLowerCase());
}

/** Whether a token has a permission; write includes read. */
function grants(token: TokenSetup, needed: string): boolean {
  // Every fine-grained token can read metadata.
  if (!token.permissions || needed === 'metadata=read') {
    return true;
  }
  const [scope, level] = needed.split('=');
  return token.permissions.includes(needed) || (level === 'read' && token.permissions.includes(`${scope}=write`));
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
