/**
 * The Map state in Distributed mode (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`): each
 * item (or batch of items) runs as a child workflow execution with its own history, grouped in a
 * Map Run. Items come from the state input or from S3 (`ItemReader`), results go to the state
 * output or to S3 (`ResultWriter`), and the run fails once more children fail than tolerated.
 *
 * Parent history: `MapStateEntered`, `MapStateStarted {length}`, `MapRunStarted {mapRunArn}`
 * (`MapRunRedriven` on a redrive), then `MapRunSucceeded` or `MapRunFailed {error, cause}` /
 * `MapRunAborted`, then `MapStateSucceeded`/`MapStateFailed` and `MapStateExited`.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
 */
import { Aborted, StatesError } from '../errors.js';
import type { Execution } from '../execution.js';
import type { EngineHost, ExecutionStatus, InnerResume } from '../types.js';

type Json = unknown;
type Obj = Record<string, unknown>;

/** Children run at most this many at once when MaxConcurrency is absent or 0 (AWS's default). */
export const DISTRIBUTED_MAP_DEFAULT_CONCURRENCY = 10_000;

/** A Map Run can be redriven at most 1,000 times (then `States.Runtime`). @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html */
const MAX_MAP_RUN_REDRIVES = 1000;

/** `States.ExceedToleratedFailureThreshold`'s cause. @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html */
const THRESHOLD_CAUSE = 'The specified tolerated failure threshold was exceeded';

/** True for a Map state whose ItemProcessor runs in Distributed mode. */
export function isDistributedMap(st: Obj): boolean {
  const proc = (st.ItemProcessor ?? undefined) as Obj | undefined;
  const cfg = proc?.ProcessorConfig as Obj | undefined;
  return cfg?.Mode === 'DISTRIBUTED';
}

/** What the Distributed Map needs from the execution running it (built by `Execution`). */
export interface DistributedMapContext {
  readonly stateName: string;
  readonly st: Obj;
  readonly ql: 'JSONPath' | 'JSONata';
  readonly host: EngineHost;
  readonly parent: { readonly executionArn: string; readonly stateMachineArn: string; readonly roleArn: string };
  readonly cancel: { readonly aborted: boolean; on(fn: () => void): () => void };
  /** False once the parent closed or this state's scope was cancelled. */
  isRunning(): boolean;
  /** False once the parent execution closed (its history takes no more events). */
  isParentRunning(): boolean;
  /** True once the parent is parked as the sandbox stops: its Map Run and children stay as they are. */
  isSuspended(): boolean;
  /** Appends an event to the parent's history at this state. */
  emit(type: string, key?: string, details?: Obj): number;
  /** Items from the state input (`Items` / `ItemsPath`) and the effective input. */
  mapItems(): Promise<{ items: Json[]; eff: Json }>;
  /** The effective input (after InputPath). */
  effectiveInput(): Json;
  /** `ItemSelector` (or legacy `Parameters`) applied to one item, with `$$.Map.Item`. */
  selectItem(eff: Json, index: number, item: Json): Promise<Json>;
  /** A number field given literally, by `…Path`, or as a JSONata expression. */
  numberField(field: string, eff: Json): Promise<number | undefined>;
  /** A payload template (JSONPath `.$` keys) or JSONata template evaluated against the input. */
  evaluate(value: Json, eff: Json, field: string): Promise<Json>;
  /** A JSONPath resolved against the effective input (`…Path` fields). */
  resolvePath(path: string, eff: Json, field: string): Json;
  /** Starts a child execution on the parent's host. */
  startChild(o: { executionArn: string; stateMachineArn: string; name: string; definition: string; input: string; mapRunArn: string; onChange?: (e: Execution) => void }): Execution;
  /** The state's error wording for States.Runtime and QueryEvaluationError causes. */
  prefixed(err: StatesError): StatesError;
}

/** Status of a Map Run, as DescribeMapRun reports it. */
export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

type ChildStatus = 'PENDING' | ExecutionStatus;

/** One child slot: an execution and the items it processes. */
interface ChildSlot {
  readonly index: number;
  readonly items: number;
  readonly input: string;
  executionArn?: string;
  status: ChildStatus;
  /** The live execution (absent after a restart until looked up). */
  execution?: Execution;
  written?: boolean;
}

/** Counts by status, as `itemCounts` and `executionCounts` of DescribeMapRun. */
export interface MapRunCounts {
  pending: number; running: number; succeeded: number; failed: number; timedOut: number; aborted: number;
  total: number; resultsWritten: number; failuresNotRedrivable: number; pendingRedrive: number;
}

