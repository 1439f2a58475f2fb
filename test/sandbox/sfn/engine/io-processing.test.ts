import { describe, expect, test } from 'vitest';
import { chain, details, eventOf, fnArn, outputOf, passMachine, run, T0 } from './helpers.js';

// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
describe('engine: JSONPath input and output processing', () => {
  test('a Pass state writes Entered/Exited with previousEventId chained as recorded on AWS', async () => {
    const exec = await run(passMachine({}), { input: { a: 1 } });
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'PassStateEntered 2←0', 'PassStateExited 3←2', 'ExecutionSucceeded 4←3',
    ]);
    expect(details(eventOf(exec, 'PassStateEntered'))).toEqual({ name: 'P', input: '{"a":1}', inputDetails: { truncated: false } });
    expect(details(eventOf(exec, 'PassStateExited'))).toEqual({ name: 'P', output: '{"a":1}', outputDetails: { truncated: false } });
    expect(exec.events[0]!.timestamp).toBeCloseTo(T0 / 1000, 0);
  });

  test('applies InputPath, Parameters, ResultSelector, ResultPath and OutputPath in that order', async () => {
    // GIVEN a task that echoes its payload
    const def = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task', Resource: fnArn('echo'), End: true,
          InputPath: '$.in',
          Parameters: { 'v.$': '$.value', fixed: 'k' },
          ResultSelector: { 'got.$': '$.v', 'k.$': '$.fixed' },
          ResultPath: '$.in.result',
          OutputPath: '$.in',
        },
      },
    };
    // WHEN
    const exec = await run(def, { input: { in: { value: 7 }, other: true }, functions: { echo: (p) => p } });
    // THEN ResultPath merged into the raw input (not the InputPath selection), then OutputPath selected
    expect(outputOf(exec)).toEqual({ value: 7, result: { got: 7, k: 'k' } });
    expect(details(eventOf(exec, 'LambdaFunctionScheduled')).input).toBe('{"v":7,"fixed":"k"}');
  });

  test('ResultPath merges into the raw input, not the InputPath selection', async () => {
    const exec = await run(passMachine({ InputPath: '$.a', Result: 'r', ResultPath: '$.res' }), { input: { a: { b: 1 }, c: 2 } });
    expect(outputOf(exec)).toEqual({ a: { b: 1 }, c: 2, res: 'r' });
  });

  test('InputPath null gives {} and OutputPath null gives {}', async () => {
    const a = await run(passMachine({ InputPath: null }), { input: { a: 1 } });
    expect(outputOf(a)).toEqual({});
    const b = await run(passMachine({ OutputPath: null }), { input: { a: 1 } });
    expect(outputOf(b)).toEqual({});
  });

  test('ResultPath null discards the result and keeps the input', async () => {
    const exec = await run(passMachine({ Result: { x: 1 }, ResultPath: null }), { input: { a: 1 } });
    expect(outputOf(exec)).toEqual({ a: 1 });
  });

  test('ResultPath creates missing intermediate objects', async () => {
    const exec = await run(passMachine({ Result: 5, ResultPath: '$.a.b.c' }), { input: { a: {} } });
    expect(outputOf(exec)).toEqual({ a: { b: { c: 5 } } });
  });

  test('fails with States.ResultPathMatchFailure when ResultPath crosses a non-object', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), ResultPath: '$.a.b', End: true } } };
    const exec = await run(def, { input: { a: 'text' }, functions: { f: () => 1 } });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.ResultPathMatchFailure');
  });

  test('Parameters take .$ fields from the input, nested objects and arrays included', async () => {
    const exec = await run(passMachine({ Parameters: { 'x.$': '$.a', nested: { 'y.$': '$.b[1]' }, list: [{ 'z.$': '$.a' }], lit: [1, 2] } }), { input: { a: 'A', b: [0, 'B'] } });
    expect(outputOf(exec)).toEqual({ x: 'A', nested: { y: 'B' }, list: [{ z: 'A' }], lit: [1, 2] });
  });

  test('a path with a wildcard or filter returns an array ([] when nothing matches)', async () => {
    const exec = await run(passMachine({ Parameters: { 'names.$': '$.items[*].name', 'big.$': '$.items[?(@.n > 1)].name', 'none.$': '$.items[?(@.n > 9)]' } }), {
      input: { items: [{ name: 'a', n: 1 }, { name: 'b', n: 2 }] },
    });
    expect(outputOf(exec)).toEqual({ names: ['a', 'b'], big: ['b'], none: [] });
  });

  test('fails with States.Runtime naming the path and field when a .$ reference matches nothing (not caught by States.ALL)', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fnArn('f'), Parameters: { 'p.$': '$.missing' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true },
        C: { Type: 'Pass', End: true },
      },
    };
    const exec = await run(def, { functions: { f: () => 1 } });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.Runtime');
    expect(exec.cause).toBe("An error occurred while executing the state 'T' (entered at the event id #2). The JSONPath '$.missing' specified for the field 'p.$' could not be found in the input '{}'");
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'TaskStateEntered 2←0', 'ExecutionFailed 3←2']);
  });

  test('fails with States.Runtime and the recorded cause when InputPath matches nothing', async () => {
    const exec = await run(passMachine({ InputPath: '$.nope' }), { input: {} });
    expect(exec.error).toBe('States.Runtime');
    expect(exec.cause).toBe("An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']");
  });

  test('names the first missing property when an OutputPath crosses a missing object', async () => {
    const exec = await run(passMachine({ OutputPath: '$.no.such.result.path' }), { input: {} });
    expect(exec.cause).toBe("An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  });

  // A Pass state's $$.State has no RetryCount (recorded on AWS: localstack context_object/test_context_object.snapshot.json).
  test('the context object exposes Execution, State and StateMachine fields', async () => {
    const exec = await run(passMachine({
      Parameters: {
        'id.$': '$$.Execution.Id', 'name.$': '$$.Execution.Name', 'input.$': '$$.Execution.Input', 'role.$': '$$.Execution.RoleArn',
        'start.$': '$$.Execution.StartTime', 'redrives.$': '$$.Execution.RedriveCount', 'state.$': '$$.State.Name',
        'entered.$': '$$.State.EnteredTime', 'stateObject.$': '$$.State', 'sm.$': '$$.StateMachine.Id', 'smName.$': '$$.StateMachine.Name',
      },
    }), { input: { k: 1 } });
    expect(outputOf(exec)).toEqual({
      id: 'arn:aws:states:us-east-1:123456789012:execution:sm:test-exec', name: 'test-exec', input: { k: 1 },
      role: 'arn:aws:iam::123456789012:role/sfn', start: expect.stringMatching(/^2024-01-01T00:00:00\.\d{3}Z$/), redrives: 0, state: 'P',
      entered: expect.stringMatching(/^2024-01-01T00:00:00\.\d{3}Z$/),
      stateObject: { Name: 'P', EnteredTime: expect.stringMatching(/^2024-01-01T00:00:00\.\d{3}Z$/) },
      sm: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm', smName: 'sm',
    });
  });

  test('OutputPath selects part of the output', async () => {
    const exec = await run(passMachine({ Result: { a: { b: 2 } }, OutputPath: '$.a' }));
    expect(outputOf(exec)).toEqual({ b: 2 });
  });

  // Recorded on AWS (localstack test_states_errors.snapshot.json,
  // test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response): the Lambda event
  // itself fails, the cause names the function, and States.ALL catches it.
  test('a Lambda result over 256 KiB fails the task with States.DataLimitExceeded, caught by States.ALL', async () => {
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fnArn('big'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'C' }], End: true },
        C: { Type: 'Pass', End: true },
      },
    };
    const exec = await run(def, { functions: { big: () => 'x'.repeat(262_145) } });
    expect(exec.status).toBe('SUCCEEDED');
    const cause = `The state/task '${fnArn('big')}' returned a result with a size exceeding the maximum number of bytes service limit.`;
    expect(outputOf(exec)).toEqual({ Error: 'States.DataLimitExceeded', Cause: cause });
    expect(exec.events.map((e) => e.type)).not.toContain('LambdaFunctionSucceeded');
  });

  test('a Pass output over 256 KiB fails the execution with States.DataLimitExceeded naming the state', async () => {
    const exec = await run(passMachine({ Result: { a: 'x'.repeat(262_145) } }));
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.DataLimitExceeded');
    expect(exec.cause).toMatch(/^The state\/task '.+' returned a result with a size exceeding the maximum number of bytes service limit\.$/);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
describe('engine: JSONPath variables', () => {
  test('Assign stores variables that later states read with $name', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: { v: 3 }, Assign: { 'count.$': '$.v', label: 'L' }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'c.$': '$count', 'l.$': '$label' }, End: true },
      },
    };
    const exec = await run(def);
    expect(outputOf(exec)).toEqual({ c: 3, l: 'L' });
    expect(details(eventOf(exec, 'PassStateExited'))).toEqual({
      name: 'A', output: '{"v":3}', outputDetails: { truncated: false }, assignedVariables: { count: '3', label: '"L"' }, assignedVariablesDetails: { truncated: false },
    });
  });

  test("every Assign expression sees the variables from before the state", async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1, y: 10 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 2, 'y.$': '$x' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'x.$': '$x', 'y.$': '$y' }, End: true },
      },
    };
    expect(outputOf(await run(def))).toEqual({ x: 2, y: 1 });
  });

  test('Map iterations read outer variables and their own assignments do not leak out', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { base: 100 }, Next: 'M' },
        M: {
          Type: 'Map', Next: 'After',
          ItemProcessor: {
            StartAt: 'I',
            States: {
              I: { Type: 'Pass', Assign: { inner: 1 }, Next: 'J' },
              J: { Type: 'Pass', Parameters: { 'b.$': '$base', 'i.$': '$inner' }, End: true },
            },
          },
        },
        After: { Type: 'Pass', Parameters: { 'b.$': '$base', 'r.$': '$' }, End: true },
      },
    };
    const exec = await run(def, { input: [1, 2] });
    expect(outputOf(exec)).toEqual({ b: 100, r: [{ b: 100, i: 1 }, { b: 100, i: 1 }] });
  });
});
