import type { JsonValue } from '../schemas/asl.js';
import type { Fragment } from './builders.js';
import { choice, fail, jsonata, lit, objectExpr, str, task } from './builders.js';
import type { FailureVars } from './policies.js';
import { LAMBDA_CRASH_ERRORS, LAMBDA_SERVICE_ERRORS, STANDARD_RETRY } from './policies.js';
import { LIFEBOAT_ERROR_NAMES } from '../schemas/errors.js';

/**
 * What the failure recorder of a final scope catches: every error it can meet except the one it
 * raises on purpose, `Lifeboat.StepFailed`. That one must stay uncaught, so that the run fails *at*
 * `Record failure` and a redrive re-runs it (and resumes); anything else (the recorder itself
 * broken, throttled past its retries, or killed) goes to the scope's Fail state, which still names
 * the failed step and cause. `States.ALL` is not usable here: it would catch `Lifeboat.StepFailed`.
 */
export const RECORDER_CATCH_ERRORS: readonly string[] = [
  ...LIFEBOAT_ERROR_NAMES.filter((name) => name !== 'Lifeboat.StepFailed'),
  ...LAMBDA_SERVICE_ERRORS,
  ...LAMBDA_CRASH_ERRORS,
  'States.Timeout',
  'States.Permissions',
];

/**
 * The failure path of one scope (the top level, or one Map iteration), shared by every workflow.
 *
 * ```
 * <any Task> --Catch States.ALL (Assign step, error, cause, redrive count)--> Record failure
 * Record failure --(isFinal and first time: throws Lifeboat.StepFailed, the run ends FAILED here)
 *                --resume: true (after a redrive)--> Resume after redrive? --> the failed step
 *                --resume: false (drill)-----------> Resume after redrive? --> `otherwise`
 * ```
 *
 * A redrive re-runs the state that failed: `Record failure` itself. Since the execution's redrive
 * count is now above the one remembered when the step failed, `record-failure` answers
 * `resume: true` and the Choice routes back to the failed step; the steps that had finished are
 * not run again.
 */

/** Where a redrive may resume: a failed step and the variables to refresh on the way back. */
export interface ResumeTarget {
  readonly step: string;
  /** Variables to set when resuming there (e.g. a fresh deadline for a loop that timed out). */
  readonly assign?: Record<string, JsonValue>;
}

/** Options of {@link failurePath}. */
export interface FailurePathOptions {
  readonly kind: 'backup' | 'failover' | 'drill' | 'failback';
  readonly planName: string;
  /** The region the run works in (for the failure metric). */
  readonly region: string;
  readonly vars: FailureVars;
  /** State names of this scope's path. */
  readonly names: { readonly record: string; readonly resume: string; readonly failed: string };
  /** True: `record-failure` throws `Lifeboat.StepFailed` (backup, failover); false: the drill goes on. */
  readonly isFinal: boolean;
  /** Every step of the scope a redrive may resume at, in order; empty: no resume (drill). */
  readonly resumable: readonly ResumeTarget[];
  /** Where a run that does not resume goes. @default the scope's Fail state */
  readonly otherwise?: string;
  /** Drill top level: where a failure of `record-failure` itself goes (teardown must still run). */
  readonly recorderCatch?: string;
  /** A description of the scope for the Fail state's cause (e.g. `batch ` + number). */
  readonly causePrefix?: string;
  readonly functionArn: string;
}

/**
 * The cause a Fail state gives: `step "<step>" failed with <error>: <cause>` (JSONata).
 */
export function failureCause(vars: FailureVars, prefix = ''): string {
  const head = prefix === '' ? `'step "'` : `${prefix} & ' step "'`;
  return jsonata(
    `${head} & $${vars.step} & '" failed with ' & $${vars.error} & ($${vars.cause} != null ? ': ' & $${vars.cause} : '')`,
  );
}

/** The states of a scope's failure path: `Record failure`, `Resume after redrive?`, and a Fail state. */
export function failurePath(options: FailurePathOptions): Fragment {
  const { vars, names } = options;
  const recorder = task('record-failure', {
    functionArn: options.functionArn,
    input: jsonata(
      objectExpr(
        {
          kind: str(options.kind),
          planName: str(options.planName),
          region: str(options.region),
          step: `$${vars.step}`,
          error: `$${vars.error}`,
          failedAtRedriveCount: `$${vars.redriveCount}`,
          isFinal: lit(options.isFinal),
        },
        { cause: `$${vars.cause}` },
      ),
    ),
    retry: STANDARD_RETRY,
    next: options.resumable.length > 0 ? names.resume : (options.otherwise ?? names.failed),
    comment: options.isFinal
      ? 'Records the failure and ends the run FAILED (Lifeboat.StepFailed). After a redrive it answers resume: true.'
      : 'Records the failure; the drill then tears down. After a redrive it answers resume: true.',
  });
  if (options.recorderCatch !== undefined) {
    recorder.Catch = [{ ErrorEquals: ['States.ALL'], Next: options.recorderCatch }];
  } else {
    recorder.Catch = [{ ErrorEquals: [...RECORDER_CATCH_ERRORS], Next: options.otherwise ?? names.failed }];
  }
  const states: Fragment = { [names.record]: recorder };
  if (options.resumable.length > 0) {
    states[names.resume] = choice({
      comment: 'After a redrive, go back to the step that failed; finished steps are not run again.',
      rules: options.resumable.map((r) => {
        const rule = { when: `$states.input.resume = true and $${vars.step} = ${str(r.step)}`, next: r.step };
        return r.assign === undefined ? rule : { ...rule, assign: r.assign };
      }),
      otherwise: options.otherwise ?? names.failed,
    });
  }
  if (options.otherwise === undefined) {
    states[names.failed] = fail({ error: 'Lifeboat.StepFailed', cause: failureCause(vars, options.causePrefix) });
  }
  return states;
}
