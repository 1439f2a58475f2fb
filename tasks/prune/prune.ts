import { CreateTagsCommand, DeregisterImageCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import { PRUNE_LISTED_LIMIT, type DeletedImage, type PruneInput, type PruneOutput } from '../../schemas/tasks/prune.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, filters, snapshotIdsOf } from '../_shared/ec2.js';
import { errorCodeOf } from '../_shared/ec2-errors.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import { chooseSet, isUsable, type RecoveryPoint, recoverySets, toRecoveryPoint } from '../_shared/recovery-sets.js';
import { chunk, tagMap } from '../_shared/tags.js';
import { PassLimit } from '../_shared/pass-limit.js';
import { isThrottledOrTransient, PassNotes } from '../_shared/tolerate.js';

const DAY_MS = 86_400_000;

/**
 * At most this many DeregisterImage calls in one pass, both regions together; the rest is left
 * for the next pass of the loop, which comes without a wait (`stoppedBy` in the output).
 *
 * Why 500: DeregisterImage is a mutating EC2 action, throttled per account and region by a token
 * bucket whose default is 50 tokens refilled at 5 a second (EC2 API reference, "Request
 * throttling"). 500 calls take at least about 100 s at that rate, a third of the function's 300 s
 * timeout (`TASK_TIMEOUT_SECONDS.prune`), so a pass ends in time even when another workload of
 * the account shares the bucket; the remaining-time check stops it sooner when calls are slow.
 * The second backup of a 5,000-instance plan (5,000 stale source images) takes 10 passes.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
 */
export const PRUNE_DEREGISTERS_PER_PASS = 500;

/** What prune decided about one image, for its tests and its log. */
export interface PruneDecision {
  readonly imageId: string;
  readonly isDeleted: boolean;
  readonly reason: string;
}

/**
 * Decides which recovery points go, per workload and recovery set (`_shared/recovery-sets.ts`).
 *
 * Rules: never a point of the set a failover would restore now (the workload's newest complete
 * set, see `chooseSet`); never one in `keep`; never one still `pending` (a copy in flight); a
 * `failed` copy always goes; an `available` one goes when its set is beyond `count` sets of its
 * workload (newest first, counting sets with an available point) or older than `maxAgeDays`
 * (relative to `now`). So the points of an instance that left a workload age out with the sets
 * it was in, while the newest set is never touched. Images whose tags do not describe a
 * recovery point are left alone.
 */
export function decideRecoveryPoints(images: readonly Image[], retention: PruneInput['retention'], keep: ReadonlySet<string>, now: Date): PruneDecision[] {
  const points: RecoveryPoint[] = [];
  const decisions: PruneDecision[] = [];
  for (const image of images) {
    const point = toRecoveryPoint(image);
    if (point) points.push(point);
    else decisions.push({ imageId: image.ImageId ?? '', isDeleted: false, reason: 'tags do not describe a recovery point' });
  }
  for (const sets of recoverySets(points).values()) {
    const restored = chooseSet(sets)?.set;
    let rank = 0;
    for (const set of sets) {
      if (set.points.some((p) => p.state === 'available')) rank += 1;
      const age = now.getTime() - Date.parse(set.recoveryPointTime);
      for (const p of set.points) decisions.push({ imageId: p.imageId, ...decide(p, set === restored, rank, age) });
    }
  }
  return decisions;

  function decide(p: RecoveryPoint, isRestored: boolean, rank: number, ageMs: number): { isDeleted: boolean; reason: string } {
    if (isRestored && isUsable(p)) return { isDeleted: false, reason: 'in the newest recovery set of its workload' };
    if (keep.has(p.imageId)) return { isDeleted: false, reason: 'in keepImageIds' };
    if (p.state === 'pending') return { isDeleted: false, reason: 'pending' };
    if (p.state === 'failed') return { isDeleted: true, reason: 'failed copy' };
    if (p.state !== 'available') return { isDeleted: false, reason: `state ${p.state}` };
    if (retention.count !== undefined && rank > retention.count) return { isDeleted: true, reason: `recovery set beyond count ${retention.count}` };
    if (retention.maxAgeDays !== undefined && ageMs > retention.maxAgeDays * DAY_MS) {
      return { isDeleted: true, reason: `recovery set older than ${retention.maxAgeDays} days` };
    }
    return { isDeleted: false, reason: 'within retention' };
  }
}

/**
 * `prune`, one pass of the `Prune recovery points` loop at the end of a backup whose every batch
 * was verified: seals this run's recovery set (tags each of its points `lifeboat:set-size` = the
 * number of instances of its workload in the run), then deletes recovery points beyond retention
 * in the recovery region ({@link decideRecoveryPoints}) and, in the primary region, the source
 * images of every run but each workload's newest; each AMI with its snapshots (DeregisterImage
 * with DeleteAssociatedSnapshots).
 *
 * A throttled or transient EC2 call never fails the pass (docs/decisions/0005): it is listed in
 * `throttled`, the pass does what it can, and the loop calls it again. Deciding needs a whole
 * listing: a region whose DescribeImages was throttled (any page) deletes nothing in this pass,
 * and the recovery region deletes nothing until this run's set is sealed, so a throttled read
 * can never make a newer set look absent or an unsealed one look complete. A region whose part
 * of a pass had nothing throttled is `finished` and skipped by later passes, so under a storm
 * the two regions progress apart. `isComplete` once both are finished; past `deadline` with work
 * left, `Lifeboat.Timeout`.
 *
 * Bounded (issue 8): a pass makes at most {@link PRUNE_DEREGISTERS_PER_PASS} DeregisterImage
 * calls and starts none once the Lambda's remaining time is below the safety margin
 * (`_shared/pass-limit.ts`); a region with deletions left is not `finished`, the output says
 * `stoppedBy` (`count` or `time`) and `leftCount`, and the next pass lists again and goes on
 * where this one stopped. A pass killed at its timeout regardless is retried: what it deleted is
 * no longer listed, so nothing is deleted twice (its deletions are then missing from the count).
 *
 * Idempotent: sealing again writes the same tags; an image already gone
 * (`InvalidAMIID.NotFound`/`.Unavailable`) counts as deleted. `deleted` (the first
 * {@link PRUNE_LISTED_LIMIT}), `deletedCount`, `keptCount` and `finished` carry earlier passes' work forward.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
 */
export async function prune(input: PruneInput, context: TaskContext): Promise<PruneOutput> {
  const keep = new Set(input.keepImageIds);
  const deleted: DeletedImage[] = [];
  const finished = new Set(input.finished ?? []);
  const notes = new PassNotes(context);
  const limit = new PassLimit(context, PRUNE_DEREGISTERS_PER_PASS);
  let keptCount = input.keptCount ?? 0;
  let leftCount = 0;

  if (!finished.has('recovery')) {
    const left = notes.throttled.length;
    const part = await pruneRecoveryRegion(input, context, keep, deleted, notes, limit);
    if (part !== undefined) keptCount = part.kept;
    leftCount += part?.left ?? 0;
    if (notes.throttled.length === left && (part?.left ?? 0) === 0) finished.add('recovery');
  }
  // Out of count or time already: the primary region's listing waits for the next pass too.
  if (!finished.has('primary') && limit.stoppedBy === undefined) {
    const left = notes.throttled.length;
    const primary = context.ec2(input.primaryRegion);
    const sources = await notes.tolerate(`DescribeImages (source images in ${input.primaryRegion})`, () => ownImages(primary, input.planName, ROLES.sourceImage));
    let leftHere = 0;
    for (const image of staleSourceImages(sources ?? [])) {
      if (keep.has(image.ImageId ?? '')) continue;
      if (!limit.take()) {
        leftHere += 1;
        continue;
      }
      const result = await deregister(primary, input.primaryRegion, image, notes);
      if (result) deleted.push(result);
    }
    leftCount += leftHere;
    if (notes.throttled.length === left && leftHere === 0) finished.add('primary');
  }
  const isComplete = notes.throttled.length === 0 && limit.stoppedBy === undefined;
  if (!isComplete && input.deadline !== undefined) {
    const bounded = limit.stoppedBy === undefined ? [] : [`${leftCount} deletion(s) beyond this pass's bound (${limit.stoppedBy})`];
    assertBeforeDeadline(context.now, input.deadline, `prune '${context.stateName}'`, [...notes.throttled, ...bounded]);
  }
  const earlier = input.deleted ?? [];
  const deletedCount = Math.max(input.deletedCount ?? 0, earlier.length) + deleted.length;
  context.log(isComplete ? 'pruned' : 'pruned in part', { deleted: deletedCount, keptCount, left: notes.throttled.length, calls: limit.count, ...(limit.stoppedBy ? { stoppedBy: limit.stoppedBy, leftCount } : {}) });
  return {
    deleted: [...earlier, ...deleted].slice(0, PRUNE_LISTED_LIMIT),
    deletedCount,
    keptCount,
    isComplete,
    finished: [...finished].sort(),
    ...(limit.stoppedBy !== undefined ? { stoppedBy: limit.stoppedBy, leftCount } : {}),
    ...notes.output(),
  };
}

/**
 * The recovery region's part of a pass: list, seal, decide, deregister (as many as `limit`
 * allows). Returns the points kept and the deletions left for the next pass, or `undefined` when
 * nothing could be decided (the listing or the seal was left for the next pass).
 */
async function pruneRecoveryRegion(
  input: PruneInput,
  context: TaskContext,
  keep: Set<string>,
  deleted: DeletedImage[],
  notes: PassNotes,
  limit: PassLimit,
): Promise<{ kept: number; left: number } | undefined> {
  const recovery = context.ec2(input.recoveryRegion);
  const own = await notes.tolerate(`DescribeImages (recovery points in ${input.recoveryRegion})`, () => ownImages(recovery, input.planName, ROLES.recoveryPoint));
  if (!own) return undefined;
  // This run's verified points, found by their execution tag as well: a distributed backup does
  // not pass its (possibly thousands of) image ids, and its children tag copies with this
  // execution's ARN. They are kept and sealed as this run's recovery set like the listed ones.
  for (const p of own) {
    const tags = tagMap(p.Tags);
    if (p.ImageId && tags[TAG_KEYS.executionArn] === context.executionArn && tags[TAG_KEYS.verified] === VERIFIED_VALUE) keep.add(p.ImageId);
  }
  const points = await seal(recovery, own, keep, notes, context);
  if (!points) return undefined;
  const byId = new Map(points.map((img) => [img.ImageId, img]));
  let keptCount = 0;
  let left = 0;
  for (const decision of decideRecoveryPoints(points, input.retention, keep, context.now)) {
    if (!decision.isDeleted) {
      keptCount += 1;
      continue;
    }
    if (!limit.take()) {
      left += 1;
      continue;
    }
    const result = await deregister(recovery, input.recoveryRegion, byId.get(decision.imageId)!, notes);
    if (result) deleted.push(result);
  }
  // `keptCount` counts what this pass keeps; the points left for the next pass are not kept.
  return { kept: keptCount, left };
}

/**
 * Tags this run's points (`keep`) with `lifeboat:set-size`, one CreateTags call per distinct
 * size (up to 1,000 resources each), and returns the images as they are now tagged; `undefined`
 * when the set could not be sealed in this pass (noted in `notes`). Every kept image must be
 * visible: a set sealed without one of its points would never be complete.
 */
async function seal(ec2: EC2Client, images: Image[], keep: ReadonlySet<string>, notes: PassNotes, context: TaskContext): Promise<Image[] | undefined> {
  const mine = images.filter((img) => keep.has(img.ImageId ?? ''));
  if (mine.length < keep.size) {
    const seen = new Set(mine.map((img) => img.ImageId));
    const unseen = [...keep].filter((id) => !seen.has(id));
    notes.leave(
      `seal: ${unseen.length} recovery point(s) verified by this run are not listed by DescribeImages yet (${unseen.slice(0, 5).join(', ')})`,
      'Lifeboat.Transient',
    );
    return undefined;
  }
  const sizeOf = new Map<string, number>();
  for (const img of mine) {
    const workload = tagMap(img.Tags)[TAG_KEYS.workload] ?? '';
    sizeOf.set(workload, (sizeOf.get(workload) ?? 0) + 1);
  }
  const bySize = new Map<number, string[]>();
  const sealed = new Map<string, Image>();
  for (const img of mine) {
    const size = sizeOf.get(tagMap(img.Tags)[TAG_KEYS.workload] ?? '')!;
    const tags = (img.Tags ?? []).filter((t) => t.Key !== TAG_KEYS.setSize);
    sealed.set(img.ImageId!, { ...img, Tags: [...tags, { Key: TAG_KEYS.setSize, Value: String(size) }] });
    if (tagMap(img.Tags)[TAG_KEYS.setSize] === String(size)) continue; // a retry: already sealed
    bySize.set(size, [...(bySize.get(size) ?? []), img.ImageId!]);
  }
  let isSealed = true;
  for (const [size, ids] of bySize) {
    for (const part of chunk(ids, 1000)) {
      const done = await notes.tolerate(`CreateTags (lifeboat:set-size=${size} on ${part.length} recovery point(s))`, () =>
        ec2.send(new CreateTagsCommand({ Resources: part, Tags: [{ Key: TAG_KEYS.setSize, Value: String(size) }] })),
      );
      if (!done) isSealed = false;
    }
  }
  if (!isSealed) return undefined;
  if (mine.length > 0) context.log('sealed recovery set', { points: mine.length, workloads: Object.fromEntries(sizeOf) });
  return images.map((img) => sealed.get(img.ImageId ?? '') ?? img);
}

/**
 * Source images (primary region) that have served their copy: per workload, every run's but the
 * newest (by recovery-point time), except pending ones. An instance that left the workload has no
 * image in the newest run, so its older ones go too.
 */
function staleSourceImages(images: readonly Image[]): Image[] {
  const newestRun = new Map<string, { run: string; time: string }>();
  for (const img of images) {
    const tags = tagMap(img.Tags);
    const workload = tags[TAG_KEYS.workload];
    const run = tags[TAG_KEYS.executionArn];
    const time = tags[TAG_KEYS.recoveryPointTime] ?? '';
    if (!workload || !run) continue;
    const best = newestRun.get(workload);
    if (!best || time > best.time || (time === best.time && run > best.run)) newestRun.set(workload, { run, time });
  }
  return images.filter((img) => {
    const tags = tagMap(img.Tags);
    const workload = tags[TAG_KEYS.workload];
    if (!workload || !tags[TAG_KEYS.executionArn] || img.State === 'pending') return false;
    return newestRun.get(workload)?.run !== tags[TAG_KEYS.executionArn];
  });
}

async function ownImages(ec2: EC2Client, planName: string, role: string): Promise<Image[]> {
  return describeImages(ec2, {
    Owners: ['self'],
    Filters: filters({ [`tag:${TAG_KEYS.plan}`]: planName, [`tag:${TAG_KEYS.role}`]: role }),
  });
}

/** Deregisters one image; `undefined` when it was gone already or the call was left for the next pass (noted). */
async function deregister(ec2: EC2Client, region: string, image: Image, notes: PassNotes): Promise<DeletedImage | undefined> {
  const imageId = image.ImageId!;
  try {
    const res = await ec2.send(new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true }));
    // EC2 reports each backing snapshot: `success`, or `skipped` when another AMI still uses it.
    const results = res.DeleteSnapshotResults;
    const snapshotIds = results
      ? results.filter((r) => r.ReturnCode === 'success' && r.SnapshotId).map((r) => r.SnapshotId!)
      : snapshotIdsOf(image);
    return { region, imageId, snapshotIds };
  } catch (error) {
    const code = errorCodeOf(error);
    // Gone already (an earlier try deregistered it before crashing): nothing left to do.
    if (code === 'InvalidAMIID.NotFound' || code === 'InvalidAMIID.Unavailable') return undefined;
    if (isThrottledOrTransient(error)) {
      notes.leave(`DeregisterImage ${imageId} (${region})`, code);
      return undefined;
    }
    throw error;
  }
}
