import jsonata from 'jsonata';
import type { AslCatcher, AslDefinition, AslRetrier, AslState, AslStateMachine, JsonValue } from '../../../schemas/asl.js';

/**
 * A small, test-only interpreter for the JSONata ASL subset the workflows emit, so the tests can
 * run a rendered definition against fake task Lambdas and check what each task received. It is
 * not the sandbox: it follows the AWS rules the workflows depend on and nothing more —
 *
 * - only strings entirely `{% … %}` are evaluated; an expression yielding nothing fails the state
 *   with `States.QueryEvaluationError`;
 * - `Assign` expressions all see the variables from before the state; Map iterations read outer
 *   variables and keep their own;
 * - Retry counts attempts (no real time passes), `States.ALL` matches everything but
 *   `States.Runtime`; Catch may set `Assign` and `Output` with `$states.errorOutput`;
 * - redrive re-runs the failed state with the variables it had, and inside an inline Map only the
 *   iterations that did not succeed; `$states.context.Execution.RedriveCount` goes up by one.
 *
 * Time is virtual: each task call takes one second and a Wait advances the clock by its seconds.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */

/** A fake Lambda: gets the invocation payload, returns the function's result or throws. */
export type FakeLambda = (functionArn: string, payload: JsonValue) => Promise<JsonValue> | JsonValue;

/** An error as a task raises it: `name` is what Retry and Catch match. */
export class TaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** One observable step of a run. */
export type TraceEvent =
  | { kind: 'state'; name: string; time: string }
  | { kind: 'task'; name: string; functionArn: string; payload: JsonValue; time: string; attempt: number }
  | { kind: 'wait'; name: string; seconds: number }
  | { kind: 'retry'; name: string; error: string };

/** How a run ended. */
export interface RunResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: JsonValue;
  error?: string;
  cause?: string;
  /** The state that failed (FAILED only). */
  failedState?: string;
}

class StateFailure extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string | undefined,
    public resume: ResumePoint | undefined,
  ) {
    super(`${error}: ${cause ?? ''}`);
  }
}

interface Scope {
  readonly parent?: Scope;
  readonly vars: Map<string, JsonValue>;
}

interface ResumePoint {
  state: string;
  input: JsonValue;
  scope: Scope;
  map?: { results: (JsonValue | undefined)[]; failed: Map<number, ResumePoint>; items: JsonValue[] };
}

/** Options of {@link AslRunner}. */
export interface RunnerOptions {
  readonly lambda: FakeLambda;
  /** @default '2026-11-25T10:30:00.000Z' */
  readonly startTime?: string;
  /** @default 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-test:run-1' */
  readonly executionArn?: string;
}

/** Runs one execution of a definition; `redrive()` continues a failed one as AWS does. */
export class AslRunner {
  readonly trace: TraceEvent[] = [];
  /**
   * History events this run would write on AWS: 2 per state (Entered, Exited), 3 per Lambda call
   * (Scheduled, Started, Succeeded/Failed), 2 per inline Map (Started, Succeeded) and 2 per
   * iteration, 2 for the execution (Started, Succeeded/Failed).
   */
  events = 0;
  private clock: number;
  private redriveCount = 0;
  private pending: ResumePoint | undefined;
  private readonly executionArn: string;
  private readonly startTime: string;
  private input: JsonValue = {};

  constructor(
    private readonly definition: AslDefinition,
    private readonly options: RunnerOptions,
  ) {
    this.startTime = options.startTime ?? '2026-11-25T10:30:00.000Z';
    this.clock = Date.parse(this.startTime);
    this.executionArn = options.executionArn ?? 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-test:run-1';
  }

  /** The virtual time now (ISO). */
  now(): string {
    return new Date(this.clock).toISOString();
  }

  /** Starts the execution with `input` and runs it to its end. */
  async start(input: JsonValue): Promise<RunResult> {
    this.input = input;
    this.events += 1;
    const scope: Scope = { vars: new Map() };
    return this.finish(() => this.runMachine(this.definition, this.definition.StartAt, input, scope));
  }

