import { CopyImageCommand, CreateTagsCommand, DeregisterImageCommand, type EC2Client, type Image, type Tag } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { CopyRef, ImageRef, ImageState } from '../../schemas/tasks/common.js';
import type { CopyInput, CopyOutput } from '../../schemas/tasks/copy.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, describeOwnImagesBy, filters } from '../_shared/ec2.js';
import { errorCodeOf, lifeboatErrorNameOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { ImageFailedError, InvalidInputError } from '../_shared/errors.js';
import { clientToken, lifeboatTags, tagMap } from '../_shared/tags.js';

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
 * Idempotent twice over: it looks for this execution's copies by tags and by name first, and
 * CopyImage carries a client token derived from the execution, the source AMI and the region,
 * so EC2 itself returns the same copy for a repeated request. `ResourceLimitExceeded` (too many
 * concurrent copies), throttling and transient errors leave the item for the next pass.
 *
 * CopyImageTags may bring the source AMI's lifeboat tags (role `source-image`) along; whatever
 * EC2's precedence between copied tags and TagSpecifications, a copy found with lifeboat tags
 * other than expected is re-tagged before it is reported.
 */
export async function copy(input: CopyInput, context: TaskContext): Promise<CopyOutput> {
  const ec2 = context.ec2(input.targetRegion);
  const found = new Map<string, Image>();
  const byExecution = await describeImages(ec2, {
    Owners: ['self'],
    Filters: filters({ [`tag:${TAG_KEYS.executionArn}`]: context.executionArn, [`tag:${TAG_KEYS.plan}`]: input.planName }),
  });
  // Names only for sources the tags did not answer for (fewer calls, fewer throttles).
  const copiedSources = new Set(byExecution.map((img) => tagMap(img.Tags)[TAG_KEYS.sourceImage]));
  const untagged = input.images.filter((i) => i.imageId === null || !copiedSources.has(i.imageId)).map((i) => i.name);
  const byName = untagged.length > 0 ? await describeOwnImagesBy(ec2, 'name', untagged) : [];
  for (const img of [...byExecution, ...byName]) if (img.ImageId) found.set(img.ImageId, img);
  const candidates = [...found.values()].filter((img) => img.State !== 'deregistered');

  const copies: CopyRef[] = [];
  const failures: string[] = [];
  const retags: Array<{ imageId: string; tags: Tag[] }> = [];

  for (const source of input.images) {
    if (source.imageId === null) {
      throw new InvalidInputError(
        `task 'copy' › input.images[${input.images.indexOf(source)}].imageId: expected the AMI id of ${source.workload}/${source.instanceId}, found null (the image loop must finish first)`,
      );
    }
    const sourceImageId = source.imageId;
    if (source.state !== 'available') {
      // Not ready to copy yet: report it pending and copy it on a later pass.
      copies.push({ workload: source.workload, instanceId: source.instanceId, sourceImageId, imageId: null, state: 'not-started' });
      continue;
    }
    const mine = candidates
      .filter((img) => {
        const tags = tagMap(img.Tags);
        const isFromSource = tags[TAG_KEYS.sourceImage] === sourceImageId && tags[TAG_KEYS.executionArn] === context.executionArn;
        return isFromSource || img.Name === source.name || img.Name?.startsWith(`${source.name}-c`);
      })
      .sort((a, b) => copyAttemptOf(b.Name) - copyAttemptOf(a.Name));
    const latest = mine[0];
    const expected = expectedTags(input, context, source);
    let attempt = 0;
    if (latest?.State === 'failed') {
      if (copyAttemptOf(latest.Name) < context.redriveCount) {
        await ec2.send(new DeregisterImageCommand({ ImageId: latest.ImageId, DeleteAssociatedSnapshots: true }));
        context.log('deregistered failed copy of an earlier attempt', { imageId: latest.ImageId, workload: source.workload });
        attempt = context.redriveCount;
      } else {
        const reason = latest.StateReason?.Message ?? latest.StateReason?.Code ?? 'no reason given';
        failures.push(`workload '${source.workload}' instance ${source.instanceId}: copy ${latest.ImageId} of ${sourceImageId} failed: ${reason}`);
        continue;
      }
    } else if (latest?.ImageId) {
      if (!hasTags(latest, expected)) retags.push({ imageId: latest.ImageId, tags: expected });
      copies.push({ workload: source.workload, instanceId: source.instanceId, sourceImageId, imageId: latest.ImageId, state: (latest.State ?? 'pending') as ImageState });
      continue;
    }
    copies.push(await startCopy(ec2, input, context, source, sourceImageId, expected, attempt));
  }

  if (failures.length > 0) {
    throw new ImageFailedError(`copy to ${input.targetRegion}: ${failures.join('; ')}`);
  }
  for (const { imageId, tags } of retags) {
    await ec2.send(new CreateTagsCommand({ Resources: [imageId], Tags: tags }));
    context.log('re-applied lifeboat tags on a copy', { imageId });
  }

  const pending = copies.filter((c) => c.state !== 'available');
  assertBeforeDeadline(
    context.now,
    input.deadline,
    `copy to ${input.targetRegion}`,
    pending.map((c) => `${c.workload}/${c.instanceId} (${c.imageId ?? 'not started'}, ${c.state})`),
  );
  return { copies, isComplete: pending.length === 0, pendingCount: pending.length };
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
  source: ImageRef,
  sourceImageId: string,
  tags: Tag[],
  attempt: number,
): Promise<CopyRef> {
  const base = { workload: source.workload, instanceId: source.instanceId, sourceImageId };
  const name = copyName(source.name, attempt);
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
      const [existing] = await describeOwnImagesBy(ec2, 'name', [name]);
      if (existing?.ImageId) return { ...base, imageId: existing.ImageId, state: (existing.State ?? 'pending') as ImageState };
    }
    const kind = lifeboatErrorNameOf(error);
    // ResourceLimitExceeded: EC2's limit of concurrent copies into a region; try again next pass.
    if (code === 'ResourceLimitExceeded' || kind === 'Lifeboat.Throttled' || kind === 'Lifeboat.Transient') {
      context.log('CopyImage left for the next pass', { workload: source.workload, sourceImageId, error: code });
      return { ...base, imageId: null, state: 'not-started' };
    }
    throw toLifeboatError(error, `CopyImage ${sourceImageId} from ${input.sourceRegion} to ${input.targetRegion}`);
  }
}
