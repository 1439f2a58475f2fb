import { ResolveWorkloadsInputSchema, ResolveWorkloadsOutputSchema } from '../../schemas/tasks/resolve-workloads.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { resolveWorkloads } from './resolve-workloads.js';

/** Lambda handler of the `resolve-workloads` task. */
export const handler = defineTask({ id: 'resolve-workloads', input: ResolveWorkloadsInputSchema, output: ResolveWorkloadsOutputSchema, run: resolveWorkloads, clients: { ec2: ec2Client } });
