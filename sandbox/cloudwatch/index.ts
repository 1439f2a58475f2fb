import { gunzipSync } from 'node:zlib';
import type { Clock } from '../clock.js';
import type { SeededRandom } from '../random.js';
import { jsonProblem } from '../server.js';
import type { FrontEndProblem, SandboxService, ServiceRequest, ServiceResponse } from '../service.js';
import { AlarmEngine, type AlarmNotifier, type StoredAlarm } from './alarms.js';
import { CloudWatchError } from './errors.js';
import { cloudWatchQueryProblem, isCloudWatchQuery, serveCloudWatchQuery } from './query.js';
import { MetricStore, STAT_PATTERN, statistic, type Datum, type MetricId, type StoredMetric } from './store.js';

export { CloudWatchError } from './errors.js';
export type { AlarmNotifier, AlarmState } from './alarms.js';

/** The X-Amz-Target prefix of the CloudWatch JSON protocol. */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** Options of {@link createCloudWatchService}. */
export interface CloudWatchServiceOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly accountId: string;
  /** Accepted for symmetry with EC2; metrics are kept per region. */
  readonly regions?: readonly string[];
  /** Unused: CloudWatch calls answer at once. */
  readonly latency?: unknown;
  /** Unused: no CloudWatch faults yet. */
  readonly faults?: unknown;
  /**
   * Told (synchronously) after stored metrics or alarms change (PutMetricData, alarms, reset), with
   * the change when it can be replayed on a restored snapshot ({@link CloudWatchSandbox.replay}):
   * the data points put, or that some alarm changed; without one (reset), only a whole snapshot
   * records it.
   */
  readonly onChange?: (change?: CloudWatchChange) => void;
  /** Runs alarm actions (SNS topic ARNs); without it every action is recorded as failed. */
  readonly notify?: AlarmNotifier;
}

/**
 * A change {@link CloudWatchServiceOptions.onChange} reports: data points put in a region (`put`, each
 * datum as given to the store, so putting them again aggregates the same way), or some alarm's
 * state, configuration or history changed (`alarms`).
 */
export type CloudWatchChange =
  | { readonly region: string; readonly put: readonly { readonly id: MetricId; readonly datum: Datum }[] }
  | { readonly alarms: true };

/**
 * A journal entry {@link CloudWatchSandbox.replay} puts back: the data points of a `put` change, or
 * every alarm as {@link CloudWatchSnapshot.alarms} holds them (the last such entry wins).
 */
export type CloudWatchJournalEntry =
  | { readonly region: string; readonly put: readonly { readonly id: MetricId; readonly datum: Datum }[] }
  | { readonly alarms: readonly unknown[] };

/** The version of {@link CloudWatchSnapshot} this code writes and reads. */
export const CLOUDWATCH_SNAPSHOT_VERSION = 1;

/** Every stored metric as plain JSON, per region (timestamps epoch ms). */
export interface CloudWatchSnapshot {
  readonly version: typeof CLOUDWATCH_SNAPSHOT_VERSION;
  /** The simulated time when it was taken (epoch ms). */
  readonly takenAtMs: number;
  readonly regions: Record<string, StoredMetric[]>;
  /** Metric alarms with their state and history (absent in documents written before alarms). */
  readonly alarms?: StoredAlarm[];
}

/** A stored metric with its data points, as plain JSON (timestamps ISO-8601). */
export interface MetricView extends MetricId {
  readonly region: string;
  readonly datapoints: { timestamp: string; unit: string; values: { value: number; count: number }[]; statistics?: Datum['statistics'] }[];
}

/** The CloudWatch sink: the HTTP-facing service, admin, and in-process reads. */
export interface CloudWatchSandbox {
  readonly service: SandboxService;
  /** Admin actions: `state` (`{region?}` → every metric and its data points), `alarms` (`{region?}` → every alarm with its state and history). */
  admin(action: string, body: unknown): unknown;
  /** Every metric (optionally of one region / namespace). */
  metrics(options?: { region?: string; namespace?: string }): MetricView[];
  /**
   * Records data points as an AWS service publishes them (any namespace, `AWS/` included, which
   * PutMetricData refuses), e.g. Step Functions' AWS/States execution metrics.
   */
  record(region: string, namespace: string, points: readonly { metricName: string; dimensions: readonly { name: string; value: string }[]; value: number; unit: string; timestampMs: number }[]): void;
  /** Forgets every metric. */
  reset(): void;
  /** Every stored metric and data point, as plain JSON. */
  snapshot(): CloudWatchSnapshot;
  /**
   * Replaces the stored metrics with a snapshot's.
   *
   * @throws TypeError when `snapshot` is not a {@link CloudWatchSnapshot} (the message names the member).
   */
  restore(snapshot: unknown): void;
  /**
   * Applies journal entries, oldest first, on top of what {@link restore} put back (data points
   * put again; the last alarms entry replaces the alarms).
   *
   * @throws TypeError naming the entry that is not a {@link CloudWatchJournalEntry}.
   */
  replay(entries: readonly unknown[]): void;
  /** Every alarm as a snapshot holds them (a journal's `alarms` entry). */
  alarmsSnapshot(): unknown[];
  /** Cancels the alarms' evaluation timers (the sandbox is stopping). */
  dispose(): void;
}

