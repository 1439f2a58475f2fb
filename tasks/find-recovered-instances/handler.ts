import { FindRecoveredInstancesInputSchema, FindRecoveredInstancesOutputSchema } from '../../schemas/tasks/find-recovered-instances.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { findRecoveredInstances } from './find-recovered-instances.js';

/** Lambda handler of the `find-recovered-instances` task. */
export const handler = defineTask({ id: 'find-recovered-instances', input: FindRecoveredInstancesInputSchema, output: FindRecoveredInstancesOutputSchema, run: findRecoveredInstances, clients: { ec2: ec2Client } });
