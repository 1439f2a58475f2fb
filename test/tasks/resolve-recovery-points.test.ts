import { DescribeImagesCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/resolve-recovery-points/handler.js';
import { captureLogs, ec2Error, envelope, imageField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let images: Image[];

const point = (imageId: string, workload: string, source: string, time: string, verified = true, state = 'available'): Image => ({
  ImageId: imageId,
  State: state as any,
  Tags: [
    { Key: 'lifeboat:plan', Value: 'shop' },
    { Key: 'lifeboat:role', Value: 'recovery-point' },
    { Key: 'lifeboat:workload', Value: workload },
    { Key: 'lifeboat:source-instance', Value: source },
    { Key: 'lifeboat:recovery-point-time', Value: time },
    ...(verified ? [{ Key: 'lifeboat:verified', Value: 'true' }] : []),
  ],
});

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

  test('picks the newest verified, available copy per source instance, grouped by wave', async () => {
    const out = await handler(envelope('resolve-recovery-points', input()));
    expect(out).toEqual({
      waves: [
        { wave: 1, targets: [{ workload: 'db', sourceInstanceId: 'i-0a1b2c3d4e5f60001', imageId: 'ami-0000000000000d002', recoveryPointTime: '2026-11-25T10:30:00.000Z', isCritical: true, launch }] },
        {
          wave: 2,
          targets: [
            { workload: 'web', sourceInstanceId: 'i-0a1b2c3d4e5f60011', imageId: 'ami-0000000000000e001', recoveryPointTime: '2026-11-25T10:30:00.000Z', isCritical: true, launch },
            { workload: 'web', sourceInstanceId: 'i-0a1b2c3d4e5f60012', imageId: 'ami-0000000000000e002', recoveryPointTime: '2026-11-25T06:30:00.000Z', isCritical: true, launch },
          ],
        },
      ],
      missing: ['reports'],
      oldestRecoveryPointTime: '2026-11-25T06:30:00.000Z',
    });
    expect(ec2.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({ Owners: ['self'] });
  });

  test('honours pins by AMI id and by time', async () => {
    const out = await handler(envelope('resolve-recovery-points', input({ pins: { db: 'ami-0000000000000d001', web: '2026-11-25T09:00:00.000Z' } })));
    expect(out.waves.flatMap((w) => w.targets.map((t) => t.imageId))).toEqual(['ami-0000000000000d001', 'ami-0000000000000e002']);
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
});
