import { CommandFailedError, CommandOutputTooLargeError, CommandTimedOutError, execSync } from './exec';
import { httpsProxyFor, HttpsProxyError, ProxyEnvironment } from './https-proxy';

/** How long a fetch may take before it is given up. */
export const HTTPS_GET_TIMEOUT_MS = 30_000;

/** Redirects followed at most (each to HTTPS only). */
const MAX_REDIRECTS = 5;

/** An address could not be read: what went wrong, as a person can act on it. */
export class HttpsGetError extends Error {
  constructor(
    public readonly url: string,
    /** Why, e.g. `answered 404 Not Found` or `could not connect (ECONNREFUSED)`. */
    public readonly reason: string,
  ) {
    super(`${url} ${reason}`);
    this.name = 'HttpsGetError';
  }
}

/** Exit code of the script for a redirect: the address it points to is on standard error. */
const REDIRECT_EXIT_CODE = 3;

/** The variable the proxy is given to the script in: credentials stay off its command line. */
const PROXY_VARIABLE = 'SDLF_MESH_FETCH_PROXY';

// Run by a child Node.js for one address: it prints the body, or exits 3 with the address a
// redirect points to on standard error (the caller decides about it, and about its proxy), or
// prints why not on standard error and exits 1. Certificates are checked as Node checks them
// (NODE_EXTRA_CA_CERTS adds a company's authority). Given a proxy, it asks it for a tunnel
// (CONNECT host:port) and speaks TLS to the address through it, as curl does.
const FETCH_SCRIPT = `
const http = require('http');
const https = require('https');
const net = require('net');
const tls = require('tls');
const [url, maxBytes, proxyLabel] = process.argv.slice(1);
const proxy = process.env.${PROXY_VARIABLE};
const fail = (reason) => { process.stderr.write(reason + '\\n'); process.exit(1); };
const through = proxy ? ' through the proxy ' + proxyLabel : '';
function get(connection) {
  const options = { headers: { accept: 'application/json' }, ...(connection ? { createConnection: connection } : {}) };
  const request = https.get(url, options, (response) => {
    const status = response.statusCode;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      process.stderr.write(response.headers.location + '\\n');
      process.exit(${REDIRECT_EXIT_CODE});
    }
    if (status !== 200) fail('answered ' + status + ' ' + (response.statusMessage || ''));
    let length = 0;
    const chunks = [];
    response.on('data', (chunk) => {
      length += chunk.length;
      if (length > Number(maxBytes)) fail('answered more than ' + maxBytes + ' bytes');
      chunks.push(chunk);
    });
    response.on('end', () => process.stdout.write(Buffer.concat(chunks)));
    response.on('error', (error) => fail('broke off' + through + ' (' + (error.code || error.message) + ')'));
  });
  request.on('error', (error) => fail('could not be reached' + through + ' (' + (error.code || error.message) + ')'));
}
if (!proxy) {
  get();
} else {
  const target = new URL(url);
  const hostname = target.hostname.replace(/^\\[(.*)\\]$/, '$1');
  const authority = target.port ? target.host : target.host + ':443';
  const via = new URL(proxy);
  const headers = { host: authority };
  if (via.username) {
    headers['proxy-authorization'] = 'Basic ' + Buffer.from(decodeURIComponent(via.username) + ':' + decodeURIComponent(via.password)).toString('base64');
  }
  const connect = http.request({ host: via.hostname.replace(/^\\[(.*)\\]$/, '$1'), port: via.port || 80, method: 'CONNECT', path: authority, headers });
  const refused = (response) => fail('could not be reached: the proxy ' + proxyLabel + ' answered ' + response.statusCode + ' ' + (response.statusMessage || '') + ' to CONNECT ' + authority);
  connect.on('connect', (response, socket) => {
    if (response.statusCode !== 200) return refused(response);
    // SNI names a host, never an IP address.
    get(() => tls.connect({ socket, host: hostname, ...(net.isIP(hostname) ? {} : { servername: hostname }) }));
  });
  connect.on('response', refused);
  connect.on('error', (error) => fail('could not be reached: the proxy ' + proxyLabel + ' could not be reached (' + (error.code || error.message) + ')'));
  connect.end();
}
`;

/** How to fetch an address. */
export interface HttpsGetOptions {
  /** How long the fetch may take, redirects included. @default HTTPS_GET_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Where the proxy is read from (`HTTPS_PROXY`, `NO_PROXY`, see {@link httpsProxyFor}). @default process.env */
  readonly env?: ProxyEnvironment;
}

/**
 * The body of an HTTPS address, read while the caller waits (a projen synth cannot await): a
 * child Node.js fetches it, within {@link HTTPS_GET_TIMEOUT_MS} and `maxBytes`, through the proxy
 * `HTTPS_PROXY` names unless `NO_PROXY` excludes the host (each redirect's host is looked at
 * anew). Anything but a 200 answer is an {@link HttpsGetError} that says what happened, and names
 * the proxy when there was one.
 */
export function httpsGetSync(url: string, maxBytes: number, options: HttpsGetOptions = {}): Buffer {
  const timeoutMs = options.timeoutMs ?? HTTPS_GET_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let address = url;
  for (let redirects = 0; ; redirects++) {
    if (!/^https:\/\//i.test(address)) {
      throw new HttpsGetError(url, address === url ? 'is not an HTTPS address' : `redirects to ${address}, which is not HTTPS`);
    }
    const next = fetchOnce(url, address, maxBytes, Math.max(1, deadline - Date.now()), timeoutMs, options.env ?? process.env);
    if (Buffer.isBuffer(next)) {
      return next;
    }
    if (redirects === MAX_REDIRECTS) {
      throw new HttpsGetError(url, `redirects more than ${MAX_REDIRECTS} times`);
    }
    address = next;
  }
}

/** One address fetched: its body, or the address its redirect points to (absolute). */
function fetchOnce(url: string, address: string, maxBytes: number, leftMs: number, timeoutMs: number, env: ProxyEnvironment): Buffer | string {
  let proxy;
  try {
    proxy = httpsProxyFor(address, env);
  } catch (error) {
    if (error instanceof HttpsProxyError) {
      throw new HttpsGetError(url, `could not be fetched: ${error.message}`);
    }
    throw error;
  }
  const args = ['-e', FETCH_SCRIPT, address, String(maxBytes), ...(proxy ? [proxy.label] : [])];
  try {
    // Room for the body, and for a body just over the limit to be said as such by the script.
    return execSync(process.execPath, args, { timeoutMs: leftMs, maxOutputBytes: maxBytes + 1, env: { [PROXY_VARIABLE]: proxy?.url.href } });
  } catch (error) {
    const through = proxy ? ` through the proxy ${proxy.label}` : '';
    if (error instanceof CommandTimedOutError) {
      throw new HttpsGetError(url, `did not answer within ${Math.round(timeoutMs / 1000)} s${through}`);
    }
    if (error instanceof CommandOutputTooLargeError) {
      throw new HttpsGetError(url, `answered more than ${maxBytes} bytes`);
    }
    if (error instanceof CommandFailedError) {
      const last = error.output.trim().split('\n').pop();
      if (error.exitCode === REDIRECT_EXIT_CODE && last) {
        return new URL(last, address).href;
      }
      throw new HttpsGetError(url, last ?? 'could not be read');
    }
    throw error;
  }
}
