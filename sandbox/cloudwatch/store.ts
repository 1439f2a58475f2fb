/**
 * One stored aggregate: every observation of a metric within one minute (one second for
 * `StorageResolution` 1) with one unit, as CloudWatch keeps them. `timestamp` is the start of that
 * minute (second); `values` holds the distinct raw values with their counts, in value order (what
 * percentiles need); `statistics` the merged `StatisticValues` sets.
 */
export interface Datum {
  /** Epoch ms: the start of the datum's minute (standard resolution) or second (high resolution). */
  readonly timestamp: number;
  readonly unit: string;
  readonly storageResolution: 1 | 60;
  /** Raw values with their counts (from `Value`, or `Values` + `Counts`), distinct, ascending. */
  readonly values: readonly { value: number; count: number }[];
  /** From `StatisticValues` (merged: counts and sums added, extremes kept). */
  readonly statistics?: { sampleCount: number; sum: number; minimum: number; maximum: number };
}

/** A metric: namespace, name and dimensions (sorted by name; the identity of a metric). */
export interface MetricId {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { name: string; value: string }[];
}

export interface StoredMetric extends MetricId {
  readonly data: Datum[];
}

/** The key of a metric: dimensions in name order, so their order in a request does not matter. */
export function metricKey(m: MetricId): string {
  const dims = [...m.dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return JSON.stringify([m.namespace, m.metricName, dims.map((d) => [d.name, d.value])]);
}

/** A {@link Datum} the store may still merge into. */
interface OpenDatum {
  timestamp: number;
  unit: string;
  storageResolution: 1 | 60;
  values: { value: number; count: number }[];
  statistics?: { sampleCount: number; sum: number; minimum: number; maximum: number };
}

/** Adds `count` observations of `value` to a value-ordered list of distinct values. */
function addValue(values: { value: number; count: number }[], value: number, count: number): void {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]!.value < value) lo = mid + 1;
    else hi = mid;
  }
  const at = values[lo];
  if (at && at.value === value) at.count += count;
  else values.splice(lo, 0, { value, count });
}

/**
 * In-memory metric storage. Observations are aggregated as they arrive, one {@link Datum} per
 * metric, unit and minute (second for high resolution), as CloudWatch stores them: memory grows
 * with minutes and distinct values, not with the number of observations. Every statistic over a
 * period of 60 s or more (periods start on a minute) is the same as over the raw observations.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html (Statistics, Periods, Aggregation)
 */
export class MetricStore {
  private readonly metrics = new Map<string, StoredMetric>();
  /** Per metric key: the open datum of each `timestamp|resolution|unit`. */
  private readonly open = new Map<string, Map<string, OpenDatum>>();

  put(id: MetricId, datum: Datum): void {
    const key = metricKey(id);
    let m = this.metrics.get(key);
    let index = this.open.get(key);
    if (!m || !index) {
      m = { namespace: id.namespace, metricName: id.metricName, dimensions: [...id.dimensions].sort((a, b) => (a.name < b.name ? -1 : 1)), data: [] };
      index = new Map();
      this.metrics.set(key, m);
      this.open.set(key, index);
    }
    const grain = datum.storageResolution === 1 ? 1000 : 60_000;
    const timestamp = Math.floor(datum.timestamp / grain) * grain;
    const slot = `${timestamp}|${datum.storageResolution}|${datum.unit}`;
    let into = index.get(slot);
    if (!into) {
      into = { timestamp, unit: datum.unit, storageResolution: datum.storageResolution, values: [] };
      index.set(slot, into);
      // Kept in time order (data mostly arrives in order: an append), so a time range is found
      // by binary search rather than by scanning every datum ever put (`between`).
      const data = m.data;
      if (data.length === 0 || data[data.length - 1]!.timestamp <= timestamp) data.push(into);
      else data.splice(firstAfter(data, timestamp), 0, into);
    }
    for (const { value, count } of datum.values) addValue(into.values, value, count);
    const s = datum.statistics;
    if (s) {
      const t = into.statistics;
      into.statistics = t
        ? { sampleCount: t.sampleCount + s.sampleCount, sum: t.sum + s.sum, minimum: Math.min(t.minimum, s.minimum), maximum: Math.max(t.maximum, s.maximum) }
        : { ...s };
    }
  }

