import { describe, expect, test } from 'vitest';
import { chain, details, eventOf, fnArn, namedError, outputOf, run, types } from './helpers.js';

// https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
describe('engine: Parallel', () => {
  test('runs every branch on the same input and outputs the array of branch outputs', async () => {
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', End: true, ResultPath: '$.results',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'a.$': '$.v' }, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Task', Resource: fnArn('double'), End: true } } },
          ],
        },
      },
    };
    const exec = await run(def, { input: { v: 4 }, functions: { double: (p) => p.v * 2 } });
    expect(outputOf(exec)).toEqual({ v: 4, results: [{ a: 4 }, 8] });
    const t = types(exec);
    expect(t.slice(0, 4)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'PassStateEntered']);
    expect(t.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
    // each branch's first state points at ParallelStateStarted
    const started = eventOf(exec, 'ParallelStateStarted');
    expect(eventOf(exec, 'PassStateEntered').previousEventId).toBe(started.id);
    expect(eventOf(exec, 'TaskStateEntered').previousEventId).toBe(started.id);
    expect(Object.keys(started)).toEqual(['timestamp', 'type', 'id', 'previousEventId']);
  });

  test('a failing branch fails the Parallel state with ParallelStateFailed then ExecutionFailed', async () => {
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } },
            { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } },
          ],
        },
      },
    };
    const exec = await run(def);
    expect(exec.status).toBe('FAILED');
    expect([exec.error, exec.cause]).toEqual(['E', 'C']);
    expect(types(exec).slice(-2)).toEqual(['ParallelStateFailed', 'ExecutionFailed']);
    expect(types(exec)).not.toContain('WaitStateExited');
    expect(eventOf(exec, 'ParallelStateFailed').previousEventId).toBe(eventOf(exec, 'FailStateEntered').id);
    // the branch still waiting is aborted, pointing at the failure (recorded on AWS for in-flight states)
    expect(eventOf(exec, 'WaitStateAborted').previousEventId).toBe(eventOf(exec, 'FailStateEntered').id);
    expect(types(exec)).not.toContain('FailStateAborted');
  });

  test('a Task failing in a branch writes TaskStateAborted before ParallelStateFailed, both at the failure event', async () => {
    const def = {
      StartAt: 'Par',
      States: { Par: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } }] } },
    };
    const exec = await run(def, { functions: { f: () => { throw namedError('E', 'x'); } } });
    expect(chain(exec).slice(-4)).toEqual(['LambdaFunctionFailed 7←6', 'TaskStateAborted 8←7', 'ParallelStateFailed 9←7', 'ExecutionFailed 10←9']);
  });

  test('Retry on a Parallel state reruns its branches', async () => {
    let n = 0;
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', End: true, Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 1 }],
          Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } }],
        },
      },
    };
    const exec = await run(def, { functions: { f: () => { if (n++ === 0) throw namedError('Flaky', 'x'); return 'ok'; } } });
    expect(outputOf(exec)).toEqual(['ok']);
    expect(types(exec).filter((t) => t === 'ParallelStateStarted')).toHaveLength(2);
    // recorded on AWS: a retried attempt writes no ParallelStateFailed
    expect(types(exec)).not.toContain('ParallelStateFailed');
  });

  test('ParallelStateFailed is written once, after the last retry', async () => {
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', End: true, Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } }],
        },
      },
    };
    expect(types(await run(def))).toEqual([
      'ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateStarted', 'FailStateEntered',
      'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed', 'ExecutionFailed',
    ]);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
