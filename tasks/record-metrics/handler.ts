import { RecordMetricsInputSchema, RecordMetricsOutputSchema } from '../../schemas/tasks/record-metrics.js';
import { cloudWatchClient } from '../_shared/clients/cloudwatch.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { recordMetrics } from './record-metrics.js';

/** Lambda handler of the `record-metrics` task. */
export const handler = defineTask({ id: 'record-metrics', input: RecordMetricsInputSchema, output: RecordMetricsOutputSchema, run: recordMetrics, clients: { cloudwatch: cloudWatchClient, ec2: ec2Client } });
