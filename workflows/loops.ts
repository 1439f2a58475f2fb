import type { AslCatcher, AslRetrier, JsonValue } from '../schemas/asl.js';
import type { TaskId } from '../schemas/tasks/index.js';
import type { Fragment } from './builders.js';
import { choice, jsonata, str, task, wait } from './builders.js';
import type { FailureVars } from './policies.js';

/**
 * Poll loops: a loop task (image, copy, verify, launch-in-region) called again and again by a
 * Choice/Wait pair until it reports `isComplete`. The state machine waits, never a Lambda.
 *
 * One pass costs 9 history events (Task 5, Choice 2, Wait 2) whatever the batch size, which is
 * what keeps a large run far below the 25,000-event limit (docs/architecture.md, "History budget").
 */

/** How long a loop waits between passes: doubling from `firstSeconds` up to `capSeconds`. */
export interface WaitLadder {
  readonly firstSeconds: number;
  readonly capSeconds: number;
}

/** Images take minutes: 30 s, 60 s, 120 s, 240 s, then every 300 s. */
export const IMAGE_WAIT: WaitLadder = { firstSeconds: 30, capSeconds: 300 };

/** Cross-region copies take tens of minutes: 60 s, 120 s, 240 s, then every 300 s. */
export const COPY_WAIT: WaitLadder = { firstSeconds: 60, capSeconds: 300 };

/**
 * Verification is one pass when EC2 answers; further passes only follow throttled reads, so they
 * come quickly: 10 s, 20 s, 40 s, then every 60 s.
 */
export const VERIFY_WAIT: WaitLadder = { firstSeconds: 10, capSeconds: 60 };

/** How long the verify loop may take from its first pass before it fails with `Lifeboat.Timeout`. */
export const VERIFY_TIMEOUT_MINUTES = 30;

/**
 * Pruning is one pass when EC2 answers; further passes only follow throttled calls: 10 s, 20 s,
 * 40 s, then every 60 s, until {@link PRUNE_TIMEOUT_MINUTES}.
 */
export const PRUNE_WAIT: WaitLadder = { firstSeconds: 10, capSeconds: 60 };

/**
 * How long the prune loop may take from its first pass before it fails with `Lifeboat.Timeout`.
 * Sized for the worst case at fleet size: the second backup of a 5,000-instance plan deregisters
 * 5,000 source images and, with retention, up to 5,000 recovery points, one DeregisterImage each;
 * at EC2's default refill of 5 mutating calls per second that alone is about 33 minutes (EC2 API
 * request throttling, token bucket per account and region).
 */
export const PRUNE_TIMEOUT_MINUTES = 60;

/** Launches count against the RTO, so they are polled closely: 10 s, 20 s, then every 30 s (on average a wave is noticed ready about 15 s late). */
export const LAUNCH_WAIT: WaitLadder = { firstSeconds: 10, capSeconds: 30 };

/**
 * Close polling of a launch batch that is nearly ready (`isNearlyReady` in the pass's output: some
 * of its instances passed their status checks and every other one is running, its checks under
 * way): the next pass comes after {@link CLOSE_WAIT_SECONDS} instead of the ladder's wait, at most
 * {@link CLOSE_PASSES} times per loop. The last instance of a batch is then noticed within 3 s of
 * turning ready instead of up to 30 s, which is what keeps a drill's RTO within 2% of its EC2
 * operations (docs/decisions/0004, "Update: drill RTO against the critical path"). Bounded like
 * the quick passes, so the history budget (`workflows/budget.ts`) stays finite.
 */
export const CLOSE_WAIT_SECONDS = 3;

/**
 * The close wait when the pass also reports `isAlmostReady` (at most a couple of instances left,
 * all running with their checks under way): the batch's last instance is then noticed within 1 s
 * of turning ready instead of 3 s. A wave is ready only when the child holding its last instance
 * notices, so this lag is paid once per wave on the RTO; the tail lasts a few seconds per batch,
 * so it costs a few passes (docs/decisions/0004, "Update: the tail of a batch").
 */
export const TAIL_WAIT_SECONDS = 1;

/**
 * At most this many close passes per loop, tail passes included (2 minutes of close polling; each
 * costs 9 history events). A batch's tail lasts seconds, so its passes take few of them.
 */
export const CLOSE_PASSES = 40;

/** The variable counting a loop's close passes, beside its `pollsVar`. */
export function closeVar(pollsVar: string): string {
  return `${pollsVar}Close`;
}

