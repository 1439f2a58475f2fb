import { CreateTagsCommand, DescribeInstancesCommand, EC2Client, type Instance, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/retire-instances/handler.js';
import { EXECUTION_ARN, captureLogs, ec2Error, envelope, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let instances: Instance[];

const inst = (id: string, state: string, role = 'failover-instance', plan = 'shop'): Instance => ({
  InstanceId: id,
  State: { Name: state as any },
  Tags: [
    { Key: 'lifeboat:plan', Value: plan },
    { Key: 'lifeboat:role', Value: role },
  ],
});
const DEADLINE = '2026-11-25T12:31:00.000Z';
const IDS = ['i-0a0a0a0a0a0a0a0a1', 'i-0a0a0a0a0a0a0a0a2', 'i-0a0a0a0a0a0a0a0a3', 'i-0a0a0a0a0a0a0a0a4', 'i-0a0a0a0a0a0a0a0a5'];
const input = (extra: Record<string, unknown> = {}) => ({ planName: 'shop', region: 'us-west-2', action: 'terminate', instanceIds: IDS, deadline: DEADLINE, ...extra });

describe('task: retire-instances', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    instances = [
      inst(IDS[0]!, 'running'),
      inst(IDS[1]!, 'stopped'),
      inst(IDS[2]!, 'terminated'),
      inst(IDS[3]!, 'running', 'failover-instance', 'other'),
      // IDS[4] is gone
    ];
    ec2.on(DescribeInstancesCommand).callsFake((req) => ({
      Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
    }));
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(TerminateInstancesCommand).callsFake((req) => {
      for (const i of instances.filter((x) => req.InstanceIds.includes(x.InstanceId))) i.State = { Name: 'shutting-down' };
      return {};
    });
    ec2.on(StopInstancesCommand).callsFake((req) => {
      for (const i of instances.filter((x) => req.InstanceIds.includes(x.InstanceId))) i.State = { Name: 'stopping' };
      return {};
    });
  });
  afterEach(() => vi.restoreAllMocks());

  test("terminates this plan's live failover instances after tagging who retired them; leaves others alone; a later pass confirms", async () => {
    const first = await handler(envelope('retire-instances', input()));
    expect(first).toEqual({
      retired: [IDS[0], IDS[1]],
      remaining: [IDS[0], IDS[1]],
      ignored: [
        { instanceId: IDS[3], reason: 'not a failover instance of plan "shop" (tags lifeboat:plan="other", lifeboat:role="failover-instance"): left alone' },
        { instanceId: IDS[4], reason: 'not found in us-west-2 (gone already)' },
      ],
      isComplete: false,
      pendingCount: 2,
      lastError: null,
    });
    expect(ec2.commandCalls(CreateTagsCommand)[0]!.args[0].input).toEqual({
      Resources: [IDS[0], IDS[1]],
      Tags: [{ Key: 'lifeboat:retired-by', Value: `${EXECUTION_ARN} at 2026-11-25T10:31:00.000Z` }],
    });
    expect(ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([[IDS[0], IDS[1]]]);
    const second = await handler(envelope('retire-instances', input()));
    expect(second).toMatchObject({ retired: [], remaining: [], isComplete: true, pendingCount: 0 });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
  });

  test('action stop stops the running ones, waits for stopping to end, and counts stopped as retired', async () => {
    const first = await handler(envelope('retire-instances', input({ action: 'stop' })));
    expect(first).toMatchObject({ retired: [IDS[0]], remaining: [IDS[0]], isComplete: false });
    expect(ec2.commandCalls(StopInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([[IDS[0]]]);
    // still stopping: no second StopInstances
    const second = await handler(envelope('retire-instances', input({ action: 'stop' })));
    expect(second).toMatchObject({ retired: [], remaining: [IDS[0]], isComplete: false });
    expect(ec2.commandCalls(StopInstancesCommand)).toHaveLength(1);
    instances[0]!.State = { Name: 'stopped' };
    expect(await handler(envelope('retire-instances', input({ action: 'stop' })))).toMatchObject({ isComplete: true });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toEqual([]);
  });

  test('a throttled terminate does not fail the pass: it says so and the loop tries again', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('RequestLimitExceeded'));
    const out = (await handler(envelope('retire-instances', input()))) as { retired: string[]; isComplete: boolean; lastError: string };
    expect(out.retired).toEqual([]);
    expect(out.isComplete).toBe(false);
    expect(out.lastError).toMatch(/^Lifeboat\.Throttled: /);
  });

  test('past the deadline with instances still up it fails with Lifeboat.Timeout naming them', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('RequestLimitExceeded'));
    const error = await rejectionOf(handler(envelope('retire-instances', input(), { stateEnteredTime: DEADLINE })));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain(`2 instance(s) not terminated: ${IDS[0]}, ${IDS[1]}`);
  });

  test('not being allowed fails at once (no pass can fix it)', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    const error = await rejectionOf(handler(envelope('retire-instances', input())));
    expect(error.name).toBe('Lifeboat.InvalidInput');
  });
});
