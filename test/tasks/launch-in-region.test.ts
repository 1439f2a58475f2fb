import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  type Instance,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { createHash } from 'node:crypto';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/launch-in-region/handler.js';
import { inOrderAtMost, LAUNCH_CONCURRENCY, launchClientToken } from '../../tasks/launch-in-region/launch-in-region.js';
import { ALMOST_READY_LEFT } from '../../schemas/tasks/launch-in-region.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope, fakeId, fixture, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let instances: Instance[];
/** `<type>/<subnet>` pairs that answer InsufficientInstanceCapacity. */
let noCapacity: Set<string>;
/** Instance status by id: 'ok' | 'impaired' | 'initializing'. */
let status: Map<string, string>;

const SUBNET_A = 'subnet-0aa11bb22cc330001';
const SUBNET_B = 'subnet-0aa11bb22cc330002';
const ISOLATED = 'subnet-0dd44ee55ff660001';

const target = (over: Record<string, unknown> = {}) => ({
  workload: 'web',
  sourceInstanceId: 'i-0a1b2c3d4e5f60001',
  imageId: 'ami-0c0c0c0c0c0c0c0c1',
  recoveryPointTime: '2026-11-25T10:30:00.000Z',
  isCritical: true,
  launch: { subnetIds: [SUBNET_A, SUBNET_B], securityGroupIds: ['sg-0aa11bb22cc330002'], instanceTypes: ['m6i.large', 'm5.large'], keyName: 'ops' },
  ...over,
});

const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-west-2',
  mode: 'failover',
  deadline: '2026-11-25T12:00:00.000Z',
  targets: [target()],
  ...over,
});

/**
 * An in-memory recovery region: RunInstances honours ClientToken (same token → the same
 * instance, https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html) and
 * answers InsufficientInstanceCapacity (HTTP 500) for the rungs in `noCapacity`.
 */
function fakeEc2() {
  instances = [];
  noCapacity = new Set();
  status = new Map();
  ec2.reset();
  ec2.on(DescribeInstancesCommand).callsFake((req) => ({
    Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
  }));
  ec2.on(RunInstancesCommand).callsFake(runInstances);
  ec2.on(DescribeInstanceStatusCommand).callsFake((req) => ({
    InstanceStatuses: req.InstanceIds.map((id: string) => {
      const shape = fixture('describe-instance-status', 'ok').InstanceStatuses[0];
      const s = status.get(id) ?? 'initializing';
      return { ...shape, InstanceId: id, InstanceStatus: { Status: s }, SystemStatus: { Status: s === 'impaired' ? 'ok' : s } };
    }),
  }));
  ec2.on(CreateTagsCommand).callsFake((req) => {
    for (const i of instances.filter((x) => req.Resources.includes(x.InstanceId))) i.Tags = [...(i.Tags ?? []), ...req.Tags];
    return {};
  });
  ec2.on(TerminateInstancesCommand).callsFake((req) => {
    for (const i of instances.filter((x) => req.InstanceIds.includes(x.InstanceId))) i.State = { Code: 48, Name: 'terminated' };
    return {};
  });
}

/** The fake region's RunInstances (honours ClientToken and `noCapacity`). */
function runInstances(req: RunInstancesCommandInput) {
  const known = instances.find((i) => i.ClientToken === req.ClientToken);
  if (known) return { Instances: [known] };
  if (noCapacity.has(`${req.InstanceType}/${req.SubnetId}`)) throw ec2Error('InsufficientInstanceCapacity', 500, `We currently do not have sufficient ${req.InstanceType} capacity in the Availability Zone you requested.`);
  const shape = fixture('run-instances', 'pending').Instances[0];
  const instance: Instance = {
    ...shape,
    InstanceId: fakeId('i', instances.length + 1),
    ImageId: req.ImageId,
    InstanceType: req.InstanceType,
    SubnetId: req.SubnetId,
    ClientToken: req.ClientToken,
    Tags: req.TagSpecifications!.find((s) => s.ResourceType === 'instance')!.Tags,
  };
  instances.push(instance);
  return { Instances: [instance] };
}

const runAll = (state: string) => instances.forEach((i) => (i.State = { Code: state === 'running' ? 16 : 48, Name: state as any }));

