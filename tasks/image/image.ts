import { CreateImageCommand, DeregisterImageCommand, type EC2Client, type Image } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { ImageState } from '../../schemas/tasks/common.js';
import type { ImageInput, ImageOutput } from '../../schemas/tasks/image.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, describeInstances, describeOwnImagesBy, filters } from '../_shared/ec2.js';
import { errorCodeOf, lifeboatErrorNameOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { ImageFailedError } from '../_shared/errors.js';
import { compactTime, lifeboatTags, tagMap, withoutReserved } from '../_shared/tags.js';

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
 * Idempotent: before creating, it looks for this execution's images by tags
 * (`lifeboat:execution-arn`, `lifeboat:source-instance`) and by the deterministic name, so a
 * retry after a crash between CreateImage and the return adopts the AMI it already made.
 * Throttled or transient CreateImage calls leave the item `not-started` for the next pass.
 * A `failed` AMI throws `Lifeboat.ImageFailed`, unless it dates from an earlier redrive attempt:
 * then it is deregistered (with its snapshots) and made again with the suffix `-r<redriveCount>`.
 */
export async function image(input: ImageInput, context: TaskContext): Promise<ImageOutput> {
  const ec2 = context.ec2(input.region);
  const baseNames = input.targets.map((t) => imageName(input.planName, t.workload, t.instanceId, input.recoveryPointTime));

  const found = new Map<string, Image>();
  const byExecution = await describeImages(ec2, {
    Owners: ['self'],
    Filters: filters({
      [`tag:${TAG_KEYS.executionArn}`]: context.executionArn,
      [`tag:${TAG_KEYS.role}`]: ROLES.sourceImage,
    }),
  });
  // The name look-up is only for targets the tags did not answer for: fewer calls per pass means
  // fewer chances to be throttled.
  const taggedInstances = new Set(byExecution.map((img) => tagMap(img.Tags)[TAG_KEYS.sourceInstance]));
  const untaggedNames = [
    ...baseNames.filter((_, i) => !taggedInstances.has(input.targets[i].instanceId)),
    ...(input.images ?? []).filter((i) => !taggedInstances.has(i.instanceId)).map((i) => i.name),
  ];
  const byName = untaggedNames.length > 0 ? await describeOwnImagesBy(ec2, 'name', untaggedNames) : [];
  for (const img of [...byExecution, ...byName]) if (img.ImageId) found.set(img.ImageId, img);
  const candidates = [...found.values()].filter((img) => img.State !== 'deregistered');

  const refs: ImageRef[] = [];
  const toCreate: Array<{ index: number; attempt: number }> = [];
  const failures: string[] = [];

  input.targets.forEach((target, index) => {
    const base = baseNames[index];
    const mine = candidates
      .filter((img) => {
        const tags = tagMap(img.Tags);
        const isThisRun = tags[TAG_KEYS.executionArn] === context.executionArn && tags[TAG_KEYS.sourceInstance] === target.instanceId;
        return isThisRun || img.Name === base || (img.Name ?? '').startsWith(`${base}-r`);
      })
      .sort((a, b) => attemptOf(b.Name) - attemptOf(a.Name) || (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''));
    const latest = mine[0];
    if (!latest) {
      refs.push(ref(target, base, null, 'not-started'));
      toCreate.push({ index, attempt: 0 });
      return;
    }
    if (latest.State === 'failed') {
      const attempt = attemptOf(latest.Name);
      if (attempt < context.redriveCount) {
        refs.push(ref(target, imageName(input.planName, target.workload, target.instanceId, input.recoveryPointTime, context.redriveCount), null, 'not-started'));
        toCreate.push({ index, attempt: context.redriveCount });
        return;
      }
      const reason = latest.StateReason?.Message ?? latest.StateReason?.Code ?? 'no reason given';
      failures.push(`workload '${target.workload}' instance ${target.instanceId}: AMI ${latest.ImageId} (${latest.Name}) failed: ${reason}`);
    }
    refs.push(ref(target, latest.Name ?? base, latest.ImageId ?? null, (latest.State ?? 'pending') as ImageState));
  });

  if (failures.length > 0) {
    throw new ImageFailedError(`image in ${input.region}: ${failures.join('; ')}`);
  }

  if (toCreate.length > 0) {
    await createMissing(ec2, input, context, refs, toCreate, candidates);
  }

  const pending = refs.filter((r) => r.state !== 'available');
  assertBeforeDeadline(
    context.now,
    input.deadline,
    `image in ${input.region}`,
    pending.map((r) => `${r.workload}/${r.instanceId} (${r.imageId ?? 'not started'}, ${r.state})`),
  );
  return { images: refs, isComplete: pending.length === 0, pendingCount: pending.length };
}

function ref(target: { workload: string; instanceId: string }, name: string, imageId: string | null, state: ImageState): ImageRef {
  return { workload: target.workload, instanceId: target.instanceId, name, imageId, state };
}

async function createMissing(
  ec2: EC2Client,
  input: ImageInput,
  context: TaskContext,
  refs: ImageRef[],
  toCreate: Array<{ index: number; attempt: number }>,
  candidates: Image[],
): Promise<void> {
  // The instance's own tags, so that CopyImage's CopyImageTags carries them to the recovery point.
  const instanceTags = new Map<string, Record<string, string>>();
  if (input.copyInstanceTags) {
    const instances = await describeInstances(ec2, { InstanceIds: toCreate.map(({ index }) => input.targets[index].instanceId) });
    for (const instance of instances) if (instance.InstanceId) instanceTags.set(instance.InstanceId, withoutReserved(tagMap(instance.Tags)));
  }

  for (const { index, attempt } of toCreate) {
    const target = input.targets[index];
    const name = refs[index].name;
    if (attempt > 0) {
      // The failed AMI of an earlier attempt goes first, snapshots and all.
      for (const old of candidates) {
        const tags = tagMap(old.Tags);
        const isOld = old.State === 'failed' && (tags[TAG_KEYS.sourceInstance] === target.instanceId || old.Name?.startsWith(refs[index].name.replace(/-r\d+$/, '')));
        if (isOld && old.ImageId && attemptOf(old.Name) < attempt) {
          await ec2.send(new DeregisterImageCommand({ ImageId: old.ImageId, DeleteAssociatedSnapshots: true }));
          context.log('deregistered failed image of an earlier attempt', { imageId: old.ImageId, workload: target.workload });
        }
      }
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
            { ResourceType: 'image', Tags: tags },
            { ResourceType: 'snapshot', Tags: tags },
          ],
        }),
      );
      refs[index] = { ...refs[index], imageId: res.ImageId ?? null, state: res.ImageId ? 'pending' : 'not-started' };
    } catch (error) {
      if (errorCodeOf(error) === 'InvalidAMIName.Duplicate') {
        // Made by an earlier try whose tags we could not see yet: adopt it by its name.
        const [existing] = await describeOwnImagesBy(ec2, 'name', [name]);
        if (existing?.ImageId) {
          refs[index] = { ...refs[index], imageId: existing.ImageId, state: (existing.State ?? 'pending') as ImageState };
          continue;
        }
      }
      const kind = lifeboatErrorNameOf(error);
      if (kind === 'Lifeboat.Throttled' || kind === 'Lifeboat.Transient') {
        context.log('CreateImage left for the next pass', { workload: target.workload, instanceId: target.instanceId, error: errorCodeOf(error) });
        continue;
      }
      throw toLifeboatError(error, `CreateImage for ${target.workload}/${target.instanceId} in ${input.region}`);
    }
  }
}
