/**
 * Turns a Step Functions execution history into a timeline: one entry per state entered, with its
 * start, duration, attempts, errors and the EC2 resources it created or removed.
 *
 * Pure: no I/O, no clock. `lifeboat history` renders it, `--json` prints it, `--follow` and the
 * demo report reuse it.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** The status of an execution as DescribeExecution names it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** How one visit of a state ended. */
export type StepStatus =
  /** Still running (no exit event yet). */
  | 'running'
  /** Exited normally. */
  | 'succeeded'
  /** Its last attempt failed and a Catch moved the run on. */
  | 'caught'
  /** The execution failed in this state. */
  | 'failed'
  /** The execution was stopped (ABORTED) or timed out while in this state. */
  | 'stopped';

/** An error a step met (each failed attempt, or the failure that ended the run). */
export interface TimelineError {
  /** When it happened (ISO-8601 UTC). */
  readonly at: string;
  /** The error name (`Lifeboat.Throttled`, `States.Timeout`, …). */
  readonly error?: string;
  /** The cause, as recorded. */
  readonly cause?: string;
  /** The id of the history event that recorded it. */
  readonly eventId?: number;
}

/** An EC2 resource a run created or removed, found by its id in a task's output. */
export interface ResourceRef {
  /** The EC2 id (`ami-…`, `i-…`, `snap-…`). */
  readonly id: string;
  /** What kind of resource the id names. */
  readonly kind: 'image' | 'instance' | 'snapshot';
  /** The state whose output named it. */
  readonly step: string;
}

/** Where a step ran when it ran inside a Map iteration. */
export interface IterationRef {
  /** The Map state's name. */
  readonly map: string;
  /** The iteration's index. */
  readonly index: number;
}

/** One visit of one state. */
export interface TimelineStep {
  /** The state's name. */
  readonly name: string;
  /** The state's type (`Task`, `Choice`, `Wait`, `Pass`, `Map`, `Parallel`, `Succeed`, `Fail`). */
  readonly type: string;
  /** The Lifeboat task id, when the task's payload names one (`copy`, `launch-in-region`). */
  task?: string;
  /** When the state was entered (ISO-8601 UTC). */
  readonly enteredAt: string;
  /** When it was exited, if it was. */
  exitedAt?: string;
  /** Seconds from entry to exit (or to the end of the run, if it ended here). */
  durationSeconds?: number;
  /** How the visit ended. */
  status: StepStatus;
  /** How many times a task was scheduled (0 for states that run no task). */
  attempts: number;
  /** Attempts after the first: the Retry fields at work. */
  retries: number;
  /** Every error met, in order. */
  readonly errors: TimelineError[];
  /** Ids first seen in this step's output (`ami-`, `i-`, `snap-`): what it created. */
  readonly created: string[];
  /** Ids this step reported terminating or deleting (teardown, prune). */
  readonly removed: string[];
  /** The Map iteration it ran in, if any. */
  readonly iteration?: IterationRef;
  /** The id of the event that entered the state (or that resumed it after a redrive). */
  readonly enteredEventId?: number;
  /** The id of the event that exited it, or that ended the run while it was open. */
  exitedEventId?: number;
  /**
   * The redrive that ran this visit (absent: the run's first attempt). A step that failed the run
   * keeps its failed visit; what a redrive runs there is a new visit with this set.
   */
  readonly redrive?: number;
}

/** A redrive of the execution, and how the attempt before it had ended. */
export interface TimelineRedrive {
  /** When the redrive started. */
  readonly at: string;
  /** The execution's redrive count after it. */
  readonly redriveCount: number;
  /** The status the execution had before it. */
  readonly previousStatus: ExecutionStatus;
  /** The error that had ended the previous attempt. */
  readonly previousError?: string;
  /** The id of the `ExecutionRedriven` event. */
  readonly eventId?: number;
}

