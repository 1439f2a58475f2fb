import { describe, expect, test } from 'vitest';
import type { JsonValue } from '../../schemas/asl.js';
import { GUARD_MARGIN_EVENTS, HISTORY_EVENT_LIMIT, backupBudget, copyQueuedWaitSeconds, ladderPasses, loopEvents, loopPassCaps, maxPasses, recoveryBudget } from '../../workflows/budget.js';
import { CLOSE_PASSES, CLOSE_WAIT_SECONDS, TAIL_WAIT_SECONDS, COPY_WAIT, FINISH_PASSES, IMAGE_WAIT, LAUNCH_WAIT, QUICK_PASSES, TIMED_SLACK_PASSES, VERIFY_TIMEOUT_MINUTES, VERIFY_WAIT, ladderSeconds } from '../../workflows/loops.js';
import { renderBackup, renderFailover } from '../../workflows/render.js';
import { TEST_ARNS, fakeWorld } from './helpers/fake-tasks.js';
import { examplePlan, manyWorkloadsPlan } from './helpers/plans.js';
import { AslRunner } from './helpers/run-asl.js';

/*
 * Runs the rendered definitions with a test-only JSONata ASL interpreter (helpers/run-asl.ts)
 * against fake task Lambdas that check every payload against the real task schemas
 * (schemas/tasks/*). What is asserted is what each task received and how the run ended.
 */

type Input = Record<string, unknown>;
/** The message of a Lambda error cause (`{"errorType": …, "errorMessage": …}`), as Step Functions reports it. */
const lambdaMessage = (cause: string | undefined) => String((JSON.parse(cause ?? '{}') as { errorMessage?: string }).errorMessage);
const inputOf = (runner: AslRunner, task: string, call = 0) => (runner.taskCalls(task)[call]!.payload as { input: Input }).input;
const waits = (runner: AslRunner, name: string) =>
  runner.trace.filter((e): e is Extract<typeof e, { kind: 'wait' }> => e.kind === 'wait' && e.name === name).map((e) => e.seconds);

