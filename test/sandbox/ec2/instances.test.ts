import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CreateLaunchTemplateCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type RunInstancesCommandInput,
  CreateKeyPairCommand,
} from '@aws-sdk/client-ec2';
import { ec2Env, errorOf, T0, type Ec2Env } from './setup.js';

const WEST = 'us-west-2';

describe('sandbox: ec2 instances', () => {
  let env: Ec2Env;
  let west: EC2Client;
  let baseImage: string;

  beforeEach(async () => {
    env = await ec2Env();
    west = env.client(WEST);
    const images = await env.hold(west.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*-x86_64'] }] })));
    baseImage = images.Images![0]!.ImageId!;
  });
  afterEach(async () => env.close());

  test('every region has a default VPC with a default subnet per zone and a default security group', async () => {
    const regions = await env.hold(west.send(new DescribeRegionsCommand({})));
    expect(regions.Regions!.map((r) => r.RegionName)).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2']));
    const zones = await env.hold(west.send(new DescribeAvailabilityZonesCommand({})));
    expect(zones.AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.State])).toEqual([
      ['us-west-2a', 'usw2-az1', 'available'],
      ['us-west-2b', 'usw2-az2', 'available'],
      ['us-west-2c', 'usw2-az3', 'available'],
    ]);
    const subnets = await env.hold(west.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] })));
    expect(subnets.Subnets!.map((s) => s.AvailabilityZone).sort()).toEqual(['us-west-2a', 'us-west-2b', 'us-west-2c']);
    const groups = await env.hold(west.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] })));
    expect(groups.SecurityGroups).toHaveLength(1);
    expect(groups.SecurityGroups![0]!.VpcId).toBe(subnets.Subnets![0]!.VpcId);
  });

  test('RunInstances launches pending instances with tags that go running, then pass status checks, on the virtual clock', async () => {
    // GIVEN the key pair it names (RunInstances refuses a missing one, InvalidKeyPair.NotFound)
    await env.hold(west.send(new CreateKeyPairCommand({ KeyName: 'ops' })));
    const res = await env.hold(
      west.send(
        new RunInstancesCommand({
          ImageId: baseImage,
          MinCount: 1,
          MaxCount: 2,
          InstanceType: 't3.micro',
          KeyName: 'ops',
          IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/app' },
          TagSpecifications: [
            { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] },
            { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'web-root' }] },
          ],
        }),
      ),
    );
    expect(res.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(res.Instances!.map((i) => [i.State, i.AmiLaunchIndex])).toEqual([
      [{ Code: 0, Name: 'pending' }, 0],
      [{ Code: 0, Name: 'pending' }, 1],
    ]);
    const inst = res.Instances![0]!;
    expect(inst).toMatchObject({ InstanceType: 't3.micro', KeyName: 'ops', Tags: [{ Key: 'Name', Value: 'web' }], IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/app' } });
    expect(inst.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(inst.ClientToken).toMatch(/^[0-9a-f-]{36}$/); // the SDK fills a UUID in
    expect(inst.SecurityGroups!.map((g) => g.GroupName)).toEqual(['default']);
    const ids = res.Instances!.map((i) => i.InstanceId!);
    // status checks: running instances only by default
    expect((await env.hold(west.send(new DescribeInstanceStatusCommand({ InstanceIds: ids })))).InstanceStatuses).toEqual([]);
    const all = await env.hold(west.send(new DescribeInstanceStatusCommand({ InstanceIds: ids, IncludeAllInstances: true })));
    expect(all.InstanceStatuses!.map((s) => s.InstanceStatus!.Status)).toEqual(['not-applicable', 'not-applicable']);
    // WHEN 60 s pass (default start latency 30–60 s)
    await env.advanceTo(61);
    // THEN
    const running = await env.hold(west.send(new DescribeInstancesCommand({ InstanceIds: ids })));
    expect(running.Reservations!.flatMap((r) => r.Instances!.map((i) => i.State!.Name))).toEqual(['running', 'running']);
    const init = await env.hold(west.send(new DescribeInstanceStatusCommand({ InstanceIds: ids })));
    expect(init.InstanceStatuses!.map((s) => [s.InstanceStatus!.Status, s.InstanceStatus!.Details![0]!.Status])).toEqual([
      ['initializing', 'initializing'],
      ['initializing', 'initializing'],
    ]);
    // status checks end within 120–180 s of running
    await env.advanceTo(61 + 181);
    const ok = await env.hold(west.send(new DescribeInstanceStatusCommand({ InstanceIds: ids })));
    expect(ok.InstanceStatuses!.map((s) => [s.InstanceStatus!.Status, s.SystemStatus!.Status, s.InstanceStatus!.Details![0]!.Status])).toEqual([
      ['ok', 'ok', 'passed'],
      ['ok', 'ok', 'passed'],
    ]);
    const volumes = env.ec2.region(WEST).instances()[0]!.volumes;
    expect(volumes).toEqual([{ volumeId: expect.stringMatching(/^vol-[0-9a-f]{17}$/), sizeGiB: 8, encrypted: false, tags: { Name: 'web-root' } }]);
  });

  test('RunInstances places the instance in the given subnet with the given security groups', async () => {
    const [subnetId] = env.ec2.seedSubnets(WEST, [{ subnetId: 'subnet-0aa11bb22cc330001', availabilityZone: 'us-west-2b' }]);
    const [groupId] = env.ec2.seedSecurityGroups(WEST, [{ groupId: 'sg-0aa11bb22cc330001', groupName: 'web' }]);
    const res = await env.hold(west.send(new RunInstancesCommand({ ImageId: baseImage, MinCount: 1, MaxCount: 1, SubnetId: subnetId, SecurityGroupIds: [groupId!] })));
    expect(res.Instances![0]).toMatchObject({ SubnetId: subnetId, Placement: { AvailabilityZone: 'us-west-2b' }, SecurityGroups: [{ GroupId: groupId, GroupName: 'web' }] });
    const bySubnet = await env.hold(west.send(new DescribeInstancesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnetId!] }] })));
    expect(bySubnet.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([res.Instances![0]!.InstanceId]);
  });

  test('RunInstances takes addresses from the subnet block and refuses a full subnet with InsufficientFreeAddressesInSubnet, launching none', async () => {
    // GIVEN a /28 (16 addresses, of which AWS reserves 5: 11 for instances) and a /18
    // https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html
    const [small, large] = env.ec2.seedSubnets(WEST, [
      { subnetId: 'subnet-0aa11bb22cc330101', cidrBlock: '10.0.7.16/28' },
      { subnetId: 'subnet-0aa11bb22cc330102', cidrBlock: '172.31.64.0/18' },
    ]);
    const subnets = await env.hold(west.send(new DescribeSubnetsCommand({ SubnetIds: [small!, large!] })));
    expect(subnets.Subnets!.map((x) => x.AvailableIpAddressCount)).toEqual([11, 16_379]);
    const launch = (SubnetId: string, MinCount = 1, MaxCount = MinCount) => west.send(new RunInstancesCommand({ ImageId: baseImage, MinCount, MaxCount, SubnetId }));
    // WHEN 11 instances fill the /28
    const first = await env.hold(launch(small!, 11));
    const addresses = first.Instances!.map((i) => i.PrivateIpAddress!);
    expect(new Set(addresses).size).toBe(11);
    // .16 to .19 and .31 are reserved: .20 to .30
    expect(addresses.map((a) => Number(a.split('.')[3])).sort((x, y) => x - y)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
    // THEN one more is refused, and so is a MinCount the subnet cannot hold, with nothing launched
    for (const call of [() => launch(small!), () => launch(small!, 2, 3)]) {
      const error = await errorOf(() => env.hold(call()));
      expect(error.name).toBe('InsufficientFreeAddressesInSubnet');
      expect(error.message).toBe(`There are not enough free addresses in subnet '${small}' to satisfy the requested number of instances.`);
    }
    expect(env.ec2.region(WEST).instances().filter((i) => i.subnetId === small)).toHaveLength(11);
    // and a /18 hands out addresses across its whole block
    const wide = await env.hold(launch(large!, 40));
    const thirds = wide.Instances!.map((i) => Number(i.PrivateIpAddress!.split('.')[2]));
    expect(Math.min(...thirds)).toBeGreaterThanOrEqual(64);
    expect(Math.max(...thirds)).toBeLessThanOrEqual(127);
    expect(new Set(thirds).size).toBeGreaterThan(16);
  });

  test('RunInstances with the same ClientToken returns the same reservation; with other parameters it fails', async () => {
    const input: RunInstancesCommandInput = { ImageId: baseImage, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ClientToken: 'launch-web-1' };
    const first = await env.hold(west.send(new RunInstancesCommand(input)));
    await env.advanceTo(120);
    const again = await env.hold(west.send(new RunInstancesCommand(input)));
    expect(again.ReservationId).toBe(first.ReservationId);
    expect(again.Instances!.map((i) => i.InstanceId)).toEqual(first.Instances!.map((i) => i.InstanceId));
    expect(again.Instances![0]!.State!.Name).toBe('running');
    expect(env.ec2.region(WEST).instances()).toHaveLength(1);
    const mismatch = await errorOf(() => env.hold(west.send(new RunInstancesCommand({ ...input, InstanceType: 'm5.large' }))));
    expect([mismatch.name, mismatch.$metadata?.httpStatusCode]).toEqual(['IdempotentParameterMismatch', 400]);
    const byToken = await env.hold(west.send(new DescribeInstancesCommand({ Filters: [{ Name: 'client-token', Values: ['launch-web-1'] }] })));
    expect(byToken.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual(first.Instances!.map((i) => i.InstanceId));
  });

  test('rejects RunInstances without counts, with MinCount above MaxCount, or with unknown image, subnet or group', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ImageId: baseImage, MaxCount: 1 }, 'MissingParameter'],
      [{ ImageId: baseImage, MinCount: 2, MaxCount: 1 }, 'InvalidParameterValue'],
      [{ MinCount: 1, MaxCount: 1 }, 'MissingParameter'],
      [{ ImageId: 'ami-0123456789abcdef0', MinCount: 1, MaxCount: 1 }, 'InvalidAMIID.NotFound'],
      [{ ImageId: baseImage, MinCount: 1, MaxCount: 1, SubnetId: 'subnet-0123456789abcdef0' }, 'InvalidSubnetID.NotFound'],
      [{ ImageId: baseImage, MinCount: 1, MaxCount: 1, SecurityGroupIds: ['sg-0123456789abcdef0'] }, 'InvalidGroup.NotFound'],
      [{ ImageId: baseImage, MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'image', Tags: [] }] }, 'InvalidParameterValue'],
    ];
    for (const [input, name] of cases) {
      const e = await errorOf(() => env.hold(west.send(new RunInstancesCommand(input as never))));
      expect([JSON.stringify(input), e.name, e.$metadata?.httpStatusCode]).toEqual([JSON.stringify(input), name, 400]);
    }
    const dry = await errorOf(() => env.hold(west.send(new RunInstancesCommand({ ImageId: baseImage, MinCount: 1, MaxCount: 1, DryRun: true }))));
    expect([dry.name, dry.$metadata?.httpStatusCode]).toEqual(['DryRunOperation', 412]);
    expect(env.ec2.region(WEST).instances()).toEqual([]);
  });

  test('RunInstances uses a launch template under explicit parameters and tags instances with the template id', async () => {
    const lt = await env.hold(
      west.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'web-template',
          LaunchTemplateData: { ImageId: baseImage, InstanceType: 'c5.large', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'from', Value: 'template' }] }] },
        }),
      ),
    );
    const ltId = lt.LaunchTemplate!.LaunchTemplateId!;
    expect(ltId).toMatch(/^lt-[0-9a-f]{17}$/);
    const byName = await env.hold(west.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'web-template', Version: '$Latest' } })));
    expect(byName.Instances![0]).toMatchObject({ ImageId: baseImage, InstanceType: 'c5.large' });
    expect(Object.fromEntries(byName.Instances![0]!.Tags!.map((t) => [t.Key, t.Value]))).toEqual({ from: 'template', 'aws:ec2launchtemplate:id': ltId, 'aws:ec2launchtemplate:version': '1' });
    const overridden = await env.hold(west.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, InstanceType: 'm5.large', LaunchTemplate: { LaunchTemplateId: ltId } })));
    expect(overridden.Instances![0]!.InstanceType).toBe('m5.large');
    const unknown = await errorOf(() => env.hold(west.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0' } }))));
    expect(unknown.name).toBe('InvalidLaunchTemplateId.NotFound');
    const unknownName = await errorOf(() => env.hold(west.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'nope' } }))));
    expect(unknownName.name).toBe('InvalidLaunchTemplateName.NotFoundException');
  });

  test('DescribeInstances filters by tag and state, pages, and fails on unknown ids or MaxResults with ids', async () => {
    const ids = env.ec2.seedInstances(WEST, [
      { instanceType: 'm5.large', tags: { app: 'shop', tier: 'web' } },
      { instanceType: 'm5.large', tags: { app: 'shop', tier: 'db' } },
      { instanceType: 'm5.large', tags: { app: 'blog' }, state: 'stopped' },
      ...Array.from({ length: 4 }, () => ({ instanceType: 't3.micro', tags: { app: 'other' } })),
    ]);
    const q = async (input: ConstructorParameters<typeof DescribeInstancesCommand>[0] & object) =>
      (await env.hold(west.send(new DescribeInstancesCommand(input)))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)).sort();
    expect(await q({ Filters: [{ Name: 'tag:app', Values: ['shop'] }, { Name: 'tag:tier', Values: ['web'] }] })).toEqual([ids[0]]);
    expect(await q({ Filters: [{ Name: 'tag:app', Values: ['shop', 'blog'] }, { Name: 'instance-state-name', Values: ['running'] }] })).toEqual([ids[0], ids[1]].sort());
    expect(await q({ Filters: [{ Name: 'instance-state-name', Values: ['stopped'] }] })).toEqual([ids[2]]);
    // An instance-id filter (unlike InstanceIds) ignores unknown ids, mixes exact values and
    // wildcards, and combines with the other filters.
    expect(await q({ Filters: [{ Name: 'instance-id', Values: [ids[0]!, ids[2]!, ids[2]!, 'i-0123456789abcdef0'] }] })).toEqual([ids[0], ids[2]].sort());
    expect(await q({ Filters: [{ Name: 'instance-id', Values: [ids[0]!, ids[2]!] }, { Name: 'instance-state-name', Values: ['running'] }] })).toEqual([ids[0]]);
    expect(await q({ Filters: [{ Name: 'instance-id', Values: [ids[0]!, `${ids[1]!.slice(0, -1)}?`] }] })).toEqual([ids[0], ids[1]].sort());
    expect(await q({ Filters: [{ Name: 'tag:tier', Values: ['db', 'w*'] }] })).toEqual([ids[0], ids[1]].sort());
    const p1 = await env.hold(west.send(new DescribeInstancesCommand({ MaxResults: 5 })));
    const p2 = await env.hold(west.send(new DescribeInstancesCommand({ MaxResults: 5, NextToken: p1.NextToken })));
    const paged = [...p1.Reservations!, ...p2.Reservations!].flatMap((r) => r.Instances!.map((i) => i.InstanceId!));
    expect(paged.sort()).toEqual([...ids].sort());
    expect(p2.NextToken).toBeUndefined();
    const missing = await errorOf(() => q({ InstanceIds: [ids[0]!, 'i-0123456789abcdef0'] }));
    expect([missing.name, missing.message]).toEqual(['InvalidInstanceID.NotFound', "The instance ID 'i-0123456789abcdef0' does not exist"]);
    expect((await errorOf(() => q({ InstanceIds: [ids[0]!], MaxResults: 5 }))).name).toBe('InvalidParameterCombination');
  });

  test('TerminateInstances goes through shutting-down to terminated; terminated instances stay listed for an hour', async () => {
    const [id] = env.ec2.seedInstances(WEST, [{ instanceType: 'm5.large' }]);
    const res = await env.hold(west.send(new TerminateInstancesCommand({ InstanceIds: [id!] })));
    expect(res.TerminatingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 32, Name: 'shutting-down' }, PreviousState: { Code: 16, Name: 'running' } }]);
    await env.advanceTo(61);
    const again = await env.hold(west.send(new TerminateInstancesCommand({ InstanceIds: [id!] })));
    expect(again.TerminatingInstances![0]).toMatchObject({ CurrentState: { Name: 'terminated' }, PreviousState: { Name: 'terminated' } });
    const listed = await env.hold(west.send(new DescribeInstancesCommand({ InstanceIds: [id!] })));
    expect(listed.Reservations![0]!.Instances![0]!.StateReason?.Code).toBe('Client.UserInitiatedShutdown');
    const unknown = await errorOf(() => env.hold(west.send(new TerminateInstancesCommand({ InstanceIds: [id!, 'i-0123456789abcdef0'] }))));
    expect(unknown.name).toBe('InvalidInstanceID.NotFound');
    await env.advanceTo(2 * 3600);
    expect((await errorOf(() => env.hold(west.send(new DescribeInstancesCommand({ InstanceIds: [id!] })))))).toHaveProperty('name', 'InvalidInstanceID.NotFound');
    expect(T0).toBeLessThan(env.clock.now());
  });
});
