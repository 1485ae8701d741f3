import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isS3BucketName } from '../util/s3-bucket-name';

/** An object of a {@link LocalObjectStore}. */
export interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  /** Bytes. */
  readonly size: number;
  /** The MD5 of the body, quoted, as S3 gives a single-part upload's ETag. */
  readonly etag: string;
  readonly contentType?: string;
  readonly lastModified: Date;
}

/** A write to a {@link LocalObjectStore}, in the order they happened. */
export interface ObjectWrite {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
}

/** What the store keeps beside an object's body. */
interface ObjectMetadata {
  readonly etag: string;
  readonly contentType?: string;
}

/** Where the metadata of the objects is: not a bucket name (none starts with a dot). */
const METADATA_FOLDER = '.metadata';

/**
 * A key the store refuses, with why. The S3 server answers it with an error document; the
 * pipeline run reports it as the failure of the state that wrote it.
 */
export class UnstorableKeyError extends Error {
  constructor(bucket: string, key: string, reason: string) {
    super(`s3://${bucket}/${key}: ${reason}`);
    this.name = 'UnstorableKeyError';
  }
}

/**
 * The objects of a local pipeline run, as files a person can open: `<root>/<bucket>/<key>`. The
 * ETag and content type of each are kept apart, under `<root>/.metadata/`, so that the folder of
 * a bucket holds exactly its objects. Every write is remembered in order, for the run's report
 * and to start the stages whose input prefix it lands in, as S3's events start them when deployed.
 *
 * A key is a path below its bucket's folder: a key with an empty, `.` or `..` segment, or that
 * would be both an object and the folder of other objects (`a` and `a/b`), is refused.
 */
export class LocalObjectStore {
  /** Every write, in order. */
  public readonly writes: ObjectWrite[] = [];

  /** @param root the folder of the buckets; created when missing */
  constructor(public readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  /** The file that holds an object's body (whether it exists or not). */
  public fileOf(bucket: string, key: string): string {
    checkLocation(bucket, key);
    return path.join(this.root, bucket, ...key.split('/'));
  }

  /** Stores an object, replacing one of the same key. */
  public put(bucket: string, key: string, body: Buffer, contentType?: string): StoredObject {
    const file = this.fileOf(bucket, key);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      throw new UnstorableKeyError(bucket, key, 'other objects have keys that start with this key and a "/": the local store keeps keys as files and cannot hold both');
    }
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
    } catch (error) {
      throw new UnstorableKeyError(bucket, key, `a prefix of this key is an object of its own, so it cannot be a folder of the local store (${(error as Error).message})`);
    }
    fs.writeFileSync(file, body);
    const metadata: ObjectMetadata = { etag: `"${createHash('md5').update(body).digest('hex')}"`, contentType };
    const metadataFile = this.metadataFileOf(bucket, key);
    fs.mkdirSync(path.dirname(metadataFile), { recursive: true });
    fs.writeFileSync(metadataFile, JSON.stringify(metadata));
    this.writes.push({ bucket, key, size: body.length });
    return this.head(bucket, key)!;
  }

  /** Stores a copy of a file as an object. */
  public putFile(bucket: string, key: string, file: string, contentType?: string): StoredObject {
    return this.put(bucket, key, fs.readFileSync(file), contentType);
  }

  /** An object's description, or `undefined` when there is none with that key. */
  public head(bucket: string, key: string): StoredObject | undefined {
    const file = this.fileOf(bucket, key);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) {
      return undefined;
    }
    const metadata = this.metadataOf(bucket, key, file);
    return { bucket, key, size: stat.size, etag: metadata.etag, contentType: metadata.contentType, lastModified: stat.mtime };
  }

  /** An object's body, or `undefined` when there is none with that key. */
  public get(bucket: string, key: string): { object: StoredObject; body: Buffer } | undefined {
    const object = this.head(bucket, key);
    return object && { object, body: fs.readFileSync(this.fileOf(bucket, key)) };
  }

  /** Deletes an object; deleting a key that is not there does nothing, as in S3. */
  public delete(bucket: string, key: string): void {
    const file = this.fileOf(bucket, key);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
      fs.rmSync(file);
      fs.rmSync(this.metadataFileOf(bucket, key), { force: true });
    }
  }

  /** Makes a bucket's folder, as CreateBucket; a bucket also comes with its first object. */
  public createBucket(bucket: string): void {
    checkLocation(bucket, 'key');
    fs.mkdirSync(path.join(this.root, bucket), { recursive: true });
  }

  /** Whether the bucket's folder exists: it does once an object was put in it. */
  public hasBucket(bucket: string): boolean {
    return isS3BucketName(bucket) && fs.statSync(path.join(this.root, bucket), { throwIfNoEntry: false })?.isDirectory() === true;
  }

  /** The objects of a bucket whose key starts with `prefix`, in the byte order of their keys (S3's). */
  public list(bucket: string, prefix = ''): StoredObject[] {
    if (!this.hasBucket(bucket)) {
      return [];
    }
    const keys: string[] = [];
    const walk = (folder: string, keyPrefix: string) => {
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        const key = `${keyPrefix}${entry.name}`;
        if (entry.isDirectory()) {
          // Only folders that can hold a key with the prefix.
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) {
            walk(path.join(folder, entry.name), `${key}/`);
          }
        } else if (entry.isFile() && key.startsWith(prefix)) {
          keys.push(key);
        }
      }
    };
    walk(path.join(this.root, bucket), '');
    return keys.sort(compareKeys).map((key) => this.head(bucket, key)!);
  }

  private metadataFileOf(bucket: string, key: string): string {
    return path.join(this.root, METADATA_FOLDER, bucket, ...key.split('/')) + '.json';
  }

  /** The kept metadata; for a file put there by hand, an ETag from its contents. */
  private metadataOf(bucket: string, key: string, file: string): ObjectMetadata {
    try {
      return JSON.parse(fs.readFileSync(this.metadataFileOf(bucket, key), 'utf8')) as ObjectMetadata;
    } catch {
      return { etag: `"${createHash('md5').update(fs.readFileSync(file)).digest('hex')}"` };
    }
  }
}

/** S3 lists keys in the order of their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function checkLocation(bucket: string, key: string): void {
  if (!isS3BucketName(bucket)) {
    throw new UnstorableKeyError(bucket, key, 'the bucket name is not one S3 allows (3 to 63 lowercase letters, digits, dots and hyphens)');
  }
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new UnstorableKeyError(bucket, key, 'the local store keeps keys as paths of files: a key with an empty, "." or ".." segment (or ending with "/") cannot be stored');
  }
}
