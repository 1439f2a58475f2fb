/**
 * EC2 DryRun, UnauthorizedOperation, RunInstances validation and DescribeInstanceTypeOfferings,
 * as AWS answers them.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/CommonParameters.html (DryRun)
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html
 */
import {
  CopyImageCommand, CreateImageCommand, CreateTagsCommand, DeleteSnapshotCommand, DeleteSubnetCommand, DeregisterImageCommand, DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, DescribeKeyPairsCommand, CreateKeyPairCommand, EC2Client, RunInstancesCommand,
  StopInstancesCommand, TerminateInstancesCommand, type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';
import { failure } from '../sdk-failure.js';

const REGION = 'eu-west-1';
if (!hasAws) console.warn('sandbox: ec2 preconditions › AWS CLI tests skipped: no working `aws` on PATH');
if (!hasBoto3) console.warn('sandbox: ec2 preconditions › boto3 tests skipped: python3 with boto3 is not installed');

const DRY_RUN = { name: 'DryRunOperation', status: 412, message: 'Request would have succeeded, but DryRun flag is set.' };

describe('sandbox: ec2 DryRun, denials and launch preconditions (JS SDK)', () => {
  let sandbox: Sandbox;
  let ec2: EC2Client;
  let subnetA: string;
  let subnetOtherVpc: string;
  let groupOtherVpc: string;
  let imageId: string;
  const client = (accessKeyId: string) => new EC2Client({ endpoint: sandbox.endpoint, region: REGION, credentials: { accessKeyId, secretAccessKey: 'x' }, maxAttempts: 1 });

  beforeAll(async () => {
    sandbox = await startSandbox({ region: REGION, log: () => {} });
    ec2 = client('AKIAOPS');
    const subnets = sandbox.ec2.region(REGION).subnets();
    subnetA = subnets.find((s) => s.availabilityZone === `${REGION}a`)!.subnetId;
    [subnetOtherVpc] = sandbox.ec2.seedSubnets(REGION, [{ availabilityZone: `${REGION}b`, vpcId: 'vpc-0fedcba9876543210' }]);
    groupOtherVpc = sandbox.ec2.region(REGION).securityGroups().find((g) => g.groupName === 'default')!.groupId;
    sandbox.ec2.seedKeyPairs(REGION, ['ops']);
    imageId = sandbox.ec2.region(REGION).images({ includePublic: true }).find((i) => i.name.includes('x86_64'))!.imageId;
  });
  afterAll(async () => sandbox.stop());

  const launch = (extra: Partial<RunInstancesCommandInput> = {}, c = ec2) =>
    c.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, InstanceType: 'm5.large', SubnetId: subnetA, KeyName: 'ops', ...extra }));

  test('a valid RunInstances with DryRun answers DryRunOperation (412) and launches nothing', async () => {
    const before = sandbox.ec2.region(REGION).instances().length;
    expect(await failure(launch({ DryRun: true }))).toMatchObject(DRY_RUN);
    expect(sandbox.ec2.region(REGION).instances().length).toBe(before);
  });

  test('DryRun on a request that would fail answers the validation error, not DryRunOperation', async () => {
    expect(await failure(launch({ DryRun: true, SubnetId: 'subnet-0123456789abcdef0' }))).toMatchObject({ name: 'InvalidSubnetID.NotFound', message: "The subnet ID 'subnet-0123456789abcdef0' does not exist" });
    expect(await failure(launch({ DryRun: true, SecurityGroupIds: ['sg-0123456789abcdef0'] }))).toMatchObject({ name: 'InvalidGroup.NotFound', message: "The security group 'sg-0123456789abcdef0' does not exist" });
    expect(await failure(launch({ DryRun: true, KeyName: 'nobody' }))).toMatchObject({ name: 'InvalidKeyPair.NotFound', message: "The key pair 'nobody' does not exist", status: 400 });
    expect(await failure(launch({ DryRun: true, InstanceType: 'm5.huge' as never }))).toMatchObject({ name: 'InvalidParameterValue', message: "Invalid value 'm5.huge' for InstanceType." });
  });

  test('a security group of another VPC than the subnet is InvalidParameter, worded as AWS', async () => {
    const e = await failure(launch({ DryRun: true, SubnetId: subnetOtherVpc, SecurityGroupIds: [groupOtherVpc] }));
    expect(e).toMatchObject({ name: 'InvalidParameter', message: `Security group ${groupOtherVpc} and subnet ${subnetOtherVpc} belong to different networks.` });
  });

  test('a type withdrawn from the subnet zone is Unsupported, naming the zones that offer it; DescribeInstanceTypeOfferings agrees', async () => {
    sandbox.ec2.withdrawInstanceType(REGION, 'c5.large', [`${REGION}a`]);
    const e = await failure(launch({ DryRun: true, InstanceType: 'c5.large' }));
    expect(e).toMatchObject({
      name: 'Unsupported', status: 400,
      message: `Your requested instance type (c5.large) is not supported in your requested Availability Zone (${REGION}a). Please retry your request by not specifying an Availability Zone or choosing ${REGION}b, ${REGION}c.`,
    });
    const zones = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: ['c5.large'] }] }));
    expect(zones.InstanceTypeOfferings!.map((o) => o.Location)).toEqual([`${REGION}b`, `${REGION}c`]);
    sandbox.ec2.restoreInstanceType(REGION, 'c5.large');
    expect(await failure(launch({ DryRun: true, InstanceType: 'c5.large' }))).toMatchObject(DRY_RUN);
  });

  test('DescribeInstanceTypeOfferings: region by default, zone ids, location filter, paging with MaxResults/NextToken', async () => {
    const region = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['m5.large', 'p3.2xlarge'] }] }));
    expect(region.InstanceTypeOfferings).toEqual([
      { InstanceType: 'm5.large', LocationType: 'region', Location: REGION },
      { InstanceType: 'p3.2xlarge', LocationType: 'region', Location: REGION },
    ]);
    const gpu = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone-id', Filters: [{ Name: 'instance-type', Values: ['p3.2xlarge'] }] }));
    expect(gpu.InstanceTypeOfferings!.map((o) => o.Location)).toEqual(['euw1-az1', 'euw1-az2']);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: [`${REGION}c`] }, { Name: 'instance-type', Values: ['m5.*'] }], MaxResults: 5, NextToken: token }));
      expect(page.InstanceTypeOfferings!.length).toBeLessThanOrEqual(5);
      seen.push(...page.InstanceTypeOfferings!.map((o) => o.InstanceType!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(['m5.12xlarge', 'm5.16xlarge', 'm5.24xlarge', 'm5.2xlarge', 'm5.4xlarge', 'm5.8xlarge', 'm5.large', 'm5.xlarge']);
    expect(await failure(ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'planet' as never })))).toMatchObject({ name: 'InvalidParameterValue' });
    expect(await failure(ec2.send(new DescribeInstanceTypeOfferingsCommand({ MaxResults: 2 })))).toMatchObject({ name: 'InvalidParameterValue' });
  });

  test('DescribeInstanceTypes answers DefaultVCpus; an unknown type is InvalidInstanceType', async () => {
    const out = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.2xlarge', 't3.micro'] }));
    expect(out.InstanceTypes!.map((t) => [t.InstanceType, t.VCpuInfo?.DefaultVCpus, t.MemoryInfo?.SizeInMiB])).toEqual([['m5.2xlarge', 8, 32768], ['t3.micro', 2, 1024]]);
    expect(await failure(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.huge' as never] })))).toMatchObject({ name: 'InvalidInstanceType', message: 'The following supplied instance types do not exist: [m5.huge]' });
  });

  test('DryRun on the other operations answers DryRunOperation and changes nothing', async () => {
    const [instanceId] = sandbox.ec2.seedInstances(REGION, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 8 }] }]);
    const image = await ec2.send(new CreateImageCommand({ InstanceId: instanceId, Name: 'base-image' }));
    sandbox.ec2.settle();
    await new Promise((r) => setTimeout(r, 10));
    const snapshotId = sandbox.ec2.region(REGION).images().find((i) => i.imageId === image.ImageId)!.blockDeviceMappings[0]!.snapshotId;
    const calls = [
      new CreateImageCommand({ InstanceId: instanceId, Name: 'dry-image', DryRun: true }),
      new CopyImageCommand({ SourceImageId: image.ImageId!, SourceRegion: REGION, Name: 'dry-copy', DryRun: true }),
      new CreateTagsCommand({ Resources: [instanceId!], Tags: [{ Key: 'k', Value: 'v' }], DryRun: true }),
      new StopInstancesCommand({ InstanceIds: [instanceId!], DryRun: true }),
      new TerminateInstancesCommand({ InstanceIds: [instanceId!], DryRun: true }),
      new DeregisterImageCommand({ ImageId: image.ImageId!, DryRun: true }),
    ];
    for (const call of calls) expect(await failure(ec2.send(call as never)), call.constructor.name).toMatchObject(DRY_RUN);
    const inst = sandbox.ec2.region(REGION).instances().find((i) => i.instanceId === instanceId)!;
    expect(inst).toMatchObject({ state: 'running', tags: {} });
    expect(sandbox.ec2.region(REGION).images().map((i) => i.name)).toEqual(['base-image']);
    // A snapshot still used by an image: the DryRun answers the real error.
    expect(await failure(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId, DryRun: true })))).toMatchObject({ name: 'InvalidSnapshot.InUse' });
    await ec2.send(new DeregisterImageCommand({ ImageId: image.ImageId! }));
    expect(await failure(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId, DryRun: true })))).toMatchObject(DRY_RUN);
    expect(sandbox.ec2.region(REGION).snapshots().map((s) => s.snapshotId)).toContain(snapshotId);
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId!] }));
    expect(stopped.StoppingInstances).toEqual([{ InstanceId: instanceId, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
  });

  test('a denied action answers UnauthorizedOperation (403) for DryRun and real calls, for one key, one principal or everyone', async () => {
    sandbox.ec2.deny({ action: 'RunInstances', accessKeyId: 'AKIADENIED' });
    const denied = await failure(launch({ DryRun: true }, client('AKIADENIED')));
    expect(denied).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
    expect(denied.message).toMatch(/^You are not authorized to perform this operation\. Encoded authorization failure message: [A-Za-z0-9_-]+$/);
    expect(await failure(launch({}, client('AKIADENIED')))).toMatchObject({ name: 'UnauthorizedOperation' });
    expect(await failure(launch({ DryRun: true }))).toMatchObject(DRY_RUN);
    // By principal: the key's principal comes from STS.
    sandbox.sts.setPrincipal('AKIAMALLORY', 'arn:aws:iam::123456789012:user/mallory');
    sandbox.ec2.allow();
    sandbox.ec2.deny({ action: 'TerminateInstances', principalArn: 'arn:aws:iam::123456789012:user/mallory' });
    expect(await failure(client('AKIAMALLORY').send(new TerminateInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'], DryRun: true })))).toMatchObject({ name: 'UnauthorizedOperation' });
    // Everyone, through the admin API.
    const res = await fetch(`${sandbox.endpoint}/_sandbox/ec2.deny`, { method: 'POST', body: JSON.stringify({ action: 'DescribeInstances' }) });
    expect(res.status).toBe(200);
    expect(await failure(ec2.send(new DescribeInstancesCommand({})))).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
    await fetch(`${sandbox.endpoint}/_sandbox/ec2.allow`, { method: 'POST', body: '{}' });
    await ec2.send(new DescribeInstancesCommand({}));
  });

  test('key pairs: CreateKeyPair, DescribeKeyPairs, duplicates refused', async () => {
    const made = await ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy' }));
    expect(made.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    expect(await failure(ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy' })))).toMatchObject({ name: 'InvalidKeyPair.Duplicate', message: "The keypair 'deploy' already exists." });
    const listed = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['deploy', 'ops'] }));
    expect(listed.KeyPairs!.map((k) => k.KeyName)).toEqual(['deploy', 'ops']);
    expect(await failure(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ghost'] })))).toMatchObject({ name: 'InvalidKeyPair.NotFound', message: "The key pair 'ghost' does not exist" });
  });

  test('a deleted subnet (DeleteSubnet, or the remove-subnet fault) is InvalidSubnetID.NotFound for later launches', async () => {
    const [spare] = sandbox.ec2.seedSubnets(REGION, [{ availabilityZone: `${REGION}c` }]);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: spare }));
    expect(await failure(launch({ DryRun: true, SubnetId: spare }))).toMatchObject({ name: 'InvalidSubnetID.NotFound' });
    const [other] = sandbox.ec2.seedSubnets(REGION, [{ availabilityZone: `${REGION}c` }]);
    const res = await fetch(`${sandbox.endpoint}/_sandbox/ec2.remove-subnet`, { method: 'POST', body: JSON.stringify({ region: REGION, subnetId: other }) });
    expect(res.status).toBe(200);
    expect(await failure(launch({ SubnetId: other }))).toMatchObject({ name: 'InvalidSubnetID.NotFound' });
  });
});

describe.skipIf(!hasAws)('sandbox: ec2 preconditions with the AWS CLI', () => {
  test('`aws ec2 run-instances --dry-run` and `describe-instance-type-offerings` as on AWS', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      const imageId = sandbox.ec2.region(REGION).images({ includePublic: true })[0]!.imageId;
      const e = await runAws(sandbox.endpoint, ['ec2', 'run-instances', '--dry-run', '--image-id', imageId, '--instance-type', 'm5.large', '--count', '1', '--region', REGION]).catch((err: { stderr: string }) => err.stderr);
      expect(e).toMatch(/DryRunOperation.*Request would have succeeded, but DryRun flag is set\./);
      const out = JSON.parse(await runAws(sandbox.endpoint, ['ec2', 'describe-instance-type-offerings', '--location-type', 'availability-zone', '--filters', 'Name=instance-type,Values=g5.xlarge', '--region', REGION, '--output', 'json']));
      expect(out.InstanceTypeOfferings.map((o: { Location: string }) => o.Location)).toEqual([`${REGION}a`, `${REGION}b`]);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});

describe.skipIf(!hasBoto3)('sandbox: ec2 preconditions with boto3', () => {
  test('run_instances(DryRun=True) answers DryRunOperation; a denied key UnauthorizedOperation', async () => {
    const sandbox = await startSandbox({ log: () => {} });
    try {
      sandbox.ec2.deny({ action: 'RunInstances', accessKeyId: 'AKIABLOCKED' });
      const imageId = sandbox.ec2.region(REGION).images({ includePublic: true })[0]!.imageId;
      const script = String.raw`
import json, sys, boto3, botocore
out = {}
for key in ['AKIAOK', 'AKIABLOCKED']:
    ec2 = boto3.client('ec2', endpoint_url=sys.argv[1], region_name='eu-west-1', aws_access_key_id=key, aws_secret_access_key='x')
    try:
        ec2.run_instances(ImageId=sys.argv[2], InstanceType='m5.large', MinCount=1, MaxCount=1, DryRun=True)
    except botocore.exceptions.ClientError as e:
        out[key] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`;
      const out = JSON.parse(await runPython(script, [sandbox.endpoint, imageId]));
      expect(out).toEqual({ AKIAOK: ['DryRunOperation', 412], AKIABLOCKED: ['UnauthorizedOperation', 403] });
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});
