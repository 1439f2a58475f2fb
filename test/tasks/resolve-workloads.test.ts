import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/resolve-workloads/handler.js';
import { captureLogs, ec2Error, envelope, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let instances: Instance[];

const inst = (id: string, state: string, tags: Record<string, string> = {}): Instance => ({
  InstanceId: id,
  State: { Name: state as any },
  Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
});

const input = (over: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-east-1',
  batchSize: 2,
  workloads: [
    { name: 'db', isCritical: true, instanceIds: ['i-0a1b2c3d4e5f60001'] },
    { name: 'web', isCritical: true, tagSelector: { app: 'shop', tier: 'web' } },
    { name: 'reports', isCritical: false, instanceIds: ['i-0a1b2c3d4e5f60009'] },
  ],
  ...over,
});

describe('task: resolve-workloads', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    instances = [
      inst('i-0a1b2c3d4e5f60001', 'running'),
      inst('i-0a1b2c3d4e5f60011', 'running', { app: 'shop', tier: 'web' }),
      inst('i-0a1b2c3d4e5f60012', 'stopped', { app: 'shop', tier: 'web' }),
      inst('i-0a1b2c3d4e5f60013', 'terminated', { app: 'shop', tier: 'web' }),
      inst('i-0a1b2c3d4e5f60014', 'running', { app: 'shop', tier: 'api' }),
    ];
    ec2.on(DescribeInstancesCommand).callsFake((req) => ({
      Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
    }));
  });
  afterEach(() => vi.restoreAllMocks());

  test('puts the instances with the most EBS volumes first (the run-wide copy order), plan order otherwise', async () => {
    const volumes = (n: number) => Array.from({ length: n }, (_, i) => ({ DeviceName: `/dev/xvd${'abc'[i]}`, Ebs: { VolumeId: `vol-0a1b2c3d4e5f6000${i}` } }));
    instances[0] = { ...instances[0]!, BlockDeviceMappings: volumes(1) };
    instances[1] = { ...instances[1]!, BlockDeviceMappings: volumes(1) };
    instances[2] = { ...instances[2]!, BlockDeviceMappings: volumes(3) };
    const out = await handler(envelope('resolve-workloads', input()));
    expect(out.batches).toEqual([
      [
        { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60012' },
        { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60001' },
      ],
      [{ workload: 'web', instanceId: 'i-0a1b2c3d4e5f60011' }],
    ]);
  });

  test('with isQuickFirstBatch the first batch takes the fewest volumes (imaged first), the rest most volumes first', async () => {
    const volumes = (n: number) => Array.from({ length: n }, (_, i) => ({ DeviceName: `/dev/xvd${'abc'[i]}`, Ebs: { VolumeId: `vol-0a1b2c3d4e5f6000${i}` } }));
    instances[0] = { ...instances[0]!, BlockDeviceMappings: volumes(2) };
    instances[1] = { ...instances[1]!, BlockDeviceMappings: volumes(1) };
    instances[2] = { ...instances[2]!, BlockDeviceMappings: volumes(3) };
    const out = await handler(envelope('resolve-workloads', input({ batchSize: 1, isQuickFirstBatch: true })));
    expect(out.batches.map((b) => b.map((t) => t.instanceId))).toEqual([['i-0a1b2c3d4e5f60011'], ['i-0a1b2c3d4e5f60012'], ['i-0a1b2c3d4e5f60001']]);
    // All alike: the plan order stays.
    instances.forEach((_, i) => (instances[i] = { ...instances[i]!, BlockDeviceMappings: volumes(1) }));
    const alike = await handler(envelope('resolve-workloads', input({ batchSize: 1, isQuickFirstBatch: true })));
    expect(alike.batches.map((b) => b.map((t) => t.instanceId))).toEqual([['i-0a1b2c3d4e5f60001'], ['i-0a1b2c3d4e5f60011'], ['i-0a1b2c3d4e5f60012']]);
  });

  test('resolves ids and tag selectors (AND) to live instances, in batches, listing unmatched optional workloads', async () => {
    const out = await handler(envelope('resolve-workloads', input()));
    expect(out).toEqual({
      batches: [
        [
          { workload: 'db', instanceId: 'i-0a1b2c3d4e5f60001' },
          { workload: 'web', instanceId: 'i-0a1b2c3d4e5f60011' },
        ],
        [{ workload: 'web', instanceId: 'i-0a1b2c3d4e5f60012' }],
      ],
      targetCount: 3,
      unmatched: ['reports'],
      unmatchedCount: 1,
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)[1].args[0].input.Filters).toEqual([
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      { Name: 'tag:app', Values: ['shop'] },
      { Name: 'tag:tier', Values: ['web'] },
    ]);
  });

  test('fails with Lifeboat.NotFound when a critical workload has no instance', async () => {
    instances = instances.filter((i) => i.InstanceId !== 'i-0a1b2c3d4e5f60001');
    const error = await rejectionOf(handler(envelope('resolve-workloads', input())));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toBe(
      "resolve workloads of plan 'shop': critical workload 'db': instance(s) i-0a1b2c3d4e5f60001 not found (or terminated) in us-east-1",
    );
  });

  test('names the first 20 unmatched optional workloads and counts them all, so the output stays small at any plan size', async () => {
    // GIVEN 3,000 optional workloads whose tags match nothing (32-character names: 96 KB of names)
    const workloads = Array.from({ length: 3_000 }, (_, i) => ({ name: `optional-workload-long-nam-${String(i).padStart(5, '0')}`, isCritical: false, tagSelector: { app: `gone-${i}` } }));
    const out = await handler(envelope('resolve-workloads', input({ workloads: [input().workloads[0], ...workloads] })));
    expect(out.unmatchedCount).toBe(3_000);
    expect(out.unmatched).toEqual(workloads.slice(0, 20).map((w) => w.name));
    expect(JSON.stringify(out).length).toBeLessThan(4_096);
  });

  test('a failure for many missing critical workloads names the first 20 and counts the rest', async () => {
    const workloads = Array.from({ length: 50 }, (_, i) => ({ name: `critical-${i}`, isCritical: true, tagSelector: { app: `gone-${i}` } }));
    const error = await rejectionOf(handler(envelope('resolve-workloads', input({ workloads }))));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain("critical workload 'critical-19'");
    expect(error.message).not.toContain("critical workload 'critical-20'");
    expect(error.message).toMatch(/; and 30 more critical workload\(s\) \(every one is in this task's log\)$/);
  });

  test('looks up many instance ids in chunks of at most 200 filter values', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `i-${(0x1000 + i).toString(16).padStart(17, '0')}`);
    instances = ids.map((id) => inst(id, 'running'));
    const out = await handler(envelope('resolve-workloads', input({ batchSize: 100, workloads: [{ name: 'fleet', isCritical: true, instanceIds: ids }] })));
    const sizes = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.Filters!.find((f) => f.Name === 'instance-id')!.Values!.length);
    expect(sizes).toEqual([200, 200, 50]);
    expect(out.targetCount).toBe(450);
    expect(out.batches.map((b) => b.length)).toEqual([100, 100, 100, 100, 50]);
  });

  test('resolves many tag selectors with a few calls grouped by key, each selector matched on every tag (found by bench/shapes.ts)', async () => {
    // 450 workloads chosen by {app: svc-N, env: prod}; one instance of each, plus a decoy per app in env=test.
    instances = Array.from({ length: 450 }, (_, i) => [
      inst(`i-${(0x100000 + i).toString(16).padStart(17, '0')}`, 'running', { app: `svc-${i}`, env: 'prod' }),
      inst(`i-${(0x200000 + i).toString(16).padStart(17, '0')}`, 'running', { app: `svc-${i}`, env: 'test' }),
    ]).flat();
    instances.push(inst('i-0a1b2c3d4e5f69999', 'running', { app: 'svc-*', env: 'prod' }), inst('i-0a1b2c3d4e5f69998', 'running', { app: 'svc-x9', env: 'prod' }));
    const workloads = [
      ...Array.from({ length: 450 }, (_, i) => ({ name: `svc-${i}`, isCritical: true, tagSelector: { env: 'prod', app: `svc-${i}` } })),
      // A value with EC2's wildcard keeps its own filtered call (EC2 matches it, as before).
      { name: 'wild', isCritical: true, tagSelector: { app: 'svc-x*' } },
    ];
    const out = await handler(envelope('resolve-workloads', input({ batchSize: 1000, workloads })));
    const calls = ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input.Filters!.map((f) => `${f.Name}:${f.Values!.length}`).join(' '));
    // Grouped on the first key in order ("app"), 200 values per call; the wildcard one alone.
    expect(calls).toEqual(['instance-state-name:4 tag:app:200', 'instance-state-name:4 tag:app:200', 'instance-state-name:4 tag:app:50', 'instance-state-name:4 tag:app:1']);
    expect(out.targetCount).toBe(451);
    const byWorkload = new Map(out.batches.flat().map((t) => [t.workload, t.instanceId]));
    expect(byWorkload.get('svc-7')).toBe(`i-${(0x100007).toString(16).padStart(17, '0')}`);
    expect(byWorkload.get('wild')).toBe('i-0a1b2c3d4e5f69998');
  });

  test('gives the same answer when retried (it creates nothing)', async () => {
    const first = await handler(envelope('resolve-workloads', input()));
    const second = await handler(envelope('resolve-workloads', input()));
    expect(second).toEqual(first);
  });

  test('fails with Lifeboat.Throttled when DescribeInstances is throttled', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    expect((await rejectionOf(handler(envelope('resolve-workloads', input())))).name).toBe('Lifeboat.Throttled');
  });

  test('fails with Lifeboat.InvalidInput when DescribeInstances is not authorised', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    expect((await rejectionOf(handler(envelope('resolve-workloads', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('rejects a batch size of 0 naming the path', async () => {
    const error = await rejectionOf(handler(envelope('resolve-workloads', input({ batchSize: 0 }))));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toMatch(/^task 'resolve-workloads' › input\.batchSize: expected .*found 0$/);
  });
});