describe('engine: inline Map', () => {
  test('runs the processor per item and writes the recorded event sequence', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', End: true, MaxConcurrency: 1, ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        },
      },
    };
    const exec = await run(def, { input: { items: ['a', 'b'] } });
    expect(outputOf(exec)).toEqual(['a', 'b']);
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'MapStateEntered 2←0', 'MapStateStarted 3←2',
      'MapIterationStarted 4←3', 'PassStateEntered 5←4', 'PassStateExited 6←5', 'MapIterationSucceeded 7←6',
      'MapIterationStarted 8←6', 'PassStateEntered 9←8', 'PassStateExited 10←9', 'MapIterationSucceeded 11←10',
      'MapStateSucceeded 12←11', 'MapStateExited 13←11', 'ExecutionSucceeded 14←13',
    ]);
    expect(details(eventOf(exec, 'MapStateStarted'))).toEqual({ length: 2 });
    expect(details(eventOf(exec, 'MapIterationStarted', 1))).toEqual({ name: 'M', index: 1 });
    expect(details(eventOf(exec, 'MapIterationSucceeded', 1))).toEqual({ name: 'M', index: 1 });
  });

  test('ItemSelector builds each iteration input from $$.Map.Item and the Map input', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', End: true, ItemsPath: '$.items',
          ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'shared.$': '$.shared' },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        },
      },
    };
    const exec = await run(def, { input: { items: ['x', 'y'], shared: 1 } });
    expect(outputOf(exec)).toEqual([{ i: 0, v: 'x', shared: 1 }, { i: 1, v: 'y', shared: 1 }]);
  });

  test('the legacy Iterator and Parameters fields work like ItemProcessor and ItemSelector', async () => {
    const def = {
      StartAt: 'M',
      States: { M: { Type: 'Map', End: true, Parameters: { 'v.$': '$$.Map.Item.Value' }, Iterator: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } },
    };
    expect(outputOf(await run(def, { input: [1] }))).toEqual([{ v: 1 }]);
  });

  test('an empty array gives [] with MapStateSucceeded pointing at MapStateStarted', async () => {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } } };
    const exec = await run(def, { input: [] });
    expect(outputOf(exec)).toEqual([]);
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'MapStateEntered 2←0', 'MapStateStarted 3←2', 'MapStateSucceeded 4←3', 'MapStateExited 5←3', 'ExecutionSucceeded 6←5']);
  });

  test('fails with States.Runtime when the items are not an array', async () => {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemsPath: '$.x', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } } };
    const exec = await run(def, { input: { x: 'no' } });
    expect(exec.error).toBe('States.Runtime');
  });

  test('a failing iteration writes MapIterationFailed and MapStateFailed at its last event; a Catch exits from MapStateFailed', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', Next: 'Done', MaxConcurrency: 1, Catch: [{ ErrorEquals: ['Bad'], Next: 'Done' }],
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'F' }], Default: 'P' },
              P: { Type: 'Pass', End: true },
              F: { Type: 'Fail', Error: 'Bad', Cause: 'two' },
            },
          },
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    const exec = await run(def, { input: [1, 2, 3] });
    expect(outputOf(exec)).toEqual({ Error: 'Bad', Cause: 'two' });
    const failEntered = eventOf(exec, 'FailStateEntered');
    expect(eventOf(exec, 'MapIterationFailed').previousEventId).toBe(failEntered.id);
    expect(details(eventOf(exec, 'MapIterationFailed'))).toEqual({ name: 'M', index: 1 });
    expect(eventOf(exec, 'MapStateFailed').previousEventId).toBe(failEntered.id);
    expect(eventOf(exec, 'MapStateExited').previousEventId).toBe(eventOf(exec, 'MapStateFailed').id);
    // the third item never started
    expect(exec.events.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(2);
  });

  test('when one of several concurrent iterations fails, the others are aborted as recorded on AWS', async () => {
    const def = {
      StartAt: 'M',
      States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } } } },
    };
    const exec = await run(def, {
      input: [0, 1, 2],
      functions: { f: async (n) => { if (n === 0) throw namedError('E', 'x'); return new Promise(() => {}); } },
    });
    expect(exec.status).toBe('FAILED');
    const failedEvent = eventOf(exec, 'LambdaFunctionFailed').id;
    const tail = exec.events.slice(exec.events.findIndex((e) => e.type === 'MapIterationFailed'));
    expect(tail.map((e) => `${e.type}←${e.previousEventId === failedEvent ? 'failure' : e.previousEventId}`)).toEqual([
      'MapIterationFailed←failure', 'TaskStateAborted←failure', 'MapIterationAborted←failure', 'TaskStateAborted←failure',
      'MapIterationAborted←failure', 'TaskStateAborted←failure', 'MapStateFailed←failure', `ExecutionFailed←${tail.at(-2)!.id}`,
    ]);
    expect(tail.filter((e) => e.type === 'MapIterationAborted').map((e) => details(e).index)).toEqual([1, 2]);
  });

  test('fails with the recorded States.Runtime cause when MaxConcurrencyPath is not an integer', async () => {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemsPath: '$.items', MaxConcurrencyPath: '$.max', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } } };
    const exec = await run(def, { input: { items: [1], max: 'NoNumber' } });
    expect(exec.cause).toBe('An error occurred while executing the state \'M\' (entered at the event id #2). The MaxConcurrencyPath field refers to value "NoNumber" which is not a valid integer: $.max');
  });

  test('MaxConcurrency bounds how many iterations run at once', async () => {
    let running = 0;
    let peak = 0;
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, MaxConcurrency: 3, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } } } } };
    const exec = await run(def, {
      input: Array.from({ length: 10 }, (_, i) => i),
      functions: { f: async (p) => { running++; peak = Math.max(peak, running); await new Promise((r) => setImmediate(r)); running--; return p; } },
    });
    expect(outputOf(exec)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });

  test('MaxConcurrencyPath reads the bound from the input', async () => {
    let running = 0;
    let peak = 0;
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemsPath: '$.items', MaxConcurrencyPath: '$.max', ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } } } } };
    await run(def, {
      input: { items: [1, 2, 3, 4], max: 2 },
      functions: { f: async (p) => { running++; peak = Math.max(peak, running); await new Promise((r) => setImmediate(r)); running--; return p; } },
    });
    expect(peak).toBe(2);
  });

  test('Map applies ResultSelector, ResultPath and OutputPath to the array of results', async () => {
    const def = {
      StartAt: 'M',
      States: { M: { Type: 'Map', End: true, ItemsPath: '$.xs', ResultSelector: { 'all.$': '$' }, ResultPath: '$.out', OutputPath: '$.out', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } },
    };
    expect(outputOf(await run(def, { input: { xs: [1, 2] } }))).toEqual({ all: [1, 2] });
  });

  test('with the default concurrency, iterations whose states complete at once still write their events in order', async () => {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } } };
    const exec = await run(def, { input: [1, 2] });
    expect(types(exec)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapIterationStarted', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded',
      'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
  });

  test('a 1,000-item Map returns every result in item order', async () => {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'n.$': '$' }, End: true } } } } } };
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const exec = await run(def, { input: items });
    expect(outputOf(exec)).toEqual(items.map((n) => ({ n })));
    expect(exec.events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(1000);
    expect(exec.events.map((e) => e.id)).toEqual(exec.events.map((_, i) => i + 1));
  });
});
