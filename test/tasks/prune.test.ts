import { CreateTagsCommand, DeregisterImageCommand, DescribeImagesCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/prune/handler.js';
import { EXECUTION_ARN, captureLogs, ec2Error, envelope, imageField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
/** Images per region; the region is read from the client's config, as the SigV4 scope would. */
let regions: Record<string, Image[]>;

/** The backup execution whose recovery-point time is `time` (one run per time in these tests). */
const runArn = (time: string) => `arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-${time.replace(/[-:.]/g, '')}`;

type ImageOptions = Partial<Image> & { verified?: boolean; workload?: string; setSize?: number };
const img = (imageId: string, role: string, source: string, time: string, over: ImageOptions = {}): Image => {
  const { verified, workload, setSize, ...image } = over;
  return {
    ImageId: imageId,
    State: 'available',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: imageId.replace('ami-', 'snap-') } }],
    Tags: [
      { Key: 'lifeboat:plan', Value: 'shop' },
      { Key: 'lifeboat:role', Value: role },
      { Key: 'lifeboat:workload', Value: workload ?? 'web' },
      { Key: 'lifeboat:source-instance', Value: source },
      { Key: 'lifeboat:execution-arn', Value: runArn(time) },
      { Key: 'lifeboat:recovery-point-time', Value: time },
      ...(verified === false ? [] : [{ Key: 'lifeboat:verified', Value: 'true' }]),
      ...(setSize !== undefined ? [{ Key: 'lifeboat:set-size', Value: String(setSize) }] : []),
    ],
    ...image,
  };
};

const A = 'i-0a1b2c3d4e5f60001';
const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  primaryRegion: 'us-east-1',
  recoveryRegion: 'us-west-2',
  retention: { count: 2 },
  keepImageIds: [],
  ...over,
});

/** How many of the next calls EC2 throttles (`RequestLimitExceeded`), per command. */
const throttleDeregister = { next: 0 };
const throttleCreateTags = { next: 0 };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const throttledFirst = (count: { next: number }, fake: (req: any, getClient: any) => Promise<unknown>) => async (req: any, getClient: any) => {
  if (count.next > 0) {
    count.next -= 1;
    throw ec2Error('RequestLimitExceeded', 503);
  }
  return fake(req, getClient);
};

