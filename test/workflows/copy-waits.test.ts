import { describe, expect, test } from 'vitest';
import type { JsonValue } from '../../schemas/asl.js';
import { copyQueuedWaitSeconds } from '../../workflows/budget.js';
import { FINISH_MARGIN_SECONDS, FINISH_PASSES, TIMED_SLACK_PASSES, TIMED_WAIT_MARGIN_SECONDS } from '../../workflows/loops.js';
import { renderBackup } from '../../workflows/render.js';
import { TEST_ARNS, fakeWorld } from './helpers/fake-tasks.js';
import { examplePlan } from './helpers/plans.js';
import { AslRunner } from './helpers/run-asl.js';

/*
 * The copy loop's waits (docs/decisions/0018, "Update"): after a queued pass that says when a slot
 * should free (`nextSlotSeconds`) it comes back then, but never more than one pass per queued wait
 * since the loop started plus TIMED_SLACK_PASSES; after a pass whose copies have all started and
 * says when they should be done (`doneInSeconds`) it comes back then, at most FINISH_PASSES times.
 */

type Payload = { input: { images: Array<{ workload: string; instanceId: string; imageId: string }> } };

/** Runs the three-tier backup with a copy task that answers `answer(pass)` until `passes` passes. */
async function copyWaits(answer: (pass: number) => Record<string, JsonValue>, passes: number): Promise<{ waits: number[]; times: number[] }> {
  const plan = examplePlan('three-tier');
  const world = fakeWorld({ passesToComplete: 1 });
  let pass = 0;
  const lambda = (functionArn: string, payload: JsonValue) => {
    if (!functionArn.endsWith('lifeboat-copy')) return world.lambda(functionArn, payload);
    pass += 1;
    const { images } = (payload as Payload).input;
    const isDone = pass >= passes;
    const copies = images.map((img, i) => ({
      workload: img.workload,
      instanceId: img.instanceId,
      sourceImageId: img.imageId,
      imageId: isDone ? `ami-0c0000000000000${i}${pass % 10}` : null,
      state: isDone ? 'available' : 'not-started',
    }));
    return { copies, isComplete: isDone, pendingCount: isDone ? 0 : copies.length, ...(isDone ? {} : answer(pass)) } as unknown as JsonValue;
  };
  const runner = new AslRunner(renderBackup(plan, TEST_ARNS), { lambda });
  const result = await runner.start({});
  expect(result.status).toBe('SUCCEEDED');
  const waits = runner.trace.filter((e): e is Extract<typeof e, { kind: 'wait' }> => e.kind === 'wait' && e.name === 'Wait for copies').map((e) => e.seconds);
  const times = runner.taskCalls('copy').map((c) => Date.parse(c.time));
  return { waits, times };
}

describe('workflow: backup copy-loop waits', () => {
  const w = copyQueuedWaitSeconds(examplePlan('three-tier'));

  test('a queued pass comes back when the next slot should free, within one pass per queued wait plus the slack', async () => {
    const { waits, times } = await copyWaits(() => ({ queuedCount: 2, nextSlotSeconds: 5 }), 40);
    const timed = 5 + TIMED_WAIT_MARGIN_SECONDS;
    expect(timed).toBeLessThan(w);
    // The first passes come back after the timed wait; once ahead of the allowance, after the queued wait.
    expect(waits.slice(0, TIMED_SLACK_PASSES)).toEqual(Array(TIMED_SLACK_PASSES).fill(Math.max(10, timed)));
    expect(waits).toContain(w);
    expect(new Set(waits)).toEqual(new Set([Math.max(10, timed), w]));
    // Never more passes than one per queued wait since the first plus the slack and one.
    times.forEach((at, i) => expect(i + 1).toBeLessThanOrEqual((at - times[0]!) / (w * 1000) + TIMED_SLACK_PASSES + 2));
  });

  test('a slot further away than the queued wait: the pass comes back then, not sooner', async () => {
    const { waits } = await copyWaits(() => ({ queuedCount: 1, nextSlotSeconds: 200 }), 6);
    expect(waits).toEqual(Array(5).fill(200 + TIMED_WAIT_MARGIN_SECONDS));
  });

  test('copies all started: the loop comes back when they should be done, at most FINISH_PASSES times sooner than the ladder', async () => {
    const { waits } = await copyWaits(() => ({ doneInSeconds: 2 }), 6);
    const finish = Math.max(10, 2 + FINISH_MARGIN_SECONDS);
    expect(waits.slice(0, FINISH_PASSES)).toEqual(Array(FINISH_PASSES).fill(finish));
    // then the copy ladder (60 s, 120 s, …) from where it stood
    expect(waits.slice(FINISH_PASSES)).toEqual([240, 300, 300]);
  });
});
