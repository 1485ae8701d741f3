import { ChildProcess, spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { throwawayCertificates, ThrowawayCertificates } from './registry-stand-in';

// The server runs in a process of its own: code under test that reads an address synchronously
// (a projen synth) blocks this process's event loop while it waits for the answer.
const SERVER_SCRIPT = `
const https = require('https');
const files = JSON.parse(process.env.FILES);
const server = https.createServer({ cert: process.env.CERT, key: process.env.KEY }, (request, response) => {
  const body = files[request.url];
  if (body === undefined) return response.writeHead(404, 'Not Found').end();
  if (body.startsWith('redirect:')) return response.writeHead(302, { location: body.slice(9) }).end();
  response.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/** A static HTTPS server on 127.0.0.1, in a child process, with a certificate of a throwaway authority. */
export interface HttpsFileServer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly certificates: ThrowawayCertificates;
  close(): void;
}

/**
 * Serves `files` (by path, e.g. `/catalog.json`; a value `redirect:<url>` answers 302 to it) over
 * HTTPS. Only a client that trusts `certificates.caFile` (NODE_EXTRA_CA_CERTS) reaches it; the
 * server stops when the test process ends or `close()` is called.
 */
export async function startHttpsFileServer(files: Record<string, string>): Promise<HttpsFileServer> {
  const certificates = await throwawayCertificates(path.join(os.tmpdir(), `https-file-server-${process.pid}-${Date.now()}`));
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SCRIPT], {
    env: { ...process.env, FILES: JSON.stringify(files), CERT: certificates.chain, KEY: certificates.key },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the HTTPS file server exited (${code})`)));
  });
  return { url: `https://127.0.0.1:${port}`, certificates, close: () => child.kill() };
}
