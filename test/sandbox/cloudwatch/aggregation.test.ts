/**
 * CloudWatch stores observations aggregated per metric, unit and minute (per second at high
 * resolution), as AWS does (issue 12: the sandbox kept every data point, 354 B per execution with
 * AWS/States metrics). Statistics over periods of 60 s and more must answer exactly what the raw
 * observations give.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic
 */
import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../sandbox/clock.js';
import { SeededRandom } from '../../../sandbox/random.js';
import { createCloudWatchService, type CloudWatchSandbox } from '../../../sandbox/cloudwatch/index.js';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const REGION = 'us-west-2';

function setup(): { cw: CloudWatchSandbox; clock: VirtualClock } {
  const clock = new VirtualClock({ startMs: T0 + 3600_000 });
  return { clock, cw: createCloudWatchService({ clock, random: new SeededRandom(5), accountId: '123456789012' }) };
}

async function call(cw: CloudWatchSandbox, op: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await cw.service.handle({ method: 'POST', path: '/', headers: { 'x-amz-target': `GraniteServiceVersion20100801.${op}`, 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(body)), region: REGION });
  const parsed = JSON.parse(String(res.body)) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${op}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/** A small deterministic generator, independent of the sandbox's. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** What every statistic of a period must be, from the raw observations (nearest rank for percentiles). */
function expected(raw: { t: number; value: number }[], sets: { t: number; n: number; sum: number; min: number; max: number }[], from: number, to: number) {
  const values = raw.filter((r) => r.t >= from && r.t < to).map((r) => r.value);
  const s = sets.filter((r) => r.t >= from && r.t < to);
  const count = values.length + s.reduce((a, x) => a + x.n, 0);
  if (count === 0) return undefined;
  const sum = values.reduce((a, v) => a + v, 0) + s.reduce((a, x) => a + x.sum, 0);
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length === 0 ? undefined : sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]);
  return {
    SampleCount: count,
    Sum: sum,
    Average: sum / count,
    Minimum: Math.min(...values, ...s.map((x) => x.min)),
    Maximum: Math.max(...values, ...s.map((x) => x.max)),
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
  };
}