/** A Map Run as plain JSON, for the store. */
export interface MapRunSnapshot {
  readonly version: 1;
  readonly mapRunArn: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly label: string;
  readonly executionType: 'STANDARD' | 'EXPRESS';
  readonly status: MapRunStatus;
  readonly startDate: number;
  readonly stopDate?: number;
  readonly maxConcurrency: number;
  readonly toleratedFailureCount: number;
  readonly toleratedFailurePercentage: number;
  readonly hasToleratedCount: boolean;
  readonly hasToleratedPercentage: boolean;
  readonly redriveCount: number;
  readonly redriveDate?: number;
  readonly children: Array<{ index: number; items: number; executionArn?: string; status: ChildStatus; written?: boolean }>;
}

/**
 * A Map Run: the set of child executions one Distributed Map state run started, their settings
 * (MaxConcurrency, tolerated failures; UpdateMapRun changes them) and their counts.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 */
export class MapRun {
  readonly mapRunArn: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly label: string;
  readonly executionType: 'STANDARD' | 'EXPRESS';
  status: MapRunStatus = 'RUNNING';
  startDate: number;
  stopDate?: number;
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  hasToleratedCount: boolean;
  hasToleratedPercentage: boolean;
  redriveCount = 0;
  redriveDate?: number;
  children: ChildSlot[] = [];
  /** Called after UpdateMapRun so a running scheduler can start more children. */
  onUpdate?: () => void;

  constructor(o: {
    mapRunArn: string; executionArn: string; stateMachineArn: string; label: string; executionType: 'STANDARD' | 'EXPRESS'; startDate: number;
    maxConcurrency: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number;
  }) {
    this.mapRunArn = o.mapRunArn;
    this.executionArn = o.executionArn;
    this.stateMachineArn = o.stateMachineArn;
    this.label = o.label;
    this.executionType = o.executionType;
    this.startDate = o.startDate;
    this.maxConcurrency = o.maxConcurrency;
    this.hasToleratedCount = o.toleratedFailureCount !== undefined;
    this.hasToleratedPercentage = o.toleratedFailurePercentage !== undefined;
    this.toleratedFailureCount = o.toleratedFailureCount ?? 0;
    this.toleratedFailurePercentage = o.toleratedFailurePercentage ?? 0;
  }

  /**
   * A Map Run read back from the store. A run that was RUNNING stays so: its parent carries on
   * after the restart and continues it (`runDistributedMap`).
   */
  static restore(snap: MapRunSnapshot): MapRun {
    const run = new MapRun({ ...snap });
    run.hasToleratedCount = snap.hasToleratedCount;
    run.hasToleratedPercentage = snap.hasToleratedPercentage;
    run.toleratedFailureCount = snap.toleratedFailureCount;
    run.toleratedFailurePercentage = snap.toleratedFailurePercentage;
    run.status = snap.status;
    run.stopDate = snap.stopDate;
    run.redriveCount = snap.redriveCount;
    run.redriveDate = snap.redriveDate;
    run.children = snap.children.map((c) => ({ ...c, input: '' }));
    return run;
  }

  /** The id part of the ARN (its last segment), which names the ResultWriter's folder. */
  get mapRunId(): string {
    return this.mapRunArn.slice(this.mapRunArn.lastIndexOf(':') + 1);
  }

  /** `itemCounts` (by items) or `executionCounts` (by child execution). */
  counts(byItems: boolean): MapRunCounts {
    const c: MapRunCounts = { pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 };
    for (const slot of this.children) {
      const n = byItems ? slot.items : 1;
      c.total += n;
      if (slot.written) c.resultsWritten += n;
      switch (slot.status) {
        case 'PENDING': c.pending += n; break;
        case 'RUNNING': c.running += n; break;
        case 'SUCCEEDED': c.succeeded += n; break;
        case 'FAILED': c.failed += n; break;
        case 'TIMED_OUT': c.timedOut += n; break;
        case 'ABORTED': c.aborted += n; break;
      }
    }
    return c;
  }

  /** DescribeMapRun's answer (dates in epoch ms; the API renders them). */
  describe(): Obj {
    return {
      mapRunArn: this.mapRunArn,
      executionArn: this.executionArn,
      status: this.status,
      startDate: this.startDate,
      ...(this.stopDate !== undefined && this.status !== 'RUNNING' ? { stopDate: this.stopDate } : {}),
      maxConcurrency: this.maxConcurrency,
      toleratedFailurePercentage: this.toleratedFailurePercentage,
      toleratedFailureCount: this.toleratedFailureCount,
      itemCounts: this.counts(true),
      executionCounts: this.counts(false),
      redriveCount: this.redriveCount,
      ...(this.redriveDate !== undefined ? { redriveDate: this.redriveDate } : {}),
    };
  }

