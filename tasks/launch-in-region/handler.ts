import { LaunchInRegionInputSchema, LaunchInRegionOutputSchema } from '../../schemas/tasks/launch-in-region.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { launchInRegion } from './launch-in-region.js';

/** Lambda handler of the `launch-in-region` task. */
export const handler = defineTask({ id: 'launch-in-region', input: LaunchInRegionInputSchema, output: LaunchInRegionOutputSchema, run: launchInRegion, clients: { ec2: ec2Client } });
