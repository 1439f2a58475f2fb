import { DeregisterImageCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import type { DeletedImage, PruneInput, PruneOutput } from '../../schemas/tasks/prune.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, filters, snapshotIdsOf } from '../_shared/ec2.js';
import { errorCodeOf } from '../_shared/ec2-errors.js';
import { tagMap } from '../_shared/tags.js';

const DAY_MS = 86_400_000;

/** What prune decided about one image, for its tests and its log. */
export interface PruneDecision {
  readonly imageId: string;
  readonly isDeleted: boolean;
  readonly reason: string;
}

/** The time an image stands for: its recovery-point-time tag, else its creation date. */
function timeOf(image: Image): number {
  const tagged = Date.parse(tagMap(image.Tags)[TAG_KEYS.recoveryPointTime] ?? '');
  return Number.isNaN(tagged) ? Date.parse(image.CreationDate ?? '') || 0 : tagged;
}

function groupBySource(images: Image[]): Map<string, Image[]> {
  const groups = new Map<string, Image[]>();
  for (const image of images) {
    const source = tagMap(image.Tags)[TAG_KEYS.sourceInstance] ?? '(untagged)';
    groups.set(source, [...(groups.get(source) ?? []), image]);
  }
  for (const list of groups.values()) list.sort((a, b) => timeOf(b) - timeOf(a) || (b.ImageId ?? '').localeCompare(a.ImageId ?? ''));
  return groups;
}

/**
 * Decides which recovery points of one source instance go (newest first in `points`).
 *
 * Rules: never the newest verified point; never one in `keep`; never one still `pending` (a copy
 * in flight); a `failed` copy always goes; an `available` one goes when it is beyond `count`
 * among the available points or older than `maxAgeDays` (relative to `now`).
 */
export function decideRecoveryPoints(points: Image[], retention: PruneInput['retention'], keep: ReadonlySet<string>, now: Date): PruneDecision[] {
  const newestVerified = points.find((p) => p.State === 'available' && tagMap(p.Tags)[TAG_KEYS.verified] === VERIFIED_VALUE);
  let rank = 0;
  return points.map((p) => {
    const imageId = p.ImageId ?? '';
    if (p.State === 'available') rank += 1;
    if (p === newestVerified) return { imageId, isDeleted: false, reason: 'newest verified point' };
    if (keep.has(imageId)) return { imageId, isDeleted: false, reason: 'in keepImageIds' };
    if (p.State === 'pending') return { imageId, isDeleted: false, reason: 'pending' };
    if (p.State === 'failed') return { imageId, isDeleted: true, reason: 'failed copy' };
    if (p.State !== 'available') return { imageId, isDeleted: false, reason: `state ${p.State}` };
    if (retention.count !== undefined && rank > retention.count) return { imageId, isDeleted: true, reason: `beyond count ${retention.count}` };
    if (retention.maxAgeDays !== undefined && now.getTime() - timeOf(p) > retention.maxAgeDays * DAY_MS) {
      return { imageId, isDeleted: true, reason: `older than ${retention.maxAgeDays} days` };
    }
    return { imageId, isDeleted: false, reason: 'within retention' };
  });
}

/**
 * `prune`: deletes recovery points beyond retention in the recovery region, and all but the
 * newest source image per instance in the primary region, each AMI with its snapshots
 * (DeregisterImage with DeleteAssociatedSnapshots).
 *
 * Idempotent: an image already gone (`InvalidAMIID.NotFound`/`.Unavailable`) counts as deleted.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html
 */
export async function prune(input: PruneInput, context: TaskContext): Promise<PruneOutput> {
  const keep = new Set(input.keepImageIds);
  const deleted: DeletedImage[] = [];

  const recovery = context.ec2(input.recoveryRegion);
  const points = await ownImages(recovery, input.planName, ROLES.recoveryPoint);
  // Never a point made by this very run: a distributed backup does not pass its (possibly
  // thousands of) verified image ids, and its copies carry this execution's ARN.
  for (const p of points) if (p.ImageId && tagMap(p.Tags)[TAG_KEYS.executionArn] === context.executionArn) keep.add(p.ImageId);
  let keptCount = 0;
  for (const group of groupBySource(points).values()) {
    const byId = new Map(group.map((img) => [img.ImageId, img]));
    for (const decision of decideRecoveryPoints(group, input.retention, keep, context.now)) {
      if (!decision.isDeleted) {
        keptCount += 1;
        continue;
      }
      const result = await deregister(recovery, input.recoveryRegion, byId.get(decision.imageId)!);
      if (result) deleted.push(result);
    }
  }

  const primary = context.ec2(input.primaryRegion);
  const sources = await ownImages(primary, input.planName, ROLES.sourceImage);
  for (const group of groupBySource(sources).values()) {
    // The newest source image per instance stays; older ones have served their copy.
    for (const image of group.slice(1)) {
      if (keep.has(image.ImageId ?? '') || image.State === 'pending') continue;
      const result = await deregister(primary, input.primaryRegion, image);
      if (result) deleted.push(result);
    }
  }
  context.log('pruned', { deleted: deleted.length, keptCount });
  return { deleted, keptCount };
}

async function ownImages(ec2: EC2Client, planName: string, role: string): Promise<Image[]> {
  return describeImages(ec2, {
    Owners: ['self'],
    Filters: filters({ [`tag:${TAG_KEYS.plan}`]: planName, [`tag:${TAG_KEYS.role}`]: role }),
  });
}

async function deregister(ec2: EC2Client, region: string, image: Image): Promise<DeletedImage | undefined> {
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
    throw error;
  }
}
