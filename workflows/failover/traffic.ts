import type { JsonValue } from '../../schemas/asl.js';
import type { Plan } from '../../schemas/plan.js';
import type { TrafficSettings } from '../../schemas/plan-traffic.js';
import type { Fragment } from '../builders.js';
import { jsonata, lit, literal, objectExpr, pass, str } from '../builders.js';
import { deadlineExpr, pollLoop, type WaitLadder } from '../loops.js';
import { STANDARD_RETRY, type catchAll } from '../policies.js';
import type { TaskArns } from '../render-context.js';

/** State names of the traffic switch (top level of the failover/drill workflow). */
export const TRAFFIC_STATES = {
  start: 'Start traffic switch',
  task: 'Switch traffic',
  check: 'Traffic switched?',
  wait: 'Wait for traffic switch',
} as const;

/**
 * Target health turns `healthy` after interval × threshold (30 s × 5 by default) and a Route 53
 * change is INSYNC within about a minute: 10 s, 20 s, then every 30 s.
 */
export const TRAFFIC_WAIT: WaitLadder = { firstSeconds: 10, capSeconds: 30 };

/** The variables the traffic loop sets: the last pass's output and when it ran. */
export const TRAFFIC_VARS = { result: 'traffic', at: 'trafficAt', deadline: 'trafficDeadline', polls: 'trafficPolls' } as const;

/**
 * State names of a drill's traffic restore (plan.traffic.drill "exercise"): after the hold on the
 * success path, and first thing on the failure path, before the teardown in both.
 */
export const RESTORE_STATES = {
  start: 'Start traffic restore',
  task: 'Restore drill traffic',
  check: 'Drill traffic restored?',
  wait: 'Wait for traffic restore',
  failureStart: 'Start traffic restore after failure',
  failureTask: 'Restore traffic after failure',
  failureCheck: 'Traffic restored after failure?',
  failureWait: 'Wait to restore traffic again',
} as const;

/** The variables of the restore loops (one at a time: the failure path's restarts from the switch's output). */
export const RESTORE_VARS = { result: 'trafficRestore', deadline: 'trafficRestoreDeadline', polls: 'trafficRestorePolls' } as const;

/** True when a drill of this plan switches its own drill names, so it restores them before it ends. */
export function drillRestoresTraffic(plan: Plan, mode: 'failover' | 'drill' | 'failback'): boolean {
  return mode === 'drill' && plan.traffic?.drill === 'exercise';
}

/** The switch pass's phase that recorded what it will change: the next pass submits it at once. */
const SUBMIT_NEXT = "$states.input.phase = 'submit'";

/**
 * JSONata assignments that restart the loop's deadline and counters (the start, and a resume after
 * redrive). `settings`: the switch's own settings when not the plan's `traffic` (a failback's).
 */
export function trafficLoopReset(plan: Plan, settings: TrafficSettings | undefined = plan.traffic): Record<string, JsonValue> {
  return {
    [TRAFFIC_VARS.deadline]: deadlineExpr(settings?.timeoutMinutes ?? 15),
    [TRAFFIC_VARS.polls]: 0,
    [`${TRAFFIC_VARS.polls}Quick`]: 0,
  };
}

/**
 * The traffic switch (docs/contracts.md, "The traffic switch"): `Start traffic switch` →
 * `Switch traffic` ⇄ `Traffic switched?` ⇄ `Wait for traffic switch` → `done`.
 *
 * Runs once every wave is ready. Each pass of `switch-traffic` moves the switch on (register
 * targets, wait for healthy, one change batch per hosted zone, wait for INSYNC, read back) and
 * its output is kept in `$traffic`, handed to the next pass and to the run's output. In failover
 * mode the run's `readyAt` becomes the time the switch completed (users reach the recovered
 * workloads then: that is the RTO). A drill only reads the records and reports what it would
 * change. Failures go to `catch` (the run's failure path; a redrive resumes at `Switch traffic`).
 *
 * @throws Error at render time for target groups in a distributed run (the instance list is in
 *   S3 there; not supported yet)
 */