/**
 * After a pass that reports throttled calls (`throttled` in its output), the next pass comes after
 * {@link QUICK_WAIT_SECONDS} instead of the ladder's wait, at most {@link QUICK_PASSES} times per
 * loop (docs/decisions/0005): under a throttling storm the work left behind is retried soon, as a
 * Retry would, while the bound keeps the history budget (`workflows/budget.ts`) finite.
 */
export const QUICK_WAIT_SECONDS = 10;

/** At most this many quick passes per loop (each costs 9 history events). */
export const QUICK_PASSES = 20;

/** The variable counting a loop's quick passes, beside its `pollsVar`. */
export function quickVar(pollsVar: string): string {
  return `${pollsVar}Quick`;
}

/**
 * The variable counting every pass a loop made in this execution, redrives included (a redrive
 * resets `pollsVar` and its quick count for a fresh ladder, never this one). Set to 0 where the
 * loop's scope starts, beside `pollsVar`.
 */
export function spentVar(pollsVar: string): string {
  return `${pollsVar}Spent`;
}

/**
 * The variable holding the execution's redrive count at a loop's latest pass (see
 * {@link PollLoopOptions.redriveRefresh}). Set to `$states.context.Execution.RedriveCount`
 * ({@link REDRIVE_COUNT}) where the loop's scope starts, beside `pollsVar`.
 */
export function redriveVar(pollsVar: string): string {
  return `${pollsVar}Redrive`;
}

/** JSONata: the execution's redrive count (0 before the first redrive). */
export const REDRIVE_COUNT = '$states.context.Execution.RedriveCount';

/** The error a loop ends with when it has made the passes its execution's history has room for. */
export const HISTORY_BUDGET_ERROR = 'Lifeboat.HistoryBudget';

/**
 * A loop's share of its execution's 25,000-event history (`workflows/budget.ts`, `loopPassCaps`):
 * after `maxPasses` passes (counted over the whole execution, redrives included) the loop stops
 * and takes its scope's failure path with {@link HISTORY_BUDGET_ERROR}, so a run that needs more
 * passes than planned still records its failure (and a drill tears down) before Step Functions
 * would end it at event 25,000 with `States.Runtime`.
 */
export interface PassBudget {
  readonly maxPasses: number;
  /** The scope's failure variables (the catcher's): the guard sets them as a Catch would. */
  readonly vars: FailureVars;
  /** What to do instead, for the cause: e.g. `start a new backup, or split the plan (…)`. */
  readonly advice: string;
}

/**
 * A drill's teardown: 15 s, 30 s, 60 s, 120 s, 240 s, then every 300 s, each wait drawn between
 * half and all of that (jitter, so that many drills torn down together do not poll in step),
 * until {@link TEARDOWN_TIMEOUT_MINUTES}.
 */
export const TEARDOWN_WAIT: WaitLadder = { firstSeconds: 15, capSeconds: 300 };

/** How long a drill's teardown loop keeps trying before it gives up naming what remains: 6 hours. */
export const TEARDOWN_TIMEOUT_MINUTES = 360;

/** JSONata: the jittered wait of {@link TEARDOWN_WAIT} for the pass counted by `pollsVar` (between half and all of the ladder's value). */
export function jitteredLadderExpr(ladder: WaitLadder, pollsVar: string): string {
  return `$max([1, $round(${ladderExpr(ladder, pollsVar)} * (0.5 + $random() / 2))])`;
}

/** The wait before pass `n + 1` (n from 0), as the Wait state computes it. */
export function ladderSeconds(ladder: WaitLadder, n: number): number {
  return Math.min(ladder.firstSeconds * 2 ** n, ladder.capSeconds);
}

/**
 * JSONata: the wait for the pass counted by variable `pollsVar`. The exponent stops growing once
 * the cap is reached ({@link ladderDoublings}): `$power(2, n)` is not a JSON number past n = 1023,
 * which Step Functions fails with `States.QueryEvaluationError`, and a guarded loop may pass a
 * thousand times.
 */
export function ladderExpr(ladder: WaitLadder, pollsVar: string): string {
  return `$min([${ladder.firstSeconds} * $power(2, $min([$${pollsVar}, ${ladderDoublings(ladder)}])), ${ladder.capSeconds}])`;
}

/** How many doublings take a ladder from its first wait to its cap. */
export function ladderDoublings(ladder: WaitLadder): number {
  return Math.max(0, Math.ceil(Math.log2(ladder.capSeconds / ladder.firstSeconds)));
}

/** JSONata: an ISO time `minutes` after this state was entered (a loop's deadline). */
export function deadlineExpr(minutes: number): string {
  return jsonata(`$fromMillis($toMillis($states.context.State.EnteredTime) + ${minutes} * 60000)`);
}

