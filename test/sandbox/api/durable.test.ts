import { readFileSync, unlinkSync } from 'node:fs';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, type SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { blockedDataDir, cleanUp, startChild } from './sandbox-child.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:work';

afterEach(cleanUp);

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gave up waiting');
}

const invocations = (log: string): unknown[] => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);

describe('sandbox: executions survive a crash (SIGKILL) and carry on after a restart', () => {
  test('a run killed inside a Map iteration finishes after the restart: finished work is not redone, the task in flight is invoked again', async () => {
    // GIVEN a sandbox process and a run whose second Map iteration is in flight when the process is killed
    const { dataDir, log } = blockedDataDir();
    const first = await startChild(dataDir, log);
    const task = (payload: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: FN, Parameters: payload, ...extra });
    const definition = {
      StartAt: 'First',
      States: {
        First: task({ step: 'first' }, { ResultPath: '$.first', Next: 'Hour' }),
        Hour: { Type: 'Wait', Seconds: 3600, Next: 'Each' },
        Each: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, ResultPath: '$.each', Next: 'Last',
          ItemProcessor: { StartAt: 'Item', States: { Item: task({ 'item.$': '$.n', 'block.$': '$.block' }, { End: true }) } },
        },
        Last: task({ step: 'last' }, { ResultPath: '$.last', End: true }),
      },
    };
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'durable', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(definition) }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ items: [{ n: 1, block: false }, { n: 2, block: true }, { n: 3, block: false }] }) }));
    await until(() => history(first.sfn, executionArn!), (h) => h.filter((e) => e.type === 'LambdaFunctionStarted').length === 3);
    await new Promise((r) => setTimeout(r, 800)); // longer than the 250 ms write debounce
    // WHEN the process is killed and a new one starts on the same data directory
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    unlinkSync(`${log}.block`);
    const second = await startChild(dataDir, log);

    // THEN the run finishes, with every step done once except the one in flight (invoked again)
    const done = await until(() => second.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ first: { done: { step: 'first' } }, each: [{ done: { item: 1, block: false } }, { done: { item: 2, block: true } }, { done: { item: 3, block: false } }], last: { done: { step: 'last' } } });
    expect(invocations(log)).toEqual([{ step: 'first' }, { item: 1, block: false }, { item: 2, block: true }, { item: 2, block: true }, { item: 3, block: false }, { step: 'last' }]);
    const events = await history(second.sfn, executionArn!);
    expect(events.filter((e) => e.type === 'WaitStateExited')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ExecutionSucceeded')).toHaveLength(1);
  }, 120_000);

  test('events a client has read survive a crash at once: the history after the restart begins with exactly them', async () => {
    // GIVEN a run whose task is in flight (blocked), read by a client
    const { dataDir, log } = blockedDataDir();
    const first = await startChild(dataDir, log);
    const definition = {
      StartAt: 'Ready',
      States: {
        Ready: { Type: 'Pass', Result: { a: 1 }, ResultPath: '$.ready', Next: 'Work' },
        Work: { Type: 'Task', Resource: FN, Parameters: { block: true }, End: true },
      },
    };
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'durable-read', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(definition) }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    const seen = await until(() => history(first.sfn, executionArn!), (h) => h.some((e) => e.type === 'LambdaFunctionStarted'));
    // WHEN the process is killed right after that answer (well inside the 250 ms write debounce)
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    unlinkSync(`${log}.block`);
    const second = await startChild(dataDir, log);
    const done = await until(() => second.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

    // THEN the run finishes, and every event the client read is in the new history, unchanged
    expect(done.status).toBe('SUCCEEDED');
    const after = await history(second.sfn, executionArn!);
    const shape = (e: HistoryEvent) => ({ id: e.id, type: e.type, timestamp: e.timestamp?.getTime() });
    expect(after.slice(0, seen.length).map(shape)).toEqual(seen.map(shape));
  }, 120_000);

  test('a Wait cut short by a crash waits only its remaining time after the restart', async () => {
    // GIVEN a run whose Wait runs beside a task in flight (which holds the virtual clock) when the process is killed
    const { dataDir, log } = blockedDataDir();
    const first = await startChild(dataDir, log);
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Ten minutes', States: { 'Ten minutes': { Type: 'Wait', Seconds: 600, End: true } } },
            { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN, Parameters: { block: true }, End: true } } },
          ],
        },
      },
    };
    const { stateMachineArn } = await first.sfn.send(new CreateStateMachineCommand({ name: 'durable-wait', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify(definition) }));
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    await until(() => history(first.sfn, executionArn!), (h) => h.some((e) => e.type === 'LambdaFunctionStarted'));
    await new Promise((r) => setTimeout(r, 800));
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    unlinkSync(`${log}.block`);

    // WHEN it restarts
    const second = await startChild(dataDir, log);
    const done = await until(() => second.sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');

    // THEN both branches finished, and the Wait ended 600 s after it was first entered, not 600 s after the restart
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{}, { done: { block: true } }]);
    const events = await history(second.sfn, executionArn!);
    const entered = events.find((e) => e.type === 'WaitStateEntered')!.timestamp!.getTime();
    const exited = events.find((e) => e.type === 'WaitStateExited')!.timestamp!.getTime();
    expect(exited - entered).toBeGreaterThanOrEqual(600_000);
    expect(exited - entered).toBeLessThan(600_500);
    expect(invocations(log)).toHaveLength(2);
  }, 120_000);
});
