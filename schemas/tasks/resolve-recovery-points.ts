import * as z from 'zod';
import { ExecutionArnSchema, ImageIdSchema, IsoTimeSchema, LaunchSettingsInputSchema, LaunchTargetSchema, PlanNameSchema, RegionSchema, WorkloadNameSchema } from './common.js';
import { ItemStoreSchema, S3ObjectSchema } from './store.js';

/** A workload as the tasks that look for its recovery set take it (`resolve-recovery-points`, `preflight`). */
export const RecoveryWorkloadSchema = z.strictObject({
  name: WorkloadNameSchema,
  isCritical: z.boolean(),
  wave: z.number().int().min(1),
  launch: LaunchSettingsInputSchema,
});

/** Input of `resolve-recovery-points`: finds the newest verified copy per source instance. */
export const ResolveRecoveryPointsInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  workloads: z.array(RecoveryWorkloadSchema).min(1),
  /** Per workload: an AMI id, or an ISO time (the newest verified point at or before it). */
  pins: z.record(WorkloadNameSchema, z.union([ImageIdSchema, IsoTimeSchema])).optional(),
  /**
   * A distributed run: write each wave's targets, in launch batches of `launchBatchSize`, as its
   * Distributed Map's item list (`<prefix>/wave-<n>.json`, `[{wave, batch, targets}]`) instead
   * of returning them.
   */
  itemStore: ItemStoreSchema.optional(),
  /** Targets per launch batch of a distributed run. @default 50 */
  launchBatchSize: z.number().int().min(1).max(1000).optional(),
  /** Workloads to leave out (a failover proceeding past blocking pre-flight findings skips them). */
  exclude: z.array(WorkloadNameSchema).optional(),
  /** The pre-flight report whose `blockedWorkloads` to leave out (a distributed run: the list may be long). */
  excludeFrom: S3ObjectSchema.optional(),
  /** An inline run: fail with `Lifeboat.InvalidInput` when the recovery points resolve to more targets than this. */
  maxTargets: z.number().int().min(1).optional(),
});
/** Input of `resolve-recovery-points`. */
export type ResolveRecoveryPointsInput = z.infer<typeof ResolveRecoveryPointsInputSchema>;

/** One wave of targets. */
export const WaveSchema = z.strictObject({
  wave: z.number().int().min(1),
  /** The wave's targets (empty when they were written to `items`). */
  targets: z.array(LaunchTargetSchema),
  /** Distributed run: how many targets and launch batches the wave has, and its item list in S3. */
  targetCount: z.number().int().min(0).optional(),
  batchCount: z.number().int().min(0).optional(),
  items: S3ObjectSchema.optional(),
});
/** One wave of targets. */
export type Wave = z.infer<typeof WaveSchema>;

/** How many workload names a distributed run's payloads carry per list (the whole lists are in the run bucket). */
export const WORKLOADS_SHOWN = 5;

/**
 * The recovery set some workloads are restored from: one backup run (its execution ARN) at its
 * recovery-point time. `isComplete` is false when the run never finished (no complete set
 * existed, so its verified points were taken) or a pin by AMI took one point of it.
 *
 * In a distributed run's output `workloads` holds only the first {@link WORKLOADS_SHOWN} names
 * and `workloadCount` says how many there are; the whole list is in the `recoverySets` object.
 */
export const ChosenSetSchema = z.strictObject({
  executionArn: ExecutionArnSchema,
  recoveryPointTime: IsoTimeSchema,
  isComplete: z.boolean(),
  workloads: z.array(WorkloadNameSchema).min(1),
  /** Distributed run: how many workloads the set restores (`workloads` names the first few). */
  workloadCount: z.number().int().min(1).optional(),
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
  /**
   * Distributed run: how many optional workloads had no recovery point (`missing` names at most
   * 50), and the object holding every set with all its workloads and every missing workload
   * (`<prefix>/recovery-sets.json`, `{sets, missing}`): what the parent's variables no longer carry.
   */
  missingCount: z.number().int().min(0).optional(),
  recoverySets: S3ObjectSchema.optional(),
});
/** Output of `resolve-recovery-points`. */
export type ResolveRecoveryPointsOutput = z.infer<typeof ResolveRecoveryPointsOutputSchema>;
