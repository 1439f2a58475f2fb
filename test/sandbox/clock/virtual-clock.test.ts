import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../sandbox/clock.js';

const T0 = Date.UTC(2026, 10, 29, 12);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sandbox: the virtual clock', () => {
  test('while work is in flight it does not jump, but a timer fires once wall time reaches it, however many pieces of work settle meanwhile', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    try {
      const fired: number[] = [];
      // Busy for ~400 ms of wall time, with a piece of tracked work settling every few ms.
      let busy = true;
      const work = clock.track(sleep(400).then(() => (busy = false)));
      const churn = (async () => {
        while (busy) await clock.track(sleep(2));
      })();
      clock.setTimer(T0 + 150, () => fired.push(clock.now() - T0));
      clock.setTimer(T0 + 3_600_000, () => fired.push(clock.now() - T0));
      await work;
      await churn;
      // The near timer fired by wall time, while busy (the clock never jumped past it) …
      expect(fired.length).toBeGreaterThanOrEqual(1);
      expect(fired[0]).toBeGreaterThanOrEqual(150);
      expect(fired[0]).toBeLessThan(400 + 1_000);
      // … and once idle the clock jumps to the far one.
      await sleep(50);
      expect(fired).toHaveLength(2);
      expect(fired[1]).toBeGreaterThanOrEqual(3_600_000);
      expect(fired[1]).toBeLessThan(3_600_000 + 1_000);
    } finally {
      clock.dispose();
    }
  });

  test('timers due at the same instant fire in the order they were set, each after the work the previous one started has settled', async () => {
    const clock = new VirtualClock({ startMs: T0 });
    try {
      const order: string[] = [];
      const firedAt: number[] = [];
      for (const name of ['a', 'b', 'c']) {
        clock.setTimer(T0 + 60_000, () => {
          order.push(`${name} fired`);
          firedAt.push(clock.now() - T0);
          void Promise.resolve().then(() => order.push(`${name} settled`));
        });
      }
      await new Promise<void>((resolve) => clock.setTimer(T0 + 120_000, resolve));
      expect(order).toEqual(['a fired', 'a settled', 'b fired', 'b settled', 'c fired', 'c settled']);
      // at the instant they were set for (plus the wall time the clock runs at between jumps: a
      // few ms on a loaded machine), never jumping ahead to the next timer
      for (const at of firedAt) expect(at).toBeGreaterThanOrEqual(60_000);
      for (const at of firedAt) expect(at).toBeLessThan(61_000);
    } finally {
      clock.dispose();
    }
  });
});
