import { CopyImageCommand, CreateTagsCommand, DeleteTagsCommand, DeregisterImageCommand, DescribeSnapshotsCommand, type EC2Client, type Image, type Tag } from '@aws-sdk/client-ec2';
import { COPY_QUOTA_DEFAULTS } from '../../schemas/plan.js';
import { COPY_QUEUED_VALUE, ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { CopyRef, ImageRef, ImageState } from '../../schemas/tasks/common.js';
import type { CopyInput, CopyOutput } from '../../schemas/tasks/copy.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import { PassLimit } from '../_shared/pass-limit.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, describeOwnImagesBy, filters, MAX_FILTER_VALUES, snapshotIdsOf } from '../_shared/ec2.js';
import { errorCodeOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { ImageFailedError, InvalidInputError, TimeoutError } from '../_shared/errors.js';
import { NAMED_AT_MOST, namedFirst } from '../_shared/scale.js';
import { chunk, clientToken, lifeboatTags, tagMap } from '../_shared/tags.js';
import { isThrottledOrTransient, PassNotes } from '../_shared/tolerate.js';


/**
 * At most this many copies started in one pass (each a DeleteTags of its queue tag and a
 * CopyImage, both mutating EC2 actions); the rest wait in the queue for the next pass, as copies
 * held back by the quotas do (`queuedCount`).
 *
 * Why 200: a mutating action's default bucket holds 50 tokens refilled at 5 a second (EC2 API
 * reference, "Request throttling"), so 200 CopyImage calls take about 30 s of the function's
 * 180 s (`TASK_TIMEOUT_SECONDS.copy`); it is four times the default concurrent AMI-copy quota (50),
 * so it binds only for a plan whose quotas allow more. The Lambda's remaining time bounds the
 * pass too (`_shared/pass-limit.ts`).
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export const COPY_STARTS_PER_PASS = 200;

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
 * AMI copies, concurrent snapshot copies) still allow, in the run's queue order: the source AMIs
 * of the execution tagged `lifeboat:copy=queued` (any batch's, bounded by the batches running at
 * once) and this batch's own, by creation minute then largest first ({@link byRunQueueOrder});
 * the rest waits (`queuedCount`, with `nextSlotSeconds`: when this batch's turn should come), and
 * the workflow comes back then (docs/decisions/0018, "Update"). A copy holds a
 * snapshot slot only while that snapshot is being copied: the root volume's slot frees when its
 * copy is done, even while the data volume's copy goes on. `ResourceLimitExceeded` (another run
 * took the slots) also leaves the item for the next pass (docs/decisions/0018).
 *
 * Deadlines: with `copyTimeoutMinutes`, a started copy has that long from its own start, and
 * `deadline` only bounds how long a copy may wait for a slot that others hold: while every copy
 * in progress in the target region is this run's own (or a throttled count left it unknown for
 * this pass), a copy held back waits on past it (the
 * run's queue moves as each of those ends within its own deadline; the loop's pass budget bounds
 * the wait). So a batch that waited behind the others' copies does not fail for it, even when
 * the batches running at once queue more than `copyTimeoutMinutes` of copies (instances of many
 * volumes: 4 batches of 20 instances of 8 volumes are about 12 hours of the default
 * 20 snapshot copies at once).
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
  const limit = new PassLimit(context, COPY_STARTS_PER_PASS);
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
    // Named up to 20 (a batch holds up to 100; a cause at most 32,768 characters), logged in full.
    if (failures.length > NAMED_AT_MOST) context.log('failed copies', { failures });
    throw new ImageFailedError(`copy to ${input.targetRegion}: ${namedFirst(failures, '; ', 'failed copies')}`);
  }
  for (const { imageId, tags } of retags) {
    const done = await notes.tolerate(`CreateTags ${imageId}`, () => ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: tags })));
    if (done) context.log('re-applied lifeboat tags on a copy', { imageId });
  }

  let queuedCount = 0;
  let nextSlotSeconds: number | undefined;
  // Who holds the copy slots this pass: unknown until counted (a throttled read leaves it unknown).
  let slotsHeldBy: SlotHolders = 'others';
  if (copies.some((c) => c.state !== 'available')) {
    // The run's copy queue: the source AMIs of this execution still waiting for their copy, this
    // batch's and the other batches' alike (bounded by the batches running at once, not the run).
    const queue = await notes.tolerate(`DescribeImages (sources queued for a copy in ${input.sourceRegion})`, () => queuedSources(context.ec2(input.sourceRegion), context.executionArn));
    const { candidates, unresolved } = await copyCandidates(ec2, input, context, notes, copies, toStart, sources, queue);
    queuedCount = unresolved;
    if (unresolved > 0) slotsHeldBy = 'unknown';
    if (candidates.length > 0) {
      const held = await startWithinQuotas(ec2, context.ec2(input.sourceRegion), input, context, notes, quotas, copies, candidates, limit);
      queuedCount += held.queued;
      nextSlotSeconds = held.nextSlotSeconds;
      slotsHeldBy = held.slotsHeldBy;
    }
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
    // The queue deadline ends a wait for slots that others hold; behind the run's own copies
    // (batches running at once, instances of many volumes) the wait is the run's own queue,
    // which moves as each of those copies ends within its own deadline. The loop's pass budget
    // still bounds the wait (workflows/loops.ts, its near-limit guard).
    const waiting = pending.filter((c) => c.imageId === null);
    if (slotsHeldBy !== 'others' && waiting.length > 0 && context.now.getTime() >= Date.parse(input.deadline)) {
      context.log('past the queue deadline behind this run\'s own copies: still waiting for a slot', { waiting: waiting.length, deadline: input.deadline, slotsHeldBy });
    } else {
      assertBeforeDeadline(context.now, input.deadline, `copy to ${input.targetRegion} (copies still waiting for a slot of the copy quotas)`, waiting.map(describe));
    }
  }
  // Every copy started, some pending: when the last should be done, for the loop's next pass.
  const doneAt = queuedCount === 0 && pending.length > 0 && pending.every((c) => c.imageId !== null) ? await lastCompletion(ec2, notes, pending, seen, context.now.getTime()) : undefined;
  return {
    copies,
    isComplete: pending.length === 0,
    pendingCount: pending.length,
    ...notes.output(),
    ...(queuedCount > 0 ? { queuedCount } : {}),
    ...(queuedCount > 0 && nextSlotSeconds !== undefined ? { nextSlotSeconds } : {}),
    ...(doneAt !== undefined ? { doneInSeconds: Math.max(0, Math.ceil((doneAt - context.now.getTime()) / 1000)) } : {}),
  };
}

/**
 * Who holds the target region's copy slots, as a pass counted them: only this run's own copies
 * (`run`), some other copy or none at all (`others`), or not known (the count was throttled).
 */
type SlotHolders = 'run' | 'others' | 'unknown';

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
 * snapshot not yet visible or already gone is simply absent), chunked to EC2's filter limit, each
 * with when it should complete (epoch ms, {@link expectedCompletion}; undefined before 1 %).
 */
