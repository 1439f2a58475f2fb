import type { AslDefinition, JsonValue } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import type { Fragment } from '../builders.js';
import { choice, distributedMap, fail, fragment, jsonata, lit, literal, map, objectExpr, pass, str, succeed, task, wait } from '../builders.js';
import { failureCause, failurePath } from '../failure.js';
import { CAUGHT_CAUSE, CAUGHT_CAUSE_EXPRESSION, STANDARD_RETRY, TOP_FAILURE_VARS, catchAll } from '../policies.js';
import type { TaskArns } from '../render-context.js';
import { INLINE_MAX_TARGETS, RUN_PREFIX, childWorkflow, storedInput, summarizeResultsInput } from '../scale.js';
import { approvalFor } from '../../schemas/plan-approval.js';
import { APPROVAL_STATES, approvalSteps } from './approval.js';
import { teardownLoop } from './teardown.js';
import { RESTORE_STATES, RESTORE_VARS, TRAFFIC_STATES, TRAFFIC_VARS, drillRestoresTraffic, restoreSteps, trafficLoopReset, trafficSteps } from './traffic.js';
import { drillIsolation, waveIteration } from './wave.js';

/** State names of the failover/drill workflow's top level. */
/**
 * The `assign` and `output` of "Record recovery metrics" (and the failback's): keep the achieved
 * RPO and RTO the task measured (or null) for the run's output.
 */
export const KEEP_ACHIEVED = {
  assign: { achieved: jsonata('$exists($states.result.Payload.achieved) ? $states.result.Payload.achieved : null') },
  output: jsonata('{"achieved": $exists($states.result.Payload.achieved) ? $states.result.Payload.achieved : null}'),
} as const;

export const FAILOVER_STATES = {
  start: 'Start recovery',
  preflight: 'Pre-flight checks',
  preflightPassed: 'Pre-flight passed?',
  preflightBlocked: 'Pre-flight blocked',
  resolve: 'Resolve recovery points',
  waves: 'Launch waves',
  nextWave: 'Next wave?',
  launchWave: 'Launch wave',
  summarizeWave: 'Summarize wave',
  hold: 'Hold drill instances',
  teardownStart: 'Start teardown',
  teardown: 'Tear down drill',
  teardownCheck: 'Drill torn down?',
  teardownWait: 'Wait for teardown',
  metrics: 'Record recovery metrics',
  done: 'Recovery succeeded',
  record: 'Record failure',
  resume: 'Resume after redrive?',
  failed: 'Recovery failed',
  teardownAfterFailureStart: 'Start teardown after failure',
  teardownAfterFailure: 'Tear down after failure',
  teardownAfterFailureCheck: 'Torn down after failure?',
  teardownAfterFailureWait: 'Wait to tear down again',
  teardownFailed: 'Teardown failed',
} as const;

/**
 * The failover workflow (recovery region), in mode `failover` or `drill`.
 *
 * Resolve the newest complete recovery set per workload (or the pinned ones from the optional
 * input `{ "recoveryPoints": { "<workload>": "ami-…" | "<ISO time>" } }`; `{}` works, the plan is
 * baked in), launch the waves in ascending order (a Map, one wave at a time), and record the
 * achieved RTO (time all instances became ready − execution start) and RPO (execution start −
 * the recovery points' time), per workload and overall, against the plan's objectives. The
 * output names the set each workload came from (`sets`) and what was achieved (`achieved`).
 *
 * Drill mode passes the plan's isolation to every launch, holds the instances for
 * `plan.drill.teardown.holdMinutes`, and tears down on every path: after success, after any failed
 * step (`Record failure` with isFinal false → `Tear down after failure` → Fail), after a failed
 * wave (the Map catches), and even when recording the failure fails.
 *
 * With `runBucket` (a distributed run, docs/decisions/0004) the workload table is read from the run
 * bucket (written there at deploy, {@link recoveryTable}, docs/decisions/0021) and
 * `Resolve recovery points` writes each wave's launch batches to the run bucket; the waves then run
 * one after another in a loop (`Next wave?` → `Launch wave` → `Summarize wave`), each a Distributed
 * Map with one child execution per launch batch, so the parent holds counts and S3 locations only:
 * the sets name their first workloads (all of them in `recovery-sets.json`), each ready wave its
 * instance list, and `Record recovery metrics` reads those and writes the whole per-workload result
 * to `achieved.json` (docs/contracts.md, "Distributed runs").
 */
