import type { Dimension, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Achieved, AchievedGroup, Metric, RecordMetricsInput, RecordMetricsOutput } from '../../schemas/tasks/record-metrics.js';
import type { TaskContext } from '../_shared/define-task.js';
import { METRIC_NAMESPACE, putLifeboatMetrics, secondsBetween } from '../_shared/metrics.js';
import { RECOVERY_POINT_AGE, measureRpo, reportToReturn, rpoData } from '../_shared/rpo.js';

export { METRIC_NAMESPACE };

/** failover/drill: the age of the oldest recovery point restored, at the run's start (the achieved RPO). */
export const ACHIEVED_RECOVERY_POINT_AGE = 'AchievedRecoveryPointAgeSeconds';
/** failover/drill: the run's start until ready (the achieved RTO). */
export const RECOVERY_TIME = 'RecoveryTimeSeconds';

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
 * `record-metrics`: publishes a run's outcome, and its RPO (backup) or achieved RPO and RTO
 * (failover, drill), to CloudWatch, timestamped with the task's now (the sandbox's virtual time).
 *
 * backup: `BackupSucceeded` 1/0 in `region`; on success, `RecoveryPointAgeSeconds` measured as
 * `publish-rpo` does (the age of each workload's newest restorable recovery set, read by tags in
 * `recoveryRegion`, plan-wide and per workload) and published in `recoveryRegion`, where the
 * `rpo-breached` alarm watches it. Right after a backup that is how long the run took for the
 * workloads it covered, and older for a workload it did not. The output's `rpo` is bounded: with
 * `detailsStore` (a distributed run) the whole report is written there and the output lists the
 * oldest sets' first workloads with their counts; an inline run's lists it whole up to
 * `RPO_LISTED_MAX` workloads (schemas/tasks/publish-rpo.ts).
 *
 * failover/drill/failback (dimensions `Plan`, `Mode`): `RecoveryTimeSeconds` = readyAt − startedAt,
 * `AchievedRecoveryPointAgeSeconds` = startedAt (a failback: `rpoAt`, its launch's start) − the
 * oldest recovery point restored, both also
 * per workload (dimension `Workload`), and `RecoverySucceeded` 1/0; the output's `achieved`
 * compares both with the plan's objectives.
 *
 * A distributed run (docs/contracts.md, "Run bucket") passes `setsFrom` and waves with `records`
 * instead of the lists: the task reads them from the run bucket, publishes every workload's data,
 * writes the whole `achieved` with the sets to `detailsStore`, and returns `achieved` with each
 * group's first workloads and its `workloadCount`, so its input and output do not grow with the plan.
 *
 * Publishing twice after a retry adds a second identical datum, which the dashboard's and the
 * alarms' statistics (Maximum, Minimum) do not change.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export async function recordMetrics(input: RecordMetricsInput, context: TaskContext): Promise<RecordMetricsOutput> {
  const succeeded = input.outcome === 'SUCCEEDED' ? 1 : 0;
  const now = context.now;
  const dimensions = metricDimensions(input.kind, input.planName);
  const datum = (name: string, value: number, unit: StandardUnit, dims: Dimension[] = dimensions): MetricDatum => ({
    MetricName: name,
    Value: value,
    Unit: unit,
    Dimensions: dims,
    Timestamp: now,
  });

  if (input.kind === 'backup') {
    await putLifeboatMetrics(context.cloudwatch(input.region), [datum(successMetricName('backup'), succeeded, 'Count')]);
    const metrics: Metric[] = [{ name: successMetricName('backup'), value: succeeded, unit: 'Count' }];
    if (!succeeded || !input.recoveryRegion || !input.workloads || !input.objectives) return { metrics };
    const rpo = await measureRpo(context.ec2(input.recoveryRegion), input.planName, input.workloads, input.objectives.rpoMinutes * 60, now);
    // Every workload's datum is published; the output's report is bounded (whole in the run bucket for a distributed run).
    const data = rpoData(input.planName, rpo, now);
    await putLifeboatMetrics(context.cloudwatch(input.recoveryRegion), data);
    if (rpo.maxAgeSeconds !== null) metrics.unshift({ name: RECOVERY_POINT_AGE, value: rpo.maxAgeSeconds, unit: 'Seconds' });
    return { metrics, workloadDatumCount: data.length - (rpo.maxAgeSeconds === null ? 0 : 1), rpo: await reportToReturn(rpo, input.region, input.detailsStore) };
  }

  const metrics: Metric[] = [];
  const data: MetricDatum[] = [];
  // A distributed run: the sets' and the waves' workloads are in the run bucket.
  const lists = input.setsFrom !== undefined || input.waves?.some((w) => w.records !== undefined) ? await (await import('./run-lists.js')).readRunLists(input) : input;
  if (input.readyAt) {
    const rto = secondsBetween(Date.parse(input.startedAt), Date.parse(input.readyAt));
    metrics.push({ name: RECOVERY_TIME, value: rto, unit: 'Seconds' });
  }
  const achieved = input.objectives && lists.sets && lists.waves ? achievedOf({ ...input, ...lists }, input.objectives) : undefined;
  if (achieved?.rpoSeconds !== null && achieved?.rpoSeconds !== undefined) {
    metrics.push({ name: ACHIEVED_RECOVERY_POINT_AGE, value: achieved.rpoSeconds, unit: 'Seconds' });
  }
  metrics.push({ name: successMetricName(input.kind), value: succeeded, unit: 'Count' });
  data.push(...metrics.map((m) => datum(m.name, m.value, m.unit as StandardUnit)));
  let workloadDatumCount = 0;
  for (const group of achieved?.groups ?? []) {
    for (const workload of group.workloads) {
      const dims = [...dimensions, { Name: 'Workload', Value: workload }];
      data.push(datum(ACHIEVED_RECOVERY_POINT_AGE, group.rpoSeconds, 'Seconds', dims));
      workloadDatumCount += 1;
      if (group.rtoSeconds !== null) {
        data.push(datum(RECOVERY_TIME, group.rtoSeconds, 'Seconds', dims));
        workloadDatumCount += 1;
      }
    }
  }
  await putLifeboatMetrics(context.cloudwatch(input.region), data);
  if (achieved && input.detailsStore !== undefined) {
    // The whole per-workload result goes to the run bucket; the output names the first few per group.
    const { storeDetails } = await import('./run-lists.js');
    return { metrics, achieved: await storeDetails(input, input.detailsStore, achieved, lists), workloadDatumCount };
  }
  return { metrics, ...(achieved ? { achieved, workloadDatumCount } : {}) };
}