describe('sandbox: cloudwatch stores per-minute aggregates', () => {
  test('3,000 observations over 10 minutes are 10 stored aggregates, and every statistic of 60 s and 300 s periods is what the raw observations give', async () => {
    const { cw } = setup();
    const next = lcg(42);
    const raw: { t: number; value: number }[] = [];
    const sets: { t: number; n: number; sum: number; min: number; max: number }[] = [];
    const data: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = T0 + Math.floor(next() * 600) * 1000;
      const kind = next();
      if (kind < 0.6) {
        const value = Math.floor(next() * 1000);
        raw.push({ t, value });
        data.push({ MetricName: 'Latency', Timestamp: t / 1000, Value: value, Unit: 'Milliseconds' });
      } else if (kind < 0.9) {
        const values = [Math.floor(next() * 1000), Math.floor(next() * 1000)];
        const counts = [1 + Math.floor(next() * 3), 1];
        values.forEach((v, j) => { for (let k = 0; k < counts[j]!; k++) raw.push({ t, value: v }); });
        data.push({ MetricName: 'Latency', Timestamp: t / 1000, Values: values, Counts: counts, Unit: 'Milliseconds' });
      } else {
        const min = Math.floor(next() * 100);
        const set = { t, n: 4, sum: min * 4 + 30, min, max: min + 20 };
        sets.push(set);
        data.push({ MetricName: 'Latency', Timestamp: t / 1000, StatisticValues: { SampleCount: set.n, Sum: set.sum, Minimum: set.min, Maximum: set.max }, Unit: 'Milliseconds' });
      }
    }
    for (let i = 0; i < data.length; i += 1000) await call(cw, 'PutMetricData', { Namespace: 'App', MetricData: data.slice(i, i + 1000) });

    const [metric] = cw.metrics({ namespace: 'App' });
    expect(metric!.datapoints.map((d) => Date.parse(d.timestamp)).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, m) => T0 + m * 60_000));

    for (const period of [60, 300]) {
      const basic = await call(cw, 'GetMetricStatistics', { Namespace: 'App', MetricName: 'Latency', StartTime: T0 / 1000, EndTime: (T0 + 600_000) / 1000, Period: period, Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'] });
      const pcts = await call(cw, 'GetMetricStatistics', { Namespace: 'App', MetricName: 'Latency', StartTime: T0 / 1000, EndTime: (T0 + 600_000) / 1000, Period: period, ExtendedStatistics: ['p50', 'p90', 'p99'] });
      const points = basic.Datapoints as Record<string, number>[];
      const extended = pcts.Datapoints as { ExtendedStatistics: Record<string, number> }[];
      expect(points).toHaveLength(600 / period);
      points.forEach((p, i) => {
        const from = T0 + i * period * 1000;
        const want = expected(raw, sets, from, from + period * 1000)!;
        expect(p.Timestamp).toBe(from / 1000);
        expect({ SampleCount: p.SampleCount, Sum: p.Sum, Minimum: p.Minimum, Maximum: p.Maximum }).toEqual({ SampleCount: want.SampleCount, Sum: want.Sum, Minimum: want.Minimum, Maximum: want.Maximum });
        expect(p.Average).toBeCloseTo(want.Average, 9);
        expect(extended[i]!.ExtendedStatistics).toEqual({ p50: want.p50, p90: want.p90, p99: want.p99 });
      });
    }
  });

  test('AWS/States-style records of one minute are one aggregate; GetMetricData and units answer as before', async () => {
    const { cw } = setup();
    const dims = [{ name: 'StateMachineArn', value: 'arn:aws:states:us-west-2:123456789012:stateMachine:m' }];
    for (let i = 0; i < 2000; i++) {
      cw.record(REGION, 'AWS/States', [
        { metricName: 'ExecutionsSucceeded', dimensions: dims, value: 1, unit: 'Count', timestampMs: T0 + 120_000 + (i % 60) * 1000 },
        { metricName: 'ExecutionTime', dimensions: dims, value: 1000 + (i % 7) * 250, unit: 'Milliseconds', timestampMs: T0 + 120_000 + (i % 60) * 1000 },
      ]);
    }
    const views = cw.metrics({ namespace: 'AWS/States' });
    expect(views.map((v) => [v.metricName, v.datapoints.length])).toEqual([['ExecutionTime', 1], ['ExecutionsSucceeded', 1]]);
    expect(views[0]!.datapoints[0]!.values).toHaveLength(7);
    const query = (id: string, metricName: string, stat: string, unit?: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/States', MetricName: metricName, Dimensions: [{ Name: 'StateMachineArn', Value: dims[0]!.value }] }, Period: 60, Stat: stat, ...(unit ? { Unit: unit } : {}) } });
    const r = await call(cw, 'GetMetricData', {
      StartTime: T0 / 1000, EndTime: (T0 + 600_000) / 1000, ScanBy: 'TimestampAscending',
      MetricDataQueries: [query('n', 'ExecutionsSucceeded', 'Sum'), query('avg', 'ExecutionTime', 'Average'), query('p', 'ExecutionTime', 'p50'), query('other', 'ExecutionTime', 'Sum', 'Seconds')],
    });
    const byId = Object.fromEntries((r.MetricDataResults as { Id: string; Timestamps: number[]; Values: number[] }[]).map((x) => [x.Id, [x.Timestamps, x.Values]]));
    const times = Array.from({ length: 2000 }, (_, i) => 1000 + (i % 7) * 250);
    const avg = times.reduce((a, v) => a + v, 0) / times.length;
    expect(byId).toEqual({ n: [[(T0 + 120_000) / 1000], [2000]], avg: [[(T0 + 120_000) / 1000], [avg]], p: [[(T0 + 120_000) / 1000], [1750]], other: [[], []] });
  });

  test('high-resolution data is aggregated per second, not per minute', async () => {
    const { cw } = setup();
    const data = [0, 0, 1, 1, 1, 59].map((s, i) => ({ MetricName: 'Hits', Timestamp: (T0 + s * 1000 + i * 100) / 1000, Value: i + 1, StorageResolution: 1, Unit: 'Count' }));
    await call(cw, 'PutMetricData', { Namespace: 'App', MetricData: data });
    expect(cw.metrics({ namespace: 'App' })[0]!.datapoints.map((d) => Date.parse(d.timestamp) - T0)).toEqual([0, 1000, 59_000]);
    const r = await call(cw, 'GetMetricStatistics', { Namespace: 'App', MetricName: 'Hits', StartTime: T0 / 1000, EndTime: (T0 + 60_000) / 1000, Period: 1, Statistics: ['Sum'] });
    expect((r.Datapoints as { Sum: number }[]).map((d) => d.Sum)).toEqual([1 + 2, 3 + 4 + 5, 6]);
  });

  test('a snapshot holding one data point per observation (written before aggregation) is merged per minute on restore', () => {
    const { cw } = setup();
    const metric = { namespace: 'App', metricName: 'Latency', dimensions: [], data: [5, 20, 40, 70].map((s, i) => ({ timestamp: T0 + s * 1000, unit: 'Seconds', storageResolution: 60, values: [{ value: i + 1, count: 1 }] })) };
    cw.restore({ version: 1, takenAtMs: T0, regions: { [REGION]: [metric] } });
    const [view] = cw.metrics();
    expect(view!.datapoints).toEqual([
      { timestamp: new Date(T0).toISOString(), unit: 'Seconds', values: [{ value: 1, count: 1 }, { value: 2, count: 1 }, { value: 3, count: 1 }], statistics: undefined },
      { timestamp: new Date(T0 + 60_000).toISOString(), unit: 'Seconds', values: [{ value: 4, count: 1 }], statistics: undefined },
    ]);
  });
});

