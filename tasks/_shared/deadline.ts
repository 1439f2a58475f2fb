import { TimeoutError } from './errors.js';

/**
 * Throws `Lifeboat.Timeout` when a loop task's deadline has passed with items still pending.
 *
 * Called after a pass did its work, so an item that finished in this very pass counts as done.
 *
 * @param now the task's now (`context.now`)
 * @param deadline the input's ISO deadline
 * @param what e.g. `image 'Create images'`
 * @param pending one description per unfinished item
 */
export function assertBeforeDeadline(now: Date, deadline: string, what: string, pending: readonly string[]): void {
  if (pending.length === 0 || now.getTime() < Date.parse(deadline)) return;
  const shown = pending.slice(0, 10).join(', ');
  const more = pending.length > 10 ? ` and ${pending.length - 10} more` : '';
  throw new TimeoutError(`${what}: deadline ${deadline} passed at ${now.toISOString()} with ${pending.length} item(s) unfinished: ${shown}${more}`);
}
