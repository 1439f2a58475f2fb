import { afterEach, describe, expect, test, vi } from 'vitest';
import { defineTask, type TaskContext } from '../../tasks/_shared/define-task.js';
import { PassLimit, SAFETY_MARGIN_MS } from '../../tasks/_shared/pass-limit.js';
import { PassNotes, THROTTLED_LISTED_LIMIT } from '../../tasks/_shared/tolerate.js';
import * as z from 'zod';
import { captureLogs, envelope } from './helpers.js';

/** A context whose remaining time is read from `clock.ms`, as Lambda's getRemainingTimeInMillis would. */
const timed = (clock: { ms: number }) => ({ remainingTimeMs: () => clock.ms });

describe('PassLimit: the bound of one pass of a loop task (issue 8)', () => {
  test('allows up to its count, then refuses with stoppedBy "count"', () => {
    const limit = new PassLimit({}, 3);
    expect([limit.take(), limit.take(), limit.take(), limit.take()]).toEqual([true, true, true, false]);
    expect(limit.count).toBe(3);
    expect(limit.stoppedBy).toBe('count');
    expect(limit.describe('DeregisterImage')).toContain('per-pass bound of 3');
  });

  test('without a Lambda context the time never runs out', () => {
    const limit = new PassLimit({}, 10_000);
    for (let n = 0; n < 5_000; n += 1) expect(limit.take()).toBe(true);
    expect(limit.stoppedBy).toBeUndefined();
  });

  test('stops starting work once the remaining time is within the margin (the SDK request timeout + 5 s)', () => {
    const clock = { ms: 300_000 };
    const limit = new PassLimit(timed(clock), 1000);
    expect(limit.take()).toBe(true);
    clock.ms = SAFETY_MARGIN_MS + 1;
    expect(limit.take()).toBe(true);
    clock.ms = SAFETY_MARGIN_MS;
    expect(limit.take()).toBe(false);
    expect(limit.stoppedBy).toBe('time');
    // once stopped, it stays stopped for the pass even if the clock reads more again
    clock.ms = 300_000;
    expect(limit.take()).toBe(false);
  });

  test('a short timeout keeps half of the time the pass started with, and the first action is always allowed', () => {
    const clock = { ms: 2_000 };
    const limit = new PassLimit(timed(clock), 1000);
    expect(limit.take()).toBe(true);
    clock.ms = 1_001;
    expect(limit.take()).toBe(true);
    clock.ms = 1_000;
    expect(limit.take()).toBe(false);
    expect(limit.stoppedBy).toBe('time');
  });

  test('takeUpTo grants what fits the count and records that the rest waits', () => {
    const limit = new PassLimit({}, 1500);
    expect(limit.takeUpTo(1000)).toBe(1000);
    expect(limit.stoppedBy).toBeUndefined();
    expect(limit.takeUpTo(1000)).toBe(500);
    expect(limit.stoppedBy).toBe('count');
    expect(limit.takeUpTo(1000)).toBe(0);
  });
});

describe('PassNotes: a storm leaves a small output', () => {
  test(`lists at most ${THROTTLED_LISTED_LIMIT} throttled calls, the last line counting the rest`, () => {
    const notes = new PassNotes({ log: () => {} });
    for (let n = 0; n < 500; n += 1) notes.leave(`DeregisterImage ami-${n}`, 'RequestLimitExceeded');
    const out = notes.output().throttled!;
    expect(out).toHaveLength(THROTTLED_LISTED_LIMIT);
    expect(out[0]).toBe('DeregisterImage ami-0: RequestLimitExceeded');
    expect(out.at(-1)).toBe(`and ${500 - THROTTLED_LISTED_LIMIT + 1} more call(s) left for the next pass`);
  });
});

describe('defineTask: the Lambda context reaches the task', () => {
  afterEach(() => vi.restoreAllMocks());

  test("context.remainingTimeMs reads the handler context's getRemainingTimeInMillis; Infinity without one", async () => {
    captureLogs();
    const seen: number[] = [];
    const handler = defineTask({
      id: 'prune',
      input: z.object({}),
      output: z.object({}),
      run: async (_input: object, context: TaskContext) => {
        seen.push(context.remainingTimeMs!());
        return {};
      },
    });
    let left = 42_000;
    await handler(envelope('prune', {}), { getRemainingTimeInMillis: () => (left -= 1000) });
    await handler(envelope('prune', {}));
    expect(seen).toEqual([41_000, Number.POSITIVE_INFINITY]);
  });
});
