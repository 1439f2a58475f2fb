import { ListExecutionsCommand, ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SHOP_PLAN, executionArn, machineArn, mockSfn, normalise, runCli, tempFiles } from './cli-harness.js';

let sfn: ReturnType<typeof mockSfn>;
let plan: string;

function item(machine: string, region: string, name: string, status: string, start: string, stop?: string) {
  return {
    executionArn: executionArn(region, machine, name),
    stateMachineArn: machineArn(region, machine),
    name,
    status,
    startDate: new Date(start),
    ...(stop === undefined ? {} : { stopDate: new Date(stop) }),
  };
}

beforeEach(() => {
  sfn = mockSfn();
  plan = tempFiles({ 'shop.plan.json': SHOP_PLAN })['shop.plan.json'];
  sfn.on(ListExecutionsCommand).callsFake(async (input: { stateMachineArn: string }) => {
    const byMachine: Record<string, object[]> = {
      [machineArn('us-east-1', 'lifeboat-shop-backup')]: [
        item('lifeboat-shop-backup', 'us-east-1', 'backup-20261125T100000Z-0a0a', 'SUCCEEDED', '2026-11-25T10:00:00Z', '2026-11-25T10:42:10Z'),
        item('lifeboat-shop-backup', 'us-east-1', 'backup-20261125T060000Z-0b0b', 'FAILED', '2026-11-25T06:00:00Z', '2026-11-25T06:03:00Z'),
      ],
      [machineArn('us-west-2', 'lifeboat-shop-drill')]: [
        { ...item('lifeboat-shop-drill', 'us-west-2', 'drill-20261125T102000Z-0c0c', 'RUNNING', '2026-11-25T10:20:00Z'), redriveCount: 1 },
      ],
    };
    return { executions: byMachine[input.stateMachineArn] ?? [] };
  });
});
afterEach(() => sfn.restore());

describe('cli: list', () => {
  test("lists the plan's runs newest first, with kind, status, start and duration", async () => {
    const run = await runCli(['list', '--plan', plan]);

    expect(run.code).toBe(0);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input.stateMachineArn)).toEqual([
      machineArn('us-east-1', 'lifeboat-shop-backup'),
      machineArn('us-west-2', 'lifeboat-shop-failover'),
      machineArn('us-west-2', 'lifeboat-shop-drill'),
    ]);
    const names = run.stdout.split('\n').slice(1, 4).map((line) => line.split(/\s+/)[0]);
    expect(names).toEqual(['drill-20261125T102000Z-0c0c', 'backup-20261125T100000Z-0a0a', 'backup-20261125T060000Z-0b0b']);
    expect(run.stdout).toMatch(/backup-20261125T100000Z-0a0a\s+backup\s+SUCCEEDED\s+2026-11-25 10:00:00Z\s+42m10s\s+us-east-1/);
    expect(run.stdout).toMatch(/drill-20261125T102000Z-0c0c\s+drill\s+RUNNING \(redriven 1×\)\s+2026-11-25 10:20:00Z\s+10m00s so far/);
    expect(normalise(run.stdout)).toMatchSnapshot('stdout');
  });

  test('--json prints one document and --status/--limit reach ListExecutions', async () => {
    const run = await runCli(['list', '--plan', plan, '--json', '--status', 'failed', '--limit', '5']);

    expect(run.code).toBe(0);
    expect(sfn.commandCalls(ListExecutionsCommand).every((c) => c.args[0].input.statusFilter === 'FAILED' && c.args[0].input.maxResults === 5)).toBe(true);
    const doc = JSON.parse(run.stdout);
    expect(doc.executions.map((e: { name: string }) => e.name)).toEqual(['drill-20261125T102000Z-0c0c', 'backup-20261125T100000Z-0a0a', 'backup-20261125T060000Z-0b0b']);
    expect(doc.executions[1]).toEqual({
      plan: 'shop',
      kind: 'backup',
      name: 'backup-20261125T100000Z-0a0a',
      status: 'SUCCEEDED',
      startDate: '2026-11-25T10:00:00.000Z',
      stopDate: '2026-11-25T10:42:10.000Z',
      durationSeconds: 2530,
      region: 'us-east-1',
      executionArn: executionArn('us-east-1', 'lifeboat-shop-backup', 'backup-20261125T100000Z-0a0a'),
    });
  });

  test('warns about a machine that is not deployed and lists the others', async () => {
    sfn.restore();
    const partial = mockSfn([{ region: 'us-east-1', name: 'lifeboat-shop-backup' }]);
    partial.on(ListExecutionsCommand).resolves({ executions: [] });

    const run = await runCli(['list', '--plan', plan]);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: no state machine named "lifeboat-shop-failover" in us-west-2');
    expect(run.stderr).toContain('no executions yet');
    partial.restore();
  });

  test('rejects an unknown --status and a --limit that is not a number', async () => {
    const status = await runCli(['list', '--plan', plan, '--status', 'DONE']);
    const limit = await runCli(['list', '--plan', plan, '--limit', 'ten']);

    expect([status.code, limit.code]).toEqual([2, 2]);
    expect(status.stderr).toContain('--status expects one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, found "DONE"');
    expect(limit.stderr).toContain('--limit expects a whole number above 0, found "ten"');
  });

  test('reports a bug as an internal error (exit 70), with the stack only under --debug', async () => {
    sfn.on(ListStateMachinesCommand).rejects(new TypeError('cannot read properties of undefined'));

    const plain = await runCli(['list', '--plan', plan]);
    const debug = await runCli(['list', '--plan', plan, '--debug']);

    expect([plain.code, debug.code]).toEqual([70, 70]);
    expect(plain.stderr).toContain('internal error: cannot read properties of undefined');
    expect(plain.stderr).toContain('rerun with --debug');
    expect(plain.stderr).not.toContain('    at ');
    expect(debug.stderr).toContain('    at ');
  });
});
