import type { Instance } from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { FindRecoveredInstancesInput, FindRecoveredInstancesOutput } from '../../schemas/tasks/find-recovered-instances.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstances, filters } from '../_shared/ec2.js';
import { toLifeboatError } from '../_shared/ec2-errors.js';
import { InvalidInputError, NotFoundError } from '../_shared/errors.js';
import { NAMED_AT_MOST, namedFirst } from '../_shared/scale.js';
import { chunk, tagMap } from '../_shared/tags.js';

/** A recovered instance still serving: only these fail back (a stopped one was retired already). */
const SERVING_STATES = ['pending', 'running'];

/**
 * `find-recovered-instances`: the failback's first step. Reads, in the recovery region, the
 * plan's failover instances that are pending or running (tags `lifeboat:plan`,
 * `lifeboat:role=failover-instance`), picks the failover execution whose instances fail back (the
 * pinned one, else the one that launched most recently), and returns its instances in batches of
 * `{workload, instanceId}` for the backup batch iteration run in the other direction.
 *
 * Read-only, so a retry or redrive simply reads again. A critical workload without a running
 * recovered instance fails with `Lifeboat.NotFound` (there is nothing to fail back, or the
 * failover did not finish); an optional one is counted in `missingCount` and, among the first 20
 * in plan order, named in `missing` (every name is in the task log). Running failover instances of
 * other executions are listed in `others` and left alone.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
export async function findRecoveredInstances(input: FindRecoveredInstancesInput, context: TaskContext): Promise<FindRecoveredInstancesOutput> {
  const ec2 = context.ec2(input.region);
  let instances: Instance[];
  try {
    instances = await describeInstances(ec2, {
      Filters: filters({
        [`tag:${TAG_KEYS.plan}`]: input.planName,
        [`tag:${TAG_KEYS.role}`]: ROLES.failoverInstance,
        'instance-state-name': SERVING_STATES,
      }),
    });
  } catch (error) {
    throw toLifeboatError(error, `DescribeInstances (failover instances of plan ${JSON.stringify(input.planName)}) in ${input.region}`);
  }
  const found = instances.flatMap((inst) => {
    const tags = tagMap(inst.Tags);
    const executionArn = tags[TAG_KEYS.executionArn];
    const workload = tags[TAG_KEYS.workload];
    if (!inst.InstanceId || !executionArn || !workload) return [];
    return [{ instanceId: inst.InstanceId, executionArn, workload, launchedAt: inst.LaunchTime ? new Date(inst.LaunchTime).getTime() : 0 }];
  });
  if (found.length === 0) {
    throw new NotFoundError(
      `find recovered instances in ${input.region}: no pending or running instance tagged ${TAG_KEYS.plan}=${input.planName} and ${TAG_KEYS.role}=${ROLES.failoverInstance}; nothing to fail back (was the plan failed over, or retired already?)`,
    );
  }
  const executionArn = input.failoverExecutionArn ?? newestExecution(found);
  const mine = found.filter((f) => f.executionArn === executionArn);
  if (mine.length === 0) {
    const seen = [...new Set(found.map((f) => f.executionArn))];
    throw new NotFoundError(
      `find recovered instances in ${input.region}: no running instance of failover ${executionArn}; running failover instances belong to ${namedFirst(seen.map((a) => JSON.stringify(a)), ', ', 'failover execution(s)')}. Start the failback without "failoverExecution" to take the newest.`,
    );
  }
  const known = new Set(input.workloads.map((w) => w.name));
  const targets = mine
    .filter((f) => known.has(f.workload))
    .sort((a, b) => a.workload.localeCompare(b.workload) || a.instanceId.localeCompare(b.instanceId))
    .map((f) => ({ workload: f.workload, instanceId: f.instanceId }));
  const covered = new Set(targets.map((t) => t.workload));
  const absent = input.workloads.filter((w) => !covered.has(w.name));
  const critical = absent.filter((w) => w.isCritical).map((w) => w.name);
  if (critical.length > 0) {
    // Named up to 20: a cause holds at most 32,768 characters, and a plan may hold 10,000 workloads.
    if (critical.length > NAMED_AT_MOST) context.log('critical workloads without a running recovered instance', { critical });
    throw new NotFoundError(
      `find recovered instances in ${input.region}: critical workload(s) ${namedFirst(critical.map((n) => JSON.stringify(n)), ', ', 'critical workload(s)')} have no running instance of failover ${executionArn}; fail back only once every critical workload runs in the recovery region`,
    );
  }
  if (input.maxTargets !== undefined && targets.length > input.maxTargets) {
    throw new InvalidInputError(
      `find recovered instances in ${input.region}: expected at most ${input.maxTargets} recovered instances for one failback (a failback runs inline: one execution history; docs/decisions/0013-failback.md), found ${targets.length} of failover ${executionArn}. ` +
        'Fix: when several failovers left instances running, fail back one failover at a time (lifeboat failback --failover-execution <ARN>); a plan of more instances must be split into plans of at most ' +
        `${input.maxTargets} instances before its failover, or its instances failed back by hand (docs/runbooks/failback.md, "More than ${input.maxTargets} instances")`,
    );
  }
  const others = found.filter((f) => f.executionArn !== executionArn).slice(0, 50).map((f) => ({ instanceId: f.instanceId, executionArn: f.executionArn }));
  if (others.length > 0) context.log('running failover instances of other executions are left alone', { count: others.length });
  // The output names the first missing workloads (plan order) and counts them all: it stays small at any plan size.
  const missing = absent.map((w) => w.name);
  if (missing.length > NAMED_AT_MOST) context.log('optional workloads without a running recovered instance', { missing });
  return {
    failoverExecutionArn: executionArn,
    batches: chunk(targets, input.batchSize),
    targetCount: targets.length,
    instanceIds: targets.map((t) => t.instanceId),
    missing: missing.slice(0, NAMED_AT_MOST),
    missingCount: missing.length,
    others,
  };
}

/** The execution whose instances launched last (ties: the larger ARN, so the answer is stable). */
function newestExecution(found: readonly { executionArn: string; launchedAt: number }[]): string {
  const latest = new Map<string, number>();
  for (const f of found) latest.set(f.executionArn, Math.max(latest.get(f.executionArn) ?? 0, f.launchedAt));
  return [...latest.entries()].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0][0];
}
