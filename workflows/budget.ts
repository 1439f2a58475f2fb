import type { Plan } from '../schemas/plan.js';
import type { WaitLadder } from './loops.js';
import {
  CLOSE_PASSES,
  COPY_WAIT,
  FINISH_PASSES,
  IMAGE_WAIT,
  LAUNCH_WAIT,
  PRUNE_TIMEOUT_MINUTES,
  PRUNE_WAIT,
  QUICK_PASSES,
  TEARDOWN_TIMEOUT_MINUTES,
  TEARDOWN_WAIT,
  TIMED_SLACK_PASSES,
  VERIFY_TIMEOUT_MINUTES,
  VERIFY_WAIT,
  ladderSeconds,
} from './loops.js';
import { STANDARD_RETRY, maxRetries } from './policies.js';
import { isDistributed } from './scale.js';
import { healthChecks, healthWait } from './failover/wave.js';
import { TRAFFIC_WAIT } from './failover/traffic.js';
import { RETIRE_TIMEOUT_MINUTES } from './failback/failback.js';
import { INLINE_MAX_TARGETS } from './scale.js';

/**
 * The most passes a wave's `Check application health` loop makes: to the longest check deadline
 * at the shortest interval, plus quick passes; 0 when no workload declares a health check.
 */
export function healthMaxPasses(plan: Plan): number {
  const ladder = healthWait(plan);
  if (ladder === undefined) return 0;
  return maxPasses(ladder, Math.max(...Object.values(healthChecks(plan)).map((c) => c.deadlineMinutes)));
}

/** A loop's events, or none when it is not rendered (0 passes). */
function optionalLoopEvents(passes: number): number {
  return passes > 0 ? loopEvents(passes) : 0;
}

/**
 * The execution-history budget: how many events a run writes, counted the way Step Functions
 * records them (docs/architecture.md, "History budget"; AWS's hard limit is 25,000 per execution).
 *
 * Per state entered: `…StateEntered` + `…StateExited` (2); a Lambda task adds `TaskScheduled`,
 * `TaskStarted`, `TaskSucceeded` (3 more: 5 per call); an inline Map adds `MapStateStarted` and
 * `MapStateSucceeded`, and 2 per iteration (`MapIterationStarted`, `MapIterationSucceeded`); the
 * execution adds `ExecutionStarted` and `ExecutionSucceeded`. Retries add 3 each: they are not in
 * `total` but in `retryReserve`, the most the non-loop tasks can add when every one of their
 * calls exhausts its retriers (a throttling storm). Loop tasks do not throw on throttled or
 * transient EC2 calls (docs/decisions/0005): a storm costs them passes, which the pass counts
 * bound, not retries.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */

/** Events of one poll pass: the Task (5), its Choice (2) and the Wait before the next pass (2). */
export const EVENTS_PER_POLL = 9;

/** The events a loop of `passes` task calls writes (the last pass has no Wait after it). */
export function loopEvents(passes: number): number {
  return passes * EVENTS_PER_POLL - 2;
}

/**
 * The most passes a loop can make before its deadline: calls at 0, w0, w0+w1, … while the clock
 * is before the deadline, plus the call that finds the deadline passed and fails, plus the quick
 * passes after throttled passes (at most `QUICK_PASSES`, which do not advance the ladder).
 */
export function maxPasses(ladder: WaitLadder, timeoutMinutes: number): number {
  return ladderPasses(ladder, timeoutMinutes) + QUICK_PASSES;
}

/**
 * The most passes a launch loop can make before its deadline: {@link maxPasses} on its ladder, plus
 * the close passes of a nearly ready batch (at most `CLOSE_PASSES`, which do not advance the ladder).
 */
export function launchMaxPasses(timeoutMinutes: number): number {
  return maxPasses(LAUNCH_WAIT, timeoutMinutes) + CLOSE_PASSES;
}

/** The passes of a loop on its ladder alone (no throttled pass). */
export function ladderPasses(ladder: WaitLadder, timeoutMinutes: number): number {
  const timeout = timeoutMinutes * 60;
  let elapsed = 0;
  let passes = 0;
  while (elapsed < timeout) {
    elapsed += ladderSeconds(ladder, passes);
    passes += 1;
  }
  return passes + 1;
}

/**
 * Events one non-loop Task call adds at most when a storm makes it exhaust every retrier: 3 per
 * retry, every retrier to its MaxAttempts (180 with the policies of docs/decisions/0005).
 */
export const STORM_RETRY_EVENTS_PER_CALL = 3 * maxRetries(STANDARD_RETRY);

/**
 * The waits a copy loop may use while copies of its batch wait for a slot of the copy quotas
 * (`queuedCount` in the pass's output), shortest first: {@link copyQueuedWaitSeconds} takes the
 * shortest that keeps the plan's worst case under the history limit (docs/decisions/0018).
 */
