import { describe, expect, test } from 'vitest';
import { chain, details, eventOf, outputOf, run } from './helpers.js';

function choiceMachine(rule: object, extra: object = {}): object {
  return {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No', ...extra },
      Yes: { Type: 'Pass', Result: 'yes', End: true },
      No: { Type: 'Pass', Result: 'no', End: true },
    },
  };
}

async function decide(rule: object, input: unknown): Promise<unknown> {
  return outputOf(await run(choiceMachine(rule), { input }));
}

// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
describe('engine: Choice comparators', () => {
  const cases: Array<[string, object, unknown, 'yes' | 'no']> = [
    ['StringEquals', { Variable: '$.v', StringEquals: 'a' }, { v: 'a' }, 'yes'],
    ['StringEquals (other)', { Variable: '$.v', StringEquals: 'a' }, { v: 'b' }, 'no'],
    ['StringLessThan', { Variable: '$.v', StringLessThan: 'b' }, { v: 'a' }, 'yes'],
    ['StringGreaterThan', { Variable: '$.v', StringGreaterThan: 'b' }, { v: 'c' }, 'yes'],
    ['StringLessThanEquals', { Variable: '$.v', StringLessThanEquals: 'b' }, { v: 'b' }, 'yes'],
    ['StringGreaterThanEquals', { Variable: '$.v', StringGreaterThanEquals: 'b' }, { v: 'a' }, 'no'],
    ['NumericEquals', { Variable: '$.v', NumericEquals: 5 }, { v: 5 }, 'yes'],
    ['NumericLessThan', { Variable: '$.v', NumericLessThan: 5 }, { v: 4.5 }, 'yes'],
    ['NumericGreaterThan', { Variable: '$.v', NumericGreaterThan: 5 }, { v: 5 }, 'no'],
    ['NumericLessThanEquals', { Variable: '$.v', NumericLessThanEquals: 5 }, { v: 5 }, 'yes'],
    ['NumericGreaterThanEquals', { Variable: '$.v', NumericGreaterThanEquals: 5 }, { v: 6 }, 'yes'],
    ['BooleanEquals', { Variable: '$.v', BooleanEquals: false }, { v: false }, 'yes'],
    ['TimestampEquals', { Variable: '$.v', TimestampEquals: '2024-01-01T00:00:00Z' }, { v: '2024-01-01T01:00:00+01:00' }, 'yes'],
    ['TimestampLessThan', { Variable: '$.v', TimestampLessThan: '2024-01-01T00:00:00Z' }, { v: '2023-12-31T23:59:59Z' }, 'yes'],
    ['TimestampGreaterThan', { Variable: '$.v', TimestampGreaterThan: '2024-01-01T00:00:00Z' }, { v: '2023-12-31T23:59:59Z' }, 'no'],
    ['TimestampLessThanEquals', { Variable: '$.v', TimestampLessThanEquals: '2024-01-01T00:00:00Z' }, { v: '2024-01-01T00:00:00Z' }, 'yes'],
    ['TimestampGreaterThanEquals', { Variable: '$.v', TimestampGreaterThanEquals: '2024-01-01T00:00:00Z' }, { v: '2024-01-02T00:00:00.5Z' }, 'yes'],
    ['StringEqualsPath', { Variable: '$.v', StringEqualsPath: '$.w' }, { v: 'a', w: 'a' }, 'yes'],
    ['StringLessThanPath', { Variable: '$.v', StringLessThanPath: '$.w' }, { v: 'a', w: 'b' }, 'yes'],
    ['StringGreaterThanPath', { Variable: '$.v', StringGreaterThanPath: '$.w' }, { v: 'a', w: 'b' }, 'no'],
    ['StringLessThanEqualsPath', { Variable: '$.v', StringLessThanEqualsPath: '$.w' }, { v: 'a', w: 'a' }, 'yes'],
    ['StringGreaterThanEqualsPath', { Variable: '$.v', StringGreaterThanEqualsPath: '$.w' }, { v: 'c', w: 'b' }, 'yes'],
    ['NumericEqualsPath', { Variable: '$.v', NumericEqualsPath: '$.w' }, { v: 1, w: 1 }, 'yes'],
    ['NumericLessThanPath', { Variable: '$.v', NumericLessThanPath: '$.w' }, { v: 1, w: 2 }, 'yes'],
    ['NumericGreaterThanPath', { Variable: '$.v', NumericGreaterThanPath: '$.w' }, { v: 3, w: 2 }, 'yes'],
    ['NumericLessThanEqualsPath', { Variable: '$.v', NumericLessThanEqualsPath: '$.w' }, { v: 3, w: 2 }, 'no'],
    ['NumericGreaterThanEqualsPath', { Variable: '$.v', NumericGreaterThanEqualsPath: '$.w' }, { v: 2, w: 2 }, 'yes'],
    ['BooleanEqualsPath', { Variable: '$.v', BooleanEqualsPath: '$.w' }, { v: true, w: true }, 'yes'],
    ['TimestampEqualsPath', { Variable: '$.v', TimestampEqualsPath: '$.w' }, { v: '2024-01-01T00:00:00Z', w: '2024-01-01T00:00:00Z' }, 'yes'],
    ['TimestampLessThanPath', { Variable: '$.v', TimestampLessThanPath: '$.w' }, { v: '2024-01-01T00:00:00Z', w: '2024-01-02T00:00:00Z' }, 'yes'],
    ['TimestampGreaterThanPath', { Variable: '$.v', TimestampGreaterThanPath: '$.w' }, { v: '2024-01-03T00:00:00Z', w: '2024-01-02T00:00:00Z' }, 'yes'],
    ['TimestampLessThanEqualsPath', { Variable: '$.v', TimestampLessThanEqualsPath: '$.w' }, { v: '2024-01-03T00:00:00Z', w: '2024-01-02T00:00:00Z' }, 'no'],
    ['TimestampGreaterThanEqualsPath', { Variable: '$.v', TimestampGreaterThanEqualsPath: '$.w' }, { v: '2024-01-02T00:00:00Z', w: '2024-01-02T00:00:00Z' }, 'yes'],
    ['IsNull', { Variable: '$.v', IsNull: true }, { v: null }, 'yes'],
    ['IsNull false', { Variable: '$.v', IsNull: true }, { v: 0 }, 'no'],
    ['IsPresent on a null value', { Variable: '$.v', IsPresent: true }, { v: null }, 'yes'],
    ['IsPresent on a missing field', { Variable: '$.v', IsPresent: true }, {}, 'no'],
    ['IsPresent false on a missing field', { Variable: '$.v', IsPresent: false }, {}, 'yes'],
    ['IsNumeric', { Variable: '$.v', IsNumeric: true }, { v: 1.5 }, 'yes'],
    ['IsNumeric on a numeric string', { Variable: '$.v', IsNumeric: true }, { v: '1' }, 'no'],
    ['IsString', { Variable: '$.v', IsString: true }, { v: '' }, 'yes'],
    ['IsBoolean', { Variable: '$.v', IsBoolean: false }, { v: 'true' }, 'yes'],
    ['IsTimestamp', { Variable: '$.v', IsTimestamp: true }, { v: '2024-01-01T00:00:00.123Z' }, 'yes'],
    ['IsTimestamp on a date only', { Variable: '$.v', IsTimestamp: true }, { v: '2024-01-01' }, 'no'],
    ['StringMatches with *', { Variable: '$.v', StringMatches: 'log-*.txt' }, { v: 'log-2024-01.txt' }, 'yes'],
    ['StringMatches mismatch', { Variable: '$.v', StringMatches: 'log-*.txt' }, { v: 'log-2024.csv' }, 'no'],
    ['StringMatches with an escaped star', { Variable: '$.v', StringMatches: 'a\\*b' }, { v: 'a*b' }, 'yes'],
    ['StringMatches escaped star is literal', { Variable: '$.v', StringMatches: 'a\\*b' }, { v: 'axxb' }, 'no'],
    ['StringMatches with an escaped backslash', { Variable: '$.v', StringMatches: 'a\\\\*' }, { v: 'a\\zz' }, 'yes'],
    ['a string comparator on a number is false', { Variable: '$.v', StringEquals: '1' }, { v: 1 }, 'no'],
    ['a numeric comparator on a string is false', { Variable: '$.v', NumericEquals: 1 }, { v: '1' }, 'no'],
    ['a timestamp comparator on a non-timestamp is false', { Variable: '$.v', TimestampEquals: '2024-01-01T00:00:00Z' }, { v: 'soon' }, 'no'],
    ['And', { And: [{ Variable: '$.a', NumericGreaterThan: 1 }, { Variable: '$.b', StringEquals: 'x' }] }, { a: 2, b: 'x' }, 'yes'],
    ['And (one false)', { And: [{ Variable: '$.a', NumericGreaterThan: 1 }, { Variable: '$.b', StringEquals: 'x' }] }, { a: 2, b: 'y' }, 'no'],
    ['Or', { Or: [{ Variable: '$.a', NumericGreaterThan: 1 }, { Variable: '$.b', StringEquals: 'x' }] }, { a: 0, b: 'x' }, 'yes'],
    ['Not', { Not: { Variable: '$.a', StringEquals: 'x' } }, { a: 'y' }, 'yes'],
    ['a variable as Variable', { Variable: '$$.State.Name', StringEquals: 'C' }, {}, 'yes'],
  ];
  test.each(cases)('%s', async (_name, rule, input, expected) => {
    expect(await decide(rule, input)).toBe(expected);
  });

  test('the first matching rule wins and Choice writes ChoiceStateEntered/Exited', async () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericGreaterThan: 0, Next: 'A' }, { Variable: '$.v', NumericGreaterThan: 1, Next: 'B' }], OutputPath: '$.v' },
        A: { Type: 'Succeed' },
        B: { Type: 'Fail', Error: 'Wrong' },
      },
    };
    const exec = await run(def, { input: { v: 5 } });
    expect(outputOf(exec)).toBe(5);
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'ChoiceStateEntered 2←0', 'ChoiceStateExited 3←2', 'SucceedStateEntered 4←3', 'SucceedStateExited 5←4', 'ExecutionSucceeded 6←5',
    ]);
    expect(details(eventOf(exec, 'ChoiceStateExited')).output).toBe('5');
  });

  test('fails with States.NoChoiceMatched when nothing matches and there is no Default', async () => {
    const def = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericEquals: 1, Next: 'E' }] }, E: { Type: 'Succeed' } } };
    const exec = await run(def, { input: { v: 2 } });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.NoChoiceMatched');
    expect(chain(exec)).toEqual(['ExecutionStarted 1←0', 'ChoiceStateEntered 2←0', 'ExecutionFailed 3←2']);
  });

  test('fails with States.Runtime when Variable references a missing field', async () => {
    const exec = await run(choiceMachine({ Variable: '$.missing', StringEquals: 'x' }), { input: {} });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.Runtime');
    expect(exec.cause).toContain("Invalid path '$.missing'");
  });
});