describe('workflow: backup', () => {
  test('images, copies and verifies every batch, prunes keeping what it verified, and records the RPO', async () => {
    // GIVEN the three-tier plan (batch size 10; the tag selector finds 2 instances), loops complete on the 3rd pass
    const plan = examplePlan('three-tier');
    const world = fakeWorld({ passesToComplete: 3 });
    const runner = new AslRunner(renderBackup(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const result = await runner.start({});
    // THEN
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('image')).toHaveLength(3);
    expect(runner.taskCalls('copy')).toHaveLength(3);
    expect(waits(runner, 'Wait for images')).toEqual([30, 60]);
    expect(waits(runner, 'Wait for copies')).toEqual([60, 120]);
    // the first pass of a loop leaves out the previous output; later passes carry it
    expect(inputOf(runner, 'image', 0)).not.toHaveProperty('images');
    expect(inputOf(runner, 'image', 1).images).toHaveLength(4);
    expect(inputOf(runner, 'copy', 0)).not.toHaveProperty('copies');
    expect(inputOf(runner, 'copy', 2).copies).toHaveLength(4);
    expect(inputOf(runner, 'image', 0)).toMatchObject({
      planName: 'shop',
      region: 'us-east-1',
      recoveryPointTime: '2026-11-25T10:30:00.000Z',
      isNoReboot: true,
      copyInstanceTags: true,
      deadline: '2026-11-25T12:30:02.000Z', // the overlap check takes the first second
      tags: { 'cost-center': 'dr', app: 'shop' },
    });
    expect(inputOf(runner, 'copy', 0)).toMatchObject({
      sourceRegion: 'us-east-1',
      targetRegion: 'us-west-2',
      kmsKeyId: plan.backup.kmsKeyId,
      copyTags: true,
    });
    const verifiedIds = (runner.taskCalls('verify')[0]!.payload as { input: { copies: { imageId: string }[] } }).input.copies.map((c) => c.imageId);
    expect(inputOf(runner, 'prune')).toEqual({
      planName: 'shop',
      primaryRegion: 'us-east-1',
      recoveryRegion: 'us-west-2',
      retention: { count: 12, maxAgeDays: 7 },
      keepImageIds: verifiedIds,
      deadline: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      // the first pass: nothing deleted yet (later passes carry the count forward, not every id)
      deletedCount: 0,
    });
    expect(inputOf(runner, 'record-metrics')).toEqual({
      kind: 'backup',
      planName: 'shop',
      region: 'us-east-1',
      outcome: 'SUCCEEDED',
      startedAt: '2026-11-25T10:30:00.000Z',
      recoveryPointTime: '2026-11-25T10:30:00.000Z',
      workloadCount: 3,
      // the RPO is measured from the recovery points in the recovery region, per workload
      recoveryRegion: 'us-west-2',
      workloads: [
        { name: 'db', isCritical: true },
        { name: 'web', isCritical: true },
        { name: 'reports', isCritical: false },
      ],
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    });
    expect(result.output).toMatchObject({ planName: 'shop', targetCount: 4, verifiedCount: 4, unmatched: [], prunedCount: 0, rpo: { maxAgeSeconds: 60 } });
    expect(runner.taskCalls('record-failure')).toEqual([]);
  });

  test('waits grow from 30 s and are capped at 300 s', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => ladderSeconds(IMAGE_WAIT, n))).toEqual([30, 60, 120, 240, 300, 300]);
    expect([0, 1, 2, 3, 4].map((n) => ladderSeconds(COPY_WAIT, n))).toEqual([60, 120, 240, 300, 300]);
    expect([0, 1, 2, 3].map((n) => ladderSeconds(LAUNCH_WAIT, n))).toEqual([10, 20, 30, 30]);
  });

  test('runs one Map iteration per batch with one task call per batch per pass', async () => {
    const plan = manyWorkloadsPlan(45, { backup: { batchSize: 20 } });
    const world = fakeWorld({ passesToComplete: 2 });
    const runner = new AslRunner(renderBackup(plan, TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('image').map((c) => ((c.payload as { input: { targets: unknown[] } }).input.targets.length))).toEqual([20, 20, 20, 20, 5, 5]);
    expect(runner.taskCalls('verify')).toHaveLength(3);
    expect((inputOf(runner, 'prune').keepImageIds as string[]).length).toBe(45);
  });

  test('a retried throttling error is invisible to the outcome: the run succeeds', async () => {
    const world = fakeWorld({ failures: { copy: { calls: [1, 2], error: 'Lifeboat.Throttled' } } });
    const runner = new AslRunner(renderBackup(examplePlan('small'), TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result.status).toBe('SUCCEEDED');
    expect(runner.trace.filter((e) => e.kind === 'retry')).toEqual([
      { kind: 'retry', name: 'Copy images', error: 'Lifeboat.Throttled' },
      { kind: 'retry', name: 'Copy images', error: 'Lifeboat.Throttled' },
    ]);
  });

  test('fails naming the step and cause when a copy fails, and a redrive resumes at that step with a fresh deadline', async () => {
    // GIVEN the copy fails permanently on its second pass
    const world = fakeWorld({ failures: { copy: { calls: [2], error: 'Lifeboat.ImageFailed' } } });
    const runner = new AslRunner(renderBackup(examplePlan('small'), TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const failed = await runner.start({});
    // THEN the batch recorded the failure and the run ended FAILED at the recorder
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record batch failure' });
    expect(lambdaMessage(failed.cause)).toMatch(/^step "Copy images" failed with Lifeboat\.ImageFailed: /);
    expect(inputOf(runner, 'record-failure')).toMatchObject({
      kind: 'backup',
      step: 'Copy images',
      error: 'Lifeboat.ImageFailed',
      failedAtRedriveCount: 0,
      isFinal: true,
    });
    expect(inputOf(runner, 'record-failure').cause).toContain('injected Lifeboat.ImageFailed on call 2 of copy');
    const imagesBefore = runner.taskCalls('image').length;
    const copiesBefore = runner.taskCalls('copy').length;

    // WHEN the operator redrives after fixing the cause (virtual clock moved on)
    const redriven = await runner.redrive();

    // THEN record-failure answers resume, the copy loop continues from its last good output, images are not redone
    expect(redriven.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('record-failure')).toHaveLength(2);
    expect(runner.taskCalls('image')).toHaveLength(imagesBefore);
    const resumedCopy = runner.taskCalls('copy')[copiesBefore]!;
    expect(resumedCopy.name).toBe('Copy images');
    expect((resumedCopy.payload as { context: { redriveCount: number } }).context.redriveCount).toBe(1);
    expect((resumedCopy.payload as { input: Input }).input.copies).toHaveLength(1);
    expect(Date.parse(String((resumedCopy.payload as { input: Input }).input.deadline))).toBeGreaterThan(
      Date.parse(String(inputOf(runner, 'copy', 0).deadline)),
    );
    expect(runner.taskCalls('resolve-workloads')).toHaveLength(1);
  });

  test('prune passes that were throttled loop quickly, carry their deletions forward, and count in the budget', async () => {
    // GIVEN prune completes on its 4th pass, each earlier one deleting one image and throttled once
    const plan = examplePlan('small');
    const world = fakeWorld({ passes: { prune: 4 } });
    const runner = new AslRunner(renderBackup(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const result = await runner.start({});
    // THEN
    expect(result.status).toBe('SUCCEEDED');
    const calls = runner.taskCalls('prune').map((c) => (c.payload as { input: { deleted?: unknown[]; deadline: string } }).input);
    expect(calls.map((i) => i.deleted?.length ?? 0)).toEqual([0, 1, 2, 3]);
    // one deadline for the loop, set before its first pass
    expect(new Set(calls.map((i) => i.deadline)).size).toBe(1);
    expect(result.output).toMatchObject({ prunedCount: 3 });
    const targetCount = (result.output as { targetCount: number }).targetCount;
    expect(runner.events).toBe(backupBudget(plan, targetCount, { imagePasses: 3, copyPasses: 3, verifyPasses: 1, prunePasses: 4 }).total);
  });

  test('a loop that needs more passes than the history has room for ends at its failure path with Lifeboat.HistoryBudget, below 25,000 events', async () => {
    // GIVEN copies that never finish and no deadline enforced by the task: only the guard stops the loop
    const plan = examplePlan('small');
    const cap = loopPassCaps(plan).copy;
    const world = fakeWorld({ passes: { copy: 1_000_000 } });
    const runner = new AslRunner(renderBackup(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const failed = await runner.start({});
    // THEN the run fails where it records failures, naming the step, the passes spent and what to do
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record batch failure' });
    const message = lambdaMessage(failed.cause);
    expect(message).toMatch(/^step "Copy images" failed with Lifeboat\.HistoryBudget: 'Copy images' made \d+ passes in this execution/);
    expect(message).toContain(`made ${cap} passes`);
    expect(message).toContain('start a new backup');
    expect(runner.taskCalls('copy')).toHaveLength(cap);
    expect(runner.taskCalls('record-failure')).toHaveLength(1);
    expect(runner.events).toBeLessThan(HISTORY_EVENT_LIMIT);
    // and a redrive, which continues the same history, stops again after the one pass it resumes with
    const redriven = await runner.redrive();
    expect(redriven.status).toBe('FAILED');
    expect(lambdaMessage(redriven.cause)).toContain(`made ${cap + 1} passes`);
    expect(runner.taskCalls('copy')).toHaveLength(cap + 1);
  });

  test('a failure at the top level is redriven back to that step only', async () => {
    const world = fakeWorld({ failures: { prune: { calls: [1], error: 'Lifeboat.Unexpected' } } });
    const runner = new AslRunner(renderBackup(examplePlan('small'), TEST_ARNS), { lambda: world.lambda });
    const failed = await runner.start({});
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record failure' });
    expect(lambdaMessage(failed.cause)).toMatch(/^step "Prune recovery points" failed with Lifeboat\.Unexpected: /);
    const redriven = await runner.redrive();
    expect(redriven.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('verify')).toHaveLength(1);
    expect(runner.taskCalls('prune')).toHaveLength(2);
  });
});

describe('workflow: failover', () => {
  test('accepts {} as input: no required field, no pins passed on', async () => {
    const world = fakeWorld();
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'failover', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    expect(inputOf(runner, 'resolve-recovery-points')).not.toHaveProperty('pins');
  });

  test.each([[null], ['not an object'], [[]]] as [JsonValue][])('treats the input %j like {} (no pins)', async (input) => {
    const world = fakeWorld();
    const runner = new AslRunner(renderFailover(examplePlan('small'), 'failover', TEST_ARNS), { lambda: world.lambda });
    expect((await runner.start(input)).status).toBe('SUCCEEDED');
    expect(inputOf(runner, 'resolve-recovery-points')).not.toHaveProperty('pins');
  });

  test('passes pinned recovery points from the input to resolve-recovery-points', async () => {
    const world = fakeWorld();
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'failover', TEST_ARNS), { lambda: world.lambda });
    const pins = { db: 'ami-0123456789abcdef0', web: '2026-11-24T10:30:00.000Z' };
    const result = await runner.start({ recoveryPoints: pins });
    expect(result.status).toBe('SUCCEEDED');
    expect(inputOf(runner, 'resolve-recovery-points').pins).toEqual(pins);
    expect(inputOf(runner, 'launch-in-region').targets).toEqual([expect.objectContaining({ workload: 'db', imageId: 'ami-0123456789abcdef0' })]);
  });

  test('polls a nearly ready launch every 3 s, at most CLOSE_PASSES times, without advancing its ladder', async () => {
    // GIVEN a one-wave plan whose launch completes on its 60th pass and reports nearly ready from
    // its 3rd pass on (some instances ready, the rest running)
    const plan = examplePlan('small');
    const world = fakeWorld({ passes: { 'launch-in-region': 60 } });
    let launchPasses = 0;
    const lambda = async (arn: string, payload: JsonValue) => {
      const out = await world.lambda(arn, payload);
      if (!arn.endsWith('-launch-in-region')) return out;
      launchPasses += 1;
      const o = out as { isComplete: boolean };
      return launchPasses >= 3 && !o.isComplete ? { ...o, isNearlyReady: true } : out;
    };
    const runner = new AslRunner(renderFailover(plan, 'failover', TEST_ARNS), { lambda });
    // WHEN
    const result = await runner.start({});
    // THEN the ladder's first two waits, then close waits until their cap, then the ladder from where it was
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    const seconds = waits(runner, 'Wait for instances');
    expect(seconds.slice(0, 2)).toEqual([10, 20]);
    expect(seconds.slice(2, 2 + CLOSE_PASSES)).toEqual(Array.from({ length: CLOSE_PASSES }, () => CLOSE_WAIT_SECONDS));
    expect(seconds.slice(2 + CLOSE_PASSES)).toEqual(Array.from({ length: 59 - 2 - CLOSE_PASSES }, () => 30));
    // and the run's history is what the budget model counts for that many passes
    expect(runner.events).toBe(recoveryBudget(plan, 'failover', 1, 60).total);
  });

  test("polls a launch's tail every second: close passes that report isAlmostReady wait TAIL_WAIT_SECONDS", async () => {
    // GIVEN a launch nearly ready from its 3rd pass, almost ready (its tail) from its 6th, complete on its 9th
    const plan = examplePlan('small');
    const world = fakeWorld({ passes: { 'launch-in-region': 9 } });
    let launchPasses = 0;
    const lambda = async (arn: string, payload: JsonValue) => {
      const out = await world.lambda(arn, payload);
      if (!arn.endsWith('-launch-in-region')) return out;
      launchPasses += 1;
      const o = out as { isComplete: boolean };
      if (o.isComplete || launchPasses < 3) return out;
      return { ...o, isNearlyReady: true, ...(launchPasses >= 6 ? { isAlmostReady: true } : {}) };
    };
    const runner = new AslRunner(renderFailover(plan, 'failover', TEST_ARNS), { lambda });
    // WHEN
    const result = await runner.start({});
    // THEN the ladder's two waits, three close waits, then tail waits until complete
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    expect(waits(runner, 'Wait for instances')).toEqual([10, 20, CLOSE_WAIT_SECONDS, CLOSE_WAIT_SECONDS, CLOSE_WAIT_SECONDS, TAIL_WAIT_SECONDS, TAIL_WAIT_SECONDS, TAIL_WAIT_SECONDS]);
  });

  test('launches waves in ascending order, one at a time, and reports the RTO from execution start to the last wave ready', async () => {
    const world = fakeWorld({ passesToComplete: 2 });
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'failover', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    const launches = runner.taskCalls('launch-in-region').map((c) => (c.payload as { input: { targets: { workload: string }[] } }).input.targets.map((t) => t.workload));
    expect(launches).toEqual([['db'], ['db'], ['web', 'reports'], ['web', 'reports']]);
    for (const call of runner.taskCalls('launch-in-region')) {
      expect((call.payload as { input: Input }).input).toMatchObject({ mode: 'failover', region: 'us-west-2' });
      expect((call.payload as { input: Input }).input).not.toHaveProperty('isolation');
    }
    const lastLaunch = runner.taskCalls('launch-in-region').at(-1)!;
    const metrics = inputOf(runner, 'record-metrics');
    expect(metrics).toMatchObject({ kind: 'failover', outcome: 'SUCCEEDED', startedAt: '2026-11-25T10:30:00.000Z', readyAt: lastLaunch.time, workloadCount: 3 });
    // the achieved RPO and RTO per workload come from the sets resolved and each wave's ready time
    const firstWaveReady = runner.taskCalls('launch-in-region')[1]!.time;
    expect(metrics).toMatchObject({
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
      sets: [{ recoveryPointTime: '2026-11-25T06:30:00.000Z', isComplete: true, workloads: ['db', 'web', 'reports'] }],
      waves: [
        { wave: 1, readyAt: firstWaveReady, workloads: ['db'] },
        { wave: 2, readyAt: lastLaunch.time, workloads: ['web', 'reports'] },
      ],
    });
    expect(result.output).toMatchObject({ mode: 'failover', readyCount: 3, recoveryTimeSeconds: (Date.parse(lastLaunch.time) - Date.parse('2026-11-25T10:30:00.000Z')) / 1000 });
    expect(result.output).toMatchObject({ sets: [{ workloads: ['db', 'web', 'reports'] }], achieved: { isRpoMet: true, isRtoMet: true } });
    expect(runner.taskCalls('teardown')).toEqual([]);
  });

  test('reports every launched instance, what it was launched from, and any substitution', async () => {
    const world = fakeWorld({ substituted: ['db'] });
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'failover', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(world.violations).toEqual([]);
    const instances = (result.output as { instances: Record<string, unknown>[] }).instances;
    expect(instances.map((i) => i.workload)).toEqual(['db', 'web', 'reports']);
    expect(instances[0]).toMatchObject({
      instanceType: 'r5.large',
      imageId: expect.stringMatching(/^ami-/),
      substitution: { requested: { instanceType: 'r6i.large' }, reasons: ['r6i.large: InsufficientInstanceCapacity'] },
    });
    expect(instances[1]).not.toHaveProperty('substitution');
  });

  test('fails naming the failed wave step, and a redrive re-runs only the failed wave from that step', async () => {
    // GIVEN wave 2's first launch call fails with a capacity error beyond its retries
    const world = fakeWorld({ passesToComplete: 1, failures: { 'launch-in-region': { calls: [2, 3, 4, 5, 6], error: 'Lifeboat.Capacity' } } });
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'failover', TEST_ARNS), { lambda: world.lambda });
    const failed = await runner.start({});
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record wave failure' });
    expect(lambdaMessage(failed.cause)).toMatch(/^step "Launch instances" failed with Lifeboat\.Capacity: /);
    // WHEN
    const redriven = await runner.redrive();
    // THEN wave 1 is not launched again; wave 2 resumes at "Launch instances"
    expect(redriven.status).toBe('SUCCEEDED');
    const waves = runner.taskCalls('launch-in-region').map((c) => (c.payload as { input: { targets: { workload: string }[] } }).input.targets[0]!.workload);
    expect(waves).toEqual(['db', 'web', 'web', 'web', 'web', 'web', 'web']);
    expect(runner.taskCalls('resolve-recovery-points')).toHaveLength(1);
  });
});

describe('workflow: failover (drill)', () => {
  test('launches into the isolated subnets, holds, tears down, then records the RTO', async () => {
    const world = fakeWorld();
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'drill', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    for (const call of runner.taskCalls('launch-in-region')) {
      expect((call.payload as { input: Input }).input).toMatchObject({
        mode: 'drill',
        isolation: { subnetIds: ['subnet-0dd44ee55ff660001'], securityGroupIds: ['sg-0dd44ee55ff660001'] },
      });
    }
    expect(waits(runner, 'Hold drill instances')).toEqual([900]);
    const order = runner.trace.filter((e) => e.kind === 'state').map((e) => e.name);
    // the teardown loops: the first pass terminates, the second confirms nothing is left
    expect(order.slice(-9)).toEqual([
      'Hold drill instances',
      'Start teardown',
      'Tear down drill',
      'Drill torn down?',
      'Wait for teardown',
      'Tear down drill',
      'Drill torn down?',
      'Record recovery metrics',
      'Recovery succeeded',
    ]);
    const teardownInputs = runner.taskCalls('teardown').map((c) => (c.payload as { input: Input }).input);
    expect(teardownInputs).toEqual([
      { planName: 'shop', region: 'us-west-2', deadline: expect.any(String) },
      { planName: 'shop', region: 'us-west-2', deadline: teardownInputs[0]!.deadline },
    ]);
    // the deadline is 6 hours after the loop started
    const started = runner.trace.find((e) => e.kind === 'state' && e.name === 'Start teardown') as { time: string };
    expect(Date.parse(teardownInputs[0]!.deadline as string) - Date.parse(started.time)).toBe(6 * 3600_000);
    const teardownWaits = waits(runner, 'Wait for teardown');
    expect(teardownWaits).toHaveLength(1);
    expect(teardownWaits[0]).toBeGreaterThanOrEqual(8);
    expect(teardownWaits[0]).toBeLessThanOrEqual(15);
    expect(inputOf(runner, 'record-metrics')).toMatchObject({ kind: 'drill', outcome: 'SUCCEEDED' });
  });

  test.each([
    ['resolve-recovery-points', 'Resolve recovery points', 'Lifeboat.NotFound'],
    ['launch-in-region', 'Launch instances', 'Lifeboat.LaunchFailed'],
    ['teardown', 'Tear down drill', 'Lifeboat.Unexpected'],
    ['record-metrics', 'Record recovery metrics', 'Lifeboat.InvalidInput'],
  ] as const)('tears down even when %s fails, then fails naming the step', async (id, step, error) => {
    const world = fakeWorld({ failures: { [id]: { calls: [1], error } } });
    const runner = new AslRunner(renderFailover(examplePlan('three-tier'), 'drill', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Recovery failed' });
    expect(result.cause).toContain(`step "${step}" failed with ${error}`);
    expect(runner.trace.filter((e) => e.kind === 'state').map((e) => e.name)).toContain('Tear down after failure');
    const failures = runner.taskCalls('record-failure').map((c) => (c.payload as { input: Input }).input);
    expect(failures).toEqual([expect.objectContaining({ kind: 'drill', step, error, isFinal: false })]);
  });

  test('a drill whose launch loop reaches its history cap records Lifeboat.HistoryBudget and still tears down', async () => {
    // GIVEN instances that never become ready and a task that enforces no deadline
    const plan = examplePlan('small');
    const world = fakeWorld({ passes: { 'launch-in-region': 1_000_000 } });
    const runner = new AslRunner(renderFailover(plan, 'drill', TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const result = await runner.start({});
    // THEN
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Recovery failed' });
    expect(result.cause).toContain('step "Launch instances" failed with Lifeboat.HistoryBudget');
    expect(result.cause).toContain(`made ${loopPassCaps(plan).drillLaunch} passes`);
    expect(runner.taskCalls('launch-in-region')).toHaveLength(loopPassCaps(plan).drillLaunch);
    expect(runner.trace.filter((e) => e.kind === 'state').map((e) => e.name)).toContain('Tear down after failure');
    expect(runner.events).toBeLessThan(HISTORY_EVENT_LIMIT);
  });

  test('tears down even when recording the failure itself fails', async () => {
    const world = fakeWorld({ failures: { 'resolve-recovery-points': { calls: [1], error: 'Lifeboat.NotFound' }, 'record-failure': { calls: [1], error: 'Lifeboat.Unexpected' } } });
    const runner = new AslRunner(renderFailover(examplePlan('small'), 'drill', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result).toMatchObject({ status: 'FAILED', failedState: 'Recovery failed' });
    // one pass terminates, the next confirms
    expect(runner.taskCalls('teardown')).toHaveLength(2);
  });

  test('names both failures when the teardown after a failure fails too', async () => {
    const world = fakeWorld({ failures: { 'launch-in-region': { calls: [1], error: 'Lifeboat.LaunchFailed' }, teardown: { calls: [1], error: 'Lifeboat.Unexpected' } } });
    const runner = new AslRunner(renderFailover(examplePlan('small'), 'drill', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Teardown failed' });
    expect(result.cause).toMatch(/^step "Launch waves" failed with Lifeboat\.StepFailed: wave 1: step "Launch instances" failed with Lifeboat\.LaunchFailed.*then tearing down failed with Lifeboat\.Unexpected/);
  });
});

describe('workflow: history budget', () => {
  test('the budget model counts exactly the events the interpreter counts for a backup', async () => {
    // GIVEN 100 workloads in batches of 20, images ready on the 6th pass, copies on the 9th
    const plan = manyWorkloadsPlan(100);
    const world = fakeWorld({ passes: { image: 6, copy: 9 } });
    const runner = new AslRunner(renderBackup(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN
    expect((await runner.start({})).status).toBe('SUCCEEDED');
    // THEN
    const budget = backupBudget(plan, 100, { imagePasses: 6, copyPasses: 9, verifyPasses: 1, prunePasses: 1 });
    expect(runner.events).toBe(budget.total);
    expect(budget.batches).toBe(5);
    expect(budget.total).toBeLessThan(1_000);
  });

  test('the budget model counts exactly the events the interpreter counts for a drill', async () => {
    const plan = manyWorkloadsPlan(100, { drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'], teardown: { holdMinutes: 10 } } });
    const world = fakeWorld({ passes: { 'launch-in-region': 5 } });
    const runner = new AslRunner(renderFailover(plan, 'drill', TEST_ARNS), { lambda: world.lambda });
    expect((await runner.start({})).status).toBe('SUCCEEDED');
    expect(runner.events).toBe(recoveryBudget(plan, 'drill', 3, 5, 2).total);
  });

  test('a 100-workload backup stays far below 25,000 events even when every loop runs to its deadline', () => {
    const plan = manyWorkloadsPlan(100);
    const worst = backupBudget(plan, 100);
    expect(worst.imagePasses).toBe(maxPasses(IMAGE_WAIT, 120));
    // 28 passes on the ladder, plus at most QUICK_PASSES quick ones after throttled passes
    expect(worst.imagePasses).toBe(ladderPasses(IMAGE_WAIT, 120) + QUICK_PASSES);
    expect(ladderPasses(IMAGE_WAIT, 120)).toBe(28);
    expect(ladderPasses(COPY_WAIT, 360)).toBe(75);
    expect(worst.verifyPasses).toBe(maxPasses(VERIFY_WAIT, VERIFY_TIMEOUT_MINUTES));
    // the copy loop: 75 passes on the ladder after the last copy started, and while copies wait
    // for a slot of the copy quotas one pass every 120 s (the shortest wait 5 batches have room
    // for in one history, docs/decisions/0018) up to the 360-minute queue deadline: 180 passes,
    // plus the timed passes' slack (TIMED_SLACK_PASSES + 1) and the finishing passes
    expect(copyQueuedWaitSeconds(plan)).toBe(120);
    const copyPasses = 75 + QUICK_PASSES + 180 + TIMED_SLACK_PASSES + 1 + FINISH_PASSES;
    expect(worst.copyPasses).toBe(copyPasses);
    expect(worst.perBatch).toBe(4 + loopEvents(28 + QUICK_PASSES) + loopEvents(copyPasses) + loopEvents(worst.verifyPasses) + 2);
    // the verify loop, the quick passes of a storm and the retry reserve included
    expect(worst.total + worst.retryReserve).toBeLessThan(HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS);
    expect(recoveryBudget(plan, 'failover', 3).total).toBeLessThan(5_000);
  });
});
