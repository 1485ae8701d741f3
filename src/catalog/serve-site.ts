import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';

/** How to serve a site. */
export interface ServeSiteOptions {
  /** The site's folder. */
  readonly dir: string;
  /** The port; 0 picks a free one. @default 8080 */
  readonly port?: number;
  /** The address to listen on. @default "127.0.0.1" (this machine only) */
  readonly host?: string;
}

/** A running site server. */
export interface SiteServer {
  /** The site's address, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  readonly server: http.Server;
  /** Stops the server. */
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves a static site folder over HTTP: GET and HEAD only, a folder's `index.html`, content
 * types by extension, 404 for anything missing or outside the folder (no `..`, no symbolic link
 * that leads out).
 */
export async function serveSite(options: ServeSiteOptions): Promise<SiteServer> {
  const root = fs.realpathSync(options.dir);
  const server = http.createServer((request, response) => {
    const send = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'Method not allowed\n', { allow: 'GET, HEAD' });
      return;
    }
    const file = resolveFile(root, request.url ?? '/');
    if (!file) {
      send(404, 'Not found\n');
      return;
    }
    const stat = fs.statSync(file);
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') {
      response.end();
    } else {
      fs.createReadStream(file).pipe(response);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    server,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** The file a request path names inside `root`, or undefined (missing, a folder without index, or outside). */
export function resolveFile(root: string, url: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://site').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) {
    return undefined;
  }
  let candidate = path.join(root, path.normalize(pathname));
  if (!inside(root, candidate) || !fs.existsSync(candidate)) {
    return undefined;
  }
  if (fs.statSync(candidate).isDirectory()) {
    candidate = path.join(candidate, 'index.html');
    if (!fs.existsSync(candidate)) {
      return undefined;
    }
  }
  const real = fs.realpathSync(candidate);
  return inside(root, real) && fs.statSync(real).isFile() ? real : undefined;
}

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}