/** A whole execution as a timeline. */
export interface Timeline {
  /** The execution's status as far as the events tell. */
  readonly status: ExecutionStatus;
  /** When the execution started (ISO-8601 UTC). */
  readonly startedAt?: string;
  /** When it stopped (its last end, after any redrive). */
  readonly stoppedAt?: string;
  /** Seconds from start to stop; for a running execution, to its last event. */
  readonly durationSeconds?: number;
  /** The error that ended it (FAILED, ABORTED, TIMED_OUT). */
  readonly error?: string;
  /** The cause of that error. */
  readonly cause?: string;
  /** How often it was redriven. */
  readonly redriveCount: number;
  /** Every redrive, in order. */
  readonly redrives: readonly TimelineRedrive[];
  /** Every state visit, in the order they were entered. */
  readonly steps: readonly TimelineStep[];
  /** Resources the run created and removed, each with the step that named it. */
  readonly resources: { readonly created: readonly ResourceRef[]; readonly removed: readonly ResourceRef[] };
  /** How many events the history holds. */
  readonly eventCount: number;
}

/**
 * How long a run took, defined once for `list`, `history`, `--follow` and the report: from its
 * start to its final stop (for a RUNNING run, to `now`). A redriven run counts from its first
 * start, the time before the redrive included, as its start and stop dates do.
 *
 * @returns seconds, or undefined when the dates are missing
 */
export function runDurationSeconds(run: { readonly startDate?: Date | string; readonly stopDate?: Date | string; readonly status?: string }, now?: Date): number | undefined {
  const start = run.startDate === undefined ? undefined : new Date(run.startDate).getTime();
  const stop = run.stopDate !== undefined ? new Date(run.stopDate).getTime() : run.status === 'RUNNING' && now !== undefined ? now.getTime() : undefined;
  if (start === undefined || stop === undefined || Number.isNaN(start) || Number.isNaN(stop)) return undefined;
  return Math.max(0, (stop - start) / 1000);
}

/** Tasks that only look resources up: ids in their output are not resources they created. */
const LOOKUP_TASKS: ReadonlySet<string> = new Set([
  'resolve-workloads',
  'resolve-recovery-points',
  'record-metrics',
  'record-failure',
]);
/** Tasks whose output lists what they terminated or deleted. */
const REMOVING_TASKS: ReadonlySet<string> = new Set(['teardown', 'prune']);

const EC2_ID = /(?<![A-Za-z0-9])(ami|snap|i)-[0-9a-f]{8,17}(?![A-Za-z0-9])/g;

/**
 * Finds the EC2 ids (`ami-`, `i-`, `snap-`) in a JSON text, in order of appearance, each once.
 *
 * @example ec2IdsIn('{"imageId":"ami-0123456789abcdef0"}') // ['ami-0123456789abcdef0']
 */
export function ec2IdsIn(text: string | undefined): string[] {
  if (text === undefined) return [];
  const ids = text.match(EC2_ID);
  return ids === null ? [] : [...new Set(ids)];
}

/** The kind of resource an EC2 id names. */
export function resourceKind(id: string): ResourceRef['kind'] {
  if (id.startsWith('ami-')) return 'image';
  if (id.startsWith('snap-')) return 'snapshot';
  return 'instance';
}

interface Details {
  readonly name?: string;
  readonly input?: string;
  readonly output?: string;
  readonly parameters?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly index?: number;
  readonly redriveCount?: number;
}

/** What {@link toTimeline} reads from an event's type, worked out once per type (a history has a few dozen types, and 25,000 events). */
interface EventKind {
  /** The member holding the event's details (`stateEnteredEventDetails`, `taskScheduledEventDetails`, …). */
  readonly detailsKey: string;
  /** The state family it belongs to ({@link familyOf}). */
  readonly family: string | undefined;
  readonly isEntered: boolean;
  readonly isExited: boolean;
  /** `MapIterationSucceeded`, `…Failed` or `…Aborted`: the end of a Map iteration. */
  readonly isIterationEnd: boolean;
}

const EVENT_KINDS = new Map<string, EventKind>();

