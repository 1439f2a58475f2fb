import type { Plan } from '../schemas/plan.js';
import type { WaitLadder } from './loops.js';
import { COPY_WAIT, IMAGE_WAIT, LAUNCH_WAIT, QUICK_PASSES, VERIFY_TIMEOUT_MINUTES, VERIFY_WAIT, ladderSeconds } from './loops.js';
import { STANDARD_RETRY, maxRetries } from './policies.js';

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
 * transient EC2 calls (docs/decisions/0003): a storm costs them passes, which the pass counts
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

/** Events one non-loop Task call adds at most by retrying: 3 per retry, every retrier to its MaxAttempts. */
export const RETRY_EVENTS_PER_CALL = 3 * maxRetries(STANDARD_RETRY);

/** A backup run's event count, per part and in total. */
export interface BackupBudget {
  readonly batches: number;
  readonly imagePasses: number;
  readonly copyPasses: number;
  readonly verifyPasses: number;
  readonly perBatch: number;
  /** Without retries. */
  readonly total: number;
  /** What retries of the non-loop tasks (resolve, prune, metrics) can add at most. */
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
  passes: { imagePasses?: number; copyPasses?: number; verifyPasses?: number } = {},
): BackupBudget {
  const batches = Math.ceil(targetCount / plan.backup.batchSize);
  const imagePasses = passes.imagePasses ?? maxPasses(IMAGE_WAIT, plan.backup.imageTimeoutMinutes);
  const copyPasses = passes.copyPasses ?? maxPasses(COPY_WAIT, plan.backup.copyTimeoutMinutes);
  const verifyPasses = passes.verifyPasses ?? maxPasses(VERIFY_WAIT, VERIFY_TIMEOUT_MINUTES);
  // Map iteration 2, Start batch 2, image loop, copy loop, verify loop, Batch backed up 2.
  const perBatch = 2 + 2 + loopEvents(imagePasses) + loopEvents(copyPasses) + loopEvents(verifyPasses) + 2;
  // Execution 2, Start backup 2, Resolve workloads 5, Map 2 + 2, Prune 5, Record metrics 5, Succeed 2.
  const total = 2 + 2 + 5 + 4 + batches * perBatch + 5 + 5 + 2;
  // Resolve workloads, Prune recovery points, Record backup metrics.
  const retryReserve = 3 * RETRY_EVENTS_PER_CALL;
  return { batches, imagePasses, copyPasses, verifyPasses, perBatch, total, retryReserve };
}

/** A failover or drill run's event count. */
export interface RecoveryBudget {
  readonly waves: number;
  readonly launchPasses: number;
  /** Without retries. */
  readonly total: number;
  /** What retries of the non-loop tasks (resolve, [teardown,] metrics) can add at most. */
  readonly retryReserve: number;
}

/**
 * The events of a failover or drill run with `waves` waves, each launch loop making
 * `launchPasses` passes (default: the most the launch deadline allows).
 */
export function recoveryBudget(plan: Plan, mode: 'failover' | 'drill', waves: number, launchPasses?: number): RecoveryBudget {
  const timeout = mode === 'drill' ? plan.drill.launchTimeoutMinutes : plan.failover.launchTimeoutMinutes;
  const passes = launchPasses ?? maxPasses(LAUNCH_WAIT, timeout);
  // Map iteration 2, Start wave 2, launch loop, Wave ready 2.
  const perWave = 2 + 2 + loopEvents(passes) + 2;
  const drill = mode === 'drill' ? (plan.drill.teardown.holdMinutes > 0 ? 2 : 0) + 5 : 0;
  // Execution 2, Start 2, Resolve 5, Map 2 + 2, [hold, teardown], Record metrics 5, Succeed 2.
  const total = 2 + 2 + 5 + 4 + waves * perWave + drill + 5 + 2;
  const retryReserve = (mode === 'drill' ? 3 : 2) * RETRY_EVENTS_PER_CALL;
  return { waves, launchPasses: passes, total, retryReserve };
}
