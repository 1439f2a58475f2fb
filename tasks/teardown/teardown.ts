import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { TeardownInput, TeardownOutput } from '../../schemas/tasks/teardown.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstances, filters } from '../_shared/ec2.js';
import { chunk } from '../_shared/tags.js';

/**
 * `teardown`: terminates every instance this execution launched as a drill instance that is not
 * already terminated or shutting down.
 *
 * Found by tags alone (`lifeboat:execution-arn`, `lifeboat:role=drill-instance`, `lifeboat:plan`),
 * so it also cleans up instances whose launch pass never returned. Idempotent: a second call
 * finds nothing left to terminate. Failover instances are never touched.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
 */
export async function teardown(input: TeardownInput, context: TaskContext): Promise<TeardownOutput> {
  const ec2 = context.ec2(input.region);
  const instances = await describeInstances(ec2, {
    Filters: filters({
      [`tag:${TAG_KEYS.executionArn}`]: context.executionArn,
      [`tag:${TAG_KEYS.role}`]: ROLES.drillInstance,
      [`tag:${TAG_KEYS.plan}`]: input.planName,
      'instance-state-name': ['pending', 'running', 'stopping', 'stopped'],
    }),
  });
  const ids = instances.map((i) => i.InstanceId).filter((id): id is string => typeof id === 'string').sort();
  // TerminateInstances takes up to 1000 ids per call.
  for (const part of chunk(ids, 1000)) {
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: part }));
  }
  if (ids.length > 0) context.log('terminated drill instances', { count: ids.length });
  return { terminated: ids };
}
