import type { TaskId } from '../schemas/tasks/index.js';
import type { TaskHandler } from './_shared/define-task.js';
import { handler as checkOverlap } from './check-overlap/handler.js';
import { handler as collect } from './collect/handler.js';
import { handler as copy } from './copy/handler.js';
import { handler as findRecoveredInstances } from './find-recovered-instances/handler.js';
import { handler as image } from './image/handler.js';
import { handler as launchInRegion } from './launch-in-region/handler.js';
import { handler as probeHealth } from './probe-health/handler.js';
import { handler as preflight } from './preflight/handler.js';
import { handler as prune } from './prune/handler.js';
import { handler as publishRpo } from './publish-rpo/handler.js';
import { handler as recordFailure } from './record-failure/handler.js';
import { handler as requestApproval } from './request-approval/handler.js';
import { handler as recordMetrics } from './record-metrics/handler.js';
import { handler as retireInstances } from './retire-instances/handler.js';
import { handler as resolveRecoveryPoints } from './resolve-recovery-points/handler.js';
import { handler as resolveWorkloads } from './resolve-workloads/handler.js';
import { handler as summarizeResults } from './summarize-results/handler.js';
import { handler as switchTraffic } from './switch-traffic/handler.js';
import { handler as teardown } from './teardown/handler.js';
import { handler as verify } from './verify/handler.js';

/**
 * Every task's Lambda handler by task id, for binding the tasks in-process (the sandbox's local
 * run). Infra does not use this map: it bundles each `tasks/<id>/handler.ts` on its own.
 *
 * @example sandboxLambda.register(`arn:aws:lambda:us-west-2:123456789012:function:lifeboat-${id}`, (event, context) => TASK_HANDLERS[id](event, context))
 */
export const TASK_HANDLERS: Record<TaskId, TaskHandler> = {
  'resolve-workloads': resolveWorkloads,
  image,
  copy,
  verify,
  prune,
  'record-metrics': recordMetrics,
  'record-failure': recordFailure,
  'resolve-recovery-points': resolveRecoveryPoints,
  'launch-in-region': launchInRegion,
  teardown,
  collect,
  'check-overlap': checkOverlap,
  'summarize-results': summarizeResults,
  'publish-rpo': publishRpo,
  'switch-traffic': switchTraffic,
  'probe-health': probeHealth,
  'request-approval': requestApproval,
  preflight,
  'find-recovered-instances': findRecoveredInstances,
  'retire-instances': retireInstances,
};

/** The path of a task's handler module, relative to the repository root (for NodejsFunction `entry`). */
export function taskHandlerPath(id: TaskId): string {
  return `tasks/${id}/handler.ts`;
}