describe('task: launch-in-region', () => {
  beforeEach(() => {
    captureLogs();
    fakeEc2();
  });
  afterEach(() => vi.restoreAllMocks());

  test('launches the recovery point on the first rung with tags and the derived client token', async () => {
    const out = await handler(envelope('launch-in-region', input()));

    expect(out).toEqual({
      instances: [{ workload: 'web', sourceInstanceId: 'i-0a1b2c3d4e5f60001', imageId: 'ami-0c0c0c0c0c0c0c0c1', instanceId: fakeId('i', 1), instanceType: 'm6i.large', subnetId: SUBNET_A, state: 'pending' }],
      isComplete: false,
      readyCount: 0,
      skipped: [],
    });
    const call = ec2.commandCalls(RunInstancesCommand)[0].args[0].input;
    expect(call).toMatchObject({ ImageId: 'ami-0c0c0c0c0c0c0c0c1', MinCount: 1, MaxCount: 1, InstanceType: 'm6i.large', SubnetId: SUBNET_A, SecurityGroupIds: ['sg-0aa11bb22cc330002'], KeyName: 'ops' });
    expect(call.ClientToken).toBe(createHash('sha256').update(`${EXECUTION_ARN}|i-0a1b2c3d4e5f60001|m6i.large|${SUBNET_A}`).digest('hex'));
    expect(Object.fromEntries(call.TagSpecifications![0].Tags!.map((t) => [t.Key, t.Value]))).toMatchObject({
      'lifeboat:role': 'failover-instance',
      'lifeboat:source-image': 'ami-0c0c0c0c0c0c0c0c1',
      'lifeboat:source-instance': 'i-0a1b2c3d4e5f60001',
      'lifeboat:recovery-point-time': '2026-11-25T10:30:00.000Z',
    });
    expect(call.TagSpecifications!.map((s) => s.ResourceType)).toEqual(['instance', 'volume']);
  });

  test('reports ready once running with both status checks ok', async () => {
    await handler(envelope('launch-in-region', input()));
    runAll('running');
    expect((await handler(envelope('launch-in-region', input()))).isComplete).toBe(false);
    status.set(fakeId('i', 1), 'ok');
    const out = await handler(envelope('launch-in-region', input()));
    expect(out).toMatchObject({ isComplete: true, readyCount: 1 });
    expect(out.instances[0].state).toBe('ready');
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  test('reports the batch nearly ready only while some instances are ready and every other one is running', async () => {
    const two = input({ targets: [target(), target({ workload: 'db', sourceInstanceId: 'i-0a1b2c3d4e5f60002' })] });
    const first = await handler(envelope('launch-in-region', two));
    expect(first.isNearlyReady).toBeUndefined();
    // Both running, checks under way, none ready yet: nothing says how close they are.
    runAll('running');
    const second = await handler(envelope('launch-in-region', { ...two, instances: first.instances }));
    expect(second).toMatchObject({ isComplete: false, readyCount: 0 });
    expect(second.isNearlyReady).toBeUndefined();
    // One ready, the other still pending: the pending one has its status checks still ahead.
    status.set(fakeId('i', 1), 'ok');
    instances[1]!.State = { Code: 0, Name: 'pending' };
    const third = await handler(envelope('launch-in-region', { ...two, instances: second.instances }));
    expect(third).toMatchObject({ isComplete: false, readyCount: 1 });
    expect(third.isNearlyReady).toBeUndefined();
    // One ready, the other running with its checks under way: poll closely.
    instances[1]!.State = { Code: 16, Name: 'running' };
    const fourth = await handler(envelope('launch-in-region', { ...two, instances: third.instances }));
    expect(fourth).toMatchObject({ isComplete: false, readyCount: 1, isNearlyReady: true });
    status.set(fakeId('i', 2), 'ok');
    const fifth = await handler(envelope('launch-in-region', { ...two, instances: fourth.instances }));
    expect(fifth).toMatchObject({ isComplete: true, readyCount: 2 });
    expect(fifth.isNearlyReady).toBeUndefined();
  });

  test('reports the batch almost ready once at most ALMOST_READY_LEFT running instances are left', async () => {
    const n = ALMOST_READY_LEFT + 2;
    const many = input({ targets: Array.from({ length: n }, (_, i) => target({ workload: `w${i}`, sourceInstanceId: `i-0a1b2c3d4e5f6${String(i + 1).padStart(4, '0')}` })) });
    const first = await handler(envelope('launch-in-region', many));
    runAll('running');
    // One ready, ALMOST_READY_LEFT + 1 left: nearly ready, not yet its tail.
    status.set(fakeId('i', 1), 'ok');
    const second = await handler(envelope('launch-in-region', { ...many, instances: first.instances }));
    expect(second).toMatchObject({ readyCount: 1, isNearlyReady: true });
    expect(second.isAlmostReady).toBeUndefined();
    // Two ready, ALMOST_READY_LEFT left, all running: the tail.
    status.set(fakeId('i', 2), 'ok');
    const third = await handler(envelope('launch-in-region', { ...many, instances: second.instances }));
    expect(third).toMatchObject({ readyCount: 2, isNearlyReady: true, isAlmostReady: true });
    // One of the tail is pending again (not running): neither nearly nor almost ready.
    instances[n - 1]!.State = { Code: 0, Name: 'pending' };
    const fourth = await handler(envelope('launch-in-region', { ...many, instances: third.instances }));
    expect(fourth.isNearlyReady).toBeUndefined();
    expect(fourth.isAlmostReady).toBeUndefined();
  });

  test('walks subnets, then the next type, on insufficient capacity and records the substitution', async () => {
    noCapacity = new Set([`m6i.large/${SUBNET_A}`, `m6i.large/${SUBNET_B}`]);
    const out = await handler(envelope('launch-in-region', input()));
    expect(ec2.commandCalls(RunInstancesCommand).map((c) => `${c.args[0].input.InstanceType}/${c.args[0].input.SubnetId}`)).toEqual([
      `m6i.large/${SUBNET_A}`,
      `m6i.large/${SUBNET_B}`,
      `m5.large/${SUBNET_A}`,
    ]);
    expect(out.instances[0]).toMatchObject({
      instanceType: 'm5.large',
      subnetId: SUBNET_A,
      substitution: {
        requested: { instanceType: 'm6i.large', subnetId: SUBNET_A },
        reasons: [`m6i.large in ${SUBNET_A}: InsufficientInstanceCapacity`, `m6i.large in ${SUBNET_B}: InsufficientInstanceCapacity`],
      },
    });
    // and the substitution survives on the instance for a retried pass
    const again = await handler(envelope('launch-in-region', input()));
    expect(again.instances[0].substitution?.reasons).toEqual(out.instances[0].substitution?.reasons);
  });

  test('fails with Lifeboat.Capacity when no rung has capacity for a critical workload', async () => {
    noCapacity = new Set([`m6i.large/${SUBNET_A}`, `m6i.large/${SUBNET_B}`, `m5.large/${SUBNET_A}`, `m5.large/${SUBNET_B}`]);
    const error = await rejectionOf(handler(envelope('launch-in-region', input())));
    expect(error.name).toBe('Lifeboat.Capacity');
    expect(error.message).toContain(`m5.large in ${SUBNET_B}: InsufficientInstanceCapacity`);
  });

  test('a launch batch of 100 critical targets without capacity fails naming 20 and counting the rest: the cause stays under 32,768 characters', async () => {
    noCapacity = new Set([`m6i.large/${SUBNET_A}`, `m6i.large/${SUBNET_B}`, `m5.large/${SUBNET_A}`, `m5.large/${SUBNET_B}`]);
    const targets = Array.from({ length: 100 }, (_, i) => target({ workload: `workload-with-a-long-name-${String(i).padStart(6, '0')}`, sourceInstanceId: `i-0a1b2c3d4e5f6${String(i).padStart(4, '0')}` }));
    const error = await rejectionOf(handler(envelope('launch-in-region', input({ targets }))));
    expect(error.name).toBe('Lifeboat.Capacity');
    // unbounded: about 100 × 400 characters
    expect(error.message.length).toBeLessThan(16_384);
    expect(error.message).toContain('workload-with-a-long-name-000019/');
    expect(error.message).not.toContain('workload-with-a-long-name-000020/');
    expect(error.message).toMatch(/; and 80 more critical instance\(s\) without capacity \(every one is in this task's log\)$/);
  });

  test('skips an optional workload when no rung has capacity', async () => {
    noCapacity = new Set([`m6i.large/${SUBNET_A}`, `m6i.large/${SUBNET_B}`, `m5.large/${SUBNET_A}`, `m5.large/${SUBNET_B}`]);
    const out = await handler(envelope('launch-in-region', input({ targets: [target({ isCritical: false })] })));
    expect(out).toMatchObject({ isComplete: true, readyCount: 0, skipped: ['web/i-0a1b2c3d4e5f60001'] });
  });

  test('launches a drill only in the isolated subnets, tagged drill-instance', async () => {
    await handler(envelope('launch-in-region', input({ mode: 'drill', isolation: { subnetIds: [ISOLATED], securityGroupIds: ['sg-0dd44ee55ff660001'] } })));
    const call = ec2.commandCalls(RunInstancesCommand)[0].args[0].input;
    expect(call.SubnetId).toBe(ISOLATED);
    expect(call.SecurityGroupIds).toEqual(['sg-0dd44ee55ff660001']);
    expect(call.TagSpecifications![0].Tags).toContainEqual({ Key: 'lifeboat:role', Value: 'drill-instance' });
  });

  test('creates no second instance when retried after a crash between RunInstances and the return', async () => {
    await handler(envelope('launch-in-region', input()));
    const out = await handler(envelope('launch-in-region', input()));
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
    expect(instances).toHaveLength(1);
    expect(out.instances[0].instanceId).toBe(fakeId('i', 1));
  });

  test('reads only its own wave: known instances by id, the client tokens only for targets without one', async () => {
    const first = await handler(envelope('launch-in-region', input()));
    await handler(envelope('launch-in-region', input({ instances: first.instances })));
    const reads = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.Filters!.map((f) => [f.Name, f.Values!.length]));
    // first pass: the 4 rungs' tokens; second pass: the known instance by id, no token look-up
    expect(reads).toEqual([[['client-token', 4]], [['instance-id', 1]]]);
  });

  test('the first attempt of the first pass launches without looking up client tokens', async () => {
    const out = await handler(envelope('launch-in-region', input({ isFirstAttempt: true, targets: [target(), target({ workload: 'api', sourceInstanceId: 'i-0a1b2c3d4e5f60002' })] })));
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(2);
    expect(out.instances.map((i) => i.instanceId)).toEqual([fakeId('i', 1), fakeId('i', 2)]);
  });

  test('a retried first pass (no isFirstAttempt) finds the instance launched on a later rung and launches no second one', async () => {
    noCapacity.add(`m6i.large/${SUBNET_A}`);
    await handler(envelope('launch-in-region', input({ isFirstAttempt: true })));
    noCapacity.clear();
    // The retry of the Task: the state machine no longer marks it a first attempt.
    const retried = await handler(envelope('launch-in-region', input()));
    expect(instances).toHaveLength(1);
    expect(retried.instances[0]).toMatchObject({ instanceId: fakeId('i', 1), subnetId: SUBNET_B });
  });

  test('after a redrive isFirstAttempt is not trusted: the client tokens are looked up', async () => {
    await handler(envelope('launch-in-region', input({ isFirstAttempt: true }), { redriveCount: 1 }));
    const reads = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.Filters!.map((f) => [f.Name, f.Values!.length]));
    // 4 rungs × 2 attempts (the first attempt's tokens and the redrive's)
    expect(reads).toEqual([[['client-token', 8]]]);
  });

  test('leaves a throttled RunInstances for the next pass', async () => {
    ec2.on(RunInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('launch-in-region', input()));
    expect(out.instances[0]).toMatchObject({ instanceId: null, state: 'not-started' });
    expect(out.isComplete).toBe(false);
  });

  test('a throttled look-up launches nothing blind and does not fail the pass', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('launch-in-region', input()));
    expect(out.instances[0]).toMatchObject({ instanceId: null, state: 'not-started' });
    expect(out.throttled).toEqual(['DescribeInstances (client tokens of 1 target(s)): RequestLimitExceeded']);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(0);
  });

  test('a throttled DescribeInstanceStatus keeps running instances not ready for this pass', async () => {
    const first = await handler(envelope('launch-in-region', input()));
    runAll('running');
    status.set(fakeId('i', 1), 'ok');
    ec2.on(DescribeInstanceStatusCommand).rejectsOnce(ec2Error('RequestLimitExceeded', 503)).callsFake((req) => ({
      InstanceStatuses: req.InstanceIds.map((id: string) => ({ InstanceId: id, InstanceState: { Code: 16, Name: 'running' }, InstanceStatus: { Status: 'ok' }, SystemStatus: { Status: 'ok' } })),
    }));
    const second = await handler(envelope('launch-in-region', input({ instances: first.instances })));
    expect(second).toMatchObject({ isComplete: false, readyCount: 0, throttled: ['DescribeInstanceStatus (1 running instance(s)): RequestLimitExceeded'] });
    expect(second.instances[0].state).toBe('running');
    const third = await handler(envelope('launch-in-region', input({ instances: second.instances })));
    expect(third).toMatchObject({ isComplete: true, readyCount: 1 });
    expect(third.throttled).toBeUndefined();
  });

  test('fails with Lifeboat.NotFound when the recovery point AMI is gone', async () => {
    ec2.on(RunInstancesCommand).rejects(ec2Error('InvalidAMIID.NotFound', 400, "The image id '[ami-0c0c0c0c0c0c0c0c1]' does not exist"));
    const error = await rejectionOf(handler(envelope('launch-in-region', input())));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain(`RunInstances for web/i-0a1b2c3d4e5f60001 (m6i.large in ${SUBNET_A})`);
  });

  test('fails with Lifeboat.InvalidInput when EC2 rejects a parameter', async () => {
    ec2.on(RunInstancesCommand).rejects(ec2Error('InvalidParameterValue', 400, 'Invalid key pair'));
    expect((await rejectionOf(handler(envelope('launch-in-region', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('fails with Lifeboat.LaunchFailed when a critical instance is impaired, and skips an optional one', async () => {
    const targets = [target(), target({ workload: 'reports', sourceInstanceId: 'i-0a1b2c3d4e5f60003', isCritical: false })];
    await handler(envelope('launch-in-region', input({ targets })));
    runAll('running');
    status.set(fakeId('i', 2), 'impaired');
    const out = await handler(envelope('launch-in-region', input({ targets })));
    expect(out.skipped).toEqual(['reports/i-0a1b2c3d4e5f60003']);

    status.set(fakeId('i', 1), 'impaired');
    const error = await rejectionOf(handler(envelope('launch-in-region', input({ targets, instances: out.instances }))));
    expect(error.name).toBe('Lifeboat.LaunchFailed');
    expect(error.message).toContain(`web/i-0a1b2c3d4e5f60001 (critical) instance ${fakeId('i', 1)}: status checks impaired (instance check impaired, system check ok)`);
    // what was expected, and what to do next (a failover is redriven; a drill starts again)
    expect(error.message).toContain('Expected each critical instance running with its instance and system status checks ok. A redrive of the run terminates and replaces them;');
    expect(error.message).toContain('aws ec2 get-console-output --region us-west-2 --instance-id <id>');
    const drill = await rejectionOf(handler(envelope('launch-in-region', input({ targets, instances: out.instances, mode: 'drill' }))));
    expect(drill.message).toContain('A new drill launches fresh instances;');
  });

  test('after a redrive, replaces a critical instance that terminated in the earlier attempt', async () => {
    await handler(envelope('launch-in-region', input()));
    runAll('terminated');
    expect((await rejectionOf(handler(envelope('launch-in-region', input())))).name).toBe('Lifeboat.LaunchFailed');
    const out = await handler(envelope('launch-in-region', input(), { redriveCount: 1 }));
    expect(out.instances[0]).toMatchObject({ instanceId: fakeId('i', 2), state: 'pending' });
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(2);
    expect(out.replaced).toEqual([
      { workload: 'web', sourceInstanceId: 'i-0a1b2c3d4e5f60001', instanceId: fakeId('i', 1), reason: 'state terminated (launched before redrive 1)', isTerminated: true },
    ]);
  });

  test('after a redrive, terminates and replaces a critical instance whose status checks were impaired, instead of adopting it again', async () => {
    // GIVEN the earlier attempt's instance runs with impaired status checks and failed the step
    const first = await handler(envelope('launch-in-region', input()));
    runAll('running');
    status.set(fakeId('i', 1), 'impaired');
    expect((await rejectionOf(handler(envelope('launch-in-region', input({ instances: first.instances }))))).name).toBe('Lifeboat.LaunchFailed');
    // WHEN the run is redriven (the wave's variables still hold the earlier pass's instances)
    const out = await handler(envelope('launch-in-region', input({ instances: first.instances }), { redriveCount: 1 }));
    // THEN the impaired instance is terminated, recorded, and a new one launched with the redrive's token
    expect(ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input.InstanceIds)).toEqual([[fakeId('i', 1)]]);
    expect(out.replaced).toEqual([
      { workload: 'web', sourceInstanceId: 'i-0a1b2c3d4e5f60001', instanceId: fakeId('i', 1), reason: 'status checks impaired (launched before redrive 1)', isTerminated: true },
    ]);
    expect(out.instances[0]).toMatchObject({ instanceId: fakeId('i', 2), state: 'pending' });
    expect(instances[1]!.ClientToken).toBe(launchClientToken(EXECUTION_ARN, 'i-0a1b2c3d4e5f60001', { instanceType: 'm6i.large', subnetId: SUBNET_A }, 1));
    // AND the next pass keeps the new instance, not the old one
    runAll('running');
    status.set(fakeId('i', 2), 'ok');
    const next = await handler(envelope('launch-in-region', input({ instances: out.instances }), { redriveCount: 1 }));
    expect(next).toMatchObject({ isComplete: true, readyCount: 1 });
    expect(next.instances[0].instanceId).toBe(fakeId('i', 2));
  });

  test('after a redrive, adopts an instance of the earlier attempt whose checks are fine', async () => {
    const first = await handler(envelope('launch-in-region', input()));
    runAll('running');
    status.set(fakeId('i', 1), 'ok');
    const out = await handler(envelope('launch-in-region', input({ instances: first.instances }), { redriveCount: 1 }));
    expect(out).toMatchObject({ isComplete: true, readyCount: 1 });
    expect(out.replaced).toBeUndefined();
    expect(ec2.commandCalls(TerminateInstancesCommand)).toHaveLength(0);
  });

  test('after a redrive, a throttled TerminateInstances of the impaired instance launches no replacement yet', async () => {
    const first = await handler(envelope('launch-in-region', input()));
    runAll('running');
    status.set(fakeId('i', 1), 'impaired');
    ec2.on(TerminateInstancesCommand).rejectsOnce(ec2Error('RequestLimitExceeded', 503));
    const out = await handler(envelope('launch-in-region', input({ instances: first.instances }), { redriveCount: 1 }));
    expect(out.replaced).toEqual([expect.objectContaining({ instanceId: fakeId('i', 1), isTerminated: false })]);
    expect(out.instances[0]).toMatchObject({ instanceId: null, state: 'not-started' });
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);
  });

  test('fails with Lifeboat.Timeout past the deadline with a critical instance not ready', async () => {
    await handler(envelope('launch-in-region', input()));
    const error = await rejectionOf(handler(envelope('launch-in-region', input(), { stateEnteredTime: '2026-11-25T12:00:00.000Z' })));
    expect(error.name).toBe('Lifeboat.Timeout');
    expect(error.message).toContain(`web/i-0a1b2c3d4e5f60001 (${fakeId('i', 1)}, pending)`);
  });
  test(`launches a pass's targets ${LAUNCH_CONCURRENCY} at a time, and reports them in the targets' order`, async () => {
    // GIVEN 20 targets and a RunInstances that takes a while to answer (a round trip on AWS)
    const targets = Array.from({ length: 20 }, (_, n) => target({ workload: `w${n}`, sourceInstanceId: `i-0a1b2c3d4e5f6${String(n).padStart(4, '0')}` }));
    let inFlight = 0;
    let most = 0;
    ec2.on(RunInstancesCommand).callsFake(async (req: RunInstancesCommandInput) => {
      most = Math.max(most, ++inFlight);
      // later targets answer sooner, so completion order is not the targets' order
      const n = Number(req.TagSpecifications![0].Tags!.find((t) => t.Key === 'lifeboat:workload')!.Value!.slice(1));
      await new Promise((resolve) => setTimeout(resolve, 40 - n));
      inFlight -= 1;
      return runInstances(req);
    });
    const out = await handler(envelope('launch-in-region', input({ targets })));
    // THEN never more than the bound in flight, and the bound was used
    expect(most).toBe(LAUNCH_CONCURRENCY);
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(20);
    expect(out.instances.map((r) => r.workload)).toEqual(targets.map((t) => t.workload));
    expect(new Set(out.instances.map((r) => r.instanceId)).size).toBe(20);
    // AND a second pass launches nothing again (each instance found by its client token)
    await handler(envelope('launch-in-region', input({ targets })));
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(20);
    expect(instances).toHaveLength(20);
  });

  test('notes throttled launches in target order, launching the other targets of the pass', async () => {
    const targets = Array.from({ length: 10 }, (_, n) => target({ workload: `w${n}`, sourceInstanceId: `i-0a1b2c3d4e5f6${String(n).padStart(4, '0')}` }));
    ec2.on(RunInstancesCommand).callsFake(async (req: RunInstancesCommandInput) => {
      const n = Number(req.TagSpecifications![0].Tags!.find((t) => t.Key === 'lifeboat:workload')!.Value!.slice(1));
      await new Promise((resolve) => setTimeout(resolve, 20 - n));
      if (n % 3 === 0) throw ec2Error('RequestLimitExceeded', 503);
      return runInstances(req);
    });
    const out = await handler(envelope('launch-in-region', input({ targets })));
    expect(out.throttled).toEqual(['w0', 'w3', 'w6', 'w9'].map((w, k) => `RunInstances ${w}/i-0a1b2c3d4e5f6${String(k * 3).padStart(4, '0')}: RequestLimitExceeded`));
    expect(out.instances.filter((r) => r.state === 'not-started').map((r) => r.workload)).toEqual(['w0', 'w3', 'w6', 'w9']);
    expect(instances).toHaveLength(6);
  });

  test('after a failing launch starts no further target, lets the ones under way finish, and a retry adopts them', async () => {
    // GIVEN 20 targets whose third one's recovery point is gone
    const targets = Array.from({ length: 20 }, (_, n) => target({ workload: `w${n}`, sourceInstanceId: `i-0a1b2c3d4e5f6${String(n).padStart(4, '0')}`, imageId: n === 2 ? 'ami-0c0c0c0c0c0c0c0c9' : 'ami-0c0c0c0c0c0c0c0c1' }));
    ec2.on(RunInstancesCommand).callsFake(async (req: RunInstancesCommandInput) => {
      // the refusal comes at once, the launches under way answer later
      if (req.ImageId === 'ami-0c0c0c0c0c0c0c0c9') throw ec2Error('InvalidAMIID.NotFound', 400, "The image id '[ami-0c0c0c0c0c0c0c0c9]' does not exist");
      await new Promise((resolve) => setTimeout(resolve, 10));
      return runInstances(req);
    });
    const error = await rejectionOf(handler(envelope('launch-in-region', input({ targets }))));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain('RunInstances for w2/i-0a1b2c3d4e5f60002');
    // THEN the first batch's calls were made, and nothing after the failure
    expect(ec2.commandCalls(RunInstancesCommand)).toHaveLength(LAUNCH_CONCURRENCY);
    expect(instances).toHaveLength(LAUNCH_CONCURRENCY - 1);
    // WHEN retried with the image back: the launched ones are adopted by client token, not launched twice
    const fixed = targets.map((t) => ({ ...t, imageId: 'ami-0c0c0c0c0c0c0c0c1' }));
    const out = await handler(envelope('launch-in-region', input({ targets: fixed })));
    expect(instances).toHaveLength(20);
    expect(new Set(out.instances.map((r) => r.instanceId)).size).toBe(20);
  });
});

describe('inOrderAtMost', () => {
  test('keeps index order, holds the bound, and throws the lowest failing index after the others under way finish', async () => {
    const finished: number[] = [];
    const work = async (i: number): Promise<number> => {
      await new Promise((resolve) => setTimeout(resolve, i === 1 ? 30 : 5));
      if (i === 1 || i === 2) throw new Error(`failed ${i}`);
      finished.push(i);
      return i * 10;
    };
    await expect(inOrderAtMost(3, 9, work)).rejects.toThrow('failed 1');
    // 0 and 2 start with 1; 2 fails first, so nothing past 3 starts (3 was started when 0 finished)
    expect(finished.sort()).toEqual([0, 3]);
    expect(await inOrderAtMost(2, 5, async (i) => i * 10)).toEqual([0, 10, 20, 30, 40]);
    expect(await inOrderAtMost(4, 0, async (i) => i)).toEqual([]);
  });
});
