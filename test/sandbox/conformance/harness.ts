/**
 * The conformance harness: runs a case (a definition, an input, optional Lambda handlers and API
 * calls made while it runs) on a real sandbox through `@aws-sdk/client-sfn`, exactly as an external
 * client would, and compares the outcome with what AWS recorded: status, output, error, cause and
 * the history (types, ids, previousEventId and every details object).
 *
 * The recorded facts come from localstack's snapshot tests, which are validated against AWS
 * (https://github.com/localstack/localstack/tree/main/tests/aws/services/stepfunctions/v2); each
 * case names the snapshot it reproduces.
 *
 * Normalisation (the same the recordings apply): timestamps are dropped; the JSON text in
 * `input`, `output` and `parameters` is parsed; a Lambda error `cause` that is a JSON object keeps
 * `errorType`/`errorMessage`; its `requestId` and the runtime's stack trace are
 * dropped (Python and Node.js runtimes word it differently), also inside a caught error's `Cause`;
 * response-header values that change on every call (request ids, dates, trace ids) and the
 * context object's StartTime/EnteredTime are masked as the recordings mask them; task tokens become
 * `<token>`; the case's state machine and execution names become `<sm>` and `<exec>`.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { isDeepStrictEqual } from 'node:util';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import type { LambdaHandler } from '../../../sandbox/lambda.js';
import { fullHistory } from '../sfn-history.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const ROLE = 'arn:aws:iam::123456789012:role/conformance';

/** The ARN of a function registered by a case. */
export function fnArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

/** An expected history event: type, id, previousEventId and its details object (absent: none). */
export type ExpectedEvent = readonly [type: string, id: number, previousEventId: number, details?: Record<string, unknown>];

/** What a running case can do through the API while its execution runs. */
export interface CaseContext {
  readonly sfn: SFNClient;
  readonly sandbox: Sandbox;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  /** Polls the history (letting the virtual clock move) until an event of `type` is there. */
  waitForEvent(type: string): Promise<HistoryEvent>;
  /** The task token of the latest `TaskScheduled` (read from its parameters at `path`). */
  taskToken(path?: string): Promise<string>;
}

/** One conformance case. */
export interface ConformanceCase {
  /** What it checks, and the localstack snapshot (file::test) it reproduces. */
  readonly name: string;
  readonly definition: Record<string, unknown>;
  /** The execution input (serialised as JSON). @default {} */
  readonly input?: unknown;
  /** Functions to register, by function name. */
  readonly lambdas?: Record<string, LambdaHandler>;
  /** Calls made after StartExecution, before waiting for the end. */
  readonly drive?: (ctx: CaseContext) => Promise<void>;
  /** DescribeExecution fields: status, and output/error/cause when given (output parsed). */
  readonly expect: { readonly status: string; readonly output?: unknown; readonly error?: string; readonly cause?: unknown };
  /** The recorded history. */
  readonly history?: readonly ExpectedEvent[];
  /**
   * Run on a sandbox with a real clock: for cases that must act while a Wait is pending, which a
   * virtual clock skips as soon as nothing else runs.
   */
  readonly clock?: 'real';
  /** Set when the sandbox knowingly differs (the test then asserts that it still does). */
  readonly divergence?: string;
}

