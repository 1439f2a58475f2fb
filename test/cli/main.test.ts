import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../cli/args.js';
import { UsageError } from '../../cli/errors.js';
import { executionName, parseStatesArn } from '../../cli/machines.js';
import { runCli } from './cli-harness.js';

describe('cli: main', () => {
  test('prints the command list with --help (exit 0) and on no arguments (stderr, exit 2)', async () => {
    const help = await runCli(['--help']);
    const none = await runCli([]);

    expect(help.code).toBe(0);
    for (const command of ['plan check', 'backup', 'failover', 'drill', 'history', 'list', 'redrive', 'sandbox', 'demo']) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('usage: lifeboat <command>');
  });

  test("prints a command's flags and examples with --help", async () => {
    const run = await runCli(['drill', '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('usage: lifeboat drill [flags]');
    expect(run.stdout).toContain('--recovery-point WORKLOAD=ami-…|TIME');
    expect(run.stdout).toContain('(repeatable)');
    expect(run.stdout).toContain('examples:');
    expect(run.stdout).toContain('--local');
  });

  test('rejects an unknown command or subcommand with a suggestion (exit 2, no stack)', async () => {
    const command = await runCli(['dril', '--plan', 'x.json']);
    const sub = await runCli(['plan', 'chek', 'x.json']);
    const bare = await runCli(['plan']);

    expect([command.code, sub.code, bare.code]).toEqual([2, 2, 2]);
    expect(command.stderr).toBe("error: lifeboat: unknown command \"dril\"\nhint: did you mean 'drill'? run 'lifeboat --help' for the commands\n");
    expect(sub.stderr).toContain("did you mean 'plan check'?");
    expect(bare.stderr).toContain('lifeboat plan: missing subcommand');
  });

  test('rejects unknown flags, missing values and missing arguments, naming the flag', async () => {
    const unknown = await runCli(['backup', '--folow']);
    const noValue = await runCli(['backup', '--plan']);
    const flagAsValue = await runCli(['history', 'x', '--region', '--json']);
    const missing = await runCli(['history']);
    const extra = await runCli(['list', 'extra']);
    const twice = await runCli(['backup', '--plan', 'a.json', '--plan', 'b.json']);
    const valued = await runCli(['backup', '--follow=yes']);

    for (const run of [unknown, noValue, flagAsValue, missing, extra, twice, valued]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).not.toContain('    at ');
    }
    expect(unknown.stderr).toContain("error: lifeboat backup: unknown flag '--folow'\nhint: did you mean '--follow'?");
    expect(noValue.stderr).toContain("lifeboat backup: flag '--plan' needs a value (FILE)");
    expect(flagAsValue.stderr).toContain("flag '--region' needs a value (REGION)");
    expect(missing.stderr).toContain('lifeboat history: missing EXECUTION');
    expect(extra.stderr).toContain('lifeboat list: unexpected argument "extra"');
    expect(twice.stderr).toContain("flag '--plan' given more than once");
    expect(valued.stderr).toContain("flag '--follow' takes no value, found \"yes\"");
  });

  test('rejects a --region that is not a region name', async () => {
    const run = await runCli(['list', '--state-machine', 'arn:aws:states:us-west-2:123456789012:stateMachine:x', '--region', 'us west 2']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lifeboat list: --region expects an AWS region such as "us-west-2", found "us west 2"');
  });

  test('needs --plan or --state-machine to start a run', async () => {
    const run = await runCli(['failover']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lifeboat failover: needs --plan FILE or --state-machine ARN');
  });

  test('checks the flags of sandbox and demo before loading them', async () => {
    const sandbox = await runCli(['sandbox', '--clock']);
    const demo = await runCli(['demo', '--port', '1']);

    expect([sandbox.code, demo.code]).toEqual([2, 2]);
    expect(sandbox.stderr).toContain("flag '--clock' needs a value (virtual|real)");
    expect(demo.stderr).toContain("lifeboat demo: unknown flag '--port'");
  });
});

describe('cli: parseArgs', () => {
  const flags = {
    plan: { type: 'string', value: 'FILE', help: '' },
    pin: { type: 'string', isMultiple: true, help: '' },
    json: { type: 'boolean', help: '' },
    help: { type: 'boolean', help: '' },
  } as const;

  test('reads --flag value, --flag=value, repeated flags, booleans and positionals after --', () => {
    const parsed = parseArgs('lifeboat x', ['A', '--plan=p.json', '--pin', 'a=1', '--json', '--pin', 'b=2', '--', '--B'], flags, [
      { name: 'FIRST', help: '' },
      { name: 'SECOND', help: '' },
    ]);

    expect(parsed).toEqual({ flags: { plan: 'p.json', pin: ['a=1', 'b=2'], json: true }, positionals: ['A', '--B'] });
  });

  test('rejects a short flag other than -h', () => {
    expect(() => parseArgs('lifeboat x', ['-p', 'x'], flags, [])).toThrow(UsageError);
    expect(parseArgs('lifeboat x', ['-h'], flags, [{ name: 'FILE', help: '' }]).flags.help).toBe(true);
  });
});

describe('cli: names', () => {
  test('makes execution names <kind>-<YYYYMMDD>T<HHMMSS>Z-<4 hex> that fit Step Functions names', () => {
    const name = executionName('drill', new Date('2026-11-25T10:30:00.123Z'), '3fa1');

    expect(name).toBe('drill-20261125T103000Z-3fa1');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).not.toMatch(/[\s<>{}[\]?*"#%\\^|~`$&,;:/]/);
  });

  test('parses state machine and execution ARNs, and nothing else', () => {
    expect(parseStatesArn('arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-drill:drill-20261125T103000Z-3fa1')).toEqual({
      partition: 'aws',
      region: 'us-west-2',
      account: '123456789012',
      resource: 'execution',
      stateMachineName: 'lifeboat-shop-drill',
      executionName: 'drill-20261125T103000Z-3fa1',
    });
    expect(parseStatesArn('arn:aws:states:us-west-2:123456789012:stateMachine:lifeboat-shop-drill')?.resource).toBe('stateMachine');
    expect(parseStatesArn('arn:aws:lambda:us-west-2:123456789012:function:x')).toBeUndefined();
    expect(parseStatesArn('drill-20261125T103000Z-3fa1')).toBeUndefined();
  });
});

describe('cli: main (sandbox and demo dispatch)', () => {
  const hasDemo = existsSync(fileURLToPath(new URL('../../cli/commands/demo.ts', import.meta.url)));

  test.skipIf(hasDemo)('reports a missing demo module as a usage error, not a crash', async () => {
    const run = await runCli(['demo']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lifeboat demo: the sandbox is not available in this build (cli/commands/demo.ts is missing)');
  });
});