describe('task: prune', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    throttleDeregister.next = 0;
    throttleCreateTags.next = 0;
    regions = {
      'us-west-2': [
        img('ami-0000000000000a004', 'recovery-point', A, '2026-11-25T10:30:00.000Z', { verified: false }),
        img('ami-0000000000000a003', 'recovery-point', A, '2026-11-25T06:30:00.000Z'),
        img('ami-0000000000000a002', 'recovery-point', A, '2026-11-25T02:30:00.000Z'),
        img('ami-0000000000000a001', 'recovery-point', A, '2026-11-24T22:30:00.000Z'),
        img('ami-0000000000000a005', 'recovery-point', A, '2026-11-25T11:30:00.000Z', { State: 'pending', verified: false }),
      ],
      'us-east-1': [
        img('ami-0000000000000b002', 'source-image', A, '2026-11-25T10:30:00.000Z'),
        img('ami-0000000000000b001', 'source-image', A, '2026-11-25T06:30:00.000Z'),
      ],
    };
    ec2.on(DescribeImagesCommand).callsFake(async (req, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      return { Images: regions[region].filter((i) => matchesFilters((n) => imageField(i, n), req.Filters)) };
    });
    ec2.on(DeregisterImageCommand).callsFake(throttledFirst(throttleDeregister, async (req, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      const image = regions[region].find((i) => i.ImageId === req.ImageId);
      if (!image) throw ec2Error('InvalidAMIID.NotFound');
      regions[region] = regions[region].filter((i) => i !== image);
      return { Return: true, DeleteSnapshotResults: [{ SnapshotId: image.BlockDeviceMappings![0].Ebs!.SnapshotId, ReturnCode: 'success' }] };
    }));
    ec2.on(CreateTagsCommand).callsFake(throttledFirst(throttleCreateTags, async (req, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      for (const image of regions[region].filter((i) => req.Resources.includes(i.ImageId))) {
        const keys = new Set(req.Tags.map((t: { Key: string }) => t.Key));
        image.Tags = [...image.Tags!.filter((t) => !keys.has(t.Key)), ...req.Tags];
      }
      return {};
    }));
  });
  afterEach(() => vi.restoreAllMocks());

  test('deletes recovery points beyond count with their snapshots, and all but the newest source image', async () => {
    const out = await handler(envelope('prune', input()));
    expect(out).toEqual({
      deleted: [
        { region: 'us-west-2', imageId: 'ami-0000000000000a002', snapshotIds: ['snap-0000000000000a002'] },
        { region: 'us-west-2', imageId: 'ami-0000000000000a001', snapshotIds: ['snap-0000000000000a001'] },
        { region: 'us-east-1', imageId: 'ami-0000000000000b001', snapshotIds: ['snap-0000000000000b001'] },
      ],
      deletedCount: 3,
      // the two newest available points (a004, a003) and the pending copy (a005)
      keptCount: 3,
      isComplete: true,
      finished: ['primary', 'recovery'],
    });
    expect(ec2.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input)).toEqual([
      { ImageId: 'ami-0000000000000a002', DeleteAssociatedSnapshots: true },
      { ImageId: 'ami-0000000000000a001', DeleteAssociatedSnapshots: true },
      { ImageId: 'ami-0000000000000b001', DeleteAssociatedSnapshots: true },
    ]);
  });

  describe('recovery sets', () => {
    const B = 'i-0a1b2c3d4e5f60002';
    const C = 'i-0a1b2c3d4e5f60003';
    const t1 = '2026-11-25T06:30:00.000Z';
    const t2 = '2026-11-25T10:30:00.000Z';
    const t3 = '2026-11-25T14:30:00.000Z';
    const tagOf = (imageId: string, key: string) => regions['us-west-2'].find((i) => i.ImageId === imageId)?.Tags?.find((t) => t.Key === key)?.Value;

    beforeEach(() => {
      // GIVEN web backed up with 3 instances at t1 (sealed), then C terminated and web backed up
      // with 2 at t2 by the run that is pruning now (not sealed yet); db has one instance
      regions = {
        'us-west-2': [
          img('ami-0000000000000c001', 'recovery-point', A, t1, { setSize: 3 }),
          img('ami-0000000000000c002', 'recovery-point', B, t1, { setSize: 3 }),
          img('ami-0000000000000c003', 'recovery-point', C, t1, { setSize: 3 }),
          img('ami-0000000000000c011', 'recovery-point', A, t2),
          img('ami-0000000000000c012', 'recovery-point', B, t2),
          img('ami-0000000000000d011', 'recovery-point', 'i-0a1b2c3d4e5f600d1', t2, { workload: 'db' }),
        ],
        'us-east-1': [
          img('ami-0000000000000b001', 'source-image', A, t1),
          img('ami-0000000000000b002', 'source-image', B, t1),
          img('ami-0000000000000b003', 'source-image', C, t1),
          img('ami-0000000000000b011', 'source-image', A, t2),
          img('ami-0000000000000b012', 'source-image', B, t2),
        ],
      };
    });
    const thisRun = ['ami-0000000000000c011', 'ami-0000000000000c012', 'ami-0000000000000d011'];

    test("seals this run's set: each point tagged lifeboat:set-size with its workload's instance count", async () => {
      await handler(envelope('prune', input({ keepImageIds: thisRun }), { executionArn: runArn(t2) }));
      expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
        { Resources: ['ami-0000000000000c011', 'ami-0000000000000c012'], Tags: [{ Key: 'lifeboat:set-size', Value: '2' }] },
        { Resources: ['ami-0000000000000d011'], Tags: [{ Key: 'lifeboat:set-size', Value: '1' }] },
      ]);
      expect(tagOf('ami-0000000000000c011', 'lifeboat:set-size')).toBe('2');
      // a retry finds the seal in place and writes nothing more
      await handler(envelope('prune', input({ keepImageIds: thisRun }), { executionArn: runArn(t2) }));
      expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(2);
    });

    test("ages out a departed instance's points with the sets it was in, never touching the newest set", async () => {
      // WHEN retention keeps 2 sets: the t1 set (with C) is still within it
      const first = await handler(envelope('prune', input({ keepImageIds: thisRun }), { executionArn: runArn(t2) }));
      expect(first.deleted.filter((d) => d.region === 'us-west-2')).toEqual([]);
      // and the source images of every run but the newest go, C's with them
      expect(first.deleted.map((d) => d.imageId)).toEqual(['ami-0000000000000b001', 'ami-0000000000000b002', 'ami-0000000000000b003']);

      // WHEN a third backup (t3) finishes, the t1 set is beyond count 2: all of it goes, C's point too
      regions['us-west-2'].push(img('ami-0000000000000c021', 'recovery-point', A, t3), img('ami-0000000000000c022', 'recovery-point', B, t3));
      const third = await handler(envelope('prune', input({ keepImageIds: ['ami-0000000000000c021', 'ami-0000000000000c022'] }), { executionArn: runArn(t3) }));
      expect(third.deleted.map((d) => d.imageId)).toEqual(['ami-0000000000000c001', 'ami-0000000000000c002', 'ami-0000000000000c003']);
      expect(regions['us-west-2'].filter((i) => tagOf(i.ImageId!, 'lifeboat:source-instance') === C)).toEqual([]);
    });

    test("keeps a workload's newest complete set even beyond count, when newer runs never finished", async () => {
      // GIVEN two later runs that left unsealed points of web (they failed part-way)
      regions['us-west-2'] = [
        img('ami-0000000000000c001', 'recovery-point', A, t1, { setSize: 1 }),
        img('ami-0000000000000c011', 'recovery-point', A, t2),
        img('ami-0000000000000c021', 'recovery-point', A, t3),
      ];
      const out = await handler(envelope('prune', input({ retention: { count: 1 } })));
      // THEN the sealed t1 set stays (a failover restores it); t2 is beyond count 1
      expect(out.deleted.filter((d) => d.region === 'us-west-2').map((d) => d.imageId)).toEqual(['ami-0000000000000c011']);
    });

    test('leaves the pass incomplete when a point this run verified is not listed yet, sealing and deleting nothing there', async () => {
      const out = await handler(envelope('prune', input({ keepImageIds: [...thisRun, 'ami-0000000000000c0ff'], retention: { count: 1 } }), { executionArn: runArn(t2) }));
      expect(out.isComplete).toBe(false);
      expect(out.throttled?.join()).toContain('ami-0000000000000c0ff');
      expect(ec2.commandCalls(CreateTagsCommand)).toEqual([]);
      // the t1 set is beyond count 1 but stays until this run's set is sealed
      expect(out.deleted.filter((d) => d.region === 'us-west-2')).toEqual([]);
    });

    test('deletes nothing in the recovery region while sealing is throttled, then finishes on the next pass', async () => {
      // GIVEN count 1: once this run's set (t2) is sealed, the t1 set goes
      throttleCreateTags.next = 1;
      const first = await handler(envelope('prune', input({ keepImageIds: thisRun, retention: { count: 1 } }), { executionArn: runArn(t2) }));
      // THEN the unsealed run deleted nothing there (an unsealed t2 is not complete, so t1 is what a failover restores)
      expect(first.isComplete).toBe(false);
      expect(first.throttled).toEqual(['CreateTags (lifeboat:set-size=2 on 2 recovery point(s)): RequestLimitExceeded']);
      expect(first.deleted.filter((d) => d.region === 'us-west-2')).toEqual([]);
      // WHEN the next pass runs with the first's deletions carried forward
      const second = await handler(envelope('prune', input({ keepImageIds: thisRun, retention: { count: 1 }, deleted: first.deleted }), { executionArn: runArn(t2) }));
      expect(second.isComplete).toBe(true);
      expect(second.throttled).toBeUndefined();
      expect(second.deleted.map((d) => d.imageId)).toEqual([
        'ami-0000000000000b001',
        'ami-0000000000000b002',
        'ami-0000000000000b003',
        'ami-0000000000000c001',
        'ami-0000000000000c002',
        'ami-0000000000000c003',
      ]);
      expect(tagOf('ami-0000000000000c011', 'lifeboat:set-size')).toBe('2');
    });
  });

  test('a throttled read of the recovery region deletes nothing there, and the pass goes on in the primary region', async () => {
    // GIVEN DescribeImages in us-west-2 is throttled (any page: the listing would be partial)
    ec2.on(DescribeImagesCommand).callsFake(async (req, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      if (region === 'us-west-2') throw ec2Error('RequestLimitExceeded', 503);
      return { Images: regions[region].filter((i) => matchesFilters((n) => imageField(i, n), req.Filters)) };
    });
    const out = await handler(envelope('prune', input({ retention: { count: 1 } })));
    expect(out).toMatchObject({ isComplete: false, throttled: ['DescribeImages (recovery points in us-west-2): RequestLimitExceeded'] });
    expect(out.deleted.map((d) => d.imageId)).toEqual(['ami-0000000000000b001']);
    expect(regions['us-west-2']).toHaveLength(5);
  });

  test('a second page of the listing throttled counts as no listing: nothing is decided from the first page alone', async () => {
    // GIVEN the recovery region answers in pages of 2; the second page is throttled
    ec2.on(DescribeImagesCommand).callsFake(async (req, getClient) => {
      const region = await (getClient() as EC2Client).config.region();
      const all = regions[region].filter((i) => matchesFilters((n) => imageField(i, n), req.Filters));
      if (region !== 'us-west-2') return { Images: all };
      if (req.NextToken === undefined) return { Images: all.slice(0, 2), NextToken: 'page-2' };
      throw ec2Error('RequestLimitExceeded', 503);
    });
    const out = await handler(envelope('prune', input({ retention: { count: 1 } })));
    expect(out.isComplete).toBe(false);
    expect(out.deleted.filter((d) => d.region === 'us-west-2')).toEqual([]);
    expect(ec2.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input.ImageId)).toEqual(['ami-0000000000000b001']);
  });

  test('fails with Lifeboat.Timeout naming what is left when a pass past its deadline is still throttled', async () => {
    ec2.on(DeregisterImageCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const error = await rejectionOf(handler(envelope('prune', input({ deadline: '2026-11-25T10:00:00.000Z' }), { stateEnteredTime: '2026-11-25T10:30:00.000Z' })));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain('DeregisterImage ami-0000000000000a002 (us-west-2): RequestLimitExceeded');
  });

  test('never deletes the newest verified point, even when retention says so', async () => {
    // GIVEN a count of 1 where the newest available point is unverified
    const out = await handler(envelope('prune', input({ retention: { count: 1 } })));
    // THEN the newest verified one (a003) stays although it ranks second
    const deletedIds = out.deleted.map((d) => d.imageId);
    expect(deletedIds).not.toContain('ami-0000000000000a003');
    expect(deletedIds).toEqual(['ami-0000000000000a002', 'ami-0000000000000a001', 'ami-0000000000000b001']);
  });

  test('deletes by age relative to the state entered time, keeping keepImageIds and pending copies', async () => {
    const out = await handler(envelope('prune', input({ retention: { maxAgeDays: 1 }, keepImageIds: ['ami-0000000000000a001'] }), { stateEnteredTime: '2026-11-26T05:00:00.000Z' }));
    // a002 is older than a day (02:30 the day before), a001 is kept on request, a005 is pending
    expect(out.deleted.filter((d) => d.region === 'us-west-2').map((d) => d.imageId)).toEqual(['ami-0000000000000a002']);
  });

  test('lists only the snapshots EC2 deleted, not one it skipped because another AMI uses it', async () => {
    ec2.on(DeregisterImageCommand).resolves({
      Return: true,
      DeleteSnapshotResults: [
        { SnapshotId: 'snap-0000000000000a001', ReturnCode: 'success' },
        { SnapshotId: 'snap-0000000000000f001', ReturnCode: 'skipped' },
      ],
    });
    const out = await handler(envelope('prune', input()));
    expect(out.deleted[0].snapshotIds).toEqual(['snap-0000000000000a001']);
  });

  test('a large plan: every stale source image is deleted, the output lists 50 and counts them all, across passes (issue 8: no payload grows with the plan)', async () => {
    const stale = Array.from({ length: 120 }, (_, n) => img(`ami-000000000000${(0xd0000 + n).toString(16)}`, 'source-image', A, '2026-11-25T06:30:00.000Z', { workload: `w${n}` }));
    const newest = Array.from({ length: 120 }, (_, n) => img(`ami-000000000000${(0xe0000 + n).toString(16)}`, 'source-image', A, '2026-11-25T10:30:00.000Z', { workload: `w${n}` }));
    regions['us-east-1'].push(...stale, ...newest);
    // the first pass: the first DeregisterImage (a002, recovery region) is throttled and left for another pass
    throttleDeregister.next = 1;
    const first = await handler(envelope('prune', input()));
    expect(first.isComplete).toBe(false);
    expect(first.deleted).toHaveLength(50);
    // a001, b001 and the 120 stale sources went
    expect(first.deletedCount).toBe(1 + 1 + 120);
    const second = await handler(envelope('prune', input({ deleted: first.deleted, deletedCount: first.deletedCount, finished: first.finished, keptCount: first.keptCount })));
    expect(second.isComplete).toBe(true);
    expect(second.deletedCount).toBe(123);
    expect(second.deleted).toEqual(first.deleted);
    const deregistered = ec2.commandCalls(DeregisterImageCommand).map((c) => c.args[0].input.ImageId);
    expect(new Set(deregistered).size).toBe(123);
    expect(deregistered.filter((id) => newest.some((i) => i.ImageId === id))).toEqual([]);
    expect(JSON.stringify(second).length).toBeLessThan(8 * 1024);
  });

  test('deletes nothing twice when retried after a crash', async () => {
    await handler(envelope('prune', input()));
    const out = await handler(envelope('prune', input()));
    expect(out.deleted).toEqual([]);
    expect(ec2.commandCalls(DeregisterImageCommand)).toHaveLength(3);
  });

  test('treats an image deregistered by a crashed earlier try as gone', async () => {
    ec2.on(DeregisterImageCommand).rejects(ec2Error('InvalidAMIID.NotFound'));
    const out = await handler(envelope('prune', input()));
    expect(out.deleted).toEqual([]);
  });

  test('leaves a throttled DeregisterImage for the next pass and does the other deletions (docs/decisions/0005)', async () => {
    throttleDeregister.next = 1;
    const first = await handler(envelope('prune', input()));
    expect(first.isComplete).toBe(false);
    expect(first.throttled).toEqual(['DeregisterImage ami-0000000000000a002 (us-west-2): RequestLimitExceeded']);
    expect(first.deleted.map((d) => d.imageId)).toEqual(['ami-0000000000000a001', 'ami-0000000000000b001']);
    // the primary region's part was done: the next pass skips it and only lists the recovery region
    expect(first.finished).toEqual(['primary']);
    const listedBefore = ec2.commandCalls(DescribeImagesCommand).length;
    const second = await handler(envelope('prune', input({ deleted: first.deleted, finished: first.finished, keptCount: first.keptCount })));
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(listedBefore + 1);
    expect(second).toMatchObject({ isComplete: true, keptCount: 3, finished: ['primary', 'recovery'] });
    expect(second.deleted.map((d) => d.imageId)).toEqual(['ami-0000000000000a001', 'ami-0000000000000b001', 'ami-0000000000000a002']);
  });

  test('fails with Lifeboat.Unexpected for an EC2 code outside the table', async () => {
    ec2.on(DeregisterImageCommand).rejects(ec2Error('InvalidSnapshot.InUse'));
    const error = await rejectionOf(handler(envelope('prune', input())));
    expect(error.name).toBe('Lifeboat.Unexpected');
    expect(error.message).toContain('InvalidSnapshot.InUse');
  });

  test('fails with Lifeboat.InvalidInput when deregistering is not authorised', async () => {
    ec2.on(DeregisterImageCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(handler(envelope('prune', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('rejects a retention with neither count nor age', async () => {
    const error = await rejectionOf(handler(envelope('prune', input({ retention: {} }))));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain('input.retention: expected at least one of "count" and "maxAgeDays", found {}');
  });

  test("never deletes a point tagged with its own execution's ARN, even beyond count (a distributed backup passes no ids)", async () => {
    // GIVEN the oldest point was made by this very execution (its children tag the parent's ARN)
    const own = regions['us-west-2'].find((i) => i.ImageId === 'ami-0000000000000a001')!;
    own.Tags = [...own.Tags!, { Key: 'lifeboat:execution-arn', Value: EXECUTION_ARN }];
    // WHEN
    const out = (await handler(envelope('prune', input()))) as { deleted: { imageId: string }[] };
    // THEN the other point beyond count goes, this one stays
    expect(out.deleted.map((d) => d.imageId)).toContain('ami-0000000000000a002');
    expect(out.deleted.map((d) => d.imageId)).not.toContain('ami-0000000000000a001');
  });
});