/** Units PutMetricData accepts. @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html */
export const STANDARD_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits',
  'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second',
  'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

const TWO_WEEKS_MS = 14 * 24 * 3600 * 1000;
const TWO_HOURS_MS = 2 * 3600 * 1000;
const LIMIT = 2 ** 360;

const invalid = (message: string) => new CloudWatchError('InvalidParameterValue', message);
const missing = (param: string) => new CloudWatchError('MissingParameter', `The parameter ${param} is required.`);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number within ±2^360 (the SDK sends NaN/Infinity as strings). */
function checkNumber(v: unknown, param: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > LIMIT) {
    throw invalid(`The value ${typeof v === 'string' ? v : JSON.stringify(v)} for parameter ${param} is invalid.`);
  }
  return v;
}

function checkAscii(s: unknown, param: string, max: number): string {
  if (typeof s !== 'string' || s.length === 0) throw missing(param);
  if (s.length > max || !/^[\x20-\x7e]+$/.test(s) || s.trim() === '') throw invalid(`The value ${s} for parameter ${param} is invalid.`);
  return s;
}

function readDimensions(v: unknown, param: string): { name: string; value: string }[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid(`The parameter ${param} must be a list.`);
  if (v.length > 30) throw invalid(`The collection ${param} must not have a size greater than 30.`);
  return v.map((d, i) => {
    const p = `${param}.member.${i + 1}`;
    if (!isObject(d)) throw missing(`${p}.Name`);
    const name = checkAscii(d.Name, `${p}.Name`, 255);
    if (name.startsWith(':')) throw invalid(`The value ${name} for parameter ${p}.Name is invalid: dimension names must not start with ':'.`);
    const value = checkAscii(d.Value, `${p}.Value`, 1024);
    return { name, value };
  });
}

/** Parses `Timestamp`/`StartTime`: epoch seconds (what the SDK sends) or an ISO string. */
function readTime(v: unknown, param: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  throw invalid(`The value ${JSON.stringify(v)} for parameter ${param} is invalid: expected epoch seconds.`);
}

/**
 * Reads `StartTime`/`EndTime` (GetMetricData, GetMetricStatistics). StartTime must be before
 * EndTime and is rounded down: to the minute under 15 days old, 5 minutes up to 63 days, else the hour.
 */
function readRange(body: Record<string, unknown>, now: number): { start: number; end: number } {
  const start = readTime(body.StartTime, 'StartTime');
  const end = readTime(body.EndTime, 'EndTime');
  if (start >= end) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const age = now - start;
  const grain = age < 15 * 86400_000 ? 60_000 : age < 63 * 86400_000 ? 300_000 : 3600_000;
  return { start: Math.floor(start / grain) * grain, end };
}

/**
 * Checks the shape of a snapshot read back from disk.
 *
 * @throws TypeError naming the member that is wrong and what was found.
 */
