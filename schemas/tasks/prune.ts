import { z } from 'zod';
import { ImageIdSchema, PlanNameSchema, RegionSchema, SnapshotIdSchema } from './common.js';

/** Input of `prune`: deletes recovery points beyond retention, and old source images. */
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
});
/** Input of `prune`. */
export type PruneInput = z.infer<typeof PruneInputSchema>;

/** One deregistered AMI and the snapshots deleted with it. */
export const DeletedImageSchema = z.strictObject({
  region: RegionSchema,
  imageId: ImageIdSchema,
  snapshotIds: z.array(SnapshotIdSchema),
});
/** One deregistered AMI. */
export type DeletedImage = z.infer<typeof DeletedImageSchema>;

/** Output of `prune`. */
export const PruneOutputSchema = z.strictObject({
  deleted: z.array(DeletedImageSchema),
  /** Recovery points kept in the recovery region. */
  keptCount: z.number().int().min(0),
});
/** Output of `prune`. */
export type PruneOutput = z.infer<typeof PruneOutputSchema>;
