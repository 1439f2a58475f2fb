import * as z from 'zod';
import { InstanceIdSchema, IsoTimeSchema, PassStopSchema, PlanNameSchema, RegionSchema } from './common.js';

/** At most this many instance ids are listed in `remaining` (the count is in `pendingCount`). */
export const TEARDOWN_REMAINING_LIMIT = 100;

/**
 * Input of `teardown` (a loop task): terminates this execution's drill instances in `region`
 * and confirms, on a later pass, that none is left pending, running, stopping or stopped.
 */
export const TeardownInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  /** When the loop gives up (`Lifeboat.Timeout` naming what remains): hours after it started. */
  deadline: IsoTimeSchema,
  /** From the previous pass: since when the region's EC2 endpoint has not answered (absent on the first pass). */
  unreachableSince: IsoTimeSchema.nullable().optional(),
});
/** Input of `teardown`. */
export type TeardownInput = z.infer<typeof TeardownInputSchema>;

/** Output of `teardown`: one pass. */
export const TeardownOutputSchema = z.strictObject({
  /**
   * Instances this pass asked EC2 to terminate (already terminated or shutting-down ones are not
   * listed), the first {@link TEARDOWN_REMAINING_LIMIT} by id: a pass of a 5,000-instance drill
   * must not put every id in its output (issue 8, "Any size").
   */
  terminated: z.array(InstanceIdSchema).max(TEARDOWN_REMAINING_LIMIT),
  /** How many instances this pass asked EC2 to terminate (all of them, listed or not). */
  terminatedCount: z.number().int().min(0),
  /** Instances not yet confirmed shutting-down or terminated (at most {@link TEARDOWN_REMAINING_LIMIT}). */
  remaining: z.array(InstanceIdSchema).max(TEARDOWN_REMAINING_LIMIT),
  /** True once a pass read this execution's drill instances and found none pending, running, stopping or stopped. */
  isComplete: z.boolean(),
  /** How many instances are not yet confirmed (or 1 when the pass could not read them at all). */
  pendingCount: z.number().int().min(0),
  /** What kept this pass from finishing (`Lifeboat.Throttled: …`), or null. */
  lastError: z.string().nullable(),
  /** Since when the region's EC2 endpoint has not answered (consecutive passes), or null. */
  unreachableSince: IsoTimeSchema.nullable(),
  /**
   * Present when the pass left instances for the next one on its bound (tasks/teardown:
   * `count`, `TEARDOWN_TERMINATES_PER_PASS`; `time`, the Lambda's remaining time ran short).
   */
  stoppedBy: PassStopSchema.optional(),
});
/** Output of `teardown`. */
export type TeardownOutput = z.infer<typeof TeardownOutputSchema>;