  /** UpdateMapRun: new settings take effect at once (more children may start). */
  update(o: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number }): void {
    if (o.maxConcurrency !== undefined) this.maxConcurrency = o.maxConcurrency;
    if (o.toleratedFailureCount !== undefined) { this.toleratedFailureCount = o.toleratedFailureCount; this.hasToleratedCount = true; }
    if (o.toleratedFailurePercentage !== undefined) { this.toleratedFailurePercentage = o.toleratedFailurePercentage; this.hasToleratedPercentage = true; }
    this.onUpdate?.();
  }

  /**
   * True once more items failed (or timed out) than tolerated: above ToleratedFailureCount, or
   * above ToleratedFailurePercentage of all items; with neither set, any failure.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#maprun-fail-threshold
   */
  thresholdExceeded(): boolean {
    const c = this.counts(true);
    const failed = c.failed + c.timedOut;
    if (failed === 0) return false;
    if (!this.hasToleratedCount && !this.hasToleratedPercentage) return true;
    if (this.hasToleratedCount && failed > this.toleratedFailureCount) return true;
    if (this.hasToleratedPercentage && c.total > 0 && (failed * 100) / c.total > this.toleratedFailurePercentage) return true;
    return false;
  }

  /** Plain JSON for the store. */
  snapshot(): MapRunSnapshot {
    return {
      version: 1,
      mapRunArn: this.mapRunArn, executionArn: this.executionArn, stateMachineArn: this.stateMachineArn, label: this.label,
      executionType: this.executionType, status: this.status, startDate: this.startDate, stopDate: this.stopDate,
      maxConcurrency: this.maxConcurrency, toleratedFailureCount: this.toleratedFailureCount, toleratedFailurePercentage: this.toleratedFailurePercentage,
      hasToleratedCount: this.hasToleratedCount, hasToleratedPercentage: this.hasToleratedPercentage,
      redriveCount: this.redriveCount, redriveDate: this.redriveDate,
      children: this.children.map((c) => ({ index: c.index, items: c.items, executionArn: c.executionArn, status: c.status, ...(c.written ? { written: true } : {}) })),
    };
  }
}

/**
 * Runs a Distributed Map state once (one attempt; Retry/Catch are the caller's). Returns the
 * state's result before ResultSelector/ResultPath/Output: the children's outputs in item order,
 * or, with a ResultWriter writing to S3, `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`.
 *
 * @throws StatesError (with `failedEvent: 'MapStateFailed'`) when items cannot be read
 *   (`States.ItemReaderFailed`), too many children fail (`States.ExceedToleratedFailureThreshold`)
 *   or results cannot be written (`States.ResultWriterFailed`).
 */
