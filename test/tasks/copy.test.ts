import { CopyImageCommand, CreateTagsCommand, DeleteTagsCommand, DeregisterImageCommand, DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client, type Image, type Snapshot } from '@aws-sdk/client-ec2';
import { createHash } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { expectedCompletion, ownTurn, type CopyCandidate } from '../../tasks/copy/copy.js';
import { handler } from '../../tasks/copy/handler.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope, fakeId, imageField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let images: Image[];
let byToken: Map<string, string>;
/** Snapshot states of the fake region (DescribeSnapshots); an id not listed is absent. */
let snapshots: Snapshot[];

const SOURCE_1 = 'ami-0aaaaaaaaaaaaaaa1';
const SOURCE_2 = 'ami-0aaaaaaaaaaaaaaa2';

const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  sourceRegion: 'us-east-1',
  targetRegion: 'us-west-2',
  recoveryPointTime: '2026-11-25T10:30:00.000Z',
  kmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  copyTags: true,
  deadline: '2026-11-25T16:30:00.000Z',
  images: [
    { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', name: 'lifeboat-shop-web-i-0a1b2c3d4e5f60001-20261125T103000Z', imageId: SOURCE_1, state: 'available' },
    { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60002', name: 'lifeboat-shop-db-i-0a1b2c3d4e5f60002-20261125T103000Z', imageId: SOURCE_2, state: 'available' },
  ],
  ...over,
});