async function pendingSnapshotsOf(ec2: EC2Client, snapshotIds: readonly string[], now: number): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  for (const part of chunk([...new Set(snapshotIds)], MAX_FILTER_VALUES)) {
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters({ 'snapshot-id': part, status: 'pending' }), NextToken }));
      for (const snap of page?.Snapshots ?? []) {
        if (snap.SnapshotId && snap.State === 'pending') out.set(snap.SnapshotId, expectedCompletion(snap.StartTime, snap.Progress, now));
      }
      NextToken = page?.NextToken || undefined;
    } while (NextToken);
  }
  return out;
}

/**
 * When a snapshot copy should complete (epoch ms), from its `StartTime` and `Progress` ("47%"),
 * assuming it goes on at the pace it went so far; undefined when there is too little to go on
 * (no start, no progress yet). EC2 reports whole percents, so the middle of the percent is used.
 */
export function expectedCompletion(startTime: Date | undefined, progress: string | undefined, now: number): number | undefined {
  const percent = Number.parseFloat(progress ?? '');
  const start = startTime?.getTime();
  if (start === undefined || !Number.isFinite(start) || !Number.isFinite(percent) || percent < 1 || now <= start) return undefined;
  return start + ((now - start) * 100) / Math.min(100, percent + 0.5);
}

