import { ResolveWorkloadsInputSchema, ResolveWorkloadsOutputSchema } from '../../schemas/tasks/resolve-workloads.js';
import { defineTask } from '../_shared/define-task.js';
import { resolveWorkloads } from './resolve-workloads.js';

/** Lambda handler of the `resolve-workloads` task. */
export const handler = defineTask({ id: 'resolve-workloads', input: ResolveWorkloadsInputSchema, output: ResolveWorkloadsOutputSchema, run: resolveWorkloads });
