import type { AslStateMachine, JsonValue } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import { resolveHealthCheck, type ResolvedHealthCheck } from '../../schemas/plan-health.js';
import { fragment, jsonata, lit, literal, objectExpr, pass, str, succeed } from '../builders.js';
import { failurePath } from '../failure.js';
import { loopPassCaps } from '../budget.js';
import { LAUNCH_WAIT, REDRIVE_COUNT, deadlineExpr, pollLoop, type WaitLadder } from '../loops.js';
import { CREATING_RETRY, catchAll, scopedFailureVars } from '../policies.js';
import type { TaskArns } from '../render-context.js';

/** State names of one wave iteration (unique across the whole failover definition). */
export const WAVE_STATES = {
  start: 'Start wave',
  launch: 'Launch instances',
  ready: 'Instances ready?',
  wait: 'Wait for instances',
  done: 'Wave ready',
  record: 'Record wave failure',
  resume: 'Resume wave after redrive?',
  failed: 'Wave failed',
  health: 'Check application health',
  healthy: 'Application healthy?',
  healthWait: 'Wait for application health',
} as const;

/** Each workload's health check as the probe task takes it (only workloads that declare one). */
export function healthChecks(plan: Plan): Record<string, ResolvedHealthCheck> {
  return Object.fromEntries(plan.workloads.filter((w) => w.healthCheck !== undefined).map((w) => [w.name, resolveHealthCheck(w.healthCheck!)]));
}

/**
 * The health loop's wait: the shortest interval of the plan's checks, every pass (a probe whose own
 * interval has not elapsed waits for a later pass), or `undefined` when no workload has a check.
 */
export function healthWait(plan: Plan): WaitLadder | undefined {
  const intervals = Object.values(healthChecks(plan)).map((c) => c.intervalSeconds);
  if (intervals.length === 0) return undefined;
  const seconds = Math.min(...intervals);
  return { firstSeconds: seconds, capSeconds: seconds };
}

/** The wave iteration's failure variables (`waveFailedStep`, ...). */
export const WAVE_FAILURE_VARS = scopedFailureVars('wave');

/**
 * What a wave launches: a failover or drill in the recovery region, or a failback in the primary
 * region (the failback machine reuses this iteration, so whatever a wave does, such as checks,
 * applies to all three).
 */
export type WaveMode = 'failover' | 'drill' | 'failback';

/** The launch timeout of a wave in `mode`. */
export function waveLaunchTimeoutMinutes(plan: Plan, mode: WaveMode): number {
  if (mode === 'drill') return plan.drill.launchTimeoutMinutes;
  if (mode === 'failback') return plan.failback?.launchTimeoutMinutes ?? plan.failover.launchTimeoutMinutes;
  return plan.failover.launchTimeoutMinutes;
}

/** The drill's isolation for `launch-in-region`: the plan's isolated subnets and, if set, groups. */
export function drillIsolation(plan: Plan): { subnetIds: string[]; securityGroupIds?: string[] } {
  return {
    subnetIds: [...plan.drill.isolatedSubnetIds],
    ...(plan.drill.securityGroupIds !== undefined ? { securityGroupIds: [...plan.drill.securityGroupIds] } : {}),
  };
}

/**
 * One iteration of the `Launch waves` Map: launches one wave's targets in the recovery region
 * and polls until every instance (but skipped optional ones) is running with status checks ok.
 *
 * Input `{ wave: number, targets: LaunchTarget[] }`; output
 * `{ wave, readyAt, readyCount, skipped, instances: [{workload, sourceInstanceId, imageId, instanceId, instanceType, subnetId, substitution?}] }`,
 * where `readyAt` is when the pass that found the wave ready started: with health checks in the
 * plan, the `Check application health` loop runs after the status checks (docs/decisions/0011)
 * and `readyAt` is when the pass that found every checked instance healthy started. In drill mode `isolation`
 * (the plan's isolated subnets and groups) is passed to the launch. On failure the iteration
 * records it (`Record wave failure`, final unless drilling) and fails with `Lifeboat.StepFailed`.
 */