export const COPY_QUEUED_WAITS: readonly number[] = [30, 60, 90, 120, 180, 240, 300];

/**
 * The shortest queued wait of an inline run, whose one history holds every batch: a small plan
 * then keeps most of its history as slack for redrives, and a single batch polling every minute
 * leaves a freed slot idle half a minute on average, against copies of a quarter of an hour or more.
 */
export const INLINE_MIN_COPY_QUEUED_WAIT = 60;

/**
 * The most passes a copy loop makes: while copies wait for a slot (at most
 * `copyTimeoutMinutes` from the loop's start, the queue deadline) one pass every
 * `queuedWaitSeconds` (and at most `TIMED_SLACK_PASSES` + 1 more with timed queued waits,
 * `workflows/loops.ts`); once all have started, the ladder up to `copyTimeoutMinutes` after the
 * last start (each copy's own deadline); plus the quick passes after throttled passes.
 */
export function copyMaxPasses(copyTimeoutMinutes: number, queuedWaitSeconds: number): number {
  // Timed queued waits (coming back when a slot should free) keep the loop within one pass per
  // queued wait since its start plus TIMED_SLACK_PASSES; the last timed pass may be one more.
  // Finishing waits (coming back when the batch's copies should be done) add at most FINISH_PASSES.
  return maxPasses(COPY_WAIT, copyTimeoutMinutes) + Math.ceil((copyTimeoutMinutes * 60) / queuedWaitSeconds) + TIMED_SLACK_PASSES + 1 + FINISH_PASSES;
}

/**
 * The wait between a copy loop's passes while copies of its batch are queued behind the copy
 * quotas: the shortest of {@link COPY_QUEUED_WAITS} whose worst case (every loop to its deadline)
 * still fits {@link HISTORY_EVENT_LIMIT} less {@link GUARD_MARGIN_EVENTS}. A distributed child
 * (one batch) always has room for the shortest; an inline run shares one history among all its
 * batches, so with many batches it polls less often (each batch polls on its own, so a freed
 * slot is still taken sooner than one wait). The more batches, the longer the wait: monotone in
 * the plan's size. The price: the near-limit guard's caps (`loopPassCaps`) then sit close to each
 * loop's own deadline-bound passes, so a redrive of a loop that ran to its deadline has little
 * room left in the same execution (the guard stops it with advice; a new backup starts afresh).
 */
export function copyQueuedWaitSeconds(plan: Plan): number {
  const room = HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS;
  // An inline run shares one history among all its batches and the rest of the run: at least 60 s.
  const waits = isDistributed(plan) ? COPY_QUEUED_WAITS : COPY_QUEUED_WAITS.filter((w) => w >= INLINE_MIN_COPY_QUEUED_WAIT);
  return waits.find((w) => backupWorstCase(plan, w).events <= room) ?? waits.at(-1)!;
}

/** A backup run's event count, per part and in total. */
export interface BackupBudget {
  readonly batches: number;
  readonly imagePasses: number;
  readonly copyPasses: number;
  readonly verifyPasses: number;
  readonly prunePasses: number;
  readonly perBatch: number;
  /** Without retries. */
  readonly total: number;
  /** What retries of the non-loop tasks (resolve, metrics) can add at most. */
  readonly retryReserve: number;
}

/**
 * The events of a backup run of `targetCount` instances in which every image loop makes
 * `imagePasses` passes and every copy loop `copyPasses` (default: the most the deadlines allow,
 * the worst case of a run that still succeeds).
 */
export function backupBudget(
  plan: Plan,
  targetCount: number,
  passes: { imagePasses?: number; copyPasses?: number; verifyPasses?: number; prunePasses?: number; copyQueuedWaitSeconds?: number } = {},
): BackupBudget {
  const batches = Math.ceil(targetCount / plan.backup.batchSize);
  const imagePasses = passes.imagePasses ?? maxPasses(IMAGE_WAIT, plan.backup.imageTimeoutMinutes);
  const copyPasses = passes.copyPasses ?? copyMaxPasses(plan.backup.copyTimeoutMinutes, passes.copyQueuedWaitSeconds ?? copyQueuedWaitSeconds(plan));
  const verifyPasses = passes.verifyPasses ?? maxPasses(VERIFY_WAIT, VERIFY_TIMEOUT_MINUTES);
  const prunePasses = passes.prunePasses ?? maxPasses(PRUNE_WAIT, PRUNE_TIMEOUT_MINUTES);
  // Map iteration 2, Start batch 2, image loop, copy loop, verify loop, Batch backed up 2.
  const perBatch = 2 + 2 + loopEvents(imagePasses) + loopEvents(copyPasses) + loopEvents(verifyPasses) + 2;
  // Execution 2, Check previous backup 5 + its Choice 2, Start backup 2, Resolve workloads 5,
  // Map 2 + 2, Start pruning 2, the prune loop, Record metrics 5, Succeed 2.
  const total = 2 + 5 + 2 + 2 + 5 + 4 + batches * perBatch + 2 + loopEvents(prunePasses) + 5 + 2;
  // Resolve workloads, Record backup metrics (prune is a loop: a storm costs it passes).
  const retryReserve = 2 * STORM_RETRY_EVENTS_PER_CALL;
  return { batches, imagePasses, copyPasses, verifyPasses, prunePasses, perBatch, total, retryReserve };
}

