import * as z from 'zod';
import {
  ExtraTagsSchema,
  ImageIdSchema,
  IsoTimeSchema,
  LaunchModeSchema,
  PlanNameSchema,
  RegionSchema,
  SecurityGroupIdSchema,
  SubnetIdSchema,
  ThrottledCallsSchema,
  WorkloadNameSchema,
} from './common.js';
import { RecoveryWorkloadSchema } from './resolve-recovery-points.js';
import { ItemStoreSchema, S3ObjectSchema } from './store.js';

/**
 * Input of `preflight`: checks a failover's or drill's plan against the recovery region without
 * changing anything (docs/contracts.md, "Pre-flight").
 */
export const PreflightInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  mode: LaunchModeSchema,
  objectives: z.strictObject({ rpoMinutes: z.number().int().min(1), rtoMinutes: z.number().int().min(1) }),
  /** The copies' KMS key (the plan's `backup.kmsKeyId`); absent: the account's default EBS key, not checked. */
  kmsKeyId: z.string().min(1).optional(),
  /** Drill: the isolated subnets (and groups) replace the workloads' own, as the launch does. */
  isolation: z
    .strictObject({
      subnetIds: z.array(SubnetIdSchema).min(1),
      securityGroupIds: z.array(SecurityGroupIdSchema).optional(),
    })
    .optional(),
  workloads: z.array(RecoveryWorkloadSchema).min(1),
  /** The run's pins, as `resolve-recovery-points` takes them. */
  pins: z.record(WorkloadNameSchema, z.union([ImageIdSchema, IsoTimeSchema])).optional(),
  /** The plan's `preflight.rtoModel`, defaults filled. */
  rtoModel: z.strictObject({ fixedSeconds: z.number().int().min(0), secondsPerWave: z.number().int().min(1) }),
  /** How many of the last drills' measured RTO to weigh (0: the model only). */
  measuredDrills: z.number().int().min(0).max(20),
  /** The plan's extra tags: the dry-run launch carries the same tags as the launch (tag-on-create is authorised with it). */
  tags: ExtraTagsSchema.optional(),
  /** Where the whole report goes (`<prefix>/preflight.json`), when the run has a run bucket. */
  reportStore: ItemStoreSchema.optional(),
});
/** Input of `preflight`. */
export type PreflightInput = z.infer<typeof PreflightInputSchema>;

/** The checks pre-flight makes; a finding names one. */
export const PreflightCheckSchema = z.enum([
  'recovery-set',
  'recovery-point-age',
  'kms-key',
  'subnet',
  'security-group',
  'key-pair',
  'instance-profile',
  'instance-type-offering',
  'vcpu-quota',
  'dry-run',
  'predicted-rto',
]);
/** One pre-flight check. */
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>;

/** `workload` of a finding that concerns the whole plan (a quota, the predicted RTO). */
export const PLAN_WIDE = '*';

/**
 * One finding: which workload (`*` for the whole plan), which check, how bad (`blocking` stops a
 * drill, and a failover unless it proceeds), what was expected, what was found, how to fix it.
 */
export const FindingSchema = z.strictObject({
  workload: z.union([WorkloadNameSchema, z.literal(PLAN_WIDE)]),
  check: PreflightCheckSchema,
  severity: z.enum(['blocking', 'warning']),
  expected: z.string(),
  found: z.string(),
  fix: z.string(),
});
/** One pre-flight finding. */
export type Finding = z.infer<typeof FindingSchema>;

/** A workload's recovery set as pre-flight sees it: its time, its age now, and the RPO objective. */
export const PreflightRecoverySetSchema = z.strictObject({
  workload: WorkloadNameSchema,
  /** Null when the workload has no verified recovery point. */
  recoveryPointTime: IsoTimeSchema.nullable(),
  ageSeconds: z.number().int().min(0).nullable(),
  rpoObjectiveSeconds: z.number().int().min(1),
});
/** A workload's recovery set as pre-flight sees it. */
export type PreflightRecoverySet = z.infer<typeof PreflightRecoverySetSchema>;

