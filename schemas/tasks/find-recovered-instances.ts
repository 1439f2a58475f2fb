import * as z from 'zod';
import { ExecutionArnSchema, InstanceIdSchema, PlanNameSchema, RegionSchema, TargetSchema, WorkloadNameSchema } from './common.js';

/**
 * Input of `find-recovered-instances`: the failback's first step. Finds, in the recovery region,
 * the running instances the last failover launched (by the lineage tags it set on them).
 */
export const FindRecoveredInstancesInputSchema = z.strictObject({
  planName: PlanNameSchema,
  /** The recovery region, where the failover ran. */
  region: RegionSchema,
  /** The plan's workloads: a critical one without a running recovered instance fails the step. */
  workloads: z.array(z.strictObject({ name: WorkloadNameSchema, isCritical: z.boolean() })).min(1),
  /** Targets per batch (the plan's `backup.batchSize`). */
  batchSize: z.number().int().min(1).max(100),
  /** Fail back the instances of this failover execution instead of the newest one. */
  failoverExecutionArn: ExecutionArnSchema.optional(),
  /** The most instances one (inline) failback carries. */
  maxTargets: z.number().int().min(1).optional(),
});
/** Input of `find-recovered-instances`. */
export type FindRecoveredInstancesInput = z.infer<typeof FindRecoveredInstancesInputSchema>;

/** Output of `find-recovered-instances`. */
export const FindRecoveredInstancesOutputSchema = z.strictObject({
  /** The failover whose instances fail back. */
  failoverExecutionArn: ExecutionArnSchema,
  /** `Target.instanceId` is the recovered instance (in the recovery region); batches of `batchSize`. */
  batches: z.array(z.array(TargetSchema)),
  targetCount: z.number().int().min(0),
  /** Every recovered instance found, in the order of `batches` (what the failback retires at the end). */
  instanceIds: z.array(InstanceIdSchema),
  /** Optional workloads without a running recovered instance (they do not fail back): the first 20 in plan order (all are in the task log). */
  missing: z.array(WorkloadNameSchema).max(20),
  /** How many optional workloads have no running recovered instance. */
  missingCount: z.number().int().min(0),
  /** Running failover instances of this plan from other (older) failover executions: left alone, listed for the operator. */
  others: z.array(z.strictObject({ instanceId: InstanceIdSchema, executionArn: z.string() })).max(50),
});
/** Output of `find-recovered-instances`. */
export type FindRecoveredInstancesOutput = z.infer<typeof FindRecoveredInstancesOutputSchema>;
