import { describe, expect, test } from 'vitest';
import { Execution, EngineError, validateDefinition } from '../../../../sandbox/sfn/engine/index.js';
import { chain, details, eventOf, fnArn, namedError, outputOf, run, start, T0, testHost, types } from './helpers.js';

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html
describe('engine: Wait', () => {
  test.each([
    ['Seconds', { Seconds: 30 }, {}, 30],
    ['SecondsPath', { SecondsPath: '$.s' }, { s: 45 }, 45],
    ['Timestamp', { Timestamp: '2024-01-01T00:10:00Z' }, {}, 600],
    ['TimestampPath', { TimestampPath: '$.at' }, { at: '2024-01-01T01:00:00Z' }, 3600],
    ['a Timestamp in the past', { Timestamp: '2020-01-01T00:00:00Z' }, {}, 0],
  ])('waits on the virtual clock with %s', async (_n, fields, input, seconds) => {
    const exec = await run({ StartAt: 'W', States: { W: { Type: 'Wait', End: true, ...fields } } }, { input });
    expect(outputOf(exec)).toEqual(input);
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'WaitStateEntered 2←0', 'WaitStateExited 3←2', 'ExecutionSucceeded 4←3']);
    expect(Math.round(eventOf(exec, 'WaitStateExited').timestamp - T0 / 1000)).toBe(seconds);
  });

  test.each([
    ['SecondsPath', { s: 1.5 }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == 1.5'],
    ['SecondsPath', { s: -1 }, 'The SecondsPath parameter references a negative value: $.s == -1'],
    ['SecondsPath', {}, 'The SecondsPath parameter does not reference an input value: $.s'],
    ['TimestampPath', { s: '2016-12-05 21:29:29Z' }, 'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.s == 2016-12-05 21:29:29Z'],
  ])('fails with States.Runtime and the recorded cause when %s is invalid (%j)', async (field, input, cause) => {
    const exec = await run({ StartAt: 'W', States: { W: { Type: 'Wait', [field]: '$.s', End: true } } }, { input });
    expect(exec.error).toBe('States.Runtime');
    expect(exec.cause).toBe(`An error occurred while executing the state 'W' (entered at the event id #2). ${cause}`);
  });
});

