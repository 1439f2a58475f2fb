import * as z from 'zod';
import { ExecutionArnSchema, IsoTimeSchema, PlanNameSchema, RegionSchema, WorkloadNameSchema } from './common.js';
import { S3ObjectSchema } from './store.js';

/**
 * How many workload names an RPO report lists per set, and of the missing ones, when its lists
 * are cut (docs/contracts.md, "RPO report"): the counts say how many there are, `details` names
 * the object with them all.
 */
export const RPO_WORKLOADS_SHOWN = 5;
/** How many sets (the oldest) a cut RPO report lists; `setCount` says how many there are. */
export const RPO_SETS_SHOWN = 10;
/**
 * The most workloads an RPO report lists in full when it has nowhere to write them (no
 * `detailsStore`: an inline run): at 32 characters a name, about 3.5 KiB. The same bound as an
 * inline plan's instances (`INLINE_MAX_INSTANCES`), so an inline run's report is whole.
 */
export const RPO_LISTED_MAX = 100;

/** A plan's workload as the RPO is measured for it. */
export const RpoWorkloadSchema = z.strictObject({ name: WorkloadNameSchema, isCritical: z.boolean() });

/**
 * The recovery set some workloads would be restored from now, and its age: one entry per set.
 * Critical workloads are listed first; a cut report lists only the first
 * {@link RPO_WORKLOADS_SHOWN} (`workloadCount` says how many there are).
 */
export const RpoSetSchema = z.strictObject({
  executionArn: ExecutionArnSchema,
  recoveryPointTime: IsoTimeSchema,
  /** now − recoveryPointTime, in whole seconds. */
  ageSeconds: z.number().int().min(0),
  isComplete: z.boolean(),
  workloads: z.array(WorkloadNameSchema).min(1),
  /** How many workloads would be restored from this set (all of them, listed or not). */
  workloadCount: z.number().int().min(1),
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
  /** How many workloads were measured: those of every set and the missing ones. */
  workloadCount: z.number().int().min(0),
  /** Oldest (worst) first; a cut report lists the oldest {@link RPO_SETS_SHOWN}. */
  sets: z.array(RpoSetSchema),
  /** How many sets there are (listed or not). */
  setCount: z.number().int().min(0),
  /** Workloads with no restorable recovery point, critical ones first; a cut report lists the first {@link RPO_WORKLOADS_SHOWN}. */
  missing: z.array(WorkloadNameSchema),
  /** How many workloads have no restorable recovery point (listed or not). */
  missingCount: z.number().int().min(0),
  /**
   * When the lists are cut and were written whole: the run-bucket object holding `{"rpo": <this
   * report with every workload of every set and every missing one>}`. Lists cut without it (an
   * inline run beyond {@link RPO_LISTED_MAX} workloads) are known only by their counts and the
   * per-workload CloudWatch data.
   */
  details: S3ObjectSchema.optional(),
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
  /**
   * A distributed plan: where to write the whole report (`{"rpo": …}`); the output then lists the
   * first workloads of each set with their counts, whatever the plan's size.
   */
  detailsStore: S3ObjectSchema.optional(),
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
