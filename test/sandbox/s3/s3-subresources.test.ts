/**
 * Bucket and object subresources of the sandbox's S3 through @aws-sdk/client-s3: what S3 answers
 * for a bucket with nothing configured, PUT/GET/DELETE round trips, S3's validation errors, and
 * persistence across a restart. Each case names the S3 API reference page it follows
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_<Operation>.html).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCorsCommand, DeleteBucketEncryptionCommand,
  DeleteBucketOwnershipControlsCommand, DeleteBucketPolicyCommand, DeleteBucketTaggingCommand, DeleteObjectTaggingCommand,
  DeletePublicAccessBlockCommand, GetBucketAccelerateConfigurationCommand, GetBucketAclCommand, GetBucketCorsCommand, GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand, GetBucketLocationCommand, GetBucketLoggingCommand, GetBucketNotificationConfigurationCommand,
  GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetBucketReplicationCommand,
  GetBucketRequestPaymentCommand, GetBucketTaggingCommand, GetBucketVersioningCommand, GetBucketWebsiteCommand,
  GetObjectAclCommand, GetObjectAttributesCommand, GetObjectCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand,
  GetObjectTaggingCommand, GetPublicAccessBlockCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand,
  PutBucketCorsCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutBucketTaggingCommand, PutBucketVersioningCommand, PutBucketWebsiteCommand, PutObjectAclCommand,
  PutObjectCommand, PutObjectRetentionCommand, PutObjectTaggingCommand, PutPublicAccessBlockCommand, RestoreObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { failure } from '../sdk-failure.js';
import { send } from '../server/fuzz-requests.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const client = (endpoint: string) => new S3Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1, forcePathStyle: true });

describe('sandbox: s3 bucket and object subresources (@aws-sdk/client-s3)', () => {
  let sandbox: Sandbox;
  let s3: S3Client;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    s3 = client(sandbox.endpoint);
  });
  afterAll(async () => sandbox.stop());

  /** A raw S3 request (a body the SDK would never send), signed for s3 in us-east-1. */
  const raw = (method: string, path: string, body: string) => send(sandbox.port, {
    kind: 'x', method, path, body: Buffer.from(body),
    headers: { host: `127.0.0.1:${sandbox.port}`, authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
  });
  const codeOf = (r: { body?: Buffer }) => /<Code>([^<]+)<\/Code>/.exec(r.body?.toString('utf8') ?? '')?.[1];

  test('a bucket with nothing configured answers S3\'s not-found errors (GetBucketCors, GetBucketPolicy, GetBucketLifecycleConfiguration, GetBucketTagging, GetBucketWebsite, GetBucketReplication, GetObjectLockConfiguration, GetBucketPolicyStatus)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'plain-bucket' }));
    const Bucket = 'plain-bucket';
    expect(await failure(s3.send(new GetBucketCorsCommand({ Bucket })))).toEqual({ name: 'NoSuchCORSConfiguration', message: 'The CORS configuration does not exist', status: 404 });
    expect(await failure(s3.send(new GetBucketPolicyCommand({ Bucket })))).toEqual({ name: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist', status: 404 });
    expect(await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toEqual({ name: 'NoSuchLifecycleConfiguration', message: 'The lifecycle configuration does not exist', status: 404 });
    expect(await failure(s3.send(new GetBucketTaggingCommand({ Bucket })))).toEqual({ name: 'NoSuchTagSet', message: 'The TagSet does not exist', status: 404 });
    expect(await failure(s3.send(new GetBucketWebsiteCommand({ Bucket })))).toEqual({ name: 'NoSuchWebsiteConfiguration', message: 'The specified bucket does not have a website configuration', status: 404 });
    expect(await failure(s3.send(new GetBucketReplicationCommand({ Bucket })))).toEqual({ name: 'ReplicationConfigurationNotFoundError', message: 'The replication configuration was not found', status: 404 });
    expect(await failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket })))).toEqual({ name: 'ObjectLockConfigurationNotFoundError', message: 'Object Lock configuration does not exist for this bucket', status: 404 });
    expect((await failure(s3.send(new GetBucketPolicyStatusCommand({ Bucket })))).name).toBe('NoSuchBucketPolicy');
    expect((await failure(s3.send(new GetBucketCorsCommand({ Bucket: 'no-such-bucket' })))).name).toBe('NoSuchBucket');
  });

  test('a bucket with nothing configured answers S3\'s defaults since 2023 (GetBucketVersioning, GetBucketAcl, GetBucketEncryption, GetPublicAccessBlock, GetBucketOwnershipControls, GetBucketLocation, notification, logging, request payment, accelerate)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'default-bucket' }));
    const Bucket = 'default-bucket';
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
    expect(acl.Grants?.map((g) => [g.Grantee?.ID, g.Grantee?.Type, g.Permission])).toEqual([[acl.Owner?.ID, 'CanonicalUser', 'FULL_CONTROL']]);
    const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe('BucketOwnerEnforced');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBeUndefined();
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect([notification.TopicConfigurations, notification.QueueConfigurations, notification.LambdaFunctionConfigurations]).toEqual([undefined, undefined, undefined]);
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket }))).LoggingEnabled).toBeUndefined();
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer).toBe('BucketOwner');
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status).toBeUndefined();
  });

  test('PUT stores and DELETE removes a policy, CORS, lifecycle, tags and a website (PutBucketPolicy, PutBucketCors, PutBucketLifecycleConfiguration, PutBucketTagging, PutBucketWebsite)', async () => {
    const Bucket = 'configured-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }));
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!)).toEqual(JSON.parse(policy));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus?.IsPublic).toBe(true);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect((await failure(s3.send(new GetBucketPolicyCommand({ Bucket })))).name).toBe('NoSuchBucketPolicy');

    const rule = { AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://example.com'], AllowedHeaders: ['*'], MaxAgeSeconds: 300 };
    await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [rule] } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules).toEqual([rule]);
    await s3.send(new DeleteBucketCorsCommand({ Bucket }));
    expect((await failure(s3.send(new GetBucketCorsCommand({ Bucket })))).name).toBe('NoSuchCORSConfiguration');

    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }] } }));
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(lifecycle.Rules?.map((r) => [r.ID, r.Status, r.Filter?.Prefix, r.Expiration?.Days])).toEqual([['expire-tmp', 'Enabled', 'tmp/', 7]]);

    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'storage' }, { Key: 'env', Value: 'test' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'team', Value: 'storage' }, { Key: 'env', Value: 'test' }]);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket }));
    expect((await failure(s3.send(new GetBucketTaggingCommand({ Bucket })))).name).toBe('NoSuchTagSet');

    await s3.send(new PutBucketWebsiteCommand({ Bucket, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    expect((await s3.send(new GetBucketWebsiteCommand({ Bucket }))).IndexDocument?.Suffix).toBe('index.html');
  });

  test('versioning, default encryption (applied to new objects), Block Public Access and ownership controls are stored; DELETE restores the default or S3\'s not-found error', async () => {
    const Bucket = 'settings-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Suspended');

    await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/bucket-key' }, BucketKeyEnabled: true }] } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'encrypted', Body: 'x' }));
    expect([put.ServerSideEncryption, put.SSEKMSKeyId, put.BucketKeyEnabled]).toEqual(['aws:kms', 'alias/bucket-key', true]);
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x' }))).ServerSideEncryption).toBe('AES256');

    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(false);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect(await failure(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toEqual({ name: 'NoSuchPublicAccessBlockConfiguration', message: 'The public access block configuration was not found', status: 404 });

    // ACLs are disabled (BucketOwnerEnforced) until ownership controls allow them (about-object-ownership).
    await s3.send(new PutObjectCommand({ Bucket, Key: 'acl-object', Body: 'x' }));
    expect(await failure(s3.send(new PutObjectAclCommand({ Bucket, Key: 'acl-object', ACL: 'public-read' })))).toEqual({ name: 'AccessControlListNotSupported', message: 'The bucket does not allow ACLs', status: 400 });
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'acl-object', ACL: 'public-read' }));
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
    expect((await failure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket })))).name).toBe('OwnershipControlsNotFoundError');
  });

  test('malformed bodies get S3\'s errors: MalformedXML, MalformedPolicy, InvalidRequest for a CORS method, InvalidTag, MissingRequestBodyError', async () => {
    const Bucket = 'strict-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    for (const [sub, body] of [['cors', '<CORSConfiguration><CORSRule>'], ['lifecycle', '<NotLifecycle/>'], ['versioning', '<VersioningConfiguration><Status>Maybe</Status></VersioningConfiguration>'],
      ['tagging', '<!DOCTYPE x [<!ENTITY a "b">]><Tagging><TagSet/></Tagging>'], ['encryption', '<ServerSideEncryptionConfiguration><Rule/></ServerSideEncryptionConfiguration>']]) {
      const r = await raw('PUT', `/${Bucket}?${sub}`, body!);
      expect([sub, r.status, codeOf(r)]).toEqual([sub, 400, 'MalformedXML']);
    }
    expect(codeOf(await raw('PUT', `/${Bucket}?cors`, ''))).toBe('MissingRequestBodyError');
    expect(await failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: 'not json' })))).toEqual({ name: 'MalformedPolicy', message: "Policies must be valid JSON and the first byte must be '{'", status: 400 });
    expect((await failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: '{"Version":"2012-10-17"}' })))).message).toBe('Missing required field Statement');
    const cors = await failure(s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] } })));
    expect(cors).toEqual({ name: 'InvalidRequest', message: 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH', status: 400 });
    const dup = await failure(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })));
    expect(dup).toEqual({ name: 'InvalidTag', message: 'Cannot provide multiple Tags with the same key', status: 400 });
    // Nothing invalid was stored.
    expect((await failure(s3.send(new GetBucketCorsCommand({ Bucket })))).name).toBe('NoSuchCORSConfiguration');
  });

  test('object tags (x-amz-tagging, PutObjectTagging, DeleteObjectTagging), ACL, attributes, Object Lock and restore answer as S3 does', async () => {
    const Bucket = 'object-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'tagged', Body: 'hello', Tagging: 'a=1&b=two%20words' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'tagged' }))).TagSet).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
    expect((await s3.send(new GetObjectCommand({ Bucket, Key: 'tagged' }))).TagCount).toBe(2);
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'tagged', Tagging: { TagSet: [{ Key: 'c', Value: '3' }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'tagged' }))).TagSet).toEqual([{ Key: 'c', Value: '3' }]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await failure(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'tagged', Tagging: { TagSet: eleven } })))).toEqual({ name: 'BadRequest', message: 'Object tags cannot be greater than 10', status: 400 });
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'tagged' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'tagged' }))).TagSet).toEqual([]);
    expect((await failure(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'missing' })))).name).toBe('NoSuchKey');

    const acl = await s3.send(new GetObjectAclCommand({ Bucket, Key: 'tagged' }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(['FULL_CONTROL']);
    const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'tagged', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass'] }));
    expect([attrs.ETag, attrs.ObjectSize, attrs.StorageClass]).toEqual(['5d41402abc4b2a76b9719d911017c592', 5, 'STANDARD']);

    expect(await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'tagged' })))).toEqual({ name: 'InvalidRequest', message: 'Bucket is missing Object Lock Configuration', status: 400 });
    const restore = await failure(s3.send(new RestoreObjectCommand({ Bucket, Key: 'tagged', RestoreRequest: { Days: 1 } })));
    expect([restore.name, restore.status]).toEqual(['InvalidObjectState', 403]);
  });

  test('a bucket created with Object Lock has versioning on and keeps object retention (CreateBucket, PutObjectRetention, GetObjectRetention)', async () => {
    const Bucket = 'locked-bucket';
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    expect(await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k' })))).toEqual({ name: 'NoSuchObjectLockConfiguration', message: 'The specified object does not have a ObjectLock configuration', status: 404 });
    const until = new Date(Date.now() + 86_400_000 * 365);
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'k', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: until } }));
    const got = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'k' }));
    expect([got.Retention?.Mode, got.Retention?.RetainUntilDate?.getTime()]).toEqual(['GOVERNANCE', until.getTime()]);
  });

  test('CopyObject copies body, metadata and tags (or replaces them); copying onto itself unchanged is InvalidRequest', async () => {
    const Bucket = 'copy-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'source body', ContentType: 'text/plain', Metadata: { who: 'me' }, Tagging: 't=1' }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src` }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dst' }));
    expect([copied.CopyObjectResult?.ETag, head.ContentType, head.Metadata, head.ContentLength]).toEqual([head.ETag, 'text/plain', { who: 'me' }, 11]);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'dst' }))).TagSet).toEqual([{ Key: 't', Value: '1' }]);
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'src', CopySource: `${Bucket}/src`, MetadataDirective: 'REPLACE', ContentType: 'application/json' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'src' }))).ContentType).toBe('application/json');
    const self = await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'src', CopySource: `${Bucket}/src` })));
    expect([self.name, self.status]).toEqual(['InvalidRequest', 400]);
    expect((await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/nope` })))).name).toBe('NoSuchKey');
  });

  test('ListObjectVersions lists each object as its one version, null, the latest', async () => {
    const Bucket = 'versions-bucket';
    await s3.send(new CreateBucketCommand({ Bucket }));
    for (const Key of ['a', 'b', 'c']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }));
    expect(page.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([['a', 'null', true], ['b', 'null', true]]);
    expect([page.IsTruncated, page.NextKeyMarker]).toEqual([true, 'b']);
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket, KeyMarker: page.NextKeyMarker }));
    expect(rest.Versions?.map((v) => v.Key)).toEqual(['c']);
  });

  test('subresource settings, object tags and uploads in progress persist across a restart (as buckets and objects do)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-s3-sub-'));
    try {
      const first = await startSandbox({ dataDir, log: () => {} });
      const a = client(first.endpoint);
      await a.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
      await a.send(new PutBucketCorsCommand({ Bucket: 'kept-bucket', CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } }));
      await a.send(new PutBucketVersioningCommand({ Bucket: 'kept-bucket', VersioningConfiguration: { Status: 'Enabled' } }));
      await a.send(new DeletePublicAccessBlockCommand({ Bucket: 'kept-bucket' }));
      await a.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'k', Body: 'v', Tagging: 'x=y' }));
      const upload = await a.send(new CreateMultipartUploadCommand({ Bucket: 'kept-bucket', Key: 'big' }));
      await first.stop();
      const second = await startSandbox({ dataDir, log: () => {} });
      const b = client(second.endpoint);
      expect((await b.send(new GetBucketCorsCommand({ Bucket: 'kept-bucket' }))).CORSRules?.[0]?.AllowedMethods).toEqual(['GET']);
      expect((await b.send(new GetBucketVersioningCommand({ Bucket: 'kept-bucket' }))).Status).toBe('Enabled');
      expect((await failure(b.send(new GetPublicAccessBlockCommand({ Bucket: 'kept-bucket' })))).name).toBe('NoSuchPublicAccessBlockConfiguration');
      expect((await b.send(new GetObjectTaggingCommand({ Bucket: 'kept-bucket', Key: 'k' }))).TagSet).toEqual([{ Key: 'x', Value: 'y' }]);
      expect((await b.send(new ListMultipartUploadsCommand({ Bucket: 'kept-bucket' }))).Uploads?.map((u) => u.UploadId)).toEqual([upload.UploadId]);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
