import { CopyImageCommand, CreateTagsCommand, DeregisterImageCommand, DescribeSnapshotsCommand, type EC2Client, type Image, type Tag } from '@aws-sdk/client-ec2';
import { COPY_QUOTA_DEFAULTS } from '../../schemas/plan.js';
import { ROLES } from '../../schemas/tags.js';
import type { CopyRef, ImageRef, ImageState } from '../../schemas/tasks/common.js';
import type { CopyInput, CopyOutput } from '../../schemas/tasks/copy.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, describeOwnImagesBy, filters, MAX_FILTER_VALUES, snapshotIdsOf } from '../_shared/ec2.js';
import { errorCodeOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { ImageFailedError, InvalidInputError, TimeoutError } from '../_shared/errors.js';
import { chunk, clientToken, lifeboatTags, tagMap } from '../_shared/tags.js';
import { isThrottledOrTransient, PassNotes } from '../_shared/tolerate.js';

/** Name of a copy: the source AMI's name, plus `-c<n>` when re-made after a redrive. */
export function copyName(sourceName: string, attempt = 0): string {
  return attempt > 0 ? `${sourceName}-c${attempt}` : sourceName;
}

/** The redrive attempt a copy's name was made in (`-c<n>` suffix), 0 without suffix. */
export function copyAttemptOf(name: string | undefined): number {
  const match = /-c(\d+)$/.exec(name ?? '');
  return match ? Number(match[1]) : 0;
}

/**
 * The CopyImage client token: SHA-256 hex of `executionArn|sourceImageId|targetRegion`
 * (64 characters, EC2's limit), with `|c<n>` appended for a copy re-made after a redrive.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
export function copyClientToken(executionArn: string, sourceImageId: string, targetRegion: string, attempt = 0): string {
  return attempt > 0
    ? clientToken(executionArn, sourceImageId, targetRegion, `c${attempt}`)
    : clientToken(executionArn, sourceImageId, targetRegion);
}

/**
 * `copy` (a loop task): starts, or finds, the encrypted copy of each available source AMI in the
 * target region and reports their states.
 *
 * A pass reads only its own batch (docs/decisions/0005): the copies the previous pass reported,
 * by id, and (after a redrive only) the deterministic names of sources without a known copy.
 * CopyImage carries a client token derived from the execution, the source AMI and the region, so
 * EC2 itself returns the same copy for a repeated request: a crash between CopyImage and the
 * return never makes a second copy.
 *
 * Quotas: before starting copies it counts what is in flight in the target region (one
 * DescribeImages of `pending` images and one DescribeSnapshots of their snapshots still `pending`,
 * both bounded by the quota, not by the run) and starts only what the plan's `quotas` (concurrent
 * AMI copies, concurrent snapshot copies) still allow, largest first; the rest waits
 * (`queuedCount`), and the workflow comes back soon while something waits. A copy holds a
 * snapshot slot only while that snapshot is being copied: the root volume's slot frees when its
 * copy is done, even while the data volume's copy goes on. `ResourceLimitExceeded` (another run
 * took the slots) also leaves the item for the next pass (docs/decisions/0018).
 *
 * Deadlines: with `copyTimeoutMinutes`, a started copy has that long from its own start, and
 * `deadline` only bounds how long a copy may wait for a slot; so a batch that waited behind the
 * others' copies does not fail for it.
 *
 * Tolerant: a throttled or transient call leaves the items concerned as the previous pass
 * reported them; the pass reports what it could and lists the throttled calls in `throttled`.
 *
 * CopyImageTags may bring the source AMI's lifeboat tags (role `source-image`) along; whatever
 * EC2's precedence between copied tags and TagSpecifications, a copy found with lifeboat tags
 * other than expected is re-tagged before it is reported.
 */
export async function copy(input: CopyInput, context: TaskContext): Promise<CopyOutput> {
  const ec2 = context.ec2(input.targetRegion);
  const notes = new PassNotes(context);
  const quotas = input.quotas ?? COPY_QUOTA_DEFAULTS;
  input.images.forEach((source, i) => {
    if (source.imageId === null) {
      throw new InvalidInputError(
        `task 'copy' › input.images[${i}].imageId: expected the AMI id of ${source.workload}/${source.instanceId}, found null (the image loop must finish first)`,
      );
    }
  });
  const sources = input.images as Array<ImageRef & { imageId: string }>;
  const previous = new Map((input.copies ?? []).map((c) => [c.sourceImageId, c]));
  const ready = sources.filter((s) => s.state === 'available');

  // 1. The copies the previous pass reported, by id (an image-id filter: not yet visible is no error).
  const knownIds = [...new Set(ready.map((s) => previous.get(s.imageId)?.imageId).filter((id): id is string => typeof id === 'string'))];
  const byId = knownIds.length > 0 ? await notes.tolerate(`DescribeImages (${knownIds.length} copies of this batch by id)`, () => describeOwnImagesBy(ec2, 'image-id', knownIds)) : [];
  const seen = new Map<string, Image>();
  for (const img of byId ?? []) if (img.ImageId) seen.set(img.ImageId, img);
  const isKnown = (sourceImageId: string): boolean => {
    const id = previous.get(sourceImageId)?.imageId;
    return typeof id === 'string' && (byId === undefined || seen.has(id));
  };

  // 2. After a redrive, sources without a known copy are looked up by name: a copy made before the
  //    failure (perhaps failed) must be found, not made again under the next attempt's token.
  const unknown = ready.filter((s) => !isKnown(s.imageId));
  const byName =
    context.redriveCount > 0 && unknown.length > 0
      ? await notes.tolerate(`DescribeImages (${unknown.length} copies by name)`, () => describeOwnImagesBy(ec2, 'name', unknown.map((s) => `${s.name}*`)))
      : [];

  const copies: CopyRef[] = [];
  const failures: string[] = [];
  const retags: Array<{ imageId: string; tags: Tag[] }> = [];
  const toStart: Array<{ index: number; source: ImageRef & { imageId: string }; attempt: number; stale: Image[] }> = [];

  for (const source of sources) {
    const sourceImageId = source.imageId;
    const base = { workload: source.workload, instanceId: source.instanceId, sourceImageId };
    const prev = previous.get(sourceImageId);
    if (source.state !== 'available') {
      // Not ready to copy yet: report it pending and copy it on a later pass.
      copies.push({ ...base, imageId: null, state: 'not-started' });
      continue;
    }
    const isRead = isKnown(sourceImageId) ? byId !== undefined : byName !== undefined;
    if (!isRead) {
      copies.push(prev ?? { ...base, imageId: null, state: 'not-started' });
      continue;
    }
    const mine = uniqueById([
      ...(prev?.imageId && seen.has(prev.imageId) ? [seen.get(prev.imageId)!] : []),
      ...(byName ?? []).filter((img) => img.Name === source.name || (img.Name ?? '').startsWith(`${source.name}-c`)),
    ])
      .filter((img) => img.State !== 'deregistered')
      .sort((a, b) => copyAttemptOf(b.Name) - copyAttemptOf(a.Name));
    const latest = mine[0];
    if (latest?.State === 'failed') {
      if (copyAttemptOf(latest.Name) < context.redriveCount) {
        copies.push({ ...base, imageId: null, state: 'not-started' });
        toStart.push({ index: copies.length - 1, source, attempt: context.redriveCount, stale: mine.filter((img) => img.State === 'failed') });
      } else {
        const reason = latest.StateReason?.Message ?? latest.StateReason?.Code ?? 'no reason given';
        failures.push(`workload '${source.workload}' instance ${source.instanceId}: copy ${latest.ImageId} of ${sourceImageId} failed: ${reason}`);
        copies.push(prev ?? { ...base, imageId: null, state: 'not-started' });
      }
      continue;
    }
    if (latest?.ImageId) {
      const expected = expectedTags(input, context, source);
      if (!hasTags(latest, expected)) retags.push({ imageId: latest.ImageId, tags: expected });
      copies.push({ ...base, imageId: latest.ImageId, state: (latest.State ?? 'pending') as ImageState });
      continue;
    }
    copies.push({ ...base, imageId: null, state: 'not-started' });
    toStart.push({ index: copies.length - 1, source, attempt: 0, stale: [] });
  }

  if (failures.length > 0) {
    throw new ImageFailedError(`copy to ${input.targetRegion}: ${failures.join('; ')}`);
  }
  for (const { imageId, tags } of retags) {
    const done = await notes.tolerate(`CreateTags ${imageId}`, () => ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: tags })));
    if (done) context.log('re-applied lifeboat tags on a copy', { imageId });
  }

  let queuedCount = 0;
  if (toStart.length > 0) {
    queuedCount = await startWithinQuotas(ec2, input, context, notes, quotas, copies, toStart);
  }

  const pending = copies.filter((c) => c.state !== 'available');
  const describe = (c: CopyRef) => `${c.workload}/${c.instanceId} (${c.imageId ?? (queuedCount > 0 ? 'not started: copy quota full' : 'not started')}, ${c.state})`;
  if (input.copyTimeoutMinutes === undefined) {
    assertBeforeDeadline(context.now, input.deadline, `copy to ${input.targetRegion}`, pending.map(describe));
  } else {
    // Each started copy against its own start; the copies still queued against the queue deadline.
    const limitMs = input.copyTimeoutMinutes * 60_000;
    const overdue = pending.filter((c) => {
      const started = c.imageId === null ? undefined : Date.parse(seen.get(c.imageId)?.CreationDate ?? '');
      return started !== undefined && Number.isFinite(started) && context.now.getTime() >= started + limitMs;
    });
    if (overdue.length > 0) {
      const shown = overdue.slice(0, 10).map(describe).join(', ');
      const more = overdue.length > 10 ? ` and ${overdue.length - 10} more` : '';
      throw new TimeoutError(
        `copy to ${input.targetRegion}: ${overdue.length} copy(ies) still pending at ${context.now.toISOString()}, more than copyTimeoutMinutes (${input.copyTimeoutMinutes}) after their own start (each copy has ${input.copyTimeoutMinutes} min from its own start): ${shown}${more}`,
      );
    }
    assertBeforeDeadline(
      context.now,
      input.deadline,
      `copy to ${input.targetRegion} (copies still waiting for a slot of the copy quotas)`,
      pending.filter((c) => c.imageId === null).map(describe),
    );
  }
  return {
    copies,
    isComplete: pending.length === 0,
    pendingCount: pending.length,
    ...notes.output(),
    ...(queuedCount > 0 ? { queuedCount } : {}),
  };
}