/**
 * An in-memory destination region: CopyImage honours ClientToken as EC2 does (same token,
 * same result) and applies the TagSpecification tags.
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
function fakeEc2() {
  images = [];
  byToken = new Map();
  snapshots = [];
  ec2.reset();
  ec2.on(DescribeSnapshotsCommand).callsFake((req) => ({
    Snapshots: snapshots.filter((snap) => matchesFilters((n) => (n === 'snapshot-id' ? snap.SnapshotId : n === 'status' ? snap.State : undefined), req.Filters)),
  }));
  ec2.on(DescribeImagesCommand).callsFake((req) => ({
    Images: images.filter((img) => (!req.ImageIds || req.ImageIds.includes(img.ImageId!)) && matchesFilters((n) => imageField(img, n), req.Filters)),
  }));
  ec2.on(CopyImageCommand).callsFake((req) => {
    const known = byToken.get(req.ClientToken);
    if (known) return { ImageId: known };
    const img: Image = { ImageId: fakeId('ami', images.length + 1), Name: req.Name, State: 'pending', Tags: req.TagSpecifications[0].Tags };
    images.push(img);
    byToken.set(req.ClientToken, img.ImageId!);
    return { ImageId: img.ImageId };
  });
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(DeleteTagsCommand).callsFake((req) => {
    for (const img of images) if (req.Resources.includes(img.ImageId)) img.Tags = (img.Tags ?? []).filter((t) => !req.Tags.some((d: { Key: string }) => d.Key === t.Key));
    return {};
  });
  ec2.on(DeregisterImageCommand).callsFake((req) => {
    images = images.filter((img) => img.ImageId !== req.ImageId);
    return { Return: true };
  });
}

describe('task: copy', () => {
  beforeEach(() => {
    captureLogs();
    fakeEc2();
  });
  afterEach(() => vi.restoreAllMocks());

  test('starts an encrypted copy of each source AMI with tags, KMS key and the derived client token', async () => {
    const out = await handler(envelope('copy', input()));

    expect(out).toEqual({
      copies: [
        { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', sourceImageId: SOURCE_1, imageId: fakeId('ami', 1), state: 'pending' },
        { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60002', sourceImageId: SOURCE_2, imageId: fakeId('ami', 2), state: 'pending' },
      ],
      isComplete: false,
      pendingCount: 2,
    });
    const call = ec2.commandCalls(CopyImageCommand)[0].args[0].input;
    expect(call).toMatchObject({
      SourceImageId: SOURCE_1,
      SourceRegion: 'us-east-1',
      Name: 'lifeboat-shop-web-i-0a1b2c3d4e5f60001-20261125T103000Z',
      Encrypted: true,
      KmsKeyId: 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      CopyImageTags: true,
      ClientToken: createHash('sha256').update(`${EXECUTION_ARN}|${SOURCE_1}|us-west-2`).digest('hex'),
    });
    expect(call.ClientToken).toHaveLength(64);
    expect(call.TagSpecifications!.map((s) => s.ResourceType)).toEqual(['image', 'snapshot']);
    expect(Object.fromEntries(call.TagSpecifications![1].Tags!.map((t) => [t.Key, t.Value]))).toStrictEqual({
      'lifeboat:plan': 'shop',
      'lifeboat:workload': 'web',
      'lifeboat:source-instance': 'i-0a1b2c3d4e5f60001',
      'lifeboat:execution-arn': EXECUTION_ARN,
      'lifeboat:recovery-point-time': '2026-11-25T10:30:00.000Z',
      'lifeboat:role': 'recovery-point',
      'lifeboat:source-image': SOURCE_1,
    });
  });

  test('creates no second copy when retried after a crash between CopyImage and the return', async () => {
    await handler(envelope('copy', input()));
    // the retry has the same input (no `copies`): the same client tokens make EC2 answer with the same copies
    const out = await handler(envelope('copy', input()));
    // Out of the run's copy queue but without a known copy: found by its lifeboat:source-image tag and adopted.
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(2);
    expect(images).toHaveLength(2);
    expect(out.copies.map((c) => c.imageId)).toEqual([fakeId('ami', 1), fakeId('ami', 2)]);
  });

  test('repeats the same client token when the look-up misses the copy, so EC2 returns the same one', async () => {
    await handler(envelope('copy', input()));
    const first = ec2.commandCalls(CopyImageCommand).map((c) => c.args[0].input.ClientToken);
    // GIVEN a look-up that is not yet consistent (the copies are invisible)
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    // WHEN
    const out = await handler(envelope('copy', input()));
    // THEN
    expect(ec2.commandCalls(CopyImageCommand).slice(2).map((c) => c.args[0].input.ClientToken)).toEqual(first);
    expect(out.copies.map((c) => c.imageId)).toEqual([fakeId('ami', 1), fakeId('ami', 2)]);
    expect(images).toHaveLength(2);
  });

  test('re-tags a copy whose lifeboat tags came over from the source AMI, and completes when available', async () => {
    const first = await handler(envelope('copy', input()));
    images.forEach((img) => {
      img.State = 'available';
      img.Tags = img.Tags!.map((t) => (t.Key === 'lifeboat:role' ? { Key: t.Key, Value: 'source-image' } : t));
    });
    const out = await handler(envelope('copy', input({ copies: first.copies })));
    expect(out.isComplete).toBe(true);
    const retags = ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input);
    expect(retags.map((r) => r.Resources)).toEqual([[fakeId('ami', 1)], [fakeId('ami', 2)]]);
    expect(retags[0].Tags).toContainEqual({ Key: 'lifeboat:role', Value: 'recovery-point' });
  });

  test('leaves the items pending and starts nothing more when EC2 answers ResourceLimitExceeded (another run took the slots)', async () => {
    ec2.on(CopyImageCommand).rejectsOnce(ec2Error('ResourceLimitExceeded')).resolves({ ImageId: 'ami-0bbbbbbbbbbbbbbb2' });
    const out = await handler(envelope('copy', input()));
    expect(out.copies.map((c) => [c.imageId, c.state])).toEqual([[null, 'not-started'], [null, 'not-started']]);
    expect(out.queuedCount).toBe(2);
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(1);
  });

  test('starts only what the snapshot-copy quota allows, counting the copies in flight in the target region', async () => {
    // GIVEN 19 copies in progress (1 snapshot each) against the default quota of 20 snapshot copies
    for (let i = 0; i < 19; i++) {
      images.push({ ImageId: fakeId('ami', 900 + i), Name: `other-${i}`, State: 'pending', SourceImageId: 'ami-0ccccccccccccccc1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: fakeId('snap', i + 1) } }] });
      snapshots.push({ SnapshotId: fakeId('snap', i + 1), State: 'pending' });
    }
    // WHEN
    const out = await handler(envelope('copy', input()));
    // THEN one copy starts, the other waits for a slot
    expect(out.copies.map((c) => c.state)).toEqual(['pending', 'not-started']);
    expect(out.queuedCount).toBe(1);
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(1);
  });

  test('a copy holds a snapshot slot only while that snapshot is being copied (EBS counts snapshot copies in progress)', async () => {
    // GIVEN 10 copies in progress with 2 snapshots each: the root snapshots are copied, the data ones still pending
    for (let i = 0; i < 10; i++) {
      const root = fakeId('snap', 100 + i);
      const data = fakeId('snap', 200 + i);
      images.push({ ImageId: fakeId('ami', 900 + i), Name: `other-${i}`, State: 'pending', SourceImageId: 'ami-0ccccccccccccccc1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: root } }, { DeviceName: '/dev/xvdb', Ebs: { SnapshotId: data } }] });
      snapshots.push({ SnapshotId: root, State: 'completed' }, { SnapshotId: data, State: 'pending' });
    }
    // WHEN two AMIs of 5 snapshots each wait, against 20 snapshot slots of which 10 are in use
    const five = input().images.map((i) => ({ ...i, snapshotCount: 5 }));
    const out = await handler(envelope('copy', input({ images: five })));
    // THEN both start (10 + 5 + 5 = 20); counting every snapshot of the pending copies would have started none
    expect(out.copies.map((c) => c.state)).toEqual(['pending', 'pending']);
    expect(out.queuedCount).toBeUndefined();
  });

  test('a throttled count of the snapshot copies counts every snapshot of the pending copies (never above the quota)', async () => {
    for (let i = 0; i < 9; i++) {
      images.push({ ImageId: fakeId('ami', 900 + i), Name: `other-${i}`, State: 'pending', SourceImageId: 'ami-0ccccccccccccccc1', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: fakeId('snap', 100 + i) } }, { DeviceName: '/dev/xvdb', Ebs: { SnapshotId: fakeId('snap', 200 + i) } }] });
    }
    ec2.on(DescribeSnapshotsCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    // 18 snapshot slots counted as taken: one AMI of 2 snapshots fits, not two
    const out = await handler(envelope('copy', input({ images: input().images.map((i) => ({ ...i, snapshotCount: 2 })) })));
    expect(out.copies.map((c) => c.state)).toEqual(['pending', 'not-started']);
    expect(out.throttled).toEqual(['DescribeSnapshots (snapshot copies in progress in us-west-2): RequestLimitExceeded']);
  });

  test('starts the largest copies first: the most snapshots, then the largest volume', async () => {
    const [web, db] = input().images;
    const images = [
      { ...web, snapshotCount: 1, largestVolumeGiB: 500 },
      { ...db, snapshotCount: 2, largestVolumeGiB: 100 },
    ];
    const out = await handler(envelope('copy', input({ images, quotas: { concurrentAmiCopies: 1, concurrentSnapshotCopies: 20 } })));
    // the output keeps the batch's order; the one started is the AMI of 2 snapshots
    expect(out.copies.map((c) => [c.workload, c.state])).toEqual([['web', 'not-started'], ['db', 'pending']]);
    fakeEc2();
    const bySize = [
      { ...web, snapshotCount: 1, largestVolumeGiB: 8 },
      { ...db, snapshotCount: 1, largestVolumeGiB: 100 },
    ];
    const second = await handler(envelope('copy', input({ images: bySize, quotas: { concurrentAmiCopies: 1, concurrentSnapshotCopies: 20 } })));
    expect(second.copies.map((c) => [c.workload, c.state])).toEqual([['web', 'not-started'], ['db', 'pending']]);
  });

  test('starts only what the AMI-copy quota allows, and an AMI costs one snapshot copy per snapshot', async () => {
    images.push({ ImageId: fakeId('ami', 900), Name: 'other', State: 'pending', SourceImageRegion: 'eu-west-1', BlockDeviceMappings: [] });
    const two = input().images.map((i) => ({ ...i, snapshotCount: 2 }));
    // 2 AMI slots, 1 taken; 4 snapshot slots: room for one AMI of 2 snapshots
    const amiBound = await handler(envelope('copy', input({ images: two, quotas: { concurrentAmiCopies: 2, concurrentSnapshotCopies: 100 } })));
    expect(amiBound.copies.map((c) => c.state)).toEqual(['pending', 'not-started']);
    fakeEc2();
    const snapshotBound = await handler(envelope('copy', input({ images: two, quotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 3 } })));
    expect(snapshotBound.copies.map((c) => c.state)).toEqual(['pending', 'not-started']);
    expect(snapshotBound.queuedCount).toBe(1);
  });

  test('never exceeds the quota across passes, and fills freed slots at once (the in-flight count is read every pass)', async () => {
    const quotas = { concurrentAmiCopies: 1, concurrentSnapshotCopies: 20 };
    const withSource = () => images.forEach((img) => (img.SourceImageId = SOURCE_1));
    const first = await handler(envelope('copy', input({ quotas })));
    withSource();
    expect(first.copies.map((c) => c.state)).toEqual(['pending', 'not-started']);
    const second = await handler(envelope('copy', input({ quotas, copies: first.copies })));
    expect(second.copies.map((c) => c.state)).toEqual(['pending', 'not-started']);
    images[0]!.State = 'available';
    const third = await handler(envelope('copy', input({ quotas, copies: second.copies })));
    expect(third.copies.map((c) => c.state)).toEqual(['available', 'pending']);
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(2);
  });

  test('leaves a throttled CopyImage for the next pass', async () => {
    ec2.on(CopyImageCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('copy', input()));
    expect(out.pendingCount).toBe(2);
    expect(out.copies.every((c) => c.state === 'not-started')).toBe(true);
  });

  test('a throttled count of the copies in flight starts nothing this pass, and the pass does not fail', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('copy', input()));
    expect(out.copies.map((c) => c.state)).toEqual(['not-started', 'not-started']);
    expect(out.throttled).toEqual([
      'DescribeImages (sources queued for a copy in us-east-1): RequestLimitExceeded',
      'DescribeImages (copies in progress in us-west-2): RequestLimitExceeded',
    ]);
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(0);
  });

  test('a throttled DescribeImages of the known copies keeps their previous state; the pass reads only its own batch and the run\'s queue', async () => {
    const first = await handler(envelope('copy', input()));
    images.forEach((img) => (img.State = 'available'));
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('copy', input({ copies: first.copies })));
    expect(out.copies).toEqual(first.copies);
    expect(out.isComplete).toBe(false);
    expect(out.throttled).toEqual([
      'DescribeImages (2 copies of this batch by id): RequestLimitExceeded',
      'DescribeImages (sources queued for a copy in us-east-1): RequestLimitExceeded',
    ]);
    const reads = ec2.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input.Filters);
    expect(reads.slice(-2)).toEqual([
      [{ Name: 'image-id', Values: [fakeId('ami', 1), fakeId('ami', 2)] }],
      [
        { Name: 'tag:lifeboat:execution-arn', Values: [EXECUTION_ARN] },
        { Name: 'tag:lifeboat:copy', Values: ['queued'] },
        { Name: 'state', Values: ['available'] },
      ],
    ]);
  });

  test('fails with Lifeboat.NotFound when the source AMI is gone', async () => {
    ec2.on(CopyImageCommand).rejects(ec2Error('InvalidAMIID.NotFound', 400, `The image id '[${SOURCE_1}]' does not exist`));
    const error = await rejectionOf(handler(envelope('copy', input())));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain(`CopyImage ${SOURCE_1} from us-east-1 to us-west-2`);
  });

  test('fails with Lifeboat.InvalidInput on a parameter EC2 rejects', async () => {
    ec2.on(CopyImageCommand).rejects(ec2Error('InvalidParameterValue', 400, 'KMS key is invalid'));
    expect((await rejectionOf(handler(envelope('copy', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('a batch of 100 failed copies names 20 and counts the rest, so the cause stays under 32,768 characters', async () => {
    const many = Array.from({ length: 100 }, (_, i) => {
      const instanceId = `i-0a1b2c3d4e5f6${String(i).padStart(4, '0')}`;
      const workload = `workload-with-a-long-name-${String(i).padStart(6, '0')}`;
      return { workload, instanceId, name: `lifeboat-shop-${workload}-${instanceId}-20261125T103000Z`, imageId: `ami-0a0a0a0a0a0a0${String(i).padStart(4, '0')}`, state: 'available' };
    });
    // The quota starts 20 copies a pass: five passes, each finding the earlier copies done, start all 100.
    let first = await handler(envelope('copy', input({ images: many })));
    for (let pass = 0; pass < 5 && first.copies.some((c) => c.imageId === null); pass++) {
      for (const img of images) img.State = 'available';
      first = await handler(envelope('copy', input({ images: many, copies: first.copies })));
    }
    expect(first.copies.filter((c) => c.imageId !== null)).toHaveLength(100);
    for (const img of images) {
      img.State = 'failed';
      img.StateReason = { Code: 'Client.KmsKeyNotFound', Message: 'the KMS key given for the copy was not found in the destination region' };
    }
    const error = await rejectionOf(handler(envelope('copy', input({ images: many, copies: first.copies }))));
    expect(error.name).toBe('Lifeboat.ImageFailed');
    // unbounded: 100 × about 230 characters
    expect(error.message.length).toBeLessThan(8_192);
    expect(error.message).toContain(`workload '${many[19].workload}'`);
    expect(error.message).not.toContain(`workload '${many[20].workload}'`);
    expect(error.message).toMatch(/; and 80 more failed copies \(every one is in this task's log\)$/);
  });

  test('fails with Lifeboat.ImageFailed when a copy failed, and re-copies after a redrive', async () => {
    const first = await handler(envelope('copy', input()));
    images[0].State = 'failed';
    images[0].StateReason = { Code: 'Client.KmsKeyNotFound', Message: 'KMS key not found' };
    const error = await rejectionOf(handler(envelope('copy', input({ copies: first.copies }))));
    expect(error.name).toBe('Lifeboat.ImageFailed');
    expect(error.message).toContain(`copy ${fakeId('ami', 1)} of ${SOURCE_1} failed: KMS key not found`);

    const out = await handler(envelope('copy', input({ copies: first.copies }), { redriveCount: 1 }));
    expect(ec2.commandCalls(DeregisterImageCommand)[0].args[0].input).toEqual({ ImageId: fakeId('ami', 1), DeleteAssociatedSnapshots: true });
    const recopy = ec2.commandCalls(CopyImageCommand).at(-1)!.args[0].input;
    expect(recopy.Name).toBe('lifeboat-shop-web-i-0a1b2c3d4e5f60001-20261125T103000Z-c1');
    expect(recopy.ClientToken).not.toBe(ec2.commandCalls(CopyImageCommand)[0].args[0].input.ClientToken);
    expect(out.copies[0].state).toBe('pending');
  });

  test('waits for a source AMI that is not available yet instead of copying it', async () => {
    const images0 = input().images;
    images0[1] = { ...images0[1], state: 'pending' };
    const out = await handler(envelope('copy', input({ images: images0 })));
    expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(1);
    expect(out.copies[1]).toEqual({ workload: 'db', instanceId: 'i-0a1b2c3d4e5f60002', sourceImageId: SOURCE_2, imageId: null, state: 'not-started' });
  });

  test('fails with Lifeboat.Timeout past the deadline with copies pending', async () => {
    const error = await rejectionOf(handler(envelope('copy', input(), { stateEnteredTime: '2026-11-25T16:30:00.001Z' })));
    expect(error.name).toBe('Lifeboat.Timeout');
  });

  describe('with copyTimeoutMinutes: each copy has its own deadline, counted from its start', () => {
    // The queue deadline (input.deadline) is 16:30; each copy has 60 minutes from its CreationDate.
    const started = async (at: string) => {
      const first = await handler(envelope('copy', input({ copyTimeoutMinutes: 60 }), { stateEnteredTime: at }));
      images.forEach((img) => (img.CreationDate = at));
      return first;
    };

    test('a copy that started late, after waiting for a slot, is not failed by the queue deadline', async () => {
      const first = await started('2026-11-25T16:20:00.000Z');
      const out = await handler(envelope('copy', input({ copyTimeoutMinutes: 60, copies: first.copies }), { stateEnteredTime: '2026-11-25T17:10:00.000Z' }));
      expect(out.pendingCount).toBe(2);
    });

    test('a copy still pending longer than copyTimeoutMinutes after its own start fails the loop, naming it', async () => {
      const first = await started('2026-11-25T16:20:00.000Z');
      const error = await rejectionOf(handler(envelope('copy', input({ copyTimeoutMinutes: 60, copies: first.copies }), { stateEnteredTime: '2026-11-25T17:20:00.000Z' })));
      expect(error.name).toBe('Lifeboat.Timeout');
      expect(error.message).toContain('each copy has 60 min from its own start');
      expect(error.message).toContain(`web/i-0a1b2c3d4e5f60001 (${fakeId('ami', 1)}, pending)`);
    });

    test('a copy still waiting for a slot at the queue deadline fails the loop, saying the quota was full', async () => {
      // GIVEN the AMI-copy quota is taken by another run's copy
      images.push({ ImageId: fakeId('ami', 900), Name: 'other', State: 'pending', SourceImageId: 'ami-0ccccccccccccccc1', BlockDeviceMappings: [] });
      const error = await rejectionOf(
        handler(envelope('copy', input({ copyTimeoutMinutes: 60, quotas: { concurrentAmiCopies: 1, concurrentSnapshotCopies: 20 } }), { stateEnteredTime: '2026-11-25T16:30:00.001Z' })),
      );
      expect(error.name).toBe('Lifeboat.Timeout');
      expect(error.message).toContain('copies still waiting for a slot of the copy quotas');
      expect(error.message).toContain('web/i-0a1b2c3d4e5f60001 (not started: copy quota full, not-started)');
    });

    test("past the queue deadline behind this run's own copies, a copy waits on instead of failing the loop (many volumes, batches at once)", async () => {
      // GIVEN the AMI-copy quota is taken by a copy of another batch of the same run (its own deadline runs)
      const ownTags = [{ Key: 'lifeboat:execution-arn', Value: EXECUTION_ARN }, { Key: 'lifeboat:role', Value: 'recovery-point' }];
      images.push({ ImageId: fakeId('ami', 900), Name: 'other-batch', State: 'pending', SourceImageId: 'ami-0ccccccccccccccc1', BlockDeviceMappings: [], Tags: ownTags });
      const quotas = { concurrentAmiCopies: 1, concurrentSnapshotCopies: 20 };
      const out = await handler(envelope('copy', input({ copyTimeoutMinutes: 60, quotas }), { stateEnteredTime: '2026-11-25T16:30:00.001Z' }));
      expect(out).toMatchObject({ isComplete: false, pendingCount: 2, queuedCount: 2 });
      expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(0);
      // AND when the run's copies all ended at once, the copies it starts in this pass hold the slots
      images.find((img) => img.ImageId === fakeId('ami', 900))!.State = 'available';
      const tight = { concurrentAmiCopies: 50, concurrentSnapshotCopies: 1 };
      const next = await handler(envelope('copy', input({ copyTimeoutMinutes: 60, quotas: tight }), { stateEnteredTime: '2026-11-25T16:30:00.001Z' }));
      expect(next).toMatchObject({ pendingCount: 2, queuedCount: 1 });
      expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(1);
      // AND once a copy of another run (or an untagged one) holds a slot, the queue deadline applies again
      images.push({ ImageId: fakeId('ami', 901), Name: 'foreign', State: 'pending', SourceImageId: 'ami-0ccccccccccccccc2', BlockDeviceMappings: [] });
      const error = await rejectionOf(handler(envelope('copy', input({ copyTimeoutMinutes: 60, quotas }), { stateEnteredTime: '2026-11-25T16:30:00.001Z' })));
      expect(error.name).toBe('Lifeboat.Timeout');
    });
  });

  describe('the run\'s copy queue (docs/decisions/0018, "Update")', () => {
    /** A source AMI of this execution still queued for its copy, as `image` tags it. */
    const queuedSource = (imageId: string, workload: string, instanceId: string, created: string, sizes: number[]): Image => ({
      ImageId: imageId,
      Name: `lifeboat-shop-${workload}-${instanceId}-20261125T103000Z`,
      State: 'available',
      CreationDate: created,
      BlockDeviceMappings: sizes.map((size, i) => ({ DeviceName: `/dev/xvd${'abc'[i]}`, Ebs: { SnapshotId: `snap-0${imageId.slice(-16)}${i}`, VolumeSize: size } })),
      Tags: [
        { Key: 'lifeboat:execution-arn', Value: EXECUTION_ARN },
        { Key: 'lifeboat:workload', Value: workload },
        { Key: 'lifeboat:source-instance', Value: instanceId },
        { Key: 'lifeboat:copy', Value: 'queued' },
      ],
    });
    const OTHER = 'ami-0aaaaaaaaaaaaaaa9';

    test('a freed slot goes to an older batch\'s queued source first, started as its own batch would start it, and leaves the queue', async () => {
      // GIVEN this batch's two sources imaged at 10:45 and another batch's imaged at 10:30, one snapshot slot free
      images.push(
        queuedSource(SOURCE_1, 'web', 'i-0a1b2c3d4e5f60001', '2026-11-25T10:45:10.000Z', [16]),
        queuedSource(SOURCE_2, 'db', 'i-0a1b2c3d4e5f60002', '2026-11-25T10:45:20.000Z', [100]),
        queuedSource(OTHER, 'app', 'i-0a1b2c3d4e5f60009', '2026-11-25T10:30:40.000Z', [16]),
      );
      const out = await handler(envelope('copy', input({ quotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 1 } })));
      // THEN the other batch's copy starts (same client token and name as its own batch would use) and this batch's wait
      const calls = ec2.commandCalls(CopyImageCommand).map((c) => c.args[0].input);
      expect(calls.map((c) => c.SourceImageId)).toEqual([OTHER]);
      expect(calls[0]).toMatchObject({
        Name: 'lifeboat-shop-app-i-0a1b2c3d4e5f60009-20261125T103000Z',
        ClientToken: createHash('sha256').update(`${EXECUTION_ARN}|${OTHER}|us-west-2`).digest('hex'),
      });
      expect(Object.fromEntries(calls[0].TagSpecifications![0].Tags!.map((t) => [t.Key, t.Value]))).toMatchObject({ 'lifeboat:workload': 'app', 'lifeboat:source-image': OTHER });
      expect(ec2.commandCalls(DeleteTagsCommand).map((c) => c.args[0].input)).toEqual([{ Resources: [OTHER], Tags: [{ Key: 'lifeboat:copy', Value: 'queued' }] }]);
      expect(out.copies.map((c) => c.state)).toEqual(['not-started', 'not-started']);
      expect(out.queuedCount).toBe(2);
    });

    test('within the same minute the largest goes first, and a source another batch started is adopted, not copied again', async () => {
      images.push(
        queuedSource(SOURCE_1, 'web', 'i-0a1b2c3d4e5f60001', '2026-11-25T10:45:10.000Z', [16]),
        queuedSource(SOURCE_2, 'db', 'i-0a1b2c3d4e5f60002', '2026-11-25T10:45:50.000Z', [16, 100]),
      );
      const sized = input().images.map((img, i) => ({ ...img, snapshotCount: i + 1, largestVolumeGiB: i === 0 ? 16 : 100 }));
      const first = await handler(envelope('copy', input({ images: sized, quotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 2 } })));
      expect(ec2.commandCalls(CopyImageCommand).map((c) => c.args[0].input.SourceImageId)).toEqual([SOURCE_2]);
      expect(first.copies.map((c) => c.state)).toEqual(['not-started', 'pending']);
      // WHEN another batch's pass starts SOURCE_1 (tag removed, copy made with its token)
      ec2.resetHistory();
      const othersImage = { workload: 'app', instanceId: 'i-0a1b2c3d4e5f60009', name: 'lifeboat-shop-app-i-0a1b2c3d4e5f60009-20261125T103000Z', imageId: OTHER, state: 'pending' };
      const other = await handler(envelope('copy', input({ images: [othersImage], quotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 5 } })));
      expect(other.copies.map((c) => c.sourceImageId)).toEqual([OTHER]);
      expect(ec2.commandCalls(CopyImageCommand).map((c) => c.args[0].input.SourceImageId)).toEqual([SOURCE_1]);
      // THEN this batch's next pass finds that copy by its source-image tag instead of copying again
      ec2.resetHistory();
      const next = await handler(envelope('copy', input({ images: sized, copies: first.copies, quotas: { concurrentAmiCopies: 50, concurrentSnapshotCopies: 5 } })));
      expect(ec2.commandCalls(CopyImageCommand)).toHaveLength(0);
      expect(next.copies.map((c) => c.state)).toEqual(['pending', 'pending']);
      expect(new Set(next.copies.map((c) => c.imageId)).size).toBe(2);
    });
  });

  test('ownTurn: this batch\'s first held-back copy waits for the slots the copies ranked ahead of it take', () => {
    const item = (count: number, isOwn: boolean): CopyCandidate => ({
      source: { workload: 'w', instanceId: 'i-0a1b2c3d4e5f60001', name: 'n-n', imageId: SOURCE_1, state: 'available', snapshotCount: count },
      ...(isOwn ? { own: { index: 0, attempt: 0, stale: [] } } : {}),
      rank: 0,
      isTagged: true,
    });
    // 2 snapshots ahead + 1 of ours = 3 slots, 1 free now: the second completion frees the last one needed
    expect(ownTurn([item(2, false), item(1, true)], 1, [3_000, 1_000, 2_000])).toBe(2_000);
    expect(ownTurn([item(1, true)], 0, [5_000, 4_000])).toBe(4_000);
    // More slots needed than copies in progress: no estimate; nothing of ours held back: none either
    expect(ownTurn([item(2, false), item(2, true)], 0, [1_000])).toBeUndefined();
    expect(ownTurn([item(2, false)], 0, [1_000])).toBeUndefined();
    // More slots needed than copies in progress, every completion known: not before the last of them
    // (a batch far back in the queue no longer comes back every queued wait; bench/shapes.ts many-volumes)
    expect(ownTurn([item(8, false), item(8, false), item(8, true)], 2, [4_000, 1_000, 9_000, 3_000], true)).toBe(9_000);
    expect(ownTurn([item(2, false)], 0, [1_000], true)).toBeUndefined();
    // Within what is in progress, the answer does not depend on it
    expect(ownTurn([item(2, false), item(1, true)], 1, [3_000, 1_000, 2_000], true)).toBe(2_000);
  });

  test('expectedCompletion extrapolates a snapshot copy from its start and whole-percent progress', () => {
    const start = new Date('2026-11-25T10:00:00.000Z');
    // 49.5 % done after 10 minutes: about 20.2 minutes in all
    expect(expectedCompletion(start, '49%', start.getTime() + 600_000)).toBe(start.getTime() + (600_000 * 100) / 49.5);
    expect(expectedCompletion(start, '0%', start.getTime() + 600_000)).toBeUndefined();
    expect(expectedCompletion(undefined, '50%', start.getTime())).toBeUndefined();
  });
});

