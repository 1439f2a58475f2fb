import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { passChain, ROLE } from './harness.js';

const HOUR = 3_600_000;
const boxes: Sandbox[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const b of boxes.splice(0)) await b.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function box(options: { dataDir?: string }): Promise<{ sandbox: Sandbox; sfn: SFNClient }> {
  const sandbox = await startSandbox({ log: () => {}, closedExecutionRetentionMs: HOUR, ...options });
  boxes.push(sandbox);
  return { sandbox, sfn: new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }) };
}

async function advance(sandbox: Sandbox, ms: number): Promise<void> {
  await fetch(`${sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
}

describe('sandbox: retention of closed executions', () => {
  test('a closed execution beyond the retention leaves memory, stays readable from disk, and is no longer listed', async () => {
    // GIVEN a sandbox on a data directory keeping closed executions for an hour, and one finished run
    const dataDir = mkdtempSync(join(tmpdir(), 'lifeboat-retention-'));
    dirs.push(dataDir);
    const { sandbox, sfn } = await box({ dataDir });
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'kept', definition: passChain(3), roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'old', input: '{"v":1}' }));
    await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const before = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const historyBefore = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events;

    // WHEN two hours pass and another run starts
    await advance(sandbox, 2 * HOUR);
    const recent = (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'recent', input: '{"v":2}' }))).executionArn!;
    await sandbox.sfn.getExecution(recent)!.whenClosed();
    await sfn.send(new ListExecutionsCommand({ stateMachineArn }));

    // THEN the old one is out of memory and not listed, but still answers by ARN, exactly as before
    expect(sandbox.sfn.getExecution(executionArn!)).toBeUndefined();
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions!.map((e) => e.name)).toEqual(['recent']);
    const { $metadata: _a, ...after } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const { $metadata: _b, ...expected } = before;
    expect(after).toEqual(expected);
    expect((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events).toEqual(historyBefore);
    // read back for that call only: the next sweep lets it go again
    await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(sandbox.sfn.getExecution(executionArn!)).toBeUndefined();

    // and a restarted sandbox does not load it into memory either, but still answers for it
    sfn.destroy();
    await sandbox.stop();
    boxes.splice(0);
    const second = await box({ dataDir });
    expect(second.sandbox.sfn.getExecution(executionArn!)).toBeUndefined();
    expect(second.sandbox.sfn.getExecution(recent)).toBeDefined();
    expect((await second.sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
    second.sfn.destroy();
  });

  test('without a data directory a closed execution beyond the retention is gone, as on AWS after its 90 days', async () => {
    const { sandbox, sfn } = await box({});
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'm', definition: passChain(1), roleArn: ROLE }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'gone' }));
    await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    await advance(sandbox, 2 * HOUR);
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn }))).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    // its name is free again
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'gone' }))).resolves.toMatchObject({ executionArn });
    sfn.destroy();
  });
});
