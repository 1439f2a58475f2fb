import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RpoReport, RpoSet } from '../../schemas/tasks/publish-rpo.js';
import { secondsBetween } from './metrics.js';
import { chooseSet, findRecoverySets } from './recovery-sets.js';

/** The metric of the RPO: the age of the newest restorable recovery point. */
export const RECOVERY_POINT_AGE = 'RecoveryPointAgeSeconds';

/**
 * Measures the RPO as it stands at `now`: for each workload, the age of the recovery set a
 * failover would restore now (`chooseSet`: its newest complete set), read from the verified,
 * available copies in the recovery region by tags.
 */
export async function measureRpo(
  ec2: EC2Client,
  planName: string,
  workloads: ReadonlyArray<{ name: string; isCritical: boolean }>,
  objectiveSeconds: number,
  now: Date,
): Promise<RpoReport> {
  const setsOf = await findRecoverySets(ec2, planName);
  const bySet = new Map<string, RpoSet>();
  const missing: string[] = [];
  let isCriticalMissing = false;
  for (const workload of workloads) {
    const chosen = chooseSet(setsOf.get(workload.name) ?? []);
    if (!chosen) {
      missing.push(workload.name);
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
    };
    entry.workloads.push(workload.name);
    bySet.set(key, entry);
  }
  const sets = [...bySet.values()].sort((a, b) => a.ageSeconds - b.ageSeconds || a.executionArn.localeCompare(b.executionArn));
  const ages = sets.map((s) => s.ageSeconds);
  const maxAgeSeconds = isCriticalMissing || ages.length === 0 ? null : Math.max(...ages);
  return {
    measuredAt: now.toISOString(),
    maxAgeSeconds,
    objectiveSeconds,
    isWithinObjective: maxAgeSeconds !== null && maxAgeSeconds <= objectiveSeconds,
    sets,
    missing,
  };
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
