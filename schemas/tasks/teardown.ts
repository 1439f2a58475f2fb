import { z } from 'zod';
import { InstanceIdSchema, PlanNameSchema, RegionSchema } from './common.js';

/** Input of `teardown`: terminates this execution's drill instances in `region`. */
export const TeardownInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
});
/** Input of `teardown`. */
export type TeardownInput = z.infer<typeof TeardownInputSchema>;

/** Output of `teardown`. */
export const TeardownOutputSchema = z.strictObject({
  /** Instances this call asked EC2 to terminate (already terminated ones are not listed). */
  terminated: z.array(InstanceIdSchema),
});
/** Output of `teardown`. */
export type TeardownOutput = z.infer<typeof TeardownOutputSchema>;