/**
 * When the batch's pending copies should all have their snapshots copied (epoch ms): the latest
 * expected completion of their snapshots still `pending` (one DescribeSnapshots of the batch's
 * own snapshots). Undefined when a copy was not read this pass, a snapshot has no estimate yet, or
 * the read was throttled.
 */
async function lastCompletion(ec2: EC2Client, notes: PassNotes, pending: readonly CopyRef[], seen: ReadonlyMap<string, Image>, now: number): Promise<number | undefined> {
  const images = pending.map((c) => seen.get(c.imageId ?? ''));
  if (images.some((img) => img === undefined)) return undefined;
  const ids = images.flatMap((img) => snapshotIdsOf(img!));
  if (ids.length === 0) return undefined;
  const snapshots = await notes.tolerate(`DescribeSnapshots (${ids.length} snapshot copies of this batch)`, () => pendingSnapshotsOf(ec2, ids, now));
  if (snapshots === undefined) return undefined;
  const estimates = [...snapshots.values()];
  if (estimates.some((at) => at === undefined)) return undefined;
  return Math.max(now, ...(estimates as number[]));
}

/** Largest first: the most snapshots, then the largest volume (a copy lasts about as long as its largest snapshot). */
export function byCopySizeDescending(a: ImageRef, b: ImageRef): number {
  return (b.snapshotCount ?? 1) - (a.snapshotCount ?? 1) || (b.largestVolumeGiB ?? 0) - (a.largestVolumeGiB ?? 0);
}

/** A copy this pass may start: one of this batch's (`own`), or another batch's queued source. */
export interface CopyCandidate {
  readonly source: ImageRef & { imageId: string };
  /** This batch's item: where its copy goes in the output, and the redrive attempt. */
  readonly own?: { readonly index: number; readonly attempt: number; readonly stale: Image[] };
  /** Its place in the run's queue: the source AMI's creation, to the minute (epoch ms); -Infinity first. */
  readonly rank: number;
  /** Still tagged `lifeboat:copy=queued`: the pass that starts it removes the tag first. */
  readonly isTagged: boolean;
}

/**
 * The run's copy order: by the source AMI's creation, to the minute (a batch imaged earlier copies
 * first, so no batch starves behind later ones), then largest first (the most snapshots, then the
 * largest volume), so that the run ends on short copies rather than a tail of long ones.
 */
export function byRunQueueOrder(a: CopyCandidate, b: CopyCandidate): number {
  return a.rank - b.rank || byCopySizeDescending(a.source, b.source);
}

/** The creation minute of an AMI (epoch ms), -Infinity when unknown (first in the queue). */
export function queueRank(creationDate: string | undefined): number {
  const at = Date.parse(creationDate ?? '');
  return Number.isFinite(at) ? Math.floor(at / 60_000) * 60_000 : Number.NEGATIVE_INFINITY;
}

/** The available source AMIs of an execution still tagged `lifeboat:copy=queued`. */
async function queuedSources(source: EC2Client, executionArn: string): Promise<Image[]> {
  return describeImages(source, {
    Owners: ['self'],
    Filters: filters({ [`tag:${TAG_KEYS.executionArn}`]: executionArn, [`tag:${TAG_KEYS.copy}`]: COPY_QUEUED_VALUE, state: 'available' }),
  });
}

