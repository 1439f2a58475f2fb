import * as z from 'zod';
import { ImageIdSchema, IsoTimeSchema, PassStopSchema, PlanNameSchema, RegionSchema, SnapshotIdSchema, ThrottledCallsSchema } from './common.js';

/** One deregistered AMI and the snapshots deleted with it. */
export const DeletedImageSchema = z.strictObject({
  region: RegionSchema,
  imageId: ImageIdSchema,
  snapshotIds: z.array(SnapshotIdSchema),
});
/** One deregistered AMI. */
export type DeletedImage = z.infer<typeof DeletedImageSchema>;

/**
 * At most this many deleted images are listed in `deleted` (the count is `deletedCount`): the
 * second backup of a 5,000-instance plan deregisters 5,000 source images, whose listing alone
 * would pass Step Functions' 256 KiB payload quota.
 */
export const PRUNE_LISTED_LIMIT = 50;

/** A region's part of `prune`: `recovery` (seal and retention), `primary` (stale source images). */
export const PruneRegionSchema = z.enum(['primary', 'recovery']);

/**
 * Input of `prune`, one pass of a loop: deletes recovery points beyond retention, and old source
 * images; a throttled call is left for the next pass (docs/decisions/0005).
 */
export const PruneInputSchema = z.strictObject({
  planName: PlanNameSchema,
  primaryRegion: RegionSchema,
  recoveryRegion: RegionSchema,
  retention: z
    .strictObject({ count: z.number().int().min(1).optional(), maxAgeDays: z.number().int().min(1).optional() })
    .refine((r) => r.count !== undefined || r.maxAgeDays !== undefined, {
      error: 'at least one of "count" and "maxAgeDays"',
    }),
  /** Images never deleted by this run (e.g. the ones it just made). */
  keepImageIds: z.array(ImageIdSchema),
  /** The loop's deadline: a pass past it with work left fails with `Lifeboat.Timeout`. Absent: no deadline. */
  deadline: IsoTimeSchema.optional(),
  /** What earlier passes deleted as the previous pass listed it (`deleted`), carried forward. */
  deleted: z.array(DeletedImageSchema).max(PRUNE_LISTED_LIMIT).optional(),
  /** How many images earlier passes deleted (the previous pass's `deletedCount`). */
  deletedCount: z.number().int().min(0).optional(),
  /** The previous pass's `keptCount`, kept when this pass cannot list the recovery region. */
  keptCount: z.number().int().min(0).optional(),
  /** The previous pass's `finished`: regions whose part is done and that this pass skips. */
  finished: z.array(PruneRegionSchema).optional(),
});
/** Input of `prune`. */
export type PruneInput = z.infer<typeof PruneInputSchema>;

/** Output of `prune`. */
export const PruneOutputSchema = z.strictObject({
  /** The first {@link PRUNE_LISTED_LIMIT} images deleted by this pass and the earlier ones. */
  deleted: z.array(DeletedImageSchema).max(PRUNE_LISTED_LIMIT),
  /** How many images this pass and the earlier ones deleted (listed or not). */
  deletedCount: z.number().int().min(0),
  /** Recovery points kept in the recovery region. */
  keptCount: z.number().int().min(0),
  /** True once both regions' parts are finished: every deletion retention asks for is done. */
  isComplete: z.boolean(),
  /** The regions whose part is done (a pass with nothing throttled there); the next pass skips them. */
  finished: z.array(PruneRegionSchema),
  /**
   * Present when the pass stopped early on its bound (tasks/prune: `count`, at most
   * `PRUNE_DEREGISTERS_PER_PASS` DeregisterImage calls; `time`, the Lambda's remaining time ran
   * short): the loop's next pass comes at once and goes on where this one stopped.
   */
  stoppedBy: PassStopSchema.optional(),
  /** With `stoppedBy`: how many deletions this pass left for the next one. */
  leftCount: z.number().int().min(0).optional(),
  throttled: ThrottledCallsSchema,
});
/** Output of `prune`. */
export type PruneOutput = z.infer<typeof PruneOutputSchema>;
