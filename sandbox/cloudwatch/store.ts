/** One stored observation: a value with a repeat count, or a pre-aggregated statistic set. */
export interface Datum {
  /** Epoch ms. */
  readonly timestamp: number;
  readonly unit: string;
  readonly storageResolution: 1 | 60;
  /** Raw values with their counts (from `Value`, or `Values` + `Counts`). */
  readonly values: readonly { value: number; count: number }[];
  /** From `StatisticValues`. */
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

/** In-memory metric storage. */
export class MetricStore {
  private readonly metrics = new Map<string, StoredMetric>();

  put(id: MetricId, datum: Datum): void {
    const key = metricKey(id);
    let m = this.metrics.get(key);
    if (!m) {
      m = { namespace: id.namespace, metricName: id.metricName, dimensions: [...id.dimensions].sort((a, b) => (a.name < b.name ? -1 : 1)), data: [] };
      this.metrics.set(key, m);
    }
    m.data.push(datum);
  }

  get(id: MetricId): StoredMetric | undefined {
    return this.metrics.get(metricKey(id));
  }

  /** Puts back a metric as {@link all} listed it (its data points appended to any already held). */
  load(metric: StoredMetric): void {
    for (const d of metric.data) this.put(metric, d);
  }

  all(): StoredMetric[] {
    return [...this.metrics.values()].sort((a, b) => (metricKey(a) < metricKey(b) ? -1 : 1));
  }
}

/** A bucket's aggregate. */
interface Aggregate {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** Raw values for percentiles (expanded by count). */
  raw: number[];
}

function aggregate(data: readonly Datum[]): Aggregate {
  const a: Aggregate = { sampleCount: 0, sum: 0, minimum: Infinity, maximum: -Infinity, raw: [] };
  for (const d of data) {
    for (const { value, count } of d.values) {
      a.sampleCount += count;
      a.sum += value * count;
      a.minimum = Math.min(a.minimum, value);
      a.maximum = Math.max(a.maximum, value);
      for (let i = 0; i < Math.min(count, 10_000); i++) a.raw.push(value);
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
      if (a.raw.length === 0) return undefined;
      const sorted = [...a.raw].sort((x, y) => x - y);
      const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
      return sorted[Math.min(rank, sorted.length) - 1];
    }
  }
}
