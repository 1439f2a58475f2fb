import type { AslDefinition, JsonValue } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import type { Fragment } from '../builders.js';
import { fragment, jsonata, lit, literal, map, objectExpr, pass, str, succeed, task, wait } from '../builders.js';
import { approvalFor } from '../../schemas/plan-approval.js';
import { batchIteration, type BatchRoute } from '../backup/batch.js';
import { APPROVAL_STATES, approvalSteps } from '../failover/approval.js';
import { KEEP_ACHIEVED, launchInput } from '../failover/failover.js';
import { TRAFFIC_STATES, TRAFFIC_VARS, trafficLoopReset, trafficSteps } from '../failover/traffic.js';
import { waveIteration } from '../failover/wave.js';
import { failurePath } from '../failure.js';
import { TEARDOWN_WAIT, deadlineExpr, pollLoop } from '../loops.js';
import { failbackCopyQueuedWaitSeconds } from '../budget.js';
import { STANDARD_RETRY, TOP_FAILURE_VARS, catchAll } from '../policies.js';
import type { TaskArns } from '../render-context.js';
import { INLINE_MAX_TARGETS } from '../scale.js';

/** State names of the failback workflow's top level (the batch and wave iterations keep theirs). */
export const FAILBACK_STATES = {
  start: 'Start failback',
  find: 'Find recovered instances',
  backup: 'Back up recovered instances',
  planWaves: 'Plan failback waves',
  waves: 'Launch failback waves',
  hold: 'Hold recovery instances',
  retireStart: 'Start retiring',
  retire: 'Retire recovery instances',
  retired: 'Recovery instances retired?',
  retireWait: 'Wait for retirement',
  metrics: 'Record failback metrics',
  done: 'Failback succeeded',
  record: 'Record failure',
  resume: 'Resume after redrive?',
  failed: 'Failback failed',
} as const;

/** How long the retire loop keeps confirming before it fails naming what is still up. */
export const RETIRE_TIMEOUT_MINUTES = 120;

/**
 * The failback's copy route: image the recovered instances in the recovery region, copy them back
 * to the primary region (encrypted, with `failback.kmsKeyId` there when set), verify them there.
 */
export function failbackRoute(plan: Plan): BatchRoute {
  const key = plan.failback?.kmsKeyId;
  return { kind: 'failback', sourceRegion: plan.recoveryRegion, targetRegion: plan.primaryRegion, ...(key !== undefined ? { kmsKeyId: key } : {}) };
}

/**
 * The failback workflow (`lifeboat-<plan>-failback`, recovery region; docs/decisions/0013-failback.md).
 *
 * ```
 * Start failback → Find recovered instances (the last failover's running instances, by tags)
 * → Back up recovered instances (the backup's batch iteration, regions swapped: image in the
 *   recovery region, copy to the primary, verify there)
 * → Plan failback waves (the verified copies + the plan's failback.launch, in the plan's waves)
 * → Launch failback waves (the failover's wave iteration in mode failback, in the primary region)
 * → Hold recovery instances (failback.retire.holdMinutes) → Retire recovery instances (stop or
 *   terminate, confirmed) → Record failback metrics (RPO: the images' age when the launch
 *   started; RTO: last wave ready − start) → Failback succeeded
 * ```
 *
 * The input is optional: `{}` fails back the newest failover; `{"failoverExecution": "<ARN>"}`
 * names one. Every Task retries and catches into `Record failure`, which ends the run FAILED at
 * that state; a redrive resumes at the failed step (a failed batch or wave resumes inside its own
 * iteration). Nothing in the primary region is touched before the copies are verified, and the
 * recovery instances are retired only after the primary's are ready and the hold is over.
 *
 * Where later steps go: an approval step belongs between `Plan failback waves` and `Launch
 * failback waves` (nothing in the primary region has been launched yet), a traffic switch back
 * between `Launch failback waves` and the hold (the recovery instances still serve until then).
 * Checks a wave makes come with {@link waveIteration}, which failover, drill and failback share.
 */
