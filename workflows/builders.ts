import type {
  AslCatcher,
  AslChoice,
  AslChoiceRule,
  AslFail,
  AslMap,
  AslPass,
  AslRetrier,
  AslState,
  AslStateMachine,
  AslSucceed,
  AslTask,
  AslWait,
  JsonValue,
} from '../schemas/asl.js';
import type { TaskId } from '../schemas/tasks/index.js';

/**
 * Small typed builders for the JSONata ASL that `render.ts` emits. A workflow is a set of
 * {@link Fragment}s (named states) joined into a state machine; every builder returns plain
 * JSON, so what a test inspects is exactly what Step Functions receives.
 */

/** A set of named states; fragments are merged with {@link fragment} and must not share names. */
export type Fragment = Record<string, AslState>;

/**
 * Wraps a JSONata expression the way Step Functions evaluates it (`{% … %}`, one line).
 *
 * @example jsonata('$states.input.isComplete') // '{% $states.input.isComplete %}'
 */
export function jsonata(expression: string): string {
  const oneLine = expression.replace(/\s*\n\s*/g, ' ').trim();
  if (oneLine.length === 0) throw new Error('jsonata: expected an expression, found an empty string');
  return `{% ${oneLine} %}`;
}

/**
 * A string literal inside a JSONata expression (JSON string syntax is valid JSONata).
 *
 * @example str('Copy images') // '"Copy images"'
 */
export function str(value: string): string {
  return JSON.stringify(value);
}

/**
 * A JSON value embedded as a JSONata literal (objects and arrays use JSON syntax, valid JSONata).
 */
export function lit(value: JsonValue): string {
  return JSON.stringify(value);
}

/**
 * Guards a literal that goes into a JSONata-mode field: Step Functions evaluates any string that
 * is entirely `{% … %}`, so a plan value shaped like that would run as code. Throws with the path.
 */
export function literal<T extends JsonValue>(value: T, where: string): T {
  const visit = (v: JsonValue, path: string): void => {
    if (typeof v === 'string') {
      if (/^\{%[\s\S]*%\}$/.test(v)) {
        throw new Error(`${path}: expected a plain value, found ${JSON.stringify(v)}, which Step Functions would evaluate as JSONata`);
      }
      if (v.length === 0) throw new Error(`${path}: expected a non-empty string, found ""`);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) visit(item, `${path}.${k}`);
    }
  };
  visit(value, where);
  return value;
}

/**
 * A JSONata object expression from fields that are themselves JSONata expressions; `optional`
 * fields are left out when their expression is null or missing (Step Functions fails a field
 * whose expression yields nothing, so optional task inputs must be built this way).
 *
 * @example objectExpr({ a: '$x' }, { b: '$y' }) // '$merge([{"a": $x}, $y = null ? {} : {"b": $y}])'
 */
export function objectExpr(required: Record<string, string>, optional: Record<string, string> = {}): string {
  const body = `{${Object.entries(required)
    .map(([k, e]) => `${str(k)}: ${e}`)
    .join(', ')}}`;
  const extras = Object.entries(optional);
  if (extras.length === 0) return body;
  const parts = extras.map(([k, e]) => `($exists(${e}) and ${e} != null ? {${str(k)}: ${e}} : {})`);
  return `$merge([${[body, ...parts].join(', ')}])`;
}

/** Context fields every task receives (docs/contracts.md, "Conventions"). */
export const TASK_CONTEXT: Record<string, string> = {
  executionArn: jsonata('$states.context.Execution.Id'),
  stateName: jsonata('$states.context.State.Name'),
  stateEnteredTime: jsonata('$states.context.State.EnteredTime'),
  redriveCount: jsonata('$states.context.Execution.RedriveCount'),
};

