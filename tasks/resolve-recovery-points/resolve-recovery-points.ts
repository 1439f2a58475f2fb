import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import type { LaunchTarget } from '../../schemas/tasks/common.js';
import type { ResolveRecoveryPointsInput, ResolveRecoveryPointsOutput } from '../../schemas/tasks/resolve-recovery-points.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, filters } from '../_shared/ec2.js';
import { NotFoundError } from '../_shared/errors.js';
import { chooseSet, isUsable, type RecoveryPoint, recoverySets, toRecoveryPoint } from '../_shared/recovery-sets.js';
import { putJson, s3Client } from '../_shared/s3.js';
import { tooManyForInline } from '../_shared/scale.js';
import { chunk } from '../_shared/tags.js';

/**
 * `resolve-recovery-points`: picks, per workload, the recovery set to restore, from the verified
 * and available copies in `region`, found by tag filters only (a failover needs nothing from the
 * primary region): the newest complete set (every instance the backup run saw of the workload;
 * see `_shared/recovery-sets.ts`), so an instance that left the workload stops coming back.
 *
 * A pin replaces "newest" for its workload: an AMI id picks that recovery point (it must be one
 * of the workload's verified points); an ISO time picks the newest set at or before it. A
 * critical workload without a point fails with `Lifeboat.NotFound`; an optional one is listed in
 * `missing`. Targets are grouped by wave, ascending; `sets` names the set each workload came from.
 */
export async function resolveRecoveryPoints(input: ResolveRecoveryPointsInput, context: TaskContext): Promise<ResolveRecoveryPointsOutput> {
  const ec2 = context.ec2(input.region);
  const images = await describeImages(ec2, {
    Owners: ['self'],
    Filters: filters({
      [`tag:${TAG_KEYS.plan}`]: input.planName,
      [`tag:${TAG_KEYS.role}`]: ROLES.recoveryPoint,
      [`tag:${TAG_KEYS.verified}`]: VERIFIED_VALUE,
      state: 'available',
    }),
  });
  const points = images.map(toRecoveryPoint).filter((p): p is RecoveryPoint => p !== undefined && isUsable(p));
  const setsByWorkload = recoverySets(points);
  const chosenSets = new Map<string, { executionArn: string; recoveryPointTime: string; isComplete: boolean; workloads: string[] }>();

  const byWave = new Map<number, LaunchTarget[]>();
  const missing: string[] = [];
  const problems: string[] = [];
  for (const workload of input.workloads) {
    const pin = input.pins?.[workload.name];
    const sets = setsByWorkload.get(workload.name) ?? [];
    let chosen: readonly RecoveryPoint[] = [];
    let from: { executionArn: string; recoveryPointTime: string; isComplete: boolean } | undefined;
    if (pin?.startsWith('ami-')) {
      const set = sets.find((s) => s.points.some((p) => p.imageId === pin));
      const point = set?.points.find((p) => p.imageId === pin);
      if (!set || !point) {
        problems.push(`workload '${workload.name}': pinned ${pin} is not a verified, available recovery point of this workload in ${input.region}`);
        continue;
      }
      chosen = [point];
      from = { executionArn: set.executionArn, recoveryPointTime: set.recoveryPointTime, isComplete: set.isComplete && set.points.length === 1 };
    } else {
      const picked = chooseSet(sets, pin);
      if (picked) {
        chosen = picked.points;
        from = { executionArn: picked.set.executionArn, recoveryPointTime: picked.set.recoveryPointTime, isComplete: picked.set.isComplete };
      }
    }
    if (chosen.length === 0) {
      const what = `no verified recovery point in ${input.region}${pin ? ` at or before ${pin}` : ''}`;
      if (workload.isCritical) problems.push(`critical workload '${workload.name}': ${what}`);
      else missing.push(workload.name);
      continue;
    }
    const key = `${from!.executionArn}|${from!.isComplete}`;
    const entry = chosenSets.get(key) ?? { ...from!, workloads: [] };
    entry.workloads.push(workload.name);
    chosenSets.set(key, entry);
    const wave = byWave.get(workload.wave) ?? [];
    for (const p of chosen) {
      wave.push({
        workload: workload.name,
        sourceInstanceId: p.sourceInstanceId,
        imageId: p.imageId,
        recoveryPointTime: p.recoveryPointTime,
        isCritical: workload.isCritical,
        launch: workload.launch,
      });
    }
    byWave.set(workload.wave, wave);
  }
  if (problems.length > 0) throw new NotFoundError(`resolve recovery points of plan '${input.planName}': ${problems.join('; ')}`);

  const waves = [...byWave.entries()].sort(([a], [b]) => a - b).map(([wave, targets]) => ({ wave, targets }));
  const times = waves.flatMap((w) => w.targets.map((t) => t.recoveryPointTime)).sort();
  const sets = [...chosenSets.values()].sort((a, b) => b.recoveryPointTime.localeCompare(a.recoveryPointTime) || a.executionArn.localeCompare(b.executionArn));
  context.log('resolved recovery points', { targets: times.length, missing, sets: sets.length });
  if (input.maxTargets !== undefined && times.length > input.maxTargets) throw tooManyForInline(input.planName, times.length, input.maxTargets);
  if (input.itemStore === undefined) return { waves, missing, oldestRecoveryPointTime: times[0] ?? null, sets };
  return { waves: await storeWaves(input, waves), missing, oldestRecoveryPointTime: times[0] ?? null, sets };
}

/**
 * A distributed run: each wave's targets, cut into launch batches, become that wave's Distributed
 * Map item list in S3 (`<prefix>/wave-<n>.json`, `[{wave, batch, targets}]`); the output keeps
 * only counts and the object per wave.
 */
async function storeWaves(input: ResolveRecoveryPointsInput, waves: { wave: number; targets: LaunchTarget[] }[]): Promise<ResolveRecoveryPointsOutput['waves']> {
  const store = input.itemStore!;
  const s3 = s3Client(input.region);
  const out: ResolveRecoveryPointsOutput['waves'] = [];
  for (const w of waves) {
    const batches = chunk(w.targets, input.launchBatchSize ?? 50);
    const items = { bucket: store.bucket, key: `${store.prefix}/wave-${w.wave}.json` };
    await putJson(s3, items.bucket, items.key, batches.map((targets, i) => ({ wave: w.wave, batch: i + 1, targets })));
    out.push({ wave: w.wave, targets: [], targetCount: w.targets.length, batchCount: batches.length, items });
  }
  return out;
}