export function trafficSteps(
  plan: Plan,
  mode: 'failover' | 'drill' | 'failback',
  arns: TaskArns,
  o: {
    done: string;
    catch: ReturnType<typeof catchAll>;
    isDistributedRun: boolean;
    /** A failback's switch back: its `failback.traffic` and the primary region (default: the plan's `traffic`, the recovery region). */
    back?: { readonly traffic: TrafficSettings; readonly region: string };
  },
): Fragment {
  const traffic = o.back?.traffic ?? plan.traffic!;
  const where = o.back === undefined ? 'plan.traffic' : 'plan.failback.traffic';
  if (o.isDistributedRun && traffic.targetGroups.length > 0) {
    throw new Error(`${where}.targetGroups: a distributed run (plan.scale) keeps its instance list in S3, and registering it in target groups is not supported yet; found ${traffic.targetGroups.length} target group(s). Use scale.mode "inline", or register the instances yourself and keep only plan.traffic.records.`);
  }
  const s = TRAFFIC_STATES;
  const v = TRAFFIC_VARS;
  const isExercise = drillRestoresTraffic(plan, mode);
  // A drill that exercises registers its instances in the drill's own target groups only; one
  // that reports gets the production groups, and registers nothing.
  const planGroups = isExercise
    ? traffic.targetGroups.flatMap((g) => (g.drillTargetGroupArn !== undefined ? [{ ...g, targetGroupArn: g.drillTargetGroupArn }] : []))
    : traffic.targetGroups;
  const groups = planGroups.map((g) => {
    const fixed = literal({ targetGroupArn: g.targetGroupArn, ...(g.port !== undefined ? { port: g.port } : {}) }, `${where}.targetGroups`);
    // The recovered instances of the workload, from the waves' results (an empty list when none).
    return `$merge([${lit(fixed)}, {"instanceIds": [$instances[workload = ${str(g.workload)}].instanceId]}])`;
  });
  const records = literal(traffic.records as unknown as JsonValue, `${where}.records`);
  return {
    [s.start]: pass({
      comment: `The traffic switch deadline (${where}.timeoutMinutes), counted from now.`,
      assign: { ...trafficLoopReset(plan, traffic), [v.result]: null, [v.at]: null },
      next: s.task,
    }),
    ...pollLoop({
      id: 'switch-traffic',
      functionArn: arns('switch-traffic'),
      names: { task: s.task, check: s.check, wait: s.wait },
      input: objectExpr(
        {
          planName: str(plan.name),
          region: str(o.back?.region ?? plan.recoveryRegion),
          mode: str(mode),
          deadline: `$${v.deadline}`,
          targetGroups: `[${groups.join(', ')}]`,
          records: lit(records),
          ...(isExercise ? { drill: str('exercise') } : {}),
        },
        { previous: `$${v.result}` },
      ),
      assign: {
        [v.result]: jsonata('$states.result.Payload'),
        [v.at]: jsonata('$states.context.State.EnteredTime'),
      },
      retry: STANDARD_RETRY,
      catch: o.catch,
      pollsVar: v.polls,
      ladder: TRAFFIC_WAIT,
      done: o.done,
      againWhen: SUBMIT_NEXT,
      ...(mode !== 'drill' ? { doneAssign: { readyAt: jsonata(`$${v.at}`) } } : {}),
      comment: mode === 'failback'
        ? "Registers the failback instances in the primary region's target groups (failback.traffic), waits until healthy, reads the records, then submits one Route 53 change batch per hosted zone that points users back at the primary, and waits until INSYNC."
        : mode === 'failover'
        ? 'Registers the recovered instances in the plan\'s target groups, waits until healthy, reads the records (recorded before any change), then submits one Route 53 change batch per hosted zone and waits until INSYNC.'
        : isExercise
          ? 'A drill changes no production traffic: it switches its own drill record names (and drill target groups) for real; they are restored before the drill ends.'
          : 'A drill changes no traffic: reads the plan\'s records and reports the changes a failover would make.',
    }),
  };
}

/**
 * A drill's traffic restore loop (plan.traffic.drill "exercise"): `switch-traffic` with
 * `action: "restore"` and the switch's last output (`$traffic`, null when the drill failed before
 * switching: nothing to do), until every drill record is back as it was (deleted when the drill
 * created it) and the drill targets are deregistered. Two copies: `names` picks the success
 * path's or the failure path's.
 */
export function restoreSteps(
  plan: Plan,
  arns: TaskArns,
  o: { readonly isFailurePath: boolean; readonly done: string; readonly catch: ReturnType<typeof catchAll> },
): Fragment {
  const r = RESTORE_STATES;
  const v = RESTORE_VARS;
  const names = o.isFailurePath
    ? { start: r.failureStart, task: r.failureTask, check: r.failureCheck, wait: r.failureWait }
    : { start: r.start, task: r.task, check: r.check, wait: r.wait };
  return {
    [names.start]: pass({
      comment: o.isFailurePath
        ? 'The drill failed: put its drill records back as they were (and deregister its drill targets) before tearing down.'
        : 'Puts the drill records back as they were and deregisters the drill targets, before the teardown.',
      assign: {
        [v.deadline]: deadlineExpr(plan.traffic?.timeoutMinutes ?? 15),
        [v.polls]: 0,
        [`${v.polls}Quick`]: 0,
        [v.result]: null,
      },
      next: names.task,
    }),
    ...pollLoop({
      id: 'switch-traffic',
      functionArn: arns('switch-traffic'),
      names: { task: names.task, check: names.check, wait: names.wait },
      input: objectExpr(
        {
          action: str('restore'),
          planName: str(plan.name),
          region: str(plan.recoveryRegion),
          mode: str('drill'),
          deadline: `$${v.deadline}`,
          switched: `$${TRAFFIC_VARS.result}`,
        },
        { previous: `$${v.result}` },
      ),
      assign: { [v.result]: jsonata('$states.result.Payload') },
      retry: STANDARD_RETRY,
      catch: o.catch,
      pollsVar: v.polls,
      ladder: TRAFFIC_WAIT,
      done: o.done,
      againWhen: SUBMIT_NEXT,
      comment: 'Restores each drill record from the value recorded before the switch (one Route 53 batch per hosted zone, until INSYNC, read back), then deregisters the drill targets.',
    }),
  };
}
