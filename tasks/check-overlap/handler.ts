import { CheckOverlapInputSchema, CheckOverlapOutputSchema } from '../../schemas/tasks/check-overlap.js';
import { cloudWatchClient } from '../_shared/clients/cloudwatch.js';
import { sfnClient } from '../_shared/clients/sfn.js';
import { defineTask } from '../_shared/define-task.js';
import { checkOverlap } from './check-overlap.js';

/** The `check-overlap` Lambda: does a scheduled backup find the previous one still running? */
export const handler = defineTask({ id: 'check-overlap', input: CheckOverlapInputSchema, output: CheckOverlapOutputSchema, run: checkOverlap, clients: { cloudwatch: cloudWatchClient, sfn: sfnClient } });
