import * as z from 'zod';
import {
  ImageIdSchema,
  InstanceIdSchema,
  InstanceTypeSchema,
  KmsKeyIdSchema,
  LaunchTemplateIdSchema,
  PlanNameSchema,
  RegionSchema,
  SecurityGroupIdSchema,
  SnapshotIdSchema,
  SubnetIdSchema,
  TagKeySchema,
  TagValueSchema,
  WorkloadNameSchema,
} from '../plan.js';

/*
 * Building blocks shared by the task schemas. Task schemas use strict objects and no transforms
 * or defaults: the parsed value is exactly the JSON that appears in the execution history.
 */

export {
  ImageIdSchema,
  InstanceIdSchema,
  InstanceTypeSchema,
  KmsKeyIdSchema,
  PlanNameSchema,
  RegionSchema,
  SecurityGroupIdSchema,
  SnapshotIdSchema,
  SubnetIdSchema,
  WorkloadNameSchema,
};

/** An ISO-8601 UTC timestamp such as `2026-11-25T10:30:00.000Z`. */
export const IsoTimeSchema = z.iso.datetime({ error: 'an ISO-8601 UTC time such as "2026-11-25T10:30:00.000Z"' });

/**
 * A Step Functions execution ARN (`$states.context.Execution.Id`).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
 */
export const ExecutionArnSchema = z
  .string({ error: 'an execution ARN such as "arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:run-1"' })
  .regex(/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:(?:execution|express):[^:]+:.+$/, {
    error: 'an execution ARN such as "arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:run-1"',
  });

/** Extra user tags (the plan's `tags`) put on everything a task creates. */
export const ExtraTagsSchema = z.record(TagKeySchema, TagValueSchema, { error: 'a tags object such as {"cost-center": "dr"}' });

/** The kind of run: a backup, a real failover, or a drill. */
export const RunKindSchema = z.enum(['backup', 'failover', 'drill', 'failback'], { error: 'one of "backup", "failover", "drill", "failback"' });
/** A failover machine's mode. */
export const LaunchModeSchema = z.enum(['failover', 'drill', 'failback'], { error: 'one of "failover", "drill", "failback"' });

/** One protected instance of one workload. */
export const TargetSchema = z.strictObject({ workload: WorkloadNameSchema, instanceId: InstanceIdSchema });
/** One protected instance of one workload. */
export type Target = z.infer<typeof TargetSchema>;

/**
 * The state of an item in a loop task: EC2's image state, or `not-started` while the task has not
 * created it yet (for example because EC2 throttled the call; the next pass starts it).
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html (State)
 */
export const ImageStateSchema = z.enum(
  ['not-started', 'pending', 'available', 'failed', 'invalid', 'deregistered', 'transient', 'error', 'disabled'],
  { error: 'an image state such as "pending" or "available"' },
);
/** The state of an image item. */
export type ImageState = z.infer<typeof ImageStateSchema>;

/** A source AMI made by `image` in the primary region. */
export const ImageRefSchema = z.strictObject({
  workload: WorkloadNameSchema,
  instanceId: InstanceIdSchema,
  /** The deterministic AMI name, `lifeboat-<plan>-<workload>-<instanceId>-<YYYYMMDDTHHMMSSZ>[-r<n>]`. */
  name: z.string().min(3).max(128),
  imageId: ImageIdSchema.nullable(),
  state: ImageStateSchema,
  /** How many EBS snapshots the AMI has (what a copy of it costs against the snapshot-copy quota), once known. */
  snapshotCount: z.number().int().min(0).optional(),
  /**
   * The size of the AMI's largest EBS volume in GiB, once known: a copy lasts about as long as its
   * largest snapshot copy, so `copy` starts the largest first (docs/decisions/0018).
   */
  largestVolumeGiB: z.number().int().min(0).optional(),
});
/** A source AMI made by `image`. */
export type ImageRef = z.infer<typeof ImageRefSchema>;

/** A copy of a source AMI in the recovery region, made by `copy`. */
export const CopyRefSchema = z.strictObject({
  workload: WorkloadNameSchema,
  instanceId: InstanceIdSchema,
  sourceImageId: ImageIdSchema,
  imageId: ImageIdSchema.nullable(),
  state: ImageStateSchema,
});
/** A copy of a source AMI in the recovery region. */
export type CopyRef = z.infer<typeof CopyRefSchema>;

