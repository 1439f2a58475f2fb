import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/find-recovered-instances/handler.js';
import { captureLogs, ec2Error, envelope, instanceField, matchesFilters, rejectionOf } from './helpers.js';

const ec2 = mockClient(EC2Client);
let instances: Instance[];

const FAILOVER_1 = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261120T080000Z-0001';
const FAILOVER_2 = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T080000Z-0002';

const inst = (id: string, workload: string, executionArn: string, launchTime: string, state = 'running', role = 'failover-instance', plan = 'shop'): Instance => ({
  InstanceId: id,
  State: { Name: state as any },
  LaunchTime: new Date(launchTime),
  Tags: [
    { Key: 'lifeboat:plan', Value: plan },
    { Key: 'lifeboat:role', Value: role },
    { Key: 'lifeboat:workload', Value: workload },
    { Key: 'lifeboat:execution-arn', Value: executionArn },
  ],
});
const input = (extra: Record<string, unknown> = {}) => ({
  planName: 'shop',
  region: 'us-west-2',
  workloads: [
    { name: 'db', isCritical: true },
    { name: 'web', isCritical: true },
    { name: 'reports', isCritical: false },
  ],
  batchSize: 2,
  ...extra,
});

describe('task: find-recovered-instances', () => {
  beforeEach(() => {
    captureLogs();
    ec2.reset();
    instances = [
      inst('i-0f0f0f0f0f0f0f0f1', 'db', FAILOVER_1, '2026-11-20T08:05:00Z'),
      inst('i-0f0f0f0f0f0f0f0f2', 'db', FAILOVER_2, '2026-11-25T08:05:00Z'),
      inst('i-0f0f0f0f0f0f0f0f3', 'web', FAILOVER_2, '2026-11-25T08:07:00Z'),
      inst('i-0f0f0f0f0f0f0f0f4', 'web', FAILOVER_2, '2026-11-25T08:07:00Z'),
      inst('i-0f0f0f0f0f0f0f0f5', 'web', FAILOVER_2, '2026-11-25T08:07:00Z', 'stopped'),
      inst('i-0f0f0f0f0f0f0f0f6', 'db', FAILOVER_2, '2026-11-25T08:05:00Z', 'running', 'drill-instance'),
      inst('i-0f0f0f0f0f0f0f0f7', 'db', FAILOVER_2, '2026-11-25T08:05:00Z', 'running', 'failover-instance', 'other'),
    ];
    ec2.on(DescribeInstancesCommand).callsFake((req) => ({
      Reservations: [{ Instances: instances.filter((i) => matchesFilters((n) => instanceField(i, n), req.Filters)) }],
    }));
  });
  afterEach(() => vi.restoreAllMocks());

  test("returns the newest failover's running instances of this plan in batches; other failovers' are listed, not taken", async () => {
    const out = await handler(envelope('find-recovered-instances', input()));
    expect(out).toEqual({
      failoverExecutionArn: FAILOVER_2,
      batches: [
        [
          { workload: 'db', instanceId: 'i-0f0f0f0f0f0f0f0f2' },
          { workload: 'web', instanceId: 'i-0f0f0f0f0f0f0f0f3' },
        ],
        [{ workload: 'web', instanceId: 'i-0f0f0f0f0f0f0f0f4' }],
      ],
      targetCount: 3,
      instanceIds: ['i-0f0f0f0f0f0f0f0f2', 'i-0f0f0f0f0f0f0f0f3', 'i-0f0f0f0f0f0f0f0f4'],
      missing: ['reports'],
      missingCount: 1,
      others: [{ instanceId: 'i-0f0f0f0f0f0f0f0f1', executionArn: FAILOVER_1 }],
    });
  });

  test('a pinned failover execution is taken instead of the newest', async () => {
    const out = (await handler(envelope('find-recovered-instances', input({ failoverExecutionArn: FAILOVER_1, workloads: [{ name: 'db', isCritical: true }] })))) as { instanceIds: string[] };
    expect(out.instanceIds).toEqual(['i-0f0f0f0f0f0f0f0f1']);
  });

  test('fails with Lifeboat.NotFound naming the critical workload that has no running recovered instance', async () => {
    const error = await rejectionOf(handler(envelope('find-recovered-instances', input({ failoverExecutionArn: FAILOVER_1 }))));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toContain('critical workload(s) "web" have no running instance of failover');
  });

  test('at 10,000 optional workloads without a recovered instance the output names the first 20, counts them all, and stays under 4 KiB', async () => {
    // 32-character names: 340 KB of names unbounded, over the 256 KiB a state's output may carry
    const absent = Array.from({ length: 10_000 }, (_, i) => ({ name: `workload-with-a-long-name-${String(i).padStart(6, '0')}`, isCritical: false }));
    const logs = captureLogs();
    const out = (await handler(envelope('find-recovered-instances', input({ workloads: [...input().workloads, ...absent] })))) as { missing: string[]; missingCount: number; targetCount: number };
    expect(JSON.stringify(out).length).toBeLessThan(4_096);
    expect([out.targetCount, out.missingCount]).toEqual([3, 10_001]);
    expect(out.missing).toEqual(['reports', ...absent.slice(0, 19).map((w) => w.name)]);
    // every name is in the task log
    expect(logs.join('\n')).toContain(absent[9_999].name);
  });

  test('10,000 critical workloads without a recovered instance fail with a cause naming 20 and counting the rest', async () => {
    const absent = Array.from({ length: 10_000 }, (_, i) => ({ name: `workload-with-a-long-name-${String(i).padStart(6, '0')}`, isCritical: true }));
    const error = await rejectionOf(handler(envelope('find-recovered-instances', input({ workloads: [...input().workloads, ...absent] }))));
    expect(error.name).toBe('Lifeboat.NotFound');
    // A Step Functions cause holds at most 32,768 characters; unbounded, this message was about 360,000.
    expect(error.message.length).toBeLessThan(4_096);
    expect(error.message).toContain(`"${absent[19].name}"; and 9980 more critical workload(s) (every one is in this task's log) have no running instance`);
    expect(error.message).not.toContain(absent[20].name);
  });

  test('fails with Lifeboat.NotFound when nothing is failed over (or everything was retired already)', async () => {
    instances = instances.map((i) => ({ ...i, State: { Name: 'terminated' } }));
    const error = await rejectionOf(handler(envelope('find-recovered-instances', input())));
    expect(error.name).toBe('Lifeboat.NotFound');
    expect(error.message).toMatch(/no pending or running instance tagged lifeboat:plan=shop and lifeboat:role=failover-instance; nothing to fail back/);
  });

  test('refuses more recovered instances than one failback carries', async () => {
    const error = await rejectionOf(handler(envelope('find-recovered-instances', input({ maxTargets: 2 }))));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain('expected at most 2 recovered instances for one failback (a failback runs inline: one execution history; docs/decisions/0013-failback.md), found 3 of failover ');
    // and names the fix
    expect(error.message).toContain('fail back one failover at a time (lifeboat failback --failover-execution <ARN>)');
    expect(error.message).toContain('split into plans of at most 2 instances');
  });

  test('a throttled read fails as Lifeboat.Throttled, for the workflow to retry (read-only, so a retry is safe)', async () => {
    ec2.on(DescribeInstancesCommand).rejects(ec2Error('RequestLimitExceeded'));
    const error = await rejectionOf(handler(envelope('find-recovered-instances', input())));
    expect(error.name).toBe('Lifeboat.Throttled');
  });
});
