import { describe, expect, test } from 'vitest';
import { chain, details, eventOf, fnArn, namedError, outputOf, run, T0 } from './helpers.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';

function jsonata(states: Record<string, object>, startAt = Object.keys(states)[0]!): object {
  return { QueryLanguage: 'JSONata', StartAt: startAt, States: states };
}

// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
describe('engine: JSONata states', () => {
  test('Output evaluates {% %} expressions against $states.input; other strings are literals', async () => {
    const exec = await run(jsonata({ P: { Type: 'Pass', Output: { sum: '{% $states.input.a + $states.input.b %}', lit: 'a + b', partial: 'x {% 1 %}' }, End: true } }), { input: { a: 1, b: 2 } });
    expect(outputOf(exec)).toEqual({ sum: 3, lit: 'a + b', partial: 'x {% 1 %}' });
  });

  test('a Pass state without Output passes its input through', async () => {
    expect(outputOf(await run(jsonata({ P: { Type: 'Pass', End: true } }), { input: { k: 1 } }))).toEqual({ k: 1 });
  });

  test('QueryLanguage can be set per state in a JSONPath machine', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Parameters: { 'v.$': '$.v' }, Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v * 10 %}', End: true },
      },
    };
    expect(outputOf(await run(def, { input: { v: 2 } }))).toBe(20);
  });

  test('Task Arguments, $states.result in Output, and Assign', async () => {
    const def = jsonata({
      T: {
        Type: 'Task', Resource: INVOKE, Next: 'U',
        Arguments: { FunctionName: fnArn('f'), Payload: { n: '{% $states.input.n %}' } },
        Output: '{% $states.result.Payload %}',
        Assign: { doubled: '{% $states.result.Payload.d %}' },
      },
      U: { Type: 'Pass', Output: { prev: '{% $states.input %}', v: '{% $doubled %}' }, End: true },
    });
    const exec = await run(def, { input: { n: 21 }, functions: { f: (p) => ({ d: p.n * 2 }) } });
    expect(outputOf(exec)).toEqual({ prev: { d: 42 }, v: 42 });
    expect(details(eventOf(exec, 'TaskScheduled')).parameters).toBe(JSON.stringify({ FunctionName: fnArn('f'), Payload: { n: 21 } }));
    expect(details(eventOf(exec, 'TaskStateExited')).assignedVariables).toEqual({ doubled: '42' });
  });

  test('Assign and Output of one state both see the variables from before it', async () => {
    const def = jsonata({
      A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
      B: { Type: 'Pass', Assign: { x: '{% $x + 1 %}' }, Output: { seen: '{% $x %}' }, Next: 'C' },
      C: { Type: 'Pass', Output: { seen: '{% $states.input.seen %}', now: '{% $x %}' }, End: true },
    });
    expect(outputOf(await run(def))).toEqual({ seen: 1, now: 2 });
  });

  test('Choice Condition picks the first true rule, and rule Output/Assign apply', async () => {
    const def = jsonata({
      C: {
        Type: 'Choice', Default: 'D',
        Choices: [
          { Condition: '{% $states.input.n > 10 %}', Next: 'Big', Output: { size: 'big' } },
          { Condition: '{% $states.input.n > 0 %}', Next: 'D', Assign: { small: true } },
        ],
      },
      Big: { Type: 'Pass', End: true },
      D: { Type: 'Pass', Output: { small: '{% $small %}' }, End: true },
    });
    expect(outputOf(await run(def, { input: { n: 50 } }))).toEqual({ size: 'big' });
    expect(outputOf(await run(def, { input: { n: 5 } }))).toEqual({ small: true });
  });

  test('a Condition that is not boolean fails with States.QueryEvaluationError', async () => {
    const def = jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n %}', Next: 'E' }] }, E: { Type: 'Succeed' } });
    const exec = await run(def, { input: { n: 5 } });
    expect(exec.error).toBe('States.QueryEvaluationError');
  });

  test('an expression yielding nothing fails with States.QueryEvaluationError after an EvaluationFailed event', async () => {
    const exec = await run(jsonata({ P: { Type: 'Pass', Output: { r: '{% $states.input.missing %}' }, End: true } }));
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.QueryEvaluationError');
    // recorded on AWS: EvaluationFailed has previousEventId 0, and the cause names the state and field
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'PassStateEntered 2←0', 'EvaluationFailed 3←0', 'ExecutionFailed 4←3']);
    const cause = "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Output/r' returned nothing (undefined).";
    expect(details(eventOf(exec, 'EvaluationFailed'))).toEqual({ cause, error: 'States.QueryEvaluationError', location: 'Output/r', state: 'P' });
    expect(details(eventOf(exec, 'ExecutionFailed'))).toEqual({ error: 'States.QueryEvaluationError', cause });
  });

  test('States.QueryEvaluationError is caught by a Task Catch with $states.errorOutput in the Catch Output', async () => {
    const def = jsonata({
      T: {
        Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'f', Payload: '{% $undefinedThing %}' }, End: true,
        Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Output: { caught: '{% $states.errorOutput.Error %}' }, Next: 'C' }],
      },
      C: { Type: 'Pass', End: true },
    });
    expect(outputOf(await run(def, { functions: { f: () => 1 } }))).toEqual({ caught: 'States.QueryEvaluationError' });
  });

  test('Catch without Output outputs the error object; Catch Assign sees $states.errorOutput', async () => {
    const def = jsonata({
      T: {
        Type: 'Task', Resource: fnArn('f'), End: true,
        Catch: [{ ErrorEquals: ['States.ALL'], Assign: { failedWith: '{% $states.errorOutput.Error %}' }, Next: 'C' }],
      },
      C: { Type: 'Pass', Output: { input: '{% $states.input %}', v: '{% $failedWith %}' }, End: true },
    });
    const exec = await run(def, { functions: { f: () => { throw namedError('Boom', 'b'); } } });
    expect(outputOf(exec)).toEqual({ input: { Error: 'Boom', Cause: expect.stringContaining('"errorMessage":"b"') }, v: 'Boom' });
  });

  test('$states.context exposes the context object', async () => {
    const exec = await run(jsonata({ P: { Type: 'Pass', Output: { n: '{% $states.context.Execution.Name %}', s: '{% $states.context.State.Name %}', r: '{% $states.context.Execution.RedriveCount %}' }, End: true } }));
    expect(outputOf(exec)).toEqual({ n: 'test-exec', s: 'P', r: 0 });
  });

  test('Map Items and ItemSelector with $states.context.Map.Item', async () => {
    const def = jsonata({
      M: {
        Type: 'Map', End: true, Items: '{% $states.input.xs %}',
        ItemSelector: { i: '{% $states.context.Map.Item.Index %}', v: '{% $states.context.Map.Item.Value %}' },
        ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.input.v * 2 + $states.input.i %}', End: true } } },
      },
    });
    expect(outputOf(await run(def, { input: { xs: [10, 20] } }))).toEqual([20, 41]);
  });

  test('Wait Seconds and Timestamp accept expressions', async () => {
    const def = jsonata({
      W1: { Type: 'Wait', Seconds: '{% $states.input.s %}', Next: 'W2' },
      W2: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true },
    });
    const exec = await run(def, { input: { s: 5, at: '2024-01-01T00:01:00Z' } });
    expect(exec.status).toBe('SUCCEEDED');
    expect(Math.round(eventOf(exec, 'WaitStateExited').timestamp - T0 / 1000)).toBe(5);
    expect(Math.round(eventOf(exec, 'WaitStateExited', 1).timestamp - T0 / 1000)).toBe(60);
  });

  test('Fail Error and Cause accept expressions', async () => {
    const exec = await run(jsonata({ F: { Type: 'Fail', Error: '{% "My." & $states.input.kind %}', Cause: '{% $string($states.input.n) %}' } }), { input: { kind: 'Err', n: 3 } });
    expect([exec.error, exec.cause]).toEqual(['My.Err', '3']);
  });

  test('AWS extra functions: $partition, $range, $hash, $parse, $uuid, $random', async () => {
    const exec = await run(jsonata({
      P: {
        Type: 'Pass', End: true,
        Output: {
          p: '{% $partition([1,2,3], 2) %}', r: '{% $range(0, 6, 3) %}', h: "{% $hash('input data', 'MD5') %}",
          j: '{% $parse(\'{"a":1}\') %}', u: '{% $uuid() %}', x: '{% $random() %}',
        },
      },
    }));
    const out = outputOf(exec) as Record<string, any>;
    expect(out.p).toEqual([[1, 2], [3]]);
    expect(out.r).toEqual([0, 3, 6]);
    expect(out.h).toBe('812f45842bc6d66ee14572ce20db8e86');
    expect(out.j).toEqual({ a: 1 });
    expect(out.u).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.x >= 0 && out.x < 1).toBe(true);
  });

  test('a single-element sequence unwraps to its element', async () => {
    const exec = await run(jsonata({ P: { Type: 'Pass', Output: { v: '{% $states.input.items[name="a"].id %}' }, End: true } }), { input: { items: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }] } });
    expect(outputOf(exec)).toEqual({ v: 1 });
  });

  test('Items that are not an array fail with the recorded QueryEvaluationError cause', async () => {
    const def = jsonata({ M: { Type: 'Map', End: true, Items: '{% 1 %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } });
    const exec = await run(def);
    expect(exec.error).toBe('States.QueryEvaluationError');
    expect(exec.cause).toBe("An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1");
    expect(details(eventOf(exec, 'EvaluationFailed'))).toMatchObject({ location: 'Items', state: 'M' });
  });

  test('a Map without Items whose input is not an array fails without a location', async () => {
    const def = jsonata({ M: { Type: 'Map', End: true, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } });
    const exec = await run(def, { input: { not: 'an array' } });
    expect(exec.cause).toBe('An error occurred while executing the state \'M\' (entered at the event id #2). Map state input must be an array but was: {"not":"an array"}');
    expect(details(eventOf(exec, 'EvaluationFailed'))).not.toHaveProperty('location');
  });

  test('an expression that throws reports the JSONata error code', async () => {
    const exec = await run(jsonata({ P: { Type: 'Pass', Output: '{% $nope(1) %}', End: true } }));
    expect(exec.cause).toMatch(/specified for the field 'Output' threw an error during evaluation\. T1006: /);
  });
});