/** `ImageRef` of a queued source AMI of another batch, from its tags; undefined without them. */
function refOfQueued(img: Image): (ImageRef & { imageId: string }) | undefined {
  const tags = tagMap(img.Tags);
  const workload = tags[TAG_KEYS.workload];
  const instanceId = tags[TAG_KEYS.sourceInstance];
  if (!img.ImageId || !img.Name || !workload || !instanceId) return undefined;
  const ebs = (img.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.SnapshotId);
  const sizes = ebs.map((m) => m.Ebs?.VolumeSize).filter((g): g is number => typeof g === 'number');
  return {
    workload,
    instanceId,
    name: img.Name,
    imageId: img.ImageId,
    state: 'available',
    snapshotCount: ebs.length,
    ...(sizes.length > 0 ? { largestVolumeGiB: Math.max(...sizes) } : {}),
  };
}

/**
 * What this pass may start, in no particular order: this batch's copies still to start and the
 * other batches' queued sources (`queue`; undefined when it could not be read: this batch's alone,
 * as before the queue). A source of this batch that is no longer queued but has no known copy was
 * claimed by another batch's pass: its copy is looked up by the `lifeboat:source-image` tag and
 * adopted into `copies` (when that read is throttled, it waits for the next pass: `unresolved`).
 */
async function copyCandidates(
  ec2: EC2Client,
  input: CopyInput,
  context: TaskContext,
  notes: PassNotes,
  copies: CopyRef[],
  toStart: Array<{ index: number; source: ImageRef & { imageId: string }; attempt: number; stale: Image[] }>,
  sources: ReadonlyArray<ImageRef & { imageId: string }>,
  queue: Image[] | undefined,
): Promise<{ candidates: CopyCandidate[]; unresolved: number }> {
  const own = (item: (typeof toStart)[number], queued: Image | undefined): CopyCandidate => ({
    source: item.source,
    own: { index: item.index, attempt: item.attempt, stale: item.stale },
    rank: queueRank(queued?.CreationDate),
    isTagged: queued !== undefined,
  });
  if (queue === undefined) return { candidates: toStart.map((item) => own(item, undefined)), unresolved: 0 };
  const queuedById = new Map(queue.filter((img) => img.ImageId).map((img) => [img.ImageId!, img]));
  const ownIds = new Set(sources.map((s) => s.imageId));
  const candidates: CopyCandidate[] = [];
  // Fresh items of this batch that left the queue without a copy we know of: started by another batch?
  const claimed = toStart.filter((item) => item.attempt === 0 && !queuedById.has(item.source.imageId));
  const found =
    claimed.length > 0
      ? await notes.tolerate(`DescribeImages (${claimed.length} copies started by other batches)`, () =>
          describeOwnImagesBy(ec2, `tag:${TAG_KEYS.sourceImage}`, claimed.map((c) => c.source.imageId), filters({ [`tag:${TAG_KEYS.executionArn}`]: context.executionArn })),
        )
      : [];
  let unresolved = 0;
  for (const item of toStart) {
    const isClaimed = claimed.includes(item);
    if (isClaimed && found === undefined) {
      unresolved += 1;
      continue;
    }
    const copyOf = isClaimed
      ? (found ?? [])
          .filter((img) => tagMap(img.Tags)[TAG_KEYS.sourceImage] === item.source.imageId && img.State !== 'deregistered' && copyAttemptOf(img.Name) === 0)
          .find((img) => img.ImageId)
      : undefined;
    if (copyOf?.ImageId) {
      copies[item.index] = { workload: item.source.workload, instanceId: item.source.instanceId, sourceImageId: item.source.imageId, imageId: copyOf.ImageId, state: (copyOf.State ?? 'pending') as ImageState };
      continue;
    }
    candidates.push(own(item, queuedById.get(item.source.imageId)));
  }
  for (const img of queue) {
    if (!img.ImageId || ownIds.has(img.ImageId)) continue;
    const source = refOfQueued(img);
    if (source) candidates.push({ source, rank: queueRank(img.CreationDate), isTagged: true });
  }
  return { candidates, unresolved };
}