export async function runDistributedMap(ctx: DistributedMapContext, inner: InnerResume | undefined): Promise<{ result: Json; exitPrev?: number }> {
  const st = ctx.st;
  const host = ctx.host;
  const eff = ctx.effectiveInput();
  const proc = st.ItemProcessor as Obj;
  const cfg = proc.ProcessorConfig as Obj;
  const executionType = cfg.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';

  // Settings, read before anything runs (a bad one fails the state before the Map Run starts).
  const maxConcurrency = (await ctx.numberField('MaxConcurrency', eff)) ?? 0;
  const toleratedFailureCount = await ctx.numberField('ToleratedFailureCount', eff);
  const toleratedFailurePercentage = await toleratedPercentage(ctx, eff);

  // A redrive resumes the Map Run the failed attempt left; anything else starts a new one.
  // A Map Run that failed before any child existed (its items could not be read) was never
  // really started: a redrive starts a new one. @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
  const found = inner?.kind === 'distributed' ? findRun(host, inner.mapRunArn) : undefined;
  // After a sandbox restart the parent re-enters the state in flight: its Map Run carries on, with
  // the children that were running continuing on their own (not a redrive).
  const continuing = inner?.kind === 'distributed' && inner.continuing === true && found?.status === 'RUNNING' ? found : undefined;
  const prior = !continuing && found && found.children.length > 0 ? found : undefined;
  if (prior && prior.redriveCount >= MAX_MAP_RUN_REDRIVES) {
    throw ctx.prefixed(new StatesError('States.Runtime', `The Map Run ${prior.mapRunArn} was already redriven ${MAX_MAP_RUN_REDRIVES} times, the most a Map Run can be.`));
  }
  let run: MapRun;
  let slots: ChildSlot[];
  if (continuing) {
    run = continuing;
    slots = run.children;
  } else if (prior) {
    run = prior;
    run.status = 'RUNNING';
    run.stopDate = undefined;
    run.redriveCount++;
    run.redriveDate = host.clock.now();
    slots = run.children;
  } else {
    const smName = ctx.parent.stateMachineArn.slice(ctx.parent.stateMachineArn.lastIndexOf(':') + 1);
    const label = typeof st.Label === 'string' ? st.Label : host.random.uuid();
    // Seeded ids can repeat after a restart (same seed): draw again rather than reuse an ARN.
    let mapRunArn: string;
    do mapRunArn = `arn:aws:states:${host.region}:${host.accountId}:mapRun:${smName}/${label}:${host.random.uuid()}`;
    while (host.mapRuns?.mapRun(mapRunArn) !== undefined);
    run = new MapRun({
      mapRunArn,
      executionArn: ctx.parent.executionArn,
      stateMachineArn: ctx.parent.stateMachineArn,
      label,
      executionType,
      startDate: host.clock.now(),
      maxConcurrency,
      toleratedFailureCount,
      toleratedFailurePercentage,
    });
    slots = [];
  }

  // Items: from S3 (ItemReader) or the state input, then ItemSelector, then ItemBatcher.
  let readError: StatesError | undefined;
  let inputs: string[] = [];
  let itemsPerChild: number[] = [];
  try {
    const raw = st.ItemReader !== undefined ? await readItems(ctx, eff) : (await ctx.mapItems()).items;
    const selected: Json[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) selected[i] = await ctx.selectItem(eff, i, raw[i]);
    ({ inputs, itemsPerChild } = await batch(ctx, eff, selected));
  } catch (err) {
    if (!(err instanceof StatesError)) throw err;
    if (err.error !== 'States.ItemReaderFailed') throw ctx.prefixed(err);
    readError = err;
  }
  if (!prior && !continuing) {
    run.children = slots = inputs.map((input, index) => ({ index, items: itemsPerChild[index]!, input, status: 'PENDING' as ChildStatus }));
    host.mapRuns?.mapRunStarted(run);
  } else {
    // After a restart the inputs are not kept: the items are read again (same order, same batches).
    for (const slot of slots) if (slot.input === '') (slot as { input: string }).input = inputs[slot.index] ?? 'null';
  }

  ctx.emit('MapStateStarted', 'mapStateStartedEventDetails', { length: slots.reduce((n, c) => n + c.items, 0) });
  if (prior) ctx.emit('MapRunRedriven', 'mapRunRedrivenEventDetails', { mapRunArn: run.mapRunArn, redriveCount: run.redriveCount });
  else if (!continuing) ctx.emit('MapRunStarted', 'mapRunStartedEventDetails', { mapRunArn: run.mapRunArn });
  const innerOut: InnerResume = { kind: 'distributed', mapRunArn: run.mapRunArn };

  const fail = (error: string, cause: string): never => {
    closeRun(run, 'FAILED', host);
    ctx.emit('MapRunFailed', 'mapRunFailedEventDetails', { error, cause });
    const e = new StatesError(error, cause);
    e.inner = innerOut;
    e.failedEvent = 'MapStateFailed';
    throw e;
  };
  if (readError) fail(readError.error, readError.cause ?? '');

  const outcome = await runChildren(ctx, run, slots);
  if (ctx.isSuspended()) {
    // Parked with the sandbox: the Map Run stays RUNNING, to carry on after the restart.
    const a = new Aborted();
    a.inner = innerOut;
    throw a;
  }
  if (outcome === 'aborted' || !ctx.isRunning()) {
    closeRun(run, 'ABORTED', host);
    // Aborted by a failing sibling branch: the parent goes on and records it. A stopped parent is closed already.
    if (ctx.isParentRunning()) ctx.emit('MapRunAborted');
    const a = new Aborted();
    a.inner = innerOut;
    throw a;
  }

  // Results: to S3 with a ResultWriter (also when the run failed), else in the state output.
  const writer = st.ResultWriter as Obj | undefined;
  let written: Json | undefined;
  if (writer !== undefined && (writer.Resource !== undefined || writer.Arguments !== undefined || writer.Parameters !== undefined)) {
    try {
      written = await writeResults(ctx, eff, run, slots, writer);
    } catch (err) {
      if (!(err instanceof StatesError)) throw err;
      fail(err.error, err.cause ?? '');
    }
  }
  if (outcome === 'threshold') fail('States.ExceedToleratedFailureThreshold', THRESHOLD_CAUSE);
  closeRun(run, 'SUCCEEDED', host);
  ctx.emit('MapRunSucceeded');
  const lastId = ctx.emit('MapStateSucceeded');
  if (written !== undefined) return { result: written, exitPrev: lastId };
  const transformation = (writer?.WriterConfig as Obj | undefined)?.Transformation ?? 'COMPACT';
  return { result: collectOutputs(host, slots, transformation as string), exitPrev: lastId };
}

function findRun(host: EngineHost, arn: string): MapRun | undefined {
  // Without a registry (the engine used on its own) a redrive starts a new Map Run.
  return host.mapRuns?.mapRun(arn);
}

function closeRun(run: MapRun, status: MapRunStatus, host: EngineHost): void {
  run.status = status;
  run.stopDate = host.clock.now();
  run.onUpdate = undefined;
  host.mapRuns?.mapRunChanged(run);
}

