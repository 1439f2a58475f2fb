import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { chunk } from './tags.js';

/** The CloudWatch namespace of every Lifeboat metric. */
export const METRIC_NAMESPACE = 'Lifeboat';

/**
 * PutMetricData takes at most 1,000 data per call: the data go in chunks.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export const MAX_DATA_PER_CALL = 1000;

/** Publishes data in the `Lifeboat` namespace, {@link MAX_DATA_PER_CALL} per call. */
export async function putLifeboatMetrics(cloudwatch: CloudWatchClient, data: readonly MetricDatum[]): Promise<void> {
  for (const part of chunk(data, MAX_DATA_PER_CALL)) {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: METRIC_NAMESPACE, MetricData: part }));
  }
}

/** Whole seconds between two instants, never negative. */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.max(0, Math.round((toMs - fromMs) / 1000));
}
