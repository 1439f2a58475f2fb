/**
 * Issue 8, the worst day at fleet size: every looping task does bounded work per Lambda
 * invocation (a count and the Lambda's remaining time), the rest in the next pass of its loop,
 * with totals carried and nothing done twice. The EC2 fakes below keep state across passes, as
 * EC2 would (a deregistered image is no longer listed, a terminated instance is shutting-down).
 */
import { CreateTagsCommand, DeregisterImageCommand, DescribeImagesCommand, DescribeInstancesCommand, EC2Client, type Image, type Instance, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PruneOutput } from '../../schemas/tasks/prune.js';
import { SAFETY_MARGIN_MS } from '../../tasks/_shared/pass-limit.js';
import { handler as pruneHandler } from '../../tasks/prune/handler.js';
import { PRUNE_DEREGISTERS_PER_PASS } from '../../tasks/prune/prune.js';
import { handler as teardownHandler } from '../../tasks/teardown/handler.js';
import { TEARDOWN_TERMINATES_PER_PASS } from '../../tasks/teardown/teardown.js';
import { captureLogs, EXECUTION_ARN, ec2Error, envelope } from './helpers.js';

const ec2 = mockClient(EC2Client);
const FLEET = 5_000;
const OLD = '2026-11-25T06:30:00.000Z';
const NEW = '2026-11-25T10:30:00.000Z';
const OLD_RUN = 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-old';

const id = (prefix: string, n: number) => `${prefix}-${n.toString(16).padStart(17, '0')}`;
const tags = (m: Record<string, string>) => Object.entries(m).map(([Key, Value]) => ({ Key, Value }));
const tagOf = (i: { Tags?: { Key?: string; Value?: string }[] }, key: string) => i.Tags?.find((t) => t.Key === key)?.Value;

/** One image of plan 'shop', workload 'fleet' (one workload of 5,000 instances). */
function image(imageId: string, role: string, n: number, time: string, run: string, extra: Record<string, string> = {}): Image {
  return {
    ImageId: imageId,
    State: 'available',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: imageId.replace('ami-', 'snap-') } }],
    Tags: tags({
      'lifeboat:plan': 'shop',
      'lifeboat:role': role,
      'lifeboat:workload': 'fleet',
      'lifeboat:source-instance': id('i', n),
      'lifeboat:execution-arn': run,
      'lifeboat:recovery-point-time': time,
      'lifeboat:verified': 'true',
      ...extra,
    }),
  };
}

const pruneInput = (previous?: PruneOutput) => ({
  planName: 'shop',
  primaryRegion: 'us-east-1',
  recoveryRegion: 'us-west-2',
  retention: { count: 1 },
  keepImageIds: [],
  ...(previous ? { deleted: previous.deleted, deletedCount: previous.deletedCount, keptCount: previous.keptCount, finished: previous.finished } : {}),
});

