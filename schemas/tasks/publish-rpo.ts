import * as z from 'zod';
import { ExecutionArnSchema, IsoTimeSchema, PlanNameSchema, RegionSchema, WorkloadNameSchema } from './common.js';

/** A plan's workload as the RPO is measured for it. */
export const RpoWorkloadSchema = z.strictObject({ name: WorkloadNameSchema, isCritical: z.boolean() });

/**
 * The recovery set some workloads would be restored from now, and its age: one entry per set, so
 * the report stays small for plans with thousands of workloads.
 */
export const RpoSetSchema = z.strictObject({
  executionArn: ExecutionArnSchema,
  recoveryPointTime: IsoTimeSchema,
  /** now − recoveryPointTime, in whole seconds. */
  ageSeconds: z.number().int().min(0),
  isComplete: z.boolean(),
  workloads: z.array(WorkloadNameSchema).min(1),
});
/** The recovery set some workloads would be restored from now, and its age. */
export type RpoSet = z.infer<typeof RpoSetSchema>;

/**
 * The RPO as it stands now (docs/contracts.md, "Recovery sets, and what RPO means"): per
 * workload, the age of the newest recovery set a failover would restore.
 */
export const RpoReportSchema = z.strictObject({
  /** When it was measured (the task's now). */
  measuredAt: IsoTimeSchema,
  /**
   * The plan-wide RPO: the oldest of the workloads' newest points; null when a critical workload
   * has no recovery point at all (then no plan-wide datum is published, and the alarm, which
   * treats missing data as breaching, fires).
   */
  maxAgeSeconds: z.number().int().min(0).nullable(),
  objectiveSeconds: z.number().int().min(1),
  /** maxAgeSeconds is known and within the objective. */
  isWithinObjective: z.boolean(),
  /** Newest first. */
  sets: z.array(RpoSetSchema),
  /** Workloads with no restorable recovery point. */
  missing: z.array(WorkloadNameSchema),
});
/** The RPO as it stands now. */
export type RpoReport = z.infer<typeof RpoReportSchema>;

/**
 * Input of `publish-rpo`: measures the age of every workload's newest restorable recovery point
 * in `region` (the recovery region, by tags) and publishes it to CloudWatch there.
 */
export const PublishRpoInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  rpoMinutes: z.number().int().min(1),
  workloads: z.array(RpoWorkloadSchema).min(1),
});
/** Input of `publish-rpo`. */
export type PublishRpoInput = z.infer<typeof PublishRpoInputSchema>;

/** Output of `publish-rpo`: what it measured and how many data it published. */
export const PublishRpoOutputSchema = z.strictObject({
  rpo: RpoReportSchema,
  /** CloudWatch data published (plan-wide and per workload). */
  datumCount: z.number().int().min(0),
});
/** Output of `publish-rpo`. */
export type PublishRpoOutput = z.infer<typeof PublishRpoOutputSchema>;