/** Options of {@link pollLoop}. */
export interface PollLoopOptions {
  readonly id: TaskId;
  readonly functionArn: string;
  /** State names: the task, the Choice, the Wait. */
  readonly names: { readonly task: string; readonly check: string; readonly wait: string };
  /** The task input: a JSONata expression (so that the previous pass's output is left out on the first). */
  readonly input: string;
  /** Variables set from each pass's result. */
  readonly assign: Record<string, JsonValue>;
  readonly retry: readonly AslRetrier[];
  readonly catch: AslCatcher;
  /** The variable counting the ladder's waits (set to 0 before the loop, as is its {@link quickVar}). */
  readonly pollsVar: string;
  readonly ladder: WaitLadder;
  /** Where to go once `isComplete`, and variables to set on the way. */
  readonly done: string;
  readonly doneAssign?: Record<string, JsonValue>;
  /**
   * A condition on the pass's output (JSONata, e.g. `$states.input.phase = 'submit'`) that sends
   * the loop straight back to the task, without a wait: the pass ended early on purpose (to be
   * recorded in the history) and the next one has nothing to wait for.
   * @default none: every pass that is not complete waits
   */
  readonly againWhen?: string;
  readonly comment: string;
  /** The near-limit guard; its {@link spentVar} must be set to 0 where the scope starts. */
  readonly budget?: PassBudget;
  /**
   * Variables the first pass after a redrive sets afresh, as JSONata expressions (a deadline
   * counted from now: {@link deadlineExpr}); the ladder and quick counts restart with them.
   * Step Functions redrives a Map iteration (or a Distributed Map child) that a failing sibling
   * aborted from the state it stopped in, with the variables of the first attempt, so without
   * this a loop would resume with the first attempt's deadline, often long past (issue 7). The
   * pass's input sees the fresh values; its `Assign` keeps them. Needs the loop's
   * {@link redriveVar} set where the scope starts.
   */
  readonly redriveRefresh?: Record<string, string>;
  /**
   * Close polling ({@link CLOSE_WAIT_SECONDS}, or {@link TAIL_WAIT_SECONDS} when the pass also
   * reports `isAlmostReady`; at most {@link CLOSE_PASSES} times) after a pass that reports
   * `isNearlyReady`; its {@link closeVar} must be set to 0 beside `pollsVar`.
   */
  readonly closePolling?: boolean;
  /**
   * After a pass that reports `queuedCount` (work held back by a quota, e.g. copies waiting for
   * a slot), the next pass comes after this many seconds instead of the ladder's wait, and the
   * ladder does not advance (docs/decisions/0018). Absent: the ladder alone.
   */
  readonly queuedWaitSeconds?: number;
  /** Finishing waits ({@link FINISH_PASSES}) after a pass that reports `doneInSeconds`. */
  readonly finishHint?: boolean;
  /**
   * Timed queued waits (needs {@link queuedWaitSeconds} and {@link budget}): after a queued pass
   * that reports `nextSlotSeconds` (when the quota should next free a slot), the next pass comes
   * then (plus {@link TIMED_WAIT_MARGIN_SECONDS}, between {@link TIMED_WAIT_MIN_SECONDS} and the
   * ladder's cap) instead of after the queued wait, as long as the loop's passes so far stay
   * within one per queued wait since `startMillis` plus {@link TIMED_SLACK_PASSES}. So a freed
   * slot is taken within seconds, and the loop never makes more than
   * {@link TIMED_SLACK_PASSES} + 1 passes beyond what its queued wait alone allows
   * (`workflows/budget.ts`, `copyMaxPasses`; docs/decisions/0018, "Update").
   */
  readonly timedQueuedWait?: {
    /** JSONata (without `{% %}`): the loop's start, epoch ms (e.g. from its deadline). */
    readonly startMillis: string;
  };
}

/**
 * Finishing waits: after a pass that reports `doneInSeconds` (when everything the loop waits for
 * should be done), the next pass comes then plus {@link FINISH_MARGIN_SECONDS} if that is sooner
 * than the ladder's wait, at most {@link FINISH_PASSES} times per loop; its {@link finishVar}
 * must be set to 0 beside `pollsVar`. A loop whose ladder has reached 300 s then ends within
 * about a minute of its work rather than up to five (docs/decisions/0018, "Update").
 */
export const FINISH_PASSES = 2;

/** Seconds added to a pass's `doneInSeconds` (an AMI registers some seconds after its last snapshot). */
export const FINISH_MARGIN_SECONDS = 35;

/** The variable counting a loop's finishing passes, beside its `pollsVar`. */
export function finishVar(pollsVar: string): string {
  return `${pollsVar}Finish`;
}