/**
 * Starts as many of `candidates` as the target region's quotas allow, in the run's queue order
 * ({@link byRunQueueOrder}), counting what is in flight first; returns how many of this batch's
 * were held back. Nothing starts when the count itself was throttled. A queued source leaves the
 * queue (its tag removed) just before its CopyImage, and comes back to it if the copy did not
 * start; a copy of another batch's source is made exactly as its own batch would make it (same
 * name, tags and client token), so EC2 answers a later CopyImage of that batch with the same copy.
 */
async function startWithinQuotas(
  ec2: EC2Client,
  sourceEc2: EC2Client,
  input: CopyInput,
  context: TaskContext,
  notes: PassNotes,
  quotas: { concurrentAmiCopies: number; concurrentSnapshotCopies: number },
  copies: CopyRef[],
  candidates: CopyCandidate[],
  limit: PassLimit,
): Promise<{ queued: number; nextSlotSeconds?: number; slotsHeldBy: SlotHolders }> {
  const ownCount = candidates.filter((c) => c.own !== undefined).length;
  const pendingImages = await notes.tolerate(`DescribeImages (copies in progress in ${input.targetRegion})`, () =>
    describeImages(ec2, { Owners: ['self'], Filters: filters({ state: 'pending' }) }),
  );
  if (pendingImages === undefined) return { queued: ownCount, slotsHeldBy: 'unknown' };
  const copySnapshotIds = pendingCopies(pendingImages).flatMap(snapshotIdsOf);
  // Throttled: count every snapshot of a pending copy (fewer start this pass, never too many).
  const now = context.now.getTime();
  const pendingSnapshots =
    copySnapshotIds.length > 0
      ? await notes.tolerate(`DescribeSnapshots (snapshot copies in progress in ${input.targetRegion})`, () => pendingSnapshotsOf(ec2, copySnapshotIds, now))
      : new Map<string, number | undefined>();
  const inFlight = copiesInFlight(pendingImages, pendingSnapshots === undefined ? undefined : new Set(pendingSnapshots.keys()));
  // Every copy in progress is this run's own (each bounded by its own copyTimeoutMinutes), so a
  // copy held back now waits on the run's queue, which moves, not on a stalled or foreign one.
  const inProgress = pendingCopies(pendingImages);
  const isOwn = (img: Image) => img.Tags?.some((t) => t.Key === TAG_KEYS.executionArn && t.Value === context.executionArn) === true;
  const isAllOwn = inProgress.every(isOwn);
  let amiSlots = quotas.concurrentAmiCopies - inFlight.images;
  let snapshotSlots = quotas.concurrentSnapshotCopies - inFlight.snapshots;
  let queued = 0;
  let started = 0;
  let blocked = false;
  const heldBack: CopyCandidate[] = [];
  const holdBack = (item: CopyCandidate) => {
    heldBack.push(item);
    if (item.own !== undefined) queued += 1;
  };
  const queueTag = [{ Key: TAG_KEYS.copy, Value: COPY_QUEUED_VALUE }];
  for (const item of [...candidates].sort(byRunQueueOrder)) {
    const cost = item.source.snapshotCount ?? 1;
    // An AMI with more snapshots than the whole quota may still start alone (EC2 decides).
    const fits = amiSlots >= 1 && (snapshotSlots >= cost || snapshotSlots === quotas.concurrentSnapshotCopies);
    // Past the pass's bound (count or the Lambda's time), the rest waits in queue order as well.
    if (!fits || blocked || !limit.take()) {
      holdBack(item);
      blocked = true;
      continue;
    }
    const sourceImageId = item.source.imageId;
    // Out of the queue first, so that the copy does not carry the tag (CopyImageTags) and other
    // passes leave it alone; not removable now: it waits for a later pass.
    if (item.isTagged) {
      const removed = await notes.tolerate(`DeleteTags ${sourceImageId} (${TAG_KEYS.copy})`, () => sourceEc2.send(new DeleteTagsCommand({ Resources: [sourceImageId], Tags: queueTag })));
      if (removed === undefined) {
        holdBack(item);
        continue;
      }
    }
    for (const old of item.own?.stale ?? []) {
      if (!old.ImageId) continue;
      const done = await notes.tolerate(`DeregisterImage ${old.ImageId}`, () => ec2.send(new DeregisterImageCommand({ ImageId: old.ImageId, DeleteAssociatedSnapshots: true })));
      if (done) context.log('deregistered failed copy of an earlier attempt', { imageId: old.ImageId, workload: item.source.workload });
    }
    const result = await startCopy(ec2, input, context, notes, item.source, item.own?.attempt ?? 0);
    const isStarted = result !== 'quota-full' && result.imageId !== null;
    if (!isStarted && item.isTagged) {
      // Back into the queue (if that is throttled, its own batch still starts it: it is this batch's item there).
      await notes.tolerate(`CreateTags ${sourceImageId} (${TAG_KEYS.copy})`, () => sourceEc2.send(new CreateTagsCommand({ Resources: [sourceImageId], Tags: queueTag })));
    }
    if (result === 'quota-full') {
      // Another run took the slots since we counted: nothing more starts this pass.
      holdBack(item);
      amiSlots = 0;
      continue;
    }
    if (isStarted) {
      amiSlots -= 1;
      snapshotSlots -= cost;
      started += 1;
    }
    if (item.own !== undefined) copies[item.own.index] = result;
    else if (isStarted) context.log('started the copy of another batch\'s source', { workload: item.source.workload, sourceImageId, imageId: result.imageId });
  }
  if (queued > 0) context.log('copies held back by the copy quotas', { queued, started, quotas, inFlight, ...(limit.stoppedBy ? { stoppedBy: limit.stoppedBy } : {}) });
  const completions = [...(pendingSnapshots?.values() ?? [])].filter((at): at is number => at !== undefined);
  const isEveryCompletionKnown = pendingSnapshots !== undefined && completions.length === pendingSnapshots.size;
  const startsAt = queued > 0 ? ownTurn(heldBack, snapshotSlots, completions, isEveryCompletionKnown) : undefined;
  // The copies this pass started hold slots too (all its copies may have ended at once and freed
  // the quota, to be taken again by the next of the run's queue).
  const slotsHeldBy: SlotHolders = inProgress.length + started > 0 && isAllOwn ? 'run' : 'others';
  return { queued, slotsHeldBy, ...(startsAt !== undefined ? { nextSlotSeconds: Math.max(0, Math.ceil((startsAt - now) / 1000)) } : {}) };
}

