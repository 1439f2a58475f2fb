import { DescribeInstancesCommand, EC2Client, type Instance, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/teardown/handler.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let instances: Instance[];

const inst = (id: string, state: string, role: string, executionArn = EXECUTION_ARN): Instance => ({
  InstanceId: id,
  State: { Name: state as any },
  Tags: [
    { Key: 'lifeboat:plan', Value: 'shop' },
    { Key: 'lifeboat:role', Value: role },
    { Key: 'lifeboat:execution-arn', Value: executionArn },
  ],
});

/** The task's now in envelope(): 2026-11-25T10:31:00Z. */
const DEADLINE = '2026-11-25T16:31:00.000Z';
const input = (extra: Record<string, unknown> = {}) => ({ planName: 'shop', region: 'us-west-2', deadline: DEADLINE, ...extra });
const atDeadline = { stateEnteredTime: DEADLINE };
const connectionRefused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });

describe('task: teardown', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    instances = [
      inst('i-0e0e0e0e0e0e0e0e1', 'running', 'drill-instance'),
      inst('i-0e0e0e0e0e0e0e0e2', 'pending', 'drill-instance'),
      inst('i-0e0e0e0e0e0e0e0e3', 'terminated', 'drill-instance'),
      inst('i-0e0e0e0e0e0e0e0e4', 'running', 'failover-instance'),
      inst('i-0e0e0e0e0e0e0e0e5', 'running', 'drill-instance', `${EXECUTION_ARN}-other`),
    ];
    ec2.on(DescribeInstancesCommand).callsFake((req) => ({
      Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
    }));
    ec2.on(TerminateInstancesCommand).callsFake((req) => {
      for (const i of instances.filter((x) => req.InstanceIds.includes(x.InstanceId))) i.State = { Name: 'shutting-down' };
      return {};
    });
  });
  afterEach(() => vi.restoreAllMocks());

  test("terminates only this execution's live drill instances, and is not complete until a later pass confirms", async () => {
    const out = await handler(envelope('teardown', input()));
    expect(out).toEqual({
      terminated: ['i-0e0e0e0e0e0e0e0e1', 'i-0e0e0e0e0e0e0e0e2'],
      terminatedCount: 2,
      remaining: ['i-0e0e0e0e0e0e0e0e1', 'i-0e0e0e0e0e0e0e0e2'],
      isComplete: false,
      pendingCount: 2,
      lastError: null,
      unreachableSince: null,
    });
    expect(ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([['i-0e0e0e0e0e0e0e0e1', 'i-0e0e0e0e0e0e0e0e2']]);
  });

  test('the next pass finds them shutting down: complete, and nothing terminated twice', async () => {
    await handler(envelope('teardown', input()));
    const out = await handler(envelope('teardown', input()));
    expect(out).toEqual({ terminated: [], terminatedCount: 0, remaining: [], isComplete: true, pendingCount: 0, lastError: null, unreachableSince: null });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
  });

  test('a large drill: 1,000 instances per pass (TEARDOWN_TERMINATES_PER_PASS), the output lists 100 ids and counts them all, the passes terminate each once (issue 8)', async () => {
    const ids = Array.from({ length: 2_500 }, (_, n) => `i-0${n.toString(16).padStart(16, '0')}`);
    instances = ids.map((id) => inst(id, 'running', 'drill-instance'));
    const out = await handler(envelope('teardown', input()));
    expect(ec2.commandCalls(TerminateInstancesCommand).flatMap((c) => c.args[0].input.InstanceIds)).toEqual(ids.slice(0, 1000));
    expect(out).toMatchObject({ terminatedCount: 1000, pendingCount: 2_500, isComplete: false, stoppedBy: 'count' });
    expect(out.terminated).toEqual(ids.slice(0, 100));
    expect(out.remaining).toHaveLength(100);
    expect(JSON.stringify(out).length).toBeLessThan(8 * 1024);
    const second = await handler(envelope('teardown', input()));
    const third = await handler(envelope('teardown', input()));
    expect([second, third].map((o) => [o.terminatedCount, o.pendingCount, o.stoppedBy])).toEqual([[1000, 1500, 'count'], [500, 500, undefined]]);
    const last = await handler(envelope('teardown', input()));
    expect(last).toMatchObject({ isComplete: true, pendingCount: 0, terminatedCount: 0 });
    const asked = ec2.commandCalls(TerminateInstancesCommand).flatMap((c) => c.args[0].input.InstanceIds);
    expect(asked).toHaveLength(2_500);
    expect(new Set(asked).size).toBe(2_500);
  });

  test('a stopped drill instance is terminated too', async () => {
    instances = [inst('i-0e0e0e0e0e0e0e0e6', 'stopped', 'drill-instance')];
    const out = await handler(envelope('teardown', input()));
    expect(out).toMatchObject({ terminated: ['i-0e0e0e0e0e0e0e0e6'], isComplete: false });
  });

  test('a throttled read does not fail the pass: it reports the throttle and stays incomplete', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('teardown', input()));
    expect(out).toMatchObject({ terminated: [], isComplete: false, pendingCount: 1, unreachableSince: null });
    expect(out.lastError).toMatch(/^Lifeboat\.Throttled: DescribeInstances: RequestLimitExceeded/);
  });

  test('a throttled TerminateInstances does not fail the pass: the instances stay pending for the next pass', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('teardown', input()));
    expect(out).toMatchObject({ terminated: [], remaining: ['i-0e0e0e0e0e0e0e0e1', 'i-0e0e0e0e0e0e0e0e2'], isComplete: false, pendingCount: 2 });
    expect(out.lastError).toMatch(/^Lifeboat\.Throttled: TerminateInstances 2 instance\(s\)/);
  });

  test('an instance EC2 does not show yet (eventual consistency) is left for the next pass', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound'));
    const out = await handler(envelope('teardown', input()));
    expect(out).toMatchObject({ isComplete: false, pendingCount: 2 });
    expect(out.lastError).toMatch(/^Lifeboat\.NotFound/);
  });

  test('fails with Lifeboat.InvalidInput at once when termination is not authorised', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(handler(envelope('teardown', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('remembers since when the region endpoint has not answered, across passes', async () => {
    ec2.on(DescribeInstancesCommand).rejects(connectionRefused());
    const first = await handler(envelope('teardown', input()));
    expect(first).toMatchObject({ isComplete: false, unreachableSince: '2026-11-25T10:31:00.000Z' });
    const later = await handler(envelope('teardown', input({ unreachableSince: first.unreachableSince }), { stateEnteredTime: '2026-11-25T11:00:00.000Z' }));
    expect(later.unreachableSince).toBe('2026-11-25T10:31:00.000Z');
  });

  test('fails with Lifeboat.Timeout after the deadline, naming the instances still running', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const error = await rejectionOf(handler(envelope('teardown', input(), atDeadline)));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain(`deadline ${DEADLINE} passed`);
    expect(error.message).toContain('2 drill instance(s) not confirmed terminated: i-0e0e0e0e0e0e0e0e1, i-0e0e0e0e0e0e0e0e2');
    expect(error.message).toContain('lifeboat collect');
  });

  test('after the deadline with the region unreachable, says the region endpoint has not answered and since when', async () => {
    ec2.on(DescribeInstancesCommand).rejects(connectionRefused());
    const error = await rejectionOf(handler(envelope('teardown', input({ unreachableSince: '2026-11-25T12:00:00.000Z' }), atDeadline)));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain('the EC2 endpoint of us-west-2 has not answered since 2026-11-25T12:00:00.000Z (region unreachable)');
  });

  test('after the deadline, a confirmed teardown still completes', async () => {
    instances = [inst('i-0e0e0e0e0e0e0e0e3', 'terminated', 'drill-instance')];
    expect(await handler(envelope('teardown', input(), atDeadline))).toMatchObject({ isComplete: true });
  });
});