/** `Pre-flight checks` (a Task: 5 events) and `Pre-flight passed?` (a Choice: 2), at the start of every failover and drill. */
export const PREFLIGHT_EVENTS = 5 + 2;

/** A failover or drill run's event count. */
export interface RecoveryBudget {
  readonly waves: number;
  readonly launchPasses: number;
  /** Passes of each wave's health loop (0: the plan has no health checks). */
  readonly healthPasses: number;
  /** Without retries. */
  readonly total: number;
  /** What retries of the non-loop tasks (pre-flight, resolve, metrics) can add at most. */
  readonly retryReserve: number;
}

/**
 * The events of a failover or drill run with `waves` waves, each launch loop making
 * `launchPasses` passes (default: the most the launch deadline allows).
 */
export function recoveryBudget(
  plan: Plan,
  mode: 'failover' | 'drill',
  waves: number,
  launchPasses?: number,
  teardownPasses: number = teardownMaxPasses(),
  healthPasses: number = healthMaxPasses(plan),
): RecoveryBudget {
  const timeout = mode === 'drill' ? plan.drill.launchTimeoutMinutes : plan.failover.launchTimeoutMinutes;
  const passes = launchPasses ?? launchMaxPasses(timeout);
  // Map iteration 2, Start wave 2, launch loop, [health loop], Wave ready 2.
  const perWave = 2 + 2 + loopEvents(passes) + optionalLoopEvents(healthPasses) + 2;
  // [Hold 2], Start teardown 2, the teardown loop.
  const drill = mode === 'drill' ? (plan.drill.teardown.holdMinutes > 0 ? 2 : 0) + 2 + loopEvents(teardownPasses) : 0;
  // Execution 2, Start 2, Pre-flight checks 5 + its Choice 2, Resolve 5, Map 2 + 2, [hold, teardown], Record metrics 5, Succeed 2.
  const total = 2 + 2 + PREFLIGHT_EVENTS + 5 + 4 + waves * perWave + drill + 5 + 2;
  const retryReserve = 3 * STORM_RETRY_EVENTS_PER_CALL;
  return { waves, launchPasses: passes, healthPasses, total, retryReserve };
}

/**
 * Approval rounds a failback is budgeted for: one per required approver and five answers that are
 * not counted (a refusal asks again). Each round writes `Await approval` (a callback task: 6
 * events), `Approval counts?` 2, `Count approval` 2 and `Enough approvals?` 2.
 */
export const APPROVAL_EXTRA_ROUNDS = 5;
const APPROVAL_ROUND_EVENTS = 6 + 2 + 2 + 2;

/** A failback run's event count (docs/decisions/0013-failback.md). */
export interface FailbackBudget {
  /** Recovered instances budgeted for: the plan's, at most the inline limit ({@link INLINE_MAX_TARGETS}). */
  readonly targets: number;
  readonly batches: number;
  readonly waves: number;
  readonly launchPasses: number;
  readonly healthPasses: number;
  readonly trafficPasses: number;
  readonly retirePasses: number;
  readonly approvalRounds: number;
  /** Without retries. */
  readonly total: number;
  /** Task calls (for one retry each). */
  readonly calls: number;
}

/**
 * The events of a failback of `targets` recovered instances at every deadline: the backup's batch
 * iteration (image, copy, verify), the approval rounds, the failover's wave iteration in the
 * primary region (launch, health), the traffic switch back, the hold and the retire loop.
 */
