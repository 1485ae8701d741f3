import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { compareKeys, LocalObjectStore, StoredObject, UnstorableKeyError } from './local-object-store';

/** The most keys ListObjectsV2 returns in one page, as S3. */
const MAX_KEYS = 1000;

/** The query parameters the SDK adds to an object request without changing what it asks (`x-id=GetObject`). */
const OBJECT_QUERY = new Set(['x-id']);

/** The query parameters of ListObjectsV2 the server understands. */
const LIST_QUERY = new Set(['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after', 'encoding-type', 'fetch-owner', 'x-id']);

/**
 * An S3-compatible server on 127.0.0.1 over a {@link LocalObjectStore}, for the stage code of a
 * local pipeline run: give it to the AWS SDK as `AWS_ENDPOINT_URL_S3`, with any credentials (the
 * server checks no signature: it listens on the loopback interface, for this run only).
 *
 * Path-style requests, answered as S3's REST API documents them: GetObject, HeadObject,
 * PutObject (a plain body or `aws-chunked`, as the SDK streams one), DeleteObject, ListObjectsV2
 * (prefix, delimiter, pages), HeadBucket and CreateBucket; a missing key is `404` with the
 * `NoSuchKey` error document. Anything else (ranges, copies, multipart uploads, tagging...) is
 * refused with `501 NotImplemented`, so that code never passes on a call the server does not
 * model.
 */
