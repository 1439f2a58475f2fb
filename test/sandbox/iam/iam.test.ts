/**
 * IAM instance profiles, and EC2 refusing a launch that names one that does not exist.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IamInstanceProfileSpecification.html
 */
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';
import { failure } from '../sdk-failure.js';
import { signedCall } from '../signed-request.js';

if (!hasAws) console.warn('sandbox: iam › AWS CLI tests skipped: no working `aws` on PATH');
if (!hasBoto3) console.warn('sandbox: iam › boto3 tests skipped: python3 with boto3 is not installed');

describe('sandbox: iam instance profiles (SigV4 Query as the JS SDK signs it)', () => {
  let sandbox: Sandbox;
  const call = (params: Record<string, string>) =>
    signedCall({ endpoint: sandbox.endpoint, region: 'us-east-1', service: 'iam', body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString() });
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test('CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles, DeleteInstanceProfile; NoSuchEntity (404) worded as AWS', async () => {
    const created = await call({ Action: 'CreateInstanceProfile', InstanceProfileName: 'web' });
    expect(created.status).toBe(200);
    expect(created.body).toMatch(/<CreateInstanceProfileResult>\s*<InstanceProfile><Path>\/<\/Path><InstanceProfileName>web<\/InstanceProfileName><InstanceProfileId>AIPA[A-Z2-7]{17}<\/InstanceProfileId><Arn>arn:aws:iam::123456789012:instance-profile\/web<\/Arn>/);
    expect((await call({ Action: 'CreateInstanceProfile', InstanceProfileName: 'web' }))).toMatchObject({ status: 409, body: expect.stringContaining('<Code>EntityAlreadyExists</Code>') });
    expect((await call({ Action: 'GetInstanceProfile', InstanceProfileName: 'web' })).body).toContain('<InstanceProfileName>web</InstanceProfileName>');
    expect((await call({ Action: 'ListInstanceProfiles' })).body).toMatch(/<InstanceProfiles><member>.*web.*<\/member><\/InstanceProfiles><IsTruncated>false<\/IsTruncated>/s);
    expect((await call({ Action: 'DeleteInstanceProfile', InstanceProfileName: 'web' })).status).toBe(200);
    const missing = await call({ Action: 'GetInstanceProfile', InstanceProfileName: 'web' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/<Code>NoSuchEntity<\/Code>\s*<Message>Instance Profile web cannot be found\.<\/Message>/);
  });

  test('RunInstances naming a missing instance profile is InvalidParameterValue (DryRun too); once created it launches', async () => {
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'x' }, maxAttempts: 1 });
    const imageId = sandbox.ec2.region('us-east-1').images({ includePublic: true })[0]!.imageId;
    const arn = 'arn:aws:iam::123456789012:instance-profile/app';
    const byArn = await failure(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Arn: arn }, DryRun: true })));
    expect(byArn).toMatchObject({ name: 'InvalidParameterValue', message: `Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN` });
    const byName = await failure(ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'app' } })));
    expect(byName).toMatchObject({ name: 'InvalidParameterValue', message: 'Value (app) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name' });
    const res = await fetch(`${sandbox.endpoint}/_sandbox/iam.create-instance-profile`, { method: 'POST', body: JSON.stringify({ arn }) });
    expect(res.status).toBe(200);
    const out = await ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'app' } }));
    expect(out.Instances![0]!.IamInstanceProfile).toEqual({ Arn: arn, Id: sandbox.iam.findInstanceProfile({ arn })!.id });
  });
});

describe.skipIf(!hasAws)('sandbox: iam with the AWS CLI', () => {
  test('`aws iam create-instance-profile` / `get-instance-profile`', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      const cli = (...args: string[]) => runAws(sandbox.endpoint, ['iam', ...args, '--output', 'json'], { defaultRegion: 'us-east-1' });
      await cli('create-instance-profile', '--instance-profile-name', 'db');
      expect(JSON.parse(await cli('get-instance-profile', '--instance-profile-name', 'db')).InstanceProfile).toMatchObject({ InstanceProfileName: 'db', Arn: 'arn:aws:iam::123456789012:instance-profile/db', Roles: [] });
      const e = await cli('get-instance-profile', '--instance-profile-name', 'nope').catch((err: { stderr: string }) => err.stderr);
      expect(e).toMatch(/NoSuchEntity.*Instance Profile nope cannot be found\./);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});

describe.skipIf(!hasBoto3)('sandbox: iam with boto3', () => {
  test('list_instance_profiles and a NoSuchEntity error', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      sandbox.iam.createInstanceProfile('arn:aws:iam::123456789012:instance-profile/shop-db');
      const script = String.raw`
import json, sys, boto3, botocore
iam = boto3.client('iam', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='x')
names = [p['InstanceProfileName'] for p in iam.list_instance_profiles()['InstanceProfiles']]
try:
    iam.get_instance_profile(InstanceProfileName='none')
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps([names, err]))
`;
      expect(JSON.parse(await runPython(script, [sandbox.endpoint]))).toEqual([['shop-db'], ['NoSuchEntity', 404]]);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});
