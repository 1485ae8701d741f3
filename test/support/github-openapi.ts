import * as path from 'path';
import { Worker } from 'worker_threads';

/** GitHub's official OpenAPI description of api.github.com, with every `$ref` resolved. */
export const GITHUB_OPENAPI = path.join(path.dirname(require.resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.deref.json');

/** A request as the stand-in received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  readonly headers: Record<string, string | string[]>;
  readonly body?: unknown;
}

/** What GitHub's description says about a request. */
export interface CheckedRequest {
  /** The operation (e.g. `repos/get`), when the description has the route. */
  readonly operationId?: string;
  /** `GET /repos/{owner}/{repo}`: the method and the path template. */
  readonly route?: string;
  /** The path parameters. */
  readonly params: Record<string, string>;
  /** Everything in the request the description does not allow; empty for a valid request. */
  readonly violations: string[];
}

interface Schema {
  readonly type?: string;
  readonly properties?: Record<string, Schema>;
  readonly additionalProperties?: boolean | Schema;
  readonly items?: Schema;
  readonly allOf?: Schema[];
  readonly anyOf?: Schema[];
  readonly oneOf?: Schema[];
}

/** What the worker answers for a request (see github-openapi-worker.js). */
interface WorkerResult {
  readonly operationId?: string;
  readonly route?: string;
  readonly params?: Record<string, string>;
  readonly errors?: Array<{ instancePath: string; message?: string }>;
  readonly bodyRequired?: boolean;
  readonly documentedQuery?: string[];
  readonly bodySchema?: Schema;
}

/**
 * GitHub's description, routed and validated by openapi-backend (with ajv) in a worker thread,
 * loaded once for all the stand-ins of a test file (it is 70 MB).
 */
export class GitHubOpenApi {
  /** The checker, started on first use; {@link release} it once per {@link acquire}. */
  public static acquire(): GitHubOpenApi {
    GitHubOpenApi.users++;
    GitHubOpenApi.shared ??= new GitHubOpenApi();
    return GitHubOpenApi.shared;
  }

  /** Stops the worker when no stand-in uses it any more. */
  public static async release(): Promise<void> {
    GitHubOpenApi.users--;
    if (GitHubOpenApi.users === 0 && GitHubOpenApi.shared) {
      const { worker } = GitHubOpenApi.shared;
      GitHubOpenApi.shared = undefined;
      await worker.terminate();
    }
  }

  private static shared?: GitHubOpenApi;
  private static users = 0;

  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (result: WorkerResult) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  private constructor() {
    this.worker = new Worker(path.join(__dirname, 'github-openapi-worker.js'), { workerData: { definition: GITHUB_OPENAPI } });
    this.worker.on('message', ({ id, result, error }: { id: number; result?: WorkerResult; error?: string }) => {
      const call = this.pending.get(id);
      this.pending.delete(id);
      if (error) {
        call?.reject(new Error(error));
      } else {
        call?.resolve(result!);
      }
    });
  }

  /**
   * Checks a request against GitHub's description: the route must exist, and the path, query,
   * headers and body must validate against the operation's schemas. Stricter than GitHub itself
   * in one way that matters for tests: a query parameter or body field the description does not
   * document is a violation (GitHub would silently ignore a misspelt setting).
   */
  public async check(request: ReceivedRequest): Promise<CheckedRequest> {
    const id = this.nextId++;
    const result = await new Promise<WorkerResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request });
    });
    if (!result.operationId || !result.route) {
      return { params: {}, violations: [`${request.method} ${request.path}: no such operation in GitHub's REST API`] };
    }
    const route = result.route;
    const violations = (result.errors ?? [])
      // A request without a body is validated as `{}`; a body that is not required may be absent.
      .filter((error) => !(request.body === undefined && error.instancePath.startsWith('/requestBody') && !result.bodyRequired))
      .map((error) => `${route}: ${error.instancePath} ${error.message}`);
    for (const name of Object.keys(request.query)) {
      if (!result.documentedQuery?.includes(name)) {
        violations.push(`${route}: query parameter "${name}" is not documented`);
      }
    }
    if (request.body !== undefined && result.bodySchema) {
      violations.push(...undocumentedFields(result.bodySchema, request.body, 'body').map((field) => `${route}: ${field} is not documented`));
    }
    return { operationId: result.operationId, route, params: result.params ?? {}, violations };
  }
}

/** The fields of `value` that its schema does not name (and does not allow as additional properties). */
function undocumentedFields(schema: Schema, value: unknown, at: string): string[] {
  if (value === null || typeof value !== 'object') {
    return [];
  }
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((item, index) => undocumentedFields(schema.items!, item, `${at}[${index}]`)) : [];
  }
  const variants = [schema, ...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  const properties: Record<string, Schema> = Object.assign({}, ...variants.map((variant) => variant.properties ?? {}));
  const open = variants.some((variant) => variant.additionalProperties !== undefined && variant.additionalProperties !== false);
  if (open || Object.keys(properties).length === 0) {
    return [];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([name, field]) =>
    properties[name] ? undocumentedFields(properties[name], field, `${at}.${name}`) : [`${at}.${name}`],
  );
}
