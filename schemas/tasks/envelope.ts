import * as z from 'zod';
import { ExecutionArnSchema, IsoTimeSchema } from './common.js';
import { TaskIdSchema } from './index.js';
import { StoredInputSchema } from './store.js';

/**
 * The Step Functions context a task is invoked with (docs/contracts.md, "Conventions").
 *
 * `redriveCount` is a number when rendered by JSONata (`{% $states.context.Execution.RedriveCount %}`);
 * a string of digits is accepted as well, since a JSONPath `.$` field would hand it over as is.
 */
export const TaskContextInputSchema = z.strictObject({
  executionArn: ExecutionArnSchema,
  /** The Task state's name, e.g. `Copy image`. */
  stateName: z.string({ error: 'a state name' }).min(1, { error: 'a state name' }).max(80),
  /** `$states.context.State.EnteredTime`: the task's "now". */
  stateEnteredTime: IsoTimeSchema,
  redriveCount: z.union([z.number().int().min(0), z.string().regex(/^\d+$/)], {
    error: 'a redrive count (a whole number from 0)',
  }),
  /**
   * `$states.context.Task.Token` of a `.waitForTaskToken` state ("Await approval"). The task never
   * logs or publishes it; `lifeboat approve` finds it in the TaskScheduled event (docs/decisions/0015).
   */
  taskToken: z.string().min(1).max(2048).optional(),
});
/** The Step Functions context in a task's payload. */
export type TaskContextInput = z.infer<typeof TaskContextInputSchema>;

/**
 * The Lambda payload every task receives: `{ task, context, input }`, and `storedInput` when the
 * workflow keeps part of the input in the run bucket (a distributed plan's workload table).
 *
 * `input` is validated afterwards by the task's own input schema.
 */
export const TaskEnvelopeSchema = z.strictObject({
  task: TaskIdSchema,
  context: TaskContextInputSchema,
  input: z.unknown(),
  /**
   * Static input fields too large for the definition (a distributed plan's workload table),
   * written to the run bucket by the deployment (docs/decisions/0021): an object whose fields
   * join `input` before it is validated. A field may not be in both.
   */
  storedInput: StoredInputSchema.optional(),
});
/** The Lambda payload every task receives. */
export type TaskEnvelope = z.infer<typeof TaskEnvelopeSchema>;
