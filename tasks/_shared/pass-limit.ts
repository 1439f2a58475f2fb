import { REQUEST_HANDLER } from './clients/cache.js';
import type { TaskContext } from './define-task.js';

/**
 * The time a pass keeps in hand when it stops starting work: enough for one more EC2 call to end
 * (the SDK gives up on a call after `requestTimeout`, 30 s, and it then fails as
 * `Lifeboat.Transient`) plus 5 s to build, check and return the output. A function whose whole
 * timeout is shorter than twice that keeps half of the time it had when the pass started.
 */
export const SAFETY_MARGIN_MS = REQUEST_HANDLER.requestTimeout + 5_000;

/** Why a pass stopped before its work was done: its count of actions, or the Lambda's time. */
export type PassStop = 'count' | 'time';

/**
 * Bounds the work one pass of a loop task does (issue 8, "the worst day at fleet size"): at most
 * `maxActions` mutating calls (or ids acted on), and none started once the Lambda's remaining
 * time (`context.remainingTimeMs`) is below the safety margin. What is not done is left for the
 * next pass of the workflow's loop, which finds it again (by tags, by listing) and does it then.
 *
 * Make it at the start of the pass, before its reads: the margin is measured from the time left
 * then (half of it at most), so a pass that had time when it started gets its first action
 * unless its reads used up half of that time.
 *
 * @example const limit = new PassLimit(context, PRUNE_DEREGISTERS_PER_PASS);
 *   for (const image of stale) { if (!limit.take()) break; await deregister(image); }
 */
export class PassLimit {
  private taken = 0;
  private readonly marginMs: number;
  private readonly remaining: () => number;
  /** Set once a `take` was refused: why the pass stopped early. */
  stoppedBy: PassStop | undefined;

  /**
   * @param context the task's context (its `remainingTimeMs`, when it runs in a Lambda)
   * @param maxActions the task's named per-pass bound
   */
  constructor(
    context: Pick<TaskContext, 'remainingTimeMs'>,
    readonly maxActions: number,
  ) {
    this.remaining = () => context.remainingTimeMs?.() ?? Number.POSITIVE_INFINITY;
    const atStart = this.remaining();
    this.marginMs = Math.min(SAFETY_MARGIN_MS, atStart / 2);
  }

  /** How many actions were taken so far. */
  get count(): number {
    return this.taken;
  }

  /** True when `n` more actions fit the count and there is time for them; they are then counted as taken. */
  take(n = 1): boolean {
    if (this.stoppedBy !== undefined) return false;
    if (this.taken + n > this.maxActions) {
      this.stoppedBy = 'count';
      return false;
    }
    if (this.remaining() <= this.marginMs) {
      this.stoppedBy = 'time';
      return false;
    }
    this.taken += n;
    return true;
  }

  /** How many of `wanted` actions fit the count (0 when time is short or the count is used); they are taken. */
  takeUpTo(wanted: number): number {
    const n = Math.min(wanted, this.maxActions - this.taken);
    if (wanted <= 0) return 0;
    if (n <= 0) {
      this.stoppedBy = 'count';
      return 0;
    }
    if (n < wanted) {
      // Part of what was wanted fits: the rest waits for the count of the next pass.
      return this.take(n) ? ((this.stoppedBy = 'count'), n) : 0;
    }
    return this.take(n) ? n : 0;
  }

  /** Words for a log line or an output: why the pass stopped, and after how many actions. */
  describe(what: string): string {
    if (this.stoppedBy === 'count') return `${what}: stopped at the per-pass bound of ${this.maxActions}; the rest is left for the next pass`;
    if (this.stoppedBy === 'time') return `${what}: stopped after ${this.taken} with under ${Math.round(this.marginMs / 1000)} s of the Lambda's time left; the rest is left for the next pass`;
    return `${what}: ${this.taken} done`;
  }
}
