import type { AslCatcher, AslRetrier } from '../schemas/asl.js';
import { jsonata } from './builders.js';

/**
 * Retry and catch policies, defined once and shared by every workflow.
 *
 * Retries live here, in the state machine, rather than in the SDK: each attempt is an event in
 * the execution history (auditable with `lifeboat history`) and costs no wall time on the
 * sandbox's virtual clock. Every retrier backs off exponentially, caps its delay with
 * `MaxDelaySeconds`, and uses full jitter so that many batches throttled together do not retry
 * in lock-step.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */

/**
 * The errors the Lambda service itself raises for an invocation (not the function's own errors);
 * AWS recommends retrying them on every Lambda task.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/**
 * What Step Functions reports when the function itself died before returning: killed at its
 * timeout (`Sandbox.Timedout`), the runtime process exited (`Runtime.ExitError`), or Lambda gave no
 * error type (`Lambda.Unknown`). Tasks are idempotent, so running them again is safe: a retry
 * finds what the dead attempt created instead of creating it twice.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
export const LAMBDA_CRASH_ERRORS = ['Sandbox.Timedout', 'Runtime.ExitError', 'Lambda.Unknown'] as const;

/**
 * EC2 or CloudWatch throttled the call (`Lifeboat.Throttled`).
 *
 * Long enough for a storm (docs/decisions/0005): 2 s doubling to a 60 s cap, 40 attempts with
 * full jitter, about 20 minutes of retries on average (at most about 40). A task whose attempt
 * makes `k` throttle-prone calls at a throttle rate `p` fails all 41 attempts with probability
 * `(1 − (1 − p)^k)^41`: for k = 2 at p = 0.6, under 0.1 %. The loop tasks do not throw on a
 * throttled call at all (they leave the item for the next pass), so for them this retrier only
 * matters for what the pass cannot tolerate.
 */