export function failbackBudget(
  plan: Plan,
  targets: number = Math.min(budgetedTargets(plan), INLINE_MAX_TARGETS),
  queuedWaitSeconds: number = failbackCopyQueuedWaitSeconds(plan),
): FailbackBudget {
  const settings = plan.failback;
  const waves = new Set(plan.workloads.map((w) => w.wave)).size;
  const backup = backupBudget(plan, targets, { copyQueuedWaitSeconds: queuedWaitSeconds });
  const launchPasses = maxPasses(LAUNCH_WAIT, settings?.launchTimeoutMinutes ?? plan.failover.launchTimeoutMinutes);
  const healthPasses = healthMaxPasses(plan);
  const trafficPasses = settings?.traffic === undefined ? 0 : maxPasses(TRAFFIC_WAIT, settings.traffic.timeoutMinutes);
  // The retire loop's waits are jittered between half and all of the ladder: count the halved one.
  const retirePasses = ladderPasses({ firstSeconds: TEARDOWN_WAIT.firstSeconds / 2, capSeconds: TEARDOWN_WAIT.capSeconds / 2 }, RETIRE_TIMEOUT_MINUTES) + QUICK_PASSES;
  const approval = plan.approval !== undefined && plan.approval.failback ? plan.approval : undefined;
  const approvalRounds = approval === undefined ? 0 : approval.requiredApprovers + APPROVAL_EXTRA_ROUNDS;
  const perWave = 2 + 2 + loopEvents(launchPasses) + optionalLoopEvents(healthPasses) + 2;
  // Execution 2, Start 2, Find 5, backup Map 4 + batches, Plan failback waves 2, [Ask 2 + rounds],
  // waves Map 4 + waves, [Start traffic switch 2 + loop], [Hold 2], Start retiring 2, the retire
  // loop, Record failback metrics 5, Succeed 2.
  const total =
    2 + 2 + 5 + 4 + backup.batches * backup.perBatch + 2 +
    (approvalRounds > 0 ? 2 + approvalRounds * APPROVAL_ROUND_EVENTS : 0) +
    4 + waves * perWave +
    (trafficPasses > 0 ? 2 + loopEvents(trafficPasses) : 0) +
    ((settings?.retire.holdMinutes ?? 0) > 0 ? 2 : 0) + 2 + loopEvents(retirePasses) + 5 + 2;
  const calls = 1 + backup.batches * (backup.imagePasses + backup.copyPasses + backup.verifyPasses) + approvalRounds + waves * (launchPasses + healthPasses) + trafficPasses + retirePasses + 1;
  return { targets, batches: backup.batches, waves, launchPasses, healthPasses, trafficPasses, retirePasses, approvalRounds, total, calls };
}

/**
 * The failback copy loop's wait while copies are queued: a failback is always one inline
 * execution (even for a distributed plan), so as {@link copyQueuedWaitSeconds} for an inline run,
 * but against the failback's own worst case.
 */
export function failbackCopyQueuedWaitSeconds(plan: Plan): number {
  const room = HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS;
  const waits = COPY_QUEUED_WAITS.filter((w) => w >= INLINE_MIN_COPY_QUEUED_WAIT);
  return waits.find((w) => failbackEvents(plan, failbackBudget(plan, undefined, w)) <= room) ?? waits.at(-1)!;
}

/** The failback's worst-case events from its budget: Record failure 5, one retry per call, the storms of Find and Record failback metrics. */
function failbackEvents(plan: Plan, f: FailbackBudget): number {
  return f.total + 5 + (f.calls + 1) * RETRY_EVENTS_PER_CALL + 2 * STORM_RETRY_EVENTS_PER_CALL;
}