export function failoverDefinition(
  plan: Plan,
  mode: 'failover' | 'drill',
  arns: TaskArns,
  runBucket?: string,
  notifications?: { readonly topicArn: string; readonly cliFlags?: string },
): AslDefinition {
  const s = FAILOVER_STATES;
  const approval = approvalFor(plan.approval, mode);
  if (approval !== undefined && notifications === undefined) {
    throw new Error(`render ${mode} of plan ${JSON.stringify(plan.name)}: the plan's approval applies to a ${mode}, which needs the notifications topic (RenderOptions.notificationTopic); found none`);
  }
  const v = TOP_FAILURE_VARS;
  const isDrill = mode === 'drill';
  const toRecorder = (step: string) => catchAll(step, s.record, v);
  const workloads = literal(recoveryTable(plan).workloads, 'plan.workloads');
  // A drill that exercises the switch on its own names restores them before the teardown, on the
  // success path (after the hold) and on the failure path (first thing).
  const restoresTraffic = drillRestoresTraffic(plan, mode);
  const beforeTeardown = restoresTraffic ? RESTORE_STATES.start : s.teardownStart;
  const afterFailure = restoresTraffic ? RESTORE_STATES.failureStart : s.teardownAfterFailureStart;
  const afterTraffic = isDrill ? (plan.drill.teardown.holdMinutes > 0 ? s.hold : beforeTeardown) : s.metrics;
  // With plan.traffic, every wave ready leads to the traffic switch first.
  const hasTraffic = plan.traffic !== undefined;
  const afterWaves = hasTraffic ? TRAFFIC_STATES.start : afterTraffic;
  const isDistributedRun = runBucket !== undefined;
  const trafficOutput = hasTraffic ? `, "traffic": $${TRAFFIC_VARS.result}${restoresTraffic ? `, "trafficRestore": $${RESTORE_VARS.result}` : ''}` : '';

  const main: Fragment = {
    [s.start]: pass({
      comment: isDrill
        ? 'Run constants. The input is optional: {} works; "recoveryPoints" pins recovery points per workload.'
        : 'Run constants. The input is optional: {} works; "recoveryPoints" pins recovery points per workload; "onBlockingFindings" ("stop" | "proceed") overrides the plan\'s failover.onBlockingFindings.',
      assign: {
        startedAt: jsonata('$states.context.Execution.StartTime'),
        pins: jsonata('$exists($states.input.recoveryPoints) ? $states.input.recoveryPoints : null'),
        // A drill always stops on a blocking finding; a failover as the plan (or the input) says.
        onBlocking: isDrill
          ? 'stop'
          : jsonata(`$states.input.onBlockingFindings = 'proceed' or $states.input.onBlockingFindings = 'stop' ? $states.input.onBlockingFindings : ${str(plan.failover.onBlockingFindings)}`),
        skipWorkloads: null,
        skipReport: null,
        // The failure path's restore reads the switch's output, which a drill failing early never set.
        ...(restoresTraffic ? { [TRAFFIC_VARS.result]: null, [RESTORE_VARS.result]: null } : {}),
        ...(isDistributedRun
          ? { runPrefix: RUN_PREFIX, waveIndex: 0, readyAt: null, readyCount: 0, skippedCount: 0, skipped: [], instanceLists: [], readyWaves: [], missingCount: 0, recoverySets: null }
          : {}),
      },
      next: s.preflight,
    }),
    ...preflightSteps(plan, mode, arns, runBucket, { workloads, toRecorder, next: approval !== undefined ? APPROVAL_STATES.ask : s.resolve }),
    ...(approval !== undefined
      ? approvalSteps({
          plan,
          mode,
          approval,
          arns,
          topicArn: notifications!.topicArn,
          ...(notifications!.cliFlags === undefined ? {} : { cliFlags: notifications!.cliFlags }),
          preflight: '$preflight',
          next: s.resolve,
          record: s.record,
          ...(isDrill ? { teardownAfterFailure: afterFailure } : {}),
        })
      : {}),
    [s.resolve]: task('resolve-recovery-points', {
      functionArn: arns('resolve-recovery-points'),
      input: jsonata(
        objectExpr(
          {
            planName: str(plan.name),
            region: str(plan.recoveryRegion),
            ...(isDistributedRun
              ? { itemStore: `{"bucket": ${str(runBucket)}, "prefix": $runPrefix}`, launchBatchSize: lit(plan.scale.launchBatchSize) }
              : { workloads: JSON.stringify(workloads), ...(plan.scale.mode === 'inline' ? {} : { maxTargets: lit(INLINE_MAX_TARGETS) }) }),
          },
          isDistributedRun ? { pins: '$pins', excludeFrom: '$skipReport' } : { pins: '$pins', exclude: '$skipWorkloads' },
        ),
      ),
      ...(isDistributedRun ? { storedInput: storedInput(plan.name, plan.recoveryRegion, runBucket, recoveryTable(plan)).reference } : {}),
      assign: {
        waves: jsonata('$states.result.Payload.waves'),
        missing: jsonata('$states.result.Payload.missing'),
        oldestRecoveryPointTime: jsonata('$states.result.Payload.oldestRecoveryPointTime'),
        sets: jsonata('$states.result.Payload.sets'),
        // A distributed run: the sets name their first workloads; all of them are in the run bucket.
        ...(isDistributedRun
          ? { missingCount: jsonata('$states.result.Payload.missingCount'), recoverySets: jsonata('$states.result.Payload.recoverySets') }
          : {}),
      },
      output: jsonata(
        '{"waveCount": $count($states.result.Payload.waves), "missing": $states.result.Payload.missing, "oldestRecoveryPointTime": $states.result.Payload.oldestRecoveryPointTime, "sets": $states.result.Payload.sets}',
      ),
      retry: STANDARD_RETRY,
      catch: [toRecorder(s.resolve)],
      next: isDistributedRun ? s.nextWave : s.waves,
      comment: 'Finds the newest complete recovery set of every workload in this region (or the pinned one).',
    }),
    ...(isDistributedRun
      ? distributedWaves(plan, mode, arns, runBucket, { afterWaves, afterFailure, toRecorder })
      : {
          [s.waves]: map({
            comment: 'Waves launch in ascending order, one at a time; workloads within a wave launch together.',
            items: '$waves',
            itemSelector: {
              wave: jsonata('$states.context.Map.Item.Value.wave'),
              targets: jsonata('$states.context.Map.Item.Value.targets'),
            },
            iteration: waveIteration(plan, mode, arns),
            maxConcurrency: 1,
            assign: {
              readyAt: jsonata('$count($states.result) = 0 ? $states.context.State.EnteredTime : $states.result[-1].readyAt'),
              readyCount: jsonata('$sum($append([0], $states.result.readyCount))'),
              skipped: jsonata('[$states.result.skipped]'),
              instances: jsonata('[$states.result.instances]'),
              readyWaves: jsonata('[$states.result.{"wave": wave, "readyAt": readyAt, "workloads": $distinct([instances.workload])}]'),
            },
            output: jsonata('{"readyCount": $sum($append([0], $states.result.readyCount))}'),
            ...(isDrill ? { catch: [catchAll(s.waves, afterFailure, v)] } : {}),
            next: afterWaves,
          }),
        }),
    [s.metrics]: task('record-metrics', {
      functionArn: arns('record-metrics'),
      input: jsonata(
        objectExpr(
          {
            kind: str(mode),
            planName: str(plan.name),
            region: str(plan.recoveryRegion),
            outcome: str('SUCCEEDED'),
            startedAt: '$startedAt',
            readyAt: '$readyAt',
            workloadCount: String(plan.workloads.length),
            objectives: JSON.stringify({ rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }),
            // A distributed run: the task reads the sets and each wave's workloads from the run bucket, and writes the whole result there.
            ...(isDistributedRun
              ? { setsFrom: '$recoverySets', detailsStore: `{"bucket": ${str(runBucket)}, "key": $runPrefix & '/achieved.json'}` }
              : { sets: '$sets' }),
            waves: '$readyWaves',
          },
          { recoveryPointTime: '$oldestRecoveryPointTime' },
        ),
      ),
      ...KEEP_ACHIEVED,
      retry: STANDARD_RETRY,
      catch: [toRecorder(s.metrics)],
      next: s.done,
      comment: 'Publishes the achieved RTO (readyAt − startedAt) and RPO (startedAt − recovery-point time), per workload too, and RecoverySucceeded.',
    }),
    [s.done]: succeed({
      output: jsonata(
        isDistributedRun
          ? `{"planName": ${str(plan.name)}, "mode": ${str(mode)}, "startedAt": $startedAt, "readyAt": $readyAt, "recoveryTimeSeconds": ($toMillis($readyAt) - $toMillis($startedAt)) / 1000, "readyCount": $readyCount, "skippedCount": $skippedCount, "skipped": $skipped, "missing": $missing, "missingCount": $missingCount, "oldestRecoveryPointTime": $oldestRecoveryPointTime, "sets": $sets, "recoverySets": $recoverySets, "achieved": $achieved, "instanceLists": $instanceLists, ${PREFLIGHT_SUMMARY}${trafficOutput}}`
          : `{"planName": ${str(plan.name)}, "mode": ${str(mode)}, "startedAt": $startedAt, "readyAt": $readyAt, "recoveryTimeSeconds": ($toMillis($readyAt) - $toMillis($startedAt)) / 1000, "readyCount": $readyCount, "skipped": $skipped, "missing": $missing, "oldestRecoveryPointTime": $oldestRecoveryPointTime, "sets": $sets, "achieved": $achieved, "instances": $instances, ${PREFLIGHT_SUMMARY}${trafficOutput}}`,
      ),
    }),
  };

  const traffic: Fragment = hasTraffic
    ? trafficSteps(plan, mode, arns, { done: afterTraffic, catch: toRecorder(TRAFFIC_STATES.task), isDistributedRun })
    : {};

  const drillOnly: Fragment = isDrill
    ? {
        ...(plan.drill.teardown.holdMinutes > 0
          ? {
              [s.hold]: wait({
                seconds: plan.drill.teardown.holdMinutes * 60,
                next: beforeTeardown,
                comment: 'Keeps the drill instances up for inspection (plan.drill.teardown.holdMinutes).',
              }),
            }
          : {}),
        ...teardownLoop({
          plan,
          arns,
          names: { start: s.teardownStart, task: s.teardown, check: s.teardownCheck, wait: s.teardownWait },
          done: s.metrics,
          catch: toRecorder(s.teardown),
          comment: "Terminates every instance this drill launched (by the execution's tags), then confirms none is left running.",
        }),
        ...teardownLoop({
          plan,
          arns,
          names: {
            start: s.teardownAfterFailureStart,
            task: s.teardownAfterFailure,
            check: s.teardownAfterFailureCheck,
            wait: s.teardownAfterFailureWait,
          },
          done: s.failed,
          catch: {
            ErrorEquals: ['States.ALL'],
            Assign: {
              teardownError: jsonata('$states.errorOutput.Error'),
              teardownCause: CAUGHT_CAUSE,
            },
            Next: s.teardownFailed,
          },
          comment: 'The drill failed: terminate whatever it launched, and confirm it, before ending FAILED.',
        }),
        [s.teardownFailed]: fail({
          error: 'Lifeboat.StepFailed',
          cause: jsonata(
            `${failureCauseBody()} & '; then tearing down failed with ' & $teardownError & ($teardownCause != null ? ': ' & $teardownCause : '') & '. Drill instances tagged with this execution may remain: the collector terminates them on its next run (lifeboat collect --plan FILE), or terminate them by the tag lifeboat:execution-arn.'`,
          ),
        }),
        [s.failed]: fail({ error: 'Lifeboat.StepFailed', cause: failureCause(v) }),
        ...(restoresTraffic
          ? {
              ...restoreSteps(plan, arns, { isFailurePath: false, done: s.teardownStart, catch: toRecorder(RESTORE_STATES.task) }),
              ...restoreSteps(plan, arns, {
                isFailurePath: true,
                done: s.teardownAfterFailureStart,
                // The restore failed too: say so in the run's cause, and tear down all the same.
                catch: {
                  ErrorEquals: ['States.ALL'],
                  Assign: {
                    [v.cause]: jsonata(
                      `($${v.cause} != null ? $${v.cause} & '; ' : '') & 'then restoring the drill traffic failed with ' & $states.errorOutput.Error & ($restoreCause := (${CAUGHT_CAUSE_EXPRESSION}); $restoreCause != null ? ': ' & $restoreCause : '') & '. Put the drill records back with lifeboat traffic undo --plan FILE --execution <this execution>'`,
                    ),
                  },
                  Next: s.teardownAfterFailureStart,
                },
              }),
            }
          : {}),
      }
    : {};

  const failure = failurePath({
    kind: mode,
    planName: plan.name,
    region: plan.recoveryRegion,
    vars: v,
    names: { record: s.record, resume: s.resume, failed: s.failed },
    isFinal: !isDrill,
    resumable: isDrill
      ? []
      : [
          { step: s.preflight },
          { step: s.resolve },
          ...(isDistributedRun ? [{ step: s.summarizeWave }] : []),
          // The switch resumes with its last pass ($traffic): records already switched are not changed again.
          ...(hasTraffic ? [{ step: TRAFFIC_STATES.task, assign: trafficLoopReset(plan) }] : []),
          { step: s.metrics },
        ],
    ...(isDrill ? { otherwise: afterFailure, recorderCatch: afterFailure } : {}),
    functionArn: arns('record-failure'),
  });

  return {
    Comment: `Lifeboat ${mode} of plan ${JSON.stringify(plan.name)} in ${plan.recoveryRegion}.`,
    QueryLanguage: 'JSONata',
    StartAt: s.start,
    States: fragment(main, traffic, drillOnly, failure),
  };
}