export const THROTTLED: AslRetrier = {
  ErrorEquals: ['Lifeboat.Throttled'],
  IntervalSeconds: 2,
  MaxAttempts: 40,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/**
 * A transient fault (`Lifeboat.Transient`), a Lambda service error, or the function died before
 * returning (tasks are idempotent, so running them again is safe): 2 s doubling to a 60 s cap,
 * 20 attempts with full jitter (about 10 minutes on average).
 */
export const TRANSIENT: AslRetrier = {
  ErrorEquals: ['Lifeboat.Transient', ...LAMBDA_SERVICE_ERRORS, ...LAMBDA_CRASH_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 20,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

/**
 * No capacity left on the whole instance-type and subnet ladder (`Lifeboat.Capacity`): capacity
 * comes back in minutes, not seconds, so the intervals are longer.
 */
export const CAPACITY: AslRetrier = {
  ErrorEquals: ['Lifeboat.Capacity'],
  IntervalSeconds: 30,
  MaxAttempts: 4,
  BackoffRate: 2,
  MaxDelaySeconds: 300,
  JitterStrategy: 'FULL',
};

/**
 * The drill's teardown passes: one retrier for every retryable error, with a long tail. A
 * teardown pass already tolerates throttled and transient EC2 calls itself (it reports them
 * and the loop goes on), so what reaches this retrier is the Lambda service or the function
 * failing: 12 attempts, 5 s doubling to a 10-minute cap, full jitter, about an hour at most
 * per pass (half on average). The loop's own deadline (hours) bounds the whole teardown.
 *
 * One retrier rather than THROTTLED + TRANSIENT, because once a matching retrier has used its
 * attempts the error goes to the Catch: the next retrier is not consulted.
 */
export const TEARDOWN_RETRY: readonly AslRetrier[] = [
  {
    ErrorEquals: ['Lifeboat.Throttled', 'Lifeboat.Transient', ...LAMBDA_SERVICE_ERRORS, ...LAMBDA_CRASH_ERRORS],
    IntervalSeconds: 5,
    MaxAttempts: 12,
    BackoffRate: 2,
    MaxDelaySeconds: 600,
    JitterStrategy: 'FULL',
  },
];

/** The retriers every Task has: throttling, then transient and Lambda service errors. */
export const STANDARD_RETRY: readonly AslRetrier[] = [THROTTLED, TRANSIENT];

/** The retriers of tasks that create EC2 resources (image, copy, launch): standard plus capacity. */
export const CREATING_RETRY: readonly AslRetrier[] = [THROTTLED, TRANSIENT, CAPACITY];

/**
 * The most retries one Task state entry can make: every retrier to its `MaxAttempts` (Step
 * Functions counts attempts per retrier). Each retry writes 3 history events (`TaskFailed`,
 * `TaskScheduled`, `TaskStarted`); `workflows/budget.ts` uses this for its retry reserve.
 */
export function maxRetries(retriers: readonly AslRetrier[]): number {
  return retriers.reduce((n, r) => n + (r.MaxAttempts ?? 3), 0);
}

/** The errors every Task must retry (proved by `lint.ts`). */
export const REQUIRED_RETRY_ERRORS: readonly string[] = ['Lifeboat.Throttled', 'Lifeboat.Transient', ...LAMBDA_SERVICE_ERRORS, ...LAMBDA_CRASH_ERRORS];

/**
 * The variables a failure path keeps, per scope. Map iterations use their own names, because a
 * state inside an iteration must not shadow the outer scope's variables.
 */
export interface FailureVars {
  /** The failed state's name. */
  readonly step: string;
  /** `$states.errorOutput.Error`. */
  readonly error: string;
  /** `$states.errorOutput.Cause` (absent for some errors). */
  readonly cause: string;
  /** `$states.context.Execution.RedriveCount` when the step failed. */
  readonly redriveCount: string;
}

/** The top level's failure variables. */
export const TOP_FAILURE_VARS: FailureVars = {
  step: 'failedStep',
  error: 'failedError',
  cause: 'failedCause',
  redriveCount: 'failedAtRedriveCount',
};

/** Failure variables of a scope with a prefix (`batch` → `batchFailedStep`, ...). */
export function scopedFailureVars(prefix: string): FailureVars {
  return {
    step: `${prefix}FailedStep`,
    error: `${prefix}FailedError`,
    cause: `${prefix}FailedCause`,
    redriveCount: `${prefix}FailedAtRedriveCount`,
  };
}

/**
 * JSONata: the caught error's cause as an operator should read it. A Lambda function error's
 * cause is the runtime's JSON (`{"errorType": …, "errorMessage": …, "trace": […]}`); only its
 * `errorMessage` is kept (the error name is already `Error`, and the trace is noise mid-incident).
 * Any other cause (States.*, service errors) is kept whole; a missing cause is null.
 *
 * The message is found with a pattern that only matches a complete, validly escaped JSON string,
 * so `$parse` (a Step Functions JSONata function) cannot fail on it, even if Step Functions cut a
 * long cause short; a cause the pattern does not match is kept as it is.
 */
export const CAUGHT_CAUSE_EXPRESSION = String.raw`$exists($states.errorOutput.Cause) ? ($m := $match($states.errorOutput.Cause, /"errorMessage"\s*:\s*"((?:[^"\\]|\\["\\\/bfnrt]|\\u[0-9a-fA-F]{4})*)"/); $count($m) > 0 ? $parse('"' & $m[0].groups[0] & '"') : $states.errorOutput.Cause) : null`;

/** {@link CAUGHT_CAUSE_EXPRESSION} as a field value. */
export const CAUGHT_CAUSE = jsonata(CAUGHT_CAUSE_EXPRESSION);

/**
 * The catch-all of a Task: every error left after its Retry goes to `next` (the scope's
 * `Record failure`), remembering the failed step, the error and cause, and the redrive count.
 *
 * @example catchAll('Copy images', 'Record batch failure', scopedFailureVars('batch'))
 */
export function catchAll(step: string, next: string, vars: FailureVars): AslCatcher {
  return {
    ErrorEquals: ['States.ALL'],
    Assign: {
      [vars.step]: step,
      [vars.error]: jsonata('$states.errorOutput.Error'),
      [vars.cause]: CAUGHT_CAUSE,
      [vars.redriveCount]: jsonata('$states.context.Execution.RedriveCount'),
    },
    Next: next,
  };
}
