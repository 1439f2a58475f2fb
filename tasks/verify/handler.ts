import { VerifyInputSchema, VerifyOutputSchema } from '../../schemas/tasks/verify.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { verify } from './verify.js';

/** Lambda handler of the `verify` task. */
export const handler = defineTask({ id: 'verify', input: VerifyInputSchema, output: VerifyOutputSchema, run: verify, clients: { ec2: ec2Client } });
