import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand, EC2Client, type Image } from '@aws-sdk/client-ec2';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/record-metrics/handler.js';
import { captureLogs, envelope, imageField, matchesFilters, recoveryPoint, recoveryPointRunArn, rejectionOf, rpoFleet } from './helpers.js';

const cw = mockClient(CloudWatchClient);
const ec2 = mockClient(EC2Client);

const runArn = recoveryPointRunArn;
/** A verified, sealed recovery point in the recovery region. */
const point = (imageId: string, workload: string, source: string, time: string, setSize: number): Image =>
  recoveryPoint(imageId, workload, source, time, { setSize });
const backupInput = (over: Record<string, unknown> = {}) => ({
  kind: 'backup',
  planName: 'shop',
  region: 'us-east-1',
  outcome: 'SUCCEEDED',
  startedAt: '2026-11-25T10:30:00.000Z',
  recoveryPointTime: '2026-11-25T10:30:00.000Z',
  workloadCount: 3,
  recoveryRegion: 'us-west-2',
  workloads: [
    { name: 'db', isCritical: true },
    { name: 'web', isCritical: true },
    { name: 'reports', isCritical: false },
  ],
  objectives: { rpoMinutes: 240, rtoMinutes: 60 },
  ...over,
});

/** A CloudWatch error as the SDK raises it (aws-api-reference.md §3.1: an unmapped code keeps its name). */
function cwError(name: string, status: number): CloudWatchServiceException {
  return new CloudWatchServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

describe('task: record-metrics', () => {
  beforeEach(() => {
    captureLogs();
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
    ec2.reset();
    // web was backed up by this run (10:30); db only by the run before (06:30); reports never
    const images = [
      point('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T06:30:00.000Z', 1),
      point('ami-0000000000000e001', 'web', 'i-0a1b2c3d4e5f60011', '2026-11-25T10:30:00.000Z', 2),
      point('ami-0000000000000e002', 'web', 'i-0a1b2c3d4e5f60012', '2026-11-25T10:30:00.000Z', 2),
    ];
    ec2.on(DescribeImagesCommand).callsFake((req) => ({ Images: images.filter((img) => matchesFilters((n) => imageField(img, n), req.Filters)) }));
  });
  afterEach(() => vi.restoreAllMocks());

  test("publishes the backup RPO as the age of each workload's newest recovery set, in the recovery region", async () => {
    const out = await handler(envelope('record-metrics', backupInput(), { stateEnteredTime: '2026-11-25T10:52:30.000Z' }));
    // db's newest set is 4h22m30s old: that is the plan's RPO, not this run's 22m30s
    expect(out.metrics).toEqual([
      { name: 'RecoveryPointAgeSeconds', value: 15750, unit: 'Seconds' },
      { name: 'BackupSucceeded', value: 1, unit: 'Count' },
    ]);
    expect(out.rpo).toMatchObject({ maxAgeSeconds: 15750, objectiveSeconds: 14400, isWithinObjective: false, missing: ['reports'] });
    // the oldest (worst) set first
    expect(out.rpo!.sets.map((s) => [s.workloads, s.workloadCount, s.ageSeconds])).toEqual([
      [['db'], 1, 15750],
      [['web'], 1, 1350],
    ]);
    expect(out.rpo).toMatchObject({ workloadCount: 3, setCount: 2, missingCount: 1 });
    expect(out.rpo!.details).toBeUndefined();
    const calls = await Promise.all(
      cw.commandCalls(PutMetricDataCommand).map(async (c) => ({ region: await (c.thisValue as CloudWatchClient).config.region(), input: c.args[0].input })),
    );
    expect(calls.map((c) => [c.region, c.input.Namespace])).toEqual([
      ['us-east-1', 'Lifeboat'],
      ['us-west-2', 'Lifeboat'],
    ]);
    expect(calls[0].input.MetricData!.map((d) => d.MetricName)).toEqual(['BackupSucceeded']);
    expect(calls[1].input.MetricData).toEqual([
      { MetricName: 'RecoveryPointAgeSeconds', Value: 15750, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: 'shop' }], Timestamp: new Date('2026-11-25T10:52:30.000Z') },
      { MetricName: 'RecoveryPointAgeSeconds', Value: 15750, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: 'shop' }, { Name: 'Workload', Value: 'db' }], Timestamp: new Date('2026-11-25T10:52:30.000Z') },
      { MetricName: 'RecoveryPointAgeSeconds', Value: 1350, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: 'shop' }, { Name: 'Workload', Value: 'web' }], Timestamp: new Date('2026-11-25T10:52:30.000Z') },
    ]);
    expect(out.workloadDatumCount).toBe(2);
  });

  test.each([5_000, 30_000])(
    'a distributed backup of %i workloads returns a bounded RPO report (oldest set first, critical workloads first) and writes the whole one to the run bucket (issue 8)',
    async (count) => {
      // GIVEN a fleet: a tenth last backed up at 06:30, a tenth never, the rest by this run (10:30)
      const fleet = rpoFleet(count);
      ec2.on(DescribeImagesCommand).callsFake((req) => ({ Images: fleet.images.filter((img) => matchesFilters((n) => imageField(img, n), req.Filters)) }));
      const objects = new Map<string, string>();
      const s3 = mockClient(S3Client);
      s3.on(PutObjectCommand).callsFake((req) => {
        objects.set(`${req.Bucket}/${req.Key}`, String(req.Body));
        return {};
      });
      const store = { bucket: 'lifeboat-shop-runs-us-east-1', key: 'runs/lifeboat-shop-backup/backup-1/rpo.json' };
      try {
        // WHEN the backup records its metrics
        const out = await handler(envelope('record-metrics', backupInput({ workloadCount: count, workloads: fleet.workloads, detailsStore: store }), { stateEnteredTime: '2026-11-25T10:52:30.000Z' }));
        // THEN the output stays small, with the whole counts, the worst first
        expect(JSON.stringify(out).length).toBeLessThan(16 * 1024);
        const rpo = out.rpo!;
        expect(rpo).toMatchObject({ maxAgeSeconds: 15750, isWithinObjective: false, workloadCount: count, setCount: 2, missingCount: fleet.missing.length, details: store });
        expect(rpo.sets.map((s) => [s.ageSeconds, s.workloadCount, s.workloads])).toEqual([
          [15750, fleet.oldest.length, ['w3', 'w33', 'w63', 'w93', 'w123']],
          [1350, fleet.newest.length, ['w0', 'w6', 'w12', 'w15', 'w18']],
        ]);
        expect(rpo.missing).toEqual(['w9', 'w19', 'w29', 'w39', 'w49']);
        // AND the stored report lists every workload
        const stored = JSON.parse(objects.get(`${store.bucket}/${store.key}`)!) as { rpo: { sets: { workloads: string[]; workloadCount: number }[]; missing: string[]; workloadCount: number; details?: unknown } };
        expect(stored.rpo.details).toBeUndefined();
        expect(stored.rpo.workloadCount).toBe(count);
        expect(stored.rpo.sets.map((s) => [...s.workloads].sort())).toEqual([[...fleet.oldest].sort(), [...fleet.newest].sort()]);
        expect(stored.rpo.sets.map((s) => s.workloadCount)).toEqual([fleet.oldest.length, fleet.newest.length]);
        expect(stored.rpo.missing).toEqual(fleet.missing);
        // AND every workload with a recovery point has its datum
        const perWorkload = cw
          .commandCalls(PutMetricDataCommand)
          .flatMap((c) => c.args[0].input.MetricData ?? [])
          .filter((d) => d.Dimensions?.some((dim) => dim.Name === 'Workload'))
          .map((d) => d.Dimensions!.find((dim) => dim.Name === 'Workload')!.Value!);
        expect(new Set(perWorkload).size).toBe(count - fleet.missing.length);
        expect(out.workloadDatumCount).toBe(count - fleet.missing.length);
      } finally {
        s3.restore();
      }
    },
    60_000,
  );

  test('leaves the plan-wide RPO out when a critical workload has no recovery point, so the alarm sees missing data', async () => {
    const out = await handler(envelope('record-metrics', backupInput({ workloads: [{ name: 'db', isCritical: true }, { name: 'cache', isCritical: true }] })));
    expect(out.rpo).toMatchObject({ maxAgeSeconds: null, isWithinObjective: false, missing: ['cache'] });
    expect(out.metrics).toEqual([{ name: 'BackupSucceeded', value: 1, unit: 'Count' }]);
    const recoveryData = cw.commandCalls(PutMetricDataCommand)[1].args[0].input.MetricData!;
    expect(recoveryData.map((d) => d.Dimensions)).toEqual([[{ Name: 'Plan', Value: 'shop' }, { Name: 'Workload', Value: 'db' }]]);
  });

  test('records the achieved RPO and RTO of a drill per workload and overall, against the objectives', async () => {
    const older = runArn('2026-11-24T22:30:00.000Z');
    const newer = runArn('2026-11-25T02:30:00.000Z');
    const out = await handler(
      envelope('record-metrics', {
        kind: 'drill',
        planName: 'shop',
        region: 'us-west-2',
        outcome: 'SUCCEEDED',
        startedAt: '2026-11-25T03:00:00.000Z',
        readyAt: '2026-11-25T04:14:10.000Z',
        recoveryPointTime: '2026-11-24T22:30:00.000Z',
        workloadCount: 3,
        objectives: { rpoMinutes: 240, rtoMinutes: 60 },
        sets: [
          { executionArn: newer, recoveryPointTime: '2026-11-25T02:30:00.000Z', isComplete: true, workloads: ['db', 'web'] },
          { executionArn: older, recoveryPointTime: '2026-11-24T22:30:00.000Z', isComplete: true, workloads: ['reports'] },
        ],
        waves: [
          { wave: 1, readyAt: '2026-11-25T03:10:00.000Z', workloads: ['db'] },
          { wave: 2, readyAt: '2026-11-25T04:14:10.000Z', workloads: ['web', 'reports'] },
        ],
      }),
    );
    expect(out.achieved).toEqual({
      rpoSeconds: 16200, // reports: 4h30m before the start, over the 4h objective
      rtoSeconds: 4450, // 1h14m10s, over the 1h objective
      rpoObjectiveSeconds: 14400,
      rtoObjectiveSeconds: 3600,
      isRpoMet: false,
      isRtoMet: false,
      groups: [
        { workloads: ['reports'], executionArn: older, recoveryPointTime: '2026-11-24T22:30:00.000Z', rpoSeconds: 16200, rtoSeconds: 4450 },
        { workloads: ['web'], executionArn: newer, recoveryPointTime: '2026-11-25T02:30:00.000Z', rpoSeconds: 1800, rtoSeconds: 4450 },
        { workloads: ['db'], executionArn: newer, recoveryPointTime: '2026-11-25T02:30:00.000Z', rpoSeconds: 1800, rtoSeconds: 600 },
      ],
    });
    expect(out.metrics).toEqual([
      { name: 'RecoveryTimeSeconds', value: 4450, unit: 'Seconds' },
      { name: 'AchievedRecoveryPointAgeSeconds', value: 16200, unit: 'Seconds' },
      { name: 'RecoverySucceeded', value: 1, unit: 'Count' },
    ]);
    const data = cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData!;
    const perWorkload = data.filter((d) => d.Dimensions!.some((x) => x.Name === 'Workload'));
    expect(perWorkload.map((d) => [d.MetricName, d.Dimensions!.map((x) => x.Value).join('/'), d.Value])).toEqual([
      ['AchievedRecoveryPointAgeSeconds', 'shop/drill/reports', 16200],
      ['RecoveryTimeSeconds', 'shop/drill/reports', 4450],
      ['AchievedRecoveryPointAgeSeconds', 'shop/drill/web', 1800],
      ['RecoveryTimeSeconds', 'shop/drill/web', 4450],
      ['AchievedRecoveryPointAgeSeconds', 'shop/drill/db', 1800],
      ['RecoveryTimeSeconds', 'shop/drill/db', 600],
    ]);
    expect(out.workloadDatumCount).toBe(6);
  });

  test('a distributed drill reads the sets and each wave\'s workloads from the run bucket, publishes every workload, and writes the whole result there', async () => {
    // GIVEN the same drill as above, its lists in the run bucket as resolve-recovery-points and summarize-results wrote them
    const older = runArn('2026-11-24T22:30:00.000Z');
    const newer = runArn('2026-11-25T02:30:00.000Z');
    const bucket = 'lifeboat-shop-runs-us-west-2';
    const prefix = 'runs/lifeboat-shop-drill/drill-1';
    const objects = new Map<string, string>([
      [
        `${prefix}/recovery-sets.json`,
        JSON.stringify({
          sets: [
            { executionArn: newer, recoveryPointTime: '2026-11-25T02:30:00.000Z', isComplete: true, workloads: ['db', 'web'] },
            { executionArn: older, recoveryPointTime: '2026-11-24T22:30:00.000Z', isComplete: true, workloads: ['reports'] },
          ],
          missing: [],
        }),
      ],
      [`${prefix}/wave-1-instances.json`, JSON.stringify({ instances: [{ workload: 'db', instanceId: 'i-1' }, { workload: 'db', instanceId: 'i-2' }], skipped: [] })],
      [`${prefix}/wave-2-instances.json`, JSON.stringify({ instances: [{ workload: 'web', instanceId: 'i-3' }, { workload: 'reports', instanceId: 'i-4' }], skipped: [] })],
    ]);
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand).callsFake((req) => {
      const text = objects.get(req.Key);
      if (text === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
      return { Body: { transformToString: async () => text } as never };
    });
    s3.on(PutObjectCommand).callsFake((req) => {
      objects.set(req.Key!, String(req.Body));
      return {};
    });
    try {
      const out = await handler(
        envelope('record-metrics', {
          kind: 'drill',
          planName: 'shop',
          region: 'us-west-2',
          outcome: 'SUCCEEDED',
          startedAt: '2026-11-25T03:00:00.000Z',
          readyAt: '2026-11-25T04:14:10.000Z',
          recoveryPointTime: '2026-11-24T22:30:00.000Z',
          workloadCount: 3,
          objectives: { rpoMinutes: 240, rtoMinutes: 60 },
          setsFrom: { bucket, key: `${prefix}/recovery-sets.json` },
          detailsStore: { bucket, key: `${prefix}/achieved.json` },
          waves: [
            { wave: 1, readyAt: '2026-11-25T03:10:00.000Z', records: { bucket, key: `${prefix}/wave-1-instances.json` }, workloadCount: 1 },
            { wave: 2, readyAt: '2026-11-25T04:14:10.000Z', records: { bucket, key: `${prefix}/wave-2-instances.json` }, workloadCount: 2 },
          ],
        }),
      );
      // THEN the figures are those of the inline drill, each group with its count and the object with them all
      const details = { bucket, key: `${prefix}/achieved.json` };
      expect(out.achieved).toMatchObject({ rpoSeconds: 16200, rtoSeconds: 4450, isRpoMet: false, isRtoMet: false, details });
      expect(out.achieved!.groups.map((g) => [g.workloads, g.workloadCount, g.rpoSeconds, g.rtoSeconds])).toEqual([
        [['reports'], 1, 16200, 4450],
        [['web'], 1, 1800, 4450],
        [['db'], 1, 1800, 600],
      ]);
      expect(out.workloadDatumCount).toBe(6);
      const stored = JSON.parse(objects.get(`${prefix}/achieved.json`)!);
      expect(stored.achieved.groups.flatMap((g: { workloads: string[] }) => g.workloads).sort()).toEqual(['db', 'reports', 'web']);
      expect(stored.sets.map((set: { workloads: string[] }) => set.workloads)).toEqual([['db', 'web'], ['reports']]);
    } finally {
      s3.restore();
    }
  });

  test('a distributed drill whose sets object is gone fails with Lifeboat.NotFound naming it', async () => {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }));
    try {
      const error = await rejectionOf(
        handler(
          envelope('record-metrics', {
            kind: 'drill',
            planName: 'shop',
            region: 'us-west-2',
            outcome: 'SUCCEEDED',
            startedAt: '2026-11-25T03:00:00.000Z',
            readyAt: '2026-11-25T04:14:10.000Z',
            workloadCount: 3,
            objectives: { rpoMinutes: 240, rtoMinutes: 60 },
            setsFrom: { bucket: 'lifeboat-shop-runs-us-west-2', key: 'runs/lifeboat-shop-drill/drill-1/recovery-sets.json' },
            waves: [],
          }),
        ),
      );
      expect([error.name, error.message]).toEqual(['Lifeboat.NotFound', expect.stringContaining('read s3://lifeboat-shop-runs-us-west-2/runs/lifeboat-shop-drill/drill-1/recovery-sets.json: NoSuchKey')]);
    } finally {
      s3.restore();
    }
  });

  test('a failback measures the RPO at rpoAt (its launch start: the images it made are that old then), the RTO from its start, Mode failback', async () => {
    const failback = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failback:failback-20261125T100000Z-0001';
    const out = await handler(
      envelope('record-metrics', {
        kind: 'failback',
        planName: 'shop',
        region: 'us-west-2',
        outcome: 'SUCCEEDED',
        startedAt: '2026-11-25T10:00:00.000Z',
        rpoAt: '2026-11-25T10:45:00.000Z',
        readyAt: '2026-11-25T10:55:00.000Z',
        recoveryPointTime: '2026-11-25T10:00:00.000Z',
        workloadCount: 1,
        objectives: { rpoMinutes: 240, rtoMinutes: 60 },
        sets: [{ executionArn: failback, recoveryPointTime: '2026-11-25T10:00:00.000Z', isComplete: true, workloads: ['db'] }],
        waves: [{ wave: 1, readyAt: '2026-11-25T10:55:00.000Z', workloads: ['db'] }],
      }),
    );
    expect(out.achieved).toMatchObject({ rpoSeconds: 2700, rtoSeconds: 3300, isRpoMet: true, isRtoMet: true, groups: [{ workloads: ['db'], rpoSeconds: 2700, rtoSeconds: 3300 }] });
    const data = cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData!;
    expect(data.find((d) => d.MetricName === 'RecoverySucceeded')!.Dimensions).toEqual([
      { Name: 'Plan', Value: 'shop' },
      { Name: 'Mode', Value: 'failback' },
    ]);
  });

  test('publishes only the 0 success metric for a failed backup', async () => {
    const out = await handler(envelope('record-metrics', { kind: 'backup', planName: 'shop', region: 'us-east-1', outcome: 'FAILED', startedAt: '2026-11-25T10:30:00.000Z', recoveryPointTime: '2026-11-25T10:30:00.000Z', workloadCount: 3 }));
    expect(out.metrics).toEqual([{ name: 'BackupSucceeded', value: 0, unit: 'Count' }]);
  });

  test('fails with Lifeboat.Throttled when CloudWatch throttles', async () => {
    cw.on(PutMetricDataCommand).rejects(cwError('Throttling', 400));
    const error = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    expect(error.name).toBe('Lifeboat.Throttled');
  });

  test('fails with Lifeboat.Transient on an internal CloudWatch fault', async () => {
    cw.on(PutMetricDataCommand).rejects(cwError('InternalServiceFault', 500));
    const error = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    expect(error.name).toBe('Lifeboat.Transient');
  });

  test('fails with Lifeboat.InvalidInput when CloudWatch rejects a value', async () => {
    const error = Object.assign(cwError('InvalidParameterValueException', 400), { Code: 'InvalidParameterValue' });
    cw.on(PutMetricDataCommand).rejects(error);
    const thrown = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    expect(thrown.name).toBe('Lifeboat.InvalidInput');
  });

  test('fails with Lifeboat.NotFound when CloudWatch answers ResourceNotFound', async () => {
    cw.on(PutMetricDataCommand).rejects(Object.assign(cwError('ResourceNotFound', 404), { Code: 'ResourceNotFound' }));
    const thrown = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    // ResourceNotFound has no ".NotFound" suffix: the table maps it to Unexpected, not NotFound.
    expect(thrown.name).toBe('Lifeboat.Unexpected');
  });

  test('publishes the same data again when retried (it creates no EC2 resource)', async () => {
    const event = envelope('record-metrics', backupInput());
    await handler(event);
    await handler(event);
    const calls = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(4); // BackupSucceeded in the primary region, the RPO in the recovery region, twice
    expect(calls.slice(2)).toEqual(calls.slice(0, 2));
  });
});
