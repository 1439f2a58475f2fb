import * as z from 'zod';

/**
 * The subset of the Amazon States Language that Lifeboat's workflows emit: JSONata only
 * (`QueryLanguage: "JSONata"` at the top), states Task, Pass, Choice, Wait, Map (inline, or
 * Distributed with an S3 `ItemReader` and `ResultWriter`), Parallel, Succeed and Fail, with `Arguments`, `Output`, `Assign`, `Retry`
 * and `Catch`. Strict: a JSONPath field (`Parameters`, `ResultPath`, `InputPath`, ...) or a
 * misspelt one is rejected, so the schema also proves that no JSONPath leaked into a definition.
 *
 * Hand-written types sit beside the schemas because the state tree is recursive (Map and
 * Parallel hold state machines); each schema is checked against its type by its annotation.
 *
 * @see https://states-language.net/spec.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html (JSONata in Step Functions)
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Any JSON value (recursive). */
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);

/**
 * A JSONata expression as Step Functions evaluates it: a string that is entirely `{% … %}`.
 * Kept on one line (asl-validator and the console both expect that).
 */
export const JsonataSchema = z
  .string()
  .regex(/^\{% .+ %\}$/, { error: 'a JSONata expression written "{% … %}" on one line' });

/** A state name: 1 to 80 characters (AWS limit). */
export const StateNameSchema = z
  .string()
  .min(1, { error: 'a state name of 1 to 80 characters' })
  .max(80, { error: 'a state name of 1 to 80 characters' });

/** An error name matched by `ErrorEquals` (`States.ALL`, `Lambda.ServiceException`, `Lifeboat.Throttled`, ...). */
export const ErrorNameSchema = z.string().min(1, { error: 'an error name' });

/** One retrier of a `Retry` field. */
export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
  Comment?: string;
}

/**
 * One retrier. `MaxDelaySeconds` caps the back-off; `JitterStrategy: FULL` spreads retries.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export const AslRetrierSchema: z.ZodType<AslRetrier> = z.strictObject({
  ErrorEquals: z.array(ErrorNameSchema).min(1),
  IntervalSeconds: z.number().int().min(1).max(99999999).optional(),
  MaxAttempts: z.number().int().min(0).max(99999999).optional(),
  BackoffRate: z.number().min(1).optional(),
  MaxDelaySeconds: z.number().int().min(1).max(31622400).optional(),
  JitterStrategy: z.enum(['FULL', 'NONE']).optional(),
  Comment: z.string().optional(),
});

/** One catcher of a `Catch` field (JSONata: may set `Output` and `Assign`). */
export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Comment?: string;
}

/** One catcher. */
export const AslCatcherSchema: z.ZodType<AslCatcher> = z.strictObject({
  ErrorEquals: z.array(ErrorNameSchema).min(1),
  Next: StateNameSchema,
  Output: JsonValueSchema.optional(),
  Assign: z.record(z.string(), JsonValueSchema).optional(),
  Comment: z.string().optional(),
});

/** The fields every state may have. */
interface AslBase {
  Comment?: string;
  QueryLanguage?: 'JSONata';
}

/** `Next` or `End: true` (exactly one, checked by the schema). */
interface AslTransition {
  Next?: string;
  End?: true;
}

/** A Task state. */
export interface AslTask extends AslBase, AslTransition {
  Type: 'Task';
  Resource: string;
  Arguments?: JsonValue;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
  TimeoutSeconds?: number | string;
  HeartbeatSeconds?: number | string;
}

