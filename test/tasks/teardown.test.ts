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

  test("terminates only this execution's live drill instances", async () => {
    const out = await handler(envelope('teardown', { planName: 'shop', region: 'us-west-2' }));
    expect(out).toEqual({ terminated: ['i-0e0e0e0e0e0e0e0e1', 'i-0e0e0e0e0e0e0e0e2'] });
    expect(ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([['i-0e0e0e0e0e0e0e0e1', 'i-0e0e0e0e0e0e0e0e2']]);
  });

  test('terminates nothing more when retried after a crash', async () => {
    await handler(envelope('teardown', { planName: 'shop', region: 'us-west-2' }));
    const out = await handler(envelope('teardown', { planName: 'shop', region: 'us-west-2' }));
    expect(out).toEqual({ terminated: [] });
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(1);
  });

  test('fails with Lifeboat.Throttled when TerminateInstances is throttled', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    expect((await rejectionOf(handler(envelope('teardown', { planName: 'shop', region: 'us-west-2' })))).name).toBe('Lifeboat.Throttled');
  });

  test('fails with Lifeboat.NotFound when an instance vanished between describe and terminate', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound'));
    expect((await rejectionOf(handler(envelope('teardown', { planName: 'shop', region: 'us-west-2' })))).name).toBe('Lifeboat.NotFound');
  });

  test('fails with Lifeboat.InvalidInput when termination is not authorised', async () => {
    ec2.on(TerminateInstancesCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(handler(envelope('teardown', { planName: 'shop', region: 'us-west-2' })))).name).toBe('Lifeboat.InvalidInput');
  });
});
