import { PruneInputSchema, PruneOutputSchema } from '../../schemas/tasks/prune.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { prune } from './prune.js';

/** Lambda handler of the `prune` task. */
export const handler = defineTask({ id: 'prune', input: PruneInputSchema, output: PruneOutputSchema, run: prune, clients: { ec2: ec2Client } });