  get(id: MetricId): StoredMetric | undefined {
    return this.metrics.get(metricKey(id));
  }

  /** The data of a metric from `start` (inclusive) to `end` (exclusive), epoch ms, in time order. */
  between(id: MetricId, start: number, end: number): readonly Datum[] {
    const data = this.get(id)?.data;
    if (!data || data.length === 0) return [];
    return data.slice(firstAtOrAfter(data, start), firstAtOrAfter(data, end));
  }

  /** Puts back a metric as {@link all} listed it (its data points merged into any already held). */
  load(metric: StoredMetric): void {
    for (const d of metric.data) this.put(metric, d);
  }

  /** Every metric, in key order. */
  all(): StoredMetric[] {
    return [...this.metrics.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, m]) => m);
  }
}

/** The index of the first datum whose timestamp is at or after `t` (data in time order). */
function firstAtOrAfter(data: readonly Datum[], t: number): number {
  let lo = 0;
  let hi = data.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data[mid]!.timestamp < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first datum whose timestamp is after `t` (data in time order). */
function firstAfter(data: readonly Datum[], t: number): number {
  let lo = 0;
  let hi = data.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data[mid]!.timestamp <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A bucket's aggregate. */
interface Aggregate {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** Raw values with their counts, for percentiles. */
  raw: { value: number; count: number }[];
  /** How many raw observations `raw` holds. */
  rawCount: number;
}

function aggregate(data: readonly Datum[]): Aggregate {
  const a: Aggregate = { sampleCount: 0, sum: 0, minimum: Infinity, maximum: -Infinity, raw: [], rawCount: 0 };
  for (const d of data) {
    for (const { value, count } of d.values) {
      a.sampleCount += count;
      a.sum += value * count;
      a.minimum = Math.min(a.minimum, value);
      a.maximum = Math.max(a.maximum, value);
      a.raw.push({ value, count });
      a.rawCount += count;
    }
    if (d.statistics) {
      a.sampleCount += d.statistics.sampleCount;
      a.sum += d.statistics.sum;
      a.minimum = Math.min(a.minimum, d.statistics.minimum);
      a.maximum = Math.max(a.maximum, d.statistics.maximum);
    }
  }
  return a;
}

/** Statistic names the sink computes: the five basic ones and percentiles `pNN` / `pNN.NN`. */
export const STAT_PATTERN = /^(SampleCount|Sum|Average|Minimum|Maximum|p(\d{1,2}(\.\d{1,2})?|100))$/;

/**
 * One statistic of a bucket; percentiles use the nearest-rank method over raw values, and are
 * undefined for buckets holding only statistic sets (as on AWS, which needs raw values).
 */
export function statistic(data: readonly Datum[], stat: string): number | undefined {
  const a = aggregate(data);
  if (a.sampleCount === 0) return undefined;
  switch (stat) {
    case 'SampleCount':
      return a.sampleCount;
    case 'Sum':
      return a.sum;
    case 'Average':
      return a.sum / a.sampleCount;
    case 'Minimum':
      return a.minimum;
    case 'Maximum':
      return a.maximum;
    default: {
      const p = Number(stat.slice(1));
      if (a.rawCount === 0) return undefined;
      const sorted = [...a.raw].sort((x, y) => x.value - y.value);
      const rank = Math.max(1, Math.ceil((p / 100) * a.rawCount));
      let seen = 0;
      for (const { value, count } of sorted) {
        seen += count;
        if (seen >= rank) return value;
      }
      return sorted[sorted.length - 1]!.value;
    }
  }
}
