import { CreateTagsCommand, type Image, type Snapshot } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import type { VerifiedCopy, VerifyInput, VerifyOutput } from '../../schemas/tasks/verify.js';
import type { TaskContext } from '../_shared/define-task.js';
import { assertBeforeDeadline } from '../_shared/deadline.js';
import { describeOwnImagesBy, describeSnapshots, snapshotIdsOf } from '../_shared/ec2.js';
import { VerificationFailedError } from '../_shared/errors.js';
import { NAMED_AT_MOST, namedFirst } from '../_shared/scale.js';
import { chunk, tagMap } from '../_shared/tags.js';
import { PassNotes } from '../_shared/tolerate.js';

/**
 * True when a snapshot's KMS key (always reported as a key ARN) is the configured one.
 *
 * A key id or key ARN can be compared; an alias cannot be resolved without KMS (tasks call only
 * EC2 and CloudWatch), so for an alias only encryption itself is checked.
 */
export function isSameKmsKey(configured: string, actual: string | undefined): boolean {
  if (configured.startsWith('alias/') || configured.includes(':alias/')) return true;
  if (actual === undefined) return false;
  if (configured.startsWith('arn:')) return configured === actual;
  return actual.endsWith(`:key/${configured}`) || actual === configured;
}

/**
 * `verify` (a loop task): checks every copy in the recovery region and, once every check of every
 * copy passed, tags the copies and their snapshots `lifeboat:verified=true`.
 *
 * Checks per copy: the AMI is `available`; it has at least one EBS snapshot; every snapshot is
 * `completed` and encrypted (with `kmsKeyId` when set); the AMI's and the snapshots' lifeboat
 * tags equal what this execution wrote. A failed check throws `Lifeboat.VerificationFailed`
 * listing every failed check.
 *
 * A pass checks the copies the previous passes did not (`verified` in the input), reading only
 * those (DescribeImages by id filter, DescribeSnapshots by id). A throttled or transient read
 * leaves its copies for the next pass (`throttled` in the output), and a throttled CreateTags
 * leaves the tagging for the next pass; CreateTags is an upsert, so repeating it is harmless.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html
 */