  /** Redrives the failed execution: re-runs the failed state (and only failed Map iterations). */
  async redrive(): Promise<RunResult> {
    const point = this.pending;
    if (point === undefined) throw new Error('redrive: the execution has not failed');
    this.redriveCount += 1;
    return this.finish(() => this.runMachine(this.definition, point.state, point.input, point.scope, point));
  }

  /** The task calls of the run so far, optionally for one task id. */
  taskCalls(task?: string): Extract<TraceEvent, { kind: 'task' }>[] {
    return this.trace.filter(
      (e): e is Extract<TraceEvent, { kind: 'task' }> =>
        e.kind === 'task' && (task === undefined || (e.payload as { task?: string }).task === task),
    );
  }

  private async finish(run: () => Promise<JsonValue>): Promise<RunResult> {
    this.events += 1; // ExecutionSucceeded/Failed (ExecutionRedriven for a redrive)
    try {
      const output = await run();
      this.pending = undefined;
      return { status: 'SUCCEEDED', output };
    } catch (e) {
      if (!(e instanceof StateFailure)) throw e;
      this.pending = e.resume;
      const failedState = innermost(e.resume);
      return { status: 'FAILED', error: e.error, ...(e.cause !== undefined ? { cause: e.cause } : {}), ...(failedState ? { failedState } : {}) };
    }
  }

  private async runMachine(
    machine: AslStateMachine,
    startAt: string,
    firstInput: JsonValue,
    scope: Scope,
    resume?: ResumePoint,
  ): Promise<JsonValue> {
    let name = startAt;
    let input = firstInput;
    let resuming = resume;
    for (let steps = 0; steps < 100_000; steps++) {
      const state = machine.States[name];
      if (state === undefined) throw new Error(`run-asl: no state named ${JSON.stringify(name)}`);
      const enteredTime = this.now();
      this.trace.push({ kind: 'state', name, time: enteredTime });
      this.events += 2;
      let result: { output: JsonValue; next?: string };
      try {
        result = await this.runState(name, state, input, scope, enteredTime, resuming);
      } catch (e) {
        if (e instanceof StateFailure && e.resume === undefined) e.resume = { state: name, input, scope };
        throw e;
      }
      resuming = undefined;
      if (result.next === undefined) return result.output;
      name = result.next;
      input = result.output;
    }
    throw new Error('run-asl: more than 100000 transitions (a loop that never ends?)');
  }

  private bindings(scope: Scope, states: Record<string, JsonValue>): Record<string, unknown> {
    const chain: Scope[] = [];
    for (let s: Scope | undefined = scope; s; s = s.parent) chain.unshift(s);
    const vars: Record<string, unknown> = {};
    for (const s of chain) for (const [k, v] of s.vars) vars[k] = v;
    // `$parse` is one of the functions Step Functions adds to JSONata.
    return { ...vars, states, parse: (text: string) => JSON.parse(text) as unknown };
  }

  private async evaluate(value: JsonValue | undefined, scope: Scope, states: Record<string, JsonValue>, field: string): Promise<JsonValue> {
    if (value === undefined) return null;
    if (typeof value === 'string') {
      const m = /^\{%(.*)%\}$/s.exec(value);
      if (m === null) return value;
      let result: unknown;
      try {
        result = await jsonata(m[1]!).evaluate({}, this.bindings(scope, states));
      } catch (e) {
        throw new StateFailure('States.QueryEvaluationError', `${field}: ${(e as Error).message}`, undefined);
      }
      if (result === undefined) {
        throw new StateFailure('States.QueryEvaluationError', `${field}: the JSONata expression ${m[1]!.trim()} returned nothing`, undefined);
      }
      return toJson(result);
    }
    if (Array.isArray(value)) {
      const out: JsonValue[] = [];
      for (const [i, v] of value.entries()) out.push(await this.evaluate(v, scope, states, `${field}[${i}]`));
      return out;
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await this.evaluate(v, scope, states, `${field}/${k}`);
      return out;
    }
    return value;
  }

