import { PROBE_RELAY_ENV, ProbeHealthInputSchema, ProbeHealthOutputSchema } from '../../schemas/tasks/probe-health.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { probeHealth } from './probe-health.js';
import { relayInvoke } from './relay.js';

const relayTo = process.env[PROBE_RELAY_ENV];

/**
 * Lambda handler of the `probe-health` task: on AWS attached to the recovery VPC (failover, drill),
 * or, with `LIFEBOAT_PROBE_RELAY` set (the failback stack), a relay that forwards the envelope to
 * the failback's probe in the primary region's VPC and returns its answer (./relay.ts).
 */
export const handler =
  relayTo !== undefined && relayTo !== ''
    ? (event: unknown) => relayInvoke(relayTo, event)
    : defineTask({ id: 'probe-health', input: ProbeHealthInputSchema, output: ProbeHealthOutputSchema, run: (input, context) => probeHealth(input, context), clients: { ec2: ec2Client } });
