import { z } from 'zod';
import { ImageIdSchema, IsoTimeSchema, LaunchSettingsInputSchema, LaunchTargetSchema, PlanNameSchema, RegionSchema, WorkloadNameSchema } from './common.js';

/** Input of `resolve-recovery-points`: finds the newest verified copy per source instance. */
export const ResolveRecoveryPointsInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  workloads: z
    .array(
      z.strictObject({
        name: WorkloadNameSchema,
        isCritical: z.boolean(),
        wave: z.number().int().min(1),
        launch: LaunchSettingsInputSchema,
      }),
    )
    .min(1),
  /** Per workload: an AMI id, or an ISO time (the newest verified point at or before it). */
  pins: z.record(WorkloadNameSchema, z.union([ImageIdSchema, IsoTimeSchema])).optional(),
});
/** Input of `resolve-recovery-points`. */
export type ResolveRecoveryPointsInput = z.infer<typeof ResolveRecoveryPointsInputSchema>;

/** One wave of targets. */
export const WaveSchema = z.strictObject({
  wave: z.number().int().min(1),
  targets: z.array(LaunchTargetSchema),
});
/** One wave of targets. */
export type Wave = z.infer<typeof WaveSchema>;

/** Output of `resolve-recovery-points`. */
export const ResolveRecoveryPointsOutputSchema = z.strictObject({
  /** Ascending by wave number; only waves with targets. */
  waves: z.array(WaveSchema),
  /** Optional workloads with no verified recovery point. */
  missing: z.array(WorkloadNameSchema),
  /** The oldest recovery point chosen (what a failover would lose since); null when none. */
  oldestRecoveryPointTime: IsoTimeSchema.nullable(),
});
/** Output of `resolve-recovery-points`. */
export type ResolveRecoveryPointsOutput = z.infer<typeof ResolveRecoveryPointsOutputSchema>;