export async function verify(input: VerifyInput, context: TaskContext): Promise<VerifyOutput> {
  const ec2 = context.ec2(input.region);
  const notes = new PassNotes(context);
  const problems: string[] = [];
  for (const c of input.copies.filter((c) => c.imageId === null)) problems.push(`${c.workload}/${c.instanceId}: no copy of ${c.sourceImageId} was made`);

  const checkedBefore = new Map((input.verified ?? []).map((v) => [v.imageId, v]));
  // Copies whose AMI passed in an earlier pass: only their snapshots are left to read.
  const imageOkBefore = new Map((input.snapshotsToCheck ?? []).filter((v) => !checkedBefore.has(v.imageId)).map((v) => [v.imageId, v]));
  const toCheck = input.copies.filter((c): c is typeof c & { imageId: string } => c.imageId !== null && !checkedBefore.has(c.imageId));
  const ids = toCheck.map((c) => c.imageId).filter((id) => !imageOkBefore.has(id));
  const images = new Map<string, Image>();
  const read =
    ids.length > 0
      ? await notes.tolerate(`DescribeImages (${ids.length} copies to check)`, () => describeOwnImagesBy(ec2, 'image-id', ids))
      : [];
  for (const img of read ?? []) if (img.ImageId) images.set(img.ImageId, img);

  const verified: VerifiedCopy[] = input.copies.flatMap((c) => (c.imageId !== null && checkedBefore.has(c.imageId) ? [checkedBefore.get(c.imageId)!] : []));
  // Stage 1: the AMI's own checks (state, tags, encrypted mappings), for copies read this pass.
  const imageOk: VerifiedCopy[] = [...imageOkBefore.values()];
  const imageFailed: VerifiedCopy[] = [];
  for (const c of read !== undefined ? toCheck.filter((x) => !imageOkBefore.has(x.imageId)) : []) {
    const where = `${c.workload}/${c.instanceId} copy ${c.imageId}`;
    const image = images.get(c.imageId);
    if (!image) {
      problems.push(`${where}: not found in ${input.region}`);
      continue;
    }
    const before = problems.length;
    if (image.State !== 'available') problems.push(`${where}: expected state "available", found ${JSON.stringify(image.State)}`);
    problems.push(...tagProblems(`${where}`, tagMap(image.Tags), expectedTags(input, context, c)));
    const snapIds = snapshotIdsOf(image);
    if (snapIds.length === 0) problems.push(`${where}: expected at least 1 EBS snapshot, found none`);
    for (const mapping of image.BlockDeviceMappings ?? []) {
      if (mapping.Ebs && mapping.Ebs.Encrypted !== true) {
        problems.push(`${where} ${mapping.DeviceName}: expected an encrypted EBS mapping, found encrypted=${JSON.stringify(mapping.Ebs.Encrypted ?? null)}`);
      }
    }
    // A copy with problems still has its snapshots read, so that the error lists every failed check.
    (problems.length === before ? imageOk : imageFailed).push({ workload: c.workload, instanceId: c.instanceId, imageId: c.imageId, snapshotIds: snapIds });
  }

  // Stage 2: the snapshots of every copy whose AMI passed (this pass or an earlier one).
  const snapshotIds = [...imageOk, ...imageFailed].flatMap((v) => v.snapshotIds);
  const snapshots = new Map<string, Snapshot>();
  const snaps =
    snapshotIds.length > 0 ? await notes.tolerate(`DescribeSnapshots (${snapshotIds.length} snapshot(s) of the copies)`, () => describeSnapshots(ec2, snapshotIds)) : [];
  for (const snap of snaps ?? []) if (snap.SnapshotId) snapshots.set(snap.SnapshotId, snap);
  const snapshotsToCheck: VerifiedCopy[] = snaps === undefined ? imageOk : [];
  for (const v of snaps !== undefined ? [...imageOk, ...imageFailed] : []) {
    const where = `${v.workload}/${v.instanceId} copy ${v.imageId}`;
    const before = problems.length;
    const { [TAG_KEYS.sourceImage]: _omit, ...snapshotExpected } = expectedTags(input, context, input.copies.find((c) => c.imageId === v.imageId)!);
    for (const id of v.snapshotIds) {
      const snap = snapshots.get(id);
      const at = `${where} snapshot ${id}`;
      if (!snap) {
        problems.push(`${at}: not found in ${input.region}`);
        continue;
      }
      if (snap.State !== 'completed') problems.push(`${at}: expected state "completed", found ${JSON.stringify(snap.State)}`);
      if (snap.Encrypted !== true) problems.push(`${at}: expected encrypted, found unencrypted`);
      else if (input.kmsKeyId && !isSameKmsKey(input.kmsKeyId, snap.KmsKeyId)) {
        problems.push(`${at}: expected KMS key ${JSON.stringify(input.kmsKeyId)}, found ${JSON.stringify(snap.KmsKeyId ?? null)}`);
      }
      problems.push(...tagProblems(at, tagMap(snap.Tags), snapshotExpected));
    }
    if (problems.length === before && !imageFailed.includes(v)) verified.push(v);
  }
  const staged = snapshotsToCheck.length > 0 ? { snapshotsToCheck } : {};

  if (problems.length > 0) {
    // A batch of 100 copies of several volumes each, under a wrong key, fails hundreds of checks: name
    // 20 (a Step Functions cause holds at most 32,768 characters) and log them all.
    if (problems.length > NAMED_AT_MOST) context.log('failed checks', { problems });
    throw new VerificationFailedError(`verify in ${input.region}: ${problems.length} check(s) failed: ${namedFirst(problems, '; ', 'failed check(s)')}`);
  }
  const unchecked = input.copies.length - verified.length;
  if (unchecked > 0) {
    if (input.deadline !== undefined) {
      assertBeforeDeadline(context.now, input.deadline, `verify in ${input.region}`, toCheck.filter((c) => !verified.some((v) => v.imageId === c.imageId)).map((c) => `${c.workload}/${c.instanceId} (${c.imageId}, not checked)`));
    }
    return { verified, isComplete: false, pendingCount: unchecked, ...staged, ...notes.output() };
  }
  // Every copy passed: tag them (CreateTags is an upsert; up to 1000 resource ids per call). What
  // this pass read already tagged (a retry after a crash after CreateTags) is not written again.
  const isTagged = (tags: Record<string, string>) => tags[TAG_KEYS.verified] === VERIFIED_VALUE;
  const resources = verified
    .flatMap((v) => [v.imageId, ...v.snapshotIds])
    .filter((id) => !isTagged(tagMap((images.get(id) ?? snapshots.get(id))?.Tags)));
  for (const part of chunk(resources, 1000)) {
    const done = await notes.tolerate(`CreateTags lifeboat:verified (${part.length} resource(s))`, () =>
      ec2.send(new CreateTagsCommand({ Resources: part, Tags: [{ Key: TAG_KEYS.verified, Value: VERIFIED_VALUE }] })),
    );
    if (done === undefined) {
      if (input.deadline !== undefined) assertBeforeDeadline(context.now, input.deadline, `verify in ${input.region}`, ['tagging the checked copies verified']);
      return { verified, isComplete: false, pendingCount: verified.length, ...notes.output() };
    }
  }
  context.log('verified recovery points', { count: verified.length });
  return { verified, isComplete: true, pendingCount: 0, ...notes.output() };
}

/** The lifeboat tags this execution wrote on a copy (its snapshots carry the same but the source image). */
function expectedTags(input: VerifyInput, context: TaskContext, c: VerifyInput['copies'][number]): Record<string, string> {
  return {
    [TAG_KEYS.plan]: input.planName,
    [TAG_KEYS.workload]: c.workload,
    [TAG_KEYS.sourceInstance]: c.instanceId,
    [TAG_KEYS.executionArn]: context.executionArn,
    [TAG_KEYS.recoveryPointTime]: input.recoveryPointTime,
    [TAG_KEYS.role]: ROLES.recoveryPoint,
    [TAG_KEYS.sourceImage]: c.sourceImageId,
  };
}

function tagProblems(where: string, actual: Record<string, string>, expected: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (actual[key] !== value) {
      out.push(`${where}: expected tag ${key}=${JSON.stringify(value)}, found ${key in actual ? JSON.stringify(actual[key]) : 'no such tag'}`);
    }
  }
  return out;
}
