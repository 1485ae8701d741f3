/**
 * The fetch of an https address (the mesh index) through the proxy of a company's network:
 * `HTTPS_PROXY` tunnels it with CONNECT, `NO_PROXY` bypasses it, and a proxy that refuses is
 * named in the error.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HttpsGetError, httpsGetSync } from '../../src/util/https-get-sync';
import { HttpsProxyError, httpsProxyFor, noProxyExcludes } from '../../src/util/https-proxy';
import { HttpsFileServer, startHttpsFileServer } from '../support/https-file-server';

jest.setTimeout(60_000);

// A CONNECT proxy in a process of its own (the fetch blocks this one while it waits): it writes
// each CONNECT target and Proxy-Authorization header to the record file before it answers, then
// tunnels, or refuses with 403 when REFUSE is set.
const PROXY_SCRIPT = `
const fs = require('fs');
const http = require('http');
const net = require('net');
const proxy = http.createServer((request, response) => response.writeHead(405).end());
proxy.on('connect', (request, client, head) => {
  fs.appendFileSync(process.env.RECORD, JSON.stringify({ target: request.url, authorization: request.headers['proxy-authorization'] }) + '\\n');
  if (process.env.REFUSE) return client.end('HTTP/1.1 403 Forbidden\\r\\n\\r\\n');
  const [host, port] = [request.url.slice(0, request.url.lastIndexOf(':')), request.url.slice(request.url.lastIndexOf(':') + 1)];
  const upstream = net.connect(Number(port), host, () => {
    client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
    upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
proxy.listen(0, '127.0.0.1', () => process.stdout.write(proxy.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

interface ConnectProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The CONNECT requests it was sent, oldest first. */
  connects(): Array<{ target: string; authorization?: string }>;
  close(): void;
}

async function startConnectProxy(options: { refuse?: boolean } = {}): Promise<ConnectProxy> {
  const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'connect-proxy-')), 'connects.jsonl');
  fs.writeFileSync(record, '');
  const child: ChildProcess = spawn(process.execPath, ['-e', PROXY_SCRIPT], {
    env: { ...process.env, RECORD: record, ...(options.refuse ? { REFUSE: '1' } : {}) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the CONNECT proxy exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    connects: () => fs.readFileSync(record, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)),
    close: () => child.kill(),
  };
}

const BODY = '{"kind":"SdlfMeshIndex"}';

let server: HttpsFileServer;
let proxy: ConnectProxy;
let refusing: ConnectProxy;
const extraCa = process.env.NODE_EXTRA_CA_CERTS;