/**
 * JSONata, in the Succeed output: what pre-flight found and which workloads the run skipped
 * because of it (a failover that proceeded; at most 50 listed in a distributed run, the report has all).
 */
const PREFLIGHT_SUMMARY =
  '"preflight": {"blocking": $preflight.blocking, "warnings": $preflight.warnings, "predictedRtoSeconds": $preflight.predictedRtoSeconds}, "preflightSkipped": $skipWorkloads = null ? [] : $skipWorkloads';

/**
 * `Pre-flight checks` (the `preflight` task: checks the plan against the recovery region, changes
 * nothing) and `Pre-flight passed?`. The task's output is the state's output, `{ "preflight": … }`
 * (the contract of docs/contracts.md, "Pre-flight"), and the variable `$preflight`.
 *
 * Blocking findings stop a drill, and a failover unless `$onBlocking` is `proceed`: `Pre-flight
 * blocked` sets the failure variables (step `Pre-flight checks`, error `Lifeboat.PreflightBlocked`,
 * a cause naming the first findings) and goes to `Record failure`, so the run ends FAILED through
 * the usual failure path, having launched nothing; a redrive re-runs the checks. A failover that
 * proceeds leaves the blocked workloads out of `Resolve recovery points` (`$skipWorkloads`, or the
 * report in the run bucket, `$skipReport`).
 */
