import { afterEach, describe, expect, test } from 'vitest';
import {
  CopyImageCommand,
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeSnapshotsCommand,
  DescribeSubnetsCommand,
  RunInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { ec2Env, errorOf, T0, type Ec2Env } from './setup.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';

describe('sandbox: ec2 faults', () => {
  let env: Ec2Env;
  afterEach(async () => env?.close());

  async function outcomes(seed: number, rate: number, calls: number): Promise<string[]> {
    const e = await ec2Env({ seed, faults: { throttle: { '*': rate } } });
    try {
      const c = e.client(EAST);
      const out: string[] = [];
      for (let i = 0; i < calls; i++) {
        try {
          await e.hold(c.send(new DescribeImagesCommand({ Owners: ['self'] })));
          out.push('ok');
        } catch (err) {
          out.push(`${(err as Error).name}/${(err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode}`);
        }
      }
      return out;
    } finally {
      await e.close();
    }
  }

  test('throttles the configured share of calls with RequestLimitExceeded (503), repeatably for a seed', async () => {
    const a = await outcomes(11, 0.3, 60);
    const b = await outcomes(11, 0.3, 60);
    const c = await outcomes(12, 0.3, 60);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const throttled = a.filter((o) => o !== 'ok');
    expect(new Set(throttled)).toEqual(new Set(['RequestLimitExceeded/503']));
    expect(throttled.length).toBeGreaterThan(6);
    expect(throttled.length).toBeLessThan(36);
  });

  test('throttles only the named operation', async () => {
    env = await ec2Env({ faults: { throttle: { DescribeImages: 1 } } });
    const c = env.client(EAST);
    expect((await errorOf(() => env.hold(c.send(new DescribeImagesCommand({})))))).toHaveProperty('name', 'RequestLimitExceeded');
    expect((await env.hold(c.send(new DescribeSubnetsCommand({})))).Subnets!.length).toBe(3);
  });

  test('fails the Nth call of an operation with any code and status, optionally in one region only', async () => {
    env = await ec2Env();
    const [id] = env.ec2.seedInstances(EAST, [{ instanceType: 'm5.large' }]);
    env.ec2.admin('faults.set', { errors: [{ operation: 'CreateTags', code: 'InternalError', status: 500, nth: 2, region: EAST }] });
    const east = env.client(EAST);
    const tag = () => env.hold(east.send(new CreateTagsCommand({ Resources: [id!], Tags: [{ Key: 'a', Value: 'b' }] })));
    await tag();
    const e = await errorOf(tag);
    expect([e.name, e.$fault, e.$metadata?.httpStatusCode]).toEqual(['InternalError', 'server', 500]);
    await tag();
    // calls in another region are not counted
    env.ec2.admin('faults.set', { errors: [{ operation: 'DescribeImages', code: 'Unavailable', nth: 1, count: 2, region: WEST }] });
    await env.hold(east.send(new DescribeImagesCommand({ Owners: ['self'] })));
    const west = env.client(WEST);
    expect((await errorOf(() => env.hold(west.send(new DescribeImagesCommand({})))))).toHaveProperty('name', 'Unavailable');
    expect((await errorOf(() => env.hold(west.send(new DescribeImagesCommand({})))))).toHaveProperty('$metadata.httpStatusCode', 503);
    await env.hold(west.send(new DescribeImagesCommand({})));
  });

  test('an image matching an image-failure fault ends failed with a state reason; others and later ones succeed', async () => {
    env = await ec2Env();
    const [bad, good] = env.ec2.seedInstances(EAST, [{ instanceType: 'm5.large' }, { instanceType: 'm5.large' }]);
    env.ec2.setFaults({ imageFailures: [{ kind: 'create', sourceInstanceId: bad!, reasonCode: 'Server.InternalError', reasonMessage: 'Server.InternalError: snapshot failed', times: 1 }] });
    const east = env.client(EAST);
    const failing = await env.hold(east.send(new CreateImageCommand({ InstanceId: bad!, Name: 'bad-1' })));
    const fine = await env.hold(east.send(new CreateImageCommand({ InstanceId: good!, Name: 'good-1' })));
    const retry = await env.hold(east.send(new CreateImageCommand({ InstanceId: bad!, Name: 'bad-2' })));
    await env.advanceTo(3600);
    const res = await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [failing.ImageId!, fine.ImageId!, retry.ImageId!] })));
    const byId = new Map(res.Images!.map((i) => [i.ImageId, i]));
    expect(byId.get(failing.ImageId)).toMatchObject({ State: 'failed', StateReason: { Code: 'Server.InternalError', Message: 'Server.InternalError: snapshot failed' } });
    expect(byId.get(fine.ImageId)!.State).toBe('available');
    expect(byId.get(retry.ImageId)!.State).toBe('available');
    const snaps = await env.hold(east.send(new DescribeSnapshotsCommand({ SnapshotIds: byId.get(failing.ImageId)!.BlockDeviceMappings!.map((m) => m.Ebs!.SnapshotId!) })));
    expect(snaps.Snapshots!.map((s) => s.State)).toEqual(['error']);
  });

  test('a copy matching a name pattern fails; the concurrent-copy limit answers ResourceLimitExceeded until copies finish', async () => {
    env = await ec2Env({ faults: { concurrentCopyLimit: 2, imageFailures: [{ kind: 'copy', name: 'doomed-*' }] } });
    const [id] = env.ec2.seedInstances(EAST, [{ instanceType: 'm5.large' }]);
    const east = env.client(EAST);
    const west = env.client(WEST);
    const src = await env.hold(east.send(new CreateImageCommand({ InstanceId: id!, Name: 'src' })));
    await env.advanceTo(600);
    const copy = (name: string) => env.hold(west.send(new CopyImageCommand({ SourceImageId: src.ImageId!, SourceRegion: EAST, Name: name })));
    const doomed = await copy('doomed-1');
    await copy('fine-1');
    const limited = await errorOf(() => copy('fine-2'));
    expect([limited.name, limited.$metadata?.httpStatusCode]).toEqual(['ResourceLimitExceeded', 400]);
    await env.advanceTo(600 + 3600);
    await copy('fine-2');
    const failed = (await env.hold(west.send(new DescribeImagesCommand({ ImageIds: [doomed.ImageId!] })))).Images![0]!;
    expect(failed.State).toBe('failed');
    expect(failed.StateReason!.Code).toBe('Server.InternalError');
  });

  test('the snapshot-copy quota counts every snapshot of the copies in progress (default 20 per destination region)', async () => {
    // GIVEN an AMI of 2 volumes and a snapshot-copy quota of 3 (the AMI-copy quota stays 50)
    env = await ec2Env({ faults: { concurrentSnapshotCopyLimit: 3 } });
    const [id] = env.ec2.seedInstances(EAST, [{ instanceType: 'm5.large', volumes: [{ sizeGiB: 8 }, { sizeGiB: 8 }] }]);
    const east = env.client(EAST);
    const west = env.client(WEST);
    const src = await env.hold(east.send(new CreateImageCommand({ InstanceId: id!, Name: 'src' })));
    await env.advanceTo(600);
    const copy = (name: string) => env.hold(west.send(new CopyImageCommand({ SourceImageId: src.ImageId!, SourceRegion: EAST, Name: name })));
    // WHEN a first copy (2 snapshot copies) runs, a second one (2 more) would exceed 3
    await copy('first');
    const limited = await errorOf(() => copy('second'));
    // THEN EC2's answer, with the wording AWS uses for this quota
    expect([limited.name, limited.$metadata?.httpStatusCode]).toEqual(['ResourceLimitExceeded', 400]);
    expect(limited.message).toBe('Too many snapshot copies in progress. The limit is 3 for this destination region.');
    // AND once the first copy's snapshots are done, the second starts
    await env.advanceTo(600 + 3600);
    expect((await copy('second')).ImageId).toMatch(/^ami-/);
  });

  test('the default quotas are 50 AMI copies and 20 snapshot copies per destination region', async () => {
    env = await ec2Env();
    const ids = env.ec2.seedInstances(EAST, [{ instanceType: 'm5.large' }]);
    const east = env.client(EAST);
    const west = env.client(WEST);
    const src = await env.hold(east.send(new CreateImageCommand({ InstanceId: ids[0]!, Name: 'src' })));
    await env.advanceTo(600);
    const volumes = (await env.hold(east.send(new DescribeImagesCommand({ ImageIds: [src.ImageId!] })))).Images![0]!.BlockDeviceMappings!.length;
    const fits = Math.floor(20 / volumes);
    for (let i = 0; i < fits; i++) await env.hold(west.send(new CopyImageCommand({ SourceImageId: src.ImageId!, SourceRegion: EAST, Name: `c-${i}` })));
    const limited = await errorOf(() => env.hold(west.send(new CopyImageCommand({ SourceImageId: src.ImageId!, SourceRegion: EAST, Name: 'one-more' }))));
    expect(limited.name).toBe('ResourceLimitExceeded');
    expect(limited.message).toContain('The limit is 20 for this destination region');
  });

  test('RunInstances answers InsufficientInstanceCapacity (500) for the faulted type in the faulted subnet only', async () => {
    env = await ec2Env();
    const west = env.client(WEST);
    const subnets = env.ec2.region(WEST).subnets();
    const [s1, s2] = [subnets[0]!.subnetId, subnets[1]!.subnetId];
    env.ec2.admin('faults.set', { capacity: [{ instanceType: 'm5.large', subnetId: s1, region: WEST }] });
    const image = (await env.hold(west.send(new DescribeImagesCommand({ Owners: ['amazon'] })))).Images![0]!.ImageId!;
    const run = (type: string, subnet: string) => env.hold(west.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, InstanceType: type as _InstanceType, SubnetId: subnet })));
    const e = await errorOf(() => run('m5.large', s1));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['InsufficientInstanceCapacity', 500]);
    expect(e.message).toContain('m5.large');
    expect((await run('m5.large', s2)).Instances![0]!.SubnetId).toBe(s2);
    expect((await run('m6i.large', s1)).Instances![0]!.SubnetId).toBe(s1);
  });

  test('status checks end impaired for instances matching an impaired fault', async () => {
    env = await ec2Env({ faults: { impaired: [{ tags: { role: 'broken' } }] } });
    const west = env.client(WEST);
    const image = (await env.hold(west.send(new DescribeImagesCommand({ Owners: ['amazon'] })))).Images![0]!.ImageId!;
    const launch = (role: string) =>
      env.hold(west.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: role }] }] })));
    const broken = (await launch('broken')).Instances![0]!.InstanceId!;
    const healthy = (await launch('healthy')).Instances![0]!.InstanceId!;
    await env.advanceTo(600);
    const res = await env.hold(west.send(new DescribeInstanceStatusCommand({ InstanceIds: [broken, healthy] })));
    const byId = new Map(res.InstanceStatuses!.map((s) => [s.InstanceId, s]));
    expect(byId.get(broken)!.InstanceStatus).toMatchObject({ Status: 'impaired', Details: [{ Name: 'reachability', Status: 'failed' }] });
    expect(byId.get(broken)!.InstanceStatus!.Details![0]!.ImpairedSince!.getTime()).toBeGreaterThan(T0);
    expect(byId.get(healthy)!.InstanceStatus!.Status).toBe('ok');
  });

  test('a region outage drops the connection (the SDK reports a network error) and touches no other region', async () => {
    env = await ec2Env();
    env.ec2.admin('outage', { region: EAST });
    const e = await errorOf(() => env.hold(env.client(EAST).send(new DescribeInstancesCommand({}))));
    expect((e as { code?: string }).code).toBe('ECONNRESET');
    expect(e.$metadata?.httpStatusCode).toBeUndefined();
    expect((await env.hold(env.client(WEST).send(new DescribeInstancesCommand({})))).Reservations).toEqual([]);
    env.ec2.admin('outage', { region: EAST, isDown: false });
    expect((await env.hold(env.client(EAST).send(new DescribeInstancesCommand({})))).Reservations).toEqual([]);
  });

  test('eventual consistency: a new instance or image is NotFound by id for the configured window, then found', async () => {
    env = await ec2Env({ faults: { eventualConsistency: { windowSeconds: 5, operations: ['DescribeInstances', 'DescribeImages'] } } });
    const west = env.client(WEST);
    const image = (await env.hold(west.send(new DescribeImagesCommand({ Owners: ['amazon'] })))).Images![0]!.ImageId!;
    const id = (await env.hold(west.send(new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1 })))).Instances![0]!.InstanceId!;
    const early = await errorOf(() => env.hold(west.send(new DescribeInstancesCommand({ InstanceIds: [id] }))));
    expect(early.name).toBe('InvalidInstanceID.NotFound');
    // operations not listed see it at once
    expect((await env.hold(west.send(new DescribeInstanceStatusCommand({ InstanceIds: [id], IncludeAllInstances: true })))).InstanceStatuses).toHaveLength(1);
    await env.advanceTo(6);
    const later = await env.hold(west.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    expect(later.Reservations![0]!.Instances![0]!.InstanceId).toBe(id);
  });

  test('the same seed and the same calls give the same ids', async () => {
    const run = async () => {
      const e = await ec2Env({ seed: 99 });
      try {
        const [id] = e.ec2.seedInstances(EAST, [{ instanceType: 'm5.large' }]);
        const img = await e.hold(e.client(EAST).send(new CreateImageCommand({ InstanceId: id!, Name: 'same' })));
        return [id, img.ImageId, e.ec2.region(EAST).images()[0]!.readyAt! - T0 > 0, e.ec2.region(WEST).subnets().map((s) => s.subnetId)];
      } finally {
        await e.close();
      }
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(a[1]).toMatch(/^ami-[0-9a-f]{17}$/);
  });

  test('admin rejects bad fault configurations naming every bad path, and unknown actions', async () => {
    env = await ec2Env();
    expect(() => env.ec2.admin('faults.set', { throttle: { '*': 2 }, capacity: [{ subnetId: 'subnet-1' }] })).toThrow(/ec2 faults › throttle\.\*:.*\n.*ec2 faults › capacity\.0\.instanceType/s);
    expect(() => env.ec2.admin('outage', { region: 'mars-1' })).toThrow(/region: expected one of .*us-east-1.*found "mars-1"/);
    expect(() => env.ec2.admin('reboot', {})).toThrow(/unknown action/);
    expect(() => env.ec2.admin('seed-instances', { region: EAST, instances: [{ instanceType: 'm5.large', instanceId: 'x-1' }] })).toThrow(/\[0\]|0\.instanceId/);
    const dump = env.ec2.admin('state', { region: EAST }) as { regions: Record<string, { images: unknown[] }> };
    expect(Object.keys(dump.regions)).toEqual([EAST]);
  });
});
