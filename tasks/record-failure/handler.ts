import { RecordFailureInputSchema, RecordFailureOutputSchema } from '../../schemas/tasks/record-failure.js';
import { cloudWatchClient } from '../_shared/clients/cloudwatch.js';
import { defineTask } from '../_shared/define-task.js';
import { recordFailure } from './record-failure.js';

/** Lambda handler of the `record-failure` task. */
export const handler = defineTask({ id: 'record-failure', input: RecordFailureInputSchema, output: RecordFailureOutputSchema, run: recordFailure, clients: { cloudwatch: cloudWatchClient } });
