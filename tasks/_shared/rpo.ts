import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { RPO_LISTED_MAX, RPO_SETS_SHOWN, RPO_WORKLOADS_SHOWN, type RpoReport, type RpoSet } from '../../schemas/tasks/publish-rpo.js';
import type { S3Object } from '../../schemas/tasks/store.js';
import { secondsBetween } from './metrics.js';
import { chooseSet, findRecoverySets } from './recovery-sets.js';

/** The metric of the RPO: the age of the newest restorable recovery point. */
export const RECOVERY_POINT_AGE = 'RecoveryPointAgeSeconds';

/**
 * Measures the RPO as it stands at `now`: for each workload, the age of the recovery set a
 * failover would restore now (`chooseSet`: its newest complete set), read from the verified,
 * available copies in the recovery region by tags.
 *
 * The report is whole (every workload listed), worst first: sets oldest first, and in each set and
 * among the missing, critical workloads before the others (each in the plan's order).
 */
export async function measureRpo(
  ec2: EC2Client,
  planName: string,
  workloads: ReadonlyArray<{ name: string; isCritical: boolean }>,
  objectiveSeconds: number,
  now: Date,
): Promise<RpoReport> {
  const setsOf = await findRecoverySets(ec2, planName);
  const bySet = new Map<string, RpoSet & { others: string[] }>();
  const missing: string[] = [];
  const missingOthers: string[] = [];
  let isCriticalMissing = false;
  for (const workload of workloads) {
    const chosen = chooseSet(setsOf.get(workload.name) ?? []);
    if (!chosen) {
      (workload.isCritical ? missing : missingOthers).push(workload.name);
      if (workload.isCritical) isCriticalMissing = true;
      continue;
    }
    const { executionArn, recoveryPointTime, isComplete } = chosen.set;
    const key = `${executionArn}|${isComplete}`;
    const entry = bySet.get(key) ?? {
      executionArn,
      recoveryPointTime,
      ageSeconds: secondsBetween(Date.parse(recoveryPointTime), now.getTime()),
      isComplete,
      workloads: [],
      workloadCount: 0,
      others: [],
    };
    (workload.isCritical ? entry.workloads : entry.others).push(workload.name);
    entry.workloadCount += 1;
    bySet.set(key, entry);
  }
  const sets: RpoSet[] = [...bySet.values()]
    .sort((a, b) => b.ageSeconds - a.ageSeconds || a.executionArn.localeCompare(b.executionArn) || Number(a.isComplete) - Number(b.isComplete))
    .map(({ others, ...set }) => ({ ...set, workloads: [...set.workloads, ...others] }));
  missing.push(...missingOthers);
  const ages = sets.map((s) => s.ageSeconds);
  const maxAgeSeconds = isCriticalMissing || ages.length === 0 ? null : Math.max(...ages);
  return {
    measuredAt: now.toISOString(),
    maxAgeSeconds,
    objectiveSeconds,
    isWithinObjective: maxAgeSeconds !== null && maxAgeSeconds <= objectiveSeconds,
    workloadCount: workloads.length,
    sets,
    setCount: sets.length,
    missing,
    missingCount: missing.length,
  };
}

/**
 * The report as a state's output carries it, bounded whatever the plan's size: the oldest
 * {@link RPO_SETS_SHOWN} sets with the first {@link RPO_WORKLOADS_SHOWN} workloads of each, and
 * the first of the missing ones (the counts stay whole), with `details` naming the object that
 * holds the whole report when there is one.
 */
export function cutRpoReport(report: RpoReport, details?: S3Object): RpoReport {
  return {
    ...report,
    sets: report.sets.slice(0, RPO_SETS_SHOWN).map((set) => ({ ...set, workloads: set.workloads.slice(0, RPO_WORKLOADS_SHOWN) })),
    missing: report.missing.slice(0, RPO_WORKLOADS_SHOWN),
    ...(details === undefined ? {} : { details }),
  };
}

/**
 * The report a task returns: with a `store` (a distributed run), the whole report is written
 * there as `{"rpo": …}` and the output is cut ({@link cutRpoReport}) with `details` naming it;
 * without one (an inline run), the whole report while it lists at most {@link RPO_LISTED_MAX}
 * workloads, else the cut one (its counts say how many are not listed).
 *
 * @param region the run bucket's region (the state machine's)
 */
export async function reportToReturn(report: RpoReport, region: string, store: S3Object | undefined): Promise<RpoReport> {
  if (store === undefined) return report.workloadCount <= RPO_LISTED_MAX ? report : cutRpoReport(report);
  // Loaded only here: an inline run's bundle start-up does not run the S3 client's code.
  const { putJson, s3Client } = await import('./s3.js');
  await putJson(s3Client(region), store.bucket, store.key, { rpo: report });
  return cutRpoReport(report, store);
}

/**
 * The CloudWatch data of an RPO report: `RecoveryPointAgeSeconds` with dimension `Plan` (the
 * plan-wide maximum; left out when it is null, so that the alarm sees missing data) and with
 * dimensions `Plan`, `Workload` (one per workload that has a recovery point).
 */
export function rpoData(planName: string, report: RpoReport, now: Date): MetricDatum[] {
  const data: MetricDatum[] = [];
  if (report.maxAgeSeconds !== null) {
    data.push({ MetricName: RECOVERY_POINT_AGE, Value: report.maxAgeSeconds, Unit: 'Seconds', Dimensions: [{ Name: 'Plan', Value: planName }], Timestamp: now });
  }
  for (const set of report.sets) {
    for (const workload of set.workloads) {
      data.push({
        MetricName: RECOVERY_POINT_AGE,
        Value: set.ageSeconds,
        Unit: 'Seconds',
        Dimensions: [
          { Name: 'Plan', Value: planName },
          { Name: 'Workload', Value: workload },
        ],
        Timestamp: now,
      });
    }
  }
  return data;
}
