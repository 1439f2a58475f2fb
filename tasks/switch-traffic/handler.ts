import { SwitchTrafficInputSchema, SwitchTrafficOutputSchema } from '../../schemas/tasks/switch-traffic.js';
import { defineTask } from '../_shared/define-task.js';
import { trafficApis } from '../_shared/traffic-apis.js';
import { switchTraffic } from './switch-traffic.js';

/** Lambda handler of the `switch-traffic` task. */
export const handler = defineTask({ id: 'switch-traffic', input: SwitchTrafficInputSchema, output: SwitchTrafficOutputSchema, run: (input, context) => switchTraffic(input, context, trafficApis()) });
