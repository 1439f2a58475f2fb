import * as z from 'zod';
import { CopyRefSchema, ExtraTagsSchema, ImageRefSchema, IsoTimeSchema, KmsKeyIdSchema, LoopProgressSchema, PlanNameSchema, RegionSchema } from './common.js';

/** Input of `copy` (a loop task): copies each available source AMI to the recovery region. */
export const CopyInputSchema = z.strictObject({
  planName: PlanNameSchema,
  sourceRegion: RegionSchema,
  targetRegion: RegionSchema,
  recoveryPointTime: IsoTimeSchema,
  /** Absent: EC2 uses the account's default EBS key in the target region. */
  kmsKeyId: KmsKeyIdSchema.optional(),
  /** CopyImage `CopyImageTags`: the source AMI's user tags travel to the copy. */
  copyTags: z.boolean(),
  /**
   * With `copyTimeoutMinutes`: the time by which every copy must have *started* (a copy still
   * queued behind the copy quotas then fails the loop). Without it: the time by which every copy
   * must be available (the former batch-wide deadline).
   */
  deadline: IsoTimeSchema,
  /**
   * How long one copy may take from its own start (its `CreationDate`): a started copy still
   * pending after that fails the loop, whatever the time it waited in the queue for a slot
   * (docs/decisions/0018). Absent: `deadline` bounds every copy.
   */
  copyTimeoutMinutes: z.number().int().min(1).optional(),
  images: z.array(ImageRefSchema),
  /**
   * The target region's quotas on copies in progress (the plan's `backup.copyQuotas`). Absent:
   * AWS's defaults (50 AMI copies, 20 snapshot copies per destination region).
   */
  quotas: z
    .strictObject({
      concurrentAmiCopies: z.number().int().min(1),
      concurrentSnapshotCopies: z.number().int().min(1),
    })
    .optional(),
  /** The previous pass's output, absent on the first pass. */
  copies: z.array(CopyRefSchema).optional(),
  /** Extra tags from the plan (`tags`). Lifeboat extension to the contract; optional. */
  tags: ExtraTagsSchema.optional(),
});
/** Input of `copy`. */
export type CopyInput = z.infer<typeof CopyInputSchema>;

/** Output of `copy`. */
export const CopyOutputSchema = z.strictObject({
  copies: z.array(CopyRefSchema),
  ...LoopProgressSchema,
  /** Copies held back this pass because the target region's copy quotas were full. Absent when none. */
  queuedCount: z.number().int().min(0).optional(),
  /**
   * With `queuedCount`: about how many seconds until the next snapshot copy in progress in the
   * target region completes and frees a slot (estimated from its `StartTime` and `Progress`).
   * The copy loop may come back then rather than after its queued wait (docs/decisions/0018, "Update").
   */
  nextSlotSeconds: z.number().int().min(0).optional(),
  /**
   * When every copy of the batch has started and some are still pending: about how many seconds
   * until the last of their snapshot copies completes (from `StartTime` and `Progress`), so the
   * loop can come back then rather than after its ladder's wait. Absent otherwise.
   */
  doneInSeconds: z.number().int().min(0).optional(),
});
/** Output of `copy`. */
export type CopyOutput = z.infer<typeof CopyOutputSchema>;
