import { InvalidInputError } from './errors.js';

/** An inline run resolved to more instances than it can carry: say what happened and how to fix it. */
export function tooManyForInline(planName: string, found: number, max: number): InvalidInputError {
  return new InvalidInputError(
    `plan '${planName}' resolves to ${found} instances, more than the ${max} an inline run carries (its history and payloads grow with every instance); ` +
      `set "scale": {"mode": "distributed"} in the plan and redeploy, so that batches run as child executions of a Distributed Map`,
  );
}

/** How many names a message or a bounded output list carries (the rest are counted, and logged by the task). */
export const NAMED_AT_MOST = 20;

/**
 * The first {@link NAMED_AT_MOST} of `items` joined with `separator`, and `; and N more <what>
 * (every one is in this task's log)` when there are more: an error message (a Step Functions
 * cause holds at most 32,768 characters) or a status line that stays short at any plan size.
 * The caller logs the whole list when `items.length > NAMED_AT_MOST`.
 *
 * @example namedFirst(['a', 'b'], '; ', 'workload(s)') // 'a; b'
 */
export function namedFirst(items: readonly string[], separator: string, what: string): string {
  const shown = items.slice(0, NAMED_AT_MOST).join(separator);
  const rest = items.length - NAMED_AT_MOST;
  return rest > 0 ? `${shown}; and ${rest} more ${what} (every one is in this task's log)` : shown;
}
