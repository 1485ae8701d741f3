import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { endToEndWork } from './end-to-end';
import { exec } from '../../src/util/exec';

/** A certificate authority made for one test, and a server certificate for 127.0.0.1 it signed. */
export interface ThrowawayCertificates {
  /** The authority's certificate (PEM): the file a `cafile` or `NODE_EXTRA_CA_CERTS` names. */
  readonly caFile: string;
  /** The server's certificate followed by the authority's, as a TLS-intercepting proxy sends them. */
  readonly chain: string;
  readonly key: string;
}

/**
 * Makes a certificate authority that nothing on this machine trusts, and a certificate for
 * 127.0.0.1 signed by it, with the `openssl` command, in `dir`.
 */
export async function throwawayCertificates(dir: string): Promise<ThrowawayCertificates> {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (...args: string[]) => exec('openssl', args, { cwd: dir });
  await openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=sdlf-mesh throwaway test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(file('server.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n');
  await openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext'));
  return {
    caFile: file('ca.pem'),
    chain: fs.readFileSync(file('server.pem'), 'utf8') + fs.readFileSync(file('ca.pem'), 'utf8'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
  };
}

/** How the stand-in runs. */
export interface RegistryStandInOptions {
  /** The registry it forwards to (the one this machine's npm is configured for). */
  readonly upstream: string;
  /** Certificate authorities to trust for the upstream registry (PEM), besides Node's. */
  readonly upstreamCa?: string;
  readonly certificates: ThrowawayCertificates;
  /** The token a request must carry (`Authorization: Bearer <token>`), as a private registry's. */
  readonly token?: string;
  /** Requests it answers at most; any more get 503. @default 1000 */
  readonly maxRequests?: number;
  /** It stops by itself after this long. @default 5 minutes */
  readonly lifetimeMs?: number;
}

/** A request the stand-in answered. */
export interface RegistryRequest {
  readonly path: string;
  readonly status: number;
}

/**
 * A company registry on 127.0.0.1 over HTTPS, with a certificate signed by a throwaway authority:
 * only an npm configured with that authority reaches it. It answers GET requests by forwarding
 * them to the upstream registry, rewriting the tarball addresses of package documents to itself,
 * so tarballs come through it too. It counts every request, answers a bounded number and stops
 * by itself.
 */
export class RegistryStandIn {
  public static async start(options: RegistryStandInOptions): Promise<RegistryStandIn> {
    const standIn = new RegistryStandIn(options);
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    standIn.stopTimer = setTimeout(() => void standIn.close(), options.lifetimeMs ?? 5 * 60_000);
    standIn.stopTimer.unref();
    return standIn;
  }

  /** Every request answered, in order. */
  public readonly requests: RegistryRequest[] = [];

  private readonly server: https.Server;
  private readonly upstream: string;
  private stopTimer?: NodeJS.Timeout;

  private constructor(private readonly options: RegistryStandInOptions) {
    this.upstream = options.upstream.endsWith('/') ? options.upstream : `${options.upstream}/`;
    this.server = https.createServer({ cert: options.certificates.chain, key: options.certificates.key }, (request, response) => {
      this.answer(request, response).catch((error) => {
        this.record(request, 502);
        response.writeHead(502).end(String(error));
      });
    });
  }

  /** The registry's URL, as npm's `registry` setting takes it. */
  public get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** The npm configuration line that gives the token to this registry. */
  public get tokenLine(): string {
    return `${this.url.replace(/^https:/, '')}:_authToken=${this.options.token}`;
  }

  /** The requests for one package's document or tarballs (`name` and `name/-/...`). */
  public requestsFor(name: string): RegistryRequest[] {
    return this.requests.filter((request) => request.path === `/${name}` || request.path.startsWith(`/${name}/-/`));
  }

  public async close(): Promise<void> {
    clearTimeout(this.stopTimer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(request: http.IncomingMessage, status: number): void {
    this.requests.push({ path: decodeURIComponent(new URL(request.url ?? '/', this.url).pathname), status });
  }

  private async answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    let status: number | undefined;
    if (this.requests.length >= (this.options.maxRequests ?? 1000)) {
      status = 503;
    } else if (request.method !== 'GET') {
      status = 405;
    } else if (this.options.token && request.headers.authorization !== `Bearer ${this.options.token}`) {
      status = 401;
    }
    if (status !== undefined) {
      this.record(request, status);
      response.writeHead(status).end();
      return;
    }
    const upstream = await this.forward(new URL((request.url ?? '/').slice(1), this.upstream), request.headers.accept);
    this.record(request, upstream.status);
    const json = /json/.test(upstream.contentType ?? '');
    const body = json ? Buffer.from(upstream.body.toString('utf8').split(this.upstream).join(this.url)) : upstream.body;
    response.writeHead(upstream.status, { 'Content-Type': upstream.contentType ?? 'application/octet-stream', 'Content-Length': body.length }).end(body);
  }

  private forward(url: URL, accept?: string): Promise<{ status: number; contentType?: string; body: Buffer }> {
    const client = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const outgoing = client.get(url, { headers: { 'accept': accept ?? '*/*', 'accept-encoding': 'identity' }, ca: this.options.upstreamCa, timeout: 60_000 }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 502, contentType: incoming.headers['content-type'], body: Buffer.concat(chunks) }));
        incoming.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${url} did not answer`)));
      outgoing.on('error', reject);
    });
  }
}

/**
 * The registry this machine's npm is configured for, and the certificate authorities it trusts
 * for it (its `cafile`), asked of npm as the tests' process runs it.
 */
export async function upstreamRegistry(): Promise<{ url: string; ca?: string }> {
  endToEndWork('Reaching the registry');
  const get = async (key: string) => (await exec('npm', ['config', 'get', key], { cwd: os.tmpdir() })).stdout.trim();
  const [url, cafile] = [await get('registry'), await get('cafile')];
  const ca = cafile && cafile !== 'null' && cafile !== 'undefined' && fs.existsSync(cafile) ? fs.readFileSync(cafile, 'utf8') : undefined;
  return { url, ca };
}
