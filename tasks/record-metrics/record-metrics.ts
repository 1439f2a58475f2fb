import { type Dimension, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Metric, RecordMetricsInput, RecordMetricsOutput } from '../../schemas/tasks/record-metrics.js';
import type { TaskContext } from '../_shared/define-task.js';

/** The CloudWatch namespace of every Lifeboat metric. */
export const METRIC_NAMESPACE = 'Lifeboat';

/**
 * The dimensions of a run's metrics: `Plan` for backup; `Plan` and `Mode` for failover and drill.
 *
 * Shared with `record-failure`, so that a failed run's success metric lands on the same series.
 */
export function metricDimensions(kind: RecordMetricsInput['kind'], planName: string): Dimension[] {
  return kind === 'backup' ? [{ Name: 'Plan', Value: planName }] : [{ Name: 'Plan', Value: planName }, { Name: 'Mode', Value: kind }];
}

/** The success metric of a run kind. */
export function successMetricName(kind: RecordMetricsInput['kind']): string {
  return kind === 'backup' ? 'BackupSucceeded' : 'RecoverySucceeded';
}

/**
 * `record-metrics`: publishes a run's outcome, and its RPO (backup) or RTO (failover, drill),
 * to CloudWatch, timestamped with the task's now (the sandbox's virtual time).
 *
 * backup: `RecoveryPointAgeSeconds` = now − recoveryPointTime, `BackupSucceeded` 1/0.
 * failover/drill: `RecoveryTimeSeconds` = readyAt − startedAt, `RecoverySucceeded` 1/0.
 * Publishing twice after a retry adds a second identical datum, which the dashboard's and the
 * alarms' statistics (Maximum, Minimum) do not change.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export async function recordMetrics(input: RecordMetricsInput, context: TaskContext): Promise<RecordMetricsOutput> {
  const succeeded = input.outcome === 'SUCCEEDED' ? 1 : 0;
  const metrics: Metric[] = [];
  if (input.kind === 'backup') {
    if (input.recoveryPointTime && succeeded) {
      metrics.push({ name: 'RecoveryPointAgeSeconds', value: seconds(context.now.getTime() - Date.parse(input.recoveryPointTime)), unit: 'Seconds' });
    }
    metrics.push({ name: successMetricName('backup'), value: succeeded, unit: 'Count' });
  } else {
    if (input.readyAt) {
      metrics.push({ name: 'RecoveryTimeSeconds', value: seconds(Date.parse(input.readyAt) - Date.parse(input.startedAt)), unit: 'Seconds' });
    }
    metrics.push({ name: successMetricName(input.kind), value: succeeded, unit: 'Count' });
  }
  const dimensions = metricDimensions(input.kind, input.planName);
  await context.cloudwatch(input.region).send(
    new PutMetricDataCommand({
      Namespace: METRIC_NAMESPACE,
      MetricData: metrics.map((m) => ({ MetricName: m.name, Value: m.value, Unit: m.unit as StandardUnit, Dimensions: dimensions, Timestamp: context.now })),
    }),
  );
  return { metrics };
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}
