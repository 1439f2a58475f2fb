/**
 * Distributed Map with items from the state input: child executions with their own histories,
 * the parent's Map Run events, MaxConcurrency and the tolerated failure thresholds.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import { DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, ValidateStateMachineDefinitionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { distributedMap, dmapEnv, types, type Env } from './harness.js';

describe('sandbox: Distributed Map with inline items (state-map-distributed.html)', () => {
  let env: Env;
  beforeAll(async () => {
    env = await dmapEnv();
  });
  afterAll(async () => env.stop());

  test('runs one child execution per item and returns their outputs in item order', async () => {
    const def = {
      StartAt: 'Fan out',
      States: {
        'Fan out': distributedMap({ Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($.n, $.n)' }, End: true } }, 'Double', { ItemsPath: '$.items', Label: 'Doubler' }),
      },
    };
    const run = await env.run(def, { items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    expect(run.describe.status).toBe('SUCCEEDED');
    expect(run.output).toEqual([{ v: 2 }, { v: 4 }, { v: 6 }]);
    expect(types(run.history)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect(run.history[2]!.mapStateStartedEventDetails).toEqual({ length: 3 });
    const mapRunArn = run.history[3]!.mapRunStartedEventDetails!.mapRunArn!;
    // arn:aws:states:<region>:<account>:mapRun:<state machine>/<label>:<id>
    expect(mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:dmap-\d+\/Doubler:[0-9a-f-]{36}$/);

    // Each child is an execution of its own, listed by the Map Run, with its own history.
    const children = await env.sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions).toHaveLength(3);
    for (const c of children.executions!) {
      expect(c.mapRunArn).toBe(mapRunArn);
      expect(c.status).toBe('SUCCEEDED');
      expect(c.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:dmap-\d+\/Doubler:[0-9a-f-]{36}$/);
      expect(c.stateMachineArn).toMatch(/:stateMachine:dmap-\d+\/Doubler$/);
    }
    const child = children.executions![0]!;
    const d = await env.sfn.send(new DescribeExecutionCommand({ executionArn: child.executionArn }));
    expect(d.mapRunArn).toBe(mapRunArn);
    const h = await env.sfn.send(new GetExecutionHistoryCommand({ executionArn: child.executionArn }));
    expect(types(h.events!)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    expect([JSON.parse(d.input!), JSON.parse(d.output!)]).toEqual([{ n: JSON.parse(d.input!).n }, { v: 2 * JSON.parse(d.input!).n }]);
    const sm = await env.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: child.executionArn }));
    expect([sm.mapRunArn, sm.label]).toEqual([mapRunArn, 'Doubler']);
    // The parent's own listing does not include the children.
    const parents = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: run.describe.stateMachineArn }));
    expect(parents.executions!.map((e) => e.executionArn)).toEqual([run.describe.executionArn]);
  });

  test('ItemSelector sees $$.Map.Item; JSONata Items and Output work the same way', async () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: distributedMap({ Echo: { Type: 'Pass', Output: '{% $states.input.i * 10 + $states.input.v %}', End: true } }, 'Echo', {
          Items: '{% $states.input.list %}',
          ItemSelector: { i: '{% $states.context.Map.Item.Index %}', v: '{% $states.context.Map.Item.Value %}' },
          Output: '{% $sum($states.result) %}',
        }),
      },
    };
    const run = await env.run(def, { list: [5, 6, 7] });
    expect(run.output).toBe(5 + 16 + 27);
  });

  test('never runs more children at once than MaxConcurrency', async () => {
    let running = 0;
    let peak = 0;
    env.sandbox.lambdas.register('slow', async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return 'ok';
    });
    const def = { StartAt: 'M', States: { M: distributedMap({ Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:slow', End: true } }, 'Call', { MaxConcurrency: 3 }) } };
    const run = await env.run(def, Array.from({ length: 12 }, (_, i) => i));
    expect(run.describe.status).toBe('SUCCEEDED');
    expect(run.output).toEqual(Array(12).fill('ok'));
    expect(peak).toBe(3);
  });

  test('fails with States.ExceedToleratedFailureThreshold on the first failed child when no failure is tolerated', async () => {
    const def = {
      StartAt: 'M',
      States: {
        M: distributedMap({
          Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }], Default: 'Good' },
          Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'two is bad' },
          Good: { Type: 'Succeed' },
        }, 'Check', { MaxConcurrency: 1 }),
      },
    };
    const run = await env.run(def, [1, 2, 3, 4]);
    expect([run.describe.status, run.describe.error, run.describe.cause]).toEqual(['FAILED', 'States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded']);
    expect(types(run.history)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
    expect(run.history[4]!.mapRunFailedEventDetails).toEqual({ error: 'States.ExceedToleratedFailureThreshold', cause: 'The specified tolerated failure threshold was exceeded' });
    // With MaxConcurrency 1, the children after the failed one never started.
    const mapRunArn = run.history[3]!.mapRunStartedEventDetails!.mapRunArn!;
    const children = await env.sfn.send(new ListExecutionsCommand({ mapRunArn }));
    expect(children.executions!.map((e) => e.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
  });

  test('tolerates failures up to ToleratedFailureCount and ToleratedFailurePercentage; a Catch sees the threshold error', async () => {
    const processor = {
      Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 7, Next: 'Bad' }], Default: 'Good' },
      Bad: { Type: 'Fail', Error: 'Item.Bad' },
      Good: { Type: 'Pass', End: true },
    };
    const items = Array.from({ length: 10 }, (_, i) => i); // 8 and 9 fail: 2 of 10, 20 %
    const ok = await env.run({ StartAt: 'M', States: { M: distributedMap(processor, 'Check', { ToleratedFailureCount: 2 }) } }, items);
    expect(ok.describe.status).toBe('SUCCEEDED');
    expect(types(ok.history)).toContain('MapRunSucceeded');
    const okPct = await env.run({ StartAt: 'M', States: { M: distributedMap(processor, 'Check', { ToleratedFailurePercentage: 20 }) } }, items);
    expect(okPct.describe.status).toBe('SUCCEEDED');
    const overPct = await env.run({ StartAt: 'M', States: { M: distributedMap(processor, 'Check', { ToleratedFailurePercentage: 19.5 }) } }, items);
    expect(overPct.describe.error).toBe('States.ExceedToleratedFailureThreshold');
    const caught = await env.run({
      StartAt: 'M',
      States: {
        M: { ...distributedMap(processor, 'Check', { ToleratedFailureCountPath: '$.tolerate', ItemsPath: '$.items' }), End: undefined, Next: 'Done', Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], ResultPath: '$.error', Next: 'Handled' }] },
        Done: { Type: 'Succeed' },
        Handled: { Type: 'Pass', End: true },
      },
    }, { items, tolerate: 1 });
    expect(caught.describe.status).toBe('SUCCEEDED');
    expect((caught.output as { error: { Error: string } }).error.Error).toBe('States.ExceedToleratedFailureThreshold');
  });

  test('a Retry of the Map state starts a new Map Run (state-map-distributed.html, Retry)', async () => {
    let calls = 0;
    env.sandbox.lambdas.register('second-time-lucky', async () => {
      calls++;
      if (calls === 1) throw Object.assign(new Error('first call fails'), { name: 'Item.Flaky' });
      return 'ok';
    });
    const def = {
      StartAt: 'M',
      States: {
        M: { ...distributedMap({ Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:second-time-lucky', End: true } }, 'Call'), Retry: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], IntervalSeconds: 1, MaxAttempts: 1 }] },
      },
    };
    const run = await env.run(def, [1]);
    expect([run.describe.status, run.output]).toEqual(['SUCCEEDED', ['ok']]);
    expect(types(run.history)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    const arns = run.history.filter((e) => e.type === 'MapRunStarted').map((e) => e.mapRunStartedEventDetails!.mapRunArn);
    expect(new Set(arns).size).toBe(2);
    const { ListMapRunsCommand } = await import('@aws-sdk/client-sfn');
    expect((await env.sfn.send(new ListMapRunsCommand({ executionArn: run.describe.executionArn }))).mapRuns).toHaveLength(2);
  });

  test('stopping the parent aborts its running children', async () => {
    // The children wait for a task token nobody sends, so they are still running when the parent stops.
    env.sandbox.lambdas.register('hold', async () => ({ held: true }));
    const hold = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } }, End: true };
    const def = { StartAt: 'M', States: { M: distributedMap({ Hold: hold }, 'Hold') } };
    const { executionArn } = await env.start(def, [1, 2]);
    let mapRunArn: string | undefined;
    for (let i = 0; i < 200 && !mapRunArn; i++) {
      mapRunArn = (await env.history(executionArn)).find((e) => e.type === 'MapRunStarted')?.mapRunStartedEventDetails?.mapRunArn;
      if (!mapRunArn) await new Promise((r) => setImmediate(r));
    }
    const { StopExecutionCommand } = await import('@aws-sdk/client-sfn');
    for (let i = 0; i < 200 && (await env.sfn.send(new ListExecutionsCommand({ mapRunArn: mapRunArn! }))).executions!.length < 2; i++) await new Promise((r) => setImmediate(r));
    await env.sfn.send(new StopExecutionCommand({ executionArn }));
    const children = await env.sfn.send(new ListExecutionsCommand({ mapRunArn: mapRunArn! }));
    expect(children.executions!.map((e) => e.status)).toEqual(['ABORTED', 'ABORTED']);
  });

  test('a Distributed Map in a Parallel branch is aborted when a sibling branch fails: MapRunAborted, children ABORTED', async () => {
    env.sandbox.lambdas.register('hold', async () => ({ held: true }));
    env.sandbox.lambdas.register('fail-later', async () => {
      // Fails once the Map's children are waiting for their tokens.
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      throw Object.assign(new Error('sibling failed'), { name: 'Sibling.Failed' });
    });
    const hold = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } }, End: true };
    const def = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'M', States: { M: distributedMap({ Hold: hold }, 'Hold') } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:fail-later', End: true } } },
          ],
        },
      },
    };
    const run = await env.run(def, [1, 2]);
    expect([run.describe.status, run.describe.error]).toEqual(['FAILED', 'Sibling.Failed']);
    expect(types(run.history)).toContain('MapRunAborted');
    const mapRunArn = run.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
    const { DescribeMapRunCommand } = await import('@aws-sdk/client-sfn');
    const d = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect([d.status, d.executionCounts!.aborted]).toEqual(['ABORTED', 2]);
  });

  test('validates Distributed Map definitions as AWS does', async () => {
    const check = async (def: unknown) => (await env.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(def) }))).diagnostics!.map((d) => `${d.code} ${d.location ?? ''}`);
    const proc = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    // ItemReader, ItemBatcher and ResultWriter need DISTRIBUTED mode (tolerated failures are accepted and ignored inline, as recorded on AWS).
    const reader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } };
    expect(await check({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: proc, ItemReader: reader, ItemBatcher: { MaxItemsPerBatch: 2 }, ToleratedFailureCount: 1, End: true } } })).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/M/ItemReader', 'SCHEMA_VALIDATION_FAILED /States/M/ItemBatcher',
    ]);
    // DISTRIBUTED needs an ExecutionType.
    expect(await check({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: { ...proc, ProcessorConfig: { Mode: 'DISTRIBUTED' } }, End: true } } })).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/M/ItemProcessor/ProcessorConfig',
    ]);
    // Labels are unique, and the percentage is 0 to 100.
    const dm = (label: string, next?: string) => ({ ...distributedMap({ P: { Type: 'Pass', End: true } }, 'P', { Label: label, ToleratedFailurePercentage: 101 }), ...(next ? { End: undefined, Next: next } : {}) });
    expect(await check({ StartAt: 'A', States: { A: dm('same', 'B'), B: dm('same') } })).toEqual([
      'SCHEMA_VALIDATION_FAILED /States/A/ToleratedFailurePercentage', 'SCHEMA_VALIDATION_FAILED /States/B/ToleratedFailurePercentage', 'SCHEMA_VALIDATION_FAILED /States/B/Label',
    ]);
    expect(await check({ StartAt: 'M', States: { M: distributedMap({ P: { Type: 'Pass', End: true } }, 'P', { Label: 'bad label' }) } })).toEqual(['SCHEMA_VALIDATION_FAILED /States/M/Label']);
  });
});
