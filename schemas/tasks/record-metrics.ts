import * as z from 'zod';
import { ExecutionArnSchema, IsoTimeSchema, PlanNameSchema, RegionSchema, RunKindSchema, WorkloadNameSchema } from './common.js';
import { RpoReportSchema, RpoWorkloadSchema } from './publish-rpo.js';
import { S3ObjectSchema } from './store.js';

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
  workloadCount: z.number().int().min(1).optional(),
});

/**
 * failover/drill: when a wave's instances were all ready, and its workloads: listed (an inline
 * run), or read from the wave's instance list in the run bucket (`records`, a distributed run:
 * `{instances: [{workload, …}], …}` as `summarize-results` wrote it).
 */
export const ReadyWaveSchema = z
  .strictObject({
    wave: z.number().int().min(1),
    readyAt: IsoTimeSchema,
    workloads: z.array(WorkloadNameSchema).optional(),
    records: S3ObjectSchema.optional(),
    /** With `records`: how many workloads the wave has (informational). */
    workloadCount: z.number().int().min(0).optional(),
  })
  .refine((w) => w.workloads !== undefined || w.records !== undefined, { error: 'a ready wave with "workloads" (a list of names) or "records" (its instance list in the run bucket)' });

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
  /**
   * failover/drill, distributed run: the recovery sets restored, with every workload, as
   * `resolve-recovery-points` wrote them (`{sets, missing}`); replaces `sets`.
   */
  setsFrom: S3ObjectSchema.optional(),
  /**
   * A distributed run. failover/drill: where to write the whole `achieved` (every workload of
   * every group) and the sets; the output's groups then name only their first workloads. backup:
   * where to write the whole RPO report (`{"rpo": …}`); the output's `rpo` then lists the first
   * workloads of each set with their counts.
   */
  detailsStore: S3ObjectSchema.optional(),
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
  /** The group's workloads; in a distributed run only the first few (`workloadCount` says how many, `details` has them all). */
  workloads: z.array(WorkloadNameSchema).min(1),
  workloadCount: z.number().int().min(1).optional(),
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
  /**
   * Distributed run: the object holding this `achieved` with every workload of every group, and
   * the sets restored with all their workloads (`{achieved, sets, missing}`).
   */
  details: S3ObjectSchema.optional(),
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