/** A Pass state. */
export interface AslPass extends AslBase, AslTransition {
  Type: 'Pass';
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** One rule of a JSONata Choice state. */
export interface AslChoiceRule {
  Condition: string;
  Next: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Comment?: string;
}

/** A Choice state. */
export interface AslChoice extends AslBase {
  Type: 'Choice';
  Choices: AslChoiceRule[];
  Default?: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** A Wait state (`Seconds` or `Timestamp`, literal or JSONata). */
export interface AslWait extends AslBase, AslTransition {
  Type: 'Wait';
  Seconds?: number | string;
  Timestamp?: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** A state machine (top level, a Map's ItemProcessor, or a Parallel branch). */
export interface AslStateMachine {
  StartAt: string;
  States: Record<string, AslState>;
  Comment?: string;
}

/** How a Map runs its iterations: inline, or as child executions (Distributed). */
export type AslProcessorConfig = { Mode: 'INLINE' } | { Mode: 'DISTRIBUTED'; ExecutionType: 'STANDARD' | 'EXPRESS' };

/** A Distributed Map's item source: a JSON (or CSV) object in S3. */
export interface AslItemReader {
  Resource: 'arn:aws:states:::s3:getObject';
  ReaderConfig: { InputType: 'JSON' | 'CSV'; MaxItems?: number | string };
  Arguments: { Bucket: string; Key: string };
}

/** Where a Distributed Map writes its child executions' results (a manifest and result files). */
export interface AslResultWriter {
  Resource: 'arn:aws:states:::s3:putObject';
  Arguments: { Bucket: string; Prefix: string };
  WriterConfig?: { OutputType: 'JSON' | 'JSONL'; Transformation: 'NONE' | 'COMPACT' | 'FLATTEN' };
}

/** A Map state: inline, or Distributed (child executions, items from S3, results to S3). */
export interface AslMap extends AslBase, AslTransition {
  Type: 'Map';
  Items?: JsonValue;
  ItemReader?: AslItemReader;
  ItemSelector?: JsonValue;
  ItemProcessor: AslStateMachine & { ProcessorConfig?: AslProcessorConfig };
  ResultWriter?: AslResultWriter;
  Label?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailurePercentage?: number | string;
  MaxConcurrency?: number | string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
}

/** A Parallel state. */
export interface AslParallel extends AslBase, AslTransition {
  Type: 'Parallel';
  Branches: AslStateMachine[];
  Arguments?: JsonValue;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
}

/** A Succeed state. */
export interface AslSucceed extends AslBase {
  Type: 'Succeed';
  Output?: JsonValue;
}

/** A Fail state (`Error` and `Cause` literal or JSONata). */
export interface AslFail extends AslBase {
  Type: 'Fail';
  Error?: string;
  Cause?: string;
}

/** Any state we emit. */
export type AslState = AslTask | AslPass | AslChoice | AslWait | AslMap | AslParallel | AslSucceed | AslFail;

/** A whole definition as rendered by `workflows/render.ts`. */
export interface AslDefinition extends AslStateMachine {
  QueryLanguage: 'JSONata';
  TimeoutSeconds?: number;
  Version?: '1.0';
}

const assign = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a variable name' }), JsonValueSchema);
const base = {
  Comment: z.string().optional(),
  QueryLanguage: z.literal('JSONata').optional(),
};
const transition = {
  Next: StateNameSchema.optional(),
  End: z.literal(true).optional(),
};
const secondsOrJsonata = z.union([z.number().int().min(0), JsonataSchema]);

/** Exactly one of `Next` and `End: true`. */
function nextXorEnd(state: { Next?: string; End?: true }, ctx: z.core.$RefinementCtx): void {
  if ((state.Next === undefined) === (state.End === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'expected exactly one of "Next" and "End: true"', input: state });
  }
}

/** A state machine: `StartAt` and `States` (used for the top level, ItemProcessor and branches). */
export const AslStateMachineSchema: z.ZodType<AslStateMachine> = z.lazy(() =>
  z.strictObject({
    StartAt: StateNameSchema,
    States: z.record(StateNameSchema, AslStateSchema),
    Comment: z.string().optional(),
  }),
);

const TaskSchema = z
  .strictObject({
    ...base,
    ...transition,
    Type: z.literal('Task'),
    Resource: z.string().min(1),
    Arguments: JsonValueSchema.optional(),
    Output: JsonValueSchema.optional(),
    Assign: assign.optional(),
    Retry: z.array(AslRetrierSchema).optional(),
    Catch: z.array(AslCatcherSchema).optional(),
    TimeoutSeconds: z.union([z.number().int().min(1), JsonataSchema]).optional(),
    HeartbeatSeconds: z.union([z.number().int().min(1), JsonataSchema]).optional(),
  })
  .superRefine(nextXorEnd);

const PassSchema = z
  .strictObject({
    ...base,
    ...transition,
    Type: z.literal('Pass'),
    Output: JsonValueSchema.optional(),
    Assign: assign.optional(),
  })
  .superRefine(nextXorEnd);

const ChoiceRuleSchema = z.strictObject({
  Condition: JsonataSchema,
  Next: StateNameSchema,
  Output: JsonValueSchema.optional(),
  Assign: assign.optional(),
  Comment: z.string().optional(),
});

const ChoiceSchema = z.strictObject({
  ...base,
  Type: z.literal('Choice'),
  Choices: z.array(ChoiceRuleSchema).min(1),
  Default: StateNameSchema.optional(),
  Output: JsonValueSchema.optional(),
  Assign: assign.optional(),
});

const WaitSchema = z
  .strictObject({
    ...base,
    ...transition,
    Type: z.literal('Wait'),
    Seconds: secondsOrJsonata.optional(),
    Timestamp: z.string().optional(),
    Output: JsonValueSchema.optional(),
    Assign: assign.optional(),
  })
  .superRefine((state, ctx) => {
    nextXorEnd(state, ctx);
    if ((state.Seconds === undefined) === (state.Timestamp === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'expected exactly one of "Seconds" and "Timestamp"', input: state });
    }
  });

/** A value or a JSONata expression yielding it (a Distributed Map's S3 location fields). */
const stringOrJsonata = z.string().min(1);

const ItemReaderSchema = z.strictObject({
  Resource: z.literal('arn:aws:states:::s3:getObject'),
  ReaderConfig: z.strictObject({
    InputType: z.enum(['JSON', 'CSV']),
    MaxItems: secondsOrJsonata.optional(),
  }),
  Arguments: z.strictObject({ Bucket: stringOrJsonata, Key: stringOrJsonata }),
});

const ResultWriterSchema = z.strictObject({
  Resource: z.literal('arn:aws:states:::s3:putObject'),
  Arguments: z.strictObject({ Bucket: stringOrJsonata, Prefix: stringOrJsonata }),
  WriterConfig: z
    .strictObject({ OutputType: z.enum(['JSON', 'JSONL']), Transformation: z.enum(['NONE', 'COMPACT', 'FLATTEN']) })
    .optional(),
});

/**
 * A Map state. Inline, or Distributed: `ProcessorConfig.Mode: DISTRIBUTED` runs each item as a
 * child execution; its items come from `Items` or an S3 `ItemReader`, its results may go to S3
 * through a `ResultWriter`. The fields only a Distributed Map may have are refused on an inline one.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
const MapSchema = z
  .strictObject({
    ...base,
    ...transition,
    Type: z.literal('Map'),
    Items: z.union([z.array(JsonValueSchema), JsonataSchema]).optional(),
    ItemReader: ItemReaderSchema.optional(),
    ItemSelector: JsonValueSchema.optional(),
    ItemProcessor: z.strictObject({
      ProcessorConfig: z
        .union([
          z.strictObject({ Mode: z.literal('INLINE') }),
          z.strictObject({ Mode: z.literal('DISTRIBUTED'), ExecutionType: z.enum(['STANDARD', 'EXPRESS']) }),
        ])
        .optional(),
      StartAt: StateNameSchema,
      get States(): z.ZodType<Record<string, AslState>> {
        return z.record(StateNameSchema, AslStateSchema);
      },
      Comment: z.string().optional(),
    }),
    ResultWriter: ResultWriterSchema.optional(),
    Label: z.string().max(40).regex(/^[^\s?*<>{}\[\]:;,\\|^~$#%&`"]*$/).optional(),
    ToleratedFailureCount: secondsOrJsonata.optional(),
    ToleratedFailurePercentage: z.union([z.number().min(0).max(100), JsonataSchema]).optional(),
    MaxConcurrency: secondsOrJsonata.optional(),
    Output: JsonValueSchema.optional(),
    Assign: assign.optional(),
    Retry: z.array(AslRetrierSchema).optional(),
    Catch: z.array(AslCatcherSchema).optional(),
  })
  .superRefine((state, ctx) => {
    nextXorEnd(state, ctx);
    const distributed = state.ItemProcessor.ProcessorConfig?.Mode === 'DISTRIBUTED';
    if (!distributed) {
      for (const field of ['ItemReader', 'ResultWriter', 'Label', 'ToleratedFailureCount', 'ToleratedFailurePercentage'] as const) {
        if (state[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `"${field}" is only allowed on a Map with ProcessorConfig.Mode "DISTRIBUTED"`, input: state[field] });
        }
      }
    }
    if (state.Items !== undefined && state.ItemReader !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['ItemReader'], message: 'expected at most one of "Items" and "ItemReader"', input: state.ItemReader });
    }
  });

const ParallelSchema = z
  .strictObject({
    ...base,
    ...transition,
    Type: z.literal('Parallel'),
    get Branches(): z.ZodType<AslStateMachine[]> {
      return z.array(AslStateMachineSchema).min(1);
    },
    Arguments: JsonValueSchema.optional(),
    Output: JsonValueSchema.optional(),
    Assign: assign.optional(),
    Retry: z.array(AslRetrierSchema).optional(),
    Catch: z.array(AslCatcherSchema).optional(),
  })
  .superRefine(nextXorEnd);

const SucceedSchema = z.strictObject({
  ...base,
  Type: z.literal('Succeed'),
  Output: JsonValueSchema.optional(),
});

const FailSchema = z.strictObject({
  ...base,
  Type: z.literal('Fail'),
  Error: z.string().min(1).optional(),
  Cause: z.string().min(1).optional(),
});

/** Any state we emit, by `Type`. */
export const AslStateSchema: z.ZodType<AslState> = z.lazy(() =>
  z.discriminatedUnion('Type', [
    TaskSchema,
    PassSchema,
    ChoiceSchema,
    WaitSchema,
    MapSchema,
    ParallelSchema,
    SucceedSchema,
    FailSchema,
  ]),
);

/** A whole definition: JSONata at the top level, `StartAt`, `States`. */
export const AslDefinitionSchema: z.ZodType<AslDefinition> = z.strictObject({
  Comment: z.string().optional(),
  QueryLanguage: z.literal('JSONata'),
  StartAt: StateNameSchema,
  States: z.record(StateNameSchema, AslStateSchema),
  TimeoutSeconds: z.number().int().min(1).optional(),
  Version: z.literal('1.0').optional(),
});
