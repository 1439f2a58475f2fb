import { type Instance, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { TEARDOWN_REMAINING_LIMIT, type TeardownInput, type TeardownOutput } from '../../schemas/tasks/teardown.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstances, filters } from '../_shared/ec2.js';
import { awsErrorFacts, lifeboatErrorNameOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { TimeoutError } from '../_shared/errors.js';
import { PassLimit } from '../_shared/pass-limit.js';
import { chunk } from '../_shared/tags.js';

/**
 * At most this many instances asked to terminate in one pass (one TerminateInstances call of
 * 1,000 ids, the most the call takes); the rest are terminated by the next passes.
 *
 * Why 1,000: besides its request bucket, TerminateInstances draws one token per instance from a
 * resource bucket of 1,000 that refills at 20 a second by default (EC2 API reference, "Request
 * throttling", resource token limits). A pass that asked for more would only be throttled; the
 * loop's wait (15 s, 30 s, …) lets the bucket refill between passes. A 5,000-instance drill is
 * torn down in 5 passes plus the confirming one.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export const TEARDOWN_TERMINATES_PER_PASS = 1000;

/** Instance states that still need a TerminateInstances (shutting-down and terminated are done). */
export const LIVE_INSTANCE_STATES = ['pending', 'running', 'stopping', 'stopped'] as const;

/**
 * `teardown` (a loop task): terminates every drill instance of this execution and, on a later
 * pass, confirms with DescribeInstances that none is left pending, running, stopping or stopped.
 *
 * Found by tags alone (`lifeboat:execution-arn`, `lifeboat:role=drill-instance`, `lifeboat:plan`),
 * so it also finds instances whose launch pass never returned. Failover instances are never
 * touched.
 *
 * A pass never fails because a read or a terminate was throttled, failed transiently, or named
 * an instance EC2 does not show yet: it reports what it could not do (`lastError`) and the loop
 * tries again after its wait. `isComplete` is only ever true after a read that found nothing left
 * to terminate, so the run ends only on a confirmed teardown. When the loop's deadline passes
 * (hours: docs/architecture.md, "Teardown"), the pass fails with `Lifeboat.Timeout` naming what
 * remains, and, when the region's endpoint has not answered, since when.
 *
 * Errors that more passes cannot fix (not authorised, invalid input) fail at once.
 *
 * Bounded (issue 8): at most {@link TEARDOWN_TERMINATES_PER_PASS} instances per pass, and no call
 * started once the Lambda's remaining time is within the safety margin (`_shared/pass-limit.ts`);
 * the output says `stoppedBy`, and the next pass reads the instances still live and goes on.
 * Terminating an instance already shutting down is harmless, so a retry after a timeout mid-pass
 * does nothing twice that matters.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
export async function teardown(input: TeardownInput, context: TaskContext): Promise<TeardownOutput> {
  const ec2 = context.ec2(input.region);
  const now = context.now.toISOString();
  // Made first, so that its margin is measured from the start of the pass (the read included).
  const limit = new PassLimit(context, TEARDOWN_TERMINATES_PER_PASS);
  let instances: Instance[];
  try {
    instances = await describeInstances(ec2, {
      Filters: filters({
        [`tag:${TAG_KEYS.executionArn}`]: context.executionArn,
        [`tag:${TAG_KEYS.role}`]: ROLES.drillInstance,
        [`tag:${TAG_KEYS.plan}`]: input.planName,
        'instance-state-name': [...LIVE_INSTANCE_STATES],
      }),
    });
  } catch (error) {
    const problem = passProblem(error, 'DescribeInstances');
    const unreachableSince = problem.isUnreachable ? (input.unreachableSince ?? now) : null;
    const out: TeardownOutput = { terminated: [], terminatedCount: 0, remaining: [], isComplete: false, pendingCount: 1, lastError: problem.text, unreachableSince };
    assertTeardownDeadline(input, context, out, 'could not read the drill instances');
    context.log('teardown pass could not read', { error: problem.text });
    return out;
  }
  const ids = instances.map((i) => i.InstanceId).filter((id): id is string => typeof id === 'string').sort();
  if (ids.length === 0) {
    return { terminated: [], terminatedCount: 0, remaining: [], isComplete: true, pendingCount: 0, lastError: null, unreachableSince: null };
  }
  const terminated: string[] = [];
  let lastError: string | null = null;
  let isUnreachable = false;
  // TerminateInstances takes up to 1000 ids per call; one refused part does not stop the others.
  for (const whole of chunk(ids, 1000)) {
    const granted = limit.takeUpTo(whole.length);
    if (granted === 0) break;
    const part = whole.slice(0, granted);
    try {
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: part }));
      terminated.push(...part);
    } catch (error) {
      const problem = passProblem(error, `TerminateInstances ${part.length} instance(s)`);
      lastError = problem.text;
      isUnreachable ||= problem.isUnreachable;
    }
  }
  // Not complete yet: the next pass reads the instances again and confirms they are going away.
  const out: TeardownOutput = {
    terminated: terminated.slice(0, TEARDOWN_REMAINING_LIMIT),
    terminatedCount: terminated.length,
    remaining: ids.slice(0, TEARDOWN_REMAINING_LIMIT),
    isComplete: false,
    pendingCount: ids.length,
    lastError,
    unreachableSince: isUnreachable ? (input.unreachableSince ?? now) : null,
    ...(limit.stoppedBy !== undefined ? { stoppedBy: limit.stoppedBy } : {}),
  };
  if (terminated.length > 0) context.log('terminated drill instances', { count: terminated.length, ...(limit.stoppedBy ? { stoppedBy: limit.stoppedBy, live: ids.length } : {}) });
  assertTeardownDeadline(input, context, out, `${ids.length} drill instance(s) not confirmed terminated`);
  return out;
}

/**
 * What went wrong in one call of a pass, when another pass can fix it: throttling, a transient
 * fault or an unreachable endpoint, or `.NotFound` (EC2's eventual consistency right after a
 * launch). Anything else is thrown as its Lifeboat error.
 */
function passProblem(error: unknown, where: string): { text: string; isUnreachable: boolean } {
  const name = lifeboatErrorNameOf(error);
  if (name !== 'Lifeboat.Throttled' && name !== 'Lifeboat.Transient' && name !== 'Lifeboat.NotFound') throw toLifeboatError(error, where);
  const mapped = toLifeboatError(error, where);
  // No HTTP answer at all (connection refused, reset, DNS): the endpoint itself is unreachable.
  const isUnreachable = name === 'Lifeboat.Transient' && awsErrorFacts(error).httpStatus === undefined;
  return { text: `${mapped.name}: ${mapped.message}`, isUnreachable };
}

/** Fails the pass with `Lifeboat.Timeout` once the deadline has passed and the teardown is not confirmed. */
function assertTeardownDeadline(input: TeardownInput, context: TaskContext, out: TeardownOutput, what: string): void {
  if (context.now.getTime() < Date.parse(input.deadline)) return;
  const shown = out.remaining.slice(0, 10).join(', ');
  const more = out.pendingCount > 10 && out.remaining.length > 0 ? ` and ${out.pendingCount - 10} more` : '';
  const region = out.unreachableSince
    ? `; the EC2 endpoint of ${input.region} has not answered since ${out.unreachableSince} (region unreachable)`
    : '';
  throw new TimeoutError(
    `teardown 'drill instances' in ${input.region}: deadline ${input.deadline} passed at ${context.now.toISOString()}: ${what}${shown ? `: ${shown}${more}` : ''}${region}; last error: ${out.lastError ?? 'none'}. The collector terminates drill instances of finished executions on its next run (lifeboat collect --plan FILE).`,
  );
}
