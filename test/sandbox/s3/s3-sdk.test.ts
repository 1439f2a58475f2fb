/**
 * The sandbox's S3 through @aws-sdk/client-s3, as a program would use it against AWS.
 * Error codes and messages: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand,
  HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { failure } from '../sdk-failure.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('sandbox: s3 through @aws-sdk/client-s3', () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  let s3West: S3Client;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    s3 = new S3Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    s3West = new S3Client({ endpoint: sandbox.endpoint, region: 'eu-west-1', credentials, forcePathStyle: true, maxAttempts: 1 });
  });
  afterAll(async () => sandbox.stop());

  test('creates, heads, lists and deletes buckets; the region comes from the endpoint or LocationConstraint', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    await s3West.send(new CreateBucketCommand({ Bucket: 'beta-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'beta-bucket' }));
    expect(head.BucketRegion).toBe('eu-west-1');
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(['alpha-bucket', 'beta-bucket']);
    expect(list.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    await s3West.send(new DeleteBucketCommand({ Bucket: 'beta-bucket' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['alpha-bucket']);
  });

  test('rejects bucket names S3 rejects, with InvalidBucketName', async () => {
    for (const name of ['ab', 'Upper-Case', 'under_score', 'a..b', '192.168.1.1', '-start']) {
      const e = await failure(s3.send(new CreateBucketCommand({ Bucket: name })));
      expect([name, e.name, e.status]).toEqual([name, 'InvalidBucketName', 400]);
    }
  });

  test('re-creating an own bucket is OK in us-east-1 and BucketAlreadyOwnedByYou elsewhere (API_CreateBucket)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'again-bucket' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'again-bucket' }));
    await s3West.send(new CreateBucketCommand({ Bucket: 'again-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const e = await failure(s3West.send(new CreateBucketCommand({ Bucket: 'again-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    expect(e).toEqual({ name: 'BucketAlreadyOwnedByYou', message: 'Your previous request to create the named bucket succeeded and you already own it.', status: 409 });
  });

  test('a LocationConstraint must name the region the request was sent to', async () => {
    const e = await failure(s3West.send(new CreateBucketCommand({ Bucket: 'wrong-constraint', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })));
    expect([e.name, e.status]).toEqual(['IllegalLocationConstraintException', 400]);
  });

  test('puts and gets an object with its ETag (quoted MD5), Content-Type, Content-Length and Last-Modified', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects-bucket' }));
    const body = JSON.stringify({ hello: 'world', n: [1, 2, 3] });
    const put = await s3.send(new PutObjectCommand({ Bucket: 'objects-bucket', Key: 'dir/hello.json', Body: body, ContentType: 'application/json', Metadata: { owner: 'me' } }));
    const md5 = `"${createHash('md5').update(body).digest('hex')}"`;
    expect(put.ETag).toBe(md5);
    expect(put.ServerSideEncryption).toBe('AES256'); // S3's default encryption
    const get = await s3.send(new GetObjectCommand({ Bucket: 'objects-bucket', Key: 'dir/hello.json' }));
    expect(await get.Body!.transformToString()).toBe(body);
    expect([get.ETag, get.ContentType, get.ContentLength, get.Metadata]).toEqual([md5, 'application/json', Buffer.byteLength(body), { owner: 'me' }]);
    expect(get.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects-bucket', Key: 'dir/hello.json' }));
    expect([head.ETag, head.ContentLength, head.ContentType]).toEqual([md5, Buffer.byteLength(body), 'application/json']);
  });

  test('stores and returns SSE-KMS headers (x-amz-server-side-encryption: aws:kms and the key id)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'kms-bucket' }));
    const keyId = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const put = await s3.send(new PutObjectCommand({ Bucket: 'kms-bucket', Key: 'secret.txt', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId, BucketKeyEnabled: true }));
    expect([put.ServerSideEncryption, put.SSEKMSKeyId, put.BucketKeyEnabled]).toEqual(['aws:kms', keyId, true]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'kms-bucket', Key: 'secret.txt' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled]).toEqual(['aws:kms', keyId, true]);
    const get = await s3.send(new GetObjectCommand({ Bucket: 'kms-bucket', Key: 'secret.txt' }));
    expect([get.ServerSideEncryption, get.SSEKMSKeyId]).toEqual(['aws:kms', keyId]);
    // Without a key id, S3 uses the AWS managed key for S3.
    const managed = await s3.send(new PutObjectCommand({ Bucket: 'kms-bucket', Key: 'managed.txt', Body: 'y', ServerSideEncryption: 'aws:kms' }));
    expect(managed.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:/);
  });

  test('decodes streamed (aws-chunked) uploads of a large body, with the flexible checksum trailer', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'stream-bucket' }));
    const { Readable } = await import('node:stream');
    const chunk = Buffer.alloc(64 * 1024, 'abcdefgh');
    const total = Buffer.concat(Array.from({ length: 20 }, (_, i) => Buffer.concat([chunk, Buffer.from(String(i))])));
    // A stream of known length makes the SDK send STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer.
    const parts = Array.from({ length: 20 }, (_, i) => Buffer.concat([chunk, Buffer.from(String(i))]));
    await s3.send(new PutObjectCommand({ Bucket: 'stream-bucket', Key: 'big.bin', Body: Readable.from(parts), ContentLength: total.length, ChecksumAlgorithm: 'CRC32' }));
    const get = await s3.send(new GetObjectCommand({ Bucket: 'stream-bucket', Key: 'big.bin' }));
    const back = Buffer.from(await get.Body!.transformToByteArray());
    expect(back.length).toBe(total.length);
    expect(back.equals(total)).toBe(true);
    expect(get.ETag).toBe(`"${createHash('md5').update(total).digest('hex')}"`);
  });

  test('answers a byte Range with 206 and Content-Range; an unsatisfiable range is InvalidRange', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'range-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'range-bucket', Key: 'r.txt', Body: '0123456789' }));
    const mid = await s3.send(new GetObjectCommand({ Bucket: 'range-bucket', Key: 'r.txt', Range: 'bytes=2-5' }));
    expect([await mid.Body!.transformToString(), mid.ContentRange, mid.ContentLength]).toEqual(['2345', 'bytes 2-5/10', 4]);
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'range-bucket', Key: 'r.txt', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    const e = await failure(s3.send(new GetObjectCommand({ Bucket: 'range-bucket', Key: 'r.txt', Range: 'bytes=20-30' })));
    expect([e.name, e.status]).toEqual(['InvalidRange', 416]);
  });

  test('reports NoSuchBucket, NoSuchKey, NotFound (HEAD) and BucketNotEmpty as S3 does', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'errors-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'errors-bucket', Key: 'k', Body: 'v' }));
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'missing-bucket', Key: 'k' })))).toEqual({ name: 'NoSuchBucket', message: 'The specified bucket does not exist', status: 404 });
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'errors-bucket', Key: 'nope' })))).toEqual({ name: 'NoSuchKey', message: 'The specified key does not exist.', status: 404 });
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: 'errors-bucket', Key: 'nope' })))).name).toBe('NotFound');
    expect((await failure(s3.send(new HeadBucketCommand({ Bucket: 'missing-bucket' })))).name).toBe('NotFound');
    expect(await failure(s3.send(new DeleteBucketCommand({ Bucket: 'errors-bucket' })))).toEqual({ name: 'BucketNotEmpty', message: 'The bucket you tried to delete is not empty', status: 409 });
    expect((await failure(s3.send(new PutObjectCommand({ Bucket: 'missing-bucket', Key: 'k', Body: 'v' })))).name).toBe('NoSuchBucket');
  });

  test('deletes one object (even a missing one) and several at once', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'delete-bucket' }));
    for (const k of ['a', 'b', 'c', 'd & <e>']) await s3.send(new PutObjectCommand({ Bucket: 'delete-bucket', Key: k, Body: k }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'delete-bucket', Key: 'a' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'delete-bucket', Key: 'never-there' }));
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: 'delete-bucket', Delete: { Objects: [{ Key: 'b' }, { Key: 'd & <e>' }] } }));
    expect(res.Deleted?.map((d) => d.Key).sort()).toEqual(['b', 'd & <e>']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'delete-bucket' }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(['c']);
  });

  test('ListObjectsV2 pages with MaxKeys and continuation tokens, filters by Prefix and rolls keys up by Delimiter', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'list-bucket' }));
    const keys = ['a/1.json', 'a/2.json', 'a/sub/3.json', 'b/4.json', 'b/5.json', 'c.json', 'with space.txt'];
    for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: 'list-bucket', Key: k, Body: k }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', MaxKeys: 3, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      expect(page.KeyCount).toBe(page.Contents?.length);
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
      pages++;
    } while (token);
    expect([seen, pages]).toEqual([keys, 3]);
    const a = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Prefix: 'a/', Delimiter: '/' }));
    expect([a.Contents?.map((c) => c.Key), a.CommonPrefixes?.map((p) => p.Prefix)]).toEqual([['a/1.json', 'a/2.json'], ['a/sub/']]);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Delimiter: '/', MaxKeys: 2 }));
    expect([top.CommonPrefixes?.map((p) => p.Prefix), top.Contents, top.IsTruncated]).toEqual([['a/', 'b/'], undefined, true]);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', Delimiter: '/', MaxKeys: 2, ContinuationToken: top.NextContinuationToken }));
    expect([rest.CommonPrefixes, rest.Contents?.map((c) => c.Key), rest.IsTruncated]).toEqual([undefined, ['c.json', 'with space.txt'], false]);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'list-bucket', StartAfter: 'b/4.json' }));
    expect(after.Contents?.map((c) => [c.Key, c.Size, c.StorageClass])).toEqual([['b/5.json', 8, 'STANDARD'], ['c.json', 6, 'STANDARD'], ['with space.txt', 14, 'STANDARD']]);
  });

  test('keeps buckets and objects across a restart on the same data directory; reset forgets them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-s3-'));
    try {
      const first = await startSandbox({ dataDir, log: () => {} });
      const c1 = new S3Client({ endpoint: first.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      await c1.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
      await c1.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'x/y.json', Body: '{"v":1}', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/mine' }));
      await first.stop();
      const second = await startSandbox({ dataDir, log: () => {} });
      const c2 = new S3Client({ endpoint: second.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      const got = await c2.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'x/y.json' }));
      expect([await got.Body!.transformToString(), got.SSEKMSKeyId]).toEqual(['{"v":1}', 'alias/mine']);
      await fetch(`${second.endpoint}/_sandbox/reset`, { method: 'POST' });
      expect((await c2.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
      await second.stop();
      const third = await startSandbox({ dataDir, log: () => {} });
      const c3 = new S3Client({ endpoint: third.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      expect((await c3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
      await third.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sandbox: s3 addressing and front-end limits', () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    s3 = new S3Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'dir/obj.txt', Body: 'virtual' }));
  });
  afterAll(async () => sandbox.stop());

  test('answers virtual-host-style requests on <bucket>.localhost (VirtualHosting.html)', async () => {
    const { request } = await import('node:http');
    const port = sandbox.port;
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/dir/obj.txt', method: 'GET', headers: {
        Host: `vhost-bucket.localhost:${port}`,
        Authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toEqual({ status: 200, text: 'virtual' });
  });

  test('a body over the server limit is EntityTooLarge, in S3 shape', async () => {
    const e = await failure(s3.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'huge.bin', Body: Buffer.alloc(9 * 1024 * 1024, 1) })));
    expect([e.name, e.status]).toEqual(['EntityTooLarge', 400]);
  });
});
