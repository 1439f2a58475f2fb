import { describe, expect, test } from 'vitest';
import { AslDefinitionSchema } from '../../schemas/asl.js';

const machine = (states: Record<string, unknown>, startAt = Object.keys(states)[0]) => ({ QueryLanguage: 'JSONata', StartAt: startAt, States: states });
const issues = (value: unknown) => {
  const r = AslDefinitionSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('schema: asl', () => {
  test('accepts a small JSONata machine with every state type we emit', () => {
    expect(
      issues(
        machine({
          Start: { Type: 'Pass', Assign: { n: 0 }, Next: 'Work' },
          Work: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'f', Payload: '{% $states.input %}' },
            Output: '{% $states.result.Payload %}',
            Retry: [{ ErrorEquals: ['Lifeboat.Throttled'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 10, JitterStrategy: 'FULL' }],
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { e: '{% $states.errorOutput.Error %}' }, Next: 'Failed' }],
            Next: 'Done?',
          },
          'Done?': { Type: 'Choice', Choices: [{ Condition: '{% $states.input.ok %}', Next: 'Each' }], Default: 'Later' },
          Later: { Type: 'Wait', Seconds: '{% $n * 2 %}', Next: 'Work' },
          Each: {
            Type: 'Map',
            Items: '{% [1, 2] %}',
            ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'One', States: { One: { Type: 'Succeed' } } },
            MaxConcurrency: 1,
            Next: 'Both',
          },
          Both: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], Next: 'Ok' },
          Ok: { Type: 'Succeed', Output: { done: true } },
          Failed: { Type: 'Fail', Error: 'Lifeboat.StepFailed', Cause: '{% $e %}' },
        }),
      ),
    ).toEqual([]);
  });

  test('rejects JSONPath fields (the workflows are JSONata only)', () => {
    expect(issues(machine({ A: { Type: 'Pass', ResultPath: '$.x', End: true } }))).toEqual(['States.A: Unrecognized key: "ResultPath"']);
    expect(issues({ ...machine({ A: { Type: 'Pass', End: true } }), QueryLanguage: 'JSONPath' })[0]).toMatch(/^QueryLanguage: /);
  });

  test('rejects a state with both Next and End, or neither', () => {
    expect(issues(machine({ A: { Type: 'Pass', Next: 'A', End: true } }))).toEqual(['States.A: expected exactly one of "Next" and "End: true"']);
    expect(issues(machine({ A: { Type: 'Pass' } }))).toEqual(['States.A: expected exactly one of "Next" and "End: true"']);
  });

  test('rejects a Condition that is not a whole {% … %} expression', () => {
    expect(issues(machine({ A: { Type: 'Choice', Choices: [{ Condition: '$states.input.ok', Next: 'B' }], Default: 'B' }, B: { Type: 'Succeed' } }))).toEqual([
      'States.A.Choices.0.Condition: a JSONata expression written "{% … %}" on one line',
    ]);
  });

  test('rejects a Wait with both Seconds and Timestamp, and a retrier with an unknown jitter strategy', () => {
    expect(issues(machine({ A: { Type: 'Wait', Seconds: 1, Timestamp: '2026-01-01T00:00:00Z', End: true } }))).toEqual([
      'States.A: expected exactly one of "Seconds" and "Timestamp"',
    ]);
    expect(
      issues(machine({ A: { Type: 'Task', Resource: 'r', Retry: [{ ErrorEquals: ['States.ALL'], JitterStrategy: 'HALF' }], End: true } }))[0],
    ).toMatch(/^States\.A\.Retry\.0\.JitterStrategy: /);
  });

  test('rejects a state name over 80 characters and a variable name that is not an identifier', () => {
    const long = 'x'.repeat(81);
    expect(issues(machine({ [long]: { Type: 'Succeed' } }, long)).length).toBeGreaterThan(0);
    expect(issues(machine({ A: { Type: 'Pass', Assign: { 'not-valid': 1 }, End: true } }))).toEqual(['States.A.Assign.not-valid: Invalid key in record']);
  });
});

describe('schema: asl (Distributed Map)', () => {
  const child = { StartAt: 'One', States: { One: { Type: 'Succeed' } } };
  const reader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Arguments: { Bucket: 'b-1', Key: '{% $k %}' } };
  const writer = { Resource: 'arn:aws:states:::s3:putObject', Arguments: { Bucket: 'b-1', Prefix: 'runs/x' }, WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' } };

  test('accepts a Distributed Map with an S3 ItemReader, a ResultWriter and Standard children', () => {
    const map = { Type: 'Map', ItemReader: reader, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...child }, ResultWriter: writer, Label: 'batch', ToleratedFailureCount: 0, MaxConcurrency: 10, End: true };
    expect(issues(machine({ Each: map }))).toEqual([]);
  });

  test('rejects Distributed-only fields on an inline Map, and Items beside an ItemReader', () => {
    const inline = { Type: 'Map', ItemReader: reader, Items: '{% [] %}', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...child }, ResultWriter: writer, End: true };
    expect(issues(machine({ Each: inline }))).toEqual([
      'States.Each.ItemReader: "ItemReader" is only allowed on a Map with ProcessorConfig.Mode "DISTRIBUTED"',
      'States.Each.ResultWriter: "ResultWriter" is only allowed on a Map with ProcessorConfig.Mode "DISTRIBUTED"',
      'States.Each.ItemReader: expected at most one of "Items" and "ItemReader"',
    ]);
  });

  test('rejects an ItemReader that is not an S3 getObject, and a Distributed Map without ExecutionType', () => {
    const bad = { Type: 'Map', ItemReader: { ...reader, Resource: 'arn:aws:states:::s3:listObjectsV2' }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, ...child }, End: true };
    expect(issues(machine({ Each: bad })).length).toBeGreaterThanOrEqual(2);
  });
});
