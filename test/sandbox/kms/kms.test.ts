/**
 * KMS keys and aliases as EC2's users see them, and EC2 refusing a key that is not enabled.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html
 */
import { CopyImageCommand, CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';
import { jsonCall } from '../signed-request.js';

const REGION = 'us-west-2';
if (!hasAws) console.warn('sandbox: kms › AWS CLI tests skipped: no working `aws` on PATH');
if (!hasBoto3) console.warn('sandbox: kms › boto3 tests skipped: python3 with boto3 is not installed');

async function advance(sandbox: Sandbox, seconds: number): Promise<void> {
  await fetch(`${sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: seconds }) });
}

describe('sandbox: kms (SigV4 JSON 1.1 as the JS SDK sends it)', () => {
  let sandbox: Sandbox;
  const call = (op: string, input: unknown) => jsonCall(sandbox.endpoint, REGION, 'kms', `TrentService.${op}`, input);
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test('CreateKey, CreateAlias, DescribeKey by id, ARN, alias and alias ARN; ListAliases and ListKeys', async () => {
    const created = (await call('CreateKey', { Description: 'copies' })).json.KeyMetadata;
    expect(created).toMatchObject({ AWSAccountId: '123456789012', Enabled: true, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', KeyManager: 'CUSTOMER', Origin: 'AWS_KMS', Description: 'copies' });
    expect(created.Arn).toBe(`arn:aws:kms:${REGION}:123456789012:key/${created.KeyId}`);
    expect((await call('CreateAlias', { AliasName: 'alias/copies', TargetKeyId: created.KeyId })).status).toBe(200);
    for (const ref of [created.KeyId, created.Arn, 'alias/copies', `arn:aws:kms:${REGION}:123456789012:alias/copies`]) {
      expect((await call('DescribeKey', { KeyId: ref })).json.KeyMetadata.KeyId, ref).toBe(created.KeyId);
    }
    const aliases = (await call('ListAliases', {})).json.Aliases.map((a: { AliasName: string }) => a.AliasName);
    expect(aliases).toEqual(['alias/aws/ebs', 'alias/copies']);
    const keys = (await call('ListKeys', {})).json;
    expect(keys).toMatchObject({ Truncated: false });
    expect(keys.Keys.map((k: { KeyId: string }) => k.KeyId)).toContain(created.KeyId);
  });

  test('alias/aws/ebs resolves to the AWS-managed key, which is EC2\'s default EBS key', async () => {
    const ebs = (await call('DescribeKey', { KeyId: 'alias/aws/ebs' })).json.KeyMetadata;
    expect(ebs).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' });
    expect(ebs.Arn).toBe(sandbox.ec2.region(REGION).defaultKmsKeyId);
  });

  test('NotFoundException worded as AWS words it, for a key id, a key ARN and an alias', async () => {
    const missing = '1234abcd-12ab-34cd-56ef-000000000000';
    expect((await call('DescribeKey', { KeyId: missing })).json).toEqual({ __type: 'NotFoundException', message: `Key 'arn:aws:kms:${REGION}:123456789012:key/${missing}' does not exist` });
    expect((await call('DescribeKey', { KeyId: 'alias/nothing' })).json).toEqual({ __type: 'NotFoundException', message: `Alias arn:aws:kms:${REGION}:123456789012:alias/nothing is not found.` });
    expect((await call('DescribeKey', { KeyId: 'alias/nothing' })).status).toBe(400);
  });

  test('DisableKey, EnableKey, ScheduleKeyDeletion: KeyState and Enabled follow; a key pending deletion cannot be enabled', async () => {
    const key = (await call('CreateKey', {})).json.KeyMetadata;
    await call('DisableKey', { KeyId: key.KeyId });
    expect((await call('DescribeKey', { KeyId: key.KeyId })).json.KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
    await call('EnableKey', { KeyId: key.KeyId });
    expect((await call('DescribeKey', { KeyId: key.KeyId })).json.KeyMetadata.KeyState).toBe('Enabled');
    const scheduled = (await call('ScheduleKeyDeletion', { KeyId: key.KeyId, PendingWindowInDays: 7 })).json;
    expect(scheduled).toMatchObject({ KeyId: key.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    expect((await call('DescribeKey', { KeyId: key.KeyId })).json.KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: expect.any(Number) });
    expect((await call('EnableKey', { KeyId: key.KeyId })).json.__type).toBe('KMSInvalidStateException');
  });

  test('EC2: a launch from an image encrypted with a disabled key ends terminated (Client.InvalidKMSKey.InvalidState); a copy to a disabled key fails', async () => {
    const ec2 = new EC2Client({ endpoint: sandbox.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'x' }, maxAttempts: 1 });
    const key = sandbox.kms.createKey(REGION, { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', alias: 'alias/recovery' });
    const [instanceId] = sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 8, encrypted: true }] }]);
    const { ImageId: imageId } = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'enc-source' }));
    await advance(sandbox, 3600);
    const copy = await ec2.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: REGION, Name: 'enc-copy', Encrypted: true, KmsKeyId: 'alias/recovery' }));
    await advance(sandbox, 3600);
    expect((await ec2.send(new DescribeImagesCommand({ ImageIds: [copy.ImageId!] }))).Images![0]!.State).toBe('available');
    sandbox.kms.setEnabled(REGION, key.arn, false);
    const failed = await ec2.send(new CopyImageCommand({ SourceImageId: imageId, SourceRegion: REGION, Name: 'enc-copy-2', Encrypted: true, KmsKeyId: key.arn }));
    const launched = await ec2.send(new RunInstancesCommand({ ImageId: copy.ImageId!, InstanceType: 'm5.large', MinCount: 1, MaxCount: 1 }));
    await advance(sandbox, 1800);
    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [failed.ImageId!] }))).Images![0]!;
    expect(image).toMatchObject({ State: 'failed', StateReason: { Code: 'Client.InvalidKMSKey.InvalidState' } });
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.Instances![0]!.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(inst.State?.Name).toBe('terminated');
    expect(inst.StateReason).toEqual({ Code: 'Client.InvalidKMSKey.InvalidState', Message: 'Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state' });
  });
});

describe.skipIf(!hasAws)('sandbox: kms with the AWS CLI', () => {
  test('`aws kms describe-key` and `disable-key`', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      sandbox.kms.createKey(REGION, { alias: 'alias/cli' });
      const cli = async (...args: string[]) => runAws(sandbox.endpoint, ['kms', ...args, '--region', REGION, '--output', 'json']);
      await cli('disable-key', '--key-id', 'alias/cli');
      expect(JSON.parse(await cli('describe-key', '--key-id', 'alias/cli')).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
      const e = await cli('describe-key', '--key-id', 'alias/none').catch((err: { stderr: string }) => err.stderr);
      expect(e).toMatch(/NotFoundException.*Alias arn:aws:kms:us-west-2:123456789012:alias\/none is not found\./);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});

describe.skipIf(!hasBoto3)('sandbox: kms with boto3', () => {
  test('describe_key of alias/aws/ebs and a NotFoundException', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      const script = String.raw`
import json, sys, boto3, botocore
kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='us-west-2', aws_access_key_id='test', aws_secret_access_key='x')
m = kms.describe_key(KeyId='alias/aws/ebs')['KeyMetadata']
try:
    kms.describe_key(KeyId='alias/none')
    err = None
except botocore.exceptions.ClientError as e:
    err = e.response['Error']['Code']
print(json.dumps([m['KeyManager'], m['KeyState'], err]))
`;
      expect(JSON.parse(await runPython(script, [sandbox.endpoint]))).toEqual(['AWS', 'Enabled', 'NotFoundException']);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});
