/**
 * The Map Run APIs (ListMapRuns, DescribeMapRun, UpdateMapRun), Map Runs across a restart, and
 * the redrive of a parent whose Map Run failed.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand, DescribeMapRunCommand, ListExecutionsCommand, ListMapRunsCommand, RedriveExecutionCommand, SendTaskSuccessCommand,
  UpdateMapRunCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { distributedMap, dmapEnv, types, type Env } from './harness.js';

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

describe('sandbox: Map Run APIs', () => {
  let env: Env;
  beforeAll(async () => {
    env = await dmapEnv();
  });
  afterAll(async () => env.stop());

  test('ListMapRuns and DescribeMapRun report the run, its settings and its counts', async () => {
    const processor = {
      Check: { Type: 'Choice', Choices: [{ Variable: '$.Items[0]', NumericEquals: 0, Next: 'Bad' }], Default: 'Good' },
      Bad: { Type: 'Fail', Error: 'Item.Bad' },
      Good: { Type: 'Pass', End: true },
    };
    const run = await env.run({ StartAt: 'M', States: { M: distributedMap(processor, 'Check', { MaxConcurrency: 4, ToleratedFailurePercentage: 50, ItemBatcher: { MaxItemsPerBatch: 1 } }) } }, [0, 1, 2, 3, 4]);
    expect(run.describe.status).toBe('SUCCEEDED');
    const list = await env.sfn.send(new ListMapRunsCommand({ executionArn: run.describe.executionArn }));
    expect(list.mapRuns).toHaveLength(1);
    const item = list.mapRuns![0]!;
    expect([item.executionArn, item.stateMachineArn]).toEqual([run.describe.executionArn, run.describe.stateMachineArn]);
    expect(item.startDate).toBeInstanceOf(Date);
    expect(item.stopDate).toBeInstanceOf(Date);
    const d = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn: item.mapRunArn }));
    expect({ ...d, $metadata: undefined, startDate: undefined, stopDate: undefined }).toEqual({
      $metadata: undefined, startDate: undefined, stopDate: undefined,
      mapRunArn: item.mapRunArn, executionArn: run.describe.executionArn, status: 'SUCCEEDED',
      maxConcurrency: 4, toleratedFailurePercentage: 50, toleratedFailureCount: 0,
      itemCounts: { pending: 0, running: 0, succeeded: 4, failed: 1, timedOut: 0, aborted: 0, total: 5, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 },
      executionCounts: { pending: 0, running: 0, succeeded: 4, failed: 1, timedOut: 0, aborted: 0, total: 5, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0 },
      redriveCount: 0,
    });
    expect(d.startDate).toEqual(item.startDate);
    expect(await failure(env.sfn.send(new DescribeMapRunCommand({ mapRunArn: `${item.mapRunArn!.slice(0, -4)}0000` })))).toBe('ResourceNotFound');
    expect(await failure(env.sfn.send(new DescribeMapRunCommand({ mapRunArn: 'not-an-arn' })))).toBe('InvalidArn');
    expect(await failure(env.sfn.send(new ListMapRunsCommand({ executionArn: `${run.describe.executionArn}-nope` })))).toBe('ExecutionDoesNotExist');
  });

  test('UpdateMapRun raises MaxConcurrency of a running Map Run; counts show running and pending children', async () => {
    env.sandbox.lambdas.register('hold', async () => ({ held: true }));
    const hold = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } }, End: true };
    const { executionArn } = await env.start({ StartAt: 'M', States: { M: distributedMap({ Hold: hold }, 'Hold', { MaxConcurrency: 1 }) } }, [1, 2, 3]);
    const tokens = async (n: number): Promise<string[]> => {
      for (let i = 0; i < 500; i++) {
        const found: string[] = [];
        const runs = await env.sfn.send(new ListMapRunsCommand({ executionArn }));
        const arn = runs.mapRuns?.[0]?.mapRunArn;
        if (arn) {
          for (const c of (await env.sfn.send(new ListExecutionsCommand({ mapRunArn: arn, statusFilter: 'RUNNING' }))).executions ?? []) {
            const t = (await env.history(c.executionArn!)).find((e) => e.type === 'TaskScheduled');
            if (t) found.push(JSON.parse(t.taskScheduledEventDetails!.parameters!).Payload.token);
          }
        }
        if (found.length >= n) return found;
        await new Promise((r) => setImmediate(r));
      }
      throw new Error(`fewer than ${n} children waiting`);
    };
    await tokens(1);
    const mapRunArn = (await env.sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns![0]!.mapRunArn!;
    const before = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect([before.status, before.itemCounts!.running, before.itemCounts!.pending]).toEqual(['RUNNING', 1, 2]);
    await env.sfn.send(new UpdateMapRunCommand({ mapRunArn, maxConcurrency: 3 }));
    const all = await tokens(3);
    const after = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect([after.maxConcurrency, after.itemCounts!.running, after.itemCounts!.pending]).toEqual([3, 3, 0]);
    for (const token of all) await env.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '"done"' }));
    const done = await env.finish(executionArn);
    expect([done.describe.status, done.output]).toEqual(['SUCCEEDED', ['done', 'done', 'done']]);
    expect(await failure(env.sfn.send(new UpdateMapRunCommand({ mapRunArn })))).toBe('ValidationException');
  });

  test('redriving the parent redrives only the failed children of its Map Run (redrive-map-run.html)', async () => {
    // Items fail until the switch is on: the first run fails, the redrive succeeds.
    let healthy = false;
    env.sandbox.lambdas.register('flaky', async (n: unknown) => {
      if (n === 2 && !healthy) throw Object.assign(new Error('not yet'), { name: 'Item.NotYet' });
      return (n as number) * 10;
    });
    const def = { StartAt: 'M', States: { M: distributedMap({ Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky', End: true } }, 'Call', { MaxConcurrency: 1 }) } };
    const first = await env.run(def, [1, 2, 3]);
    expect([first.describe.status, first.describe.error]).toEqual(['FAILED', 'States.ExceedToleratedFailureThreshold']);
    const mapRunArn = first.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
    const childrenBefore = (await env.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
    expect(childrenBefore.map((c) => c.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
    const failedChild = childrenBefore.find((c) => c.status === 'FAILED')!.executionArn!;
    healthy = true;
    await env.sfn.send(new RedriveExecutionCommand({ executionArn: first.describe.executionArn }));
    const again = await env.finish(first.describe.executionArn!);
    expect([again.describe.status, again.output]).toEqual(['SUCCEEDED', [10, 20, 30]]);
    expect(types(again.history).slice(types(first.history).length)).toEqual([
      'ExecutionRedriven', 'MapStateEntered', 'MapStateStarted', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect(again.history.find((e) => e.type === 'MapRunRedriven')!.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
    const children = (await env.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
    expect(children).toHaveLength(3);
    const redriven = await env.sfn.send(new DescribeExecutionCommand({ executionArn: failedChild }));
    expect([redriven.status, redriven.redriveCount]).toEqual(['SUCCEEDED', 1]);
    const d = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect([d.status, d.redriveCount, d.itemCounts!.succeeded]).toEqual(['SUCCEEDED', 1, 3]);
  });

  test('EXPRESS children run and are counted by the Map Run, but are not served by ListExecutions (as on AWS)', async () => {
    const run = await env.run({ StartAt: 'M', States: { M: distributedMap({ P: { Type: 'Pass', Result: 'x', End: true } }, 'P', {}, 'EXPRESS') } }, [1, 2, 3]);
    expect([run.describe.status, run.output]).toEqual(['SUCCEEDED', ['x', 'x', 'x']]);
    const mapRunArn = run.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
    const d = await env.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
    expect([d.executionCounts!.succeeded, d.executionCounts!.total]).toEqual([3, 3]);
    expect((await env.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions).toEqual([]);
  });

  test('keeps Map Runs and children across a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-dmap-'));
    try {
      const first = await dmapEnv({ dataDir });
      const run = await first.run({ StartAt: 'M', States: { M: distributedMap({ P: { Type: 'Pass', End: true } }, 'P') } }, [1, 2]);
      const mapRunArn = run.history.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
      await first.stop();
      const second = await dmapEnv({ dataDir });
      const d = await second.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect([d.status, d.itemCounts!.succeeded, d.executionCounts!.total]).toEqual(['SUCCEEDED', 2, 2]);
      const children = await second.sfn.send(new ListExecutionsCommand({ mapRunArn }));
      expect(children.executions!.map((c) => c.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a Distributed Map running when the sandbox stops carries on after the restart, as an inline one: same Map Run, children continued, no redrive', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-dmap-'));
    try {
      const first = await dmapEnv({ dataDir });
      first.sandbox.lambdas.register('hold', async () => ({}));
      const hold = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token', 'item.$': '$' } }, ResultSelector: { 'done.$': '$.item' }, End: true };
      const { executionArn } = await first.start({ StartAt: 'M', States: { M: distributedMap({ Hold: hold }, 'Hold', { MaxConcurrency: 2 }) } }, [1, 2, 3]);
      for (let i = 0; i < 500 && (await first.sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns!.length === 0; i++) await new Promise((r) => setImmediate(r));
      const mapRunArn = (await first.sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns![0]!.mapRunArn!;
      for (let i = 0; i < 500 && (await first.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!.length < 2; i++) await new Promise((r) => setImmediate(r));
      const childrenBefore = (await first.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!.map((c) => c.executionArn).sort();
      await first.stop();

      const second = await dmapEnv({ dataDir, resumeRunning: false });
      const tokens: { token: string; item: unknown }[] = [];
      second.sandbox.lambdas.register('hold', async (e: unknown) => {
        const p = (e as { token: string; item: unknown });
        tokens.push({ token: p.token, item: p.item });
        return {};
      });
      // Before the executions resume: the parent, its Map Run and the two children are still running.
      expect((await second.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
      const parked = await second.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect([parked.status, parked.executionCounts!.running, parked.itemCounts!.pending]).toEqual(['RUNNING', 2, 1]);
      second.sandbox.resumeRunning();
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 500 && tokens.length === 0; i++) await new Promise((r) => setImmediate(r));
        const batch = tokens.splice(0);
        for (const t of batch) await second.sfn.send(new SendTaskSuccessCommand({ taskToken: t.token, output: JSON.stringify({ item: t.item }) }));
      }
      const done = await second.finish(executionArn);
      expect(done.describe.status).toBe('SUCCEEDED');
      expect(done.output).toEqual([{ done: 1 }, { done: 2 }, { done: 3 }]);
      const events = done.history;
      expect(events.filter((e) => e.type === 'MapRunStarted').map((e) => e.mapRunStartedEventDetails!.mapRunArn)).toEqual([mapRunArn]);
      expect(events.filter((e) => ['MapRunRedriven', 'ExecutionAborted', 'ExecutionRedriven', 'MapRunAborted'].includes(e.type!))).toEqual([]);
      const run = await second.sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      expect([run.status, run.redriveCount, run.executionCounts!.succeeded, run.executionCounts!.total]).toEqual(['SUCCEEDED', 0, 3, 3]);
      const children = (await second.sfn.send(new ListExecutionsCommand({ mapRunArn }))).executions!;
      expect(children.map((c) => [c.status, c.redriveCount ?? 0])).toEqual([['SUCCEEDED', 0], ['SUCCEEDED', 0], ['SUCCEEDED', 0]]);
      // the two children running at the stop are the same executions, continued
      expect(childrenBefore.every((arn) => children.some((c) => c.executionArn === arn))).toBe(true);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
