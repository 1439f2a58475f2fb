import type { Image } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import type { LaunchTarget } from '../../schemas/tasks/common.js';
import type { ResolveRecoveryPointsInput, ResolveRecoveryPointsOutput } from '../../schemas/tasks/resolve-recovery-points.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, filters } from '../_shared/ec2.js';
import { NotFoundError } from '../_shared/errors.js';
import { putJson, s3Client } from '../_shared/s3.js';
import { chunk, tagMap } from '../_shared/tags.js';
import { tooManyForInline } from '../_shared/scale.js';

/** A recovery point as found in EC2. */
interface Point {
  readonly imageId: string;
  readonly workload: string;
  readonly sourceInstanceId: string;
  readonly recoveryPointTime: string;
}

/**
 * `resolve-recovery-points`: picks, per source instance, the newest verified and available copy
 * in `region`, found by tag filters only (a failover needs nothing from the primary region).
 *
 * A pin replaces "newest" for its workload: an AMI id picks that recovery point (it must be one
 * of the workload's verified points); an ISO time picks, per source instance, the newest point
 * at or before it. A critical workload without a point fails with `Lifeboat.NotFound`; an
 * optional one is listed in `missing`. Targets are grouped by wave, ascending.
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
  const points = images.map(toPoint).filter((p): p is Point => p !== undefined);

  const byWave = new Map<number, LaunchTarget[]>();
  const missing: string[] = [];
  const problems: string[] = [];
  for (const workload of input.workloads) {
    const pin = input.pins?.[workload.name];
    const own = points.filter((p) => p.workload === workload.name);
    let chosen: Point[];
    if (pin?.startsWith('ami-')) {
      const point = own.find((p) => p.imageId === pin);
      if (!point) {
        problems.push(`workload '${workload.name}': pinned ${pin} is not a verified, available recovery point of this workload in ${input.region}`);
        continue;
      }
      chosen = [point];
    } else {
      const limit = pin ? Date.parse(pin) : Number.POSITIVE_INFINITY;
      const newest = new Map<string, Point>();
      for (const p of own) {
        if (Date.parse(p.recoveryPointTime) > limit) continue;
        const best = newest.get(p.sourceInstanceId);
        if (!best || p.recoveryPointTime > best.recoveryPointTime) newest.set(p.sourceInstanceId, p);
      }
      chosen = [...newest.values()].sort((a, b) => a.sourceInstanceId.localeCompare(b.sourceInstanceId));
    }
    if (chosen.length === 0) {
      const what = `no verified recovery point in ${input.region}${pin ? ` at or before ${pin}` : ''}`;
      if (workload.isCritical) problems.push(`critical workload '${workload.name}': ${what}`);
      else missing.push(workload.name);
      continue;
    }
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
  context.log('resolved recovery points', { targets: times.length, missing });
  if (input.maxTargets !== undefined && times.length > input.maxTargets) throw tooManyForInline(input.planName, times.length, input.maxTargets);
  if (input.itemStore === undefined) return { waves, missing, oldestRecoveryPointTime: times[0] ?? null };
  return { waves: await storeWaves(input, waves, context), missing, oldestRecoveryPointTime: times[0] ?? null };
}

/**
 * A distributed run: each wave's targets, cut into launch batches, become that wave's Distributed
 * Map item list in S3 (`<prefix>/wave-<n>.json`, `[{wave, batch, targets}]`); the output keeps
 * only counts and the object per wave.
 */
async function storeWaves(input: ResolveRecoveryPointsInput, waves: { wave: number; targets: LaunchTarget[] }[], context: TaskContext): Promise<ResolveRecoveryPointsOutput['waves']> {
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

function toPoint(image: Image): Point | undefined {
  const tags = tagMap(image.Tags);
  const recoveryPointTime = tags[TAG_KEYS.recoveryPointTime];
  const workload = tags[TAG_KEYS.workload];
  const sourceInstanceId = tags[TAG_KEYS.sourceInstance];
  if (!image.ImageId || !workload || !sourceInstanceId || !recoveryPointTime || Number.isNaN(Date.parse(recoveryPointTime))) return undefined;
  return { imageId: image.ImageId, workload, sourceInstanceId, recoveryPointTime: new Date(recoveryPointTime).toISOString() };
}
