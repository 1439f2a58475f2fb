import { describe, expect, test } from 'vitest';
import { History } from '../../../../sandbox/sfn/engine/history.js';
import type { HistoryEvent } from '../../../../sandbox/sfn/engine/index.js';
import { chain, fnArn, namedError, outputOf, run } from './helpers.js';

/** Events shaped as the engine writes them: fractional timestamps, JSON texts, a shared flag, an absent field. */
function events(count: number, firstId = 1): HistoryEvent[] {
  const notTruncated = Object.freeze({ truncated: false });
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const text = JSON.stringify({ step: id, note: 'é ✓ "quoted"', items: Array.from({ length: 5 }, (_, j) => `i-${id}-${j}`) });
    return id % 2 === 0
      ? { timestamp: 1_700_000_000.125 + id / 1000, type: 'TaskStateEntered', id, previousEventId: id - 1, stateEnteredEventDetails: { name: `S${id}`, input: text, inputDetails: notTruncated } }
      : { timestamp: 1_700_000_000.125 + id / 1000, type: 'TaskScheduled', id, previousEventId: id - 1, taskScheduledEventDetails: { resource: 'invoke', parameters: text, timeoutInSeconds: undefined } };
  });
}

describe('sandbox sfn: a closed history kept packed', () => {
  test('reads back, after packing, exactly the events appended (values, order, absent fields)', () => {
    const history = new History({ keepWhenPacked: false });
    const written = events(200);
    for (const e of written) history.push(e);
    const expected = structuredClone(written);
    history.pack();
    const read = history.all();
    expect(read).not.toBe(written); // unpacked from the packed form, not the array appended to
    expect(read).toStrictEqual(expected);
    expect(history.length).toBe(200);
  });

  test('a redrive appends after a packed history: ids continue and every earlier event is kept', () => {
    const history = new History({ keepWhenPacked: false });
    for (const e of events(100)) history.push(e);
    history.pack();
    for (const e of events(3, 101)) history.push(e);
    expect(history.length).toBe(103);
    expect(history.all().map((e) => e.id)).toEqual(Array.from({ length: 103 }, (_, i) => i + 1));
    history.pack();
    expect(history.all()).toStrictEqual(structuredClone(events(103)));
  });

  test('a short history stays as appended', () => {
    const history = new History({ keepWhenPacked: false });
    for (const e of events(10)) history.push(e);
    const before = history.all();
    history.pack();
    expect(history.all()).toBe(before);
  });

  test('an execution with a long history redriven after it closed writes the same history as one never packed', async () => {
    // GIVEN a loop of 30 Task states (over 100 events) whose last call fails once
    let failures = 1;
    const def = {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: { n: 0 }, Next: 'Step' },
        Step: { Type: 'Task', Resource: fnArn('step'), Next: 'More' },
        More: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 30, Next: 'Step' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const step = (p: { n: number }) => {
      if (p.n === 29 && failures-- > 0) throw namedError('Flaky', 'once');
      return { n: p.n + 1 };
    };
    const exec = await run(def, { functions: { step } });
    expect(exec.status).toBe('FAILED');
    const closed = structuredClone(exec.events);
    expect(closed.length).toBeGreaterThan(64);
    // WHEN it is redriven
    exec.redrive();
    await exec.whenClosed();
    // THEN the history before the redrive is unchanged and the new events follow it
    expect(outputOf(exec)).toEqual({ n: 30 });
    expect(exec.events.slice(0, closed.length)).toStrictEqual(closed);
    expect(exec.events[closed.length]!.type).toBe('ExecutionRedriven');
    expect(exec.events.map((e) => e.id)).toEqual(exec.events.map((_, i) => i + 1));
    expect(chain(exec).at(-1)).toMatch(/^ExecutionSucceeded /);
  });
});
