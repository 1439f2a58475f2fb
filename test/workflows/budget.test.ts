import { describe, expect, test } from 'vitest';
import { parsePlan } from '../../schemas/plan.js';
import { GUARD_MARGIN_EVENTS, HISTORY_EVENT_LIMIT, RETRY_EVENTS_PER_CALL, STORM_RETRY_EVENTS_PER_CALL, backupBudget, loopPassCaps, budgetedTargets, checkBudget, ladderPasses, loopEvents, maxPasses, recoveryBudget, teardownMaxPasses, worstCase } from '../../workflows/budget.js';
import { TEARDOWN_TIMEOUT_MINUTES } from '../../workflows/loops.js';
import { examplePlan } from './helpers/plans.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${(0x1000000000000000 + i * 7919).toString(16).padStart(17, '0')}`);
const planWith = (instances: number, backup: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  parsePlan(
    {
      name: 'big',
      primaryRegion: 'us-east-1',
      recoveryRegion: 'us-west-2',
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
      drill: { isolatedSubnetIds: ['subnet-0000000000000000d'] },
      backup,
      workloads: [{ name: 'app', instanceIds: ids(instances), launch: { subnetIds: ['subnet-0000000000000000c'], instanceTypes: ['t3.small'] } }],
      ...extra,
    },
    'big',
  );

describe('workflow: worst-case history', () => {
  test('the teardown loop is budgeted for its jittered waits at their shortest (half the ladder) over 6 hours', () => {
    expect(TEARDOWN_TIMEOUT_MINUTES).toBe(360);
    // the teardown loop has no quick passes (it is not a pollLoop): its ladder alone
    expect(teardownMaxPasses()).toBe(ladderPasses({ firstSeconds: 7.5, capSeconds: 150 }, 360));
    expect(teardownMaxPasses()).toBeGreaterThan(140);
  });

  test('the backup worst case is every loop to its deadline, the failure path, one retry per task call and the storm reserve', () => {
    const plan = planWith(100);
    const b = backupBudget(plan, 100);
    const calls = 2 + b.batches * (b.imagePasses + b.copyPasses + b.verifyPasses) + b.prunePasses + 2;
    // resolve and metrics may exhaust their retriers in a storm; prune is a loop and does not throw on throttles
    expect(b.retryReserve).toBe(2 * STORM_RETRY_EVENTS_PER_CALL);
    expect(worstCase(plan).find((w) => w.workflow === 'backup')!.events).toBe(b.total + 5 + calls * RETRY_EVENTS_PER_CALL + b.retryReserve);
  });

  test('the failover worst case holds the storm reserve of its three non-loop calls (pre-flight, resolve, metrics)', () => {
    const plan = planWith(1);
    const r = recoveryBudget(plan, 'failover', 1);
    // pre-flight, resolve, the launch (and health) passes, metrics, record failure
    const calls = 2 + r.launchPasses + r.healthPasses + 2;
    expect(r.retryReserve).toBe(3 * STORM_RETRY_EVENTS_PER_CALL);
    expect(worstCase(plan).find((w) => w.workflow === 'failover')!.events).toBe(r.total + 5 + calls * RETRY_EVENTS_PER_CALL + 3 * STORM_RETRY_EVENTS_PER_CALL);
  });

  test('a refused backup names the storm reserve in what it found', () => {
    const plan = planWith(100, { batchSize: 5 });
    const b = backupBudget(plan, 100);
    expect(checkBudget(plan)[0]!.found).toContain(`${b.retryReserve} events of storm retries`);
  });

  describe('near-limit guard: pass caps', () => {
    test('each cap is at least the loop\'s deadline-bound passes, so one attempt never reaches it', () => {
      for (const plan of [planWith(100), examplePlan('three-tier'), examplePlan('small')]) {
        const caps = loopPassCaps(plan);
        const b = backupBudget(plan, budgetedTargets(plan));
        expect(caps.image).toBeGreaterThanOrEqual(b.imagePasses);
        expect(caps.copy).toBeGreaterThanOrEqual(b.copyPasses);
        expect(caps.verify).toBeGreaterThanOrEqual(b.verifyPasses);
        expect(caps.prune).toBeGreaterThanOrEqual(b.prunePasses);
        expect(caps.failoverLaunch).toBeGreaterThanOrEqual(recoveryBudget(plan, 'failover', 1).launchPasses);
      }
    });

    test('a backup whose every loop runs to its cap still leaves the margin for its failure path', () => {
      const plan = planWith(100);
      const caps = loopPassCaps(plan);
      const b = backupBudget(plan, 100, { imagePasses: caps.image, copyPasses: caps.copy, verifyPasses: caps.verify, prunePasses: caps.prune });
      const calls = 2 + b.batches * (caps.image + caps.copy + caps.verify) + caps.prune + 2;
      const events = b.total + 5 + calls * RETRY_EVENTS_PER_CALL + b.retryReserve;
      expect(events).toBeLessThanOrEqual(HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS);
      // and the caps are not needlessly small: rounding down loses less than one pass (12 events) per loop
      expect(events).toBeGreaterThan(HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS - (3 * b.batches + 1) * 12);
    });

    test('an inline failover whose every wave runs to its cap stays below the limit', () => {
      const plan = planWith(1, {}, { workloads: [1, 2, 3].map((wave) => ({ name: `w${wave}`, wave, instanceIds: ids(3).slice(wave - 1, wave), launch: { subnetIds: ['subnet-0000000000000000c'], instanceTypes: ['t3.small'] } })) });
      const cap = loopPassCaps(plan).failoverLaunch;
      const r = recoveryBudget(plan, 'failover', 3, cap);
      const events = r.total + 5 + (1 + 3 * cap + 2) * RETRY_EVENTS_PER_CALL + r.retryReserve;
      expect(events).toBeLessThanOrEqual(HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS);
      expect(events).toBeGreaterThan(HISTORY_EVENT_LIMIT - GUARD_MARGIN_EVENTS - 3 * 12);
    });
  });

  test('the drill worst case holds both teardown loops at their deadline', () => {
    const plan = planWith(1);
    const t = teardownMaxPasses();
    const drill = worstCase(plan).find((w) => w.workflow === 'drill')!.events;
    const failover = worstCase(plan).find((w) => w.workflow === 'failover')!.events;
    expect(drill - failover).toBe(2 + loopEvents(t) + 5 + 2 + loopEvents(t) + 2 - 5 + 2 * t * RETRY_EVENTS_PER_CALL - 0);
    expect(recoveryBudget(plan, 'drill', 1, undefined, t).total).toBeLessThan(drill);
  });

  test('counts one full batch for each workload chosen by tags', () => {
    expect(budgetedTargets(examplePlan('three-tier'))).toBe(1 + 1 + examplePlan('three-tier').backup.batchSize);
  });

  test('accepts the example plans', () => {
    for (const name of ['small', 'three-tier'] as const) expect(checkBudget(examplePlan(name))).toEqual([]);
  });

  test('refuses a plan whose backup cannot finish, naming the fields to change, and accepts it with larger batches', () => {
    // An inline run (scale.mode inline) of 300 instances; with the default scale.mode auto the same
    // plan runs distributed (docs/decisions/0004), where each batch has a history of its own.
    const issues = checkBudget(planWith(300, { batchSize: 5 }, { scale: { mode: 'inline' } }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('backup');
    expect(issues[0]!.expected).toContain('change backup.batchSize (5), backup.imageTimeoutMinutes (120), backup.copyTimeoutMinutes (360)');
    expect(Number(issues[0]!.found.split(' ')[0]!.replaceAll(',', ''))).toBeGreaterThan(HISTORY_EVENT_LIMIT);
    expect(checkBudget(planWith(300, { batchSize: 50 }, { scale: { mode: 'inline' } }))).toEqual([]);
    expect(checkBudget(planWith(300, { batchSize: 5 }))).toEqual([]);
  });

  test('refuses a drill whose launch timeout and waves cannot finish, naming drill.launchTimeoutMinutes', () => {
    const plan = planWith(1, {}, { drill: { isolatedSubnetIds: ['subnet-0000000000000000d'], launchTimeoutMinutes: 1440 } });
    const issues = checkBudget(plan);
    expect(issues.map((i) => i.path)).toEqual(['drill']);
    expect(issues[0]!.expected).toContain('drill.launchTimeoutMinutes (1440)');
  });
});
