import { type PublishRpoInput, type PublishRpoOutput, RPO_WORKLOADS_SHOWN } from '../../schemas/tasks/publish-rpo.js';
import type { TaskContext } from '../_shared/define-task.js';
import { putLifeboatMetrics } from '../_shared/metrics.js';
import { measureRpo, reportToReturn, rpoData } from '../_shared/rpo.js';

/**
 * `publish-rpo`: run on a schedule (the `lifeboat-<plan>-publish-rpo` state machine), so that the
 * RPO is known between backups and the `rpo-breached` alarm fires when backups stop or lag.
 * Measures, per workload, the age of the newest recovery set a failover would restore, in
 * `region` by tags alone, and publishes `RecoveryPointAgeSeconds` there (plan-wide and per
 * workload), timestamped with the task's now.
 *
 * With `detailsStore` (a distributed plan) the whole report goes to the run bucket and the output
 * lists the oldest sets' first workloads with their counts, so it does not grow with the plan;
 * without it, as `record-metrics` does (whole up to `RPO_LISTED_MAX` workloads).
 *
 * Read-only in EC2; publishing twice after a retry adds identical data, which the alarm's
 * Maximum does not change.
 */
export async function publishRpo(input: PublishRpoInput, context: TaskContext): Promise<PublishRpoOutput> {
  const rpo = await measureRpo(context.ec2(input.region), input.planName, input.workloads, input.rpoMinutes * 60, context.now);
  const data = rpoData(input.planName, rpo, context.now);
  await putLifeboatMetrics(context.cloudwatch(input.region), data);
  context.log('published rpo', { maxAgeSeconds: rpo.maxAgeSeconds, missingCount: rpo.missingCount, missing: rpo.missing.slice(0, RPO_WORKLOADS_SHOWN), datumCount: data.length });
  return { rpo: await reportToReturn(rpo, input.region, input.detailsStore), datumCount: data.length };
}