  private async assign(
    assign: Record<string, JsonValue> | undefined,
    scope: Scope,
    states: Record<string, JsonValue>,
  ): Promise<void> {
    if (assign === undefined) return;
    const values: [string, JsonValue][] = [];
    for (const [k, v] of Object.entries(assign)) values.push([k, await this.evaluate(v, scope, states, `Assign/${k}`)]);
    for (const [k, v] of values) scope.vars.set(k, v);
  }

  private context(name: string, enteredTime: string, extra: Record<string, JsonValue> = {}): Record<string, JsonValue> {
    return {
      Execution: { Id: this.executionArn, StartTime: this.startTime, RedriveCount: this.redriveCount, Input: this.input, Name: 'run-1' },
      State: { Name: name, EnteredTime: enteredTime, RetryCount: 0 },
      ...extra,
    };
  }

  private async runState(
    name: string,
    state: AslState,
    input: JsonValue,
    scope: Scope,
    enteredTime: string,
    resume: ResumePoint | undefined,
  ): Promise<{ output: JsonValue; next?: string }> {
    const base = { input, context: this.context(name, enteredTime) };
    switch (state.Type) {
      case 'Pass': {
        const output = state.Output === undefined ? input : await this.evaluate(state.Output, scope, base, 'Output');
        await this.assign(state.Assign, scope, base);
        return state.Next === undefined ? { output } : { output, next: state.Next };
      }
      case 'Wait': {
        const seconds = await this.evaluate(state.Seconds as JsonValue, scope, base, 'Seconds');
        if (typeof seconds !== 'number' || seconds < 0) throw new StateFailure('States.Runtime', `${name}: Seconds is ${JSON.stringify(seconds)}`, undefined);
        this.trace.push({ kind: 'wait', name, seconds });
        this.clock += seconds * 1000;
        const output = state.Output === undefined ? input : await this.evaluate(state.Output, scope, base, 'Output');
        await this.assign(state.Assign, scope, base);
        return state.Next === undefined ? { output } : { output, next: state.Next };
      }
      case 'Choice': {
        for (const rule of state.Choices) {
          const ok = await this.evaluate(rule.Condition, scope, base, 'Condition');
          if (ok === true) {
            await this.assign(rule.Assign, scope, base);
            return { output: input, next: rule.Next };
          }
        }
        if (state.Default === undefined) throw new StateFailure('States.NoChoiceMatched', name, undefined);
        return { output: input, next: state.Default };
      }
      case 'Succeed':
        return { output: state.Output === undefined ? input : await this.evaluate(state.Output, scope, base, 'Output') };
      case 'Fail': {
        const error = await this.evaluate(state.Error ?? 'States.Fail', scope, base, 'Error');
        const cause = state.Cause === undefined ? undefined : await this.evaluate(state.Cause, scope, base, 'Cause');
        throw new StateFailure(String(error), cause === undefined ? undefined : String(cause), undefined);
      }
      case 'Task':
        return this.withRetryAndCatch(name, state.Retry, state.Catch, scope, enteredTime, input, state.Next, async (attempt) => {
          const args = (await this.evaluate(state.Arguments ?? {}, scope, base, 'Arguments')) as Record<string, JsonValue>;
          const functionArn = String(args.FunctionName);
          this.trace.push({ kind: 'task', name, functionArn, payload: args.Payload ?? null, time: this.now(), attempt });
          this.events += 3;
          this.clock += 1000;
          let payload: JsonValue;
          try {
            payload = await this.options.lambda(functionArn, args.Payload ?? null);
          } catch (e) {
            const err = e as Error;
            throw new StateFailure(err.name, JSON.stringify({ errorType: err.name, errorMessage: err.message }), undefined);
          }
          const states = { ...base, result: { Payload: payload, StatusCode: 200 } };
          const output = state.Output === undefined ? states.result : await this.evaluate(state.Output, scope, states, 'Output');
          await this.assign(state.Assign, scope, states);
          return output;
        });
      case 'Map':
        return this.withRetryAndCatch(name, state.Retry, state.Catch, scope, enteredTime, input, state.Next, async () => {
          const items = resume?.map?.items ?? ((await this.evaluate(state.Items ?? '{% $states.input %}', scope, base, 'Items')) as JsonValue[]);
          if (!Array.isArray(items)) throw new StateFailure('States.Runtime', `${name}: Items is not an array`, undefined);
          const results: (JsonValue | undefined)[] = resume?.map?.results ?? items.map(() => undefined);
          const failed = new Map<number, ResumePoint>();
          this.events += 2;
          let failure: StateFailure | undefined;
          for (const [index, value] of items.entries()) {
            if (results[index] !== undefined) continue;
            if (failure !== undefined) continue; // later iterations never started (MaxConcurrency 1 model)
            const prior = resume?.map?.failed.get(index);
            this.events += 2;
            try {
              if (prior !== undefined) {
                results[index] = await this.runMachine(state.ItemProcessor, prior.state, prior.input, prior.scope, prior);
              } else {
                const itemContext = this.context(name, enteredTime, { Map: { Item: { Index: index, Value: value } } });
                const itemInput =
                  state.ItemSelector === undefined
                    ? value
                    : await this.evaluate(state.ItemSelector, scope, { input, context: itemContext }, 'ItemSelector');
                const iterationScope: Scope = { parent: scope, vars: new Map() };
                results[index] = await this.runMachine(state.ItemProcessor, state.ItemProcessor.StartAt, itemInput, iterationScope);
              }
            } catch (e) {
              if (!(e instanceof StateFailure)) throw e;
              if (e.resume !== undefined) failed.set(index, e.resume);
              failure = e;
            }
          }
          if (failure !== undefined) {
            throw new StateFailure(failure.error, failure.cause, { state: name, input, scope, map: { results, failed, items } });
          }
          const states = { ...base, result: results as JsonValue[] };
          const output = state.Output === undefined ? states.result : await this.evaluate(state.Output, scope, states, 'Output');
          await this.assign(state.Assign, scope, states);
          return output;
        });
      case 'Parallel':
        throw new Error('run-asl: Parallel is not used by the workflows');
    }
  }