/** Copies in progress in a region: AMI copies and the snapshot copies behind them. */
export interface CopiesInFlight {
  readonly images: number;
  readonly snapshots: number;
}

/** The `pending` images that are copies (an image with a source AMI). */
export function pendingCopies(pendingImages: readonly Image[]): Image[] {
  return pendingImages.filter((img) => img.State === 'pending' && (img.SourceImageId !== undefined || img.SourceImageRegion !== undefined));
}

/**
 * Counts the copies in progress from `pending` images: an image with a source AMI is a copy. Its
 * snapshot copies in progress are those among `pendingSnapshotIds` (the snapshots still
 * `pending`); without that list (not readable), every EBS snapshot of a pending copy counts, the
 * safe side of the quota. An EBS mapping without a snapshot id counts as in progress.
 */
export function copiesInFlight(pendingImages: readonly Image[], pendingSnapshotIds?: ReadonlySet<string>): CopiesInFlight {
  const copies = pendingCopies(pendingImages);
  const snapshots = copies.reduce(
    (n, img) =>
      n +
      (img.BlockDeviceMappings ?? []).filter((m) => {
        if (m.Ebs === undefined) return false;
        const id = m.Ebs.SnapshotId;
        return pendingSnapshotIds === undefined || id === undefined || pendingSnapshotIds.has(id);
      }).length,
    0,
  );
  return { images: copies.length, snapshots };
}

