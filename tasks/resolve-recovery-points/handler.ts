import { ResolveRecoveryPointsInputSchema, ResolveRecoveryPointsOutputSchema } from '../../schemas/tasks/resolve-recovery-points.js';
import { ec2Client } from '../_shared/clients/ec2.js';
import { defineTask } from '../_shared/define-task.js';
import { resolveRecoveryPoints } from './resolve-recovery-points.js';

/** Lambda handler of the `resolve-recovery-points` task. */
export const handler = defineTask({
  id: 'resolve-recovery-points',
  input: ResolveRecoveryPointsInputSchema,
  output: ResolveRecoveryPointsOutputSchema,
  run: resolveRecoveryPoints,
  clients: { ec2: ec2Client },
});
