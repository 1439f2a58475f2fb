import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RPO_LISTED_MAX, RPO_WORKLOADS_SHOWN } from '../../schemas/tasks/publish-rpo.js';
import { handler } from '../../tasks/publish-rpo/handler.js';
import { captureLogs, ec2Error, envelope, imageField, matchesFilters, recoveryPoint, recoveryPointRunArn, rejectionOf, rpoFleet } from './helpers.js';

const cw = mockClient(CloudWatchClient);
const ec2 = mockClient(EC2Client);
let images: Image[];

const runArn = recoveryPointRunArn;
const point = (imageId: string, workload: string, source: string, time: string, setSize?: number, verified = true): Image =>
  recoveryPoint(imageId, workload, source, time, { setSize, isVerified: verified });
const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-west-2',
  rpoMinutes: 240,
  workloads: [
    { name: 'db', isCritical: true },
    { name: 'web', isCritical: true },
  ],
  ...over,
});
const SCHEDULE_RUN = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-publish-rpo:0b6c';

describe('task: publish-rpo', () => {
  beforeEach(() => {
    captureLogs();
    cw.reset();
    ec2.reset();
    cw.on(PutMetricDataCommand).resolves({});
    images = [
      point('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T06:30:00.000Z', 1),
      point('ami-0000000000000e001', 'web', 'i-0a1b2c3d4e5f60011', '2026-11-25T06:30:00.000Z', 1),
      // a later run that never finished: not a complete set, so not what a failover restores
      point('ami-0000000000000e011', 'web', 'i-0a1b2c3d4e5f60011', '2026-11-25T10:30:00.000Z'),
      // a copy that never passed verification
      point('ami-0000000000000d011', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T10:30:00.000Z', 1, false),
    ];
    ec2.on(DescribeImagesCommand).callsFake((req) => ({ Images: images.filter((img) => matchesFilters((n) => imageField(img, n), req.Filters)) }));
  });
  afterEach(() => vi.restoreAllMocks());

  test('the published age grows with time between backups, and reports when it exceeds the objective', async () => {
    // WHEN measured 3 h and then 5 h after the last complete backup
    const early = await handler(envelope('publish-rpo', input(), { executionArn: SCHEDULE_RUN, stateEnteredTime: '2026-11-25T09:30:00.000Z' }));
    const late = await handler(envelope('publish-rpo', input(), { executionArn: SCHEDULE_RUN, stateEnteredTime: '2026-11-25T11:30:00.000Z' }));
    // THEN
    expect(early.rpo).toMatchObject({ maxAgeSeconds: 10800, isWithinObjective: true, missing: [] });
    expect(late.rpo).toEqual({
      measuredAt: '2026-11-25T11:30:00.000Z',
      maxAgeSeconds: 18000,
      objectiveSeconds: 14400,
      isWithinObjective: false,
      workloadCount: 2,
      sets: [{ executionArn: runArn('2026-11-25T06:30:00.000Z'), recoveryPointTime: '2026-11-25T06:30:00.000Z', ageSeconds: 18000, isComplete: true, workloads: ['db', 'web'], workloadCount: 2 }],
      setCount: 1,
      missing: [],
      missingCount: 0,
    });
    expect(late.datumCount).toBe(3);
    const published = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(published[1]).toEqual({
      Namespace: 'Lifeboat',
      MetricData: [
        { MetricName: 'RecoveryPointAgeSeconds', Value: 18000, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: 'shop' }], Timestamp: new Date('2026-11-25T11:30:00.000Z') },
        { MetricName: 'RecoveryPointAgeSeconds', Value: 18000, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: 'shop' }, { Name: 'Workload', Value: 'db' }], Timestamp: new Date('2026-11-25T11:30:00.000Z') },
        { MetricName: 'RecoveryPointAgeSeconds', Value: 18000, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: 'shop' }, { Name: 'Workload', Value: 'web' }], Timestamp: new Date('2026-11-25T11:30:00.000Z') },
      ],
    });
    expect(ec2.commandCalls(DescribeImagesCommand)[0].args[0].input).toMatchObject({ Owners: ['self'] });
  });

  test('publishes no plan-wide datum when a critical workload has no recovery point; an optional one is only listed', async () => {
    const out = await handler(
      envelope('publish-rpo', input({ workloads: [{ name: 'db', isCritical: true }, { name: 'cache', isCritical: false }] }), { stateEnteredTime: '2026-11-25T07:30:00.000Z' }),
    );
    expect(out.rpo).toMatchObject({ maxAgeSeconds: 3600, isWithinObjective: true, missing: ['cache'] });
    const critical = await handler(envelope('publish-rpo', input({ workloads: [{ name: 'cache', isCritical: true }] }), { stateEnteredTime: '2026-11-25T07:30:00.000Z' }));
    expect(critical.rpo).toMatchObject({ maxAgeSeconds: null, isWithinObjective: false, sets: [], missing: ['cache'] });
    expect(critical.datumCount).toBe(0);
  });

  test('a distributed plan of 5,000 workloads: the output lists the oldest set\'s critical workloads first with the counts; the run bucket has the whole report (issue 8)', async () => {
    const fleet = rpoFleet(5000);
    images = fleet.images;
    const objects = new Map<string, string>();
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).callsFake((req) => {
      objects.set(`${req.Bucket}/${req.Key}`, String(req.Body));
      return {};
    });
    const store = { bucket: 'lifeboat-shop-runs-us-west-2', key: 'runs/lifeboat-shop-publish-rpo/0b6c/rpo.json' };
    try {
      const out = await handler(envelope('publish-rpo', input({ workloads: fleet.workloads, detailsStore: store }), { executionArn: SCHEDULE_RUN, stateEnteredTime: '2026-11-25T11:30:00.000Z' }));
      expect(JSON.stringify(out).length).toBeLessThan(16 * 1024);
      expect(out.rpo).toMatchObject({ maxAgeSeconds: 18000, workloadCount: 5000, setCount: 2, missingCount: 500, missing: ['w9', 'w19', 'w29', 'w39', 'w49'], details: store });
      expect(out.rpo.sets.map((set) => [set.recoveryPointTime, set.workloadCount, set.workloads])).toEqual([
        ['2026-11-25T06:30:00.000Z', 500, ['w3', 'w33', 'w63', 'w93', 'w123']],
        ['2026-11-25T10:30:00.000Z', 4000, ['w0', 'w6', 'w12', 'w15', 'w18']],
      ]);
      expect(out.datumCount).toBe(4501);
      const stored = JSON.parse(objects.get(`${store.bucket}/${store.key}`)!) as { rpo: { sets: { workloads: string[] }[]; missing: string[] } };
      expect(stored.rpo.sets.map((set) => [...set.workloads].sort())).toEqual([[...fleet.oldest].sort(), [...fleet.newest].sort()]);
      expect(stored.rpo.missing).toEqual(fleet.missing);
    } finally {
      s3.restore();
    }
  }, 60_000);

  test(`without a run bucket (an inline plan) the report is whole up to ${RPO_LISTED_MAX} workloads, and cut to its counts beyond`, async () => {
    const s3 = mockClient(S3Client);
    try {
      const small = rpoFleet(RPO_LISTED_MAX);
      images = small.images;
      const whole = await handler(envelope('publish-rpo', input({ workloads: small.workloads }), { stateEnteredTime: '2026-11-25T11:30:00.000Z' }));
      expect(whole.rpo.sets.map((set) => set.workloads.length)).toEqual([small.oldest.length, small.newest.length]);
      expect(whole.rpo.missing).toEqual(small.missing);
      expect(whole.rpo.details).toBeUndefined();
      const large = rpoFleet(RPO_LISTED_MAX + 1);
      images = large.images;
      const cut = await handler(envelope('publish-rpo', input({ workloads: large.workloads }), { stateEnteredTime: '2026-11-25T11:30:00.000Z' }));
      expect(cut.rpo.sets.map((set) => [set.workloads.length, set.workloadCount])).toEqual([
        [RPO_WORKLOADS_SHOWN, large.oldest.length],
        [RPO_WORKLOADS_SHOWN, large.newest.length],
      ]);
      expect(cut.rpo).toMatchObject({ workloadCount: RPO_LISTED_MAX + 1, missingCount: large.missing.length });
      expect(cut.rpo.missing).toHaveLength(RPO_WORKLOADS_SHOWN);
      expect(cut.rpo.details).toBeUndefined();
      expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
    } finally {
      s3.restore();
    }
  });

  test('sends at most 1,000 data per PutMetricData call', async () => {
    const many = Array.from({ length: 1200 }, (_, i) => `w${i}`);
    images = many.map((w, i) => point(`ami-${(0x1000 + i).toString(16).padStart(17, '0')}`, w, `i-${(0x1000 + i).toString(16).padStart(17, '0')}`, '2026-11-25T06:30:00.000Z', 1));
    const out = await handler(envelope('publish-rpo', input({ workloads: many.map((name) => ({ name, isCritical: true })) }), { stateEnteredTime: '2026-11-25T07:30:00.000Z' }));
    expect(out.datumCount).toBe(1201);
    expect(cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!.length)).toEqual([1000, 201]);
  });

  test('fails with Lifeboat.Throttled when DescribeImages is throttled, publishing nothing', async () => {
    ec2.on(DescribeImagesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    expect((await rejectionOf(handler(envelope('publish-rpo', input())))).name).toBe('Lifeboat.Throttled');
    expect(cw.commandCalls(PutMetricDataCommand)).toEqual([]);
  });

  test('rejects an input without workloads, naming the path', async () => {
    const error = await rejectionOf(handler(envelope('publish-rpo', input({ workloads: [] }))));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain('input.workloads');
  });
});