export function failbackDefinition(plan: Plan, arns: TaskArns, notifications?: { readonly topicArn: string; readonly cliFlags?: string }): AslDefinition {
  const settings = plan.failback;
  if (settings === undefined) {
    throw new Error(`render failback of plan ${JSON.stringify(plan.name)}: the plan has no "failback" section; add failback.launch (the primary region's launch settings per workload) to fail back`);
  }
  const approval = approvalFor(plan.approval, 'failback');
  if (approval !== undefined && notifications === undefined) {
    throw new Error(`render failback of plan ${JSON.stringify(plan.name)}: the plan's approval applies to a failback, which needs the notifications topic (RenderOptions.notificationTopic); found none`);
  }
  const back = settings.traffic;
  const s = FAILBACK_STATES;
  const v = TOP_FAILURE_VARS;
  const toRecorder = (step: string) => catchAll(step, s.record, v);
  const hold = settings.retire.holdMinutes;
  const table = literal(
    Object.fromEntries(
      plan.workloads.map((w) => [w.name, { wave: w.wave, isCritical: w.critical, launch: launchInput(settings.launch[w.name]) }]),
    ) as { [key: string]: JsonValue },
    'plan.failback.launch',
  );
  const workloads = plan.workloads.map((w) => ({ name: w.name, isCritical: w.critical }));

  const main: Fragment = {
    [s.start]: pass({
      comment: 'Run constants. The input is optional: {} fails back the newest failover; "failoverExecution" names one. The images are taken now.',
      assign: {
        startedAt: jsonata('$states.context.Execution.StartTime'),
        recoveryPointTime: jsonata('$states.context.Execution.StartTime'),
        failoverPin: jsonata('$exists($states.input.failoverExecution) ? $states.input.failoverExecution : null'),
      },
      next: s.find,
    }),
    [s.find]: task('find-recovered-instances', {
      functionArn: arns('find-recovered-instances'),
      input: jsonata(
        objectExpr(
          {
            planName: str(plan.name),
            region: str(plan.recoveryRegion),
            workloads: lit(literal(workloads, 'plan.workloads')),
            batchSize: lit(plan.backup.batchSize),
            maxTargets: lit(INLINE_MAX_TARGETS),
          },
          { failoverExecutionArn: '$failoverPin' },
        ),
      ),
      assign: {
        batches: jsonata('$states.result.Payload.batches'),
        recoveredIds: jsonata('$states.result.Payload.instanceIds'),
        failoverExecutionArn: jsonata('$states.result.Payload.failoverExecutionArn'),
        missing: jsonata('$states.result.Payload.missing'),
        missingCount: jsonata('$states.result.Payload.missingCount'),
      },
      output: jsonata(
        '{"failoverExecutionArn": $states.result.Payload.failoverExecutionArn, "targetCount": $states.result.Payload.targetCount, "missing": $states.result.Payload.missing, "missingCount": $states.result.Payload.missingCount, "others": $states.result.Payload.others}',
      ),
      retry: STANDARD_RETRY,
      catch: [toRecorder(s.find)],
      next: s.backup,
      comment: "Finds the running instances of the last failover in this region by the lineage tags it set on them.",
    }),
    [s.backup]: map({
      comment: 'The backup batch iteration in the other direction: image here, copy to the primary region (encrypted), verify there.',
      items: '$batches',
      itemSelector: {
        targets: jsonata('$states.context.Map.Item.Value'),
        batch: jsonata('$states.context.Map.Item.Index + 1'),
      },
      iteration: batchIteration(plan, arns, failbackRoute(plan), failbackCopyQueuedWaitSeconds(plan)),
      maxConcurrency: plan.backup.maxConcurrentBatches,
      assign: { verified: jsonata('[$states.result.verified]') },
      output: jsonata('{"verifiedCount": $count([$states.result.verified])}'),
      next: s.planWaves,
    }),
    [s.planWaves]: pass({
      comment: "Turns the verified copies into launch targets with the plan's failback.launch settings (the primary region's), in the plan's waves.",
      assign: {
        waves: jsonata(
          [
            '(',
            `$table := ${lit(table)};`,
            '$targets := [$verified.($w := $lookup($table, workload); {"workload": workload, "sourceInstanceId": instanceId, "imageId": imageId, "recoveryPointTime": $recoveryPointTime, "isCritical": $w.isCritical, "launch": $w.launch, "wave": $w.wave})];',
            '[$sort($distinct([$targets.wave])).($n := $; {"wave": $n, "targets": [$targets[wave = $n].{"workload": workload, "sourceInstanceId": sourceInstanceId, "imageId": imageId, "recoveryPointTime": recoveryPointTime, "isCritical": isCritical, "launch": launch}]})]',
            ')',
          ].join(' '),
        ),
      },
      output: jsonata('{"targetCount": $count($verified)}'),
      next: approval !== undefined ? APPROVAL_STATES.ask : s.waves,
    }),
    ...(approval !== undefined
      ? approvalSteps({
          plan,
          mode: 'failback',
          approval,
          arns,
          topicArn: notifications!.topicArn,
          ...(notifications!.cliFlags === undefined ? {} : { cliFlags: notifications!.cliFlags }),
          preflight: 'null',
          next: s.waves,
          record: s.record,
        })
      : {}),
    [s.waves]: map({
      comment: "The failover's wave iteration in mode failback: waves in ascending order, launched into the primary region until ready.",
      items: '$waves',
      itemSelector: {
        wave: jsonata('$states.context.Map.Item.Value.wave'),
        targets: jsonata('$states.context.Map.Item.Value.targets'),
      },
      iteration: waveIteration(plan, 'failback', arns),
      maxConcurrency: 1,
      assign: {
        // The recovery-side images are restored from here on: the RPO is their age at this moment.
        launchStartedAt: jsonata('$states.context.State.EnteredTime'),
        readyAt: jsonata('$count($states.result) = 0 ? $states.context.State.EnteredTime : $states.result[-1].readyAt'),
        readyCount: jsonata('$sum($append([0], $states.result.readyCount))'),
        skipped: jsonata('[$states.result.skipped]'),
        instances: jsonata('[$states.result.instances]'),
        readyWaves: jsonata('[$states.result.{"wave": wave, "readyAt": readyAt, "workloads": $distinct([instances.workload])}]'),
      },
      output: jsonata('{"readyCount": $sum($append([0], $states.result.readyCount))}'),
      next: back !== undefined ? TRAFFIC_STATES.start : hold > 0 ? s.hold : s.retireStart,
    }),
    ...(back !== undefined
      ? trafficSteps(plan, 'failback', arns, {
          done: hold > 0 ? s.hold : s.retireStart,
          catch: toRecorder(TRAFFIC_STATES.task),
          isDistributedRun: false,
          back: { traffic: back, region: plan.primaryRegion },
        })
      : {}),
    ...(hold > 0
      ? {
          [s.hold]: wait({
            seconds: hold * 60,
            next: s.retireStart,
            comment: 'Keeps the recovery instances up (the way back) for failback.retire.holdMinutes after the primary region is ready.',
          }),
        }
      : {}),
    [s.retireStart]: pass({
      comment: `Retire deadline: ${RETIRE_TIMEOUT_MINUTES} minutes from now.`,
      assign: { retireDeadline: deadlineExpr(RETIRE_TIMEOUT_MINUTES), retirePolls: 0, retirePollsQuick: 0, retiredCount: 0 },
      next: s.retire,
    }),
    ...pollLoop({
      id: 'retire-instances',
      functionArn: arns('retire-instances'),
      names: { task: s.retire, check: s.retired, wait: s.retireWait },
      input: objectExpr({
        planName: str(plan.name),
        region: str(plan.recoveryRegion),
        action: str(settings.retire.action),
        instanceIds: '$recoveredIds',
        deadline: '$retireDeadline',
      }),
      assign: { retiredCount: jsonata('$retiredCount + $count($states.result.Payload.retired)') },
      retry: STANDARD_RETRY,
      catch: toRecorder(s.retire),
      pollsVar: 'retirePolls',
      ladder: TEARDOWN_WAIT,
      done: s.metrics,
      comment: `${settings.retire.action === 'terminate' ? 'Terminates' : 'Stops'} the recovered instances that failed back (only this plan's failover instances), then confirms they are down.`,
    }),
    [s.metrics]: task('record-metrics', {
      functionArn: arns('record-metrics'),
      input: jsonata(
        objectExpr({
          kind: str('failback'),
          planName: str(plan.name),
          region: str(plan.recoveryRegion),
          outcome: str('SUCCEEDED'),
          startedAt: '$startedAt',
          readyAt: '$readyAt',
          recoveryPointTime: '$recoveryPointTime',
          rpoAt: '$launchStartedAt',
          workloadCount: String(plan.workloads.length),
          objectives: lit({ rpoMinutes: plan.objectives.rpoMinutes, rtoMinutes: plan.objectives.rtoMinutes }),
          sets: '[{"executionArn": $states.context.Execution.Id, "recoveryPointTime": $recoveryPointTime, "isComplete": true, "workloads": [$distinct($verified.workload)]}]',
          waves: '$readyWaves',
        }),
      ),
      ...KEEP_ACHIEVED,
      retry: STANDARD_RETRY,
      catch: [toRecorder(s.metrics)],
      next: s.done,
      comment: 'Publishes RecoveryTimeSeconds (last wave ready − start) and AchievedRecoveryPointAgeSeconds (the images\' age when the launch started), Mode failback.',
    }),
    [s.done]: succeed({
      output: jsonata(
        `{"planName": ${str(plan.name)}, "mode": "failback", "failoverExecutionArn": $failoverExecutionArn, "startedAt": $startedAt, "readyAt": $readyAt, "recoveryTimeSeconds": ($toMillis($readyAt) - $toMillis($startedAt)) / 1000, "readyCount": $readyCount, "skipped": $skipped, "missing": $missing, "missingCount": $missingCount, "oldestRecoveryPointTime": $recoveryPointTime, "sets": [{"executionArn": $states.context.Execution.Id, "recoveryPointTime": $recoveryPointTime, "isComplete": true, "workloads": [$distinct($verified.workload)]}], "achieved": $achieved, "instances": $instances, "retired": {"action": ${str(settings.retire.action)}, "instanceIds": $recoveredIds, "count": $retiredCount}${back !== undefined ? `, "traffic": $${TRAFFIC_VARS.result}` : ''}${approval !== undefined ? ', "approvals": $approvals' : ''}}`,
      ),
    }),
  };

  const failure = failurePath({
    kind: 'failback',
    planName: plan.name,
    region: plan.recoveryRegion,
    vars: v,
    names: { record: s.record, resume: s.resume, failed: s.failed },
    isFinal: true,
    resumable: [
      { step: s.find },
      // The switch resumes with its last pass ($traffic): records already switched back are not changed again.
      ...(back !== undefined ? [{ step: TRAFFIC_STATES.task, assign: trafficLoopReset(plan, back) }] : []),
      { step: s.retire, assign: { retireDeadline: deadlineExpr(RETIRE_TIMEOUT_MINUTES), retirePolls: 0, retirePollsQuick: 0 } },
      { step: s.metrics },
    ],
    functionArn: arns('record-failure'),
  });

  return {
    Comment: `Lifeboat failback of plan ${JSON.stringify(plan.name)}: ${plan.recoveryRegion} → ${plan.primaryRegion}.`,
    QueryLanguage: 'JSONata',
    StartAt: s.start,
    States: fragment(main, failure),
  };
}