/**
 * The snapshots among `snapshotIds` that are still `pending` (a filter, not SnapshotIds, so that a
 * snapshot not yet visible or already gone is simply absent), chunked to EC2's filter limit.
 */
async function pendingSnapshotIdsOf(ec2: EC2Client, snapshotIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunk([...new Set(snapshotIds)], MAX_FILTER_VALUES)) {
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters({ 'snapshot-id': part, status: 'pending' }), NextToken }));
      for (const snap of page?.Snapshots ?? []) if (snap.SnapshotId && snap.State === 'pending') out.add(snap.SnapshotId);
      NextToken = page?.NextToken || undefined;
    } while (NextToken);
  }
  return out;
}

/** Largest first: the most snapshots, then the largest volume (a copy lasts about as long as its largest snapshot). */
export function byCopySizeDescending(a: ImageRef, b: ImageRef): number {
  return (b.snapshotCount ?? 1) - (a.snapshotCount ?? 1) || (b.largestVolumeGiB ?? 0) - (a.largestVolumeGiB ?? 0);
}

/**
 * Starts as many of `toStart` as the target region's quotas allow, counting what is in flight
 * first; returns how many were held back. Nothing starts when the count itself was throttled.
 */
async function startWithinQuotas(
  ec2: EC2Client,
  input: CopyInput,
  context: TaskContext,
  notes: PassNotes,
  quotas: { concurrentAmiCopies: number; concurrentSnapshotCopies: number },
  copies: CopyRef[],
  toStart: Array<{ index: number; source: ImageRef & { imageId: string }; attempt: number; stale: Image[] }>,
): Promise<number> {
  const pendingImages = await notes.tolerate(`DescribeImages (copies in progress in ${input.targetRegion})`, () =>
    describeImages(ec2, { Owners: ['self'], Filters: filters({ state: 'pending' }) }),
  );
  if (pendingImages === undefined) return toStart.length;
  const copySnapshotIds = pendingCopies(pendingImages).flatMap(snapshotIdsOf);
  // Throttled: count every snapshot of a pending copy (fewer start this pass, never too many).
  const pendingSnapshots =
    copySnapshotIds.length > 0
      ? await notes.tolerate(`DescribeSnapshots (snapshot copies in progress in ${input.targetRegion})`, () => pendingSnapshotIdsOf(ec2, copySnapshotIds))
      : new Set<string>();
  const inFlight = copiesInFlight(pendingImages, pendingSnapshots);
  let amiSlots = quotas.concurrentAmiCopies - inFlight.images;
  let snapshotSlots = quotas.concurrentSnapshotCopies - inFlight.snapshots;
  let queued = 0;
  // The largest copies first, so that the run ends on short copies rather than a tail of long ones.
  const ordered = [...toStart].sort((a, b) => byCopySizeDescending(a.source, b.source));
  for (const item of ordered) {
    const cost = item.source.snapshotCount ?? 1;
    // An AMI with more snapshots than the whole quota may still start alone (EC2 decides).
    const fits = amiSlots >= 1 && (snapshotSlots >= cost || snapshotSlots === quotas.concurrentSnapshotCopies);
    if (!fits) {
      queued += 1;
      continue;
    }
    for (const old of item.stale) {
      if (!old.ImageId) continue;
      const done = await notes.tolerate(`DeregisterImage ${old.ImageId}`, () => ec2.send(new DeregisterImageCommand({ ImageId: old.ImageId, DeleteAssociatedSnapshots: true })));
      if (done) context.log('deregistered failed copy of an earlier attempt', { imageId: old.ImageId, workload: item.source.workload });
    }
    const result = await startCopy(ec2, input, context, notes, item.source, item.attempt);
    if (result === 'quota-full') {
      // Another run took the slots since we counted: nothing more starts this pass.
      queued += 1;
      amiSlots = 0;
      continue;
    }
    if (result.imageId !== null) {
      amiSlots -= 1;
      snapshotSlots -= cost;
    }
    copies[item.index] = result;
  }
  if (queued > 0) context.log('copies held back by the copy quotas', { queued, quotas, inFlight });
  return queued;
}

