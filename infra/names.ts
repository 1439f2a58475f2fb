import type { Plan } from '../schemas/plan.js';
import type { TaskId } from '../schemas/tasks/index.js';

/**
 * Names shared by the CDK app, the CLI and the runbooks: state machines, functions, metrics.
 *
 * The state machine names are part of docs/contracts.md (the CLI finds machines by name).
 */

/**
 * The workflows a plan deploys, and where each one runs: backup in the primary region; failover,
 * drill, failback (a plan with a `failback` section) and the scheduled RPO publisher
 * (`publish-rpo`) in the recovery region; the collector (`collect`) in both.
 */
export type WorkflowKind = 'backup' | 'failover' | 'drill' | 'failback' | 'collect' | 'publish-rpo';

/** Tasks bundled into the backup stack (primary region), in the order the backup runs them. */
export const BACKUP_TASKS: readonly TaskId[] = [
  'resolve-workloads',
  'image',
  'copy',
  'verify',
  'prune',
  'record-metrics',
  'record-failure',
  'collect',
  'check-overlap',
];

/** Tasks bundled into the recovery stack (recovery region): failover and drill share them; the RPO publisher has its own. */
export const RECOVERY_TASKS: readonly TaskId[] = [
  'preflight',
  'resolve-recovery-points',
  'launch-in-region',
  'teardown',
  'record-metrics',
  'record-failure',
  'collect',
  'publish-rpo',
];

/** Tasks of the recovery stack when the plan switches traffic (`plan.traffic`). */
export const TRAFFIC_TASKS: readonly TaskId[] = ['switch-traffic'];
/** The task the recovery stack adds (in the recovery VPC) when a workload declares a health check. */
export const HEALTH_TASK: TaskId = 'probe-health';

/** True when a workload of the plan declares a health check (docs/decisions/0011). */
export function hasHealthChecks(plan: Pick<Plan, 'workloads'>): boolean {
  return plan.workloads.some((w) => w.healthCheck !== undefined);
}
/** Tasks of the approval gate (recovery stack), deployed when the plan has `approval`. */
export const APPROVAL_TASKS: readonly TaskId[] = ['request-approval'];
/**
 * Tasks bundled into the failback stack (recovery region, a plan with a `failback` section), as
 * `lifeboat-<plan>-failback-<task>`: image, copy, verify and launch-in-region with the
 * failback's own statements (infra/failback-policies.ts).
 */
export const FAILBACK_TASKS: readonly TaskId[] = [
  'find-recovered-instances',
  'image',
  'copy',
  'verify',
  'launch-in-region',
  'retire-instances',
  'record-metrics',
  'record-failure',
];

/**
 * The failback stack's tasks for this plan: {@link FAILBACK_TASKS}, plus `request-approval` when
 * the plan's approval applies to a failback, `switch-traffic` with `failback.traffic`, and
 * `probe-health` (the relay to the probe in the primary region's VPC) when a workload declares a
 * health check.
 */
export function failbackTasks(plan: Pick<Plan, 'workloads' | 'approval' | 'failback'>): readonly TaskId[] {
  return [
    ...FAILBACK_TASKS,
    ...(plan.approval !== undefined && plan.approval.failback ? (['request-approval'] as const) : []),
    ...(plan.failback?.traffic !== undefined ? (['switch-traffic'] as const) : []),
    ...(hasHealthChecks(plan) ? ([HEALTH_TASK] as const) : []),
  ];
}

/** Tasks only distributed runs call (in both stacks), besides the stack's own. */
export const DISTRIBUTED_TASKS: readonly TaskId[] = ['summarize-results'];

/** CloudWatch namespace and metric names published by `record-metrics` and `record-failure` (defined with the alarms). */
export { METRICS } from '../workflows/alarms.js';

/**
 * The state machine name of one workflow: `lifeboat-<plan>-<kind>`.
 *
 * @example stateMachineName(plan, 'drill') // 'lifeboat-shop-drill'
 */
export function stateMachineName(plan: Pick<Plan, 'name'>, kind: WorkflowKind): string {
  return `lifeboat-${plan.name}-${kind}`;
}

/**
 * The Lambda function name of one task, `lifeboat-<plan>-<task id>` (a failback function:
 * `lifeboat-<plan>-failback-<task id>`, the drill's own traffic function
 * `lifeboat-<plan>-drill-switch-traffic`), or `undefined` when that
 * is longer than Lambda's 64-character limit (CloudFormation then generates a unique name).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html (FunctionName)
 */
export function functionName(plan: Pick<Plan, 'name'>, task: TaskId, variant?: 'failback' | 'drill'): string | undefined {
  const name = variant === undefined ? `lifeboat-${plan.name}-${task}` : `lifeboat-${plan.name}-${variant}-${task}`;
  return name.length <= 64 ? name : undefined;
}

/**
 * The key that stands for a task's function ARN in a state machine definition.
 *
 * The renderer writes `${TaskArn_launch_in_region}`; CloudFormation substitutes it through
 * `DefinitionSubstitutions` (keys allow letters, digits and `_` only).
 */
export function taskArnKey(task: TaskId): string {
  return `TaskArn_${task.replaceAll('-', '_')}`;
}

/** The placeholder the renderer puts where a task's function ARN goes. */
export function taskArnPlaceholder(task: TaskId): string {
  return '${' + taskArnKey(task) + '}';
}

/** PascalCase construct id derived from a task id (`launch-in-region` → `LaunchInRegion`). */
export function constructIdOf(task: TaskId): string {
  return task
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
