import * as z from 'zod';
import { PlanNameSchema, RegionSchema } from './common.js';

/** Input of `check-overlap`: is another execution of this backup's own state machine still running? */
export const CheckOverlapInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
});
/** Input of `check-overlap`. */
export type CheckOverlapInput = z.infer<typeof CheckOverlapInputSchema>;

/** Output of `check-overlap`. */
export const CheckOverlapOutputSchema = z.strictObject({
  /** True when an earlier execution of the same state machine is RUNNING: this one should not start a second backup. */
  isPreviousRunning: z.boolean(),
  /** The running ones (at most 10), oldest first. */
  previous: z.array(z.strictObject({ executionArn: z.string(), startDate: z.string() })).max(10),
});
/** Output of `check-overlap`. */
export type CheckOverlapOutput = z.infer<typeof CheckOverlapOutputSchema>;