/** At most this many findings and recovery sets travel in the output; the rest are in the report. */
export const PREFLIGHT_INLINE_MAX = 50;

/**
 * Output of `preflight` (the failover's `$.preflight`, the contract the approval step reads).
 * Counts are of every finding; `findings` and `recoverySets` hold at most {@link PREFLIGHT_INLINE_MAX}
 * (blocking first), `findingsTruncated` says when more exist, and `report` is the whole list in S3.
 */
export const PreflightOutputSchema = z.strictObject({
  blocking: z.number().int().min(0),
  warnings: z.number().int().min(0),
  findings: z.array(FindingSchema).max(PREFLIGHT_INLINE_MAX),
  findingsTruncated: z.boolean().optional(),
  recoverySets: z.array(PreflightRecoverySetSchema).max(PREFLIGHT_INLINE_MAX),
  recoverySetsTruncated: z.boolean().optional(),
  /** The larger of the model and the slowest of the last measured drills. */
  predictedRtoSeconds: z.number().int().min(0),
  /** How the prediction was made. */
  predictedRto: z.strictObject({
    modelSeconds: z.number().int().min(0),
    /** The slowest of the last drills' `RecoveryTimeSeconds`; null when none was measured. */
    measuredSeconds: z.number().int().min(0).nullable(),
    measuredDrills: z.number().int().min(0),
    objectiveSeconds: z.number().int().min(1),
  }),
  /** The task's now (the state's entered time). */
  checkedAt: IsoTimeSchema,
  /**
   * The workloads with a blocking finding (a failover that proceeds skips them), `*` first when
   * the plan as a whole is blocked. Every one inline without a report store; with one, at most
   * {@link PREFLIGHT_INLINE_MAX} (the report has them all).
   */
  blockedWorkloads: z.array(z.union([WorkloadNameSchema, z.literal(PLAN_WIDE)])),
  blockedCount: z.number().int().min(0),
  /** Findings per check: `{ "subnet": { "blocking": 2, "warnings": 0 } }`, checks with findings only. */
  byCheck: z.partialRecord(PreflightCheckSchema, z.strictObject({ blocking: z.number().int().min(0), warnings: z.number().int().min(0) })),
  /** The calls made, by API (a measure of the deduplication at scale). */
  calls: z.record(z.string(), z.number().int().min(0)),
  /** The whole report (every finding, every recovery set, blocked workloads), when a report store was given. */
  report: S3ObjectSchema.optional(),
  throttled: ThrottledCallsSchema,
});
/** Output of `preflight`. */
export type PreflightOutput = z.infer<typeof PreflightOutputSchema>;

/**
 * The Service Quotas code of the On-Demand vCPU quota an instance family counts against (service
 * `ec2`), shared by the task and the IAM policy that lets it read exactly those quotas.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
export function vcpuQuotaOf(instanceType: string): { code: string; name: string } {
  const family = instanceType.split('.')[0].toLowerCase();
  if (/^(inf|dl|trn|hpc)/.test(family)) return otherQuota(family);
  const first = family[0];
  if (first === 'g' || family.startsWith('vt')) return { code: 'L-DB2E81BA', name: 'Running On-Demand G and VT instances' };
  if (first === 'p') return { code: 'L-417A185B', name: 'Running On-Demand P instances' };
  if (first === 'x') return { code: 'L-7295265B', name: 'Running On-Demand X instances' };
  if (first === 'f') return { code: 'L-74FC7D96', name: 'Running On-Demand F instances' };
  return { code: 'L-1216C47A', name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances' };
}
function otherQuota(family: string): { code: string; name: string } {
  if (family.startsWith('inf')) return { code: 'L-1945791B', name: 'Running On-Demand Inf instances' };
  if (family.startsWith('dl')) return { code: 'L-6E869C2A', name: 'Running On-Demand DL instances' };
  if (family.startsWith('trn')) return { code: 'L-2C3B7624', name: 'Running On-Demand Trn instances' };
  if (family.startsWith('hpc')) return { code: 'L-F7808C92', name: 'Running On-Demand HPC instances' };
  return { code: 'L-1216C47A', name: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances' };
}
