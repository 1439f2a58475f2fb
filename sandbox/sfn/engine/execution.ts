import { resumeFromHistory } from './recover.js';
import type { Clock, TimerHandle } from '../../clock.js';
import { evaluateRule } from './choice.js';
import { Aborted, EngineError, errorMatches, StatesError } from './errors.js';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { evaluateExpression, evaluateTemplate, hasExpression, isExpression, jsonTypeName, type JsonataEnv } from './jsonata.js';
import { describeMissing, queryPath, setPath, type PathResult } from './jsonpath.js';
import { parseTimestamp } from './choice.js';
import { isDistributedMap, runDistributedMap, type DistributedMapContext } from './states/distributed-map.js';
import { History } from './history.js';
import type {
  EngineHost, ExecutionSnapshot, ExecutionStatus, HistoryEvent, InnerResume, LambdaResult, ResumePoint, StartOptions,
} from './types.js';

/**
 * One Step Functions STANDARD execution: runs the definition on the host's clock and writes its
 * history exactly as GetExecutionHistory returns it.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-statemachines.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */

type Json = unknown;
type Obj = Record<string, unknown>;
type QL = 'JSONPath' | 'JSONata';

/** AWS payload quota: 256 KiB of UTF-8. */
const MAX_PAYLOAD = 262_144;
/** AWS's hard quota of history events. */
const DEFAULT_HISTORY_LIMIT = 25_000;
/** Inline Map runs at most 40 iterations at once. @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html */
const INLINE_MAP_MAX_CONCURRENCY = 40;
/** Transitions between two macrotask yields, so one long execution does not starve the process. */
const YIELD_EVERY = 512;

const NOT_TRUNCATED = Object.freeze({ truncated: false });

interface Graph {
  readonly StartAt: string;
  readonly States: Record<string, Obj>;
  readonly QueryLanguage?: QL;
}

/** Cancellation tree: a branch can be aborted alone, the execution aborts everything. */
class Cancel {
  aborted = false;
  private readonly listeners = new Set<() => void>();
  constructor(parent?: Cancel) {
    if (parent) {
      if (parent.aborted) this.aborted = true;
      else parent.on(() => this.abort());
    }
  }
  on(fn: () => void): () => void {
    if (this.aborted) {
      queueMicrotask(fn);
      return () => {};
    }
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const fn of [...this.listeners]) fn();
    this.listeners.clear();
  }
  check(): void {
    if (this.aborted) throw new Aborted();
  }
}

/** The event cursor of one thread of control (the top level, one branch, one iteration). */
interface Thread {
  last: number;
}

/** Where a graph runs: its thread, its variable scope, its cancellation. */
interface RunCtx {
  readonly thread: Thread;
  /** Own properties are this scope's variables; the prototype chain holds the outer scopes'. */
  readonly vars: Obj;
  readonly cancel: Cancel;
}

/** Per-state data for one state being run. */
interface StateRun {
  readonly name: string;
  readonly st: Obj;
  readonly ql: QL;
  readonly raw: Json;
  readonly ctx: RunCtx;
  readonly enteredId: number;
  /** previousEventId of the state's …StateEntered event (EvaluationFailed points there too, as recorded on AWS). */
  readonly enteredPrev: number;
  /** Epoch ms; rendered as ISO text only when the context object is read. */
  readonly enteredMs: number;
  retryCount: number;
  taskToken?: string;
  mapItem?: { Index: number; Value: Json };
}

interface StateOutcome {
  readonly next?: string;
  readonly output: Json;
}

interface TokenWaiter {
  settle(r: { ok: true; output: string } | { ok: false; error?: string; cause?: string }): void;
  heartbeat(): void;
}

/** Thrown out of a graph when it stops; carries where to resume. */
class GraphStop extends Error {
  constructor(readonly reason: StatesError | Aborted, readonly resume: ResumePoint) {
    super(reason.message);
  }
}

const STATE_EVENT_PREFIX: Record<string, string> = {
  Pass: 'Pass', Task: 'Task', Choice: 'Choice', Wait: 'Wait', Succeed: 'Succeed', Fail: 'Fail', Map: 'Map', Parallel: 'Parallel',
};