/**
 * The achieved RPO and RTO, per group of workloads restored from the same set in the same wave.
 * RPO: the run's start − the set's recovery-point time; RTO: the wave's ready time − the start.
 */
export function achievedOf(input: RecordMetricsInput, objectives: NonNullable<RecordMetricsInput['objectives']>): Achieved {
  const startMs = Date.parse(input.startedAt);
  // A failback restores images it made itself, during the run: their age is taken when the launch starts.
  const rpoAtMs = input.rpoAt !== undefined ? Date.parse(input.rpoAt) : startMs;
  const waveOf = new Map<string, { wave: number; readyAt: string }>();
  for (const wave of input.waves ?? []) for (const w of wave.workloads ?? []) waveOf.set(w, wave);
  const groups = new Map<string, AchievedGroup & { workloads: string[] }>();
  for (const set of input.sets ?? []) {
    for (const workload of set.workloads) {
      const wave = waveOf.get(workload);
      const key = `${set.executionArn}|${set.recoveryPointTime}|${wave?.wave ?? 0}`;
      const group = groups.get(key) ?? {
        workloads: [],
        executionArn: set.executionArn,
        recoveryPointTime: set.recoveryPointTime,
        rpoSeconds: secondsBetween(Date.parse(set.recoveryPointTime), rpoAtMs),
        rtoSeconds: wave ? secondsBetween(startMs, Date.parse(wave.readyAt)) : null,
      };
      group.workloads.push(workload);
      groups.set(key, group);
    }
  }
  const list = [...groups.values()].sort((a, b) => b.rpoSeconds - a.rpoSeconds || (b.rtoSeconds ?? 0) - (a.rtoSeconds ?? 0));
  const rpoSeconds = list.length > 0 ? Math.max(...list.map((g) => g.rpoSeconds)) : null;
  const rtoSeconds = input.readyAt ? secondsBetween(startMs, Date.parse(input.readyAt)) : null;
  const rpoObjectiveSeconds = objectives.rpoMinutes * 60;
  const rtoObjectiveSeconds = objectives.rtoMinutes * 60;
  return {
    rpoSeconds,
    rtoSeconds,
    rpoObjectiveSeconds,
    rtoObjectiveSeconds,
    isRpoMet: rpoSeconds !== null && rpoSeconds <= rpoObjectiveSeconds,
    isRtoMet: rtoSeconds !== null && rtoSeconds <= rtoObjectiveSeconds,
    groups: list,
  };
}
