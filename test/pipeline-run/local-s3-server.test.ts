/**
 * The local S3 server of a pipeline run answers the real AWS SDK as S3 does, for the operations
 * stage code uses, and keeps the objects as files a person can open.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { LocalObjectStore } from '../../src/pipeline-run/local-object-store';
import { LocalS3Server } from '../../src/pipeline-run/local-s3-server';

let root: string;
let server: LocalS3Server;
let s3: S3Client;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'local-s3-'));
  server = await LocalS3Server.start(new LocalObjectStore(root));
  s3 = new S3Client({ endpoint: server.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, forcePathStyle: true });
});
afterAll(async () => {
  s3.destroy();
  await server.close();
});

test('PutObject keeps the object as a file under <bucket>/<key>; GetObject and HeadObject return it with its type and ETag', async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket: 'sales-bucket', Key: 'raw/orders/2024-05-01/a.csv', Body: 'id\n1\n', ContentType: 'text/csv' }));
  expect(fs.readFileSync(path.join(root, 'sales-bucket', 'raw', 'orders', '2024-05-01', 'a.csv'), 'utf8')).toBe('id\n1\n');
  const got = await s3.send(new GetObjectCommand({ Bucket: 'sales-bucket', Key: 'raw/orders/2024-05-01/a.csv' }));
  expect(await got.Body!.transformToString()).toBe('id\n1\n');
  expect(got.ContentType).toBe('text/csv');
  expect(got.ETag).toBe(put.ETag);
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'sales-bucket', Key: 'raw/orders/2024-05-01/a.csv' }));
  expect(head.ContentLength).toBe(5);
  expect(server.store.writes).toContainEqual({ bucket: 'sales-bucket', key: 'raw/orders/2024-05-01/a.csv', size: 5 });
});

test('a body the SDK streams (aws-chunked, with a checksum trailer) is stored decoded', async () => {
  const bytes = Buffer.from('x'.repeat(70_000));
  await s3.send(new PutObjectCommand({ Bucket: 'sales-bucket', Key: 'stream/big.bin', Body: Readable.from([bytes.subarray(0, 30_000), bytes.subarray(30_000)]), ContentLength: bytes.length }));
  expect(fs.readFileSync(path.join(root, 'sales-bucket', 'stream', 'big.bin')).equals(bytes)).toBe(true);
});

test('a missing key is NoSuchKey (404) for GetObject, NotFound for HeadObject', async () => {
  await expect(s3.send(new GetObjectCommand({ Bucket: 'sales-bucket', Key: 'nothing/here' }))).rejects.toBeInstanceOf(NoSuchKey);
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'sales-bucket', Key: 'nothing/here' })).catch((error: S3ServiceException) => error);
  expect((head as S3ServiceException).$metadata.httpStatusCode).toBe(404);
  expect((head as S3ServiceException).name).toBe('NotFound');
});

test('ListObjectsV2 lists by prefix in key order, folds keys under a delimiter into common prefixes, and pages', async () => {
  for (const key of ['list/b.txt', 'list/a.txt', 'list/dt=2024-05-02/x.parquet', 'list/dt=2024-05-01/x.parquet', 'other/c.txt']) {
    await s3.send(new PutObjectCommand({ Bucket: 'list-bucket', Key: key, Body: key }));
  }
  const all = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Prefix: 'list/' }));
  expect(all.Contents!.map((object) => object.Key)).toEqual(['list/a.txt', 'list/b.txt', 'list/dt=2024-05-01/x.parquet', 'list/dt=2024-05-02/x.parquet']);
  expect(all.Contents![0].Size).toBe('list/a.txt'.length);
  const folders = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Prefix: 'list/', Delimiter: '/' }));
  expect(folders.Contents!.map((object) => object.Key)).toEqual(['list/a.txt', 'list/b.txt']);
  expect(folders.CommonPrefixes!.map((prefix) => prefix.Prefix)).toEqual(['list/dt=2024-05-01/', 'list/dt=2024-05-02/']);
  const first = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', MaxKeys: 3 }));
  expect(first.IsTruncated).toBe(true);
  const second = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', MaxKeys: 3, ContinuationToken: first.NextContinuationToken }));
  expect([...first.Contents!, ...second.Contents!].map((object) => object.Key)).toHaveLength(5);
  expect(second.IsTruncated).toBe(false);
  await expect(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
});

test('DeleteObject removes the file; HeadBucket and CreateBucket answer for the bucket folder', async () => {
  await s3.send(new PutObjectCommand({ Bucket: 'sales-bucket', Key: 'gone/soon.txt', Body: 'x' }));
  await s3.send(new DeleteObjectCommand({ Bucket: 'sales-bucket', Key: 'gone/soon.txt' }));
  expect(fs.existsSync(path.join(root, 'sales-bucket', 'gone', 'soon.txt'))).toBe(false);
  // Deleting what is not there succeeds, as in S3.
  await s3.send(new DeleteObjectCommand({ Bucket: 'sales-bucket', Key: 'gone/soon.txt' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'new-bucket' }));
  await expect(s3.send(new HeadBucketCommand({ Bucket: 'new-bucket' }))).resolves.toBeDefined();
  await expect(s3.send(new HeadBucketCommand({ Bucket: 'absent-bucket' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
});

test('what it does not model is refused with NotImplemented, and a key it cannot keep as a file with InvalidArgument', async () => {
  await expect(s3.send(new CopyObjectCommand({ Bucket: 'sales-bucket', Key: 'copy', CopySource: 'sales-bucket/raw/orders/2024-05-01/a.csv' }))).rejects.toMatchObject({ name: 'NotImplemented' });
  await expect(s3.send(new PutObjectCommand({ Bucket: 'sales-bucket', Key: 'a/../../escape', Body: 'x' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
  expect(fs.existsSync(path.join(path.dirname(root), 'escape'))).toBe(false);
});
