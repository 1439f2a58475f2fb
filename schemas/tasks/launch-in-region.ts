import * as z from 'zod';
import { ExtraTagsSchema, InstanceIdSchema, InstanceRefSchema, IsoTimeSchema, LaunchModeSchema, LaunchTargetSchema, PlanNameSchema, RegionSchema, SecurityGroupIdSchema, SubnetIdSchema, ThrottledCallsSchema, WorkloadNameSchema } from './common.js';

/** Input of `launch-in-region` (a loop task): launches each target and reports readiness. */
export const LaunchInRegionInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  mode: LaunchModeSchema,
  deadline: IsoTimeSchema,
  /** Drill: launch only in these subnets (and groups, when given) instead of the workloads' own. */
  isolation: z
    .strictObject({
      subnetIds: z.array(SubnetIdSchema).min(1),
      securityGroupIds: z.array(SecurityGroupIdSchema).optional(),
    })
    .optional(),
  targets: z.array(LaunchTargetSchema),
  /** The previous pass's output, absent on the first pass. */
  instances: z.array(InstanceRefSchema).optional(),
  /**
   * Set by the state machine on the loop's first pass when it is neither a retry of the Task nor
   * after a redrive: no instance carrying this execution's client tokens can exist yet, so the
   * pass launches without first looking the tokens up. Absent: the look-up is made.
   */
  isFirstAttempt: z.literal(true).optional(),
  /** Extra tags from the plan (`tags`). Lifeboat extension to the contract; optional. */
  tags: ExtraTagsSchema.optional(),
});
/** Input of `launch-in-region`. */
export type LaunchInRegionInput = z.infer<typeof LaunchInRegionInputSchema>;

/** How many instances of a nearly ready batch may still be waiting for it to be almost ready (`isAlmostReady`). */
export const ALMOST_READY_LEFT = 2;

/** Output of `launch-in-region`. */
export const LaunchInRegionOutputSchema = z.strictObject({
  instances: z.array(InstanceRefSchema),
  /** True when every instance not skipped is ready (running, status checks ok). */
  isComplete: z.boolean(),
  readyCount: z.number().int().min(0),
  /**
   * True when some instances are ready and every other one not skipped is running, its status
   * checks under way: the loop polls closely (`CLOSE_WAIT_SECONDS`). Absent otherwise.
   */
  isNearlyReady: z.literal(true).optional(),
  /**
   * With `isNearlyReady`: at most {@link ALMOST_READY_LEFT} instances are still to pass their checks
   * (the batch's tail); the loop polls every second (`TAIL_WAIT_SECONDS`). Absent otherwise.
   */
  isAlmostReady: z.literal(true).optional(),
  /** Optional workloads' source instances given up on, as `<workload>/<sourceInstanceId>`. */
  skipped: z.array(z.string()),
  /**
   * Instances of an earlier attempt replaced after a redrive (terminated or impaired), with why and
   * whether TerminateInstances was accepted this pass. Absent when none.
   */
  replaced: z
    .array(
      z.strictObject({
        workload: WorkloadNameSchema,
        sourceInstanceId: InstanceIdSchema,
        instanceId: InstanceIdSchema,
        reason: z.string(),
        isTerminated: z.boolean(),
      }),
    )
    .optional(),
  throttled: ThrottledCallsSchema,
});
/** Output of `launch-in-region`. */
export type LaunchInRegionOutput = z.infer<typeof LaunchInRegionOutputSchema>;

