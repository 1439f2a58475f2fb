import { describe, expect, test } from 'vitest';
import {
  backupBudget,
  copyQueuedWaitSeconds,
  DISTRIBUTED_MAP_EVENTS,
  distributedBackupBudget,
  distributedRecoveryBudget,
  HISTORY_EVENT_LIMIT as HISTORY_LIMIT,
  loopEvents,
  maxPasses,
  worstCaseHistory,
  checkBudget,
  worstCase,
} from '../../workflows/budget.js';
import { CLOSE_PASSES, COPY_WAIT, IMAGE_WAIT, LAUNCH_WAIT } from '../../workflows/loops.js';
import { manyWorkloadsPlan } from './helpers/plans.js';

describe('workflow: history budget of distributed runs', () => {
  test('a backup child writes one inline batch iteration plus its own start, end and first Pass', () => {
    const plan = manyWorkloadsPlan(5_000);
    const b = distributedBackupBudget(plan, 5_000, { imagePasses: 6, copyPasses: 9, prunePasses: 1 });
    expect(b.children).toBe(250);
    // Execution 2 + Start batch run 2 + the inline iteration less its 2 Map iteration events.
    expect(b.largestChild).toBe(backupBudget(plan, 20, { imagePasses: 6, copyPasses: 9 }).perBatch + 2);
    // the prune loop: Start pruning 2 and one pass (Task 5, Choice 2)
    expect(b.parent).toBe(2 + 5 + 2 + 2 + 5 + DISTRIBUTED_MAP_EVENTS + 5 + 2 + 7 + 5 + 2);
  });

  test('the parent of a backup does not grow with the plan; the worst child stays far below 25,000', () => {
    const plan = manyWorkloadsPlan(5_000);
    const small = distributedBackupBudget(plan, 200);
    const huge = distributedBackupBudget(plan, 100_000);
    expect(huge.parent).toBe(small.parent);
    expect(huge.largestChild).toBe(small.largestChild);
    expect(huge.largestChild).toBe(backupBudget(plan, plan.backup.batchSize).perBatch + 2);
    // A child polls its copies every 30 s while they wait for a slot of the copy quotas
    // (docs/decisions/0018), which its own history has room for.
    expect(copyQueuedWaitSeconds(plan)).toBe(30);
    expect(Math.max(huge.parent, huge.largestChild)).toBeLessThan(HISTORY_LIMIT / 2);
  });

  test('a drill parent grows with the waves only (at most 100), its children with the launch deadline only', () => {
    const plan = manyWorkloadsPlan(5_000);
    const b = distributedRecoveryBudget(plan, 'drill', 100, 5_000, undefined, 2);
    // Execution 2, Start 2, Pre-flight checks 5 + Pre-flight passed? 2, Resolve 5, per wave …
    // … + the last Next wave? 2, Start teardown 2 + a teardown loop of 2 passes, metrics 5, Succeed 2.
    expect(b.parent).toBe(2 + 2 + 7 + 5 + 100 * (2 + DISTRIBUTED_MAP_EVENTS + 5) + 2 + 2 + loopEvents(2) + 5 + 2);
    // The launch loop: its ladder to the 60-minute deadline, quick passes, and the close passes of a nearly ready batch.
    expect(b.largestChild).toBe(2 + 2 + 2 + loopEvents(maxPasses(LAUNCH_WAIT, 60) + CLOSE_PASSES) + 2);
    expect(Math.max(b.parent, b.largestChild)).toBeLessThan(HISTORY_LIMIT);
  });

  test('plan check accepts 5,000 instances distributed, judging the parent and the largest child', () => {
    const plan = manyWorkloadsPlan(5_000);
    expect(checkBudget(plan)).toEqual([]);
    const cases = worstCase(plan);
    expect(cases.map((c) => c.workflow)).toEqual(['backup', 'failover', 'drill']);
    for (const c of cases) {
      expect(c.detail).toMatch(/^distributed: parent [\d,]+ events.*largest child [\d,]+/);
      expect(c.events).toBeLessThan(HISTORY_LIMIT);
    }
    // The inline shape of the same plan could not finish.
    expect(checkBudget(manyWorkloadsPlan(5_000, { scale: { mode: 'inline' } })).map((i) => i.path)).toContain('backup');
  });

  test('worstCaseHistory judges the run when inline, the larger of parent and child when distributed', () => {
    const inline = manyWorkloadsPlan(100);
    expect(worstCaseHistory(inline, 'backup')).toEqual({ execution: 'run', events: backupBudget(inline, 100).total });
    const distributed = manyWorkloadsPlan(5_000);
    const child = distributedBackupBudget(distributed, 5_000).largestChild;
    expect(worstCaseHistory(distributed, 'backup')).toEqual({ execution: 'child', events: child });
    for (const kind of ['backup', 'failover', 'drill'] as const) expect(worstCaseHistory(distributed, kind).events).toBeLessThan(HISTORY_LIMIT);
  });
});