describe('task: copy, bounded by the Lambda time left (issue 8)', () => {
  beforeEach(() => {
    captureLogs();
    fakeEc2();
  });
  afterEach(() => vi.restoreAllMocks());

  test('a CopyImage that uses the time down to the margin holds the next copy back for the next pass (queued), which starts it; none twice', async () => {
    const clock = { ms: 60_000 };
    const started: string[] = [];
    ec2.on(CopyImageCommand).callsFake((req) => {
      clock.ms -= 31_000; // a storm: the call takes 31 s of a 60 s function (margin: half of 60 s)
      started.push(req.SourceImageId);
      const img: Image = { ImageId: fakeId('ami', images.length + 1), Name: req.Name, State: 'pending', Tags: req.TagSpecifications[0].Tags };
      images.push(img);
      return { ImageId: img.ImageId };
    });
    const lambda = { getRemainingTimeInMillis: () => clock.ms };
    const first = await handler(envelope('copy', input()), lambda);
    expect(started).toEqual([SOURCE_1]);
    expect(first).toMatchObject({ isComplete: false, pendingCount: 2, queuedCount: 1 });
    expect(first.copies.map((c) => c.imageId !== null)).toEqual([true, false]);
    clock.ms = 60_000;
    const second = await handler(envelope('copy', input({ copies: first.copies })), lambda);
    expect(started).toEqual([SOURCE_1, SOURCE_2]);
    expect(second.copies.every((c) => c.imageId !== null)).toBe(true);
    expect(second.queuedCount).toBeUndefined();
  });
});