/** `ToleratedFailurePercentage(Path)`: a number from 0 to 100 (not only an integer). */
async function toleratedPercentage(ctx: DistributedMapContext, eff: Json): Promise<number | undefined> {
  const st = ctx.st;
  let v: unknown = st.ToleratedFailurePercentage;
  if (v === undefined && typeof st.ToleratedFailurePercentagePath === 'string') v = ctx.resolvePath(st.ToleratedFailurePercentagePath, eff, 'ToleratedFailurePercentagePath');
  else if (typeof v === 'string' && ctx.ql === 'JSONata') v = await ctx.evaluate(v, eff, 'ToleratedFailurePercentage');
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0 && v <= 100)) {
    const field = st.ToleratedFailurePercentagePath !== undefined ? 'ToleratedFailurePercentagePath' : 'ToleratedFailurePercentage';
    throw ctx.prefixed(new StatesError(ctx.ql === 'JSONata' ? 'States.QueryEvaluationError' : 'States.Runtime', `The ${field} field must be a number from 0 to 100, found ${JSON.stringify(v)}`, ctx.ql === 'JSONata' ? field : undefined));
  }
  return v;
}

/**
 * Starts children up to the Map Run's MaxConcurrency (read again after each child closes, so
 * UpdateMapRun applies at once) and waits for them. Stops starting new ones, and aborts the
 * running ones, once the tolerated failure threshold is exceeded or the parent is stopped.
 */
function runChildren(ctx: DistributedMapContext, run: MapRun, slots: ChildSlot[]): Promise<'done' | 'threshold' | 'aborted'> {
  const host = ctx.host;
  const smName = ctx.parent.stateMachineArn.slice(ctx.parent.stateMachineArn.lastIndexOf(':') + 1);
  const childMachine = `${ctx.parent.stateMachineArn}/${run.label}`;
  const definition = childDefinition(ctx);
  const todo = slots.filter((c) => c.status !== 'SUCCEEDED');
  return new Promise((resolve) => {
    let next = 0;
    let running = 0;
    let settled = false;
    const finish = (r: 'done' | 'threshold' | 'aborted'): void => {
      if (settled) return;
      settled = true;
      off();
      // A parent parked with the sandbox leaves its children running: they are parked too.
      if (r !== 'done' && !ctx.isSuspended()) {
        for (const slot of todo) if (slot.status === 'RUNNING') slot.execution?.stop();
      }
      resolve(r);
    };
    const off = ctx.cancel.on(() => finish('aborted'));
    const limit = (): number => (run.maxConcurrency > 0 ? run.maxConcurrency : DISTRIBUTED_MAP_DEFAULT_CONCURRENCY);
    const onClosed = (slot: ChildSlot, e: Execution): void => {
      slot.status = e.status;
      running--;
      host.mapRuns?.mapRunChanged(run);
      if (settled) return;
      // Only a failure can cross the threshold (counting is linear in the children: not on every close).
      if ((e.status === 'FAILED' || e.status === 'TIMED_OUT') && run.thresholdExceeded()) return finish('threshold');
      pump();
    };
    const pump = (): void => {
      while (!settled && running < limit() && next < todo.length) {
        const slot = todo[next++]!;
        running++;
        let e: Execution;
        const redrivable = slot.executionArn !== undefined && run.executionType === 'STANDARD' && (slot.status === 'FAILED' || slot.status === 'ABORTED' || slot.status === 'TIMED_OUT');
        const existing = redrivable ? slot.execution ?? host.mapRuns?.execution(slot.executionArn!) : undefined;
        if (existing && existing.redriveStatus().status === 'REDRIVABLE') {
          // A redriven Map Run redrives its failed children (same ARN, redriveCount + 1).
          existing.redrive();
          e = existing;
        } else {
          let name: string;
          let executionArn: string;
          do {
            name = host.random.uuid();
            executionArn = run.executionType === 'EXPRESS'
              ? `arn:aws:states:${host.region}:${host.accountId}:express:${smName}/${run.label}:${name}:${host.random.uuid()}`
              : `arn:aws:states:${host.region}:${host.accountId}:execution:${smName}/${run.label}:${name}`;
          } while (host.mapRuns?.execution(executionArn) !== undefined);
          e = ctx.startChild({ executionArn, stateMachineArn: childMachine, name, definition, input: slot.input || 'null', mapRunArn: run.mapRunArn });
          slot.executionArn = executionArn;
          if (run.executionType === 'STANDARD') host.mapRuns?.childStarted(e);
        }
        slot.execution = e;
        slot.status = 'RUNNING';
        void e.whenClosed().then(() => onClosed(slot, e));
      }
      host.mapRuns?.mapRunChanged(run);
      if (!settled && running === 0 && next >= todo.length) finish('done');
    };
    run.onUpdate = () => { if (!settled) pump(); };
    if (ctx.cancel.aborted) return finish('aborted');
    // A Map Run carried on after a restart: the children that were running continue on their own
    // (an Express child, not kept, starts again).
    const rest: ChildSlot[] = [];
    for (const slot of todo) {
      const live = slot.status === 'RUNNING' && slot.executionArn !== undefined ? slot.execution ?? host.mapRuns?.execution(slot.executionArn) : undefined;
      if (!live) {
        if (slot.status === 'RUNNING') slot.status = 'PENDING';
        rest.push(slot);
        continue;
      }
      running++;
      slot.execution = live;
      void live.whenClosed().then(() => onClosed(slot, live));
    }
    todo.splice(0, todo.length, ...rest);
    pump();
  });
}

