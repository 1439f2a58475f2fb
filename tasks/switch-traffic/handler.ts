import { TrafficTaskInputSchema, TrafficTaskOutputSchema } from '../../schemas/tasks/switch-traffic.js';
import { defineTask } from '../_shared/define-task.js';
import { trafficApis } from '../_shared/traffic-apis.js';
import { restoreTraffic } from './restore.js';
import { switchTraffic } from './switch-traffic.js';

/** Lambda handler of the `switch-traffic` task: a switch pass, or a restore pass (`action: "restore"`). */
export const handler = defineTask({
  id: 'switch-traffic',
  input: TrafficTaskInputSchema,
  output: TrafficTaskOutputSchema,
  run: (input, context) => (input.action === 'restore' ? restoreTraffic(input, context, trafficApis()) : switchTraffic(input, context, trafficApis())),
});
