import { CopyInputSchema, CopyOutputSchema } from '../../schemas/tasks/copy.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { copy } from './copy.js';

/** Lambda handler of the `copy` task. */
export const handler = defineTask({ id: 'copy', input: CopyInputSchema, output: CopyOutputSchema, run: copy, clients: { ec2: ec2Client } });
