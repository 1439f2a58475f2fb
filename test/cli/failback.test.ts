import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SHOP_MACHINES, SHOP_PLAN, executionArn, machineArn, mockSfn, runCli, tempFiles } from './cli-harness.js';

let sfn: ReturnType<typeof mockSfn>;
let files: Record<string, string>;

const withFailback = {
  ...SHOP_PLAN,
  failback: {
    launch: Object.fromEntries(SHOP_PLAN.workloads.map((w: { name: string }) => [w.name, { subnetIds: ['subnet-0bb11cc22dd330001'], instanceTypes: ['m5.large'] }])),
  },
};
const FAILOVER = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261125T103000Z-3fa1';

beforeEach(() => {
  sfn = mockSfn([...SHOP_MACHINES, { name: 'lifeboat-shop-failback', region: 'us-west-2' }]);
  files = tempFiles({ 'shop.plan.json': withFailback, 'plain.plan.json': SHOP_PLAN });
  sfn.on(StartExecutionCommand).callsFake(async (input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date('2026-11-25T10:30:00Z'),
  }));
});
afterEach(() => sfn.restore());

describe('cli: failback', () => {
  test('starts lifeboat-<plan>-failback in the recovery region with {}, or with the failover execution to undo', async () => {
    const plain = await runCli(['failback', '--plan', files['shop.plan.json']!]);
    const pinned = await runCli(['failback', '--plan', files['shop.plan.json']!, '--failover-execution', FAILOVER]);

    expect([plain.code, pinned.code]).toEqual([0, 0]);
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls[0]!.args[0].input).toEqual({ stateMachineArn: machineArn('us-west-2', 'lifeboat-shop-failback'), name: 'failback-20261125T103000Z-0001', input: '{}' });
    expect(await (calls[0]!.thisValue as SFNClient).config.region()).toBe('us-west-2');
    expect(plain.stdout).toBe(`${executionArn('us-west-2', 'lifeboat-shop-failback', 'failback-20261125T103000Z-0001')}\n`);
    expect(JSON.parse(calls[1]!.args[0].input.input ?? '')).toEqual({ failoverExecution: FAILOVER });
  });

  test('rejects a plan without a failback section, a --failover-execution that is not a failover execution, and pins', async () => {
    const plain = await runCli(['failback', '--plan', files['plain.plan.json']!]);
    const bad = await runCli(['failback', '--plan', files['shop.plan.json']!, '--failover-execution', FAILOVER.replace('-failover:', '-drill:')]);
    const pins = await runCli(['failback', '--plan', files['shop.plan.json']!, '--recovery-point', 'db=ami-0123456789abcdef0']);
    const onFailover = await runCli(['failover', '--plan', files['shop.plan.json']!, '--failover-execution', FAILOVER]);

    expect([plain.code, bad.code, pins.code, onFailover.code]).toEqual([2, 2, 2, 2]);
    expect(plain.stderr).toContain('plan "shop" has no "failback" section, so it has no failback machine');
    expect(plain.stderr).toContain('docs/runbooks/failback.md');
    expect(bad.stderr).toContain('--failover-execution expects a failover execution ARN, found');
    expect(pins.stderr).toContain("unknown flag '--recovery-point'");
    expect(onFailover.stderr).toContain("unknown flag '--failover-execution'");
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
