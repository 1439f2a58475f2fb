import { CollectInputSchema, CollectOutputSchema } from '../../schemas/tasks/collect.js';
import { cloudWatchClient } from '../_shared/clients/cloudwatch.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { sfnClient } from '../_shared/clients/sfn.js';
import { defineTask } from '../_shared/define-task.js';
import { collect } from './collect.js';

/** The `collect` Lambda: removes what finished runs left behind (docs/contracts.md, "Collector"). */
export const handler = defineTask({ id: 'collect', input: CollectInputSchema, output: CollectOutputSchema, run: collect, clients: { cloudwatch: cloudWatchClient, ec2: ec2Client, sfn: sfnClient } });
