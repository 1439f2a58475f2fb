/**
 * Where an execution that was running when its sandbox ended carries on: a resume point rebuilt
 * from its recorded history alone, so it works after a crash as after a clean stop.
 *
 * The history is split into threads (the machine, each Map iteration, each Parallel branch) by
 * following `previousEventId`. In each thread the last `…StateEntered` without its `…StateExited`
 * is the state in flight: the run resumes there, with that event's input, the variables the
 * thread's `assignedVariables` recorded, and the time it was entered (so a Wait keeps only its
 * remaining time). Inside an in-flight Map the iterations that succeeded keep their outputs and
 * the others resume the same way; inside a Parallel, so do the branches.
 */
import type { HistoryEvent, InnerResume, ResumePoint } from './types.js';

type Obj = Record<string, unknown>;
interface Graph { readonly StartAt: string; readonly States: Record<string, Obj> }

interface Thread {
  readonly graph: Graph;
  readonly container?: Container;
  readonly events: HistoryEvent[];
  /** The Map or Parallel containers started in this thread, by the id of the state's `…StateEntered`. */
  readonly containers: Map<number, Container>;
}

interface Container {
  readonly kind: 'map' | 'parallel';
  readonly name: string;
  readonly parent: Thread;
  readonly state: Obj;
  /** Map: the number of items; Parallel: of branches. */
  readonly length: number;
  readonly children: Thread[];
  readonly succeeded: Set<number>;
}

const details = (e: HistoryEvent, key: string): Obj => ((e[key] as Obj | undefined) ?? {});

/**
 * The resume point of a running execution, rebuilt from its history; `undefined` when the history
 * shows no state in flight (the run resumes from the start).
 */
export function resumeFromHistory(definition: string, events: readonly HistoryEvent[]): ResumePoint | undefined {
  const graph = JSON.parse(definition) as Graph;
  const root: Thread = { graph, events: [], containers: new Map() };
  const threadOf = new Map<number, Thread>();
  const startedContainer = new Map<number, Container>();
  const branchStarts = new Map<number, number>();

  /** The container named `name` that `prev` (an event of one of its iterations, or its start) belongs to. */
  const containerFrom = (prev: number, name: string): Container | undefined => {
    const direct = startedContainer.get(prev);
    if (direct) return direct;
    for (let t = threadOf.get(prev); t; t = t.container?.parent) {
      if (t.container && t.container.name === name) return t.container;
    }
    return undefined;
  };

  for (const e of events) {
    const prev = e.previousEventId;
    const name = (details(e, 'mapIterationStartedEventDetails').name ?? details(e, 'mapIterationSucceededEventDetails').name ??
      details(e, 'mapIterationFailedEventDetails').name ?? details(e, 'mapIterationAbortedEventDetails').name) as string | undefined;
    if (e.type === 'ExecutionStarted' || e.type === 'ExecutionRedriven' || prev === 0) {
      threadOf.set(e.id, root);
      if (e.type !== 'ExecutionStarted' && e.type !== 'ExecutionRedriven') root.events.push(e);
      continue;
    }
    if (e.type === 'MapIterationStarted' && name !== undefined) {
      const c = containerFrom(prev, name);
      const index = details(e, 'mapIterationStartedEventDetails').index as number;
      if (c) {
        const processor = (c.state.ItemProcessor ?? c.state.Iterator) as Graph;
        const child: Thread = { graph: processor, container: c, events: [], containers: new Map() };
        c.children[index] = child;
        threadOf.set(e.id, child);
        continue;
      }
    }
    if ((e.type === 'MapIterationSucceeded' || e.type === 'MapIterationFailed' || e.type === 'MapIterationAborted') && name !== undefined) {
      const c = containerFrom(prev, name);
      const key = `${e.type[0]!.toLowerCase()}${e.type.slice(1)}EventDetails`;
      const index = details(e, key).index as number;
      if (c) {
        if (e.type === 'MapIterationSucceeded') c.succeeded.add(index);
        threadOf.set(e.id, c.children[index] ?? c.parent);
        continue;
      }
    }
    let thread = threadOf.get(prev) ?? root;
    const branchesOf = startedContainer.get(prev);
    if (branchesOf?.kind === 'parallel' && !e.type.startsWith('Parallel')) {
      // The first event of each branch points at ParallelStateStarted; branches start in order.
      const k = branchStarts.get(prev) ?? 0;
      branchStarts.set(prev, k + 1);
      const branch: Thread = { graph: (branchesOf.state.Branches as Graph[])[k]!, container: branchesOf, events: [], containers: new Map() };
      branchesOf.children[k] = branch;
      thread = branch;
    }
    if ((e.type === 'MapStateSucceeded' || e.type === 'ParallelStateSucceeded') && thread.container) {
      // Points at the last iteration's or branch's event: it belongs to the thread the state runs in.
      for (let t: Thread | undefined = thread; t; t = t.container?.parent) {
        if (t.container && (e.type === 'MapStateSucceeded' ? t.container.kind === 'map' : t.container.kind === 'parallel')) {
          thread = t.container.parent;
          break;
        }
      }
    }
    threadOf.set(e.id, thread);
    thread.events.push(e);
    if (e.type === 'MapStateStarted' || e.type === 'ParallelStateStarted') {
      const entered = [...thread.events].reverse().find((x) => x.type.endsWith('StateEntered'));
      if (entered) {
        const stateName = details(entered, 'stateEnteredEventDetails').name as string;
        const state = thread.graph.States[stateName] ?? {};
        const kind = e.type === 'MapStateStarted' ? 'map' : 'parallel';
        const length = kind === 'map' ? Number(details(e, 'mapStateStartedEventDetails').length ?? 0) : ((state.Branches as unknown[] | undefined)?.length ?? 0);
        const c: Container = { kind, name: stateName, parent: thread, state, length, children: [], succeeded: new Set() };
        thread.containers.set(entered.id, c);
        startedContainer.set(e.id, c);
      }
    }
  }
  return resumeOf(root);
}