/** A timed queued wait is never shorter than this (seconds). */
export const TIMED_WAIT_MIN_SECONDS = 10;

/** Seconds added to a pass's `nextSlotSeconds`, so that the slot has freed when the pass comes. */
export const TIMED_WAIT_MARGIN_SECONDS = 3;

/** How many passes ahead of one per queued wait a loop with timed queued waits may get. */
export const TIMED_SLACK_PASSES = 4;

/** The expression inside `{% … %}`. */
function unwrapJsonata(expression: string): string {
  const m = /^\{%\s*([\s\S]*?)\s*%\}$/.exec(expression);
  if (!m) throw new Error(`pollLoop: expected a JSONata expression '{% … %}', found ${JSON.stringify(expression)}`);
  return m[1]!;
}

/**
 * A loop pass's input and `Assign` with {@link PollLoopOptions.redriveRefresh}: the input reads
 * `$<var>AtPass` (the fresh value on the first pass after a redrive, else `$<var>`), bound in a
 * block around it; the `Assign` stores the same values, restarts the ladder, and notes the
 * redrive count.
 */
function refreshed(o: PollLoopOptions): { input: string; assign: Record<string, JsonValue> } {
  const refresh = o.redriveRefresh;
  if (refresh === undefined) return { input: o.input, assign: {} };
  const redriven = `(${REDRIVE_COUNT} > $${redriveVar(o.pollsVar)})`;
  const value = (name: string) => `(${redriven} ? (${unwrapJsonata(refresh[name]!)}) : $${name})`;
  let input = o.input;
  const bindings: string[] = [];
  for (const name of Object.keys(refresh)) {
    input = input.replace(new RegExp(`\\$${name}(?![A-Za-z0-9_])`, 'g'), () => `$${name}AtPass`);
    bindings.push(`$${name}AtPass := ${value(name)}`);
  }
  const q = quickVar(o.pollsVar);
  return {
    input: `(${bindings.join('; ')}; ${input})`,
    assign: {
      ...Object.fromEntries(Object.keys(refresh).map((name) => [name, jsonata(value(name))])),
      [o.pollsVar]: jsonata(`${redriven} ? 0 : $${o.pollsVar}`),
      [q]: jsonata(`${redriven} ? 0 : $${q}`),
      ...(o.closePolling === true ? { [closeVar(o.pollsVar)]: jsonata(`${redriven} ? 0 : $${closeVar(o.pollsVar)}`) } : {}),
      [redriveVar(o.pollsVar)]: jsonata(REDRIVE_COUNT),
    },
  };
}

/**
 * The Task → `<check>` → Wait → Task loop.
 *
 * @example pollLoop({ id: 'copy', names: { task: 'Copy images', check: 'Copies available?', wait: 'Wait for copies' }, ... })
 */