function checkSnapshot(value: unknown): CloudWatchSnapshot {
  const where = 'cloudwatch snapshot';
  const show = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 100);
  if (!isObject(value)) throw new TypeError(`${where}: expected a JSON object, found ${show(value)}`);
  if (value.version !== CLOUDWATCH_SNAPSHOT_VERSION) throw new TypeError(`${where} › version: expected ${CLOUDWATCH_SNAPSHOT_VERSION}, found ${show(value.version)}`);
  if (!isObject(value.regions)) throw new TypeError(`${where} › regions: expected an object of region name → metrics, found ${show(value.regions)}`);
  for (const [region, list] of Object.entries(value.regions)) {
    if (!Array.isArray(list)) throw new TypeError(`${where} › regions.${region}: expected an array of metrics, found ${show(list)}`);
    list.forEach((m: unknown, i) => {
      const at = `${where} › regions.${region}[${i}]`;
      if (!isObject(m) || typeof m.namespace !== 'string' || typeof m.metricName !== 'string' || !Array.isArray(m.dimensions) || !Array.isArray(m.data)) {
        throw new TypeError(`${at}: expected {namespace, metricName, dimensions: [], data: []}, found ${show(m)}`);
      }
      m.data.forEach((d: unknown, j) => {
        if (!isObject(d) || typeof d.timestamp !== 'number' || !Array.isArray(d.values)) throw new TypeError(`${at}.data[${j}]: expected {timestamp: epoch ms, unit, values: []}, found ${show(d)}`);
      });
    });
  }
  return value as unknown as CloudWatchSnapshot;
}

/**
 * Creates the CloudWatch metrics sink: PutMetricData, GetMetricData and ListMetrics over the
 * AWS JSON 1.0 protocol with query-compatible errors, as @aws-sdk/client-cloudwatch speaks it.
 * Timestamps and the default datum time come from `clock`.
 */