function preflightSteps(
  plan: Plan,
  mode: 'failover' | 'drill',
  arns: TaskArns,
  runBucket: string | undefined,
  o: { workloads: JsonValue; toRecorder: (step: string) => ReturnType<typeof catchAll>; next: string },
): Fragment {
  const s = FAILOVER_STATES;
  const v = TOP_FAILURE_VARS;
  const isDistributedRun = runBucket !== undefined;
  const required: Record<string, string> = {
    planName: str(plan.name),
    region: str(plan.recoveryRegion),
    mode: str(mode),
    objectives: JSON.stringify({ rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }),
    rtoModel: JSON.stringify(plan.preflight.rtoModel),
    measuredDrills: lit(plan.preflight.measuredDrills),
    ...(plan.backup.kmsKeyId !== undefined ? { kmsKeyId: str(plan.backup.kmsKeyId) } : {}),
    ...(mode === 'drill' ? { isolation: JSON.stringify(drillIsolation(plan)) } : {}),
    ...(Object.keys(plan.tags).length > 0 ? { tags: JSON.stringify(plan.tags) } : {}),
    ...(isDistributedRun ? { reportStore: `{"bucket": ${str(runBucket)}, "prefix": $runPrefix}` } : { workloads: JSON.stringify(o.workloads) }),
  };
  const firstFindings =
    "$join($preflight.findings[severity = 'blocking'][[0..2]].(workload & ' ' & check & ': expected ' & expected & ', found ' & found), '; ')";
  return {
    [s.preflight]: task('preflight', {
      functionArn: arns('preflight'),
      input: jsonata(objectExpr(required, { pins: '$pins' })),
      ...(isDistributedRun ? { storedInput: storedInput(plan.name, plan.recoveryRegion, runBucket, recoveryTable(plan)).reference } : {}),
      assign: { preflight: jsonata('$states.result.Payload') },
      output: jsonata('{"preflight": $states.result.Payload}'),
      retry: STANDARD_RETRY,
      catch: [o.toRecorder(s.preflight)],
      next: s.preflightPassed,
      comment: 'Checks the plan against this region, changing nothing: recovery sets and their age, KMS key, network, key pairs, profiles, type offerings, vCPU quota, DryRun launches, predicted RTO.',
    }),
    [s.preflightPassed]: choice({
      comment: mode === 'drill' ? 'A blocking finding stops the drill before it launches anything.' : 'A blocking finding stops the failover, unless the plan or the input says to proceed with what can be recovered.',
      rules: [
        { when: "$preflight.blocking > 0 and $onBlocking != 'proceed'", next: s.preflightBlocked },
        ...(mode === 'drill' ? [] : [{
          when: '$preflight.blocking > 0',
          next: o.next,
          assign: {
            // '*' (the plan as a whole) blocks no workload in particular: the run tries them all.
            skipWorkloads: jsonata("[$preflight.blockedWorkloads[$ != '*']]"),
            skipReport: jsonata('$exists($preflight.report) ? $preflight.report : null'),
          },
        }]),
      ],
      otherwise: o.next,
    }),
    [s.preflightBlocked]: pass({
      comment: 'Ends the run FAILED through the failure path, naming the blocking findings.',
      assign: {
        [v.step]: s.preflight,
        [v.error]: 'Lifeboat.PreflightBlocked',
        [v.cause]: jsonata(
          `$string($preflight.blocking) & ' blocking pre-flight finding(s), nothing launched: ' & ${firstFindings} & ($preflight.blocking > 3 ? '; …' : '') & '. Fix them and redrive, or run lifeboat preflight --plan FILE${mode === 'drill' ? ' --drill' : ''} for the whole list${mode === 'drill' ? '' : '; to recover what can be, start with {\"onBlockingFindings\": \"proceed\"}'}'`,
        ),
        [v.redriveCount]: jsonata('$states.context.Execution.RedriveCount'),
      },
      next: s.record,
    }),
  };
}