function uniqueById(images: Image[]): Image[] {
  const out = new Map<string, Image>();
  for (const img of images) if (img.ImageId && !out.has(img.ImageId)) out.set(img.ImageId, img);
  return [...out.values()];
}

function expectedTags(input: CopyInput, context: TaskContext, source: ImageRef): Tag[] {
  return lifeboatTags(
    {
      planName: input.planName,
      workload: source.workload,
      sourceInstanceId: source.instanceId,
      executionArn: context.executionArn,
      recoveryPointTime: input.recoveryPointTime,
      role: ROLES.recoveryPoint,
      sourceImageId: source.imageId ?? undefined,
    },
    input.tags ?? {},
  );
}

function hasTags(image: Image, expected: Tag[]): boolean {
  const actual = tagMap(image.Tags);
  return expected.every((t) => actual[t.Key!] === t.Value);
}

async function startCopy(
  ec2: EC2Client,
  input: CopyInput,
  context: TaskContext,
  notes: PassNotes,
  source: ImageRef & { imageId: string },
  attempt: number,
): Promise<CopyRef | 'quota-full'> {
  const sourceImageId = source.imageId;
  const base = { workload: source.workload, instanceId: source.instanceId, sourceImageId };
  const name = copyName(source.name, attempt);
  const tags = expectedTags(input, context, source);
  try {
    const res = await ec2.send(
      new CopyImageCommand({
        SourceImageId: sourceImageId,
        SourceRegion: input.sourceRegion,
        Name: name,
        Description: `Lifeboat recovery point of ${source.workload}/${source.instanceId} at ${input.recoveryPointTime}, copied from ${sourceImageId} in ${input.sourceRegion}`,
        Encrypted: true,
        KmsKeyId: input.kmsKeyId,
        CopyImageTags: input.copyTags,
        TagSpecifications: [
          { ResourceType: 'image', Tags: tags },
          { ResourceType: 'snapshot', Tags: tags },
        ],
        ClientToken: copyClientToken(context.executionArn, sourceImageId, input.targetRegion, attempt),
      }),
    );
    return { ...base, imageId: res.ImageId ?? null, state: res.ImageId ? 'pending' : 'not-started' };
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === 'InvalidAMIName.Duplicate') {
      const existing = await notes.tolerate(`DescribeImages (name ${name})`, () => describeOwnImagesBy(ec2, 'name', [name]));
      const found = existing?.[0];
      if (found?.ImageId) return { ...base, imageId: found.ImageId, state: (found.State ?? 'pending') as ImageState };
      return { ...base, imageId: null, state: 'not-started' };
    }
    // ResourceLimitExceeded: EC2's quota of concurrent copies into the region; try again next pass.
    if (code === 'ResourceLimitExceeded') {
      context.log('CopyImage held back: copy quota full', { workload: source.workload, sourceImageId });
      return 'quota-full';
    }
    if (isThrottledOrTransient(error)) {
      notes.throttled.push(`CopyImage ${sourceImageId}: ${code}`);
      context.log('CopyImage left for the next pass', { workload: source.workload, sourceImageId, error: code });
      return { ...base, imageId: null, state: 'not-started' };
    }
    throw toLifeboatError(error, `CopyImage ${sourceImageId} from ${input.sourceRegion} to ${input.targetRegion}`);
  }
}
