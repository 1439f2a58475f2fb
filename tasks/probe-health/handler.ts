import { ProbeHealthInputSchema, ProbeHealthOutputSchema } from '../../schemas/tasks/probe-health.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { probeHealth } from './probe-health.js';

/** Lambda handler of the `probe-health` task (on AWS: attached to the recovery VPC). */
export const handler = defineTask({ id: 'probe-health', input: ProbeHealthInputSchema, output: ProbeHealthOutputSchema, run: (input, context) => probeHealth(input, context), clients: { ec2: ec2Client } });