export function pollLoop(o: PollLoopOptions): Fragment {
  const q = quickVar(o.pollsVar);
  const c = closeVar(o.pollsVar);
  const isClose = o.closePolling === true ? `$states.input.isNearlyReady = true and $${c} < ${CLOSE_PASSES}` : undefined;
  // A close pass is neither quick nor a step of the ladder.
  const isQuick = `${isClose === undefined ? '' : `$not(${isClose}) and `}$exists($states.input.throttled) and $${q} < ${QUICK_PASSES}`;
  // Queued behind a quota: come back after the queued wait, without advancing the ladder.
  const isQueued = o.queuedWaitSeconds === undefined ? undefined : '$exists($states.input.queuedCount)';
  const spent = spentVar(o.pollsVar);
  const queuedWait = timedQueuedWaitExpr(o, spent);
  const ladderWait = isQueued === undefined ? ladderExpr(o.ladder, o.pollsVar) : `((${isQueued}) ? ${queuedWait} : ${ladderExpr(o.ladder, o.pollsVar)})`;
  const keepsLadder = [isClose, isQuick, isQueued].filter((x) => x !== undefined).map((x) => `(${x})`).join(' or ');
  const f = finishVar(o.pollsVar);
  // Only a wait shorter than the ladder's counts as a finishing pass.
  const isFinish =
    o.finishHint === true
      ? `$exists($states.input.doneInSeconds) and $${f} < ${FINISH_PASSES} and $max([${TIMED_WAIT_MIN_SECONDS}, $states.input.doneInSeconds + ${FINISH_MARGIN_SECONDS}]) < ${ladderWait}`
      : undefined;
  const restWait = isFinish === undefined ? ladderWait : `((${isFinish}) ? $max([${TIMED_WAIT_MIN_SECONDS}, $states.input.doneInSeconds + ${FINISH_MARGIN_SECONDS}]) : ${ladderWait})`;
  const fresh = refreshed(o);
  return {
    [o.names.task]: task(o.id, {
      functionArn: o.functionArn,
      input: jsonata(fresh.input),
      assign: { ...o.assign, ...fresh.assign, ...(o.budget === undefined ? {} : { [spent]: jsonata(`$${spent} + 1`) }) },
      retry: o.retry,
      catch: [o.catch],
      next: o.names.check,
      comment: o.comment,
    }),
    [o.names.check]: choice({
      rules: [
        o.doneAssign === undefined
          ? { when: '$states.input.isComplete = true', next: o.done }
          : { when: '$states.input.isComplete = true', next: o.done, assign: o.doneAssign },
        ...(o.budget === undefined ? [] : [budgetGuard(o, o.budget)]),
        ...(o.againWhen === undefined ? [] : [{ when: o.againWhen, next: o.names.task }]),
      ],
      otherwise: o.names.wait,
    }),
    [o.names.wait]: wait({
      seconds:
        isClose === undefined
          ? `(${isQuick}) ? ${QUICK_WAIT_SECONDS} : ${restWait}`
          : `(${isClose}) ? ($states.input.isAlmostReady = true ? ${TAIL_WAIT_SECONDS} : ${CLOSE_WAIT_SECONDS}) : (${isQuick}) ? ${QUICK_WAIT_SECONDS} : ${restWait}`,
      assign: {
        [o.pollsVar]: jsonata(`(${keepsLadder}) ? $${o.pollsVar} : $${o.pollsVar} + 1`),
        [q]: jsonata(`(${isQuick}) ? $${q} + 1 : $${q}`),
        ...(isClose === undefined ? {} : { [c]: jsonata(`(${isClose}) ? $${c} + 1 : $${c}`) }),
        // A finishing pass is one whose wait was the finishing one (not a quick or close pass).
        ...(isFinish === undefined ? {} : { [f]: jsonata(`(${[isClose, isQuick].filter((x) => x !== undefined).map((x) => `$not(${x}) and `).join('')}${isFinish}) ? $${f} + 1 : $${f}`) }),
      },
      next: o.names.task,
    }),
  };
}

/**
 * JSONata: the wait after a queued pass: its `nextSlotSeconds` (plus the margin, clamped) while
 * the loop's passes are within one per queued wait since its start plus {@link TIMED_SLACK_PASSES},
 * else the queued wait ({@link PollLoopOptions.timedQueuedWait}).
 */
function timedQueuedWaitExpr(o: PollLoopOptions, spent: string): string {
  const w = o.queuedWaitSeconds;
  if (w === undefined) return '0';
  if (o.timedQueuedWait === undefined) return `${w}`;
  if (o.budget === undefined) throw new Error(`pollLoop '${o.names.task}': timedQueuedWait needs a budget (its pass count)`);
  const elapsedWaits = `(($toMillis($states.context.State.EnteredTime) - (${o.timedQueuedWait.startMillis})) / ${w * 1000})`;
  const timed = `$max([${TIMED_WAIT_MIN_SECONDS}, $min([${o.ladder.capSeconds}, $states.input.nextSlotSeconds + ${TIMED_WAIT_MARGIN_SECONDS}])])`;
  // Longer than the queued wait: always (fewer passes); shorter: within the loop's pass allowance.
  const isTimed = `$exists($states.input.nextSlotSeconds) and (${timed} >= ${w} or $${spent} < ${elapsedWaits} + ${TIMED_SLACK_PASSES})`;
  return `((${isTimed}) ? ${timed} : ${w})`;
}

/** The Choice rule that ends a loop at its pass budget, through the scope's failure path. */
function budgetGuard(o: PollLoopOptions, b: PassBudget): { when: string; next: string; assign: Record<string, JsonValue> } {
  const spent = spentVar(o.pollsVar);
  const cause =
    `${str(`'${o.names.task}' made `)} & $string($${spent}) & ${str(
      ` passes in this execution (redrives included), the most its 25,000-event history has room for (${b.maxPasses} planned for this loop); ` +
        `it stops here so that the failure is recorded. A redrive continues the same history and would stop here again: ${b.advice}`,
    )}`;
  return {
    when: `$${spent} >= ${b.maxPasses}`,
    next: o.catch.Next,
    assign: {
      [b.vars.step]: o.names.task,
      [b.vars.error]: HISTORY_BUDGET_ERROR,
      [b.vars.cause]: jsonata(cause),
      [b.vars.redriveCount]: jsonata('$states.context.Execution.RedriveCount'),
    },
  };
}
