import { CreateImageCommand, DeregisterImageCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { COPY_QUEUED_VALUE, ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { ImageState } from '../../schemas/tasks/common.js';
import type { ImageInput, ImageOutput } from '../../schemas/tasks/image.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstances, describeOwnImagesBy } from '../_shared/ec2.js';
import { errorCodeOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { ImageFailedError } from '../_shared/errors.js';
import { NAMED_AT_MOST, namedFirst } from '../_shared/scale.js';
import { compactTime, lifeboatTags, tagMap, withoutReserved } from '../_shared/tags.js';
import { PassLimit } from '../_shared/pass-limit.js';
import { isThrottledOrTransient, PassNotes } from '../_shared/tolerate.js';

/**
 * At most this many CreateImage calls in one pass: the largest batch (`backup.batchSize` ≤ 100),
 * so it binds only if a batch were larger. CreateImage is a mutating EC2 action (default bucket
 * 50 tokens, refilled at 5 a second: EC2 API reference, "Request throttling"): 100 calls take
 * about 10 s of the function's 180 s. The Lambda's remaining time bounds the pass too
 * (`_shared/pass-limit.ts`); an image not started is `not-started` and the next pass starts it.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export const IMAGE_CREATES_PER_PASS = 100;

type ImageRef = ImageOutput['images'][number];

/**
 * The deterministic AMI name of a target's recovery point.
 *
 * @example imageName('shop', 'web', 'i-0123456789abcdef0', '2026-11-25T10:30:00.000Z')
 *          // 'lifeboat-shop-web-i-0123456789abcdef0-20261125T103000Z'
 */
export function imageName(planName: string, workload: string, instanceId: string, recoveryPointTime: string, attempt = 0): string {
  const base = `lifeboat-${planName}-${workload}-${instanceId}-${compactTime(recoveryPointTime)}`;
  return attempt > 0 ? `${base}-r${attempt}` : base;
}

/** The redrive attempt an AMI name was made in (`-r<n>` suffix), 0 without suffix. */
export function attemptOf(name: string | undefined): number {
  const match = /-r(\d+)$/.exec(name ?? '');
  return match ? Number(match[1]) : 0;
}

/**
 * `image` (a loop task): creates, or finds, one AMI per target in the primary region and reports
 * their states.
 *
 * A pass reads only its own batch (docs/decisions/0005): the AMIs the previous pass reported, by
 * id, and, for targets without a known AMI, the deterministic name (with any `-r<n>` suffix). So
 * its EC2 work is proportional to the batch, never to the run.
 *
 * Idempotent: a target is created only after the name look-up found nothing, and EC2 refuses a
 * second AMI of the same name (`InvalidAMIName.Duplicate`, then adopted), so a retry after a
 * crash between CreateImage and the return adopts the AMI it already made.
 *
 * Tolerant: a throttled or transient read or create leaves the items concerned as the previous
 * pass reported them (and creates nothing it could not first look up); the pass reports what it
 * could and lists the throttled calls in `throttled`. With `maxInFlight`, at most that many AMIs
 * of the batch are `pending` at once.
 *
 * A `failed` AMI throws `Lifeboat.ImageFailed`, unless it dates from an earlier redrive attempt:
 * then it is deregistered (with its snapshots) and made again with the suffix `-r<redriveCount>`.
 */
export async function image(input: ImageInput, context: TaskContext): Promise<ImageOutput> {
  const ec2 = context.ec2(input.region);
  const notes = new PassNotes(context);
  const limit = new PassLimit(context, IMAGE_CREATES_PER_PASS);
  const previous = new Map((input.images ?? []).map((r) => [r.instanceId, r]));
  const baseNames = input.targets.map((t) => imageName(input.planName, t.workload, t.instanceId, input.recoveryPointTime));

  // 1. The AMIs the previous pass reported, by id. An image-id filter (not ImageIds) so that an
  //    AMI not yet visible is simply absent instead of failing the call.
  const knownIds = [...new Set(input.targets.map((t) => previous.get(t.instanceId)?.imageId).filter((id): id is string => typeof id === 'string'))];
  const byId = knownIds.length > 0 ? await notes.tolerate(`DescribeImages (${knownIds.length} AMI(s) of this batch by id)`, () => describeOwnImagesBy(ec2, 'image-id', knownIds)) : [];
  const seen = new Map<string, Image>();
  for (const img of byId ?? []) if (img.ImageId) seen.set(img.ImageId, img);

  // 2. Targets with no visible AMI yet: by deterministic name, any redrive suffix included. A target
  //    never started in this attempt needs no look-up: CreateImage refuses a second AMI of the same
  //    name (InvalidAMIName.Duplicate, then adopted), so trying it is safe and saves a call.
  const isKnown = (instanceId: string): boolean => {
    const id = previous.get(instanceId)?.imageId;
    return typeof id === 'string' && (byId === undefined || seen.has(id));
  };
  const isFresh = (instanceId: string): boolean => {
    const prev = previous.get(instanceId);
    return context.redriveCount === 0 && (prev === undefined || (prev.imageId === null && prev.state === 'not-started'));
  };
  const unknown = input.targets.map((t, i) => ({ t, base: baseNames[i] })).filter(({ t }) => !isKnown(t.instanceId) && !isFresh(t.instanceId));
  const byName =
    unknown.length > 0
      ? await notes.tolerate(`DescribeImages (${unknown.length} target(s) by name)`, () => describeOwnImagesBy(ec2, 'name', unknown.map(({ base }) => `${base}*`)))
      : [];

  const refs: ImageRef[] = [];
  const toCreate: Array<{ index: number; attempt: number; stale: Image[] }> = [];
  const failures: string[] = [];

  input.targets.forEach((target, index) => {
    const base = baseNames[index];
    const prev = previous.get(target.instanceId);
    const isRead = isKnown(target.instanceId) ? byId !== undefined : byName !== undefined;
    if (!isRead) {
      // Throttled: keep what the previous pass reported; create nothing we could not look up.
      refs.push(prev ?? ref(target, base, null, 'not-started'));
      return;
    }
    const mine = uniqueById([
      ...(prev?.imageId && seen.has(prev.imageId) ? [seen.get(prev.imageId)!] : []),
      ...(byName ?? []).filter((img) => img.Name === base || (img.Name ?? '').startsWith(`${base}-r`)),
    ])
      .filter((img) => img.State !== 'deregistered')
      .sort((a, b) => attemptOf(b.Name) - attemptOf(a.Name) || (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''));
    const latest = mine[0];
    if (!latest) {
      refs.push(ref(target, base, null, 'not-started'));
      toCreate.push({ index, attempt: 0, stale: [] });
      return;
    }
    if (latest.State === 'failed') {
      const attempt = attemptOf(latest.Name);
      if (attempt < context.redriveCount) {
        refs.push(ref(target, imageName(input.planName, target.workload, target.instanceId, input.recoveryPointTime, context.redriveCount), null, 'not-started'));
        toCreate.push({ index, attempt: context.redriveCount, stale: mine.filter((img) => img.State === 'failed' && attemptOf(img.Name) < context.redriveCount) });
        return;
      }
      const reason = latest.StateReason?.Message ?? latest.StateReason?.Code ?? 'no reason given';
      failures.push(`workload '${target.workload}' instance ${target.instanceId}: AMI ${latest.ImageId} (${latest.Name}) failed: ${reason}`);
    }
    refs.push({ ...ref(target, latest.Name ?? base, latest.ImageId ?? null, (latest.State ?? 'pending') as ImageState), ...snapshotCountOf(latest) });
  });

  if (failures.length > 0) {
    // Named up to 20 (a batch holds up to 100; a cause at most 32,768 characters), logged in full.
    if (failures.length > NAMED_AT_MOST) context.log('failed images', { failures });
    throw new ImageFailedError(`image in ${input.region}: ${namedFirst(failures, '; ', 'failed image(s)')}`);
  }

  // Spread the work: with maxInFlight, start only as many as leave at most that many pending.
  const pendingNow = refs.filter((r) => r.state === 'pending').length;
  const allowance = input.maxInFlight === undefined ? toCreate.length : Math.max(0, input.maxInFlight - pendingNow);
  if (toCreate.length > 0 && allowance > 0) {
    await createMissing(ec2, input, context, notes, refs, toCreate.slice(0, allowance), limit);
  }

  const pending = refs.filter((r) => r.state !== 'available');
  assertBeforeDeadline(
    context.now,
    input.deadline,
    `image in ${input.region}`,
    pending.map((r) => `${r.workload}/${r.instanceId} (${r.imageId ?? 'not started'}, ${r.state})`),
  );
  return { images: refs, isComplete: pending.length === 0, pendingCount: pending.length, ...notes.output() };
}

function ref(target: { workload: string; instanceId: string }, name: string, imageId: string | null, state: ImageState): ImageRef {
  return { workload: target.workload, instanceId: target.instanceId, name, imageId, state };
}

/**
 * `{ snapshotCount, largestVolumeGiB }` from an AMI's EBS mappings, when EC2 reported them: what a
 * copy of it costs against the snapshot-copy quota, and how long it roughly lasts.
 */
function snapshotCountOf(img: Image): { snapshotCount?: number; largestVolumeGiB?: number } {
  if (!img.BlockDeviceMappings) return {};
  const ebs = img.BlockDeviceMappings.filter((m) => m.Ebs?.SnapshotId);
  const sizes = ebs.map((m) => m.Ebs?.VolumeSize).filter((g): g is number => typeof g === 'number');
  return { snapshotCount: ebs.length, ...(sizes.length > 0 ? { largestVolumeGiB: Math.max(...sizes) } : {}) };
}

function uniqueById(images: Image[]): Image[] {
  const out = new Map<string, Image>();
  for (const img of images) if (img.ImageId && !out.has(img.ImageId)) out.set(img.ImageId, img);
  return [...out.values()];
}

async function createMissing(
  ec2: EC2Client,
  input: ImageInput,
  context: TaskContext,
  notes: PassNotes,
  refs: ImageRef[],
  toCreate: Array<{ index: number; attempt: number; stale: Image[] }>,
  limit: PassLimit,
): Promise<void> {
  // The instance's own tags, so that CopyImage's CopyImageTags carries them to the recovery point.
  // Throttled: create nothing this pass rather than AMIs without their tags.
  const instanceTags = new Map<string, Record<string, string>>();
  if (input.copyInstanceTags) {
    const ids = toCreate.map(({ index }) => input.targets[index].instanceId);
    const instances = await notes.tolerate(`DescribeInstances (${ids.length} instance(s) to image)`, () => describeInstances(ec2, { InstanceIds: ids }));
    if (instances === undefined) return;
    for (const instance of instances) if (instance.InstanceId) instanceTags.set(instance.InstanceId, withoutReserved(tagMap(instance.Tags)));
  }

  for (const { index, stale } of toCreate) {
    // Past the pass's bound (count or the Lambda's time): the rest stay not-started for the next pass.
    if (!limit.take()) {
      context.log('CreateImage left for the next pass', { stoppedBy: limit.stoppedBy, left: toCreate.length - limit.count });
      break;
    }
    const target = input.targets[index];
    const name = refs[index].name;
    // The failed AMI of an earlier attempt goes first, snapshots and all (if throttled, a later
    // pass that finds it by name tries again; the new AMI does not wait for it).
    for (const old of stale) {
      if (!old.ImageId) continue;
      const done = await notes.tolerate(`DeregisterImage ${old.ImageId}`, () => ec2.send(new DeregisterImageCommand({ ImageId: old.ImageId, DeleteAssociatedSnapshots: true })));
      if (done) context.log('deregistered failed image of an earlier attempt', { imageId: old.ImageId, workload: target.workload });
    }
    const tags = lifeboatTags(
      {
        planName: input.planName,
        workload: target.workload,
        sourceInstanceId: target.instanceId,
        executionArn: context.executionArn,
        recoveryPointTime: input.recoveryPointTime,
        role: ROLES.sourceImage,
      },
      { ...(instanceTags.get(target.instanceId) ?? {}), ...(input.tags ?? {}) },
    );
    try {
      const res = await ec2.send(
        new CreateImageCommand({
          InstanceId: target.instanceId,
          Name: name,
          Description: `Lifeboat recovery point of ${target.workload}/${target.instanceId} at ${input.recoveryPointTime} (plan ${input.planName})`,
          NoReboot: input.isNoReboot,
          TagSpecifications: [
            // The AMI waits in the run's copy queue until a copy pass starts its copy (tasks/copy).
            { ResourceType: 'image', Tags: [...tags, { Key: TAG_KEYS.copy, Value: COPY_QUEUED_VALUE }] },
            { ResourceType: 'snapshot', Tags: tags },
          ],
        }),
      );
      refs[index] = { ...refs[index], imageId: res.ImageId ?? null, state: res.ImageId ? 'pending' : 'not-started' };
    } catch (error) {
      if (errorCodeOf(error) === 'InvalidAMIName.Duplicate') {
        // Made by an earlier try that the name look-up could not see yet: adopt it by its name
        // (throttled: the next pass's name look-up finds it).
        const existing = await notes.tolerate(`DescribeImages (name ${name})`, () => describeOwnImagesBy(ec2, 'name', [name]));
        const found = existing?.[0];
        // Not readable now: reported `pending` without an id, so the next pass looks it up by name.
        refs[index] = found?.ImageId
          ? { ...refs[index], imageId: found.ImageId, state: (found.State ?? 'pending') as ImageState, ...snapshotCountOf(found) }
          : { ...refs[index], imageId: null, state: 'pending' };
        continue;
      }
      if (isThrottledOrTransient(error)) {
        notes.throttled.push(`CreateImage ${target.workload}/${target.instanceId}: ${errorCodeOf(error)}`);
        context.log('CreateImage left for the next pass', { workload: target.workload, instanceId: target.instanceId, error: errorCodeOf(error) });
        continue;
      }
      throw toLifeboatError(error, `CreateImage for ${target.workload}/${target.instanceId} in ${input.region}`);
    }
  }
}
