import type { AslStateMachine } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import { fragment, jsonata, lit, objectExpr, pass, str, succeed } from '../builders.js';
import { failurePath } from '../failure.js';
import { copyQueuedWaitSeconds, loopPassCaps } from '../budget.js';
import { COPY_WAIT, IMAGE_WAIT, REDRIVE_COUNT, VERIFY_TIMEOUT_MINUTES, VERIFY_WAIT, deadlineExpr, pollLoop } from '../loops.js';
import { CREATING_RETRY, STANDARD_RETRY, catchAll, scopedFailureVars } from '../policies.js';
import type { TaskArns } from '../render-context.js';

/** State names of one batch iteration (unique across the whole backup definition). */
export const BATCH_STATES = {
  start: 'Start batch',
  image: 'Create images',
  imagesReady: 'Images available?',
  imageWait: 'Wait for images',
  copy: 'Copy images',
  copiesReady: 'Copies available?',
  copyWait: 'Wait for copies',
  verify: 'Verify copies',
  verified: 'Copies verified?',
  verifyWait: 'Wait for verification',
  done: 'Batch backed up',
  record: 'Record batch failure',
  resume: 'Resume batch after redrive?',
  failed: 'Batch failed',
} as const;

/** What a backup stopped by the near-limit guard (`Lifeboat.HistoryBudget`) should do instead. */
export const BACKUP_BUDGET_ADVICE =
  'start a new backup (the next scheduled one starts with an empty history), or split the plan: a larger backup.batchSize, shorter backup.imageTimeoutMinutes/copyTimeoutMinutes, or scale.mode "distributed" (each batch in its own history).';

/** The batch iteration's failure variables (`batchFailedStep`, ...). */
export const BATCH_FAILURE_VARS = scopedFailureVars('batch');

/**
 * Which way a batch iteration copies: a backup images in the primary region and copies to the
 * recovery region; a failback images the recovered instances in the recovery region and copies
 * back to the primary region (docs/decisions/0013-failback.md).
 */
export interface BatchRoute {
  /** The run kind recorded on failure. */
  readonly kind: 'backup' | 'failback';
  /** Where the instances run and are imaged. */
  readonly sourceRegion: string;
  /** Where the copies go and are verified. */
  readonly targetRegion: string;
  /** The KMS key for the copies, in `targetRegion`; absent: the account's default EBS key there. */
  readonly kmsKeyId?: string;
}

/** The backup's route: primary → recovery, with the plan's copy key. */
export function backupRoute(plan: Plan): BatchRoute {
  return { kind: 'backup', sourceRegion: plan.primaryRegion, targetRegion: plan.recoveryRegion, ...(plan.backup.kmsKeyId !== undefined ? { kmsKeyId: plan.backup.kmsKeyId } : {}) };
}

/**
 * One iteration of backup's `Back up batches` Map: images a batch of targets in the primary
 * region, copies them to the recovery region, and verifies the copies.
 *
 * Runs inside the Map with input `{ targets: Target[], batch: number }` and reads the outer
 * variable `$recoveryPointTime`. Its output is `{ batch, verified: [{workload, instanceId, imageId}] }`.
 * On failure it records the failure in its own scope (`Record batch failure`) and the iteration
 * fails with `Lifeboat.StepFailed`, failing the Map and the run; a redrive re-runs only this
 * iteration, from its failed step, with a fresh deadline for a loop that timed out. Sibling
 * batches the failure aborted are redriven from the state they stopped in; their loop's first
 * pass after the redrive counts its deadline from then (`redriveRefresh`).
 */