/** The child state machine: the ItemProcessor's graph, in the query language it runs in. */
function childDefinition(ctx: DistributedMapContext): string {
  const proc = ctx.st.ItemProcessor as Obj;
  const def: Obj = { QueryLanguage: (proc.QueryLanguage as string | undefined) ?? ctx.ql, StartAt: proc.StartAt, States: proc.States };
  if (proc.Comment !== undefined) def.Comment = proc.Comment;
  return JSON.stringify(def);
}

/**
 * ItemBatcher: consecutive items grouped into `{"Items": [...], "BatchInput": …}` by
 * MaxItemsPerBatch and MaxInputBytesPerBatch; without it, one child per item.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
 */
async function batch(ctx: DistributedMapContext, eff: Json, items: Json[]): Promise<{ inputs: string[]; itemsPerChild: number[] }> {
  const batcher = ctx.st.ItemBatcher as Obj | undefined;
  if (batcher === undefined) return { inputs: items.map((i) => JSON.stringify(i) ?? 'null'), itemsPerChild: items.map(() => 1) };
  const maxItems = await batcherNumber(ctx, batcher, 'MaxItemsPerBatch', eff);
  const maxBytes = await batcherNumber(ctx, batcher, 'MaxInputBytesPerBatch', eff);
  const batchInput = batcher.BatchInput !== undefined ? await ctx.evaluate(batcher.BatchInput, eff, 'ItemBatcher.BatchInput') : undefined;
  const inputs: string[] = [];
  const itemsPerChild: number[] = [];
  const render = (group: Json[]): string => JSON.stringify(batchInput !== undefined ? { BatchInput: batchInput, Items: group } : { Items: group });
  let group: Json[] = [];
  const flush = (): void => {
    if (group.length === 0) return;
    inputs.push(render(group));
    itemsPerChild.push(group.length);
    group = [];
  };
  for (const item of items) {
    group.push(item);
    const tooMany = maxItems !== undefined && group.length > maxItems;
    const tooBig = maxBytes !== undefined && group.length > 1 && Buffer.byteLength(render(group)) > maxBytes;
    if (tooMany || tooBig) {
      group.pop();
      flush();
      group.push(item);
    }
  }
  flush();
  return { inputs, itemsPerChild };
}

async function batcherNumber(ctx: DistributedMapContext, batcher: Obj, field: string, eff: Json): Promise<number | undefined> {
  let v: unknown = batcher[field];
  const path = batcher[`${field}Path`];
  if (v === undefined && typeof path === 'string') v = ctx.resolvePath(path, eff, `ItemBatcher.${field}Path`);
  else if (typeof v === 'string' && ctx.ql === 'JSONata') v = await ctx.evaluate(v, eff, `ItemBatcher.${field}`);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw ctx.prefixed(new StatesError('States.Runtime', `The ItemBatcher field ${field} must be a positive integer, found ${JSON.stringify(v)}`));
  }
  return v;
}

// ───────────────────────────── ItemReader ─────────────────────────────

function readerFailed(message: string): StatesError {
  return new StatesError('States.ItemReaderFailed', message);
}

/** An S3 failure worded as the service call that failed, with S3's error code. */
function s3Failure(op: string, bucket: string, key: string, err: unknown): string {
  const code = (err as { code?: string }).code ?? (err as Error).name;
  return `${op} of s3://${bucket}/${key} failed: ${code}: ${(err as Error).message}`;
}

/**
 * Reads the items of a Distributed Map from S3: a JSON array, JSON Lines or CSV object
 * (`s3:getObject`, `ReaderConfig.InputType`), or the objects under a prefix (`s3:listObjectsV2`),
 * at most `ReaderConfig.MaxItems`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 */
