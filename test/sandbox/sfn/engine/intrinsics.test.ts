import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { outputOf, passMachine, run } from './helpers.js';

/** Runs `States.X(...)` in a Pass state's Parameters and returns the value (or the failure). */
async function intrinsic(expr: string, input: unknown = {}): Promise<unknown> {
  const exec = await run(passMachine({ Parameters: { 'v.$': expr } }), { input });
  return (outputOf(exec) as { v: unknown }).v;
}

async function intrinsicError(expr: string, input: unknown = {}): Promise<string | undefined> {
  const exec = await run(passMachine({ Parameters: { 'v.$': expr } }), { input });
  expect(exec.status).toBe('FAILED');
  return exec.error;
}

// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
describe('engine: intrinsic functions', () => {
  test('States.Format substitutes {} with strings, numbers and paths', async () => {
    expect(await intrinsic("States.Format('Hello, {}! You are {}.', $.name, $.age)", { name: 'Ana', age: 30 })).toBe('Hello, Ana! You are 30.');
  });

  test('States.Format renders objects as {key=value} and arrays as [a, b], not JSON', async () => {
    expect(await intrinsic("States.Format('o={} a={}', $.o, $.a)", { o: { k: 'v', n: 1 }, a: [1, 'x'] })).toBe('o={k=v, n=1} a=[1, x]');
  });

  test("string literals escape ', {, } and \\ with a backslash", async () => {
    expect(await intrinsic("States.Format('it\\'s \\{literal\\} {}', 'x')")).toBe("it's {literal} x");
  });

  test('States.Format rejects a mismatched number of arguments with States.IntrinsicFailure', async () => {
    expect(await intrinsicError("States.Format('{} {}', 'a')")).toBe('States.IntrinsicFailure');
  });

  test('States.StringToJson parses JSON text, and "" gives null', async () => {
    expect(await intrinsic('States.StringToJson($.s)', { s: '{"a":[1,2]}' })).toEqual({ a: [1, 2] });
    expect(await intrinsic('States.StringToJson($.s)', { s: '' })).toBeNull();
  });

  test('States.JsonToString is compact JSON', async () => {
    expect(await intrinsic('States.JsonToString($.o)', { o: { a: 1, b: [true, null] } })).toBe('{"a":1,"b":[true,null]}');
  });

  test('States.Array builds an array and keeps null arguments', async () => {
    expect(await intrinsic("States.Array('a', 1, $.n, null, true)", { n: { x: 1 } })).toEqual(['a', 1, { x: 1 }, null, true]);
  });

  test('States.ArrayPartition splits into chunks, the last one shorter', async () => {
    expect(await intrinsic('States.ArrayPartition($.a, 2)', { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
  });

  test('States.ArrayContains compares values structurally', async () => {
    expect(await intrinsic('States.ArrayContains($.a, $.v)', { a: [1, { k: 2 }], v: { k: 2 } })).toBe(true);
    expect(await intrinsic('States.ArrayContains($.a, 3)', { a: [1, 2] })).toBe(false);
  });

  test('States.ArrayRange includes the end when the step reaches it', async () => {
    expect(await intrinsic('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(await intrinsic('States.ArrayRange(10, 4, -3)')).toEqual([10, 7, 4]);
    expect(await intrinsic('States.ArrayRange(0, 5, 2)')).toEqual([0, 2, 4]);
  });

  test('States.ArrayRange rejects more than 1000 items', async () => {
    expect(await intrinsicError('States.ArrayRange(1, 1001, 1)')).toBe('States.IntrinsicFailure');
  });

  test('States.ArrayGetItem returns the item at an index', async () => {
    expect(await intrinsic('States.ArrayGetItem($.a, 1)', { a: ['x', 'y'] })).toBe('y');
  });

  test('States.ArrayLength counts items', async () => {
    expect(await intrinsic('States.ArrayLength($.a)', { a: [1, 2, 3] })).toBe(3);
  });

  test('States.ArrayUnique removes duplicates, keeping the first', async () => {
    expect(await intrinsic('States.ArrayUnique($.a)', { a: [1, 2, 1, { a: 1 }, { a: 1 }, 'x'] })).toEqual([1, 2, { a: 1 }, 'x']);
  });

  test('States.Base64Encode and States.Base64Decode round-trip UTF-8', async () => {
    expect(await intrinsic("States.Base64Encode('Data to encode')")).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(await intrinsic("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
  });

  test('States.Hash supports MD5, SHA-1, SHA-256, SHA-384 and SHA-512', async () => {
    for (const [alg, node] of [['MD5', 'md5'], ['SHA-1', 'sha1'], ['SHA-256', 'sha256'], ['SHA-384', 'sha384'], ['SHA-512', 'sha512']]) {
      expect(await intrinsic(`States.Hash('input data', '${alg}')`)).toBe(createHash(node!).update('input data').digest('hex'));
    }
  });

  test('States.Hash rejects an unknown algorithm with States.IntrinsicFailure', async () => {
    expect(await intrinsicError("States.Hash('x', 'SHA-2')")).toBe('States.IntrinsicFailure');
  });

  test('States.JsonMerge merges shallowly, the second object winning', async () => {
    expect(await intrinsic('States.JsonMerge($.a, $.b, false)', { a: { x: 1, n: { p: 1 } }, b: { y: 2, n: { q: 2 } } })).toEqual({ x: 1, y: 2, n: { q: 2 } });
  });

  test('States.JsonMerge rejects deep merge (true)', async () => {
    expect(await intrinsicError('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} })).toBe('States.IntrinsicFailure');
  });

  test('States.MathRandom returns an integer in [start, end) and is repeatable with a seed', async () => {
    const v = await intrinsic('States.MathRandom(5, 10)');
    expect(Number.isInteger(v) && (v as number) >= 5 && (v as number) < 10).toBe(true);
    expect(await intrinsic('States.MathRandom(1, 1000, 42)')).toBe(await intrinsic('States.MathRandom(1, 1000, 42)'));
  });

  test('States.MathAdd adds, rounding decimal arguments half up', async () => {
    expect(await intrinsic('States.MathAdd(111, -1)')).toBe(110);
    expect(await intrinsic('States.MathAdd($.v, 1)', { v: 2.5 })).toBe(4);
  });

  test('States.StringSplit splits on each delimiter character and drops empty tokens', async () => {
    expect(await intrinsic("States.StringSplit('1,2;;3', ',;')")).toEqual(['1', '2', '3']);
  });

  test('States.UUID returns a v4 UUID from the seeded generator', async () => {
    const v = await intrinsic('States.UUID()');
    expect(v).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await intrinsic('States.UUID()')).toBe(v);
  });

  test('intrinsics nest, and read the context object and variables', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { who: 'W' }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'v.$': "States.Format('{}/{}/{}', $who, $$.State.Name, States.ArrayLength(States.Array(1, 2)))" }, End: true },
      },
    };
    expect(outputOf(await run(def))).toEqual({ v: 'W/B/2' });
  });

  test('a wrong argument type fails with States.IntrinsicFailure', async () => {
    expect(await intrinsicError('States.ArrayLength($.s)', { s: 'text' })).toBe('States.IntrinsicFailure');
  });
});