/** The failback's worst case (always inline), or none for a plan without a `failback` section. */
function failbackWorstCase(plan: Plan): WorstCase[] {
  if (plan.failback === undefined) return [];
  const f = failbackBudget(plan);
  const events = failbackEvents(plan, f);
  return [
    {
      workflow: 'failback',
      events,
      detail: `${f.targets} recovered instance(s) in ${f.batches} batch(es), ${f.waves} wave(s) × ${f.launchPasses} launch passes${f.healthPasses > 0 ? ` + ${f.healthPasses} health passes` : ''}${f.trafficPasses > 0 ? `, ${f.trafficPasses} traffic passes` : ''}${f.approvalRounds > 0 ? `, ${f.approvalRounds} approval rounds` : ''}, ${f.retirePasses} retire passes, ${f.calls.toLocaleString('en-US')} task calls retried once`,
      fields: [
        `failback.launchTimeoutMinutes (${plan.failback.launchTimeoutMinutes})`,
        `backup.batchSize (${plan.backup.batchSize})`,
        `backup.imageTimeoutMinutes (${plan.backup.imageTimeoutMinutes})`,
        `backup.copyTimeoutMinutes (${plan.backup.copyTimeoutMinutes})`,
        `workloads[].wave (${f.waves} waves)`,
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Distributed runs (docs/decisions/0004): the parent and each child execution have their own
// 25,000-event history, so the budget is the parent's and the largest child's.
// ---------------------------------------------------------------------------------------------

/**
 * The events a Distributed Map writes into its parent's history: `MapStateEntered`,
 * `MapStateStarted`, `MapRunStarted`, `MapRunSucceeded`, `MapStateSucceeded`, `MapStateExited`,
 * whatever the number of children (their events are in their own histories).
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
export const DISTRIBUTED_MAP_EVENTS = 6;

/** A distributed run's budget: its parent execution, its largest child, and how many children. */
export interface DistributedBudget {
  readonly parent: number;
  readonly largestChild: number;
  readonly children: number;
}

/**
 * A distributed backup of `targetCount` instances: the parent (resolve, one Distributed Map,
 * summarize, prune, metrics) is constant; a child (one batch) writes what an inline iteration
 * writes, plus its execution's start and end and the Pass that takes its input.
 */
export function distributedBackupBudget(
  plan: Plan,
  targetCount: number,
  passes: { imagePasses?: number; copyPasses?: number; prunePasses?: number; copyQueuedWaitSeconds?: number } = {},
): DistributedBudget {
  const inline = backupBudget(plan, targetCount, passes);
  // Execution 2, Check previous backup 5 + its Choice 2, Start backup 2, Resolve 5, Map 6,
  // Summarize 5, Start pruning 2, the prune loop, Record metrics 5, Succeed 2.
  const parent = 2 + 5 + 2 + 2 + 5 + DISTRIBUTED_MAP_EVENTS + 5 + 2 + loopEvents(inline.prunePasses) + 5 + 2;
  // Execution 2, Start batch run 2, then the iteration (less the inline Map's 2 iteration events).
  const largestChild = 2 + 2 + inline.perBatch - 2;
  return { parent, largestChild, children: inline.batches };
}

/**
 * A distributed failover or drill with `waves` waves (each a Distributed Map of launch batches):
 * per wave the parent writes `Next wave?` 2, the Map 6 and `Summarize wave` 5; a child (one launch
 * batch) writes its execution 2, `Start launch batch` 2 and the wave iteration.
 */
export function distributedRecoveryBudget(
  plan: Plan,
  mode: 'failover' | 'drill',
  waves: number,
  targetCount: number,
  launchPasses?: number,
  teardownPasses: number = teardownMaxPasses(),
  healthPasses: number = healthMaxPasses(plan),
): DistributedBudget {
  const passes = recoveryBudget(plan, mode, 1, launchPasses, teardownPasses).launchPasses;
  // [Hold 2], Start teardown 2, the teardown loop.
  const drill = mode === 'drill' ? (plan.drill.teardown.holdMinutes > 0 ? 2 : 0) + 2 + loopEvents(teardownPasses) : 0;
  // Execution 2, Start 2, Pre-flight checks 5 + its Choice 2, Resolve 5, per wave 13, the last Next wave? 2, [hold, teardown], metrics 5, Succeed 2.
  const parent = 2 + 2 + PREFLIGHT_EVENTS + 5 + waves * (2 + DISTRIBUTED_MAP_EVENTS + 5) + 2 + drill + 5 + 2;
  // Execution 2, Start launch batch 2, Start wave 2, the launch loop, [the health loop], Wave ready 2.
  const largestChild = 2 + 2 + 2 + loopEvents(passes) + optionalLoopEvents(healthPasses) + 2;
  return { parent, largestChild, children: Math.max(waves, Math.ceil(targetCount / plan.scale.launchBatchSize)) };
}

/**
 * The worst case (every loop to its deadline) of the largest execution a run writes: the run itself
 * when inline; the parent or the largest child when distributed. `instances` defaults to the most
 * the plan can hold (listed ids, one per tag selector). What `plan check` compares with 25,000.
 */
export function worstCaseHistory(
  plan: Plan,
  kind: 'backup' | 'failover' | 'drill',
  instances: number = plan.workloads.reduce((sum, w) => sum + (w.instanceIds?.length ?? 1), 0),
): { readonly execution: 'run' | 'parent' | 'child'; readonly events: number } {
  const waves = new Set(plan.workloads.map((w) => w.wave)).size;
  if (!isDistributed(plan)) {
    return { execution: 'run', events: kind === 'backup' ? backupBudget(plan, instances).total : recoveryBudget(plan, kind, waves).total };
  }
  const b = kind === 'backup' ? distributedBackupBudget(plan, instances) : distributedRecoveryBudget(plan, kind, waves, instances);
  return b.parent >= b.largestChild ? { execution: 'parent', events: b.parent } : { execution: 'child', events: b.largestChild };
}

/**
 * The most passes a drill's teardown loop makes before its 6-hour deadline. Its waits are
 * jittered between half and all of the ladder, so the count uses the halved ladder (the most
 * passes the deadline allows).
 */
export function teardownMaxPasses(): number {
  return ladderPasses({ firstSeconds: TEARDOWN_WAIT.firstSeconds / 2, capSeconds: TEARDOWN_WAIT.capSeconds / 2 }, TEARDOWN_TIMEOUT_MINUTES);
}

/** Step Functions' hard limit of events in one execution's history. */
export const HISTORY_EVENT_LIMIT = 25_000;

/**
 * Events allowed for retries in the worst case: one retry (TaskFailed, TaskScheduled,
 * TaskStarted) per task call. The loop tasks report throttled reads instead of failing, so a
 * retry is the exception; a run that retries more than this on every call is a storm that the
 * deadlines end first.
 */
export const RETRY_EVENTS_PER_CALL = 3;

/** One workflow's worst case, as `plan check` and synth report it. */
export interface WorstCase {
  readonly workflow: 'backup' | 'failover' | 'drill' | 'failback';
  /** Events of the worst case that the model counts (every loop to its deadline, failure path, retries). */
  readonly events: number;
  /** How the figure is made, in words. */
  readonly detail: string;
  /** The plan fields that change it, with their values. */
  readonly fields: readonly string[];
  /** Distributed: the parent's and the largest child's worst case (`events` is the larger). */
  readonly parentEvents?: number;
  readonly childEvents?: number;
}

/**
 * The instances a backup is budgeted for: every listed instance id, and one full batch
 * (`backup.batchSize`) for each workload chosen by a tag selector (its count is only known at
 * run time).
 */
export function budgetedTargets(plan: Plan): number {
  return plan.workloads.reduce((n, w) => n + (w.instanceIds?.length ?? plan.backup.batchSize), 0);
}

/**
 * The worst-case history of each of the plan's workflows: every loop runs to its deadline, the
 * failure path runs, every task call is retried once ({@link RETRY_EVENTS_PER_CALL}), and the
 * non-loop calls exhaust their retriers as in a throttling storm (`retryReserve`: the campaign at
 * 60 % measures far fewer, docs/decisions/0005, so this is a bound, not an estimate).
 *
 * Backup: {@link backupBudget} at the deadlines, plus `Record failure` (5), plus retries.
 * Failover: {@link recoveryBudget} at the launch deadline, plus `Record failure`, plus retries.
 * Drill: the same with both teardown loops at their deadline (the success-path teardown gives
 * up, is recorded, and the after-failure teardown tries again) and `Teardown failed`.
 */
export function worstCase(plan: Plan): WorstCase[] {
  if (isDistributed(plan)) return distributedWorstCase(plan);
  const waves = new Set(plan.workloads.map((w) => w.wave)).size;
  const teardown = teardownMaxPasses();
  const recovery = (mode: 'failover' | 'drill'): WorstCase => {
    const r = recoveryBudget(plan, mode, waves, undefined, teardown);
    const teardownCalls = mode === 'drill' ? 2 * teardown : 0;
    // Pre-flight, resolve, launch passes, [health passes], [teardown passes], metrics, record failure.
    const calls = 2 + waves * (r.launchPasses + r.healthPasses) + teardownCalls + 2;
    // The after-failure teardown: Start 2 + loop, then Teardown failed 2.
    const extra = mode === 'drill' ? 5 + 2 + loopEvents(teardown) + 2 : 5;
    const timeout = mode === 'drill' ? 'drill.launchTimeoutMinutes' : 'failover.launchTimeoutMinutes';
    return {
      workflow: mode,
      events: r.total + extra + calls * RETRY_EVENTS_PER_CALL + r.retryReserve,
      detail: `${waves} wave(s) × ${r.launchPasses.toLocaleString('en-US')} launch passes${r.healthPasses > 0 ? ` + ${r.healthPasses} health passes` : ''}${mode === 'drill' ? `, 2 teardown loops × ${teardown} passes` : ''}, ${calls.toLocaleString('en-US')} task calls retried once, ${r.retryReserve} events of storm retries`,
      fields: [`${timeout} (${mode === 'drill' ? plan.drill.launchTimeoutMinutes : plan.failover.launchTimeoutMinutes})`, `workloads[].wave (${waves} waves)`],
    };
  };
  return [backupWorstCase(plan, copyQueuedWaitSeconds(plan)), recovery('failover'), recovery('drill'), ...failbackWorstCase(plan)];
}

/** The backup's worst case (inline or distributed) with copy loops that poll every `queuedWait` seconds while copies are queued. */
function backupWorstCase(plan: Plan, queuedWait: number): WorstCase {
  if (isDistributed(plan)) return distributedBackupWorstCase(plan, queuedWait);
  const targets = budgetedTargets(plan);
  const b = backupBudget(plan, targets, { copyQueuedWaitSeconds: queuedWait });
  // Check previous backup, Resolve, per batch (image + copy + verify passes), prune passes, Record metrics, Record failure.
  const backupCalls = 2 + b.batches * (b.imagePasses + b.copyPasses + b.verifyPasses) + b.prunePasses + 2;
  return {
    workflow: 'backup',
    events: b.total + 5 + backupCalls * RETRY_EVENTS_PER_CALL + b.retryReserve,
    detail: `${targets} instance(s) in ${b.batches} batch(es) × (${b.imagePasses} image + ${b.copyPasses} copy (${queuedWait} s apart while queued for a copy slot) + ${b.verifyPasses} verify passes), ${b.prunePasses} prune passes, ${backupCalls.toLocaleString('en-US')} task calls retried once, ${b.retryReserve} events of storm retries`,
    fields: [
      `backup.batchSize (${plan.backup.batchSize})`,
      `backup.imageTimeoutMinutes (${plan.backup.imageTimeoutMinutes})`,
      `backup.copyTimeoutMinutes (${plan.backup.copyTimeoutMinutes})`,
    ],
  };
}

/** A workflow whose worst case is over the limit, as a plan issue (`path`, `expected`, `found`). */
export interface BudgetIssue {
  readonly path: string;
  readonly expected: string;
  readonly found: string;
}

/**
 * The plan's workflows whose worst-case history exceeds {@link HISTORY_EVENT_LIMIT}, one issue
 * each, naming the fields to change. Empty when every run can finish.
 *
 * @example checkBudget(plan) // [] or [{ path: 'backup', expected: 'a worst-case history of at most 25,000 events …', found: '31,240 events (…)' }]
 */
export function checkBudget(plan: Plan): BudgetIssue[] {
  return worstCase(plan)
    .filter((w) => w.events > HISTORY_EVENT_LIMIT)
    .map((w) => ({
      path: w.workflow,
      expected: `a worst-case ${w.workflow} history of at most ${HISTORY_EVENT_LIMIT.toLocaleString('en-US')} events (Step Functions' limit per execution); change ${w.fields.join(', ')}${w.workflow === 'backup' ? ': a larger batch size or shorter timeouts' : w.workflow === 'failback' ? ': a larger batch size, shorter timeouts or fewer waves' : ': shorter launch timeouts or fewer waves'}`,
      found: `${w.events.toLocaleString('en-US')} events (${w.detail})`,
    }));
}

/**
 * A distributed plan's worst cases (docs/decisions/0004): per workflow the larger of the parent's
 * history and the largest child's, each with the failure path and one retry per task call. The
 * parent of a backup does not grow with the plan; a failover or drill parent grows with its waves.
 */
function distributedWorstCase(plan: Plan): WorstCase[] {
  const targets = budgetedTargets(plan);
  const waves = new Set(plan.workloads.map((w) => w.wave)).size;
  const teardown = teardownMaxPasses();
  const recovery = (mode: 'failover' | 'drill'): WorstCase => {
    const r = distributedRecoveryBudget(plan, mode, waves, targets, undefined, teardown);
    const launchPasses = recoveryBudget(plan, mode, 1).launchPasses;
    const teardownCalls = mode === 'drill' ? 2 * teardown : 0;
    const extra = mode === 'drill' ? 5 + 2 + loopEvents(teardown) + 2 : 5;
    const parent = r.parent + extra + (2 + waves + teardownCalls + 2) * RETRY_EVENTS_PER_CALL + 3 * STORM_RETRY_EVENTS_PER_CALL;
    const child = r.largestChild + 5 + (launchPasses + healthMaxPasses(plan) + 1) * RETRY_EVENTS_PER_CALL;
    const timeout = mode === 'drill' ? 'drill.launchTimeoutMinutes' : 'failover.launchTimeoutMinutes';
    return {
      workflow: mode,
      events: Math.max(parent, child),
      parentEvents: parent,
      childEvents: child,
      detail: `distributed: parent ${parent.toLocaleString('en-US')} events (${waves} wave(s)), largest child ${child.toLocaleString('en-US')} (${launchPasses} launch passes)`,
      fields: [`${timeout} (${mode === 'drill' ? plan.drill.launchTimeoutMinutes : plan.failover.launchTimeoutMinutes})`, `workloads[].wave (${waves} waves)`],
    };
  };
  return [distributedBackupWorstCase(plan, copyQueuedWaitSeconds(plan)), recovery('failover'), recovery('drill'), ...failbackWorstCase(plan)];
}

/** A distributed backup's worst case: the parent's history and the largest child's (one batch). */
function distributedBackupWorstCase(plan: Plan, queuedWait: number): WorstCase {
  const b = distributedBackupBudget(plan, budgetedTargets(plan), { copyQueuedWaitSeconds: queuedWait });
  const inline = backupBudget(plan, plan.backup.batchSize, { copyQueuedWaitSeconds: queuedWait });
  // Parent: check, resolve, summarize, prune passes, metrics, record failure; child: every pass, verify, record failure.
  // The parent's non-loop calls (resolve, metrics) may exhaust their retriers in a storm.
  const backupParent = b.parent + 5 + (5 + inline.prunePasses) * RETRY_EVENTS_PER_CALL + inline.retryReserve;
  const backupChild = b.largestChild + 5 + (inline.imagePasses + inline.copyPasses + 2) * RETRY_EVENTS_PER_CALL;
  return {
    workflow: 'backup',
    events: Math.max(backupParent, backupChild),
    parentEvents: backupParent,
    childEvents: backupChild,
    detail: `distributed: parent ${backupParent.toLocaleString('en-US')} events, largest child ${backupChild.toLocaleString('en-US')} (one batch of ${plan.backup.batchSize}: ${inline.imagePasses} image + ${inline.copyPasses} copy passes, ${queuedWait} s apart while queued for a copy slot), ${b.children.toLocaleString('en-US')} children`,
    fields: [`backup.imageTimeoutMinutes (${plan.backup.imageTimeoutMinutes})`, `backup.copyTimeoutMinutes (${plan.backup.copyTimeoutMinutes})`],
  };
}

/**
 * Events kept free below {@link HISTORY_EVENT_LIMIT} by the near-limit guard: room for what the
 * model does not count per pass (a redrive's own events and the `Record failure` it re-runs,
 * Lambda-fault retries beyond one per call) and for the failure path after the guard fires.
 */
export const GUARD_MARGIN_EVENTS = 500;

/** The passes each guarded loop may make in one execution (redrives included); see {@link loopPassCaps}. */
export interface LoopPassCaps {
  readonly image: number;
  readonly copy: number;
  readonly verify: number;
  readonly prune: number;
  readonly failoverLaunch: number;
  readonly drillLaunch: number;
}

/**
 * The near-limit guard's caps (`PassBudget` in `workflows/loops.ts`): the history left for the
 * loops, once the rest of the worst case and {@link GUARD_MARGIN_EVENTS} are set aside, shared
 * among the loops in proportion to their worst case. Each cap is at least the loop's own
 * deadline-bound passes when the plan passes `plan check`, so a single attempt never reaches it;
 * extra passes (redrives of a loop that timed out, more passes than planned) use up the slack and
 * the loop then fails with `Lifeboat.HistoryBudget` while the history still has room for the
 * failure path. Per execution: the run, or (distributed) the parent and each child apart.
 */
export function loopPassCaps(plan: Plan): LoopPassCaps {
  const perPass = EVENTS_PER_POLL + RETRY_EVENTS_PER_CALL;
  const room = HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS;
  const scale = (maxPassesOfLoop: number, guardedEvents: number, executionEvents: number) => {
    const factor = (room - (executionEvents - guardedEvents)) / guardedEvents;
    return Math.max(1, Math.floor(maxPassesOfLoop * factor));
  };
  const cases = worstCase(plan);
  const eventsOf = (w: WorstCase['workflow']) => cases.find((c) => c.workflow === w)!;
  const waves = new Set(plan.workloads.map((w) => w.wave)).size;
  const inline = backupBudget(plan, isDistributed(plan) ? plan.backup.batchSize : budgetedTargets(plan));
  const batchLoops = inline.imagePasses + inline.copyPasses + inline.verifyPasses;
  const launch = (mode: 'failover' | 'drill') => {
    const passes = recoveryBudget(plan, mode, 1).launchPasses;
    const parts = executionParts(eventsOf(mode));
    // Distributed: a launch loop lives in a child (one batch); inline: every wave's loop in the run.
    const guarded = (isDistributed(plan) ? 1 : waves) * passes * perPass;
    return scale(passes, guarded, isDistributed(plan) ? parts.child : parts.run);
  };
  const backup = executionParts(eventsOf('backup'));
  const batchGuarded = (isDistributed(plan) ? 1 : inline.batches) * batchLoops * perPass;
  const batchExecution = isDistributed(plan) ? backup.child : backup.run;
  const pruneGuarded = inline.prunePasses * perPass;
  const pruneExecution = isDistributed(plan) ? backup.parent : backup.run;
  // Inline, the prune loop shares the run's history with the batches: scale them together.
  const pruneCap = isDistributed(plan)
    ? scale(inline.prunePasses, pruneGuarded, pruneExecution)
    : scale(inline.prunePasses, batchGuarded + pruneGuarded, pruneExecution);
  const batchCap = (passes: number) => scale(passes, batchGuarded + (isDistributed(plan) ? 0 : pruneGuarded), batchExecution);
  return {
    image: batchCap(inline.imagePasses),
    copy: batchCap(inline.copyPasses),
    verify: batchCap(inline.verifyPasses),
    prune: pruneCap,
    failoverLaunch: launch('failover'),
    drillLaunch: launch('drill'),
  };
}

/** The events of a worst case per execution: the run (inline), or the parent's and the largest child's. */
function executionParts(w: WorstCase): { run: number; parent: number; child: number } {
  return { run: w.events, parent: w.parentEvents ?? w.events, child: w.childEvents ?? w.events };
}