async function readItems(ctx: DistributedMapContext, eff: Json): Promise<Json[]> {
  const reader = ctx.st.ItemReader as Obj;
  const resource = String(reader.Resource);
  const cfg = (reader.ReaderConfig ?? {}) as Obj;
  const argsField = ctx.ql === 'JSONata' ? 'Arguments' : 'Parameters';
  const args = (await ctx.evaluate(reader[argsField] ?? {}, eff, `ItemReader.${argsField}`)) as Obj;
  let maxItems: unknown = cfg.MaxItems;
  if (maxItems === undefined && typeof cfg.MaxItemsPath === 'string') maxItems = ctx.resolvePath(cfg.MaxItemsPath, eff, 'ItemReader.ReaderConfig.MaxItemsPath');
  else if (typeof maxItems === 'string' && ctx.ql === 'JSONata') maxItems = await ctx.evaluate(maxItems, eff, 'ItemReader.ReaderConfig.MaxItems');
  if (maxItems !== undefined && (typeof maxItems !== 'number' || !Number.isInteger(maxItems) || maxItems < 0)) {
    throw readerFailed(`ReaderConfig.MaxItems must be a non-negative integer, found ${JSON.stringify(maxItems)}`);
  }
  const limit = (maxItems as number | undefined) || Infinity;
  const s3 = ctx.host.s3;
  if (!s3) throw readerFailed('This sandbox has no S3 service attached to Step Functions');
  if (args === null || typeof args !== 'object' || typeof args.Bucket !== 'string') {
    throw readerFailed(`ItemReader.${argsField} must give a string Bucket, found ${JSON.stringify(args)}`);
  }
  const bucket = args.Bucket;
  if (/:s3:listObjectsV2$/.test(resource)) {
    const prefix = typeof args.Prefix === 'string' ? args.Prefix : '';
    const out: Json[] = [];
    let token: string | undefined;
    do {
      let page: ReturnType<typeof s3.listObjectsV2>;
      try {
        page = s3.listObjectsV2(bucket, { prefix, continuationToken: token });
      } catch (err) {
        throw readerFailed(s3Failure('ListObjectsV2', bucket, prefix, err));
      }
      for (const o of page.objects) {
        if (out.length >= limit) break;
        // Shaped as AWS documents the items of an s3:listObjectsV2 reader (note "Etag").
        out.push({ Etag: o.etag, Key: o.key, LastModified: Math.floor(o.lastModified / 1000), Size: o.size, StorageClass: 'STANDARD' });
      }
      token = page.nextContinuationToken;
    } while (token !== undefined && out.length < limit);
    return out;
  }
  if (typeof args.Key !== 'string') throw readerFailed(`ItemReader.${argsField} must give a string Key for s3:getObject, found ${JSON.stringify(args)}`);
  const key = args.Key;
  let text: string;
  try {
    text = s3.getObject(bucket, key).body.toString('utf8');
  } catch (err) {
    throw readerFailed(s3Failure('GetObject', bucket, key, err));
  }
  const type = (cfg.InputType as string | undefined) ?? 'JSON';
  let items: Json[];
  if (type === 'JSON') {
    let value: Json;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw readerFailed(`s3://${bucket}/${key} is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(value)) throw readerFailed(`s3://${bucket}/${key}: expected a JSON array of items, found ${jsonKind(value)}`);
    items = value;
  } else if (type === 'JSONL') {
    items = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length && items.length < limit; i++) {
      if (lines[i]!.trim() === '') continue;
      try {
        items.push(JSON.parse(lines[i]!));
      } catch (err) {
        throw readerFailed(`s3://${bucket}/${key} line ${i + 1} is not valid JSON: ${(err as Error).message}`);
      }
    }
  } else if (type === 'CSV') {
    items = csvItems(text, cfg, `s3://${bucket}/${key}`, limit);
  } else {
    throw readerFailed(`ReaderConfig.InputType ${JSON.stringify(type)} is not supported by the sandbox (JSON, JSONL, CSV)`);
  }
  return items.length > limit ? items.slice(0, limit) : items;
}