/** Options of {@link task}. */
export interface TaskOptions {
  /** The function ARN (or a CDK substitution such as `${TaskArn_copy}`). */
  readonly functionArn: string;
  /** The task's input: a JSONata expression (the whole object) or a JSON template. */
  readonly input: string | Record<string, JsonValue>;
  /** Variables to set from the result (`$states.result.Payload`). */
  readonly assign?: Record<string, JsonValue>;
  /** The state's output. @default the task's own output, `$states.result.Payload` */
  readonly output?: JsonValue;
  readonly retry: readonly AslRetrier[];
  readonly catch?: readonly AslCatcher[];
  /** Next state; omitted only for the rare task that ends a state machine. */
  readonly next: string;
  readonly comment?: string;
  /** Where the deployment stored static input fields (the envelope's `storedInput`; `storedInput` in workflows/scale.ts). */
  readonly storedInput?: { [key: string]: JsonValue };
}

/**
 * A Task invoking a Lifeboat task Lambda through the optimised integration, with the envelope
 * `{ task, context, input }` of docs/contracts.md.
 *
 * @example task('copy', { functionArn, input: jsonata('{"images": $images}'), retry: STANDARD_RETRY, next: 'Copies available?' })
 */
export function task(id: TaskId, options: TaskOptions): AslTask {
  const state: AslTask = {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Arguments: {
      FunctionName: options.functionArn,
      Payload: { task: id, context: TASK_CONTEXT, input: options.input, ...(options.storedInput !== undefined ? { storedInput: options.storedInput } : {}) },
    },
    Output: options.output ?? jsonata('$states.result.Payload'),
    Retry: options.retry.map((r) => ({ ...r, ErrorEquals: [...r.ErrorEquals] })),
    Next: options.next,
  };
  if (options.comment !== undefined) state.Comment = options.comment;
  if (options.assign !== undefined) state.Assign = options.assign;
  if (options.catch !== undefined) state.Catch = options.catch.map((c) => ({ ...c, ErrorEquals: [...c.ErrorEquals] }));
  return state;
}

/** A Pass state that sets variables and/or shapes its output. */
export function pass(options: { assign?: Record<string, JsonValue>; output?: JsonValue; next: string; comment?: string }): AslPass {
  const state: AslPass = { Type: 'Pass', Next: options.next };
  if (options.comment !== undefined) state.Comment = options.comment;
  if (options.assign !== undefined) state.Assign = options.assign;
  if (options.output !== undefined) state.Output = options.output;
  return state;
}

/** One rule of {@link choice}: a JSONata condition (without the `{% %}`), a target, optional variables. */
export interface ChoiceRule {
  readonly when: string;
  readonly next: string;
  readonly assign?: Record<string, JsonValue>;
}

/** A Choice state with JSONata `Condition`s. */
export function choice(options: { rules: readonly ChoiceRule[]; otherwise: string; comment?: string }): AslChoice {
  const state: AslChoice = {
    Type: 'Choice',
    Choices: options.rules.map((r) => {
      const rule: AslChoiceRule = { Condition: jsonata(r.when), Next: r.next };
      if (r.assign !== undefined) rule.Assign = r.assign;
      return rule;
    }),
    Default: options.otherwise,
  };
  if (options.comment !== undefined) state.Comment = options.comment;
  return state;
}

/** A Wait state: the state machine waits, a Lambda never sleeps. `seconds` is a number or a JSONata expression. */
export function wait(options: { seconds: number | string; assign?: Record<string, JsonValue>; next: string; comment?: string }): AslWait {
  const state: AslWait = {
    Type: 'Wait',
    Seconds: typeof options.seconds === 'number' ? options.seconds : jsonata(options.seconds),
    Next: options.next,
  };
  if (options.comment !== undefined) state.Comment = options.comment;
  if (options.assign !== undefined) state.Assign = options.assign;
  return state;
}

/** Options of {@link map}. */
export interface MapOptions {
  /** JSONata expression (without `{% %}`) yielding the array to iterate. */
  readonly items: string;
  /** Each iteration's input (JSON template, may use `$states.context.Map.Item.Value`). */
  readonly itemSelector: JsonValue;
  readonly iteration: AslStateMachine;
  readonly maxConcurrency: number;
  readonly output?: JsonValue;
  readonly assign?: Record<string, JsonValue>;
  readonly catch?: readonly AslCatcher[];
  readonly next: string;
  readonly comment?: string;
}

