import * as z from 'zod';
import { InstanceIdSchema, IsoTimeSchema, PlanNameSchema, RegionSchema } from './common.js';

/**
 * Input of `retire-instances` (a loop task): the failback's last step. Stops or terminates the
 * recovered instances it failed back, in the recovery region, and confirms they are down.
 */
export const RetireInstancesInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  /** The plan's `failback.retire.action`. */
  action: z.enum(['stop', 'terminate'], { error: 'one of "stop", "terminate"' }),
  /** The recovered instances (from `find-recovered-instances`). */
  instanceIds: z.array(InstanceIdSchema).max(1000),
  /** When the loop gives up (`Lifeboat.Timeout` naming what is still up). */
  deadline: IsoTimeSchema,
});
/** Input of `retire-instances`. */
export type RetireInstancesInput = z.infer<typeof RetireInstancesInputSchema>;

/** Output of `retire-instances`: one pass. */
export const RetireInstancesOutputSchema = z.strictObject({
  /** Instances this pass asked EC2 to stop or terminate. */
  retired: z.array(InstanceIdSchema),
  /** Instances not yet confirmed stopped (stop) or terminated (terminate). */
  remaining: z.array(InstanceIdSchema),
  /** Instances that are not this plan's recovered instances (wrong tags) or no longer exist: never touched. */
  ignored: z.array(z.strictObject({ instanceId: InstanceIdSchema, reason: z.string() })),
  /** True once a pass read every instance in its final state. */
  isComplete: z.boolean(),
  pendingCount: z.number().int().min(0),
  /** What kept this pass from finishing (throttled, transient), or null. */
  lastError: z.string().nullable(),
});
/** Output of `retire-instances`. */
export type RetireInstancesOutput = z.infer<typeof RetireInstancesOutputSchema>;
