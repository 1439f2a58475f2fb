/**
 * Exit codes and the errors the CLI's single error boundary (`cli/main.ts`) knows how to print.
 *
 * Commands return an {@link ExitCode} or throw: a {@link UsageError} (exit 2) or an
 * {@link OperationError} (exit 1) prints its message and hint without a stack; anything else is a
 * bug and exits 70 ("internal error", the stack with `--debug`).
 */

/** The process exit codes of `lifeboat`. */
export const ExitCode = {
  /** The command did what was asked (for a run: it SUCCEEDED). */
  Ok: 0,
  /** The operation failed: a run FAILED, a plan is invalid, AWS refused a call. */
  Failed: 1,
  /** Bad usage or input: an unknown flag, a missing argument, a file that is not JSON. */
  Usage: 2,
  /**
   * A failover or drill SUCCEEDED but missed its RPO or RTO objective (the run's `achieved`):
   * the instances are up, but from older data or later than the plan promises.
   */
  ObjectiveMissed: 3,
  /**
   * `lifeboat preflight` found a blocking problem: a failover or drill of the plan would stop at
   * "Pre-flight checks" (or fail later). The checks themselves ran; 1 would mean they could not.
   */
  Blocked: 4,
  /** A bug in lifeboat itself. */
  Internal: 70,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Options shared by the CLI's error classes. */
export interface CliErrorOptions {
  /** One line that tells the user what to do next (printed after the message). */
  readonly hint?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/**
 * Bad usage or input (exit 2): printed as its message and hint, never with a stack.
 *
 * @example throw new UsageError("lifeboat backup: unknown flag '--folow'", { hint: "did you mean '--follow'?" })
 */
export class UsageError extends Error {
  /** What to do next, if known. */
  readonly hint?: string;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UsageError';
    this.hint = options.hint;
  }
}

/**
 * The operation failed for a reason outside lifeboat (exit 1): AWS refused a call, a state machine
 * is not deployed, an execution cannot be redriven. Printed as its message and hint, never with a stack.
 */
export class OperationError extends Error {
  /** What to do next, if known. */
  readonly hint?: string;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OperationError';
    this.hint = options.hint;
  }
}