/**
 * When this batch's first held-back copy should get its slots (epoch ms): the copies ranked ahead
 * of it take the slots first (strict queue order), so it needs as many snapshot slots as it and
 * those ahead cost, less the `freeSlots` left now; they free as the snapshot copies in progress
 * complete (`completions`, expected times). Undefined when nothing of this batch waits; the slots'
 * owner's passes come back then, not every pass at every freed slot.
 *
 * When it needs more slots than the copies in progress will free, its turn comes after the last
 * of them at the earliest: that instant when `isEveryCompletionKnown` (every snapshot copy in
 * progress has an expected completion, so none frees a slot unseen), else undefined. Without that
 * bound a batch far back in the queue came back every queued wait (30 s) for hours: with 8 EBS
 * volumes per instance, 20 snapshot slots hold two or three AMIs, and a child of batches of 20, four
 * at once, wrote 11,558 events, above plan check's worst case (bench/shapes.ts, many-volumes).
 */
export function ownTurn(heldBack: readonly CopyCandidate[], freeSlots: number, completions: readonly number[], isEveryCompletionKnown = false): number | undefined {
  let need = 0;
  for (const item of heldBack) {
    need += item.source.snapshotCount ?? 1;
    if (item.own === undefined) continue;
    const frees = need - Math.max(0, freeSlots);
    const sorted = [...completions].sort((a, b) => a - b);
    if (frees <= 0) return sorted[0] ?? Number.NEGATIVE_INFINITY;
    if (frees > sorted.length) return isEveryCompletionKnown ? sorted.at(-1) : undefined;
    return sorted[frees - 1];
  }
  return undefined;
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