describe('engine: Succeed and Fail', () => {
  test('Fail writes FailStateEntered then ExecutionFailed with Error and Cause', async () => {
    const exec = await run({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } });
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'FailStateEntered 2←0', 'ExecutionFailed 3←2']);
    expect(details(eventOf(exec, 'ExecutionFailed'))).toEqual({ error: 'E', cause: 'C' });
  });

  test('Fail ErrorPath and CausePath take paths and intrinsics', async () => {
    const exec = await run({ StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "States.Format('n={}', $.n)" } } }, { input: { e: 'Dyn', n: 2 } });
    expect([exec.error, exec.cause]).toEqual(['Dyn', 'n=2']);
  });

  test('Fail without Error or Cause leaves them out of ExecutionFailed', async () => {
    const exec = await run({ StartAt: 'F', States: { F: { Type: 'Fail' } } });
    expect(details(eventOf(exec, 'ExecutionFailed'))).toEqual({});
  });

  test('Succeed ends the execution with its (OutputPath-filtered) input', async () => {
    const exec = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.a' } } }, { input: { a: 1 } });
    expect(outputOf(exec)).toBe(1);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
describe('engine: stop and timeouts', () => {
  test('stop() aborts a running execution with one ExecutionAborted event, previousEventId 0', async () => {
    const { exec } = start({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    await until(() => exec.events.length >= 2, 'WaitStateEntered');
    exec.stop('Operator', 'stopped by hand');
    expect(exec.status).toBe('ABORTED');
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'WaitStateEntered 2←0', 'ExecutionAborted 3←0']);
    expect(details(eventOf(exec, 'ExecutionAborted'))).toEqual({ error: 'Operator', cause: 'stopped by hand' });
    await exec.whenClosed();
    // nothing more is written after the abort
    await new Promise((r) => setImmediate(r));
    expect(exec.events).toHaveLength(3);
  });

  test('stop() without error or cause writes empty details', async () => {
    const { exec } = start({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
    exec.stop();
    expect(details(eventOf(exec, 'ExecutionAborted'))).toEqual({});
  });

  test('the machine-level TimeoutSeconds ends the execution TIMED_OUT', async () => {
    const exec = await run({ TimeoutSeconds: 60, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    expect(exec.status).toBe('TIMED_OUT');
    expect(exec.error).toBe('States.Timeout');
    const ev = eventOf(exec, 'ExecutionTimedOut');
    expect(Math.round(ev.timestamp - T0 / 1000)).toBe(60);
    expect(types(exec)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  test('fails when the history reaches its event quota (ExecutionFailed is the last event)', async () => {
    const host = testHost();
    const exec = Execution.start({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:loop', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
      name: 'loop', definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'A' } } }), input: '{}', roleArn: 'r', host, historyLimit: 50,
    });
    await exec.whenClosed();
    expect(exec.status).toBe('FAILED');
    expect(exec.events).toHaveLength(50);
    expect(exec.events.at(-1)!.type).toBe('ExecutionFailed');
    expect(exec.redriveStatus().status).toBe('NOT_REDRIVABLE');
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
describe('engine: redrive', () => {
  test('a succeeded or running execution is not redrivable', async () => {
    const ok = await run({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    expect(ok.redriveStatus()).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(() => ok.redrive()).toThrow(EngineError);
    try { ok.redrive(); } catch (err) { expect((err as EngineError).code).toBe('ExecutionNotRedrivable'); }
    const { exec } = start({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } });
    expect(exec.redriveStatus()).toEqual({ status: 'NOT_REDRIVABLE', reason: 'Execution is RUNNING and cannot be redriven' });
  });

  test('resumes at the failed Task with its input and variables; states that succeeded are not rerun', async () => {
    let healthy = false;
    const calls: string[] = [];
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: fnArn('a'), Assign: { fromA: 'kept' }, ResultPath: '$.a', Next: 'B' },
        B: { Type: 'Task', Resource: fnArn('b'), Parameters: { 'v.$': '$fromA', 'rc.$': '$$.Execution.RedriveCount' }, End: true },
      },
    };
    const exec = await run(def, {
      input: { k: 1 },
      functions: {
        a: () => { calls.push('a'); return 'A'; },
        b: (p) => { calls.push('b'); if (!healthy) throw namedError('Down', 'not yet'); return p; },
      },
    });
    expect(exec.status).toBe('FAILED');
    expect(exec.redriveStatus()).toEqual({ status: 'REDRIVABLE' });
    const before = exec.events.length;
    // WHEN the cause is fixed and the execution redriven
    healthy = true;
    exec.redrive();
    expect(exec.status).toBe('RUNNING');
    await exec.whenClosed();
    // THEN
    expect(outputOf(exec)).toEqual({ v: 'kept', rc: 1 });
    expect(calls).toEqual(['a', 'b', 'b']);
    expect(exec.redriveCount).toBe(1);
    expect(exec.redriveDate).toBeDefined();
    const redriven = exec.events[before]!;
    expect(redriven.type).toBe('ExecutionRedriven');
    expect(details(redriven)).toEqual({ redriveCount: 1 });
    expect(exec.events[before + 1]!.type).toBe('TaskStateEntered');
    expect(details(exec.events[before + 1]!)).toMatchObject({ name: 'B', input: '{"k":1,"a":"A"}' });
    expect(exec.events[before + 1]!.previousEventId).toBe(redriven.id);
    expect(exec.events.map((e) => e.id)).toEqual(exec.events.map((_, i) => i + 1));
  });

  test('an aborted execution redrives from the state it was stopped in', async () => {
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, Next: 'W' }, W: { Type: 'Wait', Seconds: 100, End: true } } };
    const { exec } = start(def);
    await until(() => exec.events.some((e) => e.type === 'WaitStateEntered'), 'Wait entered');
    exec.stop();
    exec.redrive();
    await exec.whenClosed();
    expect(outputOf(exec)).toBe(1);
    expect(types(exec).filter((t) => t === 'PassStateEntered')).toHaveLength(1);
    expect(types(exec).filter((t) => t === 'WaitStateEntered')).toHaveLength(2);
  });

  test('the snapshot taken after a stop holds the resume point, so a restored execution redrives where it stopped', async () => {
    const def = { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'kept', Next: 'W' }, W: { Type: 'Wait', Seconds: 100, End: true } } };
    const host = testHost();
    const snapshots: unknown[] = [];
    const exec = Execution.start({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:s', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
      name: 's', definition: JSON.stringify(def), input: '{}', roleArn: 'r', host, onChange: (e) => snapshots.push(JSON.parse(JSON.stringify(e.snapshot()))),
    });
    await until(() => exec.events.some((e) => e.type === 'WaitStateEntered'), 'Wait entered');
    exec.stop();
    await new Promise((r) => setImmediate(r));
    const restored = Execution.restore(snapshots.at(-1) as never, testHost());
    restored.redrive();
    await restored.whenClosed();
    expect(outputOf(restored)).toBe('kept');
    expect(types(restored).filter((t) => t === 'PassStateEntered')).toHaveLength(1);
  });

  test('a Parallel state reruns only its failed branch and keeps the other results', async () => {
    let healthy = false;
    const calls: string[] = [];
    const def = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Good', States: { Good: { Type: 'Task', Resource: fnArn('good'), End: true } } },
            { StartAt: 'Pre', States: { Pre: { Type: 'Pass', Result: 'pre', Next: 'Bad' }, Bad: { Type: 'Task', Resource: fnArn('bad'), End: true } } },
          ],
        },
      },
    };
    const exec = await run(def, {
      functions: {
        good: async () => { calls.push('good'); return 'g'; },
        bad: async (p) => { calls.push('bad'); if (!healthy) throw namedError('Down', 'x'); return `${p}!`; },
      },
    });
    expect(exec.status).toBe('FAILED');
    healthy = true;
    exec.redrive();
    await exec.whenClosed();
    expect(outputOf(exec)).toEqual(['g', 'pre!']);
    expect(calls.filter((c) => c === 'good')).toHaveLength(1);
    // the failed branch resumed at the failed state, not at its start
    expect(types(exec).filter((t) => t === 'PassStateEntered')).toHaveLength(1);
  });

  test('an inline Map reruns only the failed iterations and keeps the successful results', async () => {
    let healthy = false;
    const seen: number[] = [];
    const def = {
      StartAt: 'M',
      States: { M: { Type: 'Map', End: true, MaxConcurrency: 1, ItemProcessor: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } } } },
    };
    const exec = await run(def, {
      input: [1, 2, 3, 4],
      functions: { f: (n) => { seen.push(n); if (n === 3 && !healthy) throw namedError('Down', 'x'); return n * 10; } },
    });
    expect(exec.status).toBe('FAILED');
    expect(seen).toEqual([1, 2, 3]);
    healthy = true;
    exec.redrive();
    await exec.whenClosed();
    expect(outputOf(exec)).toEqual([10, 20, 30, 40]);
    expect(seen).toEqual([1, 2, 3, 3, 4]);
    const afterRedrive = exec.events.slice(exec.events.findIndex((e) => e.type === 'ExecutionRedriven'));
    expect(afterRedrive.filter((e) => e.type === 'MapIterationStarted').map((e) => details(e).index)).toEqual([2, 3]);
    expect(details(afterRedrive.find((e) => e.type === 'MapStateStarted')!)).toEqual({ length: 4 });
  });

  test('a restored snapshot keeps its history and can still be redriven', async () => {
    let healthy = false;
    const functions = { f: () => { if (!healthy) throw namedError('Down', 'x'); return 'ok'; } };
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), End: true } } };
    const exec = await run(def, { functions });
    const snap = JSON.parse(JSON.stringify(exec.snapshot()));
    healthy = true;
    const restored = Execution.restore(snap, testHost(functions));
    expect(restored.status).toBe('FAILED');
    expect(restored.events).toEqual(exec.events);
    expect([restored.error, restored.cause]).toEqual([exec.error, exec.cause]);
    restored.redrive();
    await restored.whenClosed();
    expect(outputOf(restored)).toBe('ok');
  });

  test('onChange is called for every appended event', async () => {
    const host = testHost();
    let calls = 0;
    const exec = Execution.start({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:x', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
      name: 'x', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), input: '{}', roleArn: 'r', host, onChange: () => calls++,
    });
    await exec.whenClosed();
    expect(calls).toBeGreaterThanOrEqual(exec.events.length);
  });
});

