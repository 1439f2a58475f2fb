import { z } from 'zod';
import { ExecutionArnSchema, ImageIdSchema, IsoTimeSchema, LaunchSettingsInputSchema, LaunchTargetSchema, PlanNameSchema, RegionSchema, WorkloadNameSchema } from './common.js';

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

/**
 * The recovery set some workloads are restored from: one backup run (its execution ARN) at its
 * recovery-point time. `isComplete` is false when the run never finished (no complete set
 * existed, so its verified points were taken) or a pin by AMI took one point of it.
 */
export const ChosenSetSchema = z.strictObject({
  executionArn: ExecutionArnSchema,
  recoveryPointTime: IsoTimeSchema,
  isComplete: z.boolean(),
  workloads: z.array(WorkloadNameSchema).min(1),
});
/** The recovery set some workloads are restored from. */
export type ChosenSet = z.infer<typeof ChosenSetSchema>;

/** Output of `resolve-recovery-points`. */
export const ResolveRecoveryPointsOutputSchema = z.strictObject({
  /** Ascending by wave number; only waves with targets. */
  waves: z.array(WaveSchema),
  /** Optional workloads with no verified recovery point. */
  missing: z.array(WorkloadNameSchema),
  /** The oldest recovery point chosen (what a failover would lose since); null when none. */
  oldestRecoveryPointTime: IsoTimeSchema.nullable(),
  /** The sets restored, newest first; each workload appears in exactly one. */
  sets: z.array(ChosenSetSchema),
});
/** Output of `resolve-recovery-points`. */
export type ResolveRecoveryPointsOutput = z.infer<typeof ResolveRecoveryPointsOutputSchema>;
