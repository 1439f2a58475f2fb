import type { InnerResume } from './types.js';

/**
 * Errors raised while an execution runs.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */

/** A state failure with an AWS-style error name and cause, matched by Retry and Catch. */
export class StatesError extends Error {
  /** Set by Parallel/Map: which branches or iterations had succeeded (for redrive). */
  inner?: InnerResume;
  /** Names a Retry/Catch may also match this error by (a heartbeat expiry is `States.Timeout` and `States.HeartbeatTimeout`). */
  alsoMatches?: readonly string[];
  /** `MapStateFailed`/`ParallelStateFailed`: written once Retry gives up on this error. */
  failedEvent?: string;
  /**
   * SendTaskFailure left out the error or cause: the caught error output carries `null` for what
   * is missing (recorded on AWS: `{"Error": null, "Cause": null}`), not an empty string.
   */
  nullWhenAbsent?: boolean;
  constructor(
    readonly error: string,
    override readonly cause: string | undefined,
    /** Where a JSONata evaluation failed (`Output`, `Arguments`...): written as an `EvaluationFailed` event. */
    readonly location?: string,
  ) {
    super(`${error}: ${cause ?? ''}`);
    this.name = 'StatesError';
  }
}

/** Thrown inside a run when the execution (or a sibling branch) was stopped; never surfaces as a failure. */
export class Aborted extends Error {
  /** Set by Parallel/Map: which branches or iterations had succeeded (for redrive). */
  inner?: InnerResume;
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

/** An API-level refusal, e.g. `ExecutionNotRedrivable`; `code` is the AWS error name. */
export class EngineError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

/** `States.Runtime`: fails the execution; neither retried nor caught, not even by `States.ALL`. */
export function runtimeError(cause: string): StatesError {
  return new StatesError('States.Runtime', cause);
}

/**
 * Whether a Retry/Catch `ErrorEquals` list matches an error name.
 *
 * `States.ALL` matches everything except `States.Runtime` and `States.DataLimitExceeded` (terminal),
 * except that an oversized task result carries `alsoMatches: ['States.ALL']` (recorded on AWS);
 * `States.TaskFailed` matches everything except `States.Timeout`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-error-representation
 */
export function errorMatches(errorEquals: readonly string[], error: string, alsoMatches: readonly string[] = []): boolean {
  if (error === 'States.Runtime') return false;
  if (alsoMatches.some((a) => errorEquals.includes(a))) return true;
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL' && error !== 'States.DataLimitExceeded') return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout' && error !== 'States.DataLimitExceeded' && !error.startsWith('States.') ) return true;
    if (name === 'States.TaskFailed' && (error === 'States.TaskFailed' || error === 'States.HeartbeatTimeout' || error === 'States.Permissions')) return true;
  }
  return false;
}