/** A Step Functions execution. Create one with {@link Execution.start} or {@link Execution.restore}. */
export class Execution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly definition: string;
  readonly roleArn: string;
  status: ExecutionStatus = 'RUNNING';
  readonly startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount = 0;
  redriveDate?: number;
  /** The history's events, in order (read-only: the engine alone appends). */
  get events(): readonly HistoryEvent[] {
    return this.history.all();
  }
  /** Set on a Distributed Map's child execution: the Map Run that started it. */
  readonly mapRunArn?: string;

  private readonly host: EngineHost;
  private readonly clock: Clock;
  private readonly onChange?: (execution: Execution) => void;
  private readonly historyLimit: number;
  private graph?: Graph;
  private parsedInput: Json;
  private cancel = new Cancel();
  private closedWaiters: Array<() => void> = [];
  private readonly tokens = new Map<string, TokenWaiter>();
  private resume?: ResumePoint;
  private timeoutTimer?: TimerHandle;
  private transitions = 0;
  private pendingRedrive = false;
  private runInFlight = false;
  private executionContext?: Obj;
  /** Restored while RUNNING and not yet continued. */
  private isAwaitingRestart = false;
  /** Parked by {@link suspend}: writes nothing more. */
  private isSuspended = false;
  /** The history's recent payload texts, so that one payload passed on from state to state is kept once. */
  private readonly payloads = new RecentTexts();
  private readonly history = new History();

  private constructor(o: {
    executionArn: string; stateMachineArn: string; name: string; input: string; definition: string; roleArn: string;
    host: EngineHost; onChange?: (e: Execution) => void; historyLimit?: number; startDate: number; mapRunArn?: string;
  }) {
    this.executionArn = o.executionArn;
    this.stateMachineArn = o.stateMachineArn;
    this.name = o.name;
    this.input = o.input;
    this.definition = o.definition;
    this.roleArn = o.roleArn;
    this.host = o.host;
    this.clock = o.host.clock;
    this.onChange = o.onChange;
    this.historyLimit = o.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.startDate = o.startDate;
    if (o.mapRunArn !== undefined) this.mapRunArn = o.mapRunArn;
  }

  /** Writes `ExecutionStarted` and begins running (asynchronously). */
  static start(options: StartOptions): Execution {
    const exec = new Execution({ ...options, startDate: options.host.clock.now() });
    exec.graph = JSON.parse(options.definition) as Graph;
    exec.parsedInput = JSON.parse(options.input);
    exec.append(0, 'ExecutionStarted', 'executionStartedEventDetails', {
      input: options.input, inputDetails: NOT_TRUNCATED, roleArn: options.roleArn,
    });
    exec.changed();
    exec.launch(undefined);
    return exec;
  }

  /** A closed execution read back from the store. */
  static restore(snapshot: ExecutionSnapshot, host: EngineHost, onChange?: (execution: Execution) => void): Execution {
    const exec = new Execution({ ...snapshot, host, onChange });
    exec.graph = JSON.parse(snapshot.definition) as Graph;
    exec.parsedInput = JSON.parse(snapshot.input);
    exec.status = snapshot.status;
    exec.stopDate = snapshot.stopDate;
    exec.output = snapshot.output;
    exec.error = snapshot.error;
    exec.cause = snapshot.cause;
    exec.redriveCount = snapshot.redriveCount;
    exec.redriveDate = snapshot.redriveDate;
    for (const event of snapshot.events) exec.history.push(event);
    exec.resume = snapshot.resume;
    if (exec.status === 'RUNNING') {
      // The sandbox ended while this execution ran (a crash or a stop): it carries on from its
      // last recorded event once `continueAfterRestart` is called (recover.ts).
      exec.resume = resumeFromHistory(snapshot.definition, exec.events);
      exec.isAwaitingRestart = true;
    }
    return exec;
  }

  /**
   * Continues an execution restored while RUNNING, from its last recorded event: the state in
   * flight is entered again (a Lambda task in flight is invoked again, as Lambda's at-least-once
   * delivery allows; a Wait waits only its remaining time). A no-op for any other execution.
   */
  continueAfterRestart(): void {
    if (!this.isAwaitingRestart || this.status !== 'RUNNING') return;
    this.isAwaitingRestart = false;
    this.launch(this.resume);
  }

  /**
   * Parks a running execution as the sandbox stops: no event is written and it stays RUNNING in
   * the store, to continue after the restart; whatever it was doing is abandoned.
   */
  suspend(): void {
    if (this.status !== 'RUNNING' || this.isSuspended) return;
    this.isSuspended = true;
    if (this.timeoutTimer) this.clock.clearTimer(this.timeoutTimer);
    this.timeoutTimer = undefined;
    this.cancel.abort();
    this.tokens.clear();
  }

  /** `REDRIVABLE` or `NOT_REDRIVABLE` with its reason, as DescribeExecution reports it. @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html */
  redriveStatus(): { status: 'REDRIVABLE' | 'NOT_REDRIVABLE'; reason?: string } {
    if (this.status === 'RUNNING' || this.status === 'SUCCEEDED') {
      return { status: 'NOT_REDRIVABLE', reason: `Execution is ${this.status} and cannot be redriven` };
    }
    if (this.history.length >= this.historyLimit - 1) {
      return { status: 'NOT_REDRIVABLE', reason: 'Execution history event limit exceeded' };
    }
    if (this.stopDate !== undefined && this.clock.now() - this.stopDate > 14 * 86_400_000) {
      return { status: 'NOT_REDRIVABLE', reason: 'Execution redrivable period exceeded' };
    }
    return { status: 'REDRIVABLE' };
  }

  /** Stops a running execution: status ABORTED, `ExecutionAborted` appended. A no-op once closed. */
  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    const details: Obj = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    // Recorded on AWS: ExecutionAborted has previousEventId 0.
    this.close('ABORTED', 'ExecutionAborted', 'executionAbortedEventDetails', details, 0, { error, cause });
  }

  /** Resumes a FAILED, ABORTED or TIMED_OUT execution from the state that did not succeed. */
  redrive(): void {
    const rs = this.redriveStatus();
    if (rs.status !== 'REDRIVABLE') throw new EngineError('ExecutionNotRedrivable', rs.reason ?? 'Execution cannot be redriven');
    this.status = 'RUNNING';
    this.redriveCount++;
    this.redriveDate = this.clock.now();
    this.stopDate = undefined;
    this.output = undefined;
    this.error = undefined;
    this.cause = undefined;
    this.cancel = new Cancel();
    this.executionContext = undefined;
    this.append(0, 'ExecutionRedriven', 'executionRedrivenEventDetails', { redriveCount: this.redriveCount });
    this.changed();
    if (this.runInFlight) this.pendingRedrive = true;
    else this.launch(this.resume);
  }

  /** Completes a `.waitForTaskToken` task. */
  sendTaskSuccess(token: string, output: string): 'ok' | 'unknown' {
    const w = this.tokens.get(token);
    if (!w) return 'unknown';
    w.settle({ ok: true, output });
    return 'ok';
  }

  /** Fails a `.waitForTaskToken` task with the given error and cause. */
  sendTaskFailure(token: string, error?: string, cause?: string): 'ok' | 'unknown' {
    const w = this.tokens.get(token);
    if (!w) return 'unknown';
    w.settle({ ok: false, error, cause });
    return 'ok';
  }

  /** Resets the HeartbeatSeconds clock of a `.waitForTaskToken` task; writes no event. */
  sendTaskHeartbeat(token: string): 'ok' | 'unknown' {
    const w = this.tokens.get(token);
    if (!w) return 'unknown';
    w.heartbeat();
    return 'ok';
  }

  /** True while a task of this execution waits for `token`. */
  hasTaskToken(token: string): boolean {
    return this.tokens.has(token);
  }

  /** Resolves when the execution is no longer RUNNING. */
  whenClosed(): Promise<void> {
    if (this.status !== 'RUNNING') return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  /** Plain JSON for the store. */
  snapshot(): ExecutionSnapshot {
    return {
      version: 1,
      executionArn: this.executionArn, stateMachineArn: this.stateMachineArn, name: this.name, input: this.input,
      definition: this.definition, roleArn: this.roleArn, status: this.status, startDate: this.startDate,
      stopDate: this.stopDate, output: this.output, error: this.error, cause: this.cause,
      redriveCount: this.redriveCount, redriveDate: this.redriveDate, events: this.events.slice(),
      resume: this.resume, historyLimit: this.historyLimit === DEFAULT_HISTORY_LIMIT ? undefined : this.historyLimit,
      ...(this.mapRunArn !== undefined ? { mapRunArn: this.mapRunArn } : {}),
    };
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  private launch(resume: ResumePoint | undefined): void {
    const graph = this.graph!;
    const top = graph as unknown as Obj;
    const timeout = top.TimeoutSeconds;
    if (typeof timeout === 'number' && timeout > 0) {
      // From the start (or the redrive): the same instant as now, except for a run continued after a restart.
      this.timeoutTimer = this.clock.setTimer((this.redriveDate ?? this.startDate) + timeout * 1000, () => {
        if (this.status !== 'RUNNING') return;
        this.close('TIMED_OUT', 'ExecutionTimedOut', 'executionTimedOutEventDetails', { error: 'States.Timeout', cause: `The execution exceeded its TimeoutSeconds of ${timeout}.` }, this.history.length, { error: 'States.Timeout', cause: `The execution exceeded its TimeoutSeconds of ${timeout}.` });
      });
    }
    const thread: Thread = { last: this.history.length === 1 ? 0 : this.history.length };
    const cancel = this.cancel;
    const vars: Obj = Object.create(null);
    if (resume) Object.assign(vars, resume.vars);
    this.runInFlight = true;
    void this.runTop(graph, thread, { thread, vars, cancel }, resume);
  }

  private async runTop(graph: Graph, thread: Thread, ctx: RunCtx, resume: ResumePoint | undefined): Promise<void> {
    try {
      const output = await this.runGraph(graph, resume ? resume.input : this.parsedInput, ctx, graph.QueryLanguage ?? 'JSONPath', resume);
      if (this.status === 'RUNNING') {
        const text = jsonText(output);
        this.close('SUCCEEDED', 'ExecutionSucceeded', 'executionSucceededEventDetails', { output: text, outputDetails: NOT_TRUNCATED }, thread.last, { output: text });
      }
    } catch (err) {
      if (err instanceof GraphStop) {
        this.resume = err.resume;
        // After a stop the resume point arrives once the run has unwound: persist it too.
        if (this.status !== 'RUNNING') this.changed();
        if (err.reason instanceof StatesError && this.status === 'RUNNING') {
          const e = err.reason;
          const details: Obj = {};
          if (e.error !== '') details.error = e.error;
          if (e.cause !== undefined) details.cause = e.cause;
          this.close('FAILED', 'ExecutionFailed', 'executionFailedEventDetails', details, thread.last, { error: e.error || undefined, cause: e.cause });
        }
      } else if (!(err instanceof Aborted)) {
        // A bug in the engine: fail the execution visibly rather than hang.
        if (this.status === 'RUNNING') {
          const cause = `Internal sandbox error: ${(err as Error)?.stack ?? String(err)}`;
          this.close('FAILED', 'ExecutionFailed', 'executionFailedEventDetails', { error: 'States.Runtime', cause }, thread.last, { error: 'States.Runtime', cause });
        }
      }
    } finally {
      this.runInFlight = false;
      if (this.pendingRedrive) {
        this.pendingRedrive = false;
        this.launch(this.resume);
      }
    }
  }

  private close(status: ExecutionStatus, type: string, key: string, details: Obj, prev: number, r: { output?: string; error?: string; cause?: string }): void {
    this.status = status;
    this.stopDate = this.clock.now();
    this.output = r.output;
    this.error = r.error;
    this.cause = r.cause;
    this.append(prev, type, key, details);
    if (this.timeoutTimer) this.clock.clearTimer(this.timeoutTimer);
    this.timeoutTimer = undefined;
    this.cancel.abort();
    this.tokens.clear();
    this.changed();
    const waiters = this.closedWaiters;
    this.closedWaiters = [];
    for (const w of waiters) w();
    // Only a redrive appends to a closed history: until then it is kept packed (history.ts).
    this.history.pack();
  }

  private changed(): void {
    if (this.isSuspended) return;
    this.onChange?.(this);
  }

  private append(prev: number, type: string, key: string | undefined, details: Obj | undefined): number {
    const id = this.history.length + 1;
    const ev: HistoryEvent = { timestamp: this.clock.now() / 1000, type, id, previousEventId: prev };
    if (key && details) {
      for (const field of PAYLOAD_FIELDS) {
        const text = details[field];
        if (typeof text !== 'string') continue;
        const shared = this.payloads.share(text);
        if (shared !== text) details[field] = shared;
      }
    }
    if (key) ev[key] = details;
    this.history.push(ev);
    return id;
  }

  /** Appends an event from inside a running state; enforces the history quota. */
  private emit(thread: Thread, type: string, key?: string, details?: Obj, prev = thread.last): number {
    if (this.status !== 'RUNNING' || this.isSuspended) throw new Aborted();
    if (this.history.length >= this.historyLimit - 1) {
      // bp-history-limit: event number 25,000 is ExecutionFailed unless it is ExecutionSucceeded.
      const cause = `The execution reached the maximum number of history events (${this.historyLimit}).`;
      this.close('FAILED', 'ExecutionFailed', 'executionFailedEventDetails', { error: 'States.Runtime', cause }, this.history.length, { error: 'States.Runtime', cause });
      throw new Aborted();
    }
    const id = this.append(prev, type, key, details);
    thread.last = id;
    this.changed();
    return id;
  }

  // ───────────────────────────── graphs ─────────────────────────────

  /**
   * Runs a graph (the machine, a branch, an iteration) to its end. Returns synchronously while its
   * states do, so that sequential work writes its history in order and costs no promise per state.
   */
  private runGraph(graph: Graph, input: Json, ctx: RunCtx, ql: QL, resume?: ResumePoint): Json | Promise<Json> {
    return this.graphLoop(graph, ctx, ql, resume ? resume.state : graph.StartAt, resume ? resume.input : input, resume?.inner, resume?.enteredAtMs);
  }

  /** `enteredAtMs`: when the first state was entered before a restart (see {@link ResumePoint.enteredAtMs}). */
  private graphLoop(graph: Graph, ctx: RunCtx, ql: QL, name: string, data: Json, inner: InnerResume | undefined, enteredAtMs?: number): Json | Promise<Json> {
    for (;;) {
      // Only the definition's own states: `toString` is not a state.
      const st = Object.hasOwn(graph.States, name) ? graph.States[name] : undefined;
      if (!st) throw new GraphStop(new StatesError('States.Runtime', `The state '${name}' does not exist in the definition.`), { state: name, input: data, vars: ownVars(ctx.vars) });
      let out: StateOutcome;
      try {
        ctx.cancel.check();
        const r = this.runState(name, st, data, ctx, (st.QueryLanguage as QL | undefined) ?? ql, inner, enteredAtMs);
        if (r instanceof Promise) {
          const [n, d] = [name, data];
          return r.then(
            (o) => (o.next === undefined ? o.output : this.afterTransition(graph, ctx, ql, o)),
            (err) => { throw this.graphStop(err, ctx, n, d); },
          );
        }
        out = r;
      } catch (err) {
        throw this.graphStop(err, ctx, name, data);
      }
      inner = undefined;
      enteredAtMs = undefined;
      if (out.next === undefined) return out.output;
      if ((this.transitions + 1) % YIELD_EVERY === 0) return this.afterTransition(graph, ctx, ql, out);
      this.transitions++;
      name = out.next;
      data = out.output;
    }
  }

  private afterTransition(graph: Graph, ctx: RunCtx, ql: QL, out: StateOutcome): Json | Promise<Json> {
    if (++this.transitions % YIELD_EVERY === 0) {
      // Let other work (HTTP requests, other executions) run; tracked so the virtual clock does not jump meanwhile.
      return this.clock.track(new Promise<void>((r) => setImmediate(r))).then(() => this.graphLoop(graph, ctx, ql, out.next!, out.output, undefined));
    }
    return this.graphLoop(graph, ctx, ql, out.next!, out.output, undefined);
  }

  private graphStop(err: unknown, ctx: RunCtx, name: string, data: Json): unknown {
    if (err instanceof GraphStop) return err;
    if (err instanceof StatesError || err instanceof Aborted) {
      return new GraphStop(err, { state: name, input: data, vars: ownVars(ctx.vars), ...(err.inner ? { inner: err.inner } : {}) });
    }
    return err;
  }

  /** Runs one state; synchronous for JSONPath Pass/Succeed/Choice so that long chains cost no promise per state. */
  private runState(name: string, st: Obj, raw: Json, ctx: RunCtx, ql: QL, inner: InnerResume | undefined, enteredAtMs?: number): StateOutcome | Promise<StateOutcome> {
    const type = st.Type as string;
    const prefix = STATE_EVENT_PREFIX[type];
    if (!prefix) throw new StatesError('States.Runtime', `State '${name}' has an unknown Type ${JSON.stringify(type)}.`);
    const enteredPrev = ctx.thread.last;
    const enteredId = this.emit(ctx.thread, `${prefix}StateEntered`, 'stateEnteredEventDetails', { name, input: jsonText(raw), inputDetails: NOT_TRUNCATED });
    const s: StateRun = { name, st, ql, raw, ctx, enteredId, enteredPrev, enteredMs: enteredAtMs ?? this.clock.now(), retryCount: 0 };
    if (ql === 'JSONata' && (type === 'Pass' || type === 'Succeed') && st.Output === undefined && st.Assign === undefined) {
      return this.exit(s, prefix, { output: raw });
    }
    if (ql === 'JSONPath' && (type === 'Pass' || type === 'Succeed' || type === 'Choice')) {
      try {
        const r = type === 'Pass' ? this.runPassPath(s) : type === 'Succeed' ? this.runSucceedPath(s) : this.runChoicePath(s);
        return this.exit(s, prefix, r);
      } catch (err) {
        throw this.stateFailure(s, err);
      }
    }
    return this.runStateAsync(s, prefix, type, inner);
  }

  private async runStateAsync(s: StateRun, prefix: string, type: string, inner: InnerResume | undefined): Promise<StateOutcome> {
    try {
      switch (type) {
        case 'Pass': return this.exit(s, prefix, await this.runPassJsonata(s));
        case 'Succeed': return this.exit(s, prefix, await this.runSucceedJsonata(s));
        case 'Choice': return this.exit(s, prefix, await this.runChoiceJsonata(s));
        case 'Wait': return this.exit(s, prefix, await this.runWait(s));
        case 'Fail': return await this.runFail(s);
        case 'Task': return await this.withRetryCatch(s, prefix, () => this.runTask(s));
        case 'Parallel': return await this.withRetryCatch(s, prefix, (first) => this.runParallel(s, first ? inner : undefined));
        case 'Map':
          if (isDistributedMap(s.st)) {
            return await this.withRetryCatch(s, prefix, async (first) => {
              const r = await runDistributedMap(this.distributedContext(s), first ? inner : undefined);
              return this.finishResult(s, r.result, r.exitPrev);
            });
          }
          return await this.withRetryCatch(s, prefix, (first) => this.runMap(s, first ? inner : undefined));
        default: throw new StatesError('States.Runtime', `Unknown state type ${type}`);
      }
    } catch (err) {
      throw this.stateFailure(s, err);
    }
  }

  /** Names the state in States.Runtime/QueryEvaluationError causes and writes `EvaluationFailed` once. */
  private stateFailure(s: StateRun, err: unknown): unknown {
    return err instanceof StatesError ? this.prefixed(s, err) : err;
  }

  /**
   * Recorded on AWS: `States.Runtime` and `States.QueryEvaluationError` causes begin with
   * "An error occurred while executing the state '<name>' (entered at the event id #<n>). ", and a
   * QueryEvaluationError first writes `EvaluationFailed` (previousEventId: the one of the state's
   * …StateEntered) with that cause.
   */
  private prefixed(s: StateRun, err: StatesError): StatesError {
    let e = err;
    const prefixable = err.error === 'States.Runtime' || err.error === 'States.QueryEvaluationError';
    if (prefixable && !err.cause?.startsWith('An error occurred while executing the state')) {
      e = new StatesError(err.error, `An error occurred while executing the state '${s.name}' (entered at the event id #${s.enteredId}). ${err.cause ?? ''}`, err.location);
      e.inner = err.inner;
      e.alsoMatches = err.alsoMatches;
      e.failedEvent = err.failedEvent;
    }
    const flagged = e as { reported?: boolean };
    if (e.error === 'States.QueryEvaluationError' && !flagged.reported) {
      flagged.reported = true;
      const details: Obj = { cause: e.cause, error: e.error };
      if (e.location !== undefined) details.location = e.location;
      details.state = s.name;
      // Recorded on AWS: it points where the state's …StateEntered points, except in a Wait state.
      this.emit(s.ctx.thread, 'EvaluationFailed', 'evaluationFailedEventDetails', details, s.st.Type === 'Wait' ? s.ctx.thread.last : s.enteredPrev);
    }
    return e;
  }

  /** Writes `…StateExited` (with `assignedVariables` when the state assigned any) and checks the payload quota. */
  private exit(s: StateRun, prefix: string, r: { next?: string; output: Json; assigned?: Obj }, prev?: number): StateOutcome {
    const text = jsonText(r.output);
    checkSize(text, s.name);
    const details: Obj = { name: s.name, output: text, outputDetails: NOT_TRUNCATED };
    // An empty Assign writes no assignedVariables (recorded on AWS: localstack test_assign_base, BASE_EMPTY).
    if (r.assigned && Object.keys(r.assigned).length > 0) {
      const av: Obj = {};
      for (const [k, v] of Object.entries(r.assigned)) av[k] = jsonText(v);
      details.assignedVariables = av;
      details.assignedVariablesDetails = NOT_TRUNCATED;
      Object.assign(s.ctx.vars, r.assigned);
    }
    this.emit(s.ctx.thread, `${prefix}StateExited`, 'stateExitedEventDetails', details, prev ?? s.ctx.thread.last);
    return { next: r.next ?? (s.st.End === true ? undefined : (s.st.Next as string | undefined)), output: r.output };
  }

  // ───────────────────────────── data processing ─────────────────────────────

  private contextObject(s: StateRun): Obj {
    if (!this.executionContext) {
      const smName = this.stateMachineArn.split(':').slice(6).join(':') || this.stateMachineArn;
      const exec: Obj = {
        Id: this.executionArn, Input: this.parsedInput, StartTime: new Date(this.startDate).toISOString(),
        Name: this.name, RoleArn: this.roleArn, RedriveCount: this.redriveCount,
      };
      if (this.redriveDate !== undefined) exec.RedriveTime = new Date(this.redriveDate).toISOString();
      this.executionContext = { Execution: exec, StateMachine: { Id: this.stateMachineArn, Name: smName } };
    }
    // RetryCount only where Retry applies: recorded on AWS, a Pass state's $$.State is {EnteredTime, Name}
    // (localstack context_object/test_context_object.snapshot.json); a Task's has RetryCount.
    const state: Obj = { EnteredTime: new Date(s.enteredMs).toISOString(), Name: s.name };
    if (s.st.Type === 'Task' || s.st.Type === 'Parallel' || s.st.Type === 'Map') state.RetryCount = s.retryCount;
    const c: Obj = { ...this.executionContext, State: state };
    if (s.taskToken !== undefined) c.Task = { Token: s.taskToken };
    if (s.mapItem) c.Map = { Item: s.mapItem };
    return c;
  }

  /** Resolves `$...` (against data), `$$...` (context object) or `$var...` (a variable). */
  private resolvePath(path: string, data: Json, s: StateRun): PathResult {
    if (path.startsWith('$$')) return queryPath(`$${path.slice(2)}`, this.contextObject(s));
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)(.*)$/s.exec(path);
    if (m) {
      const [, varName, rest] = m;
      if (!(varName! in s.ctx.vars)) return { found: false };
      return queryPath(`$${rest}`, s.ctx.vars[varName!]);
    }
    return queryPath(path, data);
  }

  private mustResolve(path: string, data: Json, s: StateRun, field: string): Json {
    let r: PathResult;
    try {
      r = this.resolvePath(path, data, s);
    } catch (err) {
      if (err instanceof StatesError) throw err;
      throw new StatesError('States.Runtime', `Invalid path '${path}' in the field '${field}': ${(err as Error).message}`);
    }
    if (!r.found) {
      throw new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${jsonText(data)}'`);
    }
    return r.value;
  }

  /** InputPath: absent → whole input, null → {}. */
  private inputPath(s: StateRun): Json {
    const p = s.st.InputPath;
    if (p === undefined || p === '$') return s.raw;
    if (p === null) return {};
    const r = this.resolvePath(p as string, s.raw, s);
    if (!r.found) throw new StatesError('States.Runtime', `Invalid path '${String(p)}' : ${describeMissing(p as string, s.raw)}`);
    return r.value;
  }

  /** OutputPath: absent → whole value, null → {}. */
  private outputPath(s: StateRun, value: Json): Json {
    const p = s.st.OutputPath;
    if (p === undefined || p === '$') return value;
    if (p === null) return {};
    const r = this.resolvePath(p as string, value, s);
    if (!r.found) throw new StatesError('States.Runtime', `Invalid path '${String(p)}' : ${describeMissing(p as string, value)}`);
    return r.value;
  }

  /** ResultPath: absent → the result, null → the raw input, else the result merged into the raw input. */
  private resultPath(p: unknown, raw: Json, result: Json): Json {
    if (p === undefined || p === '$') return result;
    if (p === null) return raw;
    return setPath(raw, p as string, result);
  }

  /** Payload template of JSONPath states: keys ending in `.$` take a path or intrinsic. */
  private template(tpl: Json, data: Json, s: StateRun, field: string): Json {
    if (Array.isArray(tpl)) return tpl.map((x) => this.template(x, data, s, field));
    if (tpl === null || typeof tpl !== 'object') return tpl;
    const out: Obj = {};
    for (const [k, v] of Object.entries(tpl as Obj)) {
      if (k.endsWith('.$')) {
        const key = k.slice(0, -2);
        if (typeof v !== 'string') throw new StatesError('States.Runtime', `The value of the field '${k}' must be a path or intrinsic function, found ${JSON.stringify(v)}`);
        out[key] = this.pathOrIntrinsic(v, data, s, k);
      } else {
        out[k] = this.template(v, data, s, field);
      }
    }
    return out;
  }

  private pathOrIntrinsic(v: string, data: Json, s: StateRun, field: string): Json {
    if (isIntrinsic(v)) {
      return evaluateIntrinsic(v, {
        random: this.host.random,
        resolvePath: (p) => this.mustResolve(p, data, s, field),
      });
    }
    return this.mustResolve(v, data, s, field);
  }

  private jsonataEnv(s: StateRun, extra: Obj = {}): JsonataEnv {
    const variables: Obj = {};
    for (const k in s.ctx.vars) variables[k] = s.ctx.vars[k];
    return { states: { input: s.raw, context: this.contextObject(s), ...extra }, variables, random: this.host.random };
  }

  private async jsonata(v: Json, s: StateRun, field: string, extra?: Obj): Promise<Json> {
    if (!hasExpression(v)) return v;
    return evaluateTemplate(v, this.jsonataEnv(s, extra), field);
  }

  /** Assign of JSONPath states: `$` is `value`; all expressions see the variables from before the state. */
  private assignJsonPath(assign: unknown, value: Json, s: StateRun): Obj | undefined {
    if (assign === undefined) return undefined;
    return this.template(assign, value, s, 'Assign') as Obj;
  }

  private async assignJsonata(assign: unknown, s: StateRun, extra?: Obj): Promise<Obj | undefined> {
    if (assign === undefined) return undefined;
    if (isExpression(assign)) {
      const v = await evaluateExpression(assign, this.jsonataEnv(s, extra), 'Assign');
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new StatesError('States.QueryEvaluationError', `The JSONata expression specified for the field 'Assign' must evaluate to an object, found ${jsonText(v)}`, 'Assign');
      return v as Obj;
    }
    return (await this.jsonata(assign, s, 'Assign', extra)) as Obj;
  }

  /** A number field that may be given literally, by `…Path` (JSONPath) or as an expression (JSONata). */
  private async numberField(s: StateRun, field: string, data: Json): Promise<number | undefined> {
    let v: unknown = s.st[field];
    const pathField = `${field}Path`;
    const path = s.st[pathField];
    if (v === undefined && typeof path === 'string') {
      v = this.mustResolve(path, data, s, pathField);
      // Recorded on AWS: an integer given as a string ("1") is accepted.
      if (typeof v === 'string' && /^\d+$/.test(v)) v = Number(v);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        // Recorded on AWS for MaxConcurrencyPath and the ToleratedFailure…Path fields.
        throw new StatesError('States.Runtime', `The ${pathField} field refers to value "${typeof v === 'string' ? v : jsonText(v)}" which is not a valid integer: ${path}`);
      }
      return v;
    }
    if (s.ql === 'JSONata' && isExpression(v)) v = await evaluateExpression(v, this.jsonataEnv(s), field);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      const expr = isExpression(s.st[field]) ? (s.st[field] as string).slice(2, -2).trim() : jsonText(s.st[field]);
      throw new StatesError(s.ql === 'JSONata' ? 'States.QueryEvaluationError' : 'States.Runtime', `The JSONata expression '${expr}' specified for the field '${field}' returned an unexpected result type. Expected 'integer', but was '${jsonTypeName(v)}' for value: ${jsonText(v)}`, s.ql === 'JSONata' ? field : undefined);
    }
    return v;
  }

  // ───────────────────────────── simple states ─────────────────────────────

  private async runPassJsonata(s: StateRun): Promise<{ output: Json; assigned?: Obj }> {
    const st = s.st;
    const assigned = await this.assignJsonata(st.Assign, s);
    const output = st.Output !== undefined ? await this.jsonata(st.Output, s, 'Output') : s.raw;
    return { output, assigned };
  }

  private runPassPath(s: StateRun): { output: Json; assigned?: Obj } {
    const st = s.st;
    if (st.InputPath === undefined && st.Parameters === undefined && !('Result' in st) && st.ResultPath === undefined && st.OutputPath === undefined && st.Assign === undefined) {
      return { output: s.raw };
    }
    const eff = this.inputPath(s);
    let result: Json;
    if (st.Parameters !== undefined) result = this.template(st.Parameters, eff, s, 'Parameters');
    else if ('Result' in st) result = st.Result;
    else result = eff;
    const merged = this.resultPath(st.ResultPath, s.raw, result);
    const output = this.outputPath(s, merged);
    return { output, assigned: this.assignJsonPath(st.Assign, result, s) };
  }

  private async runSucceedJsonata(s: StateRun): Promise<{ output: Json }> {
    return { output: s.st.Output !== undefined ? await this.jsonata(s.st.Output, s, 'Output') : s.raw };
  }

  private runSucceedPath(s: StateRun): { output: Json } {
    return { output: this.outputPath(s, this.inputPath(s)) };
  }

  private async runChoiceJsonata(s: StateRun): Promise<{ output: Json; next: string; assigned?: Obj }> {
    const st = s.st;
    const choices = (st.Choices ?? []) as Obj[];
    {
      for (let i = 0; i < choices.length; i++) {
        const rule = choices[i]!;
        const cond = isExpression(rule.Condition)
          ? await evaluateExpression(rule.Condition, this.jsonataEnv(s), `Choices[${i}].Condition`)
          : rule.Condition;
        if (typeof cond !== 'boolean') {
          throw new StatesError('States.QueryEvaluationError', `The Condition of Choices[${i}] must evaluate to a boolean, found ${jsonText(cond)}`, `Choices[${i}].Condition`);
        }
        if (cond) {
          const assigned = await this.assignJsonata(rule.Assign, s);
          const output = rule.Output !== undefined ? await this.jsonata(rule.Output, s, 'Output') : s.raw;
          return { output, next: rule.Next as string, assigned };
        }
      }
      if (typeof st.Default !== 'string') throw new StatesError('States.NoChoiceMatched', 'No Matches!');
      const assigned = await this.assignJsonata(st.Assign, s);
      const output = st.Output !== undefined ? await this.jsonata(st.Output, s, 'Output') : s.raw;
      return { output, next: st.Default, assigned };
    }
  }

  private runChoicePath(s: StateRun): { output: Json; next: string; assigned?: Obj } {
    const st = s.st;
    const choices = (st.Choices ?? []) as Obj[];
    const eff = this.inputPath(s);
    const resolve = (p: string) => this.resolvePath(p, eff, s);
    for (const rule of choices) {
      if (evaluateRule(rule, resolve)) {
        const assigned = this.assignJsonPath(rule.Assign ?? st.Assign, eff, s);
        return { output: this.outputPath(s, eff), next: rule.Next as string, assigned };
      }
    }
    if (typeof st.Default !== 'string') throw new StatesError('States.NoChoiceMatched', 'No Matches!');
    return { output: this.outputPath(s, eff), next: st.Default, assigned: this.assignJsonPath(st.Assign, eff, s) };
  }

  /** @see https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html (causes as recorded on AWS) */
  private async runWait(s: StateRun): Promise<{ output: Json; assigned?: Obj }> {
    const st = s.st;
    const eff = s.ql === 'JSONata' ? s.raw : this.inputPath(s);
    let until: number;
    if (s.ql === 'JSONata') {
      if (st.Timestamp !== undefined) {
        const ts = isExpression(st.Timestamp) ? await evaluateExpression(st.Timestamp, this.jsonataEnv(s), 'Timestamp') : st.Timestamp;
        until = parseTimestamp(ts);
        if (Number.isNaN(until)) {
          throw new StatesError('States.QueryEvaluationError', `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof ts === 'string' ? ts : jsonText(ts)}`, 'Timestamp');
        }
      } else {
        until = s.enteredMs + ((await this.numberField(s, 'Seconds', eff)) ?? 0) * 1000;
      }
    } else if (typeof st.TimestampPath === 'string') {
      const r = this.resolvePath(st.TimestampPath, eff, s);
      if (!r.found) throw new StatesError('States.Runtime', `The TimestampPath parameter does not reference an input value: ${st.TimestampPath}`);
      until = parseTimestamp(r.value);
      if (Number.isNaN(until)) {
        throw new StatesError('States.Runtime', `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${st.TimestampPath} == ${typeof r.value === 'string' ? r.value : jsonText(r.value)}`);
      }
    } else if (typeof st.SecondsPath === 'string') {
      const r = this.resolvePath(st.SecondsPath, eff, s);
      if (!r.found) throw new StatesError('States.Runtime', `The SecondsPath parameter does not reference an input value: ${st.SecondsPath}`);
      const v = r.value;
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new StatesError('States.Runtime', `The SecondsPath parameter cannot be parsed as a long value: ${st.SecondsPath} == ${typeof v === 'string' ? v : jsonText(v)}`);
      }
      if (v < 0) throw new StatesError('States.Runtime', `The SecondsPath parameter references a negative value: ${st.SecondsPath} == ${v}`);
      until = s.enteredMs + v * 1000;
    } else if (st.Timestamp !== undefined) {
      until = parseTimestamp(st.Timestamp);
    } else {
      until = s.enteredMs + ((st.Seconds as number | undefined) ?? 0) * 1000;
    }
    await this.sleepUntil(until, s.ctx.cancel);
    if (s.ql === 'JSONata') {
      const assigned = await this.assignJsonata(st.Assign, s);
      return { output: st.Output !== undefined ? await this.jsonata(st.Output, s, 'Output') : s.raw, assigned };
    }
    return { output: this.outputPath(s, eff), assigned: this.assignJsonPath(st.Assign, eff, s) };
  }

  private async runFail(s: StateRun): Promise<never> {
    const st = s.st;
    let error: unknown = st.Error;
    let cause: unknown = st.Cause;
    if (s.ql === 'JSONata') {
      if (isExpression(error)) error = await evaluateExpression(error, this.jsonataEnv(s), 'Error');
      if (isExpression(cause)) cause = await evaluateExpression(cause, this.jsonataEnv(s), 'Cause');
    } else {
      if (typeof st.ErrorPath === 'string') error = this.pathOrIntrinsic(st.ErrorPath, s.raw, s, 'ErrorPath');
      if (typeof st.CausePath === 'string') cause = this.pathOrIntrinsic(st.CausePath, s.raw, s, 'CausePath');
    }
    if (error !== undefined && typeof error !== 'string') throw new StatesError('States.Runtime', `The Error of the Fail state must be a string, found ${jsonText(error)}`);
    if (cause !== undefined && typeof cause !== 'string') throw new StatesError('States.Runtime', `The Cause of the Fail state must be a string, found ${jsonText(cause)}`);
    throw new StatesError((error as string | undefined) ?? '', cause as string | undefined);
  }

  // ───────────────────────────── retry and catch ─────────────────────────────

  /**
   * Runs a Task/Parallel/Map body with its Retry and Catch.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
   */
  private async withRetryCatch(s: StateRun, prefix: string, body: (first: boolean) => Promise<{ output: Json; assigned?: Obj; exitPrev?: number }>): Promise<StateOutcome> {
    const retriers = (s.st.Retry ?? []) as Obj[];
    const attempts = retriers.map(() => 0);
    let first = true;
    for (;;) {
      try {
        const r = await body(first);
        return this.exit(s, prefix, r, r.exitPrev);
      } catch (caught) {
        if (!(caught instanceof StatesError)) throw caught;
        first = false;
        const err = this.prefixed(s, caught);
        const idx = retriers.findIndex((r) => errorMatches((r.ErrorEquals ?? []) as string[], err.error, err.alsoMatches));
        if (idx >= 0) {
          const r = retriers[idx]!;
          const max = (r.MaxAttempts as number | undefined) ?? 3;
          if (attempts[idx]! < max) {
            const interval = (r.IntervalSeconds as number | undefined) ?? 1;
            const backoff = (r.BackoffRate as number | undefined) ?? 2;
            let delay = interval * backoff ** attempts[idx]!;
            if (typeof r.MaxDelaySeconds === 'number') delay = Math.min(delay, r.MaxDelaySeconds);
            if (r.JitterStrategy === 'FULL') delay = this.host.random.float() * delay;
            attempts[idx]!++;
            s.retryCount++;
            await this.sleepUntil(this.clock.now() + delay * 1000, s.ctx.cancel);
            continue;
          }
        }
        if (err.failedEvent) this.emit(s.ctx.thread, err.failedEvent);
        const catchers = (s.st.Catch ?? []) as Obj[];
        const catcher = catchers.find((c) => errorMatches((c.ErrorEquals ?? []) as string[], err.error, err.alsoMatches));
        if (!catcher) throw err;
        const errorOutput: Obj = err.nullWhenAbsent
          ? { Error: err.error === '' ? null : err.error, Cause: err.cause ?? null }
          : { Error: err.error, Cause: err.cause ?? '' };
        if (s.ql === 'JSONata') {
          const extra = { errorOutput };
          const assigned = await this.assignJsonata(catcher.Assign, s, extra);
          const output = catcher.Output !== undefined ? await this.jsonata(catcher.Output, s, 'Catch.Output', extra) : errorOutput;
          return this.exit(s, prefix, { output, assigned, next: catcher.Next as string });
        }
        const output = this.resultPath(catcher.ResultPath, s.raw, errorOutput);
        const assigned = this.assignJsonPath(catcher.Assign, errorOutput, s);
        return this.exit(s, prefix, { output, assigned, next: catcher.Next as string });
      }
    }
  }

  // ───────────────────────────── Task ─────────────────────────────

  private async runTask(s: StateRun): Promise<{ output: Json; assigned?: Obj }> {
    const st = s.st;
    const resource = String(st.Resource);
    const waitForToken = resource.endsWith('.waitForTaskToken');
    s.taskToken = undefined;
    if (waitForToken) s.taskToken = this.host.random.hex(64);
    let params: Json;
    let eff: Json = s.raw;
    if (s.ql === 'JSONata') {
      params = st.Arguments !== undefined ? await this.jsonata(st.Arguments, s, 'Arguments') : s.raw;
    } else {
      eff = this.inputPath(s);
      params = st.Parameters !== undefined ? this.template(st.Parameters, eff, s, 'Parameters') : eff;
    }
    const timeoutSeconds = await this.numberField(s, 'TimeoutSeconds', eff);
    const heartbeatSeconds = await this.numberField(s, 'HeartbeatSeconds', eff);
    checkSize(jsonText(params), s.name);

    let result: Json;
    if (/^arn:aws[a-z-]*:lambda:/.test(resource)) {
      result = await this.runLambdaArn(s, resource, params, timeoutSeconds);
    } else if (/^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
      result = await this.runLambdaInvoke(s, waitForToken, params, timeoutSeconds, heartbeatSeconds);
    } else {
      throw new StatesError('States.Runtime', `The resource '${resource}' is not supported by the sandbox (supported: Lambda function ARNs and arn:aws:states:::lambda:invoke[.waitForTaskToken]).`);
    }

    if (s.ql === 'JSONata') {
      const extra = { result };
      const assigned = await this.assignJsonata(st.Assign, s, extra);
      const output = st.Output !== undefined ? await this.jsonata(st.Output, s, 'Output', extra) : result;
      return { output, assigned };
    }
    if (st.ResultSelector !== undefined) result = this.template(st.ResultSelector, result, s, 'ResultSelector');
    const merged = this.resultPath(st.ResultPath, s.raw, result);
    const output = this.outputPath(s, merged);
    return { output, assigned: this.assignJsonPath(st.Assign, result, s) };
  }

  /** A Task whose Resource is a Lambda function ARN: `LambdaFunction*` events, the payload is the result. */
  private async runLambdaArn(s: StateRun, arn: string, payload: Json, timeoutSeconds: number | undefined): Promise<Json> {
    const t = s.ctx.thread;
    const sched: Obj = { resource: arn, input: jsonText(payload), inputDetails: NOT_TRUNCATED };
    if (timeoutSeconds !== undefined) sched.timeoutInSeconds = timeoutSeconds;
    this.emit(t, 'LambdaFunctionScheduled', 'lambdaFunctionScheduledEventDetails', sched);
    this.emit(t, 'LambdaFunctionStarted');
    const res = await this.invoke(arn, payload, timeoutSeconds, s.ctx.cancel);
    if (res === 'timeout') {
      this.emit(t, 'LambdaFunctionTimedOut', 'lambdaFunctionTimedOutEventDetails', { error: 'States.Timeout' });
      throw new StatesError('States.Timeout', undefined);
    }
    if (res.kind === 'ok') {
      const text = jsonText(res.payload);
      const tooLarge = oversizedResult(text, arn);
      if (tooLarge) {
        this.emit(t, 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', { error: tooLarge.error, cause: tooLarge.cause });
        throw tooLarge;
      }
      this.emit(t, 'LambdaFunctionSucceeded', 'lambdaFunctionSucceededEventDetails', { output: text, outputDetails: NOT_TRUNCATED });
      return res.payload ?? null;
    }
    const e = lambdaError(res);
    this.emit(t, 'LambdaFunctionFailed', 'lambdaFunctionFailedEventDetails', { error: e.error, cause: e.cause });
    throw e;
  }

  /** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`: `Task*` events, result wrapped as the Invoke API answers. */
  private async runLambdaInvoke(s: StateRun, waitForToken: boolean, params: Json, timeoutSeconds: number | undefined, heartbeatSeconds: number | undefined): Promise<Json> {
    const t = s.ctx.thread;
    const resource = waitForToken ? 'invoke.waitForTaskToken' : 'invoke';
    const base = { resourceType: 'lambda', resource };
    const sched: Obj = { ...base, region: this.host.region, parameters: jsonText(params) };
    if (timeoutSeconds !== undefined) sched.timeoutInSeconds = timeoutSeconds;
    if (heartbeatSeconds !== undefined) sched.heartbeatInSeconds = heartbeatSeconds;
    this.emit(t, 'TaskScheduled', 'taskScheduledEventDetails', sched);
    const p = (params ?? {}) as Obj;
    if (typeof p !== 'object' || Array.isArray(p) || typeof p.FunctionName !== 'string') {
      const e = new StatesError('States.Runtime', `The Parameters of a lambda:invoke task must be an object with a string FunctionName, found ${jsonText(params)}`);
      throw e;
    }
    this.emit(t, 'TaskStarted', 'taskStartedEventDetails', base);

    // The token exists before the function runs: it may call SendTaskSuccess itself.
    let tokenResult: Promise<{ ok: true; output: string } | { ok: false; error?: string; cause?: string } | 'timeout' | 'heartbeat'> | undefined;
    let clearToken = () => {};
    if (waitForToken) {
      const w = this.waitForToken(s.taskToken!, timeoutSeconds, heartbeatSeconds, s.ctx.cancel);
      tokenResult = w.promise;
      clearToken = w.clear;
    }
    try {
      const started = this.clock.now();
      const res = await this.invoke(p.FunctionName, invokePayload(p.Payload), waitForToken ? undefined : timeoutSeconds, s.ctx.cancel);
      if (res === 'timeout') {
        this.emit(t, 'TaskTimedOut', 'taskTimedOutEventDetails', { ...base, error: 'States.Timeout' });
        throw new StatesError('States.Timeout', undefined);
      }
      if (res.kind !== 'ok') {
        const e = lambdaError(res);
        this.emit(t, 'TaskFailed', 'taskFailedEventDetails', { ...base, error: e.error, cause: e.cause });
        throw e;
      }
      const wrapped = invokeResponse(res.payload, this.host.random.uuid(), started);
      const text = jsonText(wrapped);
      if (!waitForToken) {
        const tooLarge = oversizedResult(text, base.resourceType);
        if (tooLarge) {
          this.emit(t, 'TaskFailed', 'taskFailedEventDetails', { ...base, error: tooLarge.error, cause: tooLarge.cause });
          throw tooLarge;
        }
        this.emit(t, 'TaskSucceeded', 'taskSucceededEventDetails', { ...base, output: text, outputDetails: NOT_TRUNCATED });
        return wrapped;
      }
      this.emit(t, 'TaskSubmitted', 'taskSubmittedEventDetails', { ...base, output: text, outputDetails: NOT_TRUNCATED });
      const outcome = await tokenResult!;
      if (outcome === 'timeout' || outcome === 'heartbeat') {
        // Recorded on AWS: both expiries write TaskTimedOut with States.Timeout; Retry/Catch may
        // still name States.HeartbeatTimeout for the heartbeat one.
        this.emit(t, 'TaskTimedOut', 'taskTimedOutEventDetails', { ...base, error: 'States.Timeout' });
        const e = new StatesError('States.Timeout', undefined);
        if (outcome === 'heartbeat') e.alsoMatches = ['States.HeartbeatTimeout'];
        throw e;
      }
      if (outcome.ok) {
        this.emit(t, 'TaskSucceeded', 'taskSucceededEventDetails', { ...base, output: outcome.output, outputDetails: NOT_TRUNCATED });
        checkSize(outcome.output, s.name);
        return JSON.parse(outcome.output);
      }
      const details: Obj = { ...base };
      if (outcome.error !== undefined) details.error = outcome.error;
      if (outcome.cause !== undefined) details.cause = outcome.cause;
      this.emit(t, 'TaskFailed', 'taskFailedEventDetails', details);
      const failed = new StatesError(outcome.error ?? '', outcome.cause);
      failed.nullWhenAbsent = outcome.error === undefined || outcome.cause === undefined;
      throw failed;
    } finally {
      clearToken();
    }
  }

  /** Calls the host, tracked on the clock; 'timeout' when TimeoutSeconds passes first; throws Aborted on stop. */
  private invoke(fn: string, payload: Json, timeoutSeconds: number | undefined, cancel: Cancel): Promise<LambdaResult | 'timeout'> {
    return new Promise((resolve, reject) => {
      let done = false;
      let timer: TimerHandle | undefined;
      const off = cancel.on(() => finish(() => reject(new Aborted())));
      const finish = (fnDone: () => void) => {
        if (done) return;
        done = true;
        off();
        if (timer) this.clock.clearTimer(timer);
        fnDone();
      };
      if (timeoutSeconds !== undefined) {
        timer = this.clock.setTimer(this.clock.now() + timeoutSeconds * 1000, () => finish(() => resolve('timeout')));
      }
      let work: Promise<LambdaResult>;
      try {
        work = this.host.invokeLambda(fn, payload);
      } catch (err) {
        work = Promise.reject(err);
      }
      this.clock.track(work).then(
        (r) => finish(() => resolve(r)),
        (err) => finish(() => resolve({ kind: 'service-error', error: 'Lambda.Unknown', cause: String((err as Error)?.message ?? err) })),
      );
    });
  }

  private waitForToken(token: string, timeoutSeconds: number | undefined, heartbeatSeconds: number | undefined, cancel: Cancel) {
    type Outcome = { ok: true; output: string } | { ok: false; error?: string; cause?: string } | 'timeout' | 'heartbeat';
    let settle!: (r: Outcome) => void;
    let fail!: (e: unknown) => void;
    const promise = new Promise<Outcome>((res, rej) => { settle = res; fail = rej; });
    let timeoutTimer: TimerHandle | undefined;
    let heartbeatTimer: TimerHandle | undefined;
    // Holds a virtual clock for a moment after the token is issued or heartbeated, so that a client
    // driving the API can answer before the clock skips to the expiry (host.clientGraceMs).
    let releaseHold = () => {};
    const hold = () => {
      const graceMs = this.host.clientGraceMs ?? 0;
      if (graceMs <= 0 || (timeoutSeconds === undefined && heartbeatSeconds === undefined)) return;
      releaseHold();
      void this.clock.track(new Promise<void>((resolve) => {
        const wall = setTimeout(resolve, graceMs);
        wall.unref?.();
        releaseHold = () => { clearTimeout(wall); resolve(); };
      }));
    };
    const clear = () => {
      this.tokens.delete(token);
      if (timeoutTimer) this.clock.clearTimer(timeoutTimer);
      if (heartbeatTimer) this.clock.clearTimer(heartbeatTimer);
      releaseHold();
      off();
    };
    const off = cancel.on(() => { clear(); fail(new Aborted()); });
    const armHeartbeat = () => {
      if (heartbeatSeconds === undefined) return;
      if (heartbeatTimer) this.clock.clearTimer(heartbeatTimer);
      heartbeatTimer = this.clock.setTimer(this.clock.now() + heartbeatSeconds * 1000, () => { clear(); settle('heartbeat'); });
    };
    // TimeoutSeconds defaults to 99999999 for Task states; only an explicit one arms a timer.
    if (timeoutSeconds !== undefined) timeoutTimer = this.clock.setTimer(this.clock.now() + timeoutSeconds * 1000, () => { clear(); settle('timeout'); });
    armHeartbeat();
    hold();
    this.tokens.set(token, {
      settle: (r) => { clear(); settle(r); },
      heartbeat: () => { armHeartbeat(); hold(); },
    });
    promise.catch(() => {});
    return { promise, clear };
  }

  // ───────────────────────────── Parallel ─────────────────────────────

  private async runParallel(s: StateRun, inner: InnerResume | undefined): Promise<{ output: Json; assigned?: Obj; exitPrev?: number }> {
    const st = s.st;
    let branchInput: Json;
    let eff: Json = s.raw;
    if (s.ql === 'JSONata') {
      branchInput = st.Arguments !== undefined ? await this.jsonata(st.Arguments, s, 'Arguments') : s.raw;
    } else {
      eff = this.inputPath(s);
      branchInput = st.Parameters !== undefined ? this.template(st.Parameters, eff, s, 'Parameters') : eff;
    }
    const t = s.ctx.thread;
    const startedId = this.emit(t, 'ParallelStateStarted');
    const branches = (st.Branches ?? []) as Graph[];
    const prior = inner?.kind === 'parallel' ? inner.branches : undefined;
    const group = new Cancel(s.ctx.cancel);
    const outputs: Json[] = new Array(branches.length);
    const resumes: Array<ResumePoint | undefined> = new Array(branches.length);
    const ok: boolean[] = new Array(branches.length).fill(false);
    let failure: StatesError | undefined;
    let lastEvent = startedId;
    await Promise.all(branches.map(async (g, i) => {
      const p = prior?.[i];
      if (p?.ok) { outputs[i] = p.output; ok[i] = true; return; }
      const resume = p && !p.ok ? p.resume : undefined;
      const thread: Thread = { last: startedId };
      const vars: Obj = Object.create(s.ctx.vars);
      if (resume) Object.assign(vars, resume.vars);
      try {
        outputs[i] = await this.runGraph(g, branchInput, { thread, vars, cancel: group }, g.QueryLanguage ?? s.ql, resume);
        ok[i] = true;
        lastEvent = thread.last;
      } catch (err) {
        if (!(err instanceof GraphStop)) throw err;
        resumes[i] = err.resume;
        if (err.reason instanceof StatesError && !failure) {
          failure = err.reason;
          lastEvent = thread.last;
          this.stateAborted(g, err.resume.state, thread, lastEvent);
          group.abort();
        } else if (failure && this.status === 'RUNNING' && !s.ctx.cancel.aborted) {
          this.stateAborted(g, err.resume.state, thread, lastEvent);
        }
      }
    }));
    const innerOut: InnerResume = {
      kind: 'parallel',
      branches: branches.map((_, i) => (ok[i] ? { ok: true as const, output: outputs[i] } : { ok: false as const, resume: resumes[i] })),
    };
    if (s.ctx.cancel.aborted || this.status !== 'RUNNING') {
      const a = new Aborted();
      a.inner = innerOut;
      throw a;
    }
    if (failure) {
      // ParallelStateFailed is written by withRetryCatch, and only once no retry follows (recorded on AWS).
      t.last = lastEvent;
      const e = new StatesError(failure.error, failure.cause);
      e.inner = innerOut;
      e.failedEvent = 'ParallelStateFailed';
      // The iteration/branch already wrote its EvaluationFailed; the Parallel state writes none (recorded on AWS).
      (e as { reported?: boolean }).reported = (failure as { reported?: boolean }).reported;
      throw e;
    }
    this.emit(t, 'ParallelStateSucceeded', undefined, undefined, lastEvent);
    return this.finishResult(s, outputs);
  }

  /** ResultSelector → ResultPath → OutputPath → Assign (JSONPath), or Output/Assign (JSONata), of a result. */
  private async finishResult(s: StateRun, result: Json, exitPrev?: number): Promise<{ output: Json; assigned?: Obj; exitPrev?: number }> {
    const st = s.st;
    if (s.ql === 'JSONata') {
      const extra = { result };
      const assigned = await this.assignJsonata(st.Assign, s, extra);
      const output = st.Output !== undefined ? await this.jsonata(st.Output, s, 'Output', extra) : result;
      return { output, assigned, exitPrev };
    }
    if (st.ResultSelector !== undefined) result = this.template(st.ResultSelector, result, s, 'ResultSelector');
    const merged = this.resultPath(st.ResultPath, s.raw, result);
    return { output: this.outputPath(s, merged), assigned: this.assignJsonPath(st.Assign, result, s), exitPrev };
  }

  /**
   * Recorded on AWS: when a Parallel branch or Map iteration ends because of a failure, the
   * Task/Wait/Map/Parallel state it was in writes `…StateAborted` (no details), pointing at the
   * failure event. A Fail state writes none.
   */
  private stateAborted(graph: Graph, stateName: string, thread: Thread, prev: number): void {
    const type = graph.States[stateName]?.Type;
    if (type === 'Task' || type === 'Wait' || type === 'Map' || type === 'Parallel') {
      if (this.status === 'RUNNING') this.emit(thread, `${type}StateAborted`, undefined, undefined, prev);
    }
  }

  // ───────────────────────────── Map ─────────────────────────────

  /** The items of a Map state (JSONata `Items`, JSONPath `InputPath` then `ItemsPath`) and its effective input. */
  private async mapItems(s: StateRun): Promise<{ items: Json[]; eff: Json }> {
    const st = s.st;
    let items: Json;
    let eff: Json = s.raw;
    if (s.ql === 'JSONata') {
      items = st.Items !== undefined ? await this.jsonata(st.Items, s, 'Items') : s.raw;
      if (!Array.isArray(items)) {
        if (isExpression(st.Items)) {
          throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${st.Items.slice(2, -2).trim()}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${jsonTypeName(items)}' for value: ${truncated(jsonText(items))}`, 'Items');
        }
        throw new StatesError('States.QueryEvaluationError', `Map state input must be an array but was: ${truncated(jsonText(items))}`);
      }
    } else {
      eff = this.inputPath(s);
      items = typeof st.ItemsPath === 'string' ? this.mustResolve(st.ItemsPath, eff, s, 'ItemsPath') : eff;
      if (!Array.isArray(items)) throw new StatesError('States.Runtime', `Map state input must be an array but was: ${truncated(jsonText(items))}`);
    }
    return { items, eff };
  }

  /** What a Distributed Map (`states/distributed-map.ts`) uses of this execution, for one state run. */
  private distributedContext(s: StateRun): DistributedMapContext {
    return {
      stateName: s.name,
      st: s.st,
      ql: s.ql,
      host: this.host,
      parent: { executionArn: this.executionArn, stateMachineArn: this.stateMachineArn, roleArn: this.roleArn },
      cancel: s.ctx.cancel,
      isRunning: () => this.status === 'RUNNING' && !s.ctx.cancel.aborted,
      isParentRunning: () => this.status === 'RUNNING',
      isSuspended: () => this.isSuspended,
      emit: (type, key, details) => this.emit(s.ctx.thread, type, key, details),
      mapItems: () => this.mapItems(s),
      effectiveInput: () => (s.ql === 'JSONata' ? s.raw : this.inputPath(s)),
      selectItem: async (eff, index, item) => {
        const selector = s.st.ItemSelector ?? s.st.Parameters;
        if (selector === undefined) return item;
        const iterRun: StateRun = { ...s, mapItem: { Index: index, Value: item } };
        return s.ql === 'JSONata' ? this.jsonata(selector, iterRun, 'ItemSelector') : this.template(selector, eff, iterRun, 'ItemSelector');
      },
      numberField: (field, eff) => this.numberField(s, field, eff),
      evaluate: async (value, eff, field) => (s.ql === 'JSONata' ? this.jsonata(value, s, field) : this.template(value, eff, s, field)),
      resolvePath: (path, eff, field) => this.mustResolve(path, eff, s, field),
      startChild: (o) => Execution.start({ ...o, roleArn: this.roleArn, host: this.host }),
      prefixed: (err) => this.prefixed(s, err),
    };
  }

  private async runMap(s: StateRun, inner: InnerResume | undefined): Promise<{ output: Json; assigned?: Obj; exitPrev?: number }> {
    const st = s.st;
    const { items, eff } = await this.mapItems(s);
    const maxConc = (await this.numberField(s, 'MaxConcurrency', eff)) ?? 0;
    const workers = Math.min(maxConc === 0 ? INLINE_MAP_MAX_CONCURRENCY : maxConc, INLINE_MAP_MAX_CONCURRENCY, Math.max(items.length, 1));
    const processor = (st.ItemProcessor ?? st.Iterator) as Graph;
    const selector = st.ItemSelector ?? st.Parameters;
    const t = s.ctx.thread;
    const mapStartedId = this.emit(t, 'MapStateStarted', 'mapStateStartedEventDetails', { length: items.length });
    const prior = inner?.kind === 'map' && inner.succeeded.length === items.length ? inner : undefined;
    const results: Json[] = prior ? prior.results.slice() : new Array(items.length);
    const succeeded: boolean[] = new Array(items.length).fill(false);
    if (prior) for (let i = 0; i < items.length; i++) succeeded[i] = prior.succeeded[i] === 's';
    const failed: Record<string, ResumePoint> = {};
    const group = new Cancel(s.ctx.cancel);
    let failure: StatesError | undefined;
    let failureLast = 0;
    let lastSucceededId = mapStartedId;
    const mapThread: Thread = { last: mapStartedId };
    let next = 0;
    const iterQl = processor.QueryLanguage ?? s.ql;

    const onDone = (i: number, thread: Thread, output: Json): void => {
      results[i] = output;
      succeeded[i] = true;
      lastSucceededId = this.emit(mapThread, 'MapIterationSucceeded', 'mapIterationSucceededEventDetails', { name: s.name, index: i }, thread.last);
      // Recorded on AWS: the next MapIterationStarted points at this iteration's last event, not at MapIterationSucceeded.
      mapThread.last = thread.last;
    };
    const onStop = (i: number, thread: Thread, err: unknown): void => {
      if (!(err instanceof GraphStop)) throw err;
      failed[String(i)] = err.resume;
      if (err.reason instanceof StatesError && !failure) {
        failure = err.reason;
        failureLast = thread.last;
        this.emit(mapThread, 'MapIterationFailed', 'mapIterationFailedEventDetails', { name: s.name, index: i }, failureLast);
        this.stateAborted(processor, err.resume.state, thread, failureLast);
        group.abort();
      } else if (this.status === 'RUNNING' && !s.ctx.cancel.aborted) {
        const prev = failure ? failureLast : thread.last;
        this.emit(mapThread, 'MapIterationAborted', 'mapIterationAbortedEventDetails', { name: s.name, index: i }, prev);
        this.stateAborted(processor, err.resume.state, thread, prev);
      }
    };
    const startIteration = (i: number, iterInput: Json): void | Promise<void> => {
      const resume = prior?.failed[String(i)];
      const startedId = this.emit(mapThread, 'MapIterationStarted', 'mapIterationStartedEventDetails', { name: s.name, index: i });
      const thread: Thread = { last: startedId };
      const vars: Obj = Object.create(s.ctx.vars);
      if (resume) Object.assign(vars, resume.vars);
      let r: Json | Promise<Json>;
      try {
        r = this.runGraph(processor, iterInput, { thread, vars, cancel: group }, iterQl, resume);
      } catch (err) {
        onStop(i, thread, err);
        return;
      }
      if (r instanceof Promise) return r.then((o) => onDone(i, thread, o), (err) => onStop(i, thread, err));
      onDone(i, thread, r);
    };
    /** Runs iteration i; synchronous when its states are, so that sequential iterations write their history in order. */
    const runOne = (i: number): void | Promise<void> => {
      const item = items[i];
      if (selector === undefined) return startIteration(i, item);
      const iterRun: StateRun = { ...s, mapItem: { Index: i, Value: item } };
      if (s.ql === 'JSONata') return this.jsonata(selector, iterRun, 'ItemSelector').then((v) => startIteration(i, v));
      return startIteration(i, this.template(selector, eff, iterRun, 'ItemSelector'));
    };

    const worker = async (): Promise<void> => {
      while (!group.aborted) {
        while (next < items.length && succeeded[next]) next++;
        if (next >= items.length) return;
        const i = next++;
        try {
          const p = runOne(i);
          if (p) await p;
        } catch (err) {
          if (err instanceof StatesError && !failure) {
            // ItemSelector failed before the iteration started.
            failure = this.prefixed(s, err);
            failureLast = mapThread.last;
            group.abort();
            return;
          }
          if (err instanceof Aborted || err instanceof StatesError) return;
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));

    const innerOut = (): InnerResume => ({
      kind: 'map',
      succeeded: succeeded.map((x) => (x ? 's' : '-')).join(''),
      results: results.map((r, i) => (succeeded[i] ? r : null)),
      failed,
    });
    if (s.ctx.cancel.aborted || this.status !== 'RUNNING') {
      const a = new Aborted();
      a.inner = innerOut();
      throw a;
    }
    if (failure) {
      // MapStateFailed is written by withRetryCatch, and only once no retry follows (recorded on AWS).
      t.last = failureLast;
      const e = new StatesError(failure.error, failure.cause);
      e.inner = innerOut();
      e.failedEvent = 'MapStateFailed';
      // The iteration/branch already wrote its EvaluationFailed; the Map state writes none (recorded on AWS).
      (e as { reported?: boolean }).reported = (failure as { reported?: boolean }).reported;
      throw e;
    }
    this.emit(t, 'MapStateSucceeded', undefined, undefined, lastSucceededId);
    return this.finishResult(s, results, lastSucceededId);
  }

  // ───────────────────────────── timers ─────────────────────────────

  private sleepUntil(atMs: number, cancel: Cancel): Promise<void> {
    cancel.check();
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimer(atMs, () => { off(); resolve(); });
      const off = cancel.on(() => { this.clock.clearTimer(timer); reject(new Aborted()); });
    });
  }
}

