import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

/** An object the stand-in holds. */
export interface StoredObject {
  readonly body: Buffer;
  readonly contentType?: string;
}

/** A request the stand-in answered. */
export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
}

/**
 * An S3-compatible stand-in on the loopback interface, for code that calls S3 with the real AWS
 * SDK (give it `endpoint` as `AWS_ENDPOINT_URL_S3`): path-style GetObject and PutObject on objects
 * it keeps in memory, answered the way S3's REST API documents them, a missing key with `404` and
 * the `NoSuchKey` error document. Anything else is refused with `501`, so a test cannot pass on a
 * call the stand-in does not model.
 */
export class S3StandIn {
  /** Starts a stand-in on a free port of 127.0.0.1. */
  public static async start(): Promise<S3StandIn> {
    const standIn = new S3StandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** The objects, by `<bucket>/<key>`. */
  public readonly objects = new Map<string, StoredObject>();

  /** Every request answered, in order. */
  public readonly requests: S3Request[] = [];

  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => this.answer(request, Buffer.concat(chunks), response));
  });

  private constructor() {}

  /** The URL to give the SDK as its S3 endpoint. */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stores an object, as an upload would. */
  public put(bucket: string, key: string, body: string, contentType?: string): void {
    this.objects.set(`${bucket}/${key}`, { body: Buffer.from(body, 'utf-8'), contentType });
  }

  public async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private answer(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', this.endpoint);
    const [bucket, ...keyParts] = url.pathname.slice(1).split('/').map(decodeURIComponent);
    const key = keyParts.join('/');
    const headers = { 'x-amz-request-id': randomUUID() };
    this.requests.push({ method: request.method ?? '', bucket, key });
    if (!bucket || !key || [...url.searchParams.keys()].some((name) => name !== 'x-id')) {
      response.writeHead(501, headers).end(errorDocument('NotImplemented', 'The stand-in models GetObject and PutObject only.', key));
    } else if (request.method === 'PUT') {
      if (request.headers['content-encoding']?.includes('aws-chunked')) {
        response.writeHead(501, headers).end(errorDocument('NotImplemented', 'The stand-in does not decode aws-chunked uploads.', key));
        return;
      }
      this.objects.set(`${bucket}/${key}`, { body, contentType: request.headers['content-type'] });
      response.writeHead(200, { ...headers, ETag: '"stand-in"' }).end();
    } else if (request.method === 'GET') {
      const object = this.objects.get(`${bucket}/${key}`);
      if (!object) {
        response.writeHead(404, { ...headers, 'Content-Type': 'application/xml' }).end(errorDocument('NoSuchKey', 'The specified key does not exist.', key));
        return;
      }
      response.writeHead(200, { ...headers, 'ETag': '"stand-in"', 'Content-Length': object.body.length, 'Content-Type': object.contentType ?? 'binary/octet-stream' }).end(object.body);
    } else {
      response.writeHead(501, headers).end(errorDocument('NotImplemented', `The stand-in does not model ${request.method}.`, key));
    }
  }
}

function errorDocument(code: string, message: string, key: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escape(message)}</Message><Key>${escape(key)}</Key></Error>`;
}
