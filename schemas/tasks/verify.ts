import { z } from 'zod';
import { CopyRefSchema, ImageIdSchema, InstanceIdSchema, IsoTimeSchema, KmsKeyIdSchema, PlanNameSchema, RegionSchema, SnapshotIdSchema, WorkloadNameSchema } from './common.js';

/** Input of `verify`: checks each copy in `region` and tags it verified. */
export const VerifyInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  recoveryPointTime: IsoTimeSchema,
  /** When set, every snapshot must be encrypted with this key. */
  kmsKeyId: KmsKeyIdSchema.optional(),
  copies: z.array(CopyRefSchema),
});
/** Input of `verify`. */
export type VerifyInput = z.infer<typeof VerifyInputSchema>;

/** One verified recovery point. */
export const VerifiedCopySchema = z.strictObject({
  workload: WorkloadNameSchema,
  instanceId: InstanceIdSchema,
  imageId: ImageIdSchema,
  snapshotIds: z.array(SnapshotIdSchema),
});
/** One verified recovery point. */
export type VerifiedCopy = z.infer<typeof VerifiedCopySchema>;

/** Output of `verify`. */
export const VerifyOutputSchema = z.strictObject({ verified: z.array(VerifiedCopySchema) });
/** Output of `verify`. */
export type VerifyOutput = z.infer<typeof VerifyOutputSchema>;
