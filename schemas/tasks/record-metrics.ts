import * as z from 'zod';
import { ExecutionArnSchema, IsoTimeSchema, PlanNameSchema, RegionSchema, RunKindSchema, WorkloadNameSchema } from './common.js';
import { RpoReportSchema, RpoWorkloadSchema } from './publish-rpo.js';

/** The plan's objectives, in minutes, as the plan states them. */
export const ObjectivesSchema = z.strictObject({ rpoMinutes: z.number().int().min(1), rtoMinutes: z.number().int().min(1) });
/** The plan's objectives. */
export type Objectives = z.infer<typeof ObjectivesSchema>;

/** failover/drill: a recovery set restored (from `resolve-recovery-points`' `sets`). */
export const RestoredSetSchema = z.strictObject({
  executionArn: ExecutionArnSchema,
  recoveryPointTime: IsoTimeSchema,
  isComplete: z.boolean(),
  workloads: z.array(WorkloadNameSchema),
});

/** failover/drill: when a wave's instances were all ready, and its workloads. */
export const ReadyWaveSchema = z.strictObject({
  wave: z.number().int().min(1),
  readyAt: IsoTimeSchema,
  workloads: z.array(WorkloadNameSchema),
});

/** Input of `record-metrics`: publishes a run's RPO or RTO and outcome to CloudWatch. */
export const RecordMetricsInputSchema = z.strictObject({
  kind: RunKindSchema,
  planName: PlanNameSchema,
  region: RegionSchema,
  outcome: z.enum(['SUCCEEDED', 'FAILED'], { error: 'one of "SUCCEEDED", "FAILED"' }),
  startedAt: IsoTimeSchema,
  /** failover/drill: when the last instance became ready. */
  readyAt: IsoTimeSchema.optional(),
  /** backup: this run's recovery-point time; failover/drill: the oldest point restored. */
  recoveryPointTime: IsoTimeSchema.optional(),
  workloadCount: z.number().int().min(0),
  /** The plan's objectives: the achieved RPO and RTO are compared with them. */
  objectives: ObjectivesSchema.optional(),
  /** backup: where the recovery points are (the RPO is measured and published there). */
  recoveryRegion: RegionSchema.optional(),
  /** backup: the plan's workloads, whose RPO is measured. */
  workloads: z.array(RpoWorkloadSchema).optional(),
  /** failover/drill: the recovery sets restored. */
  sets: z.array(RestoredSetSchema).optional(),
  /** failover/drill: each wave's ready time and workloads. */
  waves: z.array(ReadyWaveSchema).optional(),
  /**
   * failback: when the RPO is measured (the launch's start, when the recovery-side images are
   * restored), instead of `startedAt`. @default startedAt
   */
  rpoAt: IsoTimeSchema.optional(),
});
/** Input of `record-metrics`. */
export type RecordMetricsInput = z.infer<typeof RecordMetricsInputSchema>;

/** A published metric datum. */
export const MetricSchema = z.strictObject({
  name: z.string().min(1),
  value: z.number(),
  unit: z.enum(['Seconds', 'Count', 'None']),
});
/** A published metric datum. */
export type Metric = z.infer<typeof MetricSchema>;

/**
 * Workloads restored from the same set in the same wave share their achieved RPO and RTO: one
 * entry per such group keeps the output small for plans with thousands of workloads.
 */
export const AchievedGroupSchema = z.strictObject({
  workloads: z.array(WorkloadNameSchema).min(1),
  /** The recovery set (backup execution) they came from. */
  executionArn: ExecutionArnSchema,
  recoveryPointTime: IsoTimeSchema,
  /** Achieved RPO: the run's start − recoveryPointTime, in seconds. */
  rpoSeconds: z.number().int().min(0),
  /** Achieved RTO: their wave's ready time − the run's start; null when their wave never became ready. */
  rtoSeconds: z.number().int().min(0).nullable(),
});
/** Workloads that share their achieved RPO and RTO. */
export type AchievedGroup = z.infer<typeof AchievedGroupSchema>;

/**
 * What a failover or drill achieved, against the plan's objectives (docs/contracts.md,
 * "Recovery sets, and what RPO means").
 */
export const AchievedSchema = z.strictObject({
  /** The worst workload's: the oldest recovery point restored, at the run's start. */
  rpoSeconds: z.number().int().min(0).nullable(),
  /** Until the last wave was ready. */
  rtoSeconds: z.number().int().min(0).nullable(),
  rpoObjectiveSeconds: z.number().int().min(1),
  rtoObjectiveSeconds: z.number().int().min(1),
  isRpoMet: z.boolean(),
  isRtoMet: z.boolean(),
  /** Per workload, grouped. */
  groups: z.array(AchievedGroupSchema),
});
/** What a failover or drill achieved. */
export type Achieved = z.infer<typeof AchievedSchema>;

/** Output of `record-metrics`. */
export const RecordMetricsOutputSchema = z.strictObject({
  /** The plan-wide data published (per-workload data are counted in `workloadDatumCount`). */
  metrics: z.array(MetricSchema),
  /** Data published with a `Workload` dimension. @default 0 */
  workloadDatumCount: z.number().int().min(0).optional(),
  /** backup: the RPO as measured at the end of the run. */
  rpo: RpoReportSchema.optional(),
  /** failover/drill: achieved RPO and RTO against the objectives. */
  achieved: AchievedSchema.optional(),
});
/** Output of `record-metrics`. */
export type RecordMetricsOutput = z.infer<typeof RecordMetricsOutputSchema>;