describe('sandbox cloudwatch: data kept in time order (ranges found by binary search)', () => {
  test('data put out of order is read back in time order, and every range answers exactly the data inside it', async () => {
    const { MetricStore } = await import('../../../sandbox/cloudwatch/store.js');
    const store = new MetricStore();
    const id = { namespace: 'N', metricName: 'm', dimensions: [] };
    const next = lcg(11);
    const minutes = Array.from({ length: 300 }, () => Math.floor(next() * 120));
    for (const [i, m] of minutes.entries()) store.put(id, { timestamp: T0 + m * 60_000 + 7_000, unit: 'Count', storageResolution: 60, values: [{ value: i, count: 1 }] });
    const data = store.get(id)!.data;
    expect(data.map((d) => d.timestamp)).toEqual([...new Set(minutes)].sort((a, b) => a - b).map((m) => T0 + m * 60_000));
    for (let k = 0; k < 200; k++) {
      const a = T0 + Math.floor(next() * 130 - 5) * 60_000 + Math.floor(next() * 3) * 30_000;
      const b = a + Math.floor(next() * 40) * 60_000;
      expect(store.between(id, a, b)).toEqual(data.filter((d) => d.timestamp >= a && d.timestamp < b));
    }
    expect(store.between({ ...id, metricName: 'other' }, T0, T0 + 3600_000)).toEqual([]);
  });

  test('an observation put late, for a minute already past, counts in GetMetricStatistics and in the alarm that reads that minute', async () => {
    const { cw } = setup();
    const put = (minute: number, value: number) => call(cw, 'PutMetricData', { Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: value, Unit: 'Count', Timestamp: (T0 + minute * 60_000) / 1000 }] });
    await put(10, 1);
    await put(30, 1);
    await put(20, 5); // late: between the two
    const stats = await call(cw, 'GetMetricStatistics', { Namespace: 'App', MetricName: 'Errors', StartTime: T0 / 1000, EndTime: (T0 + 3600_000) / 1000, Period: 600, Statistics: ['Sum'] });
    expect((stats.Datapoints as { Timestamp: number; Sum: number }[]).map((d) => [(d.Timestamp * 1000 - T0) / 60_000, d.Sum]).sort((x, y) => x[0]! - y[0]!)).toEqual([[10, 1], [20, 5], [30, 1]]);
  });
});