/** `SomethingHappened` → the name of its details member. */
export function detailsKey(type: string): string {
  if (/StateEntered$/.test(type)) return 'stateEnteredEventDetails';
  if (/StateExited$/.test(type)) return 'stateExitedEventDetails';
  return `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
}

const TOKEN_FIELDS = new Set(['token', 'TaskToken', 'taskToken']);

/** Response-header values that differ on every call, masked as the recordings mask them. */
const VOLATILE_HEADERS: Record<string, string> = {
  'x-amzn-RequestId': 'x-amzn-RequestId',
  'X-Amzn-Trace-Id': 'X-Amzn-Trace-Id',
  Date: 'date',
  RequestId: 'RequestId',
};

/** Context-object times (`$$.Execution.StartTime`, `$$.State.EnteredTime`), masked as the recordings mask them. */
const VOLATILE_TIMES = new Set(['StartTime', 'EnteredTime']);

/** The names of the running case's state machine and execution, masked as `<sm>` and `<exec>`. */
let maskedNames: Array<[string, string]> = [];

function mask(text: string): string {
  let out = text;
  for (const [name, placeholder] of maskedNames) out = out.split(name).join(placeholder);
  return out;
}

function normaliseValue(value: unknown, tokens: Set<string>, key?: string): unknown {
  if (key && key in VOLATILE_HEADERS && (typeof value === 'string' || Array.isArray(value))) return VOLATILE_HEADERS[key];
  if (key && VOLATILE_TIMES.has(key) && typeof value === 'string') return 'date';
  if (key === 'Cause' || key === 'cause') {
    const cause = normaliseCause(value);
    if (cause !== value && typeof cause === 'object') return normaliseValue(cause, tokens);
  }
  if (typeof value === 'string') return tokens.has(value) ? '<token>' : mask(value).replace(/Request ID: [0-9a-fA-F-]+/g, 'Request ID: <request_id>');
  if (Array.isArray(value)) return value.map((v) => normaliseValue(v, tokens));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normaliseValue(v, tokens, k);
    return out;
  }
  return value;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A Lambda error cause, normalised as described in the module comment. */
export function normaliseCause(cause: unknown): unknown {
  const parsed = parseJson(cause);
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'errorType' in parsed) {
    // The stack trace and request id are the Lambda runtime's (Python and Node.js differ), not Step Functions'.
    const { stackTrace: _s, trace: _t, requestId: _r, ...rest } = parsed as Record<string, unknown>;
    return rest;
  }
  return parsed;
}

/** A recorded event as the comparison sees it. */
export interface NormalisedEvent {
  readonly type: string;
  readonly id: number;
  readonly previousEventId: number;
  readonly detailsKey?: string;
  readonly details?: Record<string, unknown>;
}

/** Collects every task token that appears in the history, so they can be masked. */
function tokensOf(events: readonly HistoryEvent[]): Set<string> {
  const tokens = new Set<string>();
  const visit = (v: unknown, key?: string): void => {
    if (typeof v === 'string' && key && TOKEN_FIELDS.has(key)) tokens.add(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  for (const e of events) {
    const p = e.taskScheduledEventDetails?.parameters;
    if (p) visit(parseJson(p));
  }
  return tokens;
}

/** Normalises a history page as the recordings do. */
export function normaliseHistory(events: readonly HistoryEvent[]): NormalisedEvent[] {
  const tokens = tokensOf(events);
  return events.map((e) => {
    const keys = Object.keys(e).filter((k) => k.endsWith('EventDetails'));
    const key = keys[0];
    let details: Record<string, unknown> | undefined;
    if (key) {
      details = {};
      for (const [k, v] of Object.entries((e as unknown as Record<string, unknown>)[key] as Record<string, unknown>)) {
        if (v === undefined) continue;
        if (k === 'input' || k === 'output' || k === 'parameters') details[k] = normaliseValue(parseJson(v), tokens);
        else if (k === 'assignedVariables') {
          const vars: Record<string, unknown> = {};
          for (const [name, text] of Object.entries(v as Record<string, string>)) vars[name] = normaliseValue(parseJson(text), tokens, name);
          details[k] = vars;
        }
        else details[k] = normaliseValue(v, tokens, k);
      }
    }
    return { type: e.type!, id: e.id!, previousEventId: e.previousEventId!, detailsKey: keys.length > 1 ? keys.join('+') : key, details };
  });
}

/** Where two JSON values differ: `path: expected X, found Y`, at most `limit` lines. */
export function deepDiff(expected: unknown, actual: unknown, path = '', limit = 4): string[] {
  if (isDeepStrictEqual(expected, actual)) return [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';
  if (isObj(expected) && isObj(actual) && Array.isArray(expected) === Array.isArray(actual)) {
    const out: string[] = [];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      if (out.length >= limit) break;
      const sub = `${path}.${k}`;
      if (!(k in actual)) out.push(`${sub}: missing (expected ${JSON.stringify(expected[k])?.slice(0, 300)})`);
      else if (!(k in expected)) out.push(`${sub}: unexpected ${JSON.stringify(actual[k])?.slice(0, 300)}`);
      else out.push(...deepDiff(expected[k], actual[k], sub, limit - out.length));
    }
    return out;
  }
  return [`${path || '.'}: expected ${JSON.stringify(expected)?.slice(0, 400)}, found ${JSON.stringify(actual)?.slice(0, 400)}`];
}

/** The differences between a recorded history and the sandbox's, one line each (empty: equal). */
export function compareHistory(expected: readonly ExpectedEvent[], actual: readonly NormalisedEvent[]): string[] {
  const diffs: string[] = [];
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const x = expected[i];
    const a = actual[i];
    if (!x) {
      diffs.push(`event #${i + 1}: unexpected ${a!.type} ${a!.id}←${a!.previousEventId} ${JSON.stringify(a!.details ?? null)}`);
      continue;
    }
    if (!a) {
      diffs.push(`event #${i + 1}: missing ${x[0]} ${x[1]}←${x[2]}`);
      continue;
    }
    const [type, id, prev, details] = x;
    if (a.type !== type || a.id !== id || a.previousEventId !== prev) {
      diffs.push(`event #${i + 1}: expected ${type} ${id}←${prev}, found ${a.type} ${a.id}←${a.previousEventId}`);
    }
    const wantKey = details ? detailsKey(type) : undefined;
    if (a.detailsKey !== wantKey) diffs.push(`event #${i + 1} (${type}): expected details member ${wantKey ?? 'none'}, found ${a.detailsKey ?? 'none'}`);
    else if (details && !isDeepStrictEqual(a.details, details)) {
      for (const d of deepDiff(details, a.details)) diffs.push(`event #${i + 1} (${type}) ${d}`);
    }
  }
  return diffs;
}