function kindOf(type: string): EventKind {
  let kind = EVENT_KINDS.get(type);
  if (kind === undefined) {
    const isEntered = type.endsWith('StateEntered');
    const isExited = type.endsWith('StateExited');
    kind = {
      detailsKey: isEntered ? 'stateEnteredEventDetails' : isExited ? 'stateExitedEventDetails' : `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`,
      family: familyOf(type),
      isEntered,
      isExited,
      isIterationEnd: /^MapIteration(Succeeded|Failed|Aborted)$/.test(type),
    };
    EVENT_KINDS.set(type, kind);
  }
  return kind;
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);
const SUCCEEDED = new Set(['TaskSucceeded', 'LambdaFunctionSucceeded', 'ActivitySucceeded']);
const FAILED = new Set([
  'TaskFailed',
  'TaskStartFailed',
  'TaskSubmitFailed',
  'TaskTimedOut',
  'LambdaFunctionFailed',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'LambdaFunctionTimedOut',
  'ActivityFailed',
  'ActivityScheduleFailed',
  'ActivityTimedOut',
  'EvaluationFailed',
]);
const ENDED: Readonly<Record<string, ExecutionStatus>> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};

/** The state type an event belongs to (`TaskStateEntered` → `Task`, `LambdaFunctionFailed` → `Task`). */
function familyOf(type: string): string | undefined {
  const state = /^(Task|Pass|Choice|Wait|Succeed|Fail|Map|Parallel)State/.exec(type);
  if (state) return state[1];
  if (/^(Task|LambdaFunction|Activity)/.test(type) || type === 'EvaluationFailed') return 'Task';
  return undefined;
}

function seconds(from: string, to: string): number {
  return secondsMs(Date.parse(from), Date.parse(to));
}

function secondsMs(from: number, to: number): number {
  return Math.max(0, (to - from) / 1000);
}

/** The `task` field of a lambda:invoke payload (`{"FunctionName":…, "Payload":{"task":"copy",…}}`), if any. */
function taskIdOf(parametersOrInput: string | undefined): string | undefined {
  if (parametersOrInput === undefined) return undefined;
  try {
    const value = JSON.parse(parametersOrInput) as { Payload?: { task?: unknown }; task?: unknown };
    const task = value?.Payload?.task ?? value?.task;
    return typeof task === 'string' ? task : undefined;
  } catch {
    return undefined;
  }
}

interface MutableStep extends TimelineStep {
  /** `enteredAt` in epoch milliseconds (durations without parsing the date again). */
  enteredMs: number;
  inputIds: Set<string>;
  lastOutcome?: 'failed' | 'succeeded';
  /** A failed visit a redrive has resumed in a new visit. */
  isSuperseded?: boolean;
}