describe('prune at fleet size: the second backup of a 5,000-instance plan (issue 8)', () => {
  let regions: Record<string, Map<string, Image>>;
  /** Every DeregisterImage that reached the fake, in order. */
  let deregistered: string[];
  /** Calls the fake serves before it fails the invocation as a crash would (Infinity: never). */
  let crashAfter: number;
  /** Milliseconds of the Lambda's time each DeregisterImage takes (against `clock`). */
  let callMs: number;
  const clock = { remainingMs: Number.POSITIVE_INFINITY };

  beforeEach(() => {
    captureLogs();
    ec2.reset();
    deregistered = [];
    crashAfter = Number.POSITIVE_INFINITY;
    callMs = 0;
    const primary = new Map<string, Image>();
    const recovery = new Map<string, Image>();
    for (let n = 0; n < FLEET; n += 1) {
      // The previous run's source images are stale; this run's are the newest and stay.
      primary.set(id('ami', n), image(id('ami', n), 'source-image', n, OLD, OLD_RUN));
      primary.set(id('ami', 0x10000 + n), image(id('ami', 0x10000 + n), 'source-image', n, NEW, EXECUTION_ARN));
      // In the recovery region the previous set (sealed) is beyond retention count 1; this run's set stays.
      recovery.set(id('ami', 0x20000 + n), image(id('ami', 0x20000 + n), 'recovery-point', n, OLD, OLD_RUN, { 'lifeboat:set-size': String(FLEET) }));
      recovery.set(id('ami', 0x30000 + n), image(id('ami', 0x30000 + n), 'recovery-point', n, NEW, EXECUTION_ARN));
    }
    regions = { 'us-east-1': primary, 'us-west-2': recovery };
    const regionOf = async (getClient: () => unknown) => (getClient() as EC2Client).config.region();
    ec2.on(DescribeImagesCommand).callsFake(async (req, getClient) => {
      const wanted = Object.fromEntries((req.Filters ?? []).map((f: { Name: string; Values: string[] }) => [f.Name.slice(4), f.Values[0]]));
      const all = [...regions[await regionOf(getClient)].values()];
      return { Images: all.filter((i) => Object.entries(wanted).every(([k, v]) => tagOf(i, k) === v)).map((i) => ({ ...i, Tags: [...i.Tags!] })) };
    });
    ec2.on(CreateTagsCommand).callsFake(async (req, getClient) => {
      const region = regions[await regionOf(getClient)];
      for (const rid of req.Resources) {
        const i = region.get(rid);
        if (i) i.Tags = [...i.Tags!.filter((t) => !req.Tags.some((n: { Key: string }) => n.Key === t.Key)), ...req.Tags];
      }
      return {};
    });
    ec2.on(DeregisterImageCommand).callsFake(async (req, getClient) => {
      if (deregistered.length >= crashAfter) throw new Error('the invocation was killed here (test)');
      clock.remainingMs -= callMs;
      const region = regions[await regionOf(getClient)];
      const i = region.get(req.ImageId);
      if (!i) throw ec2Error('InvalidAMIID.NotFound');
      region.delete(req.ImageId);
      deregistered.push(req.ImageId);
      return { Return: true, DeleteSnapshotResults: [{ SnapshotId: i.BlockDeviceMappings![0].Ebs!.SnapshotId, ReturnCode: 'success' }] };
    });
  });
  afterEach(() => vi.restoreAllMocks());

  /** One invocation, with a Lambda context whose remaining time is `clock` (Infinity: none). */
  const pass = (previous: PruneOutput | undefined) =>
    pruneHandler(envelope('prune', pruneInput(previous)), Number.isFinite(clock.remainingMs) ? { getRemainingTimeInMillis: () => clock.remainingMs } : undefined);

  test(`10,000 deletions go ${PRUNE_DEREGISTERS_PER_PASS} per pass: the recovery region first, then the primary; totals carried, nothing deregistered twice, outputs small`, async () => {
    clock.remainingMs = Number.POSITIVE_INFINITY;
    const outputs: PruneOutput[] = [];
    let previous: PruneOutput | undefined;
    for (let n = 0; n < 25 && !previous?.isComplete; n += 1) {
      const before = deregistered.length;
      previous = await pass(previous);
      outputs.push(previous);
      expect(deregistered.length - before).toBeLessThanOrEqual(PRUNE_DEREGISTERS_PER_PASS);
      expect(JSON.stringify(previous).length).toBeLessThan(8 * 1024);
    }
    expect(outputs).toHaveLength((2 * FLEET) / PRUNE_DEREGISTERS_PER_PASS);
    // the first pass stops at the count with the rest of the recovery region left, the primary untouched
    expect(outputs[0]).toMatchObject({ isComplete: false, stoppedBy: 'count', leftCount: FLEET - PRUNE_DEREGISTERS_PER_PASS, deletedCount: PRUNE_DEREGISTERS_PER_PASS, finished: [] });
    // the recovery region is finished at pass 10; the primary region goes on from pass 11
    expect(outputs[9]).toMatchObject({ finished: ['recovery'], stoppedBy: 'count', leftCount: FLEET });
    expect(outputs.at(-1)).toMatchObject({ isComplete: true, deletedCount: 2 * FLEET, keptCount: FLEET, finished: ['primary', 'recovery'] });
    expect(outputs.at(-1)!.stoppedBy).toBeUndefined();
    expect(outputs.at(-1)!.deleted).toHaveLength(50);
    expect(new Set(deregistered).size).toBe(2 * FLEET);
    // what remains is exactly this run's source images and recovery points
    expect([...regions['us-east-1'].values()].every((i) => tagOf(i, 'lifeboat:execution-arn') === EXECUTION_ARN)).toBe(true);
    expect([...regions['us-west-2'].values()].every((i) => tagOf(i, 'lifeboat:execution-arn') === EXECUTION_ARN)).toBe(true);
    expect(regions['us-east-1'].size + regions['us-west-2'].size).toBe(2 * FLEET);
  });

  test("the Lambda's remaining time runs out mid-pass: it stops with the margin left, and the next pass goes on", async () => {
    // 300 s of Lambda time, each DeregisterImage takes 1 s of it (a storm slows every call)
    clock.remainingMs = 300_000;
    callMs = 1_000;
    const first = await pass(undefined);
    const expected = (300_000 - SAFETY_MARGIN_MS) / callMs;
    expect(first).toMatchObject({ isComplete: false, stoppedBy: 'time', deletedCount: expected, leftCount: FLEET - expected });
    // the pass started no call once 35 s were left: it returned with that time in hand
    expect(clock.remainingMs).toBe(SAFETY_MARGIN_MS);
    clock.remainingMs = 300_000;
    const second = await pass(first);
    expect(second).toMatchObject({ stoppedBy: 'time', deletedCount: 2 * expected });
    expect(new Set(deregistered).size).toBe(deregistered.length);
  });

  test('a pass killed at its timeout mid-pass is retried from the same input: the retry goes on with what is still listed, nothing deregistered twice', async () => {
    clock.remainingMs = Number.POSITIVE_INFINITY;
    const first = await pass(undefined);
    // the second pass dies after 120 more deregistrations (as Sandbox.Timedout would end it); its output is lost
    crashAfter = deregistered.length + 120;
    await expect(pass(first)).rejects.toThrow();
    crashAfter = Number.POSITIVE_INFINITY;
    const retried = await pass(first);
    expect(retried).toMatchObject({ stoppedBy: 'count', isComplete: false });
    expect(deregistered).toHaveLength(PRUNE_DEREGISTERS_PER_PASS + 120 + PRUNE_DEREGISTERS_PER_PASS);
    expect(new Set(deregistered).size).toBe(deregistered.length);
    // the lost pass's 120 are not in the carried count (documented): the count is of passes that returned
    expect(retried.deletedCount).toBe(2 * PRUNE_DEREGISTERS_PER_PASS);
    let previous = retried;
    while (!previous.isComplete) previous = await pass(previous);
    expect(new Set(deregistered).size).toBe(2 * FLEET);
    expect(deregistered).toHaveLength(2 * FLEET);
  });
});