/**
 * The distributed waves: a loop over the resolved waves, in ascending order. Each pass launches
 * one wave as a Distributed Map (a child execution per launch batch, the wave iteration behind a
 * first Pass), then `Summarize wave` reads the children's results and adds them up: `readyAt` of
 * the last wave, ready and skipped counts, and where each wave's instance list is.
 */
function distributedWaves(
  plan: Plan,
  mode: 'failover' | 'drill',
  arns: TaskArns,
  runBucket: string,
  o: { afterWaves: string; afterFailure: string; toRecorder: (step: string) => ReturnType<typeof catchAll> },
): Fragment {
  const s = FAILOVER_STATES;
  const isDrill = mode === 'drill';
  return {
    [s.nextWave]: choice({
      comment: 'Waves launch in ascending order, one at a time.',
      rules: [
        {
          when: '$waveIndex >= $count($waves)',
          next: o.afterWaves,
          // With no wave at all, the run is ready as soon as it has nothing to launch.
          assign: { readyAt: jsonata('$readyAt = null ? $states.context.State.EnteredTime : $readyAt') },
        },
      ],
      otherwise: s.launchWave,
    }),
    [s.launchWave]: distributedMap({
      comment: "Launches one wave: a child execution per launch batch, all of the wave's batches at once (up to scale.maxConcurrentLaunchBatches).",
      itemReader: { bucket: runBucket, key: jsonata('$waves[$waveIndex].items.key') },
      itemSelector: {
        wave: jsonata('$states.context.Map.Item.Value.wave'),
        batch: jsonata('$states.context.Map.Item.Value.batch'),
        targets: jsonata('$states.context.Map.Item.Value.targets'),
        runExecutionArn: jsonata('$states.context.Execution.Id'),
      },
      iteration: childWorkflow(waveIteration(plan, mode, arns), { start: 'Start launch batch' }),
      maxConcurrency: plan.scale.maxConcurrentLaunchBatches,
      resultWriter: { bucket: runBucket, prefix: jsonata("$runPrefix & '/wave-' & $waves[$waveIndex].wave") },
      label: 'wave',
      assign: { waveResults: jsonata('$states.result.ResultWriterDetails') },
      output: jsonata('{"mapRunArn": $states.result.MapRunArn}'),
      ...(isDrill ? { catch: [catchAll(s.launchWave, o.afterFailure, TOP_FAILURE_VARS)] } : {}),
      next: s.summarizeWave,
    }),
    [s.summarizeWave]: task('summarize-results', {
      functionArn: arns('summarize-results'),
      input: summarizeResultsInput({
        kind: 'launch-wave',
        planName: plan.name,
        region: plan.recoveryRegion,
        resultsVariable: 'waveResults',
        runBucket,
        storeKey: jsonata("$runPrefix & '/wave-' & $waves[$waveIndex].wave & '-instances.json'"),
      }),
      assign: {
        readyAt: jsonata('$states.result.Payload.readyAt != null ? $states.result.Payload.readyAt : $readyAt'),
        readyCount: jsonata('$readyCount + $states.result.Payload.readyCount'),
        skippedCount: jsonata('$skippedCount + $states.result.Payload.skippedCount'),
        // The array constructor keeps an empty or one-element slice an array (JSONata unwraps singletons).
        skipped: jsonata('[$append($skipped, $states.result.Payload.skipped)[[0..49]]]'),
        instanceLists: jsonata('[$append($instanceLists, [$states.result.Payload.records])]'),
        readyWaves: jsonata(
          '$states.result.Payload.readyAt = null ? $readyWaves : [$append($readyWaves, [{"wave": $waves[$waveIndex].wave, "readyAt": $states.result.Payload.readyAt, "records": $states.result.Payload.records, "workloadCount": $states.result.Payload.workloadCount}])]',
        ),
        waveIndex: jsonata('$waveIndex + 1'),
      },
      output: jsonata('{"wave": $waves[$waveIndex].wave, "readyCount": $states.result.Payload.readyCount, "readyAt": $states.result.Payload.readyAt}'),
      retry: STANDARD_RETRY,
      catch: [o.toRecorder(s.summarizeWave)],
      next: s.nextWave,
      comment: "Reads the wave's launch results from the run bucket and adds up readiness; the instance list stays in S3.",
    }),
  };
}