/**
 * Builds the timeline of one execution from its history events (ascending ids, as
 * GetExecutionHistory returns them by default; any order is accepted and sorted by id).
 *
 * Events are attributed to the state they belong to by `previousEventId` (each event inside a
 * state points at the one before it), falling back to the latest open state of the same kind.
 * Retries are the task attempts after the first; created resources are EC2 ids that first appear
 * in a task's output (lookup tasks excepted); teardown and prune outputs list removed ones.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
export function toTimeline(events: readonly HistoryEvent[]): Timeline {
  const sorted = [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const steps: MutableStep[] = [];
  const stepOfEvent = new Map<number, MutableStep>();
  const iterationOfEvent = new Map<number, IterationRef | undefined>();
  const iterationParent = new Map<IterationRef, IterationRef | undefined>();
  const seen = new Set<string>();
  const created: ResourceRef[] = [];
  const removed: ResourceRef[] = [];
  const redrives: TimelineRedrive[] = [];
  let status: ExecutionStatus = 'RUNNING';
  let startedAt: string | undefined;
  let stoppedAt: string | undefined;
  let lastAt: string | undefined;
  let error: string | undefined;
  let cause: string | undefined;
  let redriveCount = 0;

  const isOpen = (step: MutableStep): boolean => step.exitedAt === undefined && step.status === 'running';
  const latestOpen = (predicate: (step: MutableStep) => boolean): MutableStep | undefined => {
    for (let i = steps.length - 1; i >= 0; i -= 1) if (isOpen(steps[i]) && predicate(steps[i])) return steps[i];
    return undefined;
  };

  // Neighbouring events often share a millisecond: its ISO string is made once.
  let isoMs = Number.NaN;
  let iso = '';
  let lastMs = 0;
  for (const event of sorted) {
    const type = event.type ?? '';
    const kind = kindOf(type);
    const id = event.id ?? 0;
    const previous = event.previousEventId ?? 0;
    const ms = event.timestamp === undefined ? 0 : event.timestamp.getTime();
    if (ms !== isoMs) {
      isoMs = ms;
      iso = new Date(ms).toISOString();
    }
    const at = iso;
    const details = ((event as unknown as Record<string, unknown>)[kind.detailsKey] as Details | undefined) ?? {};
    lastAt = at;
    lastMs = ms;

    // Which Map iteration the event runs in: inherited along previousEventId.
    let iteration = iterationOfEvent.get(previous);
    if (type === 'MapIterationStarted') {
      const mapStep = latestOpen((s) => s.type === 'Map' && s.name === details.name);
      const ref: IterationRef = { map: details.name ?? '', index: details.index ?? 0 };
      iterationParent.set(ref, mapStep?.iteration);
      iteration = ref;
    } else if (kind.isIterationEnd) {
      // The iteration's end points at its last event: climb to the iteration of this Map, then out of it.
      while (iteration !== undefined && iteration.map !== details.name) iteration = iterationParent.get(iteration);
      iteration = iteration === undefined ? undefined : iterationParent.get(iteration);
    }
    iterationOfEvent.set(id, iteration);

    if (type === 'ExecutionStarted') {
      startedAt = at;
      for (const ec2Id of ec2IdsIn(details.input)) seen.add(ec2Id);
      continue;
    }
    if (type === 'ExecutionRedriven') {
      redriveCount = details.redriveCount ?? redriveCount + 1;
      redrives.push({ at, redriveCount, previousStatus: status, ...(error === undefined ? {} : { previousError: error }), eventId: id });
      status = 'RUNNING';
      stoppedAt = undefined;
      error = undefined;
      cause = undefined;
      continue;
    }
    const ended = ENDED[type];
    if (ended !== undefined) {
      status = ended;
      stoppedAt = at;
      error = details.error;
      cause = details.cause;
      for (const step of steps) {
        if (!isOpen(step)) continue;
        step.status = ended === 'FAILED' ? 'failed' : ended === 'SUCCEEDED' ? 'succeeded' : 'stopped';
        step.durationSeconds = secondsMs(step.enteredMs, ms);
        step.exitedEventId = id;
        if (ended !== 'SUCCEEDED' && ended !== 'FAILED' && details.error !== undefined) {
          step.errors.push({ at, error: details.error, cause: details.cause, eventId: id });
        }
      }
      continue;
    }

    const family = kind.family;
    if (family === undefined) continue; // MapIteration*, MapRun*: no state of their own

    if (kind.isEntered) {
      const name = details.name ?? '';
      const inputIds = new Set(ec2IdsIn(details.input));
      // Two literals rather than one with a spread in it, which V8 builds property by property (12,500 steps in a long run).
      const step: MutableStep =
        iteration === undefined
          ? { name, type: family, enteredAt: at, enteredMs: ms, status: 'running', attempts: 0, retries: 0, errors: [], created: [], removed: [], enteredEventId: id, inputIds }
          : { name, type: family, enteredAt: at, enteredMs: ms, status: 'running', attempts: 0, retries: 0, errors: [], created: [], removed: [], iteration, enteredEventId: id, inputIds };
      steps.push(step);
      stepOfEvent.set(id, step);
      continue;
    }

    // Any other event belongs to a state: the one of its previous event, else the latest open one.
    let step = stepOfEvent.get(previous);
    const matches = (s: MutableStep): boolean =>
      s.type === family && (!kind.isExited || details.name === undefined || s.name === details.name);
    // A redrive resumes a state that failed the run: its failed visit stays as it was, and what
    // the redrive does there is a new visit, so the timeline shows "failed" and then the outcome.
    const resume = (failed: MutableStep): MutableStep => {
      failed.isSuperseded = true;
      const visit: MutableStep = {
        name: failed.name,
        type: failed.type,
        ...(failed.task === undefined ? {} : { task: failed.task }),
        enteredAt: at,
        enteredMs: ms,
        status: 'running',
        attempts: 0,
        retries: 0,
        errors: [],
        created: [],
        removed: [],
        ...(failed.iteration === undefined ? {} : { iteration: failed.iteration }),
        enteredEventId: id,
        redrive: redriveCount,
        inputIds: new Set(failed.inputIds),
      };
      steps.push(visit);
      return visit;
    };
    const isResumable = (s: MutableStep | undefined): s is MutableStep =>
      s !== undefined && redriveCount > 0 && s.status === 'failed' && s.isSuperseded !== true && (s.redrive ?? 0) < redriveCount;
    if (isResumable(step) && matches(step)) step = resume(step);
    if (step === undefined || !isOpen(step) || !matches(step)) {
      step = latestOpen(matches);
      if (step === undefined && redriveCount > 0) {
        const failed = [...steps].reverse().find((s) => isResumable(s) && matches(s));
        if (failed !== undefined) step = resume(failed);
      }
    }
    if (step === undefined) continue;
    stepOfEvent.set(id, step);
    if (family === 'Map' || family === 'Parallel') iterationOfEvent.set(id, step.iteration);

    if (SCHEDULED.has(type)) {
      step.attempts += 1;
      step.retries = Math.max(0, step.attempts - 1);
      const payload = details.parameters ?? details.input;
      step.task ??= taskIdOf(payload);
      for (const ec2Id of ec2IdsIn(payload)) step.inputIds.add(ec2Id);
    } else if (FAILED.has(type)) {
      step.errors.push({
        at,
        ...(details.error === undefined ? {} : { error: details.error }),
        ...(details.cause === undefined ? {} : { cause: details.cause }),
        eventId: id,
      });
      step.lastOutcome = 'failed';
    } else if (SUCCEEDED.has(type)) {
      step.lastOutcome = 'succeeded';
      const task = step.task;
      const ids = ec2IdsIn(details.output);
      if (task !== undefined && REMOVING_TASKS.has(task)) {
        for (const ec2Id of ids) {
          if (!step.removed.includes(ec2Id)) {
            step.removed.push(ec2Id);
            if (!removed.some((r) => r.id === ec2Id)) removed.push({ id: ec2Id, kind: resourceKind(ec2Id), step: step.name });
          }
        }
      } else if (task === undefined || !LOOKUP_TASKS.has(task)) {
        for (const ec2Id of ids) {
          if (seen.has(ec2Id) || step.inputIds.has(ec2Id) || step.created.includes(ec2Id)) continue;
          step.created.push(ec2Id);
          created.push({ id: ec2Id, kind: resourceKind(ec2Id), step: step.name });
        }
      }
      for (const ec2Id of ids) seen.add(ec2Id);
    } else if (kind.isExited) {
      step.exitedAt = at;
      step.exitedEventId = id;
      step.durationSeconds = secondsMs(step.enteredMs, ms);
      step.status = step.lastOutcome === 'failed' ? 'caught' : 'succeeded';
    } else if (type === 'MapStateFailed' || type === 'ParallelStateFailed') {
      step.lastOutcome = 'failed';
    } else if (type === 'MapStateSucceeded' || type === 'ParallelStateSucceeded') {
      step.lastOutcome = 'succeeded';
    }
    for (const ec2Id of step.inputIds) seen.add(ec2Id);
  }

  for (const step of steps) {
    if (step.status === 'running' && lastAt !== undefined) step.durationSeconds = secondsMs(step.enteredMs, lastMs);
  }
  const end = stoppedAt ?? lastAt;
  return {
    status,
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(stoppedAt === undefined ? {} : { stoppedAt }),
    ...(startedAt === undefined || end === undefined ? {} : { durationSeconds: seconds(startedAt, end) }),
    ...(error === undefined ? {} : { error }),
    ...(cause === undefined ? {} : { cause }),
    redriveCount,
    redrives,
    steps: steps.map(({ enteredMs: _enteredMs, inputIds: _inputIds, lastOutcome: _lastOutcome, isSuperseded: _isSuperseded, ...step }) => step),
    resources: { created, removed },
    eventCount: sorted.length,
  };
}

/**
 * How many redrives had happened when a visit was entered: 0 for the run's first attempt. A
 * visit a redrive resumed counts that redrive.
 */
export function redriveSegment(timeline: Pick<Timeline, 'redrives'>, step: TimelineStep): number {
  if (step.redrive !== undefined) return step.redrive;
  const entered = step.enteredEventId;
  if (entered === undefined) return timeline.redrives.filter((r) => r.at < step.enteredAt).length;
  return timeline.redrives.filter((r) => (r.eventId ?? 0) < entered).length;
}
