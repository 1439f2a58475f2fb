import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { VirtualClock } from '../../../sandbox/clock.js';
import { SeededRandom } from '../../../sandbox/random.js';
import { createCloudWatchService, type CloudWatchSandbox } from '../../../sandbox/cloudwatch/index.js';
import { startHarness, type Harness } from '../ec2/harness.js';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const REGION = 'us-west-2';

async function errorOf(fn: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('sandbox: cloudwatch', () => {
  let clock: VirtualClock;
  let cw: CloudWatchSandbox;
  let harness: Harness;
  let client: CloudWatchClient;
  let encodings: string[];
  const at = (seconds: number) => new Date(T0 + seconds * 1000);
  const dims = [{ Name: 'Plan', Value: 'shop' }, { Name: 'Mode', Value: 'drill' }];

  beforeEach(async () => {
    clock = new VirtualClock({ startMs: T0 + 3600_000 });
    cw = createCloudWatchService({ clock, random: new SeededRandom(3), accountId: '123456789012' });
    encodings = [];
    // record what reached the service, to see the SDK's compression at work
    const recording = { matches: cw.service.matches, handle: (req: Parameters<typeof cw.service.handle>[0]) => (encodings.push(req.headers['content-encoding'] ?? 'identity'), cw.service.handle(req)) };
    harness = await startHarness([recording], { clock });
    client = harness.cloudwatch(REGION);
  });
  afterEach(async () => {
    await harness.close();
    clock.dispose();
  });

  const put = (data: MetricDatum[], namespace = 'Lifeboat') => client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
  const get = (stat: string, extra: { Unit?: 'Seconds' | 'Count'; ScanBy?: 'TimestampAscending' | 'TimestampDescending'; Dimensions?: typeof dims; Period?: number } = {}) =>
    client.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(600),
        ScanBy: extra.ScanBy,
        MetricDataQueries: [
          { Id: 'm1', MetricStat: { Metric: { Namespace: 'Lifeboat', MetricName: 'RecoveryTimeSeconds', Dimensions: extra.Dimensions ?? dims }, Period: extra.Period ?? 60, Stat: stat, Unit: extra.Unit } },
        ],
      }),
    );

  test('PutMetricData then GetMetricData returns each statistic per period, newest first by default', async () => {
    // GIVEN values in two one-minute buckets
    await put([
      { MetricName: 'RecoveryTimeSeconds', Dimensions: dims, Timestamp: at(10), Value: 10, Unit: 'Seconds' },
      { MetricName: 'RecoveryTimeSeconds', Dimensions: [...dims].reverse(), Timestamp: at(20), Values: [20, 40], Counts: [1, 2], Unit: 'Seconds' },
      { MetricName: 'RecoveryTimeSeconds', Dimensions: dims, Timestamp: at(70), StatisticValues: { SampleCount: 2, Sum: 100, Minimum: 30, Maximum: 70 }, Unit: 'Seconds' },
    ]);
    // WHEN / THEN
    const series = async (stat: string) => {
      const r = (await get(stat)).MetricDataResults![0]!;
      return [r.Timestamps!.map((t) => (t.getTime() - T0) / 1000), r.Values];
    };
    expect(await series('Sum')).toEqual([[60, 0], [100, 110]]);
    expect(await series('SampleCount')).toEqual([[60, 0], [2, 4]]);
    expect(await series('Average')).toEqual([[60, 0], [50, 27.5]]);
    expect(await series('Minimum')).toEqual([[60, 0], [30, 10]]);
    expect(await series('Maximum')).toEqual([[60, 0], [70, 40]]);
    expect(await series('p50')).toEqual([[0], [20]]);
    expect(await series('p99')).toEqual([[0], [40]]);
    const asc = (await get('Sum', { ScanBy: 'TimestampAscending', Period: 300 })).MetricDataResults![0]!;
    expect([asc.Id, asc.Label, asc.StatusCode, asc.Timestamps!.map((t) => t.getTime()), asc.Values]).toEqual(['m1', 'RecoveryTimeSeconds', 'Complete', [T0], [210]]);
  });

  test('GetMetricData filters by unit, answers empty series for unknown metrics, and lists metrics by namespace and dimension', async () => {
    await put([
      { MetricName: 'RecoveryTimeSeconds', Dimensions: dims, Timestamp: at(10), Value: 5, Unit: 'Seconds' },
      { MetricName: 'RecoveryTimeSeconds', Dimensions: dims, Timestamp: at(11), Value: 7, Unit: 'Count' },
      { MetricName: 'BackupSucceeded', Dimensions: [{ Name: 'Plan', Value: 'shop' }], Timestamp: at(12), Value: 1 },
    ]);
    await put([{ MetricName: 'Other', Value: 1 }], 'App');
    expect((await get('Sum', { Unit: 'Seconds' })).MetricDataResults![0]!.Values).toEqual([5]);
    expect((await get('Sum')).MetricDataResults![0]!.Values).toEqual([12]);
    const none = (await get('Sum', { Dimensions: [{ Name: 'Plan', Value: 'blog' }] })).MetricDataResults![0]!;
    expect([none.Timestamps, none.Values, none.StatusCode]).toEqual([[], [], 'Complete']);
    const listed = await client.send(new ListMetricsCommand({ Namespace: 'Lifeboat', Dimensions: [{ Name: 'Plan', Value: 'shop' }] }));
    expect(listed.Metrics!.map((m) => m.MetricName).sort()).toEqual(['BackupSucceeded', 'RecoveryTimeSeconds']);
    const byMode = await client.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Mode' }] }));
    expect(byMode.Metrics).toEqual([{ Namespace: 'Lifeboat', MetricName: 'RecoveryTimeSeconds', Dimensions: [{ Name: 'Mode', Value: 'drill' }, { Name: 'Plan', Value: 'shop' }] }]);
    // regions are separate
    expect((await harness.cloudwatch('us-east-1').send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });

  test('a datum without a timestamp is stamped with the sandbox clock, not the wall clock', async () => {
    await put([{ MetricName: 'BackupSucceeded', Value: 1 }]);
    const [metric] = cw.metrics({ namespace: 'Lifeboat' });
    const stamped = Date.parse(metric!.datapoints[0]!.timestamp);
    expect(stamped - (T0 + 3600_000)).toBeGreaterThanOrEqual(0);
    expect(stamped - (T0 + 3600_000)).toBeLessThan(60_000);
  });

  test('accepts a gzip-compressed PutMetricData body (the SDK compresses bodies of 10 KiB and more)', async () => {
    const data: MetricDatum[] = Array.from({ length: 200 }, (_, i) => ({ MetricName: 'RecoveryTimeSeconds', Dimensions: dims, Timestamp: at(i), Value: i, Unit: 'Seconds' }));
    expect(JSON.stringify(data).length).toBeGreaterThan(10_240);
    await put(data);
    expect(encodings).toEqual(['gzip']);
    expect((await get('SampleCount', { Period: 600 })).MetricDataResults![0]!.Values).toEqual([200]);
  });

  test('rejects invalid PutMetricData with the AWS error classes, codes and messages', async () => {
    const both = await errorOf(() => put([{ MetricName: 'A', Value: 1, Values: [1] }]));
    expect([both.name, both.Code, both.$metadata?.httpStatusCode, both.message]).toEqual([
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
      400,
      'The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.',
    ]);
    const stats = await errorOf(() => put([{ MetricName: 'A', Value: 1 }, { MetricName: 'B', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }]));
    expect(stats.message).toBe('The parameters MetricData.member.2.Value and MetricData.member.2.StatisticValues are mutually exclusive and you have specified both.');
    const counts = await errorOf(() => put([{ MetricName: 'A', Values: [1, 2], Counts: [3] }]));
    expect([counts.name, counts.message]).toEqual(['InvalidParameterValueException', 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.']);
    expect((await errorOf(() => put([{ MetricName: 'A', Value: Number.NaN }]))).name).toBe('InvalidParameterValueException');
    expect((await errorOf(() => put([{ MetricName: 'A', Value: 1 }], 'AWS/EC2'))).name).toBe('InvalidParameterValueException');
    expect((await errorOf(() => put([{ MetricName: 'A', Value: 1, Timestamp: new Date(T0 - 15 * 86400_000) }]))).message).toMatch(/two weeks in the past/);
    expect((await errorOf(() => put([{ MetricName: 'A', Value: 1, Unit: 'Parsecs' as never }]))).name).toBe('InvalidParameterValueException');
    const missing = await errorOf(() => client.send(new PutMetricDataCommand({ MetricData: [{ MetricName: 'A', Value: 1 }] } as never)));
    expect([missing.name, missing.message]).toEqual(['MissingRequiredParameterException', 'The parameter Namespace is required.']);
    // nothing from a rejected request is stored
    expect(cw.metrics()).toEqual([]);
  });

  test('GetMetricData pages with MaxDatapoints: PartialData and a NextToken until the series is complete', async () => {
    await put(Array.from({ length: 5 }, (_, i) => ({ MetricName: 'RecoveryTimeSeconds', Dimensions: dims, Timestamp: at(i * 60), Value: i, Unit: 'Seconds' as const })));
    const page = (token?: string) =>
      client.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(600),
          MaxDatapoints: 2,
          NextToken: token,
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Lifeboat', MetricName: 'RecoveryTimeSeconds', Dimensions: dims }, Period: 60, Stat: 'Sum' } }],
        }),
      );
    const seen: number[] = [];
    const statuses: string[] = [];
    let token: string | undefined;
    do {
      const res = await page(token);
      seen.push(...res.MetricDataResults![0]!.Values!);
      statuses.push(res.MetricDataResults![0]!.StatusCode!);
      token = res.NextToken;
    } while (token);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(statuses).toEqual(['PartialData', 'PartialData', 'Complete']);
    expect((await errorOf(() => page('bm9wZQ'))).name).toBe('InvalidNextToken');
  });

  test('rejects invalid GetMetricData queries', async () => {
    const order = await errorOf(() => client.send(new GetMetricDataCommand({ StartTime: at(600), EndTime: at(0), MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } }] })));
    expect([order.name, order.message]).toEqual(['InvalidParameterValueException', 'The parameter StartTime must be less than the parameter EndTime.']);
    expect((await errorOf(() => get('Median'))).name).toBe('InvalidParameterValueException');
    expect((await errorOf(() => get('Sum', { Period: 45 }))).name).toBe('InvalidParameterValueException');
    const dup = await errorOf(() =>
      client.send(
        new GetMetricDataCommand({
          StartTime: at(0),
          EndTime: at(60),
          MetricDataQueries: [
            { Id: 'm1', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } },
            { Id: 'm1', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } },
          ],
        }),
      ),
    );
    expect([dup.name, dup.$metadata?.httpStatusCode]).toEqual(['ValidationException', 400]);
  });
});
