/**
 * The sandbox's S3 through the AWS CLI (`aws s3api`, `aws s3`) and boto3, unchanged, pointed at
 * the sandbox with `--endpoint-url` / `endpoint_url` (path-style addressing for an IP endpoint).
 * Each part is skipped, with a message, when the tool is not installed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';

if (!hasAws) console.warn('sandbox: s3 › AWS CLI tests skipped: no working `aws` on PATH (install AWS CLI v1 or v2 to run them)');
if (!hasBoto3) console.warn('sandbox: s3 › boto3 tests skipped: `python3 -c "import boto3"` failed (pip install boto3 to run them)');

const REGION = { defaultRegion: 'us-east-1' };

describe('sandbox: s3 with the AWS CLI and boto3', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    dir = mkdtempSync(join(tmpdir(), 'sandbox-s3-cli-'));
  });
  afterAll(async () => {
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = async (...args: string[]): Promise<string> => {
    return runAws(sandbox.endpoint, args, REGION);
  };

  test.skipIf(!hasAws)('`aws s3api` creates a bucket, puts an SSE-KMS object, heads, gets and lists it', async () => {
    await aws('s3api', 'create-bucket', '--bucket', 'cli-bucket');
    const file = join(dir, 'items.json');
    writeFileSync(file, JSON.stringify([{ id: 1 }, { id: 2 }]));
    const put = JSON.parse(await aws('s3api', 'put-object', '--bucket', 'cli-bucket', '--key', 'in/items.json', '--body', file, '--content-type', 'application/json',
      '--server-side-encryption', 'aws:kms', '--ssekms-key-id', 'alias/cli-key', '--output', 'json')) as Record<string, string>;
    expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(['aws:kms', 'alias/cli-key']);
    const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'in/items.json', '--output', 'json')) as Record<string, unknown>;
    expect([head.ContentLength, head.ContentType, head.ETag, head.SSEKMSKeyId]).toEqual([readFileSync(file).length, 'application/json', put.ETag, 'alias/cli-key']);
    const out = join(dir, 'back.json');
    await aws('s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'in/items.json', out, '--output', 'json');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(file, 'utf8'));
    const list = JSON.parse(await aws('s3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'in/', '--output', 'json')) as { Contents: { Key: string }[] };
    expect(list.Contents.map((c) => c.Key)).toEqual(['in/items.json']);
  });

  test.skipIf(!hasAws)('`aws s3 cp`/`ls`/`rm` work against the sandbox', async () => {
    await aws('s3', 'mb', 's3://cli-high-level');
    const file = join(dir, 'a b.txt');
    writeFileSync(file, 'hello from the cli');
    await aws('s3', 'cp', file, 's3://cli-high-level/dir/a b.txt');
    expect(await aws('s3', 'ls', 's3://cli-high-level/dir/')).toMatch(/18 a b\.txt/);
    await aws('s3', 'rm', 's3://cli-high-level/dir/a b.txt');
    // `aws s3 ls` exits 1 when nothing matches.
    const empty = await aws('s3', 'ls', 's3://cli-high-level/dir/').then((out) => ({ out, code: 0 }), (err: { stdout?: string; code?: number }) => ({ out: err.stdout ?? '', code: err.code }));
    expect(empty).toEqual({ out: '', code: 1 });
  });

  test.skipIf(!hasAws)('the CLI reports NoSuchKey and NoSuchBucket as on AWS', async () => {
    const e1 = await aws('s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'missing', join(dir, 'x')).catch((err: { stderr?: string }) => err.stderr ?? '');
    expect(e1).toMatch(/NoSuchKey/);
    const e2 = await aws('s3api', 'list-objects-v2', '--bucket', 'no-such-cli-bucket').catch((err: { stderr?: string }) => err.stderr ?? '');
    expect(e2).toMatch(/NoSuchBucket/);
  });

  test.skipIf(!hasBoto3)('boto3 puts (SSE-KMS), lists with a delimiter, gets and deletes objects', async () => {
    const script = `
import boto3, json, sys
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='eu-west-1')
s3.create_bucket(Bucket='boto-bucket', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
for k in ['a/1.json', 'a/2.json', 'b/3.json', 'top & more.json']:
    s3.put_object(Bucket='boto-bucket', Key=k, Body=json.dumps({'k': k}).encode(), ServerSideEncryption='aws:kms', SSEKMSKeyId='alias/boto')
top = s3.list_objects_v2(Bucket='boto-bucket', Delimiter='/')
got = s3.get_object(Bucket='boto-bucket', Key='a/2.json')
body = got['Body'].read().decode()
try:
    s3.get_object(Bucket='boto-bucket', Key='nope')
    missing = 'found'
except s3.exceptions.NoSuchKey as e:
    missing = e.response['Error']['Code']
s3.delete_objects(Bucket='boto-bucket', Delete={'Objects': [{'Key': 'a/1.json'}, {'Key': 'a/2.json'}]})
left = [o['Key'] for o in s3.list_objects_v2(Bucket='boto-bucket').get('Contents', [])]
paginated = [o['Key'] for page in s3.get_paginator('list_objects_v2').paginate(Bucket='boto-bucket', PaginationConfig={'PageSize': 1}) for o in page.get('Contents', [])]
print(json.dumps({
  'prefixes': [p['Prefix'] for p in top.get('CommonPrefixes', [])],
  'keys': [o['Key'] for o in top.get('Contents', [])],
  'body': body, 'sse': got['ServerSideEncryption'], 'kms': got['SSEKMSKeyId'],
  'missing': missing, 'left': left, 'paginated': paginated,
  'region': s3.head_bucket(Bucket='boto-bucket')['ResponseMetadata']['HTTPHeaders']['x-amz-bucket-region'],
}))
`;
    const stdout = await runPython(script, [sandbox.endpoint], REGION);
    expect(JSON.parse(stdout)).toEqual({
      prefixes: ['a/', 'b/'], keys: ['top & more.json'], body: '{"k": "a/2.json"}', sse: 'aws:kms', kms: 'alias/boto',
      missing: 'NoSuchKey', left: ['b/3.json', 'top & more.json'], paginated: ['b/3.json', 'top & more.json'], region: 'eu-west-1',
    });
  });

  test.skipIf(!hasAws)('`aws s3api` subresources: NoSuchTagSet / NoSuchBucketPolicy on a new bucket, put and get tags and versioning (GetBucketTagging, GetBucketPolicy)', async () => {
    await aws('s3api', 'create-bucket', '--bucket', 'cli-sub-bucket');
    const noTags = await aws('s3api', 'get-bucket-tagging', '--bucket', 'cli-sub-bucket').catch((err: { stderr?: string }) => err.stderr ?? '');
    expect(noTags).toMatch(/\(NoSuchTagSet\).*The TagSet does not exist/);
    const noPolicy = await aws('s3api', 'get-bucket-policy', '--bucket', 'cli-sub-bucket').catch((err: { stderr?: string }) => err.stderr ?? '');
    expect(noPolicy).toMatch(/\(NoSuchBucketPolicy\)/);
    await aws('s3api', 'put-bucket-tagging', '--bucket', 'cli-sub-bucket', '--tagging', 'TagSet=[{Key=team,Value=cli}]');
    expect(JSON.parse(await aws('s3api', 'get-bucket-tagging', '--bucket', 'cli-sub-bucket', '--output', 'json'))).toEqual({ TagSet: [{ Key: 'team', Value: 'cli' }] });
    await aws('s3api', 'put-bucket-versioning', '--bucket', 'cli-sub-bucket', '--versioning-configuration', 'Status=Enabled');
    expect(JSON.parse(await aws('s3api', 'get-bucket-versioning', '--bucket', 'cli-sub-bucket', '--output', 'json'))).toEqual({ Status: 'Enabled' });
  }, 180_000);

  test.skipIf(!hasBoto3)('boto3 subresources: CORS and lifecycle round trips, S3\'s errors for unconfigured buckets and bad input', async () => {
    const script = `
import boto3, json, sys
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1')
s3.create_bucket(Bucket='boto-sub-bucket')
def code(f, **kw):
    try:
        f(**kw)
        return None
    except ClientError as e:
        return e.response['Error']['Code']
out = {
  'cors': code(s3.get_bucket_cors, Bucket='boto-sub-bucket'),
  'lifecycle': code(s3.get_bucket_lifecycle_configuration, Bucket='boto-sub-bucket'),
  'website': code(s3.get_bucket_website, Bucket='boto-sub-bucket'),
  'badPolicy': code(s3.put_bucket_policy, Bucket='boto-sub-bucket', Policy='[]'),
  'pab': s3.get_public_access_block(Bucket='boto-sub-bucket')['PublicAccessBlockConfiguration']['BlockPublicPolicy'],
  'ownership': s3.get_bucket_ownership_controls(Bucket='boto-sub-bucket')['OwnershipControls']['Rules'][0]['ObjectOwnership'],
}
s3.put_bucket_cors(Bucket='boto-sub-bucket', CORSConfiguration={'CORSRules': [{'AllowedMethods': ['GET'], 'AllowedOrigins': ['*']}]})
out['corsRules'] = s3.get_bucket_cors(Bucket='boto-sub-bucket')['CORSRules']
s3.put_bucket_lifecycle_configuration(Bucket='boto-sub-bucket', LifecycleConfiguration={'Rules': [{'ID': 'r', 'Status': 'Enabled', 'Filter': {'Prefix': 'x/'}, 'AbortIncompleteMultipartUpload': {'DaysAfterInitiation': 2}}]})
out['rule'] = s3.get_bucket_lifecycle_configuration(Bucket='boto-sub-bucket')['Rules'][0]['AbortIncompleteMultipartUpload']
print(json.dumps(out))
`;
    expect(JSON.parse(await runPython(script, [sandbox.endpoint], REGION))).toEqual({
      cors: 'NoSuchCORSConfiguration', lifecycle: 'NoSuchLifecycleConfiguration', website: 'NoSuchWebsiteConfiguration', badPolicy: 'MalformedPolicy',
      pab: true, ownership: 'BucketOwnerEnforced', corsRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }], rule: { DaysAfterInitiation: 2 },
    });
  });
});
