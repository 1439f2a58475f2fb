import { TeardownInputSchema, TeardownOutputSchema } from '../../schemas/tasks/teardown.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { teardown } from './teardown.js';

/** Lambda handler of the `teardown` task. */
export const handler = defineTask({ id: 'teardown', input: TeardownInputSchema, output: TeardownOutputSchema, run: teardown, clients: { ec2: ec2Client } });