describe('teardown at fleet size: a 5,000-instance drill (issue 8)', () => {
  let instances: Map<string, Instance>;
  let asked: string[];

  beforeEach(() => {
    captureLogs();
    ec2.reset();
    asked = [];
    instances = new Map();
    for (let n = 0; n < FLEET; n += 1) {
      instances.set(id('i', n), {
        InstanceId: id('i', n),
        State: { Name: 'running' },
        Tags: tags({ 'lifeboat:plan': 'shop', 'lifeboat:role': 'drill-instance', 'lifeboat:execution-arn': EXECUTION_ARN }),
      });
    }
    ec2.on(DescribeInstancesCommand).callsFake(async () => ({
      Reservations: [{ Instances: [...instances.values()].filter((i) => ['pending', 'running', 'stopping', 'stopped'].includes(i.State!.Name!)) }],
    }));
    ec2.on(TerminateInstancesCommand).callsFake(async (req) => {
      expect(req.InstanceIds.length).toBeLessThanOrEqual(1000);
      for (const iid of req.InstanceIds) {
        asked.push(iid);
        instances.get(iid)!.State = { Name: 'shutting-down' };
      }
      return {};
    });
  });
  afterEach(() => vi.restoreAllMocks());

  const input = { planName: 'shop', region: 'us-west-2', deadline: '2026-11-25T16:31:00.000Z' };

  test(`${TEARDOWN_TERMINATES_PER_PASS} per pass: 5 passes terminate, the 6th confirms; the summed count is the fleet, each instance asked once`, async () => {
    const outputs = [];
    let total = 0;
    for (let n = 0; n < 10; n += 1) {
      const out = await teardownHandler(envelope('teardown', input), { getRemainingTimeInMillis: () => 60_000 });
      outputs.push(out);
      total += out.terminatedCount; // what the loop's Assign sums
      expect(JSON.stringify(out).length).toBeLessThan(8 * 1024);
      if (out.isComplete) break;
    }
    expect(outputs.map((o) => [o.terminatedCount, o.pendingCount, o.stoppedBy ?? null])).toEqual([
      [1000, 5000, 'count'],
      [1000, 4000, 'count'],
      [1000, 3000, 'count'],
      [1000, 2000, 'count'],
      [1000, 1000, null],
      [0, 0, null],
    ]);
    expect(outputs.at(-1)!.isComplete).toBe(true);
    expect(total).toBe(FLEET);
    expect(new Set(asked).size).toBe(FLEET);
    expect(asked).toHaveLength(FLEET);
  });

  test('a pass whose read used up its time terminates nothing and says so; the next pass does the work', async () => {
    const clock = { ms: 60_000 };
    ec2.on(DescribeInstancesCommand).callsFake(async () => {
      clock.ms = 20_000; // the read took 40 s of a 60 s function
      return { Reservations: [{ Instances: [...instances.values()].filter((i) => i.State!.Name === 'running') }] };
    });
    const out = await teardownHandler(envelope('teardown', input), { getRemainingTimeInMillis: () => clock.ms });
    expect(out).toMatchObject({ terminatedCount: 0, pendingCount: FLEET, isComplete: false, stoppedBy: 'time' });
    expect(asked).toEqual([]);
  });
});
