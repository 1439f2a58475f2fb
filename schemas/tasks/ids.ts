/**
 * Every task's id: a kebab-case verb phrase, also the folder name under `tasks/`.
 *
 * A workflow names a task by its id; only infra (a Lambda ARN) and the local run (an in-process
 * handler) bind the id to code. Plain constants, no zod, so what needs only the ids (the local
 * sandbox binding the task handlers) loads nothing more; `index.ts` builds `TaskIdSchema` from them.
 */
export const TASK_ID_LIST = [
  'resolve-workloads',
  'image',
  'copy',
  'verify',
  'prune',
  'record-metrics',
  'record-failure',
  'resolve-recovery-points',
  'launch-in-region',
  'teardown',
  'collect',
  'check-overlap',
  'summarize-results',
  'publish-rpo',
  'switch-traffic',
  'probe-health',
  'request-approval',
  'preflight',
  'find-recovered-instances',
  'retire-instances',
] as const;

/** One task id. */
export type TaskId = (typeof TASK_ID_LIST)[number];

/** All task ids, in declaration order. */
export const TASK_IDS: readonly TaskId[] = TASK_ID_LIST;

/**
 * Each task Lambda's timeout in seconds: a loop pass is short; prune may delete many points in
 * one call. The stacks deploy these (infra/constructs/task-function.ts) and the sandbox binds the
 * in-process handlers with the same (cli/local/bind.ts), so a handler that overruns ends the same way.
 */
export const TASK_TIMEOUT_SECONDS: Readonly<Record<TaskId, number>> = Object.fromEntries(
  TASK_IDS.map((id) => [id, ({ prune: 300, 'launch-in-region': 180, image: 180, copy: 180, 'probe-health': 180, preflight: 300 } as Partial<Record<TaskId, number>>)[id] ?? 60]),
) as Record<TaskId, number>;
