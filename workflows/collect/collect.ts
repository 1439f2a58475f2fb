import type { AslDefinition } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import { choice, fail, fragment, jsonata, pass, str, succeed, task, wait } from '../builders.js';
import { CAUGHT_CAUSE, STANDARD_RETRY } from '../policies.js';
import type { TaskArns } from '../render-context.js';

/** State names of the collector. */
export const COLLECT_STATES = {
  start: 'Start collection',
  collect: 'Collect leftovers',
  check: 'Collected everything?',
  wait: 'Wait to collect again',
  done: 'Collection done',
  failed: 'Collection failed',
} as const;

/** Most passes of one collector run; what is still deferred after them waits for the next scheduled run. */
export const COLLECT_MAX_PASSES = 10;

/** Seconds between passes (a deferred item was throttled: give EC2 a minute). */
export const COLLECT_WAIT_SECONDS = 60;

/** Default grace after a backup closed before its images and snapshots are collected: 24 hours (it may still be redriven). */
export const COLLECT_DEFAULT_GRACE_MINUTES = 1440;

/** Most removals per pass. */
export const COLLECT_MAX_REMOVALS = 200;

/**
 * The collector of one region (`lifeboat-<plan>-collect`, in the primary and in the recovery
 * region, on a schedule): `Start collection` → `Collect leftovers` ⇄ `Collected everything?` ⇄
 * `Wait to collect again` → `Collection done`, at most {@link COLLECT_MAX_PASSES} passes.
 *
 * Input, all optional: `{ "dryRun": true }` lists what would be removed in one pass and removes
 * nothing; `{ "graceMinutes": n }` overrides the 24-hour grace after a backup closed. The output
 * (and the history) records every removal: counts by kind, the first resources removed with the
 * execution each belonged to, what was kept because it is running or recent, and what was
 * deferred. A failed pass ends the run FAILED at `Collection failed` naming the error.
 *
 * History: at most 2 + 10 × 9 + 2 ≈ 100 events.
 */
export function collectorDefinition(plan: Plan, region: string, arns: TaskArns): AslDefinition {
  const s = COLLECT_STATES;
  const states = fragment({
    [s.start]: pass({
      comment: 'Input is optional: {"dryRun": true} lists without removing; {"graceMinutes": n} overrides the grace after a backup closed.',
      assign: {
        isDryRun: jsonata('$type($states.input) = "object" and $states.input.dryRun = true'),
        graceMinutes: jsonata(
          `$type($states.input) = "object" and $type($states.input.graceMinutes) = "number" ? $states.input.graceMinutes : ${COLLECT_DEFAULT_GRACE_MINUTES}`,
        ),
        passes: 0,
        counts: jsonata('{"instances": 0, "images": 0, "snapshots": 0}'),
        removed: jsonata('[]'),
      },
      next: s.collect,
    }),
    [s.collect]: task('collect', {
      functionArn: arns('collect'),
      input: jsonata(
        `{"planName": ${str(plan.name)}, "region": ${str(region)}, "copiesRegion": ${region === plan.primaryRegion && region !== plan.recoveryRegion ? str(plan.recoveryRegion) : 'null'}, "isDryRun": $isDryRun, "graceMinutes": $graceMinutes, "collectedBy": $states.context.Execution.Id, "maxRemovals": $isDryRun ? 1000 : ${COLLECT_MAX_REMOVALS}}`,
      ),
      assign: {
        counts: jsonata(
          '{"instances": $counts.instances + $states.result.Payload.counts.instances, "images": $counts.images + $states.result.Payload.counts.images, "snapshots": $counts.snapshots + $states.result.Payload.counts.snapshots}',
        ),
        // The first 100 removals of the run (a slice of an empty array would be nothing, not []).
        removed: jsonata(
          '$count($append($removed, $states.result.Payload.removed)) > 100 ? $append($removed, $states.result.Payload.removed)[[0..99]] : $append($removed, $states.result.Payload.removed)',
        ),
        keptRunning: jsonata('$states.result.Payload.keptRunning'),
        keptRecent: jsonata('$states.result.Payload.keptRecent'),
        deferred: jsonata('$states.result.Payload.deferred'),
        lastError: jsonata('$states.result.Payload.lastError'),
      },
      output: jsonata('{"isComplete": $states.result.Payload.isComplete, "counts": $states.result.Payload.counts, "deferred": $states.result.Payload.deferred}'),
      retry: STANDARD_RETRY,
      catch: [
        {
          ErrorEquals: ['States.ALL'],
          Assign: {
            collectError: jsonata('$states.errorOutput.Error'),
            collectCause: CAUGHT_CAUSE,
          },
          Next: s.failed,
        },
      ],
      next: s.check,
      comment: "Removes what finished runs left behind in this region; never anything of a running execution or a verified recovery point.",
    }),
    [s.check]: choice({
      rules: [{ when: `$isDryRun or $states.input.isComplete = true or $passes >= ${COLLECT_MAX_PASSES - 1}`, next: s.done }],
      otherwise: s.wait,
    }),
    [s.wait]: wait({ seconds: COLLECT_WAIT_SECONDS, assign: { passes: jsonata('$passes + 1') }, next: s.collect }),
    [s.done]: succeed({
      output: jsonata(
        `{"planName": ${str(plan.name)}, "region": ${str(region)}, "isDryRun": $isDryRun, "passes": $passes + 1, "counts": $counts, "removed": $removed, "keptRunning": $keptRunning, "keptRecent": $keptRecent, "deferred": $deferred, "lastError": $lastError}`,
      ),
    }),
    [s.failed]: fail({
      error: 'Lifeboat.StepFailed',
      cause: jsonata(`'step "${s.collect}" failed with ' & $collectError & ($collectCause != null ? ': ' & $collectCause : '')`),
    }),
  });
  return {
    Comment: `Lifeboat collector of plan ${JSON.stringify(plan.name)} in ${region}: removes what finished runs left behind.`,
    QueryLanguage: 'JSONata',
    StartAt: s.start,
    States: states,
  };
}
