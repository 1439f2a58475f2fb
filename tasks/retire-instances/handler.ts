import { RetireInstancesInputSchema, RetireInstancesOutputSchema } from '../../schemas/tasks/retire-instances.js';
import { defineTask } from '../_shared/define-task.js';
import { retireInstances } from './retire-instances.js';

/** Lambda handler of the `retire-instances` task. */
export const handler = defineTask({ id: 'retire-instances', input: RetireInstancesInputSchema, output: RetireInstancesOutputSchema, run: retireInstances });