  private async withRetryAndCatch(
    name: string,
    retry: AslRetrier[] | undefined,
    catchers: AslCatcher[] | undefined,
    scope: Scope,
    enteredTime: string,
    input: JsonValue,
    next: string | undefined,
    attemptOnce: (attempt: number) => Promise<JsonValue>,
  ): Promise<{ output: JsonValue; next?: string }> {
    const attempts = new Map<AslRetrier, number>();
    for (let attempt = 0; ; attempt++) {
      try {
        const output = await attemptOnce(attempt);
        return next === undefined ? { output } : { output, next };
      } catch (e) {
        if (!(e instanceof StateFailure)) throw e;
        const retrier = retry?.find((r) => matches(r.ErrorEquals, e.error));
        if (retrier !== undefined && (attempts.get(retrier) ?? 0) < (retrier.MaxAttempts ?? 3)) {
          attempts.set(retrier, (attempts.get(retrier) ?? 0) + 1);
          this.trace.push({ kind: 'retry', name, error: e.error });
          continue;
        }
        const catcher = catchers?.find((c) => matches(c.ErrorEquals, e.error));
        if (catcher === undefined) throw e;
        const errorOutput: JsonValue = e.cause === undefined ? { Error: e.error } : { Error: e.error, Cause: e.cause };
        const states = { input, context: this.context(name, enteredTime), errorOutput };
        const output = catcher.Output === undefined ? errorOutput : await this.evaluate(catcher.Output, scope, states, 'Catch/Output');
        await this.assign(catcher.Assign, scope, states);
        return { output, next: catcher.Next };
      }
    }
  }
}

function matches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.some((e) => e === error || (e === 'States.ALL' && error !== 'States.Runtime'));
}

function innermost(point: ResumePoint | undefined): string | undefined {
  if (point === undefined) return undefined;
  const inner = point.map === undefined ? undefined : [...point.map.failed.values()][0];
  return inner === undefined ? point.state : innermost(inner);
}

function toJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
