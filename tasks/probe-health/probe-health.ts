import type { InstanceHealth, ProbeAnswer, ProbeHealthInput, ProbeHealthOutput } from '../../schemas/tasks/probe-health.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstancesBy } from '../_shared/ec2.js';
import { HealthCheckFailedError } from '../_shared/errors.js';
import { PassNotes } from '../_shared/tolerate.js';
import { endpointOf, networkProber, PROBE_PROXY_ENV, type Prober } from './probe.js';

/** A probe whose interval is due within this much of the pass counts as due (Wait states are whole seconds). */
const INTERVAL_SLACK_MS = 1_000;

/**
 * At most this many probes in flight at once in one pass: a wave's launch batch (inline, at most
 * 100 instances) is probed in one round, so a pass lasts at most about one probe timeout (≤ 60 s)
 * per 100 instances, within the function's 180 s (`TASK_TIMEOUT_SECONDS`).
 */
const MAX_PARALLEL_PROBES = 100;

/**
 * `probe-health` (a loop task): probes every instance of a wave whose workload has a health check,
 * by its private address, until each has passed its check's `healthyThreshold` probes in a row.
 *
 * A pass reads the private addresses it does not know yet (DescribeInstances by `instance-id`
 * filter; a throttled read leaves those instances for the next pass), then probes, in parallel,
 * each instance not yet healthy whose interval has elapsed since its last probe. A failed probe
 * starts its count again. An instance not healthy `deadlineMinutes` after `startedAt` fails the
 * pass with `Lifeboat.HealthCheckFailed`, naming each such instance, its endpoint, what it answered
 * and what to do. The state machine waits between passes; the Lambda never sleeps.
 *
 * @see docs/decisions/0011-application-health.md
 */
export async function probeHealth(input: ProbeHealthInput, context: TaskContext, prober: Prober = networkProber(process.env[PROBE_PROXY_ENV])): Promise<ProbeHealthOutput> {
  const now = context.now.getTime();
  const notes = new PassNotes(context);
  const before = new Map((input.health ?? []).map((h) => [h.instanceId, h]));
  const health: InstanceHealth[] = input.instances
    .filter((i) => input.checks[i.workload] !== undefined)
    .map((i) => before.get(i.instanceId) ?? { workload: i.workload, instanceId: i.instanceId, privateIp: null, endpoint: null, passes: 0, probes: 0, isHealthy: false, probedAt: null, last: null });

  const unknown = health.filter((h) => h.privateIp === null).map((h) => h.instanceId);
  if (unknown.length > 0) {
    const found = await notes.tolerate(`DescribeInstances (${unknown.length} private address(es))`, () => describeInstancesBy(context.ec2(input.region), 'instance-id', unknown));
    const addresses = new Map((found ?? []).map((i) => [i.InstanceId, i.PrivateIpAddress]));
    for (const h of health) {
      const address = addresses.get(h.instanceId);
      if (h.privateIp !== null || address === undefined) continue;
      const check = input.checks[h.workload]!;
      h.privateIp = address;
      h.endpoint = endpointOf({ address, protocol: check.protocol, port: check.port, path: check.path });
    }
    if (found !== undefined) {
      for (const h of health) {
        if (h.privateIp === null) h.last = { outcome: 'error', detail: `${h.instanceId} is not listed by DescribeInstances in ${input.region}, or has no private address yet` };
      }
    }
  }

  const due = health.filter((h) => {
    if (h.isHealthy || h.privateIp === null) return false;
    const interval = input.checks[h.workload]!.intervalSeconds * 1000;
    return h.probedAt === null || now - Date.parse(h.probedAt) + INTERVAL_SLACK_MS >= interval;
  });
  for (let at = 0; at < due.length; at += MAX_PARALLEL_PROBES) {
    const part = due.slice(at, at + MAX_PARALLEL_PROBES);
    const answers = await Promise.all(
      part.map((h) => {
        const check = input.checks[h.workload]!;
        return prober({ address: h.privateIp!, protocol: check.protocol, port: check.port, path: check.path, timeoutMs: check.timeoutSeconds * 1000 });
      }),
    );
    part.forEach((h, k) => {
      const check = input.checks[h.workload]!;
      const answer = answers[k]!;
      const isPass = answer.outcome === 'open' || (answer.outcome === 'status' && check.expectedStatus !== null && answer.status! >= check.expectedStatus.min && answer.status! <= check.expectedStatus.max);
      h.probes += 1;
      h.passes = isPass ? h.passes + 1 : 0;
      h.isHealthy = h.passes >= check.healthyThreshold;
      h.probedAt = context.now.toISOString();
      h.last = answer;
    });
  }

  const started = Date.parse(input.startedAt);
  const overdue = health.filter((h) => !h.isHealthy && now >= started + input.checks[h.workload]!.deadlineMinutes * 60_000);
  if (overdue.length > 0) throw new HealthCheckFailedError(failureMessage(input, overdue));
  const healthyCount = health.filter((h) => h.isHealthy).length;
  if (due.length > 0) context.log('probed application health', { probed: due.length, healthy: healthyCount, of: health.length });
  return { health, isComplete: healthyCount === health.length, pendingCount: health.length - healthyCount, healthyCount, ...notes.output() };
}

/** What a failed check says: every unhealthy instance, its endpoint, what it answered, and what to do. */
function failureMessage(input: ProbeHealthInput, overdue: readonly InstanceHealth[]): string {
  const lines = overdue.slice(0, 10).map((h) => {
    const check = input.checks[h.workload]!;
    const expected = check.protocol === 'tcp' ? 'a TCP connection' : `HTTP ${check.expectedStatus!.min === check.expectedStatus!.max ? check.expectedStatus!.min : `${check.expectedStatus!.min}-${check.expectedStatus!.max}`}`;
    const found = describeAnswer(h.last);
    return `${h.workload}/${h.instanceId} at ${h.endpoint ?? '(no private address)'}: expected ${expected} ${check.healthyThreshold} time(s) in a row within ${check.deadlineMinutes} min, found ${found} (${h.probes} probe(s), ${h.passes} passing in a row)`;
  });
  const more = overdue.length > 10 ? `; and ${overdue.length - 10} more instance(s)` : '';
  if (input.mode === 'failback') {
    return (
      `application health in ${input.region}: ${overdue.length} instance(s) not healthy by the deadline: ${lines.join('; ')}${more}. ` +
      'What to do: the recovery region still serves (nothing was retired, traffic not moved). Check that the application starts on the failback instance (its logs, settings that name the recovery region), ' +
      "that the instance's security group allows the failback probe's security group (plan failback.healthProbe.securityGroupIds) on the check's port, " +
      "and that the check's path and expected status are right; then redrive the failback."
    );
  }
  return (
    `application health in ${input.region}: ${overdue.length} instance(s) not healthy by the deadline: ${lines.join('; ')}${more}. ` +
    'What to do: check that the application starts on the recovered instance (its logs, settings that name the primary region), ' +
    "that the instance's security group allows the probe's security group (plan healthProbe.securityGroupIds) on the check's port, " +
    "and that the check's path and expected status are right; then redrive the failover, or run the drill again."
  );
}

function describeAnswer(answer: ProbeAnswer | null): string {
  if (answer === null) return 'no probe made';
  switch (answer.outcome) {
    case 'status':
      return `HTTP ${answer.status}`;
    case 'open':
      return 'an accepted connection';
    case 'refused':
      return 'connection refused';
    case 'timeout':
      return `no answer (timeout)`;
    case 'error':
      return answer.detail;
  }
}
