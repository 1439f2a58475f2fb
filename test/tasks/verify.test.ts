import { CreateTagsCommand, DescribeImagesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/verify/handler.js';
import { isSameKmsKey } from '../../tasks/verify/verify.js';
import { captureLogs, ec2Error, envelope, fixture, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
const KEY = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-west-2',
  recoveryPointTime: '2026-11-25T10:30:00.000Z',
  kmsKeyId: KEY,
  copies: [{ workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', sourceImageId: 'ami-0aaaaaaaaaaaaaaa1', imageId: 'ami-0c0c0c0c0c0c0c0c1', state: 'available' }],
  ...over,
});

let images: any;
let snapshots: any;

describe('task: verify', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    images = fixture('describe-images', 'available-copy');
    snapshots = fixture('describe-snapshots', 'completed-encrypted');
    ec2.on(DescribeImagesCommand).callsFake(() => images);
    ec2.on(DescribeSnapshotsCommand).callsFake(() => snapshots);
    ec2.on(CreateTagsCommand).resolves({});
  });
  afterEach(() => vi.restoreAllMocks());

  test('tags the copy and its snapshots verified after every check passed', async () => {
    const out = await handler(envelope('verify', input()));
    expect(out).toEqual({
      verified: [{ workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', imageId: 'ami-0c0c0c0c0c0c0c0c1', snapshotIds: ['snap-0d0d0d0d0d0d0d0d1', 'snap-0d0d0d0d0d0d0d0d2'] }],
      isComplete: true,
      pendingCount: 0,
    });
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resources: ['ami-0c0c0c0c0c0c0c0c1', 'snap-0d0d0d0d0d0d0d0d1', 'snap-0d0d0d0d0d0d0d0d2'], Tags: [{ Key: 'lifeboat:verified', Value: 'true' }] },
    ]);
    expect(ec2.commandCalls(DescribeSnapshotsCommand)[0].args[0].input.SnapshotIds).toEqual(['snap-0d0d0d0d0d0d0d0d1', 'snap-0d0d0d0d0d0d0d0d2']);
  });

  test('re-running after a crash after CreateTags writes no tag again and returns the same answer', async () => {
    const first = await handler(envelope('verify', input()));
    // GIVEN the first call's tags landed
    images.Images[0].Tags.push({ Key: 'lifeboat:verified', Value: 'true' });
    snapshots.Snapshots.forEach((s: any) => s.Tags.push({ Key: 'lifeboat:verified', Value: 'true' }));
    // WHEN
    const second = await handler(envelope('verify', input()));
    // THEN
    expect(second).toEqual(first);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(1);
  });

  test('re-tags only what is not tagged yet when a crash interrupted the tagging', async () => {
    images.Images[0].Tags.push({ Key: 'lifeboat:verified', Value: 'true' });
    await handler(envelope('verify', input()));
    expect(ec2.commandCalls(CreateTagsCommand)[0].args[0].input.Resources).toEqual(['snap-0d0d0d0d0d0d0d0d1', 'snap-0d0d0d0d0d0d0d0d2']);
  });

  test('fails with Lifeboat.VerificationFailed listing every failed check, and tags nothing', async () => {
    // GIVEN a pending copy, one snapshot still pending with another key, and a wrong tag
    images.Images[0].State = 'pending';
    images.Images[0].Tags = images.Images[0].Tags.map((t: any) => (t.Key === 'lifeboat:workload' ? { ...t, Value: 'db' } : t));
    snapshots.Snapshots[1].State = 'pending';
    snapshots.Snapshots[1].KmsKeyId = 'arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-000000000000';
    // WHEN
    const error = await rejectionOf(handler(envelope('verify', input())));
    // THEN
    expect(error.name).toBe('Lifeboat.VerificationFailed');
    expect(error.message).toContain('4 check(s) failed');
    expect(error.message).toContain('web/i-0a1b2c3d4e5f60001 copy ami-0c0c0c0c0c0c0c0c1: expected state "available", found "pending"');
    expect(error.message).toContain('expected tag lifeboat:workload="web", found "db"');
    expect(error.message).toContain('snapshot snap-0d0d0d0d0d0d0d0d2: expected state "completed", found "pending"');
    expect(error.message).toContain(`snapshot snap-0d0d0d0d0d0d0d0d2: expected KMS key "${KEY}"`);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  test('a batch of 100 copies failing 800 checks names the first 20 and counts them all: the cause stays under 32,768 characters', async () => {
    // GIVEN 100 copies (the largest batch) whose 8 volumes each are encrypted with another key
    const other = 'arn:aws:kms:us-west-2:123456789012:key/00000000-0000-0000-0000-000000000000';
    const copies = Array.from({ length: 100 }, (_, i) => ({ workload: 'web', instanceId: `i-0a1b2c3d4e5f6${String(i).padStart(4, '0')}`, sourceImageId: 'ami-0aaaaaaaaaaaaaaa1', imageId: `ami-0c0c0c0c0c0c0${String(i).padStart(4, '0')}`, state: 'available' }));
    const snap = (c: number, v: number) => `snap-0d0d0d0d0d0d${String(c).padStart(3, '0')}${v}`;
    const template = images.Images[0];
    const mapping = template.BlockDeviceMappings[0];
    images = {
      Images: copies.map((c, i) => ({
        ...template,
        ImageId: c.imageId,
        Tags: template.Tags.map((t: any) => (t.Key === 'lifeboat:source-instance' ? { ...t, Value: c.instanceId } : t)),
        BlockDeviceMappings: Array.from({ length: 8 }, (_, v) => ({ ...mapping, DeviceName: `/dev/xvd${'abcdefgh'[v]}`, Ebs: { ...mapping.Ebs, SnapshotId: snap(i, v) } })),
      })),
    };
    const snapTemplate = snapshots.Snapshots[0];
    snapshots = {
      Snapshots: copies.flatMap((c, i) =>
        Array.from({ length: 8 }, (_, v) => ({
          ...snapTemplate,
          SnapshotId: snap(i, v),
          KmsKeyId: other,
          Tags: snapTemplate.Tags.map((t: any) => (t.Key === 'lifeboat:source-instance' ? { ...t, Value: c.instanceId } : t)),
        })),
      ),
    };
    // WHEN
    const error = await rejectionOf(handler(envelope('verify', input({ copies }))));
    // THEN every check is counted, 20 are named (unbounded: about 200,000 characters)
    expect(error.name).toBe('Lifeboat.VerificationFailed');
    expect(error.message).toMatch(/^verify in us-west-2: 800 check\(s\) failed: /);
    expect(error.message).toMatch(/; and 780 more failed check\(s\) \(every one is in this task's log\)$/);
    expect(error.message.length).toBeLessThan(8_192);
  });

  test('fails when a snapshot is not encrypted', async () => {
    snapshots.Snapshots[0].Encrypted = false;
    delete snapshots.Snapshots[0].KmsKeyId;
    images.Images[0].BlockDeviceMappings[0].Ebs.Encrypted = false;
    const error = await rejectionOf(handler(envelope('verify', input())));
    expect(error.name).toBe('Lifeboat.VerificationFailed');
    expect(error.message).toContain('snap-0d0d0d0d0d0d0d0d1: expected encrypted, found unencrypted');
    expect(error.message).toContain('/dev/xvda: expected an encrypted EBS mapping');
  });

  test('fails when a copy was never made', async () => {
    const copies = [{ workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', sourceImageId: 'ami-0aaaaaaaaaaaaaaa1', imageId: null, state: 'not-started' }];
    const error = await rejectionOf(handler(envelope('verify', input({ copies }))));
    expect(error.name).toBe('Lifeboat.VerificationFailed');
    expect(error.message).toContain('no copy of ami-0aaaaaaaaaaaaaaa1 was made');
  });

  test('a throttled DescribeSnapshots leaves the copy unchecked for the next pass, which checks and tags it', async () => {
    // GIVEN the snapshot read is throttled once
    ec2.on(DescribeSnapshotsCommand).rejectsOnce(ec2Error('RequestLimitExceeded', 503)).callsFake(() => snapshots);
    // WHEN
    const first = await handler(envelope('verify', input()));
    // THEN the pass does not fail, tags nothing, and says what was throttled
    const copy = { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60001', imageId: 'ami-0c0c0c0c0c0c0c0c1', snapshotIds: ['snap-0d0d0d0d0d0d0d0d1', 'snap-0d0d0d0d0d0d0d0d2'] };
    expect(first).toEqual({
      verified: [],
      isComplete: false,
      pendingCount: 1,
      snapshotsToCheck: [copy],
      throttled: ['DescribeSnapshots (2 snapshot(s) of the copies): RequestLimitExceeded'],
    });
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    // WHEN the next pass runs, it reads only the snapshots (the AMI passed in the first pass)
    const imageReads = ec2.commandCalls(DescribeImagesCommand).length;
    const second = await handler(envelope('verify', input({ verified: first.verified, snapshotsToCheck: first.snapshotsToCheck })));
    expect(second).toEqual({ verified: [copy], isComplete: true, pendingCount: 0 });
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(imageReads);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(1);
  });

  test('a throttled CreateTags keeps the checked copies and tags them on the next pass without reading them again', async () => {
    ec2.on(CreateTagsCommand).rejectsOnce(ec2Error('RequestLimitExceeded', 503)).resolves({});
    const first = await handler(envelope('verify', input()));
    expect(first.isComplete).toBe(false);
    expect(first.verified.map((v) => v.imageId)).toEqual(['ami-0c0c0c0c0c0c0c0c1']);
    const readsBefore = ec2.commandCalls(DescribeImagesCommand).length;
    const second = await handler(envelope('verify', input({ verified: first.verified })));
    expect(second).toEqual({ verified: first.verified, isComplete: true, pendingCount: 0 });
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(readsBefore);
    expect(ec2.commandCalls(CreateTagsCommand)[1].args[0].input.Resources).toEqual(['ami-0c0c0c0c0c0c0c0c1', 'snap-0d0d0d0d0d0d0d0d1', 'snap-0d0d0d0d0d0d0d0d2']);
  });

  test('fails with Lifeboat.Timeout when copies are still unchecked past the deadline', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const error = await rejectionOf(handler(envelope('verify', input({ deadline: '2026-11-25T10:30:00.000Z' }))));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain('web/i-0a1b2c3d4e5f60001 (ami-0c0c0c0c0c0c0c0c1, not checked)');
  });

  test('fails with Lifeboat.VerificationFailed when the copy does not exist', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    const error = await rejectionOf(handler(envelope('verify', input())));
    expect(error.name).toBe('Lifeboat.VerificationFailed');
    expect(error.message).toContain('copy ami-0c0c0c0c0c0c0c0c1: not found in us-west-2');
  });

  test('fails with Lifeboat.InvalidInput when tagging is not authorised', async () => {
    ec2.on(CreateTagsCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(handler(envelope('verify', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test.each([
    [KEY, KEY, true],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', KEY, true],
    ['00000000-0000-0000-0000-000000000000', KEY, false],
    ['alias/lifeboat', KEY, true],
    [KEY, undefined, false],
  ])('compares the configured KMS key %s with %s', (configured, actual, same) => {
    expect(isSameKmsKey(configured, actual)).toBe(same);
  });
});
