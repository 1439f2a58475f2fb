import { CreateTagsCommand, type Instance, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { RetireInstancesInput, RetireInstancesOutput } from '../../schemas/tasks/retire-instances.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstancesBy } from '../_shared/ec2.js';
import { lifeboatErrorNameOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { TimeoutError } from '../_shared/errors.js';
import { PassLimit } from '../_shared/pass-limit.js';
import { chunk, tagMap } from '../_shared/tags.js';

/**
 * At most this many instances stopped or terminated in one pass: one StopInstances or
 * TerminateInstances call of 1,000 ids (the input carries at most 1,000). Both calls draw one
 * token per instance from a resource bucket of 1,000 refilled at 20 a second by default (EC2 API
 * reference, "Request throttling"), so a larger pass would only be throttled.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export const RETIRE_INSTANCES_PER_PASS = 1000;

/** States in which an instance counts as retired, per action (shutting-down ends in terminated). */
const RETIRED_STATES: Record<RetireInstancesInput['action'], readonly string[]> = {
  terminate: ['shutting-down', 'terminated'],
  stop: ['stopped', 'shutting-down', 'terminated'],
};
/** States already on their way (no second call needed). */
const GOING_STATES: Record<RetireInstancesInput['action'], readonly string[]> = { terminate: [], stop: ['stopping'] };

/**
 * `retire-instances` (a loop task): the failback's last step. Stops or terminates the recovered
 * instances that the failback brought back to the primary region, then, on a later pass,
 * confirms they are stopped (or terminated).
 *
 * Only this plan's failover instances are touched: an id whose instance is not tagged
 * `lifeboat:plan=<plan>` and `lifeboat:role=failover-instance` is listed in `ignored` (as is one
 * EC2 no longer knows). Before acting, each instance is tagged `lifeboat:retired-by` with the
 * failback execution and time, so the audit trail is on the instance too. Idempotent: a retry
 * reads again and acts only on what is still up.
 *
 * A throttled or transient call does not fail the pass (`lastError`, the loop tries again);
 * past `deadline` with instances still up it fails with `Lifeboat.Timeout` naming them.
 *
 * Bounded (issue 8): at most {@link RETIRE_INSTANCES_PER_PASS} instances per pass, and no call
 * started once the Lambda's remaining time is within the safety margin (`_shared/pass-limit.ts`):
 * the instances not acted on stay in `remaining` for the next pass.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
 */
export async function retireInstances(input: RetireInstancesInput, context: TaskContext): Promise<RetireInstancesOutput> {
  const ec2 = context.ec2(input.region);
  // Made first, so that its margin is measured from the start of the pass (the read included).
  const limit = new PassLimit(context, RETIRE_INSTANCES_PER_PASS);
  if (input.instanceIds.length === 0) return { retired: [], remaining: [], ignored: [], isComplete: true, pendingCount: 0, lastError: null };
  let instances: Instance[];
  try {
    instances = await describeInstancesBy(ec2, 'instance-id', input.instanceIds);
  } catch (error) {
    const lastError = passProblem(error, 'DescribeInstances');
    const out = { retired: [], remaining: [...input.instanceIds], ignored: [], isComplete: false, pendingCount: input.instanceIds.length, lastError };
    assertRetireDeadline(input, context, out);
    return out;
  }
  const byId = new Map(instances.map((i) => [i.InstanceId ?? '', i]));
  const ignored: RetireInstancesOutput['ignored'] = [];
  const toAct: Instance[] = [];
  const remaining: string[] = [];
  for (const id of input.instanceIds) {
    const inst = byId.get(id);
    if (inst === undefined) {
      ignored.push({ instanceId: id, reason: `not found in ${input.region} (gone already)` });
      continue;
    }
    const tags = tagMap(inst.Tags);
    if (tags[TAG_KEYS.plan] !== input.planName || tags[TAG_KEYS.role] !== ROLES.failoverInstance) {
      ignored.push({ instanceId: id, reason: `not a failover instance of plan ${JSON.stringify(input.planName)} (tags ${TAG_KEYS.plan}=${JSON.stringify(tags[TAG_KEYS.plan] ?? null)}, ${TAG_KEYS.role}=${JSON.stringify(tags[TAG_KEYS.role] ?? null)}): left alone` });
      continue;
    }
    const state = inst.State?.Name ?? 'pending';
    if (RETIRED_STATES[input.action].includes(state)) continue;
    remaining.push(id);
    if (!GOING_STATES[input.action].includes(state)) toAct.push(inst);
  }
  const retired: string[] = [];
  let lastError: string | null = null;
  const stamp = `${context.executionArn} at ${context.now.toISOString()}`.slice(0, 256);
  for (const whole of chunk(toAct, 1000)) {
    const granted = limit.takeUpTo(whole.length);
    if (granted === 0) break;
    const part = whole.slice(0, granted);
    const ids = part.map((i) => i.InstanceId!);
    try {
      const untagged = part.filter((i) => tagMap(i.Tags)[TAG_KEYS.retiredBy] === undefined).map((i) => i.InstanceId!);
      if (untagged.length > 0) await ec2.send(new CreateTagsCommand({ Resources: untagged, Tags: [{ Key: TAG_KEYS.retiredBy, Value: stamp }] }));
      await ec2.send(input.action === 'terminate' ? new TerminateInstancesCommand({ InstanceIds: ids }) : new StopInstancesCommand({ InstanceIds: ids }));
      retired.push(...ids);
    } catch (error) {
      lastError = passProblem(error, `${input.action === 'terminate' ? 'TerminateInstances' : 'StopInstances'} ${ids.length} instance(s)`);
    }
  }
  if (retired.length > 0) context.log(`retire: ${input.action} requested`, { count: retired.length });
  if (limit.stoppedBy !== undefined) context.log('retire: the rest is left for the next pass', { stoppedBy: limit.stoppedBy, acted: limit.count, toAct: toAct.length });
  const out: RetireInstancesOutput = { retired, remaining, ignored, isComplete: remaining.length === 0, pendingCount: remaining.length, lastError };
  if (!out.isComplete) assertRetireDeadline(input, context, out);
  return out;
}

/** A problem another pass can fix (throttled, transient, not visible yet), as text; anything else is thrown. */
function passProblem(error: unknown, where: string): string {
  const name = lifeboatErrorNameOf(error);
  const mapped = toLifeboatError(error, where);
  if (name !== 'Lifeboat.Throttled' && name !== 'Lifeboat.Transient' && name !== 'Lifeboat.NotFound') throw mapped;
  return `${mapped.name}: ${mapped.message}`;
}

function assertRetireDeadline(input: RetireInstancesInput, context: TaskContext, out: RetireInstancesOutput): void {
  if (context.now.getTime() < Date.parse(input.deadline)) return;
  const goal = input.action === 'terminate' ? 'terminated' : 'stopped';
  throw new TimeoutError(
    `retire recovery instances in ${input.region}: deadline ${input.deadline} passed at ${context.now.toISOString()} with ${out.pendingCount} instance(s) not ${goal}: ${out.remaining.slice(0, 10).join(', ')}${out.pendingCount > 10 ? ' …' : ''}; last error: ${out.lastError ?? 'none'}. They still run in ${input.region}: ${input.action} them by the tag ${TAG_KEYS.retiredBy}, or redrive the failback once EC2 answers.`,
  );
}
