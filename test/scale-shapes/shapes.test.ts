import { describe, expect, test } from 'vitest';
import { runShape, shapes, type ShapeReport } from '../../bench/shapes.js';

/*
 * The shapes of bench/shapes.ts (issue 8, "Any size") at a small scale, each run as backup, drill
 * and failover on the sandbox and checked as an outside reviewer would: every execution and child
 * SUCCEEDED, no payload near 256 KiB, no history near 25,000 events, every protected instance
 * backed up, launched and torn down exactly once, and plan check's worst case at or above what the
 * parent and the largest child wrote. Full sizes: `nice -n 10 node --expose-gc --import tsx bench/shapes.ts`.
 */

const small = shapes(0.004, { min: 12, small: true });

function expectClean(r: ShapeReport): void {
  expect(r.problems).toEqual([]);
  expect(r.distributed).toBe(true);
  expect(r.runs.map((x) => [x.kind, x.status, x.failedChildren])).toEqual([
    ['backup', 'SUCCEEDED', 0],
    ['drill', 'SUCCEEDED', 0],
    ['failover', 'SUCCEEDED', 0],
  ]);
  for (const x of r.runs) {
    // Child executions did the work: more executions than the parent alone.
    expect(x.executions, x.kind).toBeGreaterThan(1);
    expect([x.kind, x.once, x.duplicates, x.missing, x.leftRunning]).toEqual([x.kind, r.instances, [], [], []]);
  }
}

describe('scale shapes on the sandbox (small versions of bench/shapes.ts)', () => {
  test.each(small.map((s) => [s.name, s] as const))('%s: backup, drill and failover each recover every instance exactly once', async (_name, shape) => {
    const r = await runShape(shape);
    expectClean(r);
    expect(r.instances).toBeGreaterThanOrEqual(12);
  }, 120_000);
});
