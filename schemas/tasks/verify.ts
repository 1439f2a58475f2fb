import * as z from 'zod';
import { CopyRefSchema, ImageIdSchema, InstanceIdSchema, IsoTimeSchema, KmsKeyIdSchema, PlanNameSchema, RegionSchema, SnapshotIdSchema, ThrottledCallsSchema, WorkloadNameSchema } from './common.js';

/** One verified recovery point. */
export const VerifiedCopySchema = z.strictObject({
  workload: WorkloadNameSchema,
  instanceId: InstanceIdSchema,
  imageId: ImageIdSchema,
  snapshotIds: z.array(SnapshotIdSchema),
});
/** One verified recovery point. */
export type VerifiedCopy = z.infer<typeof VerifiedCopySchema>;

/**
 * Input of `verify` (a loop task): checks each copy in `region` and, once every copy passed, tags
 * them verified. A pass checks what it can read; throttled reads leave copies for the next pass.
 */
export const VerifyInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  recoveryPointTime: IsoTimeSchema,
  /** When set, every snapshot must be encrypted with this key. */
  kmsKeyId: KmsKeyIdSchema.optional(),
  copies: z.array(CopyRefSchema),
  /** When a pass finds copies still unchecked after this time, it fails with `Lifeboat.Timeout`. Absent: no deadline. */
  deadline: IsoTimeSchema.optional(),
  /** The copies the previous passes checked (the previous output's `verified`); absent on the first pass. */
  verified: z.array(VerifiedCopySchema).optional(),
  /** Copies whose AMI passed its checks in an earlier pass, their snapshots still to check (the previous output's `snapshotsToCheck`). */
  snapshotsToCheck: z.array(VerifiedCopySchema).optional(),
});
/** Input of `verify`. */
export type VerifyInput = z.infer<typeof VerifyInputSchema>;


/** Output of `verify`. */
export const VerifyOutputSchema = z.strictObject({
  /** The copies whose checks passed; tagged `lifeboat:verified` once `isComplete`. */
  verified: z.array(VerifiedCopySchema),
  /** Every copy checked and tagged verified. */
  isComplete: z.boolean(),
  /** Copies not yet checked, or checked but not yet tagged. */
  pendingCount: z.number().int().min(0),
  /** Copies whose AMI passed its checks but whose snapshots could not be read yet (throttled). Absent when none. */
  snapshotsToCheck: z.array(VerifiedCopySchema).optional(),
  throttled: ThrottledCallsSchema,
});
/** Output of `verify`. */
export type VerifyOutput = z.infer<typeof VerifyOutputSchema>;