// ───────────────────────────── helpers ─────────────────────────────

function ownVars(vars: Obj): Record<string, unknown> {
  const out: Obj = {};
  for (const k of Object.keys(vars)) out[k] = vars[k];
  return out;
}

/** The fields of an event's details that hold a payload's JSON text. */
const PAYLOAD_FIELDS = ['input', 'output', 'parameters'] as const;

/**
 * The last few payload texts of one history. A state's output is usually the next state's input
 * and passes unchanged through Choice and Wait states, so one payload appears in up to six events
 * in a row (…StateExited, ChoiceStateEntered/Exited, WaitStateEntered/Exited, TaskStateEntered):
 * each event then holds the same string rather than an equal copy. The events read exactly as before.
 */
class RecentTexts {
  private static readonly KEPT = 4;
  /** Texts shorter than this are not worth comparing. */
  private static readonly MIN_LENGTH = 64;
  private readonly texts: string[] = [];
  private next = 0;

  /** `text`, or an earlier equal string of this history. */
  share(text: string): string {
    if (text.length < RecentTexts.MIN_LENGTH) return text;
    for (const earlier of this.texts) if (earlier.length === text.length && earlier === text) return earlier;
    this.texts[this.next] = text;
    this.next = (this.next + 1) % RecentTexts.KEPT;
    return text;
  }
}

