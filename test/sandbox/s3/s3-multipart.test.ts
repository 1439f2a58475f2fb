/**
 * Multipart uploads on the sandbox's S3, through @aws-sdk/client-s3 and, when installed, the AWS
 * CLI (`aws s3 cp` of a 20 MB file uploads in 8 MB parts) and boto3 (`upload_file` with a 5 MB
 * threshold). Rules and errors: https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 * and https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand, GetObjectAttributesCommand,
  GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';
import { failure } from '../sdk-failure.js';

if (!hasAws) console.warn('sandbox: s3 multipart › AWS CLI test skipped: no working `aws` on PATH');
if (!hasBoto3) console.warn('sandbox: s3 multipart › boto3 test skipped: `python3 -c "import boto3"` failed');

const MiB = 1024 * 1024;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const md5 = (b: Buffer) => createHash('md5').update(b).digest();
/** S3's multipart ETag: MD5 of the parts' binary MD5s, a dash and the part count. */
const multipartEtag = (parts: Buffer[]) => `"${createHash('md5').update(Buffer.concat(parts.map(md5))).digest('hex')}-${parts.length}"`;

describe('sandbox: s3 multipart uploads', () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    s3 = new S3Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'mpu-bucket' }));
    dir = mkdtempSync(join(tmpdir(), 'sandbox-s3-mpu-'));
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const Bucket = 'mpu-bucket';

  test('create, upload parts, list parts and uploads, complete: the object is the parts in order, ETag md5-of-md5s-N, readable by part', async () => {
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB + 7), randomBytes(1000)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big.bin', ContentType: 'application/octet-stream', Metadata: { kind: 'mpu' } }));
    const etags: string[] = [];
    // Out of order on purpose: parts are assembled by number.
    for (const n of [2, 1, 3]) etags[n - 1] = (await s3.send(new UploadPartCommand({ Bucket, Key: 'big.bin', UploadId, PartNumber: n, Body: parts[n - 1] }))).ETag!;
    expect(etags).toEqual(parts.map((p) => `"${md5(p).toString('hex')}"`));

    const listed = await s3.send(new ListPartsCommand({ Bucket, Key: 'big.bin', UploadId, MaxParts: 2 }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, 5 * MiB], [2, 5 * MiB + 7]]);
    expect([listed.IsTruncated, listed.NextPartNumberMarker]).toEqual([true, '2']);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['big.bin', UploadId]]);
    // Nothing is visible before completion.
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' })))).name).toBe('NotFound');

    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }));
    expect(done.ETag).toBe(multipartEtag(parts));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }));
    expect([got.ContentType, got.Metadata, got.ETag]).toEqual(['application/octet-stream', { kind: 'mpu' }, done.ETag]);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
    const second = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin', PartNumber: 2 }));
    expect([second.PartsCount, second.ContentLength, second.ContentRange]).toEqual([3, 5 * MiB + 7, `bytes ${5 * MiB}-${10 * MiB + 6}/${10 * MiB + 1007}`]);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin', PartNumber: 4 })))).name).toBe('InvalidPartNumber');
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'big.bin', ObjectAttributes: ['ObjectParts', 'ETag'] }));
    expect([attrs.ObjectParts?.TotalPartsCount, attrs.ETag]).toEqual([3, done.ETag!.replace(/"/g, '')]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? []).toEqual([]);
    expect(await failure(s3.send(new ListPartsCommand({ Bucket, Key: 'big.bin', UploadId })))).toEqual({
      name: 'NoSuchUpload', message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', status: 404,
    });
  });

  test('CompleteMultipartUpload refuses parts out of order (InvalidPartOrder), unknown or with another ETag (InvalidPart), too small (EntityTooSmall)', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'bad.bin' }));
    const small = (await s3.send(new UploadPartCommand({ Bucket, Key: 'bad.bin', UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }))).ETag!;
    const last = (await s3.send(new UploadPartCommand({ Bucket, Key: 'bad.bin', UploadId, PartNumber: 2, Body: Buffer.alloc(10, 2) }))).ETag!;
    const complete = (Parts: { ETag: string; PartNumber: number }[]) => failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'bad.bin', UploadId, MultipartUpload: { Parts } })));
    expect(await complete([{ ETag: last, PartNumber: 2 }, { ETag: small, PartNumber: 1 }])).toEqual({
      name: 'InvalidPartOrder', message: 'The list of parts was not in ascending order. Parts must be ordered by part number.', status: 400,
    });
    expect((await complete([{ ETag: small, PartNumber: 1 }, { ETag: small, PartNumber: 2 }])).name).toBe('InvalidPart');
    expect((await complete([{ ETag: small, PartNumber: 1 }, { ETag: last, PartNumber: 3 }])).name).toBe('InvalidPart');
    expect(await complete([{ ETag: small, PartNumber: 1 }, { ETag: last, PartNumber: 2 }])).toEqual({
      name: 'EntityTooSmall', message: 'Your proposed upload is smaller than the minimum allowed size', status: 400,
    });
    // One small part alone is fine: only parts before the last have a minimum.
    const one = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'bad.bin', UploadId, MultipartUpload: { Parts: [{ ETag: small, PartNumber: 1 }] } }));
    expect(one.ETag).toBe(multipartEtag([Buffer.alloc(1024, 1)]));
  });

  test('part numbers run 1 to 10,000; an aborted upload is NoSuchUpload; UploadPartCopy copies a byte range', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'abort.bin' }));
    for (const PartNumber of [0, 10_001]) {
      const e = await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'abort.bin', UploadId, PartNumber, Body: 'x' })));
      expect([e.name, e.message]).toEqual(['InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive']);
    }
    await s3.send(new PutObjectCommand({ Bucket, Key: 'source.txt', Body: '0123456789' }));
    const copied = await s3.send(new UploadPartCopyCommand({ Bucket, Key: 'abort.bin', UploadId, PartNumber: 1, CopySource: `${Bucket}/source.txt`, CopySourceRange: 'bytes=2-5' }));
    expect(copied.CopyPartResult?.ETag).toBe(`"${md5(Buffer.from('2345')).toString('hex')}"`);
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'abort.bin', UploadId }));
    expect((await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'abort.bin', UploadId, PartNumber: 1, Body: 'x' })))).name).toBe('NoSuchUpload');
    expect((await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'abort.bin', UploadId: 'never-created' })))).name).toBe('NoSuchUpload');
  });

  test('an upload in progress keeps its bucket from being deleted (BucketNotEmpty) until it is aborted', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mpu-empty' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu-empty', Key: 'k' }));
    expect((await failure(s3.send(new DeleteBucketCommand({ Bucket: 'mpu-empty' })))).name).toBe('BucketNotEmpty');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu-empty', Key: 'k', UploadId }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'mpu-empty' }));
  });

  test.skipIf(!hasAws)('`aws s3 cp` of a 20 MB file uploads in parts and downloads the same bytes', async () => {
    const data = randomBytes(20 * 1000 * 1000);
    const file = join(dir, 'twenty.bin');
    writeFileSync(file, data);
    await runAws(sandbox.endpoint, ['s3', 'cp', file, 's3://mpu-bucket/cli/twenty.bin'], { defaultRegion: 'us-east-1', timeoutMs: 120_000 });
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'cli/twenty.bin' }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/); // 8 MB, 8 MB and 4 MB parts
    const back = join(dir, 'back.bin');
    await runAws(sandbox.endpoint, ['s3', 'cp', 's3://mpu-bucket/cli/twenty.bin', back], { defaultRegion: 'us-east-1', timeoutMs: 120_000 });
    expect(readFileSync(back).equals(data)).toBe(true);
  }, 180_000);

  test.skipIf(!hasBoto3)('boto3 upload_file with a 5 MB multipart threshold, then list_parts of an open upload and download_file', async () => {
    const data = randomBytes(12 * MiB);
    const file = join(dir, 'boto.bin');
    writeFileSync(file, data);
    const script = `
import sys, boto3, json
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1')
cfg = TransferConfig(multipart_threshold=5*1024*1024, multipart_chunksize=5*1024*1024)
s3.upload_file(sys.argv[2], 'mpu-bucket', 'boto/file.bin', Config=cfg)
head = s3.head_object(Bucket='mpu-bucket', Key='boto/file.bin')
up = s3.create_multipart_upload(Bucket='mpu-bucket', Key='boto/open.bin')
s3.upload_part(Bucket='mpu-bucket', Key='boto/open.bin', UploadId=up['UploadId'], PartNumber=1, Body=b'abc')
parts = s3.list_parts(Bucket='mpu-bucket', Key='boto/open.bin', UploadId=up['UploadId'])['Parts']
s3.abort_multipart_upload(Bucket='mpu-bucket', Key='boto/open.bin', UploadId=up['UploadId'])
try:
    s3.list_parts(Bucket='mpu-bucket', Key='boto/open.bin', UploadId=up['UploadId'])
    missing = None
except s3.exceptions.NoSuchUpload as e:
    missing = e.response['Error']['Code']
s3.download_file('mpu-bucket', 'boto/file.bin', sys.argv[3])
print(json.dumps({'etag': head['ETag'], 'length': head['ContentLength'], 'parts': [[p['PartNumber'], p['Size']] for p in parts], 'missing': missing}))
`;
    const back = join(dir, 'boto-back.bin');
    const out = JSON.parse(await runPython(script, [sandbox.endpoint, file, back], { timeoutMs: 120_000 })) as { etag: string; length: number; parts: number[][]; missing: string };
    expect(out.etag).toMatch(/^"[0-9a-f]{32}-3"$/); // 5, 5 and 2 MiB
    expect([out.length, out.parts, out.missing]).toEqual([data.length, [[1, 3]], 'NoSuchUpload']);
    expect(readFileSync(back).equals(data)).toBe(true);
  }, 180_000);
});
