import * as z from 'zod';
import { PlanNameSchema, RegionSchema, RunKindSchema } from './common.js';

/** Input of `record-failure`: the failure path's first step (docs/contracts.md, "Workflows"). */
export const RecordFailureInputSchema = z.strictObject({
  kind: RunKindSchema,
  planName: PlanNameSchema,
  region: RegionSchema,
  /** The state that failed. */
  step: z.string().min(1).max(80),
  /** The error name (`$states.errorOutput.Error`). */
  error: z.string(),
  /** The cause (`$states.errorOutput.Cause`); Step Functions leaves it out for some errors. */
  cause: z.string().optional(),
  /** `$states.context.Execution.RedriveCount` when the step failed. */
  failedAtRedriveCount: z.number().int().min(0),
  /** True: throw `Lifeboat.StepFailed` (backup, failover); false: return (drill goes on to teardown). */
  isFinal: z.boolean(),
});
/** Input of `record-failure`. */
export type RecordFailureInput = z.infer<typeof RecordFailureInputSchema>;

/** Output of `record-failure`. */
export const RecordFailureOutputSchema = z.strictObject({
  /** True when the run was redriven after the failure: go back to `step`. */
  resume: z.boolean(),
});
/** Output of `record-failure`. */
export type RecordFailureOutput = z.infer<typeof RecordFailureOutputSchema>;
