import { PublishRpoInputSchema, PublishRpoOutputSchema } from '../../schemas/tasks/publish-rpo.js';
import { cloudWatchClient } from '../_shared/clients/cloudwatch.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { publishRpo } from './publish-rpo.js';

/** Lambda handler of the `publish-rpo` task. */
export const handler = defineTask({ id: 'publish-rpo', input: PublishRpoInputSchema, output: PublishRpoOutputSchema, run: publishRpo, clients: { cloudwatch: cloudWatchClient, ec2: ec2Client } });