/** The state in flight in a thread, or `undefined` when none is. */
function resumeOf(t: Thread): ResumePoint | undefined {
  let entered: HistoryEvent | undefined;
  const vars: Obj = {};
  for (const e of t.events) {
    if (e.type.endsWith('StateEntered')) entered = e;
    else if (e.type.endsWith('StateExited')) {
      entered = undefined;
      const assigned = details(e, 'stateExitedEventDetails').assignedVariables as Record<string, string> | undefined;
      for (const [k, v] of Object.entries(assigned ?? {})) vars[k] = JSON.parse(v);
    }
  }
  if (!entered) return undefined;
  const d = details(entered, 'stateEnteredEventDetails');
  const container = t.containers.get(entered.id);
  const mapRunArn = container && isDistributed(container.state) ? mapRunInFlight(t) : undefined;
  const inner: InnerResume | undefined = mapRunArn ? { kind: 'distributed', mapRunArn, continuing: true } : container ? innerOf(container) : undefined;
  return {
    state: d.name as string,
    input: JSON.parse(d.input as string),
    vars,
    enteredAtMs: Math.round(entered.timestamp * 1000),
    ...(inner ? { inner } : {}),
  };
}

function isDistributed(state: Obj): boolean {
  const processor = state.ItemProcessor as Obj | undefined;
  return (processor?.ProcessorConfig as Obj | undefined)?.Mode === 'DISTRIBUTED';
}

/**
 * The Map Run of the Distributed Map in flight in a thread: the last `MapRunStarted` or
 * `MapRunRedriven` since the thread's last `…StateExited` (a Map entered again after a restart
 * writes no new one). `undefined` when the run had not started when the sandbox ended.
 */
function mapRunInFlight(t: Thread): string | undefined {
  for (let i = t.events.length - 1; i >= 0; i--) {
    const e = t.events[i]!;
    if (e.type.endsWith('StateExited')) return undefined;
    if (e.type === 'MapRunStarted') return details(e, 'mapRunStartedEventDetails').mapRunArn as string | undefined;
    if (e.type === 'MapRunRedriven') return details(e, 'mapRunRedrivenEventDetails').mapRunArn as string | undefined;
  }
  return undefined;
}

/** The last output a finished thread recorded. */
function outputOf(t: Thread): unknown {
  const exited = [...t.events].reverse().find((e) => e.type.endsWith('StateExited'));
  return exited ? JSON.parse(details(exited, 'stateExitedEventDetails').output as string) : undefined;
}

/** True when a branch's last event is the exit of a state that ends it. */
function hasFinished(t: Thread): boolean {
  const last = [...t.events].reverse().find((e) => e.type.endsWith('StateExited') || e.type.endsWith('StateEntered'));
  if (!last || !last.type.endsWith('StateExited')) return false;
  const st = t.graph.States[details(last, 'stateExitedEventDetails').name as string];
  return st?.End === true || st?.Type === 'Succeed';
}

function innerOf(c: Container): InnerResume {
  if (c.kind === 'map') {
    const results: unknown[] = new Array(c.length);
    const failed: Record<string, ResumePoint> = {};
    let succeeded = '';
    for (let i = 0; i < c.length; i++) {
      const child = c.children[i];
      if (c.succeeded.has(i) && child) {
        succeeded += 's';
        results[i] = outputOf(child);
      } else {
        succeeded += '-';
        const r = child ? resumeOf(child) : undefined;
        if (r) failed[String(i)] = r;
      }
    }
    return { kind: 'map', succeeded, results, failed };
  }
  const branches: Array<{ ok: true; output: unknown } | { ok: false; resume?: ResumePoint }> = [];
  for (let i = 0; i < c.length; i++) {
    const child = c.children[i];
    if (child && hasFinished(child)) branches.push({ ok: true, output: outputOf(child) });
    else branches.push({ ok: false, resume: child ? resumeOf(child) : undefined });
  }
  return { kind: 'parallel', branches };
}