/** The body of {@link failureCause} for the top level, without the `{% %}`. */
function failureCauseBody(): string {
  return failureCause(TOP_FAILURE_VARS).slice(3, -3);
}

/**
 * The workload table `resolve-recovery-points` and `preflight` take: name, criticality, wave and
 * launch settings of every workload. A distributed plan's is stored in the run bucket at deploy
 * (`planObjects` in workflows/render.ts).
 */
export function recoveryTable(plan: Plan): { workloads: { [key: string]: JsonValue }[] } {
  return { workloads: plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical, wave: w.wave, launch: launchInput(w.launch) })) };
}

/** A workload's launch settings as `resolve-recovery-points` and `launch-in-region` take them (defaults filled, no undefined). */
export function launchInput(launch: Plan['workloads'][number]['launch']): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {
    subnetIds: [...launch.subnetIds],
    securityGroupIds: [...launch.securityGroupIds],
    instanceTypes: [...launch.instanceTypes],
  };
  if (launch.keyName !== undefined) out.keyName = launch.keyName;
  if (launch.instanceProfileArn !== undefined) out.instanceProfileArn = launch.instanceProfileArn;
  if (launch.launchTemplate !== undefined) {
    const lt: { [key: string]: JsonValue } = {};
    if (launch.launchTemplate.id !== undefined) lt.id = launch.launchTemplate.id;
    if (launch.launchTemplate.name !== undefined) lt.name = launch.launchTemplate.name;
    lt.version = launch.launchTemplate.version;
    out.launchTemplate = lt;
  }
  return out;
}
