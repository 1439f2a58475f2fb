import { afterEach, describe, expect, test } from 'vitest';
import { eventsByIteration, failureOf, injectTaskFaults } from '../../bench/campaign-runs.js';
import type { LocalLifeboat } from '../../cli/local/session.js';
import type { FaultConfig } from '../../sandbox/ec2/index.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { TASK_TIMEOUT_SECONDS } from '../../schemas/tasks/index.js';
import { HISTORY_EVENT_LIMIT, loopEvents, loopPassCaps, worstCase } from '../../workflows/budget.js';
import { localLifeboat } from './helpers.js';

/**
 * The history model (`workflows/budget.ts`) against what the sandbox records for the real tasks
 * on simulated EC2, on a small case of the near-limit run of `bench/history-guard.ts` (issue 7,
 * "runs that can finish"): slow images and copies, a throttling storm and task crashes make every
 * loop spend its ladder, its quick passes and a retry per call; the last batch finds no copy slot.
 */

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** 4 instances in 2 batches, one at a time, 60-minute image and copy deadlines. */
function smallPlan(): Plan {
  return parsePlan(
    {
      name: 'budget',
      primaryRegion: 'eu-west-1',
      recoveryRegion: 'eu-central-1',
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
      backup: { batchSize: 2, imageTimeoutMinutes: 60, copyTimeoutMinutes: 60 },
      workloads: Array.from({ length: 4 }, (_, i) => ({
        name: `app-${i + 1}`,
        instanceIds: [`i-0${(i + 1).toString(16).padStart(16, '0')}`],
        launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m5.large'] },
      })),
      drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    },
    'test/e2e/history-budget.test.ts',
  );
}

describe('e2e: the history model against a recorded run that spends its passes', () => {
  test('a batch writes exactly what the model counts for its passes and retries; the run stays within the worst case and its redrives end at the near-limit guard', { timeout: 300_000 }, async () => {
    // GIVEN images that take 50 minutes and copies 50 minutes (deadlines 60), 30% of EC2 calls
    // throttled, every other task invocation crashing after its work, and no copy slot for batch 2
    const plan = smallPlan();
    const storm: FaultConfig = { throttle: { '*': 0.3 } };
    env = await localLifeboat({ plan, latency: { snapshot: { base: 2_970, perGiB: 0 }, imageRegister: 30, copy: { base: 2_970, perGiB: 0 }, jitter: 0 }, faults: storm });
    // The second batch to copy gets no slot (resolve orders instances most EBS volumes first, so
    // which workloads that is depends on the fixture: the first copy pass names the first batch).
    let firstBatch: Set<string> | undefined;
    const copy = env.sandbox.lambdas.resolve('lifeboat-copy', plan.primaryRegion)!;
    const e = env;
    env.sandbox.lambdas.register(
      'lifeboat-copy',
      async (event, context) => {
        const images = (event as { input?: { images?: { workload: string }[] } }).input?.images ?? [];
        firstBatch ??= new Set(images.map((i) => i.workload));
        if (images.some((i) => !firstBatch!.has(i.workload))) e.sandbox.ec2.setFaults({ ...storm, concurrentCopyLimit: 0 });
        return copy(event, context);
      },
      { timeoutSeconds: TASK_TIMEOUT_SECONDS.copy },
    );
    injectTaskFaults(env, { crash: 'alternate' }, 7);

    // WHEN
    const first = await env.runToEnd('backup');

    // THEN batch 2 ends through the failure path at its copy loop
    expect(first.status).toBe('FAILED');
    const { step, cause } = failureOf(first);
    expect(step).toBe('Copy images');
    expect(cause).toMatch(/Lifeboat\.(Timeout|HistoryBudget)/);
    // AND batch 1 (iteration 0) wrote, event for event, what the model counts for the passes it made:
    // Map iteration 2, Start batch 2, each loop 9 per pass less 2, Batch backed up 2, and 3 per retry
    const batch1 = eventsByIteration(first.events).get(0)!;
    const passes = (state: string) => batch1.passes.get(state) ?? 0;
    expect(passes('Create images')).toBeGreaterThan(10);
    expect(passes('Copy images')).toBeGreaterThan(10);
    expect(batch1.taskFailed).toBeGreaterThan(20);
    const modelled = 2 + 2 + loopEvents(passes('Create images')) + loopEvents(passes('Copy images')) + loopEvents(passes('Verify copies')) + 2 + 3 * batch1.taskFailed;
    expect(batch1.events).toBe(modelled);
    // AND the whole run stays within the plan's worst case
    const worst = worstCase(plan).find((w) => w.workflow === 'backup')!.events;
    expect(first.events.length).toBeLessThanOrEqual(worst);

    // WHEN it is redriven again and again (each redrive gives the copy loop a fresh deadline)
    let run = first;
    let redrives = 0;
    while (run.status === 'FAILED' && !/HistoryBudget/.test(run.cause ?? '') && redrives < 20) {
      run = await env.redrive(run.executionArn);
      redrives += 1;
      expect(run.events.length).toBeLessThan(HISTORY_EVENT_LIMIT);
    }

    // THEN the near-limit guard ends it after the copy loop's share of the history, naming it
    expect(failureOf(run).cause).toContain(`'Copy images' made ${loopPassCaps(plan).copy} passes in this execution`);
    // (the guard counts the passes that returned; each attempt's last pass, which timed out, comes on top)
    const batch2 = eventsByIteration(run.events).get(1)!;
    expect(redrives).toBeGreaterThan(1);
    expect(batch2.passes.get('Copy images')).toBeGreaterThanOrEqual(loopPassCaps(plan).copy);
    expect(batch2.passes.get('Copy images')).toBeLessThanOrEqual(loopPassCaps(plan).copy + redrives + 1);
    expect(run.events.length).toBeLessThan(HISTORY_EVENT_LIMIT - 400);
  });
});
