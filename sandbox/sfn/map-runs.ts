/**
 * The Map Runs of Distributed Map states, on the API side: the registry the engine reports them
 * to (`EngineHost.mapRuns`), their persistence, and ListMapRuns, DescribeMapRun and UpdateMapRun.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListMapRuns.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html
 */
import type { Execution } from './engine/execution.js';
import type { MapRunRegistry } from './engine/types.js';
import type { MapRun, MapRunSnapshot } from './engine/states/distributed-map.js';
import type { Store } from '../store.js';
import { Members, SfnApiError, decodePageToken, encodePageToken, invalidArnPrefix, toEpochSeconds, validationError } from './protocol.js';

const MAP_RUN_COLLECTION = 'sfn/map-runs';
const MAP_RUN_ARN_RE = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:mapRun:[^:]+\/[^:]+:[^:]+$/;

/** What the Map Run API needs from the Step Functions service. */
export interface MapRunHost {
  readonly store: Store;
  /** Serves a child execution through the API (DescribeExecution, history, persistence). */
  adopt(child: Execution): void;
  /** An execution the service knows, by ARN. */
  execution(arn: string): Execution | undefined;
  /** Throws ExecutionDoesNotExist (or InvalidArn) for an unknown execution. */
  requireExecution(arn: string): void;
  /** Rebuilds a Map Run from its stored snapshot (the engine's `MapRun.restore`). */
  restore?(snapshot: MapRunSnapshot): MapRun;
  readonly log: (message: string) => void;
}

