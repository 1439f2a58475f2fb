import { RetireInstancesInputSchema, RetireInstancesOutputSchema } from '../../schemas/tasks/retire-instances.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { retireInstances } from './retire-instances.js';

/** Lambda handler of the `retire-instances` task. */
export const handler = defineTask({ id: 'retire-instances', input: RetireInstancesInputSchema, output: RetireInstancesOutputSchema, run: retireInstances, clients: { ec2: ec2Client } });