describe('engine: validateDefinition', () => {
  test('accepts a valid definition', () => {
    expect(validateDefinition(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } }))).toEqual([]);
  });

  test('reports every problem with its path, in AWS wording', () => {
    const problems = validateDefinition(JSON.stringify({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass' },
        B: { Type: 'Task', Resource: fnArn('f'), Next: 'Nowhere', Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['X'] }] },
        C: { Type: 'Bogus' },
      },
    }));
    expect(problems).toContain('SCHEMA_VALIDATION_FAILED: The field "Next" should be non-null at /States/A');
    expect(problems).toContain("MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/B/Next");
    expect(problems).toContain('SCHEMA_VALIDATION_FAILED: "States.ALL" must appear alone and in the last retrier at /States/B/Retry[0]/ErrorEquals');
    expect(problems.some((p) => p.startsWith('UNREACHABLE_STATE') && p.endsWith('/States/B'))).toBe(true);
    expect(problems.some((p) => p.includes('/States/C/Type'))).toBe(true);
  });

  test('rejects text that is not JSON', () => {
    expect(validateDefinition('{nope')[0]).toMatch(/^INVALID_JSON_DESCRIPTION/);
  });

  test('rejects JSONPath fields in JSONata states and bad .$ paths', () => {
    expect(validateDefinition(JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', InputPath: '$.x', End: true } } })))
      .toEqual(['SCHEMA_VALIDATION_FAILED: The field "InputPath" is not supported for JSONata states at /States/A/InputPath']);
    expect(validateDefinition(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'nope' }, End: true } } }))).toHaveLength(1);
  });
});
