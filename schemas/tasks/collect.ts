import * as z from 'zod';
import { PassStopSchema, PlanNameSchema, RegionSchema } from './common.js';

/** At most this many removals are listed per kind in one pass's output (the counts are complete). */
export const COLLECT_LIST_LIMIT = 50;

/**
 * Input of `collect`: removes, in one region, what the plan's runs left behind (docs/contracts.md,
 * "Collector"). Only `region` is changed.
 */
export const CollectInputSchema = z.strictObject({
  planName: PlanNameSchema,
  /** The region to collect in. */
  region: RegionSchema,
  /**
   * In the primary region: the recovery region, where a source AMI's verified copies are looked
   * up (source AMIs are collected here, copies are not). Null in the recovery region (copies are
   * collected there; it never needs the primary region).
   */
  copiesRegion: RegionSchema.nullable(),
  /** List what would be removed, remove nothing. */
  isDryRun: z.boolean(),
  /**
   * Images and snapshots of a backup are collected only once its execution has been closed this
   * long, so that a failed backup can still be redriven in that window (drill instances of a
   * closed execution are terminated at once).
   */
  graceMinutes: z.number().int().min(0).max(20160),
  /** Who collects, recorded in the `lifeboat:collected-by` tag (the collector's execution ARN, or `lifeboat collect`). */
  collectedBy: z.string().min(1).max(256),
  /** Most removals in one pass (the rest in the next pass): keeps a pass well inside the Lambda timeout. */
  maxRemovals: z.number().int().min(1).max(1000),
});
/** Input of `collect`. */
export type CollectInput = z.infer<typeof CollectInputSchema>;

/** Why a resource is (or would be) removed. */
export const CollectReasonSchema = z.enum([
  /** A drill instance whose execution is over. */
  'drill-instance-of-finished-execution',
  /** A source AMI of a backup that is over, with no verified copy. */
  'unverified-source-image',
  /** A copy that was never verified, of a backup that is over. */
  'unverified-copy',
  /** A snapshot that no image uses any more, of an execution that is over. */
  'snapshot-of-deregistered-image',
]);

/** One removed (or, in a dry run, removable) resource. */
export const CollectedSchema = z.strictObject({
  resourceId: z.string().min(1),
  kind: z.enum(['instance', 'image', 'snapshot']),
  reason: CollectReasonSchema,
  executionArn: z.string().nullable(),
  /** The execution's status when it was checked (`FAILED`, `ABORTED`, …; `GONE` when Step Functions no longer has it). */
  executionStatus: z.string(),
});
/** One removed resource. */
export type Collected = z.infer<typeof CollectedSchema>;

/** Output of `collect`: one pass. */
export const CollectOutputSchema = z.strictObject({
  region: RegionSchema,
  isDryRun: z.boolean(),
  /** Removed this pass (in a dry run: would be removed), at most {@link COLLECT_LIST_LIMIT} per kind. */
  removed: z.array(CollectedSchema),
  counts: z.strictObject({ instances: z.number().int().min(0), images: z.number().int().min(0), snapshots: z.number().int().min(0) }),
  /** Resources left alone because their execution is still running (or being redriven). */
  keptRunning: z.number().int().min(0),
  /** Images and snapshots left alone because their backup closed less than `graceMinutes` ago (it may still be redriven). */
  keptRecent: z.number().int().min(0),
  /** Resources left for a later pass: a throttled or failed call, an execution whose status could not be read, or the per-pass limit. */
  deferred: z.number().int().min(0),
  /** What deferred the last item, or null. */
  lastError: z.string().nullable(),
  /** True when nothing was deferred: another pass now would find nothing more. */
  isComplete: z.boolean(),
  /** Present when the pass deferred removals on its bound: `count` (`maxRemovals`) or `time` (the Lambda's remaining time ran short). */
  stoppedBy: PassStopSchema.optional(),
});
/** Output of `collect`. */
export type CollectOutput = z.infer<typeof CollectOutputSchema>;