/**
 * A workload's launch settings as they travel in task inputs: the plan's `launch` with its
 * defaults already filled in (no defaults here, so the history shows exactly what was used).
 */
export const LaunchSettingsInputSchema = z.strictObject({
  subnetIds: z.array(SubnetIdSchema).min(1, { error: 'at least 1 subnet id' }),
  securityGroupIds: z.array(SecurityGroupIdSchema),
  instanceTypes: z.array(InstanceTypeSchema),
  keyName: z.string().min(1).optional(),
  instanceProfileArn: z.string().startsWith('arn:', { error: 'an instance profile ARN' }).optional(),
  launchTemplate: z
    .strictObject({
      id: LaunchTemplateIdSchema.optional(),
      name: z.string().min(3).max(128).optional(),
      version: z.string().min(1).optional(),
    })
    .optional(),
});
/** Launch settings in task inputs. */
export type LaunchSettingsInput = z.infer<typeof LaunchSettingsInputSchema>;

/** One instance to launch in the recovery region: a source instance and its recovery point. */
export const LaunchTargetSchema = z.strictObject({
  workload: WorkloadNameSchema,
  sourceInstanceId: InstanceIdSchema,
  imageId: ImageIdSchema,
  recoveryPointTime: IsoTimeSchema,
  isCritical: z.boolean(),
  launch: LaunchSettingsInputSchema,
});
/** One instance to launch. */
export type LaunchTarget = z.infer<typeof LaunchTargetSchema>;

/**
 * The state of a launched instance: EC2's instance state name, `not-started` before RunInstances
 * succeeded, `ready` once running with status checks `ok`, `impaired` when a status check failed,
 * `skipped` for an optional workload given up on.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html
 */
export const InstanceStateSchema = z.enum(
  ['not-started', 'pending', 'running', 'ready', 'impaired', 'shutting-down', 'terminated', 'stopping', 'stopped', 'skipped'],
  { error: 'an instance state such as "pending" or "ready"' },
);
/** The state of a launched instance. */
export type InstanceState = z.infer<typeof InstanceStateSchema>;

/** What launch-in-region substituted on insufficient capacity. */
export const SubstitutionSchema = z.strictObject({
  requested: z.strictObject({ instanceType: InstanceTypeSchema.nullable(), subnetId: SubnetIdSchema }),
  /** One line per rung that failed, e.g. `m5.large in subnet-…: InsufficientInstanceCapacity`. */
  reasons: z.array(z.string()),
});
/** A recorded substitution. */
export type Substitution = z.infer<typeof SubstitutionSchema>;

/** An instance launched (or to be launched) by `launch-in-region`. */
export const InstanceRefSchema = z.strictObject({
  workload: WorkloadNameSchema,
  sourceInstanceId: InstanceIdSchema,
  imageId: ImageIdSchema,
  instanceId: InstanceIdSchema.nullable(),
  /** The type launched or about to be tried; null when a launch template chooses it. */
  instanceType: InstanceTypeSchema.nullable(),
  subnetId: SubnetIdSchema,
  state: InstanceStateSchema,
  substitution: SubstitutionSchema.optional(),
});
/** An instance launched by `launch-in-region`. */
export type InstanceRef = z.infer<typeof InstanceRefSchema>;

/**
 * What a loop pass could not read or do because EC2 throttled it or failed transiently, one line
 * per call (`DescribeImages (this batch's AMIs): RequestLimitExceeded`). The items concerned kept
 * their previous state; the next pass tries again. Absent when nothing was throttled.
 */
export const ThrottledCallsSchema = z.array(z.string()).optional();

/**
 * Why a loop pass stopped before its work was done (issue 8, bounded passes): `count`, the task's
 * per-pass bound of actions; `time`, the Lambda's remaining time fell below the safety margin.
 * The work left is found and done by the next pass.
 */
export const PassStopSchema = z.enum(['count', 'time']);

/** Common fields of loop tasks' outputs. */
export const LoopProgressSchema = {
  isComplete: z.boolean(),
  pendingCount: z.number().int().min(0),
  throttled: ThrottledCallsSchema,
};
