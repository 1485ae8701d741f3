import { CommandFailedError, CommandOutputTooLargeError, CommandTimedOutError, execSync } from './exec';

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

// Run by a child Node.js: it fetches the address and prints the body, or prints why not on
// standard error and exits 1. Certificates are checked as Node checks them (NODE_EXTRA_CA_CERTS
// adds a company's authority); a redirect must stay on HTTPS.
const FETCH_SCRIPT = `
const https = require('https');
const [url, maxBytes, redirects] = process.argv.slice(1);
const fail = (reason) => { process.stderr.write(reason + '\\n'); process.exit(1); };
function get(address, left) {
  const request = https.get(address, { headers: { accept: 'application/json' } }, (response) => {
    const status = response.statusCode;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      const next = new URL(response.headers.location, address);
      if (next.protocol !== 'https:') fail('redirects to ' + next.href + ', which is not HTTPS');
      if (left === 0) fail('redirects more than ${MAX_REDIRECTS} times');
      return get(next.href, left - 1);
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
    response.on('error', (error) => fail('broke off (' + (error.code || error.message) + ')'));
  });
  request.on('error', (error) => fail('could not be reached (' + (error.code || error.message) + ')'));
}
get(url, Number(redirects));
`;

/**
 * The body of an HTTPS address, read while the caller waits (a projen synth cannot await): a
 * child Node.js fetches it, within {@link HTTPS_GET_TIMEOUT_MS} and `maxBytes`. Anything but a
 * 200 answer is an {@link HttpsGetError} that says what happened.
 */
export function httpsGetSync(url: string, maxBytes: number, timeoutMs = HTTPS_GET_TIMEOUT_MS): Buffer {
  if (!/^https:\/\//.test(url)) {
    throw new HttpsGetError(url, 'is not an HTTPS address');
  }
  try {
    // Room for the body, and for a body just over the limit to be said as such by the script.
    return execSync(process.execPath, ['-e', FETCH_SCRIPT, url, String(maxBytes), String(MAX_REDIRECTS)], { timeoutMs, maxOutputBytes: maxBytes + 1 });
  } catch (error) {
    if (error instanceof CommandTimedOutError) {
      throw new HttpsGetError(url, `did not answer within ${Math.round(timeoutMs / 1000)} s`);
    }
    if (error instanceof CommandOutputTooLargeError) {
      throw new HttpsGetError(url, `answered more than ${maxBytes} bytes`);
    }
    if (error instanceof CommandFailedError) {
      throw new HttpsGetError(url, error.output.trim().split('\n').pop() ?? 'could not be read');
    }
    throw error;
  }
}
