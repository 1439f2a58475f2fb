import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand, StopExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { Store } from '../../../sandbox/store.js';
import { ROLE, WAIT_FOR_TOKEN, passChain, sandboxWithClient, settle } from './harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lifeboat-store-'));
  dirs.push(d);
  return d;
}

describe('sandbox: store', () => {
  test('writes documents atomically (no temporary files left) and reads them back', () => {
    const dataDir = tempDir();
    const store = new Store({ dataDir });
    store.write('sfn/executions', 'arn:aws:states:us-east-1:1:execution:sm:a', { n: 1 });
    store.write('sfn/executions', 'arn:aws:states:us-east-1:1:execution:sm:a', { n: 2 });
    store.write('sfn/executions', 'arn:aws:states:us-east-1:1:execution:sm:b', { n: 3 });
    expect(store.read('sfn/executions', 'arn:aws:states:us-east-1:1:execution:sm:a')).toEqual({ n: 2 });
    expect(store.list('sfn/executions').map((d) => d.value)).toEqual(expect.arrayContaining([{ n: 2 }, { n: 3 }]));
    expect(readdirSync(join(dataDir, 'sfn/executions')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    store.delete('sfn/executions', 'arn:aws:states:us-east-1:1:execution:sm:b');
    expect(store.list('sfn/executions')).toHaveLength(1);
  });

  test('reads back documents of ASCII and of other characters alike (the ASCII ones are read without UTF-8 decoding)', () => {
    const dataDir = tempDir();
    const store = new Store({ dataDir });
    const ascii = { cause: 'States.TaskFailed: "quoted" \\ back-slashed', n: [1, 2.5, -3] };
    const other = { cause: 'Zeitüberschreitung — 時間切れ 🚨', tag: 'café' };
    store.write('docs', 'ascii', ascii);
    store.write('docs', 'other', other);
    expect(new Store({ dataDir }).read('docs', 'ascii')).toEqual(ascii);
    expect(new Store({ dataDir }).read('docs', 'other')).toEqual(other);
  });

  test('skips an unreadable document with a warning naming the file', () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'things'), { recursive: true });
    writeFileSync(join(dataDir, 'things', 'broken-0.json'), '{"key":');
    const warnings: string[] = [];
    const store = new Store({ dataDir, onWarning: (m) => warnings.push(m) });
    store.write('things', 'good', 1);
    expect(store.list('things')).toEqual([{ key: 'good', value: 1 }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('broken-0.json');
  });

  test('writes into a collection again after it was cleared, or removed behind the store’s back', () => {
    const dataDir = tempDir();
    const store = new Store({ dataDir });
    store.write('sfn/executions', 'a', 1);
    store.clear('sfn');
    store.write('sfn/executions', 'b', 2);
    expect(store.list('sfn/executions')).toEqual([{ key: 'b', value: 2 }]);
    rmSync(join(dataDir, 'sfn'), { recursive: true, force: true });
    store.write('sfn/executions', 'c', 3);
    expect(store.list('sfn/executions')).toEqual([{ key: 'c', value: 3 }]);
  });

  test('keeps nothing without a data directory, and refuses malformed collection names', () => {
    const store = new Store();
    store.write('a', 'k', 1);
    expect(store.read('a', 'k')).toBeUndefined();
    expect(() => store.write('../escape', 'k', 1)).toThrow(/collection name/);
  });
});

describe('sandbox: persistence across restarts', () => {
  test('a restarted sandbox answers for finished executions, their histories and its state machines', async () => {
    const dataDir = tempDir();
    // GIVEN a sandbox that ran one execution to the end and left one waiting for a task token
    const first = await sandboxWithClient({ dataDir, engine: undefined });
    const smArn = (await first.sfn.send(new CreateStateMachineCommand({ name: 'kept', definition: passChain(3), roleArn: ROLE }))).stateMachineArn!;
    const waitArn = (await first.sfn.send(new CreateStateMachineCommand({ name: 'waiting', definition: WAIT_FOR_TOKEN, roleArn: ROLE }))).stateMachineArn!;
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'done', input: '{"v":1}' }));
    await first.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const running = (await first.sfn.send(new StartExecutionCommand({ stateMachineArn: waitArn, name: 'open' }))).executionArn!;
    await settle();
    const describedBefore = await first.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const historyBefore = await first.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    first.sfn.destroy();
    // WHEN it stops and a new one starts on the same data directory
    await first.sandbox.stop();
    const second = await sandboxWithClient({ dataDir, engine: undefined });
    try {
      // THEN everything finished is still there, exactly
      const { $metadata: _a, ...describedAfter } = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
      const { $metadata: _b, ...expected } = describedBefore;
      expect(describedAfter).toEqual(expected);
      expect((await second.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events).toEqual(historyBefore.events);
      expect((await second.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn }))).definition).toBe(passChain(3));
      expect((await second.sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn }))).executions!.map((e) => e.name)).toEqual(['done']);
      // the name stays taken
      await expect(second.sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'done', input: '{"v":1}' }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
      // and the execution that was running when the sandbox stopped carries on, as on AWS: its
      // task in flight is entered again and waits for a new token; nothing was aborted
      const open = await second.sfn.send(new DescribeExecutionCommand({ executionArn: running }));
      expect(open.status).toBe('RUNNING');
      const events = (await second.sfn.send(new GetExecutionHistoryCommand({ executionArn: running }))).events!;
      expect(events.some((e) => e.type === 'ExecutionAborted')).toBe(false);
      expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
    } finally {
      second.sfn.destroy();
      await second.sandbox.stop();
    }
  });

  test('a start without a name after a restart on the same seed gets a new name, not ExecutionAlreadyExists', async () => {
    // GIVEN a sandbox that ran two unnamed executions (their names are seeded UUIDs)
    const dataDir = tempDir();
    const first = await sandboxWithClient({ dataDir, engine: undefined, seed: 5 });
    const smArn = (await first.sfn.send(new CreateStateMachineCommand({ name: 'unnamed', definition: passChain(1), roleArn: ROLE }))).stateMachineArn!;
    const before = [];
    for (let i = 0; i < 2; i++) before.push((await first.sfn.send(new StartExecutionCommand({ stateMachineArn: smArn }))).executionArn!);
    for (const arn of before) await first.sandbox.sfn.getExecution(arn)!.whenClosed();
    first.sfn.destroy();
    await first.sandbox.stop();
    // WHEN a sandbox with the same seed restarts on the same data and starts two more
    const second = await sandboxWithClient({ dataDir, engine: undefined, seed: 5 });
    try {
      const after = [];
      for (let i = 0; i < 2; i++) after.push((await second.sfn.send(new StartExecutionCommand({ stateMachineArn: smArn }))).executionArn!);
      // THEN both start, under names not used before (AWS makes a new UUID for every unnamed start)
      expect(new Set([...before, ...after]).size).toBe(4);
      expect(after.every((arn) => /:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(arn))).toBe(true);
    } finally {
      second.sfn.destroy();
      await second.sandbox.stop();
    }
  });

  test('an execution left RUNNING by a sandbox that ended without stopping (a crash) carries on after the restart', async () => {
    const dataDir = tempDir();
    const first = await sandboxWithClient({ dataDir, engine: undefined });
    const waitArn = (await first.sfn.send(new CreateStateMachineCommand({ name: 'crash', definition: WAIT_FOR_TOKEN, roleArn: ROLE }))).stateMachineArn!;
    const { executionArn } = await first.sfn.send(new StartExecutionCommand({ stateMachineArn: waitArn, name: 'mid-flight' }));
    await settle();
    // Simulate a crash: what was written is on disk, but nothing was stopped.
    first.sandbox.sfn.flush();
    first.sfn.destroy();
    await first.sandbox.server.close();
    first.sandbox.clock.dispose();

    const second = await sandboxWithClient({ dataDir, engine: undefined });
    let stopDate: number;
    try {
      const d = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d.status).toBe('RUNNING');
      // it is live again: it can be stopped like any running execution
      await second.sfn.send(new StopExecutionCommand({ executionArn }));
      const stopped = await second.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(stopped.status).toBe('ABORTED');
      stopDate = stopped.stopDate!.getTime();
    } finally {
      second.sfn.destroy();
      await second.sandbox.stop();
    }
    // The stop is written: a third start reports the same stop.
    const third = await sandboxWithClient({ dataDir, engine: undefined, startMs: Date.now() + 86_400_000 });
    try {
      const d = await third.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d.stopDate!.getTime()).toBe(stopDate);
    } finally {
      third.sfn.destroy();
      await third.sandbox.stop();
    }
  });
});