export function batchIteration(plan: Plan, arns: TaskArns, route: BatchRoute = backupRoute(plan), queuedWaitSeconds: number = copyQueuedWaitSeconds(plan)): AslStateMachine {
  const s = BATCH_STATES;
  const v = BATCH_FAILURE_VARS;
  const b = plan.backup;
  const tags: Record<string, string> = Object.keys(plan.tags).length > 0 ? { tags: lit(plan.tags) } : {};
  const kms: Record<string, string> = route.kmsKeyId !== undefined ? { kmsKeyId: str(route.kmsKeyId) } : {};
  const toRecorder = (step: string) => catchAll(step, s.record, v);
  const caps = loopPassCaps(plan);
  const budget = (maxPasses: number) => ({ maxPasses, vars: v, advice: BACKUP_BUDGET_ADVICE });

  const imageLoop = pollLoop({
    id: 'image',
    functionArn: arns('image'),
    names: { task: s.image, check: s.imagesReady, wait: s.imageWait },
    input: objectExpr(
      {
        planName: str(plan.name),
        region: str(route.sourceRegion),
        recoveryPointTime: '$recoveryPointTime',
        isNoReboot: lit(b.noReboot),
        copyInstanceTags: lit(b.copyTags),
        deadline: '$imageDeadline',
        ...(b.maxConcurrentImages !== undefined ? { maxInFlight: lit(b.maxConcurrentImages) } : {}),
        targets: '$batchTargets',
        ...tags,
      },
      { images: '$batchImages' },
    ),
    assign: { batchImages: jsonata('$states.result.Payload.images') },
    retry: CREATING_RETRY,
    catch: toRecorder(s.image),
    pollsVar: 'imagePolls',
    ladder: IMAGE_WAIT,
    budget: budget(caps.image),
    redriveRefresh: { imageDeadline: deadlineExpr(b.imageTimeoutMinutes) },
    done: s.copy,
    doneAssign: { copyDeadline: deadlineExpr(b.copyTimeoutMinutes) },
    comment: 'Creates (or finds) one AMI per target in the primary region and reports their state.',
  });

  const copyLoop = pollLoop({
    id: 'copy',
    functionArn: arns('copy'),
    names: { task: s.copy, check: s.copiesReady, wait: s.copyWait },
    input: objectExpr(
      {
        planName: str(plan.name),
        sourceRegion: str(route.sourceRegion),
        targetRegion: str(route.targetRegion),
        recoveryPointTime: '$recoveryPointTime',
        ...kms,
        copyTags: lit(b.copyTags),
        deadline: '$copyDeadline',
        copyTimeoutMinutes: lit(b.copyTimeoutMinutes),
        quotas: lit(b.copyQuotas),
        images: '$batchImages',
        ...tags,
      },
      { copies: '$batchCopies' },
    ),
    assign: { batchCopies: jsonata('$states.result.Payload.copies') },
    retry: CREATING_RETRY,
    catch: toRecorder(s.copy),
    pollsVar: 'copyPolls',
    ladder: COPY_WAIT,
    queuedWaitSeconds,
    // The loop started copyTimeoutMinutes before its (queue) deadline.
    finishHint: true,
    timedQueuedWait: { startMillis: `$toMillis($copyDeadline) - ${b.copyTimeoutMinutes * 60_000}` },
    budget: budget(caps.copy),
    redriveRefresh: { copyDeadline: deadlineExpr(b.copyTimeoutMinutes) },
    done: s.verify,
    doneAssign: { verifyDeadline: deadlineExpr(VERIFY_TIMEOUT_MINUTES) },
    comment: 'Copies each available AMI to the recovery region (encrypted), within the copy quotas, and reports the copies\' state.',
  });

  const verifyLoop = pollLoop({
    id: 'verify',
    functionArn: arns('verify'),
    names: { task: s.verify, check: s.verified, wait: s.verifyWait },
    input: objectExpr(
      {
        planName: str(plan.name),
        region: str(route.targetRegion),
        recoveryPointTime: '$recoveryPointTime',
        ...kms,
        deadline: '$verifyDeadline',
        copies: '$batchCopies',
      },
      { verified: '$batchVerified', snapshotsToCheck: '$batchSnapshotsToCheck' },
    ),
    assign: {
      batchVerified: jsonata('$states.result.Payload.verified'),
      batchSnapshotsToCheck: jsonata('$exists($states.result.Payload.snapshotsToCheck) ? $states.result.Payload.snapshotsToCheck : null'),
    },
    retry: STANDARD_RETRY,
    catch: toRecorder(s.verify),
    pollsVar: 'verifyPolls',
    ladder: VERIFY_WAIT,
    budget: budget(caps.verify),
    redriveRefresh: { verifyDeadline: deadlineExpr(VERIFY_TIMEOUT_MINUTES) },
    done: s.done,
    comment: 'Checks each copy (state, snapshots, encryption, tags) and, once all passed, tags them verified.',
  });

  const states = fragment(
    {
      [s.start]: pass({
        comment: 'Batch constants: its targets, and the image deadline counted from now.',
        assign: {
          batchTargets: jsonata('$states.input.targets'),
          batchNumber: jsonata('$states.input.batch'),
          batchImages: null,
          batchCopies: null,
          batchVerified: null,
          batchSnapshotsToCheck: null,
          imagePolls: 0,
          imagePollsQuick: 0,
          imagePollsSpent: 0,
          imagePollsRedrive: jsonata(REDRIVE_COUNT),
          copyPolls: 0,
          copyPollsQuick: 0,
          copyPollsFinish: 0,
          copyPollsSpent: 0,
          copyPollsRedrive: jsonata(REDRIVE_COUNT),
          verifyPolls: 0,
          verifyPollsQuick: 0,
          verifyPollsSpent: 0,
          verifyPollsRedrive: jsonata(REDRIVE_COUNT),
          verifyDeadline: null,
          imageDeadline: deadlineExpr(b.imageTimeoutMinutes),
        },
        next: s.image,
      }),
    },
    imageLoop,
    copyLoop,
    verifyLoop,
    {
      [s.done]: succeed({
        output: jsonata('{"batch": $batchNumber, "verified": [$batchVerified.{"workload": workload, "instanceId": instanceId, "imageId": imageId}]}'),
      }),
    },
    failurePath({
      kind: route.kind,
      planName: plan.name,
      region: route.sourceRegion,
      vars: v,
      names: { record: s.record, resume: s.resume, failed: s.failed },
      isFinal: true,
      resumable: [
        { step: s.image, assign: { imageDeadline: deadlineExpr(b.imageTimeoutMinutes), imagePolls: 0, imagePollsQuick: 0 } },
        { step: s.copy, assign: { copyDeadline: deadlineExpr(b.copyTimeoutMinutes), copyPolls: 0, copyPollsQuick: 0, copyPollsFinish: 0 } },
        { step: s.verify, assign: { verifyDeadline: deadlineExpr(VERIFY_TIMEOUT_MINUTES), verifyPolls: 0, verifyPollsQuick: 0 } },
      ],
      causePrefix: `'batch ' & $batchNumber & ':'`,
      functionArn: arns('record-failure'),
    }),
  );
  return { StartAt: s.start, States: states };
}
