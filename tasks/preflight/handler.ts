import { PreflightInputSchema, PreflightOutputSchema } from '../../schemas/tasks/preflight.js';
import { cloudWatchClient } from '../_shared/clients/cloudwatch.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { preflight } from './preflight.js';

/** Lambda handler of the `preflight` task. */
export const handler = defineTask({ id: 'preflight', input: PreflightInputSchema, output: PreflightOutputSchema, run: (input, context) => preflight(input, context), clients: { cloudwatch: cloudWatchClient, ec2: ec2Client } });