/** The Map Runs of every execution, and the three Map Run operations. */
export class MapRuns implements MapRunRegistry {
  private readonly runs = new Map<string, MapRun>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly host: MapRunHost) {}

  // ---- the engine's registry ----------------------------------------------------------------

  mapRunStarted(run: MapRun): void {
    this.runs.set(run.mapRunArn, run);
    this.persist(run);
  }

  mapRunChanged(run: MapRun): void {
    if (!this.runs.has(run.mapRunArn)) this.runs.set(run.mapRunArn, run);
    if (run.status !== 'RUNNING') this.persist(run);
    else this.schedule(run);
  }

  childStarted(child: Execution): void {
    this.host.adopt(child);
  }

  mapRun(mapRunArn: string): MapRun | undefined {
    return this.runs.get(mapRunArn);
  }

  execution(executionArn: string): Execution | undefined {
    return this.host.execution(executionArn);
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Reads the stored Map Runs. A run that was RUNNING stays RUNNING when its parent carries on
   * after the restart (`parentContinues`), which continues it; any other comes back ABORTED, with
   * its running children.
   */
  load(parentContinues: (executionArn: string) => boolean = () => false): void {
    if (!this.host.restore) return;
    for (const { key, value } of this.host.store.list<MapRunSnapshot>(MAP_RUN_COLLECTION)) {
      try {
        if (value?.version !== 1) throw new Error(`expected version 1, found ${JSON.stringify(value?.version)}`);
        const run = this.host.restore(value);
        if (run.status === 'RUNNING' && !parentContinues(run.executionArn)) {
          run.status = 'ABORTED';
          run.stopDate = run.startDate;
          for (const slot of run.children) if (slot.status === 'RUNNING') slot.status = 'ABORTED';
        }
        this.runs.set(run.mapRunArn, run);
      } catch (err) {
        this.host.log(`sandbox sfn: map run ${key}: cannot be restored from the store (${(err as Error).message}); skipped`);
      }
    }
  }

  /** Writes every Map Run whose write is pending. */
  flush(): void {
    for (const [arn, timer] of this.timers) {
      clearTimeout(timer);
      const run = this.runs.get(arn);
      if (run) this.write(run);
    }
    this.timers.clear();
  }

  /** Forgets every Map Run, on disk too. */
  reset(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.runs.clear();
    this.host.store.clear(MAP_RUN_COLLECTION);
  }

  private schedule(run: MapRun): void {
    if (!this.host.store.isPersistent || this.timers.has(run.mapRunArn)) return;
    const timer = setTimeout(() => {
      this.timers.delete(run.mapRunArn);
      this.write(run);
    }, 250);
    timer.unref();
    this.timers.set(run.mapRunArn, timer);
  }

  private persist(run: MapRun): void {
    const timer = this.timers.get(run.mapRunArn);
    if (timer) clearTimeout(timer);
    this.timers.delete(run.mapRunArn);
    this.write(run);
  }

  private write(run: MapRun): void {
    try {
      this.host.store.write(MAP_RUN_COLLECTION, run.mapRunArn, run.snapshot());
    } catch (err) {
      this.host.log(`sandbox sfn: map run ${run.mapRunArn}: cannot be written to the store: ${(err as Error).message}`);
    }
  }

  // ---- API ------------------------------------------------------------------------------------

  /** A Map Run by ARN, or the API's error. */
  require(arn: string): MapRun {
    if (!arn.startsWith('arn:')) throw invalidArnPrefix(arn);
    if (!MAP_RUN_ARN_RE.test(arn)) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Invalid ARN resource: ${arn}'`);
    const run = this.runs.get(arn);
    if (!run) throw new SfnApiError('ResourceNotFound', `Resource not found: '${arn}'`, 400, undefined, { resourceName: arn });
    return run;
  }

  listMapRuns(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const executionArn = m.string('executionArn', { required: true, min: 1, max: 256 });
    const maxResults = m.int('maxResults', { min: 0, max: 1000 });
    const nextToken = m.string('nextToken', { min: 1, max: 1024 });
    m.done();
    this.host.requireExecution(executionArn);
    const query = `ListMapRuns|${executionArn}`;
    const offset = decodePageToken(nextToken, query);
    const all = [...this.runs.values()].filter((r) => r.executionArn === executionArn).sort((a, b) => b.startDate - a.startDate);
    const size = !maxResults ? 100 : maxResults;
    return {
      mapRuns: all.slice(offset, offset + size).map((r) => ({
        executionArn: r.executionArn,
        mapRunArn: r.mapRunArn,
        stateMachineArn: r.stateMachineArn,
        startDate: toEpochSeconds(r.startDate),
        ...(r.stopDate !== undefined && r.status !== 'RUNNING' ? { stopDate: toEpochSeconds(r.stopDate) } : {}),
      })),
      ...(offset + size < all.length ? { nextToken: encodePageToken(query, offset + size) } : {}),
    };
  }

  describeMapRun(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('mapRunArn', { required: true, min: 1, max: 2000 });
    m.done();
    const d = this.require(arn).describe() as Record<string, unknown>;
    for (const k of ['startDate', 'stopDate', 'redriveDate']) if (typeof d[k] === 'number') d[k] = toEpochSeconds(d[k] as number);
    return d;
  }

  updateMapRun(body: Record<string, unknown>): unknown {
    const m = new Members(body);
    const arn = m.string('mapRunArn', { required: true, min: 1, max: 2000 });
    const maxConcurrency = m.int('maxConcurrency', { min: 0 });
    const toleratedFailureCount = m.int('toleratedFailureCount', { min: 0 });
    const pct = body.toleratedFailurePercentage;
    m.done();
    if (pct !== undefined && (typeof pct !== 'number' || !(pct >= 0 && pct <= 100))) {
      throw validationError([`Value '${String(pct)}' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value between 0 and 100`]);
    }
    const run = this.require(arn);
    if (maxConcurrency === undefined && toleratedFailureCount === undefined && pct === undefined) {
      throw validationError(['At least one of maxConcurrency, toleratedFailurePercentage and toleratedFailureCount must be given']);
    }
    run.update({ maxConcurrency, toleratedFailureCount, toleratedFailurePercentage: pct as number | undefined });
    this.mapRunChanged(run);
    return {};
  }
}
