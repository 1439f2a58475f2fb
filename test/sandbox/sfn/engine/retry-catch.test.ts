import { describe, expect, test } from 'vitest';
import { chain, details, eventOf, fnArn, namedError, outputOf, run, T0, types } from './helpers.js';

/** A function that throws `errorName` for the first `failures` calls, then returns 'done'. */
function flaky(failures: number, errorName = 'Transient') {
  let n = 0;
  return () => {
    if (n++ < failures) throw namedError(errorName, `attempt ${n} failed`);
    return 'done';
  };
}

function taskMachine(task: object): object {
  return {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: fnArn('f'), End: true, ...task },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

/** Seconds since T0 of each event of a type. */
function times(exec: { events: readonly { type: string; timestamp: number }[] }, type: string): number[] {
  return exec.events.filter((e) => e.type === type).map((e) => Math.round(e.timestamp - T0 / 1000));
}

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
describe('engine: Retry', () => {
  test('retries with IntervalSeconds × BackoffRate^n on the virtual clock, without re-entering the state', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }] }), { functions: { f: flaky(3) } });
    expect(outputOf(exec)).toBe('done');
    // attempts at 0, 2, 2+6, 2+6+18
    expect(times(exec, 'LambdaFunctionScheduled')).toEqual([0, 2, 8, 26]);
    expect(types(exec).filter((t) => t === 'TaskStateEntered')).toHaveLength(1);
    // a retry's Scheduled points at the failure event
    const failed = eventOf(exec, 'LambdaFunctionFailed');
    expect(exec.events[failed.id]!.type).toBe('LambdaFunctionScheduled');
    expect(exec.events[failed.id]!.previousEventId).toBe(failed.id);
  });

  test('defaults to IntervalSeconds 1, BackoffRate 2, MaxAttempts 3', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['States.ALL'] }] }), { functions: { f: flaky(5) } });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('Transient');
    expect(times(exec, 'LambdaFunctionScheduled')).toEqual([0, 1, 3, 7]);
  });

  test('MaxAttempts 0 never retries', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 0 }] }), { functions: { f: flaky(1) } });
    expect(exec.status).toBe('FAILED');
    expect(types(exec).filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(1);
  });

  test('MaxDelaySeconds caps the back-off', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 15 }] }), { functions: { f: flaky(3) } });
    expect(times(exec, 'LambdaFunctionScheduled')).toEqual([0, 10, 25, 40]);
  });

  test('JitterStrategy FULL waits a seeded random part of the back-off', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 100, MaxAttempts: 2, JitterStrategy: 'FULL' }] }), { functions: { f: flaky(2) } });
    const t = exec.events.filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => e.timestamp - T0 / 1000);
    expect(t[1]!).toBeLessThan(100);
    expect(t[2]! - t[1]!).toBeLessThan(200);
    const again = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], IntervalSeconds: 100, MaxAttempts: 2, JitterStrategy: 'FULL' }] }), { functions: { f: flaky(2) } });
    expect(Math.round(again.events.filter((e) => e.type === 'LambdaFunctionScheduled')[1]!.timestamp)).toBe(Math.round(t[1]! + T0 / 1000));
  });

  test('only the first matching retrier applies; an exhausted one does not fall through', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 1 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 5 }] }), { functions: { f: flaky(3) } });
    expect(exec.status).toBe('FAILED');
    expect(types(exec).filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(2);
  });

  test('States.TaskFailed matches a function error', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1 }] }), { functions: { f: flaky(1) } });
    expect(outputOf(exec)).toBe('done');
  });

  test('$$.State.RetryCount counts the retries', async () => {
    let n = 0;
    const exec = await run(taskMachine({ Parameters: { 'r.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }] }), {
      functions: { f: (p) => { if (n++ < 2) throw new Error('x'); return p; } },
    });
    expect(outputOf(exec)).toEqual({ r: 2 });
  });
});

describe('engine: Catch', () => {
  test('a caught failure writes TaskStateExited with the error at ResultPath, then enters the catcher', async () => {
    const exec = await run(taskMachine({ Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.error', Next: 'Caught' }] }), {
      input: { keep: 1 },
      functions: { f: () => { throw namedError('Boom', 'bad thing'); } },
    });
    expect(outputOf(exec)).toEqual({
      keep: 1,
      error: { Error: 'Boom', Cause: JSON.stringify({ errorType: 'Boom', errorMessage: 'bad thing', trace: ['Boom: bad thing'] }) },
    });
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'TaskStateEntered 2←0', 'LambdaFunctionScheduled 3←2', 'LambdaFunctionStarted 4←3', 'LambdaFunctionFailed 5←4',
      'TaskStateExited 6←5', 'PassStateEntered 7←6', 'PassStateExited 8←7', 'ExecutionSucceeded 9←8',
    ]);
  });

  test('without ResultPath the error output replaces the input', async () => {
    const exec = await run(taskMachine({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] }), { functions: { f: () => { throw namedError('X', 'm'); } } });
    expect(outputOf(exec)).toEqual({ Error: 'X', Cause: expect.stringContaining('"errorType":"X"') });
  });

  test('retries first, then catches', async () => {
    const exec = await run(taskMachine({ Retry: [{ ErrorEquals: ['Transient'], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['Transient'], Next: 'Caught' }] }), { functions: { f: flaky(5) } });
    expect(exec.status).toBe('SUCCEEDED');
    expect(types(exec).filter((t) => t === 'LambdaFunctionFailed')).toHaveLength(2);
  });

  test('Catch Assign sees the error output as $', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fnArn('f'), End: true, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'err.$': '$.Error' }, ResultPath: null, Next: 'Caught' }] },
        Caught: { Type: 'Pass', Parameters: { 'e.$': '$err' }, End: true },
      },
    };
    const exec = await run(def, { functions: { f: () => { throw namedError('Bad', 'x'); } } });
    expect(outputOf(exec)).toEqual({ e: 'Bad' });
  });

  test('an uncaught Task failure writes no TaskStateExited and fails the execution with the error', async () => {
    const exec = await run(taskMachine({}), { functions: { f: () => { throw namedError('Nope', 'no') ; } } });
    expect(exec.status).toBe('FAILED');
    expect(chain(exec).slice(-2)).toEqual(['LambdaFunctionFailed 5←4', 'ExecutionFailed 6←5']);
    expect(details(eventOf(exec, 'ExecutionFailed'))).toEqual({ error: 'Nope', cause: JSON.stringify({ errorType: 'Nope', errorMessage: 'no', trace: ['Nope: no'] }) });
  });

  test('a Fail state in a Parallel branch surfaces with its own error name for the Parallel Catch', async () => {
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', End: true,
          Branches: [{ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Custom.Error', Cause: 'why' } } }],
          Catch: [{ ErrorEquals: ['Custom.Error'], Next: 'Caught' }],
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    expect(outputOf(await run(def))).toEqual({ Error: 'Custom.Error', Cause: 'why' });
  });
});
