import { execFileSync, spawn } from 'child_process';
import * as http from 'http';
import * as path from 'path';

/** Git's own smart-HTTP server program, a CGI script. */
export const GIT_HTTP_BACKEND = path.join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');

/** What {@link serveGitHttpBackend} serves. */
export interface GitHttpBackendOptions {
  /** The folder of the bare repositories (`<owner>/<name>.git`). */
  readonly projectRoot: string;
  /** The path within it, e.g. `/acme/sales.git/info/refs`. */
  readonly pathInfo: string;
  /** Who authenticated; git http-backend accepts pushes only when it is set. */
  readonly remoteUser: string;
}

/**
 * Answers a git smart-HTTP request (`info/refs`, `git-upload-pack`, `git-receive-pack`) by
 * running the real `git http-backend` as a CGI program: the request body goes to its input, and
 * its output is a CGI response (headers, a blank line, the body) turned into the HTTP answer.
 */
export function serveGitHttpBackend(request: http.IncomingMessage, response: http.ServerResponse, options: GitHttpBackendOptions): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: options.pathInfo,
    REQUEST_METHOD: request.method ?? 'GET',
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_USER: options.remoteUser,
    REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
  };
  const optional: Array<[string, string | undefined]> = [
    ['CONTENT_TYPE', header('content-type')],
    ['CONTENT_LENGTH', header('content-length')],
    ['HTTP_CONTENT_ENCODING', header('content-encoding')],
    ['GIT_PROTOCOL', header('git-protocol')],
  ];
  for (const [name, value] of optional) {
    if (value !== undefined) {
      env[name] = value;
    }
  }
  const child = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  request.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));

  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      response.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      return;
    }
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        status = parseInt(value, 10);
      } else {
        headers[name] = value;
      }
    }
    response.writeHead(status, headers);
    headersSent = true;
    response.write(head.subarray(end + 4));
  });
  child.on('close', (code) => {
    if (!headersSent) {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`git http-backend exited with ${code}: ${stderr}`);
      return;
    }
    response.end();
  });
}
