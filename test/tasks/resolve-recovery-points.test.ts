import { DescribeImagesCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/resolve-recovery-points/handler.js';
import { captureLogs, ec2Error, envelope, imageField, matchesFilters, recoveryPoint, recoveryPointRunArn, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let images: Image[];

const runArn = recoveryPointRunArn;

/** A copy in the recovery region; `setSize` is the seal `prune` puts on a finished run's points. */
const point = (imageId: string, workload: string, source: string, time: string, verified = true, state = 'available', setSize?: number): Image =>
  recoveryPoint(imageId, workload, source, time, { setSize, isVerified: verified, state });

const launch = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: [], instanceTypes: ['m5.large'] };
const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-west-2',
  workloads: [
    { name: 'db', isCritical: true, wave: 1, launch },
    { name: 'web', isCritical: true, wave: 2, launch },
    { name: 'reports', isCritical: false, wave: 2, launch },
  ],
  ...over,
});

describe('task: resolve-recovery-points', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    images = [
      point('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T06:30:00.000Z'),
      point('ami-0000000000000d002', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T10:30:00.000Z'),
      point('ami-0000000000000d003', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T14:30:00.000Z', false),
      point('ami-0000000000000e001', 'web', 'i-0a1b2c3d4e5f60011', '2026-11-25T10:30:00.000Z'),
      point('ami-0000000000000e002', 'web', 'i-0a1b2c3d4e5f60012', '2026-11-25T06:30:00.000Z'),
      point('ami-0000000000000e003', 'web', 'i-0a1b2c3d4e5f60012', '2026-11-25T08:30:00.000Z', true, 'pending'),
    ];
    ec2.on(DescribeImagesCommand).callsFake((req) => ({
      Images: images.filter((img) => matchesFilters((n) => imageField(img, n), req.Filters)),
    }));
  });
  afterEach(() => vi.restoreAllMocks());

  test('without sealed sets, restores the newest run with a verified, available copy per workload, grouped by wave', async () => {
    const out = await handler(envelope('resolve-recovery-points', input()));
    expect(out).toEqual({
      waves: [
        { wave: 1, targets: [{ workload: 'db', sourceInstanceId: 'i-0a1b2c3d4e5f60001', imageId: 'ami-0000000000000d002', recoveryPointTime: '2026-11-25T10:30:00.000Z', isCritical: true, launch }] },
        {
          wave: 2,
          targets: [
            // web's newest run covered only ...0011: ...0012's older point is not mixed in.
            { workload: 'web', sourceInstanceId: 'i-0a1b2c3d4e5f60011', imageId: 'ami-0000000000000e001', recoveryPointTime: '2026-11-25T10:30:00.000Z', isCritical: true, launch },
          ],
        },
      ],
      missing: ['reports'],
      oldestRecoveryPointTime: '2026-11-25T10:30:00.000Z',
      sets: [{ executionArn: runArn('2026-11-25T10:30:00.000Z'), recoveryPointTime: '2026-11-25T10:30:00.000Z', isComplete: false, workloads: ['db', 'web'] }],
    });
    expect(ec2.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({ Owners: ['self'] });
  });

  test('restores the newest complete set of a workload: an instance that left it does not come back', async () => {
    // GIVEN web backed up with 3 instances at 06:30, then with 2 (one terminated) at 10:30
    const t1 = '2026-11-25T06:30:00.000Z';
    const t2 = '2026-11-25T10:30:00.000Z';
    images = [
      point('ami-0000000000000f001', 'web', 'i-0a1b2c3d4e5f60011', t1, true, 'available', 3),
      point('ami-0000000000000f002', 'web', 'i-0a1b2c3d4e5f60012', t1, true, 'available', 3),
      point('ami-0000000000000f003', 'web', 'i-0a1b2c3d4e5f60013', t1, true, 'available', 3),
      point('ami-0000000000000f011', 'web', 'i-0a1b2c3d4e5f60011', t2, true, 'available', 2),
      point('ami-0000000000000f012', 'web', 'i-0a1b2c3d4e5f60012', t2, true, 'available', 2),
      point('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', t1, true, 'available', 1),
    ];
    // WHEN
    const out = await handler(envelope('resolve-recovery-points', input()));
    // THEN
    expect(out.waves.flatMap((w) => w.targets.map((t) => t.imageId))).toEqual(['ami-0000000000000d001', 'ami-0000000000000f011', 'ami-0000000000000f012']);
    expect(out.sets).toEqual([
      { executionArn: runArn(t2), recoveryPointTime: t2, isComplete: true, workloads: ['web'] },
      { executionArn: runArn(t1), recoveryPointTime: t1, isComplete: true, workloads: ['db'] },
    ]);
    expect(out.oldestRecoveryPointTime).toBe(t1);
  });

  test('prefers an older complete set to a newer run that was never sealed (a backup that failed part-way)', async () => {
    const t1 = '2026-11-25T06:30:00.000Z';
    const t2 = '2026-11-25T10:30:00.000Z';
    images = [
      point('ami-0000000000000f001', 'web', 'i-0a1b2c3d4e5f60011', t1, true, 'available', 2),
      point('ami-0000000000000f002', 'web', 'i-0a1b2c3d4e5f60012', t1, true, 'available', 2),
      point('ami-0000000000000f011', 'web', 'i-0a1b2c3d4e5f60011', t2),
      point('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', t1, true, 'available', 1),
    ];
    const out = await handler(envelope('resolve-recovery-points', input()));
    expect(out.waves.flatMap((w) => w.targets.map((t) => t.imageId))).toEqual(['ami-0000000000000d001', 'ami-0000000000000f001', 'ami-0000000000000f002']);
    expect(out.sets).toEqual([{ executionArn: runArn(t1), recoveryPointTime: t1, isComplete: true, workloads: ['db', 'web'] }]);
  });

  test('treats a sealed set with a member missing as incomplete and falls back to the set before it', async () => {
    const t1 = '2026-11-25T06:30:00.000Z';
    const t2 = '2026-11-25T10:30:00.000Z';
    images = [
      point('ami-0000000000000f001', 'web', 'i-0a1b2c3d4e5f60011', t1, true, 'available', 1),
      // the 10:30 set had 2 instances; one copy is gone
      point('ami-0000000000000f011', 'web', 'i-0a1b2c3d4e5f60011', t2, true, 'available', 2),
      point('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', t1, true, 'available', 1),
    ];
    const out = await handler(envelope('resolve-recovery-points', input()));
    expect(out.waves[1].targets.map((t) => t.imageId)).toEqual(['ami-0000000000000f001']);
  });

  test('honours pins by AMI id and by time (the newest set at or before the time)', async () => {
    const out = await handler(envelope('resolve-recovery-points', input({ pins: { db: 'ami-0000000000000d001', web: '2026-11-25T09:00:00.000Z' } })));
    expect(out.waves.flatMap((w) => w.targets.map((t) => t.imageId))).toEqual(['ami-0000000000000d001', 'ami-0000000000000e002']);
    expect(out.sets).toEqual([
      { executionArn: runArn('2026-11-25T06:30:00.000Z'), recoveryPointTime: '2026-11-25T06:30:00.000Z', isComplete: false, workloads: ['db', 'web'] },
    ]);
  });

  test('fails with Lifeboat.NotFound when a critical workload has no verified point', async () => {
    images = images.filter((i) => !i.Tags!.some((t) => t.Value === 'db'));
    const error = await rejectionOf(handler(envelope('resolve-recovery-points', input())));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain("critical workload 'db': no verified recovery point in us-west-2");
  });

  test('fails with Lifeboat.NotFound for a pin that is not a verified point of the workload', async () => {
    const error = await rejectionOf(handler(envelope('resolve-recovery-points', input({ pins: { db: 'ami-0000000000000d003' } }))));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain('pinned ami-0000000000000d003');
  });

  test('gives the same answer when retried (it creates nothing)', async () => {
    expect(await handler(envelope('resolve-recovery-points', input()))).toEqual(await handler(envelope('resolve-recovery-points', input())));
  });

  test('fails with Lifeboat.Throttled when DescribeImages is throttled', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    expect((await rejectionOf(handler(envelope('resolve-recovery-points', input())))).name).toBe('Lifeboat.Throttled');
  });

  test('fails with Lifeboat.Transient on a 503 Unavailable', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('Unavailable', 503));
    expect((await rejectionOf(handler(envelope('resolve-recovery-points', input())))).name).toBe('Lifeboat.Transient');
  });

  test('fails with Lifeboat.InvalidInput when DescribeImages is not authorised', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(handler(envelope('resolve-recovery-points', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('leaves out the workloads in exclude (a failover proceeding past pre-flight): neither launched nor missing', async () => {
    // web is critical and would resolve; excluded, it is not a target; reports (no point) is not "missing" either
    const out = await handler(envelope('resolve-recovery-points', input({ exclude: ['web', 'reports'] })));
    expect(out.waves.flatMap((w) => w.targets.map((t) => t.workload))).toEqual(['db']);
    expect(out.missing).toEqual([]);
    expect(out.sets.flatMap((s) => s.workloads)).toEqual(['db']);
  });

  test('an excluded critical workload without a recovery point no longer fails the step', async () => {
    images = images.filter((i) => !i.ImageId!.startsWith('ami-0000000000000d'));
    expect((await rejectionOf(handler(envelope('resolve-recovery-points', input())))).name).toBe('Lifeboat.NotFound');
    const out = await handler(envelope('resolve-recovery-points', input({ exclude: ['db'] })));
    expect(out.waves.flatMap((w) => w.targets.map((t) => t.workload))).toEqual(['web']);
  });
});