/** A sandbox shared by the cases of one file, and its client. */
export interface Bench {
  readonly sandbox: Sandbox;
  readonly sfn: SFNClient;
  stop(): Promise<void>;
}

/** Starts a sandbox on a free port with a virtual clock, and a client as an external suite builds it. */
export async function startBench(clock: 'virtual' | 'real' = 'virtual'): Promise<Bench> {
  const sandbox = await startSandbox({ port: 0, clock, startMs: Date.UTC(2024, 0, 1), log: () => {} });
  const sfn = new SFNClient({
    endpoint: sandbox.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    sandbox,
    sfn,
    async stop() {
      sfn.destroy();
      await sandbox.stop();
    },
  };
}

/** Lets queued work settle (promise chains, immediates, virtual-clock jumps) without wall-clock sleeps. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

let counter = 0;

/** Everything the sandbox said about one run of a case. */
export interface CaseRun {
  readonly status: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: unknown;
  readonly history: NormalisedEvent[];
}

/** Runs a case on the bench and returns its normalised outcome. */
export async function runCase(bench: Bench, c: ConformanceCase): Promise<CaseRun> {
  const { sandbox, sfn } = bench;
  counter += 1;
  // Names no other name contains, so that masking them as <sm> and <exec> is exact.
  const smName = `conformance-${counter}-sm`;
  const execName = `run-${counter}-exec`;
  maskedNames = [[execName, '<exec>'], [smName, '<sm>']];
  for (const [name, handler] of Object.entries(c.lambdas ?? {})) sandbox.lambdas.register(name, handler);
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: smName, definition: JSON.stringify(c.definition), roleArn: ROLE }));
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: execName, input: JSON.stringify('input' in c ? c.input : {}) }),
  );
  const history = (): Promise<HistoryEvent[]> => fullHistory(sfn, executionArn);
  const ctx: CaseContext = {
    sfn,
    sandbox,
    executionArn: executionArn!,
    stateMachineArn: stateMachineArn!,
    async waitForEvent(type) {
      for (let i = 0; i < 500; i++) {
        const found = (await history()).filter((e) => e.type === type).pop();
        if (found) return found;
        await settle();
      }
      throw new Error(`no ${type} event in the history of ${executionArn} after 500 polls`);
    },
    async taskToken(path = 'token') {
      const scheduled = await ctx.waitForEvent('TaskScheduled');
      let v: unknown = parseJson(scheduled.taskScheduledEventDetails!.parameters!);
      for (const part of ['Payload', ...path.split('.')]) {
        if (v && typeof v === 'object' && part in (v as object)) v = (v as Record<string, unknown>)[part];
        else if (part !== 'Payload') throw new Error(`no ${path} in the TaskScheduled parameters`);
      }
      return v as string;
    },
  };
  if (c.drive) await c.drive(ctx);
  for (let i = 0; i < 2000; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') {
      return {
        status: d.status!,
        output: d.output === undefined ? undefined : normaliseValue(parseJson(d.output), new Set()),
        error: d.error,
        cause: d.cause === undefined ? undefined : normaliseValue(d.cause, new Set(), 'cause'),
        history: normaliseHistory(await history()),
      };
    }
    await settle();
  }
  throw new Error(`${executionArn} still RUNNING after 2000 polls`);
}

/** The differences between a case's recording and a run (empty: it conforms). */
export function compareRun(c: ConformanceCase, run: CaseRun): string[] {
  const diffs: string[] = [];
  const x = c.expect;
  if (run.status !== x.status) diffs.push(`status: expected ${x.status}, found ${run.status} (${run.error ?? ''}: ${JSON.stringify(run.cause ?? '')})`);
  if ('output' in x) for (const d of deepDiff(x.output, run.output, 'output')) diffs.push(d);
  if ('error' in x && run.error !== x.error) diffs.push(`error: expected ${x.error}, found ${run.error}`);
  if ('cause' in x) for (const d of deepDiff(x.cause, run.cause, 'cause')) diffs.push(d);
  if (c.history) diffs.push(...compareHistory(c.history, run.history));
  return diffs;
}