/** An inline Map state. */
export function map(options: MapOptions): AslMap {
  const state: AslMap = {
    Type: 'Map',
    Items: jsonata(options.items),
    ItemSelector: options.itemSelector,
    ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...options.iteration },
    MaxConcurrency: options.maxConcurrency,
    Next: options.next,
  };
  return withMapExtras(state, options);
}

/** Options of {@link distributedMap}. */
export interface DistributedMapOptions {
  /** The item list: a JSON array in S3 (each field a literal or a `{% … %}` expression). */
  readonly itemReader: { readonly bucket: string; readonly key: string };
  /** Each child execution's input (JSON template; `$states.context.Map.Item.Value` is the item). */
  readonly itemSelector: JsonValue;
  /** The child workflow (runs as its own Standard execution: it cannot read the parent's variables). */
  readonly iteration: AslStateMachine;
  readonly maxConcurrency: number;
  /** Where the children's results go: a manifest and result files under `prefix`. */
  readonly resultWriter: { readonly bucket: string; readonly prefix: string };
  /** Shown in child execution names. */
  readonly label: string;
  readonly output?: JsonValue;
  readonly assign?: Record<string, JsonValue>;
  readonly catch?: readonly AslCatcher[];
  readonly next: string;
  readonly comment?: string;
}

/**
 * A Distributed Map: one Standard child execution per item of a JSON list in S3, the results
 * written back to S3 (`Transformation: COMPACT`: each child's output as it returned it). No
 * failure is tolerated: one failed child fails the Map (and a redrive re-runs only the failed ones).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
export function distributedMap(options: DistributedMapOptions): AslMap {
  const state: AslMap = {
    Type: 'Map',
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'JSON' },
      Arguments: { Bucket: options.itemReader.bucket, Key: options.itemReader.key },
    },
    ItemSelector: options.itemSelector,
    ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...options.iteration },
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Arguments: { Bucket: options.resultWriter.bucket, Prefix: options.resultWriter.prefix },
      WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' },
    },
    Label: options.label,
    MaxConcurrency: options.maxConcurrency,
    ToleratedFailureCount: 0,
    Next: options.next,
  };
  return withMapExtras(state, options);
}

/** The optional fields both Map builders share, set in the order the rendered ASL has them. */
function withMapExtras(
  state: AslMap,
  options: { readonly comment?: string; readonly output?: JsonValue; readonly assign?: Record<string, JsonValue>; readonly catch?: readonly AslCatcher[] },
): AslMap {
  if (options.comment !== undefined) state.Comment = options.comment;
  if (options.output !== undefined) state.Output = options.output;
  if (options.assign !== undefined) state.Assign = options.assign;
  if (options.catch !== undefined) state.Catch = options.catch.map((c) => ({ ...c, ErrorEquals: [...c.ErrorEquals] }));
  return state;
}

/** A Succeed state with an optional output. */
export function succeed(options: { output?: JsonValue; comment?: string } = {}): AslSucceed {
  const state: AslSucceed = { Type: 'Succeed' };
  if (options.comment !== undefined) state.Comment = options.comment;
  if (options.output !== undefined) state.Output = options.output;
  return state;
}

/** A Fail state; `error` and `cause` are literals or `{% … %}` strings. */
export function fail(options: { error: string; cause: string; comment?: string }): AslFail {
  const state: AslFail = { Type: 'Fail', Error: options.error, Cause: options.cause };
  if (options.comment !== undefined) state.Comment = options.comment;
  return state;
}

/**
 * Merges fragments into one set of states, refusing a state name used twice.
 *
 * @example fragment(imageSteps, copySteps, { 'Verify copies': verifyState })
 */
export function fragment(...parts: readonly Fragment[]): Fragment {
  const out: Fragment = {};
  for (const part of parts) {
    for (const [name, state] of Object.entries(part)) {
      if (name in out) throw new Error(`fragment: state name ${JSON.stringify(name)} is used twice; state names must be unique`);
      out[name] = state;
    }
  }
  return out;
}
