import { z } from 'zod';

/**
 * Every task's id: a kebab-case verb phrase, also the folder name under `tasks/`.
 *
 * A workflow names a task by its id; only infra (a Lambda ARN) and the local run (an in-process
 * handler) bind the id to code.
 */
export const TaskIdSchema = z.enum([
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
  'summarize-results',
  'publish-rpo',
]);

/** One task id. */
export type TaskId = z.infer<typeof TaskIdSchema>;

/** All task ids, in declaration order. */
export const TASK_IDS: readonly TaskId[] = TaskIdSchema.options;