function jsonKind(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const CSV_DELIMITERS: Record<string, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

/**
 * CSV rows as objects keyed by the header (the first row, or `CSVHeaders`), every value a string,
 * as Step Functions parses them (RFC 4180 quoting; a row with more fields than headers fails).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/example-csv-parse-dist-map.html
 */
function csvItems(text: string, cfg: Obj, where: string, limit: number): Json[] {
  const delimiter = CSV_DELIMITERS[(cfg.CSVDelimiter as string | undefined) ?? 'COMMA'] ?? ',';
  const rows = parseCsv(text, delimiter);
  let headers: string[];
  if ((cfg.CSVHeaderLocation ?? 'FIRST_ROW') === 'GIVEN') {
    if (!Array.isArray(cfg.CSVHeaders)) throw readerFailed('ReaderConfig.CSVHeaders must be given when CSVHeaderLocation is GIVEN');
    headers = cfg.CSVHeaders.map(String);
  } else {
    const first = rows.shift();
    if (!first) return [];
    headers = first;
  }
  const out: Json[] = [];
  for (let r = 0; r < rows.length && out.length < limit; r++) {
    const row = rows[r]!;
    if (row.length === 1 && row[0] === '') continue;
    if (row.length > headers.length) {
      throw readerFailed(`${where}: row ${r + 1} has ${row.length} fields but there are ${headers.length} headers`);
    }
    const item: Obj = {};
    headers.forEach((h, i) => { item[h] = row[i] ?? ''; });
    out.push(item);
  }
  return out;
}

function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

// ───────────────────────────── results ─────────────────────────────

/** Outputs of the children in item order (the state's result without a ResultWriter to S3). */
function collectOutputs(host: EngineHost, slots: ChildSlot[], transformation: string): Json[] {
  const out: Json[] = [];
  for (const slot of slots) {
    const e = slot.execution ?? (slot.executionArn ? host.mapRuns?.execution(slot.executionArn) : undefined);
    let value: Json = null;
    if (e?.status === 'SUCCEEDED') value = e.output !== undefined ? JSON.parse(e.output) : null;
    else if (e) value = { Error: e.error ?? null, Cause: e.cause ?? null };
    if (transformation === 'FLATTEN' && Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  return out;
}

/** One child as ResultWriter writes it (Transformation NONE). */
function resultEntry(e: Execution): Obj {
  const redrive = e.redriveStatus();
  const entry: Obj = {
    ExecutionArn: e.executionArn,
    Input: e.input,
    InputDetails: { Included: true },
    Name: e.name,
  };
  if (e.status === 'SUCCEEDED') {
    entry.Output = e.output ?? 'null';
    entry.OutputDetails = { Included: true };
  } else {
    if (e.error !== undefined) entry.Error = e.error;
    if (e.cause !== undefined) entry.Cause = e.cause;
  }
  entry.RedriveCount = e.redriveCount;
  entry.RedriveStatus = redrive.status;
  if (redrive.reason !== undefined) entry.RedriveStatusReason = redrive.reason;
  entry.StartDate = new Date(e.startDate).toISOString();
  entry.StateMachineArn = e.stateMachineArn;
  entry.Status = e.status;
  if (e.stopDate !== undefined) entry.StopDate = new Date(e.stopDate).toISOString();
  return entry;
}

/**
 * ResultWriter to S3: `<Prefix>/<map run id>/SUCCEEDED_0.json`, `FAILED_0.json` (failed, timed
 * out and aborted children), `PENDING_0.json` (never started), and `manifest.json` listing them.
 * Returns the state's result: `{MapRunArn, ResultWriterDetails: {Bucket, Key: <manifest key>}}`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
async function writeResults(ctx: DistributedMapContext, eff: Json, run: MapRun, slots: ChildSlot[], writer: Obj): Promise<Json> {
  const host = ctx.host;
  const argsField = ctx.ql === 'JSONata' ? 'Arguments' : 'Parameters';
  const args = (await ctx.evaluate(writer[argsField] ?? {}, eff, `ResultWriter.${argsField}`)) as Obj;
  const fail = (m: string): never => { throw new StatesError('States.ResultWriterFailed', m); };
  if (!/:s3:putObject$/.test(String(writer.Resource))) fail(`ResultWriter.Resource must be arn:aws:states:::s3:putObject, found ${JSON.stringify(writer.Resource)}`);
  if (args === null || typeof args !== 'object' || typeof args.Bucket !== 'string') fail(`ResultWriter.${argsField} must give a string Bucket, found ${JSON.stringify(args)}`);
  const s3 = host.s3;
  if (!s3) return fail('This sandbox has no S3 service attached to Step Functions');
  const bucket = args.Bucket as string;
  const prefix = typeof args.Prefix === 'string' && args.Prefix !== '' ? `${args.Prefix.replace(/\/+$/, '')}/` : '';
  const folder = `${prefix}${run.mapRunId}/`;
  const cfg = (writer.WriterConfig ?? {}) as Obj;
  const jsonl = cfg.OutputType === 'JSONL';
  const transformation = (cfg.Transformation as string | undefined) ?? 'NONE';
  const groups: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', Json[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  const writtenSlots: ChildSlot[] = [];
  for (const slot of slots) {
    const e = slot.execution ?? (slot.executionArn ? host.mapRuns?.execution(slot.executionArn) : undefined);
    if (!e || slot.status === 'PENDING') {
      groups.PENDING.push({ Input: slot.input });
      continue;
    }
    const group = e.status === 'SUCCEEDED' ? groups.SUCCEEDED : groups.FAILED;
    if (e.status === 'SUCCEEDED' && transformation !== 'NONE') {
      const value = e.output !== undefined ? JSON.parse(e.output) : null;
      if (transformation === 'FLATTEN' && Array.isArray(value)) group.push(...value);
      else group.push(value);
    } else {
      group.push(resultEntry(e));
    }
    writtenSlots.push(slot);
  }
  const files: Record<string, Array<{ Key: string; Size: number }>> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  const put = (key: string, body: string): void => {
    try {
      s3.putObject(bucket, key, body, 'application/json');
    } catch (err) {
      fail(s3Failure('PutObject', bucket, key, err));
    }
  };
  for (const status of ['SUCCEEDED', 'FAILED', 'PENDING'] as const) {
    const entries = groups[status];
    if (entries.length === 0) continue;
    const key = `${folder}${status}_0.${jsonl ? 'jsonl' : 'json'}`;
    const body = jsonl ? entries.map((x) => JSON.stringify(x)).join('\n') : JSON.stringify(entries);
    put(key, body);
    files[status]!.push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${folder}manifest.json`;
  put(manifestKey, JSON.stringify({ DestinationBucket: bucket, MapRunArn: run.mapRunArn, ResultFiles: files }));
  for (const slot of writtenSlots) slot.written = true;
  host.mapRuns?.mapRunChanged(run);
  return { MapRunArn: run.mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}
