import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const dims = [{ Name: 'Service', Value: 'shop' }];

describe('sandbox: cloudwatch persistence', () => {
  const dirs: string[] = [];
  const sandboxes: Sandbox[] = [];

  async function start(dataDir: string): Promise<{ sandbox: Sandbox; cw: CloudWatchClient }> {
    const sandbox = await startSandbox({ dataDir, startMs: T0 + 3_600_000, log: () => {} });
    sandboxes.push(sandbox);
    return { sandbox, cw: new CloudWatchClient({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 }) };
  }

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cw-persist-'));
    dirs.push(dir);
    return dir;
  }

  async function sums(cw: CloudWatchClient): Promise<{ timestamps: number[]; values: number[] }> {
    const res = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 3_600_000),
        MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Orders', Dimensions: dims }, Period: 60, Stat: 'Sum' } }],
      }),
    );
    const r = res.MetricDataResults![0]!;
    return { timestamps: r.Timestamps!.map((t) => t.getTime()), values: r.Values! };
  }

  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  test('metrics put before a restart are returned by GetMetricData and ListMetrics after it', async () => {
    // GIVEN data points put through the SDK, then a clean stop
    const dataDir = tempDir();
    const first = await start(dataDir);
    await first.cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'Orders', Dimensions: dims, Timestamp: new Date(T0 + 60_000), Value: 3, Unit: 'Count' },
          { MetricName: 'Orders', Dimensions: dims, Timestamp: new Date(T0 + 60_000), Value: 4, Unit: 'Count' },
          { MetricName: 'Orders', Dimensions: dims, Timestamp: new Date(T0 + 180_000), Values: [1, 2], Counts: [2, 1], Unit: 'Count' },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: new Date(T0 + 60_000), StatisticValues: { SampleCount: 2, Sum: 30, Minimum: 10, Maximum: 20 }, Unit: 'Milliseconds' },
        ],
      }),
    );
    const before = await sums(first.cw);
    expect(before.values).toEqual([4, 7]);
    await first.sandbox.stop();

    // WHEN a new sandbox starts on the same directory
    const second = await start(dataDir);

    // THEN the same data answers the same queries
    expect(await sums(second.cw)).toEqual(before);
    const listed = await second.cw.send(new ListMetricsCommand({ Namespace: 'Shop' }));
    expect(listed.Metrics!.map((m) => m.MetricName).sort()).toEqual(['Latency', 'Orders']);
    expect(second.sandbox.cloudwatch.metrics({ region: REGION })).toEqual(first.sandbox.cloudwatch.metrics({ region: REGION }));
  });

  test('the admin reset clears the persisted metrics too', async () => {
    // GIVEN a metric, then a reset through the admin API
    const dataDir = tempDir();
    const first = await start(dataDir);
    await first.cw.send(new PutMetricDataCommand({ Namespace: 'Shop', MetricData: [{ MetricName: 'Orders', Dimensions: dims, Timestamp: new Date(T0 + 60_000), Value: 1 }] }));
    const res = await fetch(`${first.sandbox.endpoint}/_sandbox/reset`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    await first.sandbox.stop();

    // WHEN a new sandbox starts on the directory
    const second = await start(dataDir);

    // THEN no metric is left
    expect(await sums(second.cw)).toEqual({ timestamps: [], values: [] });
    expect((await second.cw.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });
});