/** JSON text of a value as history shows it (`null` for nothing). */
export function jsonText(v: Json): string {
  return JSON.stringify(v) ?? 'null';
}

function truncated(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/** States.DataLimitExceeded above 256 KiB of UTF-8. @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html */
function checkSize(text: string, stateName: string): void {
  if (text.length * 3 <= MAX_PAYLOAD) return;
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD) {
    // Cause as recorded on AWS.
    throw new StatesError('States.DataLimitExceeded', `The state/task '${stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
  }
}

/**
 * A task result over 256 KiB, as recorded on AWS (localstack test_states_errors.snapshot.json): the
 * task's own event fails (`LambdaFunctionFailed`/`TaskFailed`) with `States.DataLimitExceeded`, the
 * cause names the function ARN (Lambda ARN resource) or the resource type (`lambda` for
 * lambda:invoke), and a `States.ALL` catcher catches it.
 */
function oversizedResult(text: string, subject: string): StatesError | undefined {
  try {
    checkSize(text, subject);
    return undefined;
  } catch (err) {
    const e = err as StatesError;
    e.alsoMatches = ['States.ALL'];
    return e;
  }
}

/**
 * The error of a failed Lambda invocation as Step Functions reports it: the function's `errorType`,
 * with the runtime's error JSON as the cause.
 */
function lambdaError(res: Exclude<LambdaResult, { kind: 'ok' }>): StatesError {
  if (res.kind === 'service-error') return new StatesError(res.error, res.cause);
  const body: Obj = { errorType: res.errorType, errorMessage: res.errorMessage };
  if (res.trace) body.trace = res.trace;
  return new StatesError(res.errorType, JSON.stringify(body));
}

/**
 * The event a lambda:invoke `Payload` delivers, as recorded on AWS: absent or null → `{}`; a string
 * is the JSON text of the event itself (`"\"HelloWorld\""` → `"HelloWorld"`).
 */
function invokePayload(payload: Json): Json {
  if (payload === undefined || payload === null) return {};
  if (typeof payload === 'string') {
    try {
      return JSON.parse(payload);
    } catch {
      return payload;
    }
  }
  return payload;
}

/** The Lambda Invoke response as the optimised integration returns it. @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html */
function invokeResponse(payload: Json, requestId: string, atMs: number): Obj {
  const body = jsonText(payload ?? null);
  const date = new Date(atMs).toUTCString();
  const traceId = `Root=1-${Math.floor(atMs / 1000).toString(16)}-${requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`;
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload ?? null,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': ['$LATEST'],
        'x-amzn-Remapped-Content-Length': ['0'],
        Connection: ['keep-alive'],
        'x-amzn-RequestId': [requestId],
        'Content-Length': [String(Buffer.byteLength(body))],
        Date: [date],
        'X-Amzn-Trace-Id': [traceId],
        'Content-Type': ['application/json'],
      },
      HttpHeaders: {
        Connection: 'keep-alive',
        'Content-Length': String(Buffer.byteLength(body)),
        'Content-Type': 'application/json',
        Date: date,
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': requestId,
        'X-Amzn-Trace-Id': traceId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
