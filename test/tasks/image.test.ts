import {
  CreateImageCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  type Image,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/image/handler.js';
import { imageName } from '../../tasks/image/image.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope, fakeId, imageField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let images: Image[];
let nextId: number;

const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-east-1',
  recoveryPointTime: '2026-11-25T10:30:00.000Z',
  isNoReboot: true,
  copyInstanceTags: true,
  deadline: '2026-11-25T12:30:00.000Z',
  targets: [
    { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001' },
    { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60002' },
  ],
  ...over,
});

/** An in-memory EC2 for images: CreateImage adds a pending AMI with the requested tags. */
function fakeEc2() {
  images = [];
  nextId = 1;
  ec2.reset();
  ec2.on(DescribeImagesCommand).callsFake((req) => ({
    Images: images.filter((img) => (!req.ImageIds || req.ImageIds.includes(img.ImageId!)) && matchesFilters((n) => imageField(img, n), req.Filters)),
  }));
  ec2.on(DescribeInstancesCommand).callsFake((req) => ({
    Reservations: [{ Instances: req.InstanceIds.map((id: string) => ({ InstanceId: id, Tags: [{ Key: 'Name', Value: `host-${id}` }, { Key: 'aws:cloudformation:stack-name', Value: 'x' }] })) }],
  }));
  ec2.on(CreateImageCommand).callsFake((req) => {
    if (images.some((img) => img.Name === req.Name)) throw ec2Error('InvalidAMIName.Duplicate');
    const img: Image = {
      ImageId: fakeId('ami', nextId++),
      Name: req.Name,
      State: 'pending',
      CreationDate: '2026-11-25T10:31:00.000Z',
      Tags: req.TagSpecifications.find((s: any) => s.ResourceType === 'image').Tags,
    };
    images.push(img);
    return { ImageId: img.ImageId };
  });
  ec2.on(DeregisterImageCommand).callsFake((req) => {
    images = images.filter((img) => img.ImageId !== req.ImageId);
    return { Return: true, DeleteSnapshotResults: [] };
  });
}

describe('task: image', () => {
  beforeEach(() => {
    captureLogs();
    fakeEc2();
  });
  afterEach(() => vi.restoreAllMocks());

  test('creates one AMI per target with the deterministic name, no-reboot and every lifeboat tag', async () => {
    const out = await handler(envelope('image', input()));

    expect(out).toEqual({
      images: [
        { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', name: 'lifeboat-shop-web-i-0a1b2c3d4e5f60001-20261125T103000Z', imageId: fakeId('ami', 1), state: 'pending' },
        { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60002', name: 'lifeboat-shop-db-i-0a1b2c3d4e5f60002-20261125T103000Z', imageId: fakeId('ami', 2), state: 'pending' },
      ],
      isComplete: false,
      pendingCount: 2,
    });
    const call = ec2.commandCalls(CreateImageCommand)[0].args[0].input;
    expect(call.NoReboot).toBe(true);
    expect(call.InstanceId).toBe('i-0a1b2c3d4e5f60001');
    expect(call.TagSpecifications!.map((s) => s.ResourceType)).toEqual(['image', 'snapshot']);
    expect(Object.fromEntries(call.TagSpecifications![0].Tags!.map((t) => [t.Key, t.Value]))).toStrictEqual({
      Name: 'host-i-0a1b2c3d4e5f60001',
      'lifeboat:plan': 'shop',
      'lifeboat:workload': 'web',
      'lifeboat:source-instance': 'i-0a1b2c3d4e5f60001',
      'lifeboat:execution-arn': EXECUTION_ARN,
      'lifeboat:recovery-point-time': '2026-11-25T10:30:00.000Z',
      'lifeboat:role': 'source-image',
      // In the run's copy queue until a copy pass starts its copy (the snapshots do not carry it).
      'lifeboat:copy': 'queued',
    });
    expect(call.TagSpecifications![1].Tags!.some((t) => t.Key === 'lifeboat:copy')).toBe(false);
  });

  test('reports complete once every AMI is available', async () => {
    const first = await handler(envelope('image', input()));
    images.forEach((img) => (img.State = 'available'));
    const out = await handler(envelope('image', input({ images: first.images })));
    expect(out.isComplete).toBe(true);
    expect(out.pendingCount).toBe(0);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(2);
  });

  test('creates no second AMI when retried after a crash between CreateImage and the return', async () => {
    // GIVEN a first invocation that created both AMIs but whose result was lost
    await handler(envelope('image', input()));
    // WHEN the workflow retries the step with the same input (no `images` from the lost pass)
    const out = await handler(envelope('image', input()));
    // THEN EC2 refuses the same names again (InvalidAMIName.Duplicate) and the retry adopts the AMIs
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(4);
    expect(images).toHaveLength(2);
    expect(out.images.map((i) => i.imageId)).toEqual([fakeId('ami', 1), fakeId('ami', 2)]);
  });

  test('makes one call per pass once every AMI is known', async () => {
    const first = await handler(envelope('image', input()));
    ec2.resetHistory();
    await handler(envelope('image', input({ images: first.images })));
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });

  test('adopts an AMI by name when CreateImage answers InvalidAMIName.Duplicate', async () => {
    // GIVEN an AMI with the deterministic name whose tags the look-up did not return
    const name = imageName('shop', 'web', 'i-0a1b2c3d4e5f60001', '2026-11-25T10:30:00.000Z');
    images.push({ ImageId: 'ami-0feedfacefeedface', Name: name, State: 'available' });
    // WHEN
    const out = await handler(envelope('image', input({ targets: [{ workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001' }] })));
    // THEN
    expect(out.images[0]).toMatchObject({ imageId: 'ami-0feedfacefeedface', state: 'available' });
    expect(images).toHaveLength(1);
  });

  test('leaves a throttled CreateImage for the next pass', async () => {
    ec2.on(CreateImageCommand).rejectsOnce(ec2Error('RequestLimitExceeded', 503)).callsFake((req) => {
      images.push({ ImageId: 'ami-0000000000000000b', Name: req.Name, State: 'pending', Tags: req.TagSpecifications[0].Tags });
      return { ImageId: 'ami-0000000000000000b' };
    });
    const out = await handler(envelope('image', input()));
    expect(out.images.map((i) => i.state)).toEqual(['not-started', 'pending']);
    expect(out.pendingCount).toBe(2);
  });

  test('after a redrive, a throttled name look-up leaves the targets for the next pass: nothing is created blind, the pass does not fail', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('image', input(), { redriveCount: 1 }));
    expect(out.images.map((i) => i.state)).toEqual(['not-started', 'not-started']);
    expect(out.isComplete).toBe(false);
    expect(out.throttled).toEqual(['DescribeImages (2 target(s) by name): RequestLimitExceeded']);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(0);
  });

  test('a throttled DescribeImages of the known AMIs keeps their previous state while the pass creates the missing one', async () => {
    // GIVEN a previous pass that made web's AMI; db's CreateImage was throttled then
    const first = await handler(envelope('image', input({ targets: [input().targets[0]] })));
    const previous = [...first.images, { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60002', name: imageName('shop', 'db', 'i-0a1b2c3d4e5f60002', '2026-11-25T10:30:00.000Z'), imageId: null, state: 'not-started' }];
    images[0]!.State = 'available';
    // WHEN the read of the known AMI is throttled, the name look-up is not
    ec2.on(DescribeImagesCommand).callsFake((req) => {
      if (req.Filters?.[0]?.Name === 'image-id') throw ec2Error('RequestLimitExceeded', 503);
      return { Images: images.filter((img) => matchesFilters((n) => imageField(img, n), req.Filters)) };
    });
    const out = await handler(envelope('image', input({ images: previous })));
    // THEN web keeps its reported state (pending), db is created, and the history shows the throttled read
    expect(out.images.map((i) => [i.workload, i.imageId, i.state])).toEqual([
      ['web', fakeId('ami', 1), 'pending'],
      ['db', fakeId('ami', 2), 'pending'],
    ]);
    expect(out.throttled).toEqual(['DescribeImages (1 AMI(s) of this batch by id): RequestLimitExceeded']);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(2);
  });

  test('reads only its own batch: the known AMIs by id, after a redrive the others by deterministic name, never the whole execution', async () => {
    const first = await handler(envelope('image', input({ targets: [input().targets[0]] })));
    ec2.resetHistory();
    await handler(envelope('image', input({ images: first.images }), { redriveCount: 1 }));
    const filterNames = ec2.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input.Filters!.map((f) => [f.Name, f.Values]));
    expect(filterNames).toEqual([
      [['image-id', [fakeId('ami', 1)]]],
      [['name', ['lifeboat-shop-db-i-0a1b2c3d4e5f60002-20261125T103000Z*']]],
    ]);
  });

  test('with maxInFlight, starts no more AMIs than leave that many pending in the batch', async () => {
    const three = [...input().targets, { workload: 'app', instanceId: 'i-0a1b2c3d4e5f60003' }];
    const first = await handler(envelope('image', input({ targets: three, maxInFlight: 2 })));
    expect(first.images.map((i) => i.state)).toEqual(['pending', 'pending', 'not-started']);
    const second = await handler(envelope('image', input({ targets: three, maxInFlight: 2, images: first.images })));
    expect(second.images.map((i) => i.state)).toEqual(['pending', 'pending', 'not-started']);
    images[0]!.State = 'available';
    const third = await handler(envelope('image', input({ targets: three, maxInFlight: 2, images: second.images })));
    expect(third.images.map((i) => i.state)).toEqual(['available', 'pending', 'pending']);
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(3);
  });

  test('fails with Lifeboat.NotFound when an instance no longer exists', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound', 400, "The instance ID 'i-0a1b2c3d4e5f60002' does not exist"));
    const error = await rejectionOf(handler(envelope('image', input())));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain('i-0a1b2c3d4e5f60002');
  });

  test('fails with Lifeboat.InvalidInput, not retried, when EC2 denies CreateImage', async () => {
    ec2.on(CreateImageCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    const error = await rejectionOf(handler(envelope('image', input())));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain('CreateImage for web/i-0a1b2c3d4e5f60001 in us-east-1');
  });

  test('fails with Lifeboat.ImageFailed naming workload, image and reason', async () => {
    const first = await handler(envelope('image', input()));
    images[1].State = 'failed';
    images[1].StateReason = { Code: 'Client.VolumeError', Message: 'snapshot creation failed' };
    const error = await rejectionOf(handler(envelope('image', input({ images: first.images }))));
    expect(error.name).toBe('Lifeboat.ImageFailed');
    expect(error.message).toBe(
      `image in us-east-1: workload 'db' instance i-0a1b2c3d4e5f60002: AMI ${fakeId('ami', 2)} (lifeboat-shop-db-i-0a1b2c3d4e5f60002-20261125T103000Z) failed: snapshot creation failed`,
    );
  });

  test('a batch of 100 failed AMIs names 20 and counts the rest, so the cause stays under 32,768 characters', async () => {
    const targets = Array.from({ length: 100 }, (_, i) => ({ workload: `workload-with-a-long-name-${String(i).padStart(6, '0')}`, instanceId: `i-0a1b2c3d4e5f6${String(i).padStart(4, '0')}` }));
    const first = await handler(envelope('image', input({ targets })));
    for (const img of images) {
      img.State = 'failed';
      img.StateReason = { Code: 'Client.VolumeError', Message: 'snapshot creation failed: the volume is in an error state and could not be read' };
    }
    const error = await rejectionOf(handler(envelope('image', input({ targets, images: first.images }))));
    expect(error.name).toBe('Lifeboat.ImageFailed');
    // unbounded: 100 × about 250 characters
    expect(error.message.length).toBeLessThan(8_192);
    expect(error.message).toContain(`workload '${targets[19].workload}'`);
    expect(error.message).not.toContain(targets[20].workload);
    expect(error.message).toMatch(/; and 80 more failed image\(s\) \(every one is in this task's log\)$/);
  });

  test('after a redrive, replaces a failed AMI of the earlier attempt with a "-r1" one', async () => {
    await handler(envelope('image', input()));
    images[1].State = 'failed';
    const out = await handler(envelope('image', input(), { redriveCount: 1 }));
    expect(ec2.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input)).toEqual([
      { ImageId: fakeId('ami', 2), DeleteAssociatedSnapshots: true },
    ]);
    expect(out.images[1]).toMatchObject({ name: 'lifeboat-shop-db-i-0a1b2c3d4e5f60002-20261125T103000Z-r1', imageId: fakeId('ami', 3), state: 'pending' });
    // and a retry of that redriven step creates nothing more
    await handler(envelope('image', input(), { redriveCount: 1 }));
    expect(ec2.commandCalls(CreateImageCommand)).toHaveLength(3);
  });

  test('fails with Lifeboat.Timeout when the deadline passed with AMIs still pending', async () => {
    const error = await rejectionOf(handler(envelope('image', input(), { stateEnteredTime: '2026-11-25T12:30:00.000Z' })));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain('web/i-0a1b2c3d4e5f60001');
  });

  test('rejects input with a bad instance id naming its JSON path', async () => {
    const error = await rejectionOf(handler(envelope('image', input({ targets: [{ workload: 'web', instanceId: 'i-1' }] }))));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toBe(
      `task 'image' › input.targets[0].instanceId: expected an instance id such as "i-0123456789abcdef0", found "i-1"`,
    );
    expect(ec2.calls()).toHaveLength(0);
  });
});

describe('task: image, bounded by the Lambda time left (issue 8)', () => {
  beforeEach(() => {
    captureLogs();
    fakeEc2();
  });
  afterEach(() => vi.restoreAllMocks());

  test('a batch of 40 with 180 s of Lambda time and CreateImage taking 5 s each: the pass stops with the margin left, the next pass starts the rest, none twice', async () => {
    const targets = Array.from({ length: 40 }, (_, n) => ({ workload: 'web', instanceId: `i-0${n.toString(16).padStart(16, '0')}` }));
    const clock = { ms: 180_000 };
    ec2.on(CreateImageCommand).callsFake((req) => {
      clock.ms -= 5_000;
      if (images.some((img) => img.Name === req.Name)) throw ec2Error('InvalidAMIName.Duplicate');
      const img: Image = { ImageId: fakeId('ami', nextId++), Name: req.Name, State: 'pending', CreationDate: '2026-11-25T10:31:00.000Z', Tags: req.TagSpecifications.find((s: any) => s.ResourceType === 'image').Tags };
      images.push(img);
      return { ImageId: img.ImageId };
    });
    const lambda = { getRemainingTimeInMillis: () => clock.ms };
    const first = await handler(envelope('image', input({ targets })), lambda);
    // 180 s less the 35 s margin: 29 calls of 5 s start (the 29th with 40 s left), then it stops
    const started = first.images.filter((i) => i.imageId !== null);
    expect(started).toHaveLength(29);
    expect(first.images.filter((i) => i.state === 'not-started')).toHaveLength(11);
    expect(first.isComplete).toBe(false);
    clock.ms = 180_000;
    const second = await handler(envelope('image', input({ targets, images: first.images })), lambda);
    expect(second.images.every((i) => i.imageId !== null)).toBe(true);
    const names = ec2.commandCalls(CreateImageCommand).map((c) => c.args[0].input.Name);
    expect(names).toHaveLength(40);
    expect(new Set(names).size).toBe(40);
  });
});