beforeAll(async () => {
  [server, proxy, refusing] = await Promise.all([startHttpsFileServer({ '/catalog.json': BODY, '/moved': 'redirect:/catalog.json' }), startConnectProxy(), startConnectProxy({ refuse: true })]);
  process.env.NODE_EXTRA_CA_CERTS = server.certificates.caFile;
});
afterAll(() => {
  [server, proxy, refusing].forEach((child) => child?.close());
  if (extraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = extraCa;
});

const target = () => server.url.replace('https://', '');
const fetch = (file: string, env: Record<string, string>) => httpsGetSync(`${server.url}${file}`, 1024 * 1024, { env }).toString('utf8');
const failure = (file: string, env: Record<string, string>): HttpsGetError => {
  try {
    fetch(file, env);
  } catch (error) {
    return error as HttpsGetError;
  }
  throw new Error('the fetch succeeded');
};

test('HTTPS_PROXY tunnels the fetch through the proxy with CONNECT, a redirect too', () => {
  const before = proxy.connects().length;
  expect(fetch('/catalog.json', { HTTPS_PROXY: proxy.url })).toBe(BODY);
  expect(fetch('/moved', { https_proxy: proxy.url })).toBe(BODY);
  expect(proxy.connects().slice(before)).toEqual([{ target: target() }, { target: target() }, { target: target() }]);
});

test('https_proxy comes before HTTPS_PROXY, and credentials in it are sent to the proxy, never named in a message', () => {
  const before = proxy.connects().length;
  expect(fetch('/catalog.json', { https_proxy: proxy.url, HTTPS_PROXY: refusing.url })).toBe(BODY);
  expect(proxy.connects().slice(before)).toEqual([{ target: target() }]);

  const withCredentials = refusing.url.replace('http://', 'http://alice:s%40cret@');
  const error = failure('/catalog.json', { HTTPS_PROXY: withCredentials });
  expect(refusing.connects().pop()).toEqual({ target: target(), authorization: `Basic ${Buffer.from('alice:s@cret').toString('base64')}` });
  expect(error.message).not.toMatch(/alice|cret/);
});

test('NO_PROXY bypasses the proxy for the hosts it names, and only those', () => {
  const before = proxy.connects().length;
  expect(fetch('/catalog.json', { HTTPS_PROXY: refusing.url, NO_PROXY: 'localhost, 127.0.0.1' })).toBe(BODY);
  expect(fetch('/catalog.json', { HTTPS_PROXY: refusing.url, no_proxy: '127.0.0.0/8' })).toBe(BODY);
  expect(fetch('/catalog.json', { HTTPS_PROXY: proxy.url, NO_PROXY: 'catalog.example.com,127.0.0.1:1' })).toBe(BODY);
  expect(proxy.connects().slice(before)).toEqual([{ target: target() }]);
});

test('a proxy that refuses, or that does not answer, is named in the error with what it did', () => {
  const url = `${server.url}/catalog.json`;
  const refused = failure('/catalog.json', { HTTPS_PROXY: refusing.url });
  expect(refused).toBeInstanceOf(HttpsGetError);
  expect(refused.message).toBe(`${url} could not be reached: the proxy ${refusing.url} answered 403 Forbidden to CONNECT ${target()}`);
  expect(failure('/catalog.json', { HTTPS_PROXY: 'http://127.0.0.1:1' }).message).toBe(`${url} could not be reached: the proxy http://127.0.0.1:1 could not be reached (ECONNREFUSED)`);
  expect(failure('/catalog.json', { HTTPS_PROXY: 'https://proxy.example.com:3128' }).message).toBe(
    `${url} could not be fetched: HTTPS_PROXY names a https proxy; only an HTTP proxy that tunnels with CONNECT is supported: give http://proxy.example.com:3128`,
  );
});

test('the proxy an address takes, as curl and npm read the environment', () => {
  const address = 'https://catalog.example.com/catalog.json';
  expect(httpsProxyFor(address, {})).toBeUndefined();
  expect(httpsProxyFor(address, { HTTPS_PROXY: '' })).toBeUndefined();
  expect(httpsProxyFor(address, { HTTPS_PROXY: 'proxy.corp:3128' })?.label).toBe('http://proxy.corp:3128');
  expect(httpsProxyFor(address, { HTTPS_PROXY: 'http://bob:pw@proxy.corp:3128' })).toMatchObject({ label: 'http://proxy.corp:3128' });
  // HTTP_PROXY is for http:// addresses only.
  expect(httpsProxyFor(address, { HTTP_PROXY: 'http://proxy.corp:3128' })).toBeUndefined();
  expect(() => httpsProxyFor(address, { HTTPS_PROXY: 'http://[oops' })).toThrow(HttpsProxyError);
});

test.each([
  ['*', 'catalog.example.com', 443, true],
  ['example.com', 'catalog.example.com', 443, true],
  ['.example.com', 'example.com', 443, true],
  ['*.example.com', 'catalog.example.com', 443, true],
  ['Example.COM', 'catalog.example.com', 443, true],
  ['example.com', 'badexample.com', 443, false],
  ['example.com:8443', 'catalog.example.com', 443, false],
  ['example.com:8443', 'catalog.example.com', 8443, true],
  ['10.0.0.0/8', '10.1.2.3', 443, true],
  ['10.0.0.0/8', '11.1.2.3', 443, false],
  ['10.0.0.0/8', 'catalog.example.com', 443, false],
  ['fd00::/8', '[fd12::1]', 443, true],
  ['[::1]:443', '[::1]', 443, true],
  ['::1', '[::1]', 443, true],
  ['127.0.0.1', '127.0.0.10', 443, false],
  ['', 'catalog.example.com', 443, false],
])('NO_PROXY %p excludes %s:%d: %p', (noProxy, host, port, excluded) => {
  expect(noProxyExcludes(noProxy, host, port)).toBe(excluded);
});
