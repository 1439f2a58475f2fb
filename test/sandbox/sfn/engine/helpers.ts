import { VirtualClock } from '../../../../sandbox/clock.js';
import { SeededRandom } from '../../../../sandbox/random.js';
import { Execution, type EngineHost, type HistoryEvent, type LambdaResult } from '../../../../sandbox/sfn/engine/index.js';

/** A function registered with the test host: returns the payload, or throws (its `name` is the errorType). */
export type TestFunction = (payload: any) => unknown | Promise<unknown>;

/** 2024-01-01T00:00:00Z: every test execution starts at this simulated instant. */
export const T0 = Date.UTC(2024, 0, 1);

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** The ARN of a test function. */
export function fnArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

/** A host whose `invokeLambda` calls in-process functions by name or ARN, on a virtual clock. */
export function testHost(functions: Record<string, TestFunction> = {}, seed = 1): EngineHost & { clock: VirtualClock; calls: Array<{ fn: string; payload: unknown }> } {
  const clock = new VirtualClock({ startMs: T0 });
  const calls: Array<{ fn: string; payload: unknown }> = [];
  return {
    clock,
    calls,
    random: new SeededRandom(seed),
    region: REGION,
    accountId: ACCOUNT,
    async invokeLambda(functionArn: string, payload: unknown): Promise<LambdaResult> {
      const name = functionArn.split(':').length >= 7 ? functionArn.split(':')[6]! : functionArn;
      calls.push({ fn: name, payload });
      const fn = functions[name];
      if (!fn) {
        return {
          kind: 'service-error',
          error: 'Lambda.ResourceNotFoundException',
          cause: `Function not found: ${fnArn(name)} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException)`,
        };
      }
      try {
        return { kind: 'ok', payload: (await fn(JSON.parse(JSON.stringify(payload ?? null)))) ?? null };
      } catch (err) {
        const e = err as Error;
        return { kind: 'function-error', errorType: e.name, errorMessage: e.message, trace: [`${e.name}: ${e.message}`] };
      }
    },
  };
}

/** Builds an error class whose `name` is set explicitly, as Lambda reports `error.name`. */
export function namedError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export interface RunOptions {
  readonly input?: unknown;
  readonly functions?: Record<string, TestFunction>;
  readonly host?: ReturnType<typeof testHost>;
  readonly name?: string;
}

/** Starts an execution of `definition` (an object) on a test host. */
export function start(definition: object, opts: RunOptions = {}): { exec: Execution; host: ReturnType<typeof testHost> } {
  const host = opts.host ?? testHost(opts.functions);
  const name = opts.name ?? 'test-exec';
  const exec = Execution.start({
    executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:sm:${name}`,
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:sm`,
    name,
    definition: JSON.stringify(definition),
    input: JSON.stringify(opts.input ?? {}),
    roleArn: `arn:aws:iam::${ACCOUNT}:role/sfn`,
    host,
  });
  return { exec, host };
}

/** Runs an execution to its end and returns it. */
export async function run(definition: object, opts: RunOptions = {}): Promise<Execution> {
  const { exec } = start(definition, opts);
  await exec.whenClosed();
  return exec;
}

/** Event types in order. */
export function types(exec: { events: readonly HistoryEvent[] }): string[] {
  return exec.events.map((e) => e.type);
}

/** `type id←previousEventId` per event, as aws-api-reference.md §2.5 writes recorded sequences. */
export function chain(exec: { events: readonly HistoryEvent[] }): string[] {
  return exec.events.map((e) => `${e.type} ${e.id}←${e.previousEventId}`);
}

/** The details object of an event. */
export function details(e: HistoryEvent): Record<string, any> {
  const key = Object.keys(e).find((k) => k.endsWith('EventDetails'));
  return key ? (e[key] as Record<string, any>) : {};
}

/** The first event of a type (throws if none). */
export function eventOf(exec: { events: readonly HistoryEvent[] }, type: string, nth = 0): HistoryEvent {
  const found = exec.events.filter((e) => e.type === type)[nth];
  if (!found) throw new Error(`no ${type} event #${nth} in ${types(exec).join(', ')}`);
  return found;
}

/** Parsed output of a succeeded execution. */
export function outputOf(exec: Execution): unknown {
  if (exec.status !== 'SUCCEEDED') throw new Error(`execution is ${exec.status}: ${exec.error} ${exec.cause}`);
  return JSON.parse(exec.output!);
}

/** A one-state machine around a Pass state with the given fields. */
export function passMachine(fields: object, extra: object = {}): object {
  return { StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...fields } }, ...extra };
}