export function createCloudWatchService(options: CloudWatchServiceOptions): CloudWatchSandbox {
  const { clock } = options;
  const onChange = options.onChange ?? (() => {});
  const requestIds = options.random.fork('cloudwatch-request-ids');
  const stores = new Map<string, MetricStore>();
  const storeOf = (region: string): MetricStore => {
    let s = stores.get(region);
    if (!s) {
      s = new MetricStore();
      stores.set(region, s);
    }
    return s;
  };

  const alarms = new AlarmEngine({ clock, accountId: options.accountId, storeOf, notify: options.notify, onChange: () => onChange({ alarms: true }) });

  function putMetricData(region: string, body: Record<string, unknown>): unknown {
    const namespace = checkAscii(body.Namespace, 'Namespace', 255);
    if (namespace.startsWith('AWS/')) throw invalid(`The value ${namespace} for parameter Namespace is invalid: the AWS/ prefix is reserved for AWS services.`);
    const data = body.MetricData;
    if (body.EntityMetricData !== undefined) {
      if (!Array.isArray(body.EntityMetricData)) throw invalid('The parameter EntityMetricData must be a list.');
      if (body.EntityMetricData.length > 2) throw invalid('The collection EntityMetricData must not have a size greater than 2.');
    }
    const entityData = Array.isArray(body.EntityMetricData) ? body.EntityMetricData.flatMap((e: unknown) => (isObject(e) && Array.isArray(e.MetricData) ? e.MetricData : [])) : [];
    if (data === undefined && entityData.length === 0) throw missing('MetricData');
    if (data !== undefined && !Array.isArray(data)) throw invalid('The parameter MetricData must be a list.');
    const all = [...((data as unknown[] | undefined) ?? []), ...entityData];
    if (all.length > 1000) throw invalid(`The collection MetricData must not have a size greater than 1000 (found ${all.length}).`);
    const now = clock.now();
    const parsed = all.map((d, i) => {
      const p = `MetricData.member.${i + 1}`;
      if (!isObject(d)) throw missing(`${p}.MetricName`);
      const metricName = checkAscii(d.MetricName, `${p}.MetricName`, 255);
      const dimensions = readDimensions(d.Dimensions, `${p}.Dimensions`);
      const has = { value: d.Value !== undefined, values: d.Values !== undefined, stats: d.StatisticValues !== undefined };
      if (has.value && has.values) throw new CloudWatchError('InvalidParameterCombination', `The parameters ${p}.Value and ${p}.Values are mutually exclusive and you have specified both.`);
      if (has.value && has.stats) throw new CloudWatchError('InvalidParameterCombination', `The parameters ${p}.Value and ${p}.StatisticValues are mutually exclusive and you have specified both.`);
      if (has.values && has.stats) throw new CloudWatchError('InvalidParameterCombination', `The parameters ${p}.Values and ${p}.StatisticValues are mutually exclusive and you have specified both.`);
      if (!has.value && !has.values && !has.stats) throw new CloudWatchError('InvalidParameterCombination', `At least one of the parameters ${p}.Value, ${p}.Values or ${p}.StatisticValues must be specified.`);
      const timestamp = d.Timestamp === undefined ? now : readTime(d.Timestamp, `${p}.Timestamp`);
      if (timestamp < now - TWO_WEEKS_MS) throw invalid(`The parameter ${p}.Timestamp must specify a time no more than two weeks in the past.`);
      if (timestamp > now + TWO_HOURS_MS) throw invalid(`The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`);
      const unit = d.Unit === undefined ? 'None' : String(d.Unit);
      if (!STANDARD_UNITS.has(unit)) throw invalid(`The value ${unit} for parameter ${p}.Unit is invalid.`);
      const storageResolution = d.StorageResolution === undefined ? 60 : d.StorageResolution;
      if (storageResolution !== 1 && storageResolution !== 60) throw invalid(`The value ${String(storageResolution)} for parameter ${p}.StorageResolution is invalid. Expected 1 or 60.`);
      let values: { value: number; count: number }[] = [];
      let statistics: Datum['statistics'];
      if (has.value) values = [{ value: checkNumber(d.Value, `${p}.Value`), count: 1 }];
      if (has.values) {
        if (!Array.isArray(d.Values)) throw invalid(`The parameter ${p}.Values must be a list.`);
        if (d.Values.length > 150) throw invalid(`The collection ${p}.Values must not have a size greater than 150.`);
        const counts = d.Counts;
        if (counts !== undefined && (!Array.isArray(counts) || counts.length !== d.Values.length)) {
          throw invalid(`The parameters ${p}.Values and ${p}.Counts must be of the same size.`);
        }
        values = d.Values.map((v: unknown, j: number) => ({
          value: checkNumber(v, `${p}.Values.member.${j + 1}`),
          count: counts ? checkNumber((counts as unknown[])[j], `${p}.Counts.member.${j + 1}`) : 1,
        }));
      }
      if (has.stats) {
        const s = d.StatisticValues;
        if (!isObject(s)) throw missing(`${p}.StatisticValues.SampleCount`);
        const read = (k: string) => {
          if (s[k] === undefined) throw missing(`${p}.StatisticValues.${k}`);
          return checkNumber(s[k], `${p}.StatisticValues.${k}`);
        };
        statistics = { sampleCount: read('SampleCount'), sum: read('Sum'), minimum: read('Minimum'), maximum: read('Maximum') };
        if (statistics.sampleCount <= 0) throw invalid(`The value ${statistics.sampleCount} for parameter ${p}.StatisticValues.SampleCount is invalid.`);
        if (statistics.minimum > statistics.maximum) throw invalid(`The parameters ${p}.StatisticValues.Minimum and ${p}.StatisticValues.Maximum are inconsistent (Minimum > Maximum).`);
      }
      return { id: { namespace, metricName, dimensions }, datum: { timestamp, unit, storageResolution, values, statistics } as Datum };
    });
    // All or nothing: store only once every datum is valid.
    const store = storeOf(region);
    for (const { id, datum } of parsed) store.put(id, datum);
    alarms.metricsChanged(region, parsed.map((p) => p.id));
    onChange({ region, put: parsed });
    return {};
  }

  function getMetricData(region: string, body: Record<string, unknown>): unknown {
    const queries = body.MetricDataQueries;
    if (queries === undefined) throw missing('MetricDataQueries');
    if (!Array.isArray(queries)) throw invalid('The parameter MetricDataQueries must be a list.');
    if (queries.length === 0) throw invalid('The collection MetricDataQueries must not be empty.');
    if (queries.length > 500) throw invalid('The collection MetricDataQueries must not have a size greater than 500.');
    if (body.StartTime === undefined) throw missing('StartTime');
    if (body.EndTime === undefined) throw missing('EndTime');
    const { start, end } = readRange(body, clock.now());
    const scanBy = body.ScanBy ?? 'TimestampDescending';
    if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw invalid(`The value ${String(scanBy)} for parameter ScanBy is invalid.`);
    const seen = new Set<string>();
    const store = storeOf(region);
    const results = queries.map((q: unknown, i: number) => {
      const p = `MetricDataQueries.member.${i + 1}`;
      if (!isObject(q)) throw missing(`${p}.Id`);
      const id = q.Id;
      if (typeof id !== 'string' || id.length === 0) throw missing(`${p}.Id`);
      if (!/^[a-z][A-Za-z0-9_]*$/.test(id) || id.length > 255) throw new CloudWatchError('ValidationError', `The value ${id} for parameter ${p}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
      if (seen.has(id)) throw new CloudWatchError('ValidationError', `The value ${id} for parameter ${p}.Id is not unique.`);
      seen.add(id);
      if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
        throw new CloudWatchError('ValidationError', `Exactly one of ${p}.MetricStat and ${p}.Expression must be specified.`);
      }
      if (q.Expression !== undefined) throw invalid(`${p}.Expression: metric math is not supported by this sandbox; use MetricStat.`);
      const ms = q.MetricStat;
      if (!isObject(ms) || !isObject(ms.Metric)) throw missing(`${p}.MetricStat.Metric`);
      const namespace = checkAscii(ms.Metric.Namespace, `${p}.MetricStat.Metric.Namespace`, 255);
      const metricName = checkAscii(ms.Metric.MetricName, `${p}.MetricStat.Metric.MetricName`, 255);
      const dimensions = readDimensions(ms.Metric.Dimensions, `${p}.MetricStat.Metric.Dimensions`);
      const period = ms.Period;
      if (period === undefined) throw missing(`${p}.MetricStat.Period`);
      if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0 || (period % 60 !== 0 && ![1, 5, 10, 20, 30].includes(period))) {
        throw invalid(`The value ${String(period)} for parameter ${p}.MetricStat.Period is invalid: expected 1, 5, 10, 20, 30 or a multiple of 60.`);
      }
      const stat = ms.Stat;
      if (stat === undefined) throw missing(`${p}.MetricStat.Stat`);
      if (typeof stat !== 'string' || !STAT_PATTERN.test(stat)) throw invalid(`The value ${String(stat)} for parameter ${p}.MetricStat.Stat is invalid.`);
      const unit = ms.Unit === undefined ? undefined : String(ms.Unit);
      const points = store.between({ namespace, metricName, dimensions }, start, end).filter((d) => unit === undefined || d.unit === unit);
      const buckets = new Map<number, Datum[]>();
      for (const d of points) {
        const b = start + Math.floor((d.timestamp - start) / (period * 1000)) * period * 1000;
        const list = buckets.get(b) ?? [];
        list.push(d);
        buckets.set(b, list);
      }
      const rows = [...buckets.entries()]
        .map(([t, data]) => [t, statistic(data, stat)] as const)
        .filter((r): r is readonly [number, number] => r[1] !== undefined)
        .sort((a, b) => (scanBy === 'TimestampAscending' ? a[0] - b[0] : b[0] - a[0]));
      return {
        returnData: q.ReturnData !== false,
        result: { Id: id, Label: typeof q.Label === 'string' ? q.Label : metricName, Timestamps: rows.map((r) => r[0] / 1000), Values: rows.map((r) => r[1]), StatusCode: 'Complete', Messages: [] },
      };
    });
    // Pagination: at most MaxDatapoints values per page across the results; a result cut short
    // is `PartialData` and NextToken holds how many values of each result were already sent.
    const maxDatapoints = body.MaxDatapoints === undefined ? 100_800 : body.MaxDatapoints;
    if (typeof maxDatapoints !== 'number' || !Number.isInteger(maxDatapoints) || maxDatapoints < 1) {
      throw invalid(`The value ${String(body.MaxDatapoints)} for parameter MaxDatapoints is invalid: expected a positive integer.`);
    }
    const returned = results.filter((r) => r.returnData).map((r) => r.result);
    let offsets = returned.map(() => 0);
    if (body.NextToken !== undefined) {
      try {
        const parsed = JSON.parse(Buffer.from(String(body.NextToken), 'base64url').toString('utf8')) as unknown;
        if (!Array.isArray(parsed) || parsed.length !== returned.length || !parsed.every((n) => Number.isInteger(n) && n >= 0)) throw new Error('shape');
        offsets = parsed as number[];
      } catch {
        throw new CloudWatchError('InvalidNextToken', `The value ${String(body.NextToken)} for parameter NextToken is invalid (it belongs to another request).`);
      }
    }
    let budget = maxDatapoints;
    let hasMore = false;
    const next = returned.map((r, i) => {
      const from = offsets[i]!;
      const take = Math.max(0, Math.min(budget, r.Values.length - from));
      budget -= take;
      const isPartial = from + take < r.Values.length;
      hasMore ||= isPartial;
      r.Timestamps = r.Timestamps.slice(from, from + take);
      r.Values = r.Values.slice(from, from + take);
      r.StatusCode = isPartial ? 'PartialData' : 'Complete';
      return from + take;
    });
    return {
      MetricDataResults: returned,
      Messages: [],
      ...(hasMore ? { NextToken: Buffer.from(JSON.stringify(next), 'utf8').toString('base64url') } : {}),
    };
  }

  function listMetrics(region: string, body: Record<string, unknown>): unknown {
    const dims = body.Dimensions === undefined ? [] : body.Dimensions;
    if (!Array.isArray(dims)) throw invalid('The parameter Dimensions must be a list.');
    if (dims.length > 10) throw invalid('The collection Dimensions must not have a size greater than 10.');
    const filters = dims.map((d: unknown, i: number) => {
      if (!isObject(d) || typeof d.Name !== 'string') throw missing(`Dimensions.member.${i + 1}.Name`);
      return { name: d.Name, value: typeof d.Value === 'string' ? d.Value : undefined };
    });
    const recent = body.RecentlyActive;
    if (recent !== undefined && recent !== 'PT3H') throw invalid(`The value ${String(recent)} for parameter RecentlyActive is invalid. Expected PT3H.`);
    const now = clock.now();
    let offset = 0;
    if (body.NextToken !== undefined) {
      const n = Number(Buffer.from(String(body.NextToken), 'base64url').toString('utf8'));
      if (!Number.isInteger(n) || n < 0) throw new CloudWatchError('InvalidNextToken', `The value ${String(body.NextToken)} for parameter NextToken is invalid.`);
      offset = n;
    }
    const matching = storeOf(region)
      .all()
      .filter(
        (m) =>
          (body.Namespace === undefined || m.namespace === body.Namespace) &&
          (body.MetricName === undefined || m.metricName === body.MetricName) &&
          filters.every((f) => m.dimensions.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value))) &&
          (recent === undefined || m.data.some((d) => d.timestamp >= now - 3 * 3600_000)),
      );
    const page = matching.slice(offset, offset + 500);
    const next = offset + 500 < matching.length ? Buffer.from(String(offset + 500), 'utf8').toString('base64url') : undefined;
    return {
      Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })) })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  /** @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html */
  function getMetricStatistics(region: string, body: Record<string, unknown>): unknown {
    const namespace = checkAscii(body.Namespace, 'Namespace', 255);
    const metricName = checkAscii(body.MetricName, 'MetricName', 255);
    const dimensions = readDimensions(body.Dimensions, 'Dimensions');
    if (body.StartTime === undefined) throw missing('StartTime');
    if (body.EndTime === undefined) throw missing('EndTime');
    if (body.Period === undefined) throw missing('Period');
    const period = body.Period;
    if (typeof period !== 'number' || !Number.isInteger(period) || period <= 0 || (period % 60 !== 0 && ![1, 5, 10, 20, 30].includes(period))) {
      throw invalid(`The value ${String(period)} for parameter Period is invalid: expected 1, 5, 10, 20, 30 or a multiple of 60.`);
    }
    const stats = body.Statistics === undefined ? [] : body.Statistics;
    const extended = body.ExtendedStatistics === undefined ? [] : body.ExtendedStatistics;
    if (!Array.isArray(stats) || !Array.isArray(extended)) throw invalid('The parameters Statistics and ExtendedStatistics must be lists.');
    if (stats.length === 0 && extended.length === 0) throw new CloudWatchError('InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics.');
    if (stats.length > 0 && extended.length > 0) throw new CloudWatchError('InvalidParameterCombination', 'Statistics and ExtendedStatistics are mutually exclusive; specify one of them.');
    if (stats.length > 5) throw invalid('The collection Statistics must not have a size greater than 5.');
    if (extended.length > 10) throw invalid('The collection ExtendedStatistics must not have a size greater than 10.');
    for (const [i, st] of stats.entries()) {
      if (!['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'].includes(String(st))) throw invalid(`The value ${String(st)} for parameter Statistics.member.${i + 1} is invalid.`);
    }
    for (const [i, st] of extended.entries()) {
      if (!/^p(\d{1,2}(\.\d{1,2})?|100)$/.test(String(st))) throw invalid(`The value ${String(st)} for parameter ExtendedStatistics.member.${i + 1} is invalid.`);
    }
    const { start, end } = readRange(body, clock.now());
    // At most 1,440 data points per call.
    const requested = Math.ceil((end - start) / (period * 1000));
    if (requested > 1440) {
      throw new CloudWatchError('InvalidParameterCombination', `You have requested up to ${requested} datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
    }
    const unit = body.Unit === undefined ? undefined : String(body.Unit);
    if (unit !== undefined && !STANDARD_UNITS.has(unit)) throw invalid(`The value ${unit} for parameter Unit is invalid.`);
    const buckets = new Map<number, Datum[]>();
    for (const d of storeOf(region).between({ namespace, metricName, dimensions }, start, end)) {
      if (unit !== undefined && d.unit !== unit) continue;
      const b = start + Math.floor((d.timestamp - start) / (period * 1000)) * period * 1000;
      const list = buckets.get(b) ?? [];
      list.push(d);
      buckets.set(b, list);
    }
    const datapoints = [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, data]) => {
        const point: Record<string, unknown> = { Timestamp: t / 1000, Unit: unit ?? data[0]!.unit };
        for (const st of stats) point[String(st)] = statistic(data, String(st));
        if (extended.length > 0) point.ExtendedStatistics = Object.fromEntries(extended.map((st) => [String(st), statistic(data, String(st))]));
        return point;
      });
    return { Label: metricName, Datapoints: datapoints };
  }

  const OPERATIONS: Record<string, (region: string, body: Record<string, unknown>) => unknown> = {
    PutMetricData: putMetricData,
    GetMetricData: getMetricData,
    GetMetricStatistics: getMetricStatistics,
    ListMetrics: listMetrics,
    PutMetricAlarm: (region, body) => alarms.putMetricAlarm(region, body),
    DescribeAlarms: (region, body) => alarms.describeAlarms(region, body),
    DeleteAlarms: (region, body) => alarms.deleteAlarms(region, body),
    DescribeAlarmHistory: (region, body) => alarms.describeAlarmHistory(region, body),
    SetAlarmState: (region, body) => alarms.setAlarmState(region, body),
  };

  const json = (status: number, body: unknown, requestId: string, extra: Record<string, string> = {}): ServiceResponse => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId, ...extra },
    body: JSON.stringify(body),
  });

  const service: SandboxService = {
    matches(req: ServiceRequest): boolean {
      return (req.headers['x-amz-target'] ?? '').startsWith(CLOUDWATCH_TARGET_PREFIX) || isCloudWatchQuery(req);
    },
    async handle(req: ServiceRequest): Promise<ServiceResponse> {
      const requestId = requestIds.uuid();
      if (isCloudWatchQuery(req)) return serveCloudWatchQuery(req, OPERATIONS, requestId);
      const operation = (req.headers['x-amz-target'] ?? '').slice(CLOUDWATCH_TARGET_PREFIX.length);
      try {
        // Only the table's own keys: `toString`, `__proto__` and the like are not operations.
        const fn = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
        if (!fn) {
          return json(400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: `cloudwatch sandbox: operation ${JSON.stringify(operation)} is not supported; expected one of ${Object.keys(OPERATIONS).join(', ')}` }, requestId);
        }
        let raw = req.body;
        // The server gunzips already; accept a still-compressed body too (gzip magic bytes).
        if (raw.length > 2 && raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
        let body: unknown;
        try {
          body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
        } catch {
          throw new CloudWatchError('InvalidFormat', `${operation}: the request body is not valid JSON.`);
        }
        if (!isObject(body)) throw new CloudWatchError('InvalidFormat', `${operation}: expected a JSON object body.`);
        return json(200, fn(req.region, body), requestId);
      } catch (e) {
        const err = e instanceof CloudWatchError ? e : new CloudWatchError('InternalServiceError', `cloudwatch sandbox › ${operation}: ${e instanceof Error ? e.message : String(e)}`);
        return json(err.status, { __type: `com.amazonaws.cloudwatch#${err.shape}`, message: err.message }, requestId, { 'x-amzn-query-error': `${err.code};${err.faultSide}` });
      }
    },
    reject(req: ServiceRequest, problem: FrontEndProblem): ServiceResponse {
      return isCloudWatchQuery(req) ? cloudWatchQueryProblem(problem, requestIds.uuid()) : jsonProblem(problem);
    },
  };

  const metrics = (o: { region?: string; namespace?: string } = {}): MetricView[] =>
    [...stores.entries()]
      .filter(([r]) => o.region === undefined || r === o.region)
      .flatMap(([region, store]) =>
        store
          .all()
          .filter((m) => o.namespace === undefined || m.namespace === o.namespace)
          .map((m) => ({
            region,
            namespace: m.namespace,
            metricName: m.metricName,
            dimensions: m.dimensions,
            datapoints: m.data.map((d) => ({ timestamp: new Date(d.timestamp).toISOString(), unit: d.unit, values: [...d.values], statistics: d.statistics })),
          })),
      );

  return {
    service,
    metrics,
    record(region, namespace, points) {
      const store = storeOf(region);
      const ids = points.map((p) => ({ namespace, metricName: p.metricName, dimensions: [...p.dimensions] }));
      const put = points.map((p, i) => ({ id: ids[i]!, datum: { timestamp: p.timestampMs, unit: p.unit, storageResolution: 60, values: [{ value: p.value, count: 1 }] } as Datum }));
      for (const { id, datum } of put) store.put(id, datum);
      alarms.metricsChanged(region, ids);
      onChange({ region, put });
    },
    reset: () => {
      stores.clear();
      alarms.reset();
      onChange();
    },
    dispose: () => alarms.dispose(),
    snapshot: () => ({
      version: CLOUDWATCH_SNAPSHOT_VERSION,
      takenAtMs: clock.now(),
      // The live objects, not copies: the document is serialised as soon as it is produced
      // (DebouncedDocument), and copying the whole week's data on every write cost more than the write.
      regions: Object.fromEntries([...stores.entries()].map(([region, store]) => [region, store.all()])),
      alarms: alarms.all(),
    }),
    restore(value: unknown): void {
      const snap = checkSnapshot(value);
      stores.clear();
      for (const [region, list] of Object.entries(snap.regions)) {
        const store = storeOf(region);
        for (const m of list) store.load(m);
      }
      alarms.restore(snap.alarms);
    },
    replay(entries: readonly unknown[]): void {
      let lastAlarms: readonly unknown[] | undefined;
      // The entries before an unreadable one still count (alarms included): the state as of then.
      try {
        entries.forEach((entry, i) => {
          const where = `cloudwatch journal › entry ${i + 1}`;
          if (isObject(entry) && Array.isArray(entry.alarms)) {
            lastAlarms = entry.alarms;
            return;
          }
          if (!isObject(entry) || typeof entry.region !== 'string' || !Array.isArray(entry.put)) {
            throw new TypeError(`${where}: expected {region, put: [{id, datum}]} or {alarms: []}, found ${(JSON.stringify(entry) ?? String(entry)).slice(0, 100)}`);
          }
          const store = storeOf(entry.region);
          entry.put.forEach((p: unknown, j) => {
            const ok = isObject(p) && isObject(p.id) && typeof p.id.namespace === 'string' && typeof p.id.metricName === 'string' && Array.isArray(p.id.dimensions)
              && isObject(p.datum) && typeof p.datum.timestamp === 'number' && Array.isArray(p.datum.values);
            if (!ok) throw new TypeError(`${where} › put[${j}]: expected {id: {namespace, metricName, dimensions}, datum: {timestamp, unit, values}}, found ${(JSON.stringify(p) ?? String(p)).slice(0, 100)}`);
            store.put(p.id as unknown as MetricId, p.datum as unknown as Datum);
          });
        });
      } finally {
        if (lastAlarms !== undefined) alarms.restore(lastAlarms);
      }
    },
    alarmsSnapshot: () => alarms.all(),
    admin(action: string, body: unknown): unknown {
      const b = body ?? {};
      if (!isObject(b)) throw new TypeError(`cloudwatch admin '${action}': expected a JSON object body, found ${JSON.stringify(body)}`);
      if (action === 'state') {
        if (b.region !== undefined && typeof b.region !== 'string') throw new TypeError(`cloudwatch admin 'state' › region: expected a string, found ${JSON.stringify(b.region)}`);
        return { now: new Date(clock.now()).toISOString(), metrics: metrics({ region: b.region as string | undefined }) };
      }
      if (action === 'alarms') {
        if (b.region !== undefined && typeof b.region !== 'string') throw new TypeError(`cloudwatch admin 'alarms' › region: expected a string, found ${JSON.stringify(b.region)}`);
        return {
          now: new Date(clock.now()).toISOString(),
          alarms: alarms.all().filter((a) => b.region === undefined || a.region === b.region).map((a) => ({
            region: a.region, name: a.name, state: a.state, stateReason: a.stateReason, stateUpdated: new Date(a.stateUpdated).toISOString(),
            history: a.history.map((h) => ({ timestamp: new Date(h.timestamp).toISOString(), type: h.type, summary: h.summary })),
          })),
        };
      }
      throw new TypeError(`cloudwatch admin '${action}': unknown action; expected one of state, alarms`);
    },
  };
}
