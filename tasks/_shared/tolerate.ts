import type { TaskContext } from './define-task.js';
import { errorCodeOf, lifeboatErrorNameOf } from './ec2-errors.js';

/** At most this many lines in a pass's `throttled` output (the last one counts the rest). */
export const THROTTLED_LISTED_LIMIT = 20;

/**
 * What one pass of a loop task could not do because EC2 throttled the call or failed
 * transiently (docs/decisions/0005). The pass goes on with what it has; the lines go into the
 * task's output (`throttled`), so the execution history shows them.
 */
export class PassNotes {
  readonly throttled: string[] = [];

  constructor(private readonly context: Pick<TaskContext, 'log'>) {}

  /**
   * Runs one EC2 call. A throttled (`Lifeboat.Throttled`) or transient (`Lifeboat.Transient`)
   * failure is noted and yields `undefined`; every other error is thrown as before.
   *
   * @param what the call and what it was for, e.g. `DescribeImages (this batch's AMIs)`
   * @example const found = await notes.tolerate('DescribeImages (by name)', () => describeOwnImagesBy(ec2, 'name', names));
   */
  async tolerate<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (!isThrottledOrTransient(error)) throw error;
      this.leave(what, errorCodeOf(error));
      return undefined;
    }
  }

  /** Notes work left for the next pass: `what` could not be done because of `reason` (an error code). */
  leave(what: string, reason: string): void {
    this.throttled.push(`${what}: ${reason}`);
    this.context.log('left for the next pass', { call: what, error: reason });
  }

  /**
   * `{ throttled }` when something was throttled, else `{}` (the field is absent from a clean
   * pass's output). At most {@link THROTTLED_LISTED_LIMIT} lines, the last one counting the rest:
   * under a storm a pass of a large run may leave hundreds of calls, and its output must stay small.
   */
  output(): { throttled?: string[] } {
    if (this.throttled.length === 0) return {};
    if (this.throttled.length <= THROTTLED_LISTED_LIMIT) return { throttled: [...this.throttled] };
    const shown = this.throttled.slice(0, THROTTLED_LISTED_LIMIT - 1);
    return { throttled: [...shown, `and ${this.throttled.length - shown.length} more call(s) left for the next pass`] };
  }
}

/** True for errors a loop pass leaves for the next pass: throttling and transient faults. */
export function isThrottledOrTransient(error: unknown): boolean {
  const kind = lifeboatErrorNameOf(error);
  return kind === 'Lifeboat.Throttled' || kind === 'Lifeboat.Transient';
}