export function waveIteration(plan: Plan, mode: WaveMode, arns: TaskArns): AslStateMachine {
  const s = WAVE_STATES;
  const v = WAVE_FAILURE_VARS;
  const timeout = waveLaunchTimeoutMinutes(plan, mode);
  // A failback launches back into the primary region (its targets carry the primary's launch settings).
  const region = mode === 'failback' ? plan.primaryRegion : plan.recoveryRegion;
  const tags: Record<string, string> = Object.keys(plan.tags).length > 0 ? { tags: lit(plan.tags) } : {};
  const isolation: Record<string, string> = mode === 'drill' ? { isolation: lit(literal(drillIsolation(plan), 'plan.drill')) } : {};
  const isDrill = mode === 'drill';
  const checks = healthChecks(plan);
  const healthLadder = healthWait(plan);
  const afterLaunch = healthLadder ? s.health : s.done;
  const healthStart = { healthStartedAt: jsonata('$states.context.State.EnteredTime'), healthPolls: 0, healthPollsQuick: 0, healthPollsRedrive: jsonata(REDRIVE_COUNT) };

  const states = fragment(
    {
      [s.start]: pass({
        comment: 'Wave constants: its targets, and the launch deadline counted from now.',
        assign: {
          waveNumber: jsonata('$states.input.wave'),
          waveTargets: jsonata('$states.input.targets'),
          waveInstances: null,
          waveReadyAt: null,
          launchPolls: 0,
          launchPollsQuick: 0,
          launchPollsClose: 0,
          launchPollsSpent: 0,
          launchPollsRedrive: jsonata(REDRIVE_COUNT),
          launchDeadline: deadlineExpr(timeout),
        },
        next: s.launch,
      }),
    },
    pollLoop({
      id: 'launch-in-region',
      functionArn: arns('launch-in-region'),
      names: { task: s.launch, check: s.ready, wait: s.wait },
      input: objectExpr(
        {
          planName: str(plan.name),
          region: str(region),
          mode: str(mode),
          deadline: '$launchDeadline',
          ...isolation,
          targets: '$waveTargets',
          ...tags,
        },
        {
          instances: '$waveInstances',
          // The loop's first pass, not a retry, not after a redrive: nothing to look up by client token.
          isFirstAttempt: '(($waveInstances = null and $states.context.State.RetryCount = 0 and $states.context.Execution.RedriveCount = 0) ? true : null)',
        },
      ),
      assign: {
        waveInstances: jsonata('$states.result.Payload.instances'),
        waveReadyAt: jsonata('$states.context.State.EnteredTime'),
      },
      retry: CREATING_RETRY,
      catch: catchAll(s.launch, s.record, v),
      pollsVar: 'launchPolls',
      ladder: LAUNCH_WAIT,
      // A launch batch aborted by a failing sibling (distributed) resumes in this loop after a redrive.
      redriveRefresh: { launchDeadline: deadlineExpr(timeout) },
      closePolling: true,
      budget: {
        maxPasses: isDrill ? loopPassCaps(plan).drillLaunch : loopPassCaps(plan).failoverLaunch,
        vars: v,
        advice: `start a new ${mode}, or split the plan: fewer waves, a shorter ${mode}.launchTimeoutMinutes, or scale.mode "distributed" (each launch batch in its own history).`,
      },
      done: afterLaunch,
      ...(healthLadder ? { doneAssign: { ...healthStart, waveHealth: null } } : {}),
      comment: 'Launches (or finds) each instance, walking the type and subnet ladder on insufficient capacity; reports readiness.',
    }),
    healthLadder
      ? pollLoop({
          id: 'probe-health',
          functionArn: arns('probe-health'),
          names: { task: s.health, check: s.healthy, wait: s.healthWait },
          input: objectExpr(
            {
              planName: str(plan.name),
              // Where the wave launched: a failback's instances are probed in the primary region.
              region: str(region),
              ...(mode === 'failback' ? { mode: str(mode) } : {}),
              startedAt: '$healthStartedAt',
              checks: lit(literal(checks as unknown as JsonValue, 'plan.workloads[].healthCheck')),
              instances: '[$waveInstances[instanceId != null].{"workload": workload, "instanceId": instanceId}]',
            },
            { health: '$waveHealth' },
          ),
          assign: {
            waveHealth: jsonata('$states.result.Payload.health'),
            waveReadyAt: jsonata('$states.context.State.EnteredTime'),
          },
          retry: CREATING_RETRY,
          catch: catchAll(s.health, s.record, v),
          pollsVar: 'healthPolls',
          ladder: healthLadder,
          redriveRefresh: { healthStartedAt: jsonata('$states.context.State.EnteredTime') },
          done: s.done,
          comment: "Probes each instance's application (workloads' healthCheck) by private address until every one passes; fails naming the instance, endpoint and answer past the check's deadline.",
        })
      : {},
    {
      [s.done]: succeed({
        output: jsonata(
          '{"wave": $waveNumber, "readyAt": $waveReadyAt, "readyCount": $states.input.readyCount, "skipped": $states.input.skipped, "instances": [$waveInstances[instanceId != null].{"workload": workload, "sourceInstanceId": sourceInstanceId, "imageId": imageId, "instanceId": instanceId, "instanceType": instanceType, "subnetId": subnetId, "substitution": substitution}]}',
        ),
      }),
    },
    failurePath({
      kind: mode,
      planName: plan.name,
      // Failures are recorded where the machine runs: the recovery region, for a failback too.
      region: plan.recoveryRegion,
      vars: v,
      names: { record: s.record, resume: s.resume, failed: s.failed },
      isFinal: !isDrill,
      // A drill does not resume: its failure path tears down, so a redrive has nothing to continue.
      resumable: isDrill
        ? []
        : [
            { step: s.launch, assign: { launchDeadline: deadlineExpr(timeout), launchPolls: 0, launchPollsQuick: 0, launchPollsClose: 0 } },
            // A redrive after a failed health check probes again with a fresh deadline (what it learned is kept).
            ...(healthLadder ? [{ step: s.health, assign: healthStart }] : []),
          ],
      causePrefix: `'wave ' & $waveNumber & ':'`,
      functionArn: arns('record-failure'),
    }),
  );
  return { StartAt: s.start, States: states };
}