export class LocalS3Server {
  /** Starts a server over `store` on a free port of 127.0.0.1. */
  public static async start(store: LocalObjectStore): Promise<LocalS3Server> {
    const server = new LocalS3Server(store);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.server.listen(0, '127.0.0.1', resolve);
    });
    return server;
  }

  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        this.answer(request, Buffer.concat(chunks), response);
      } catch (error) {
        const unstorable = error instanceof UnstorableKeyError;
        sendError(response, request.method, unstorable ? 400 : 500, unstorable ? 'InvalidArgument' : 'InternalError', (error as Error).message);
      }
    });
  });

  private constructor(public readonly store: LocalObjectStore) {}

  /** The URL to give the SDK as its S3 endpoint. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private answer(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // The path as sent: URL would resolve `..` segments, and a key is never resolved in S3.
    const rawPath = (request.url ?? '/').split('?')[0];
    const [bucket, ...keyParts] = rawPath.slice(1).split('/').map(decodeURIComponent);
    const key = keyParts.join('/');
    const method = request.method ?? '';
    const query = [...url.searchParams.keys()];
    if (!bucket) {
      sendError(response, method, 501, 'NotImplemented', 'The local S3 server models requests to a bucket (path style) only, not ListBuckets.');
    } else if (!key) {
      this.answerBucket(method, bucket, url.searchParams, query, response);
    } else if (query.some((name) => !OBJECT_QUERY.has(name))) {
      sendError(response, method, 501, 'NotImplemented', `The local S3 server does not model the object subresource ?${query.join('&')}.`, key);
    } else if (method === 'PUT') {
      this.putObject(request, bucket, key, body, response);
    } else if (method === 'GET' || method === 'HEAD') {
      this.getObject(request, method, bucket, key, response);
    } else if (method === 'DELETE') {
      this.store.delete(bucket, key);
      response.writeHead(204, headers()).end();
    } else {
      sendError(response, method, 501, 'NotImplemented', `The local S3 server does not model ${method} on an object.`, key);
    }
  }

  private answerBucket(method: string, bucket: string, params: URLSearchParams, query: string[], response: http.ServerResponse): void {
    if (method === 'GET' && params.get('list-type') === '2' && query.every((name) => LIST_QUERY.has(name))) {
      this.listObjects(bucket, params, response);
    } else if (method === 'HEAD' && query.length === 0) {
      response.writeHead(this.store.hasBucket(bucket) ? 200 : 404, headers()).end();
    } else if (method === 'PUT' && query.length === 0) {
      this.store.createBucket(bucket);
      response.writeHead(200, headers({ Location: `/${bucket}` })).end();
    } else {
      sendError(response, method, 501, 'NotImplemented', `The local S3 server does not model ${method} /${bucket}${query.length ? `?${query.join('&')}` : ''} (of the bucket operations, ListObjectsV2, HeadBucket and CreateBucket only).`);
    }
  }

  private putObject(request: http.IncomingMessage, bucket: string, key: string, body: Buffer, response: http.ServerResponse): void {
    if (request.headers['x-amz-copy-source']) {
      sendError(response, 'PUT', 501, 'NotImplemented', 'The local S3 server does not model CopyObject.', key);
      return;
    }
    // The SDK streams a body of unknown length as aws-chunked, with the checksum in a trailer.
    const chunked = request.headers['content-encoding']?.split(',').map((part) => part.trim()).includes('aws-chunked');
    const contents = chunked ? decodeAwsChunked(body) : body;
    const stored = this.store.put(bucket, key, contents, request.headers['content-type']);
    response.writeHead(200, headers({ ETag: stored.etag })).end();
  }

  private getObject(request: http.IncomingMessage, method: string, bucket: string, key: string, response: http.ServerResponse): void {
    if (request.headers.range) {
      sendError(response, method, 501, 'NotImplemented', 'The local S3 server does not model ranged reads.', key);
      return;
    }
    const found = this.store.get(bucket, key);
    if (!found) {
      sendError(response, method, 404, 'NoSuchKey', 'The specified key does not exist.', key);
      return;
    }
    response.writeHead(200, headers({ ...objectHeaders(found.object), 'Content-Length': String(found.body.length) }));
    response.end(method === 'HEAD' ? undefined : found.body);
  }

  private listObjects(bucket: string, params: URLSearchParams, response: http.ServerResponse): void {
    if (!this.store.hasBucket(bucket)) {
      sendError(response, 'GET', 404, 'NoSuchBucket', 'The specified bucket does not exist.');
      return;
    }
    const prefix = params.get('prefix') ?? '';
    const delimiter = params.get('delimiter') ?? '';
    const maxKeys = Math.min(MAX_KEYS, Math.max(0, Number(params.get('max-keys') ?? MAX_KEYS) || 0));
    const token = params.get('continuation-token');
    const startAfter = params.get('start-after') ?? '';
    const after = token ? Buffer.from(token, 'base64url').toString('utf8') : startAfter;
    const urlEncoded = params.get('encoding-type') === 'url';

    // Keys, and the common prefixes that stand for the keys below a delimiter, in key order.
    const entries: Array<{ key: string; object?: StoredObject }> = [];
    for (const object of this.store.list(bucket, prefix)) {
      const rest = object.key.slice(prefix.length);
      const cut = delimiter ? rest.indexOf(delimiter) : -1;
      const entryKey = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : object.key;
      if (entries[entries.length - 1]?.key !== entryKey) {
        entries.push(cut >= 0 ? { key: entryKey } : { key: entryKey, object });
      }
    }
    const remaining = entries.filter((entry) => compareKeys(entry.key, after) > 0);
    const page = remaining.slice(0, maxKeys);
    const truncated = remaining.length > page.length;
    const text = (value: string) => xmlText(urlEncoded ? encodeURIComponent(value).replace(/%2F/g, '/') : value);
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
      `<Name>${xmlText(bucket)}</Name>`,
      `<Prefix>${text(prefix)}</Prefix>`,
      delimiter ? `<Delimiter>${text(delimiter)}</Delimiter>` : '',
      `<MaxKeys>${maxKeys}</MaxKeys>`,
      `<KeyCount>${page.length}</KeyCount>`,
      `<IsTruncated>${truncated}</IsTruncated>`,
      urlEncoded ? '<EncodingType>url</EncodingType>' : '',
      token ? `<ContinuationToken>${xmlText(token)}</ContinuationToken>` : '',
      startAfter ? `<StartAfter>${text(startAfter)}</StartAfter>` : '',
      truncated ? `<NextContinuationToken>${Buffer.from(page[page.length - 1].key, 'utf8').toString('base64url')}</NextContinuationToken>` : '',
      ...page.map((entry) =>
        entry.object
          ? `<Contents><Key>${text(entry.key)}</Key><LastModified>${entry.object.lastModified.toISOString()}</LastModified><ETag>${xmlText(entry.object.etag)}</ETag><Size>${entry.object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`
          : `<CommonPrefixes><Prefix>${text(entry.key)}</Prefix></CommonPrefixes>`,
      ),
      '</ListBucketResult>',
    ].join('');
    response.writeHead(200, headers({ 'Content-Type': 'application/xml' })).end(xml);
  }
}

/**
 * The payload of an `aws-chunked` body: chunks of `<size in hex>[;chunk-signature=...]\r\n<bytes>\r\n`,
 * ended by a chunk of size 0 and the trailers (the checksum), which are dropped.
 */
export function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) {
      break;
    }
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size) || size === 0) {
      break;
    }
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-amz-request-id': randomUUID(), ...extra };
}

function objectHeaders(object: StoredObject): Record<string, string> {
  return {
    'ETag': object.etag,
    'Content-Type': object.contentType ?? 'binary/octet-stream',
    'Last-Modified': object.lastModified.toUTCString(),
  };
}

/** S3's error document; a HEAD request gets the status alone, as from S3. */
function sendError(response: http.ServerResponse, method: string | undefined, status: number, code: string, message: string, key?: string): void {
  const requestId = randomUUID();
  if (method === 'HEAD') {
    response.writeHead(status, { 'x-amz-request-id': requestId }).end();
    return;
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlText(message)}</Message>${key === undefined ? '' : `<Key>${xmlText(key)}</Key>`}<RequestId>${requestId}</RequestId></Error>`;
  response.writeHead(status, { 'x-amz-request-id': requestId, 'Content-Type': 'application/xml' }).end(xml);
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
