import type { AslDefinition } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import { fail, fragment, jsonata, literal, str, succeed, task } from '../builders.js';
import { STANDARD_RETRY } from '../policies.js';
import type { TaskArns } from '../render-context.js';
import { rpoTable, storedInput } from '../scale.js';

/** State names of the RPO publisher. */
export const PUBLISH_RPO_STATES = {
  publish: 'Publish RPO',
  done: 'RPO published',
  failed: 'Publishing failed',
} as const;

/**
 * How often the RPO publisher runs (`lifeboat-<plan>-publish-rpo`, on an EventBridge Scheduler
 * schedule in the recovery stack). The `rpo-breached` alarm's period is three of these, so one
 * missed publication does not fire it, and a stopped publisher does (missing data breaches).
 */
export const PUBLISH_RPO_INTERVAL_MINUTES = 5;

/**
 * The RPO publisher (recovery region): one `publish-rpo` call that measures, per workload, the
 * age of the newest restorable recovery set by tags and publishes `RecoveryPointAgeSeconds`, so
 * the RPO is known between backups. It is not a run: a failure is not recorded with
 * `record-failure` (no run kind to count it against); the alarm sees the missing data instead.
 *
 * With `runBucket` (a distributed plan) the whole per-workload report is written to
 * `runs/<state machine>/<execution>/rpo.json`, the same prefix as a run's objects (`RUN_PREFIX`),
 * and the output lists only the oldest sets' first workloads with their counts
 * (docs/contracts.md, "RPO report").
 */
export function publishRpoDefinition(plan: Plan, arns: TaskArns, runBucket?: string): AslDefinition {
  const s = PUBLISH_RPO_STATES;
  return {
    Comment: `Lifeboat RPO publisher of plan ${JSON.stringify(plan.name)} in ${plan.recoveryRegion}: every ${PUBLISH_RPO_INTERVAL_MINUTES} minutes.`,
    QueryLanguage: 'JSONata',
    StartAt: s.publish,
    States: fragment({
      [s.publish]: task('publish-rpo', {
        functionArn: arns('publish-rpo'),
        input: {
          planName: plan.name,
          region: plan.recoveryRegion,
          rpoMinutes: plan.objectives.rpoMinutes,
          ...(runBucket === undefined ? { workloads: literal(rpoTable(plan).workloads, 'plan.workloads') } : {}),
          // One object per execution, so that each output's `details` names what that execution measured; the bucket's lifecycle expires them.
          ...(runBucket === undefined ? {} : { detailsStore: jsonata(`{"bucket": ${str(runBucket)}, "key": 'runs/' & $states.context.StateMachine.Name & '/' & $states.context.Execution.Name & '/rpo.json'}`) }),
        },
        // A distributed plan's thousands of workloads are read from the run bucket (docs/decisions/0021).
        ...(runBucket === undefined ? {} : { storedInput: storedInput(plan.name, plan.recoveryRegion, runBucket, rpoTable(plan)).reference }),
        output: jsonata('{"rpo": $states.result.Payload.rpo}'),
        retry: STANDARD_RETRY,
        catch: [{ ErrorEquals: ['States.ALL'], Next: s.failed }],
        next: s.done,
        comment: "Measures every workload's recovery point age in this region and publishes RecoveryPointAgeSeconds.",
      }),
      [s.done]: succeed({ output: jsonata('$states.input') }),
      [s.failed]: fail({
        error: 'Lifeboat.StepFailed',
        cause: jsonata(`'step "${s.publish}" failed with ' & $states.input.Error & ': ' & ($exists($states.input.Cause) ? $states.input.Cause : '')`),
      }),
    }),
  };
}
