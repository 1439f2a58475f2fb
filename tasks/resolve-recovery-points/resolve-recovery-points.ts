import type { LaunchTarget } from '../../schemas/tasks/common.js';
import { WORKLOADS_SHOWN, type ResolveRecoveryPointsInput, type ResolveRecoveryPointsOutput } from '../../schemas/tasks/resolve-recovery-points.js';
import type { TaskContext } from '../_shared/define-task.js';
import { InvalidInputError, NotFoundError } from '../_shared/errors.js';
import { chooseSet, findRecoverySets, type RecoveryPoint, type RecoverySet } from '../_shared/recovery-sets.js';
import { NAMED_AT_MOST, namedFirst, tooManyForInline } from '../_shared/scale.js';
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
 * `missing`. Targets are grouped by wave, ascending; `sets` names the set each workload came from
 * (a distributed run: the first few workloads of each, all of them in the run bucket).
 * Workloads in `exclude` (or in the pre-flight report `excludeFrom`) are left out altogether: a
 * failover that proceeds past blocking pre-flight findings skips them.
 */
export async function resolveRecoveryPoints(input: ResolveRecoveryPointsInput, context: TaskContext): Promise<ResolveRecoveryPointsOutput> {
  const setsByWorkload = await findRecoverySets(context.ec2(input.region), input.planName);
  const chosenSets = new Map<string, { executionArn: string; recoveryPointTime: string; isComplete: boolean; workloads: string[] }>();

  const byWave = new Map<number, LaunchTarget[]>();
  const missing: string[] = [];
  const problems: string[] = [];
  const excluded = await excludedWorkloads(input);
  for (const workload of input.workloads) {
    if (excluded.has(workload.name)) continue;
    const pin = input.pins?.[workload.name];
    const picked = pickRecoveryPoints(setsByWorkload.get(workload.name) ?? [], pin);
    if ('problem' in picked) {
      problems.push(`workload '${workload.name}': ${picked.problem} in ${input.region}`);
      continue;
    }
    if (picked.points.length === 0) {
      const what = `no verified recovery point in ${input.region}${pin ? ` at or before ${pin}` : ''}`;
      if (workload.isCritical) problems.push(`critical workload '${workload.name}': ${what}`);
      else missing.push(workload.name);
      continue;
    }
    const chosen = picked.points;
    const from = picked.from!;
    const key = `${from.executionArn}|${from.isComplete}`;
    const entry = chosenSets.get(key) ?? { ...from, workloads: [] };
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
  if (problems.length > 0) {
    // Thousands of critical workloads without a point must not make a cause over Step Functions' 32,768 characters.
    if (problems.length > NAMED_AT_MOST) context.log('workloads without a recovery point', { problems });
    throw new NotFoundError(`resolve recovery points of plan '${input.planName}': ${namedFirst(problems, '; ', 'workload(s) without a recovery point')}`);
  }

  const waves = [...byWave.entries()].sort(([a], [b]) => a - b).map(([wave, targets]) => ({ wave, targets }));
  const times = waves.flatMap((w) => w.targets.map((t) => t.recoveryPointTime)).sort();
  const sets = [...chosenSets.values()].sort((a, b) => b.recoveryPointTime.localeCompare(a.recoveryPointTime) || a.executionArn.localeCompare(b.executionArn));
  context.log('resolved recovery points', { targets: times.length, missing, sets: sets.length });
  if (input.maxTargets !== undefined && times.length > input.maxTargets) throw tooManyForInline(input.planName, times.length, input.maxTargets);
  if (input.itemStore === undefined) return { waves, missing, oldestRecoveryPointTime: times[0] ?? null, sets };
  return { waves: await storeWaves(input, waves), oldestRecoveryPointTime: times[0] ?? null, ...(await storeSets(input, sets, missing)) };
}

/** How many missing workloads a distributed run's output names (all of them are in `recoverySets`). */
const MISSING_SHOWN = 50;

/**
 * A distributed run: every chosen set with all its workloads, and every missing workload, go to
 * `<prefix>/recovery-sets.json` (`{sets, missing}`, read back by `record-metrics`); the output
 * names the first few of each (`workloadCount`, `missingCount`), so the parent's variables and
 * the run's output stay the same size whatever the plan's.
 */
async function storeSets(
  input: ResolveRecoveryPointsInput,
  sets: ResolveRecoveryPointsOutput['sets'],
  missing: string[],
): Promise<Pick<ResolveRecoveryPointsOutput, 'sets' | 'missing' | 'missingCount' | 'recoverySets'>> {
  const store = input.itemStore!;
  const recoverySets = { bucket: store.bucket, key: `${store.prefix}/recovery-sets.json` };
  // The S3 client loads only on a distributed run (its own chunk of the bundle, docs/decisions/0017, "Chunks").
  const { putJson, s3Client } = await import('../_shared/s3.js');
  await putJson(s3Client(input.region), recoverySets.bucket, recoverySets.key, { sets, missing });
  return {
    sets: sets.map((set) => ({ ...set, workloads: set.workloads.slice(0, WORKLOADS_SHOWN), workloadCount: set.workloads.length })),
    missing: missing.slice(0, MISSING_SHOWN),
    missingCount: missing.length,
    recoverySets,
  };
}


/** What {@link pickRecoveryPoints} chose for a workload: its points (none: nothing to restore) and their set. */
export type PickedRecoveryPoints =
  | { readonly points: readonly RecoveryPoint[]; readonly from?: { executionArn: string; recoveryPointTime: string; isComplete: boolean } }
  | { readonly problem: string };

/**
 * The recovery points a failover restores for one workload, from its sets (newest first): an AMI
 * pin picks that point (a `problem` when it is not one of the workload's verified points), an ISO
 * time pin the newest set at or before it, no pin the newest complete set ({@link chooseSet}).
 * No points and no problem: the workload has nothing to restore (missing, or fatal if critical).
 */
export function pickRecoveryPoints(sets: readonly RecoverySet[], pin: string | undefined): PickedRecoveryPoints {
  if (pin?.startsWith('ami-')) {
    const set = sets.find((s) => s.points.some((p) => p.imageId === pin));
    const point = set?.points.find((p) => p.imageId === pin);
    if (!set || !point) return { problem: `pinned ${pin} is not a verified, available recovery point of this workload` };
    return { points: [point], from: { executionArn: set.executionArn, recoveryPointTime: set.recoveryPointTime, isComplete: set.isComplete && set.points.length === 1 } };
  }
  const picked = chooseSet(sets, pin);
  if (!picked) return { points: [] };
  return { points: picked.points, from: { executionArn: picked.set.executionArn, recoveryPointTime: picked.set.recoveryPointTime, isComplete: picked.set.isComplete } };
}

/**
 * A distributed run: each wave's targets, cut into launch batches, become that wave's Distributed
 * Map item list in S3 (`<prefix>/wave-<n>.json`, `[{wave, batch, targets}]`); the output keeps
 * only counts and the object per wave.
 */
async function storeWaves(input: ResolveRecoveryPointsInput, waves: { wave: number; targets: LaunchTarget[] }[]): Promise<ResolveRecoveryPointsOutput['waves']> {
  const store = input.itemStore!;
  const { putJson, s3Client } = await import('../_shared/s3.js');
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

/** The workloads to leave out: `exclude`, and the `blockedWorkloads` of the pre-flight report `excludeFrom`. */
async function excludedWorkloads(input: ResolveRecoveryPointsInput): Promise<Set<string>> {
  const out = new Set(input.exclude ?? []);
  if (input.excludeFrom === undefined) return out;
  const { getJson, s3Client } = await import('../_shared/s3.js');
  const report = await getJson(s3Client(input.region), input.excludeFrom.bucket, input.excludeFrom.key);
  const blocked = (report as { blockedWorkloads?: unknown } | null)?.blockedWorkloads;
  if (!Array.isArray(blocked)) {
    throw new InvalidInputError(
      `resolve recovery points of plan '${input.planName}' › excludeFrom s3://${input.excludeFrom.bucket}/${input.excludeFrom.key}: expected a pre-flight report with "blockedWorkloads", found ${blocked === undefined ? 'none' : JSON.stringify(blocked).slice(0, 80)}; re-run the failover so that "Pre-flight checks" writes it again`,
    );
  }
  for (const name of blocked) if (typeof name === 'string') out.add(name);
  return out;
}
