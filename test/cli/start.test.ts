import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HistoryBuilder, pagedHistory } from './history-builder.js';
import { SHOP_PLAN, executionArn, machineArn, mockSfn, normalise, runCli, tempFiles } from './cli-harness.js';

let sfn: ReturnType<typeof mockSfn>;
let plan: string;

beforeEach(() => {
  sfn = mockSfn();
  plan = tempFiles({ 'shop.plan.json': SHOP_PLAN })['shop.plan.json'];
  sfn.on(StartExecutionCommand).callsFake(async (input: { stateMachineArn: string; name: string }) => ({
    executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date('2026-11-25T10:30:00Z'),
  }));
});
afterEach(() => sfn.restore());

async function regionOfCall(index: number): Promise<string> {
  return (sfn.commandCalls(StartExecutionCommand)[index].thisValue as SFNClient).config.region();
}

describe('cli: backup, failover, drill', () => {
  test('starts the backup machine in the primary region with input {} and a readable unique name', async () => {
    const run = await runCli(['backup', '--plan', plan]);

    expect(run.code).toBe(0);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call.args[0].input).toEqual({
      stateMachineArn: machineArn('us-east-1', 'lifeboat-shop-backup'),
      name: 'backup-20261125T103000Z-0001',
      input: '{}',
    });
    expect(await regionOfCall(0)).toBe('us-east-1');
    expect(run.stdout).toBe(`${executionArn('us-east-1', 'lifeboat-shop-backup', 'backup-20261125T103000Z-0001')}\n`);
    expect(normalise(run.stderr)).toMatchSnapshot('stderr');
  });

  test('starts drill and failover in the recovery region, with pinned recovery points as input', async () => {
    const drill = await runCli(['drill', '--plan', plan, '--recovery-point', 'db=ami-0123456789abcdef0', '--recovery-point', 'web=2026-11-25T08:00:00+01:00']);
    const failover = await runCli(['failover', '--plan', plan]);

    expect([drill.code, failover.code]).toEqual([0, 0]);
    const calls = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(calls[0].stateMachineArn).toBe(machineArn('us-west-2', 'lifeboat-shop-drill'));
    expect(JSON.parse(calls[0].input ?? '')).toEqual({ recoveryPoints: { db: 'ami-0123456789abcdef0', web: '2026-11-25T07:00:00.000Z' } });
    expect(calls[1].stateMachineArn).toBe(machineArn('us-west-2', 'lifeboat-shop-failover'));
    expect(calls[1].input).toBe('{}');
    expect(calls[0].name).toMatch(/^drill-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(calls[1].name).toBe('failover-20261125T103000Z-0001');
    expect(await regionOfCall(0)).toBe('us-west-2');
  });

  test('--region overrides the plan region and --state-machine skips the look-up', async () => {
    const arn = machineArn('eu-west-1', 'lifeboat-shop-drill');
    const run = await runCli(['drill', '--state-machine', arn, '--region', 'eu-west-1', '--json']);

    expect(run.code).toBe(0);
    expect(await regionOfCall(0)).toBe('eu-west-1');
    expect(sfn.commandCalls(StartExecutionCommand)[0].args[0].input.stateMachineArn).toBe(arn);
    expect(JSON.parse(run.stdout)).toEqual({
      executionArn: executionArn('eu-west-1', 'lifeboat-shop-drill', 'drill-20261125T103000Z-0001'),
      name: 'drill-20261125T103000Z-0001',
      stateMachineArn: arn,
      region: 'eu-west-1',
      startDate: '2026-11-25T10:30:00.000Z',
      input: {},
    });
  });

  test('rejects a pin for an unknown workload, a bad pin value, and pins on a backup', async () => {
    const unknown = await runCli(['failover', '--plan', plan, '--recovery-point', 'cache=ami-0123456789abcdef0']);
    const bad = await runCli(['failover', '--plan', plan, '--recovery-point', 'db=yesterday']);
    const backup = await runCli(['backup', '--plan', plan, '--recovery-point', 'db=ami-0123456789abcdef0']);

    expect([unknown.code, bad.code, backup.code]).toEqual([2, 2, 2]);
    expect(unknown.stderr).toContain('no workload named "cache" in plan "shop"');
    expect(unknown.stderr).toContain("the plan's workloads are db, web");
    expect(bad.stderr).toContain('expected an AMI id (ami-…) or an ISO-8601 time, found "yesterday"');
    expect(backup.stderr).toContain("unknown flag '--recovery-point'");
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('fails with exit 1 and a deploy hint when the state machine is not deployed', async () => {
    sfn.restore();
    sfn = mockSfn([]);

    const run = await runCli(['drill', '--plan', plan]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(normalise(run.stderr)).toMatchSnapshot('stderr');
  });

  test('fails with exit 1 naming the call and region when AWS refuses it', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('User is not authorized to perform: states:StartExecution'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }));

    const run = await runCli(['backup', '--plan', plan]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('lifeboat backup: StartExecution in us-east-1 failed: AccessDeniedException: User is not authorized');
    expect(run.stderr).toContain('hint: check the credentials and the IAM permissions');
  });
});

describe('cli: backup, failover, drill --follow', () => {
  function scripted(builder: HistoryBuilder, checkpoints: readonly number[], final: 'SUCCEEDED' | 'FAILED', output?: unknown) {
    let visible = 0;
    let poll = 0;
    sfn.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
      visible = checkpoints[Math.min(poll, checkpoints.length - 1)];
      poll += 1;
      const isDone = visible >= builder.events.length;
      const last = builder.events[visible - 1];
      return {
        executionArn: input.executionArn,
        name: input.executionArn.split(':').at(-1),
        status: isDone ? final : 'RUNNING',
        startDate: builder.events[0].timestamp,
        ...(isDone ? { stopDate: last.timestamp } : {}),
        ...(isDone && final === 'FAILED' ? { error: last.executionFailedEventDetails?.error, cause: last.executionFailedEventDetails?.cause } : {}),
        ...(isDone && output !== undefined ? { output: JSON.stringify(output) } : {}),
      };
    });
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => builder.events.slice(0, visible)));
  }

  test('shows progress on stderr until SUCCEEDED and exits 0', async () => {
    // GIVEN a drill that retries once and succeeds, seen over three polls
    const h = new HistoryBuilder().started();
    h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ output: { waves: [] } }] });
    h.task('Launch in region', { task: 'launch-in-region', attempts: [{ error: 'Lifeboat.Throttled', cause: 'Request limit exceeded.' }, { output: { instances: [{ instanceId: 'i-0eeeeeeeeeeeeeee5' }] }, seconds: 90 }] });
    h.task('Tear down', { task: 'teardown', attempts: [{ output: { terminated: ['i-0eeeeeeeeeeeeeee5'] } }] });
    h.succeeded();
    scripted(h, [4, 12, h.events.length], 'SUCCEEDED');

    // WHEN
    const run = await runCli(['drill', '--plan', plan, '--follow']);

    // THEN
    expect(run.code).toBe(0);
    expect(run.sleeps).toEqual([2000, 2000]);
    expect(normalise(run.stdout)).toMatchSnapshot('stdout');
    expect(normalise(run.stderr)).toMatchSnapshot('stderr');
    expect(run.stderr).not.toContain('\u001b['); // not a TTY: no colour, no live status line
  });

  test('says MISSED plainly and exits 3 when the drill SUCCEEDED but missed its RPO objective', async () => {
    // GIVEN a drill whose output records an achieved RPO of 5h against 4h, and an RTO within 1h
    const h = new HistoryBuilder().started();
    h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ output: { waves: [] } }] });
    h.succeeded();
    const backupArn = 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-20261125T053000Z-77aa';
    scripted(h, [h.events.length], 'SUCCEEDED', {
      sets: [{ executionArn: backupArn, recoveryPointTime: '2026-11-25T05:30:00.000Z', isComplete: true, workloads: ['web'] }],
      achieved: {
        rpoSeconds: 18000,
        rtoSeconds: 900,
        rpoObjectiveSeconds: 14400,
        rtoObjectiveSeconds: 3600,
        isRpoMet: false,
        isRtoMet: true,
        groups: [{ workloads: ['web'], executionArn: backupArn, recoveryPointTime: '2026-11-25T05:30:00.000Z', rpoSeconds: 18000, rtoSeconds: 900 }],
      },
    });

    // WHEN
    const run = await runCli(['drill', '--plan', plan, '--follow']);
    const json = await runCli(['drill', '--plan', plan, '--follow', '--json']);

    // THEN
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/drill-\S+ SUCCEEDED OBJECTIVE MISSED/);
    expect(run.stderr).toContain('restored from');
    expect(run.stderr).toContain('backup-20261125T053000Z-77aa  2026-11-25 05:30:00Z: web');
    expect(run.stderr).toMatch(/RPO +5h00m +achieved .* against 4h00m: MISSED/);
    expect(run.stderr).toMatch(/RTO +15m00s +achieved .* against 1h00m: met/);
    expect(run.stderr).toContain('web: RPO 5h00m MISSED, RTO 15m00s');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'SUCCEEDED', recovery: { achieved: { isRpoMet: false } } });
  });

  test('exits 1 when the run FAILED and shows the failing step, error and cause', async () => {
    const h = new HistoryBuilder().started();
    h.task('Create image', { task: 'image', attempts: [{ error: 'Lifeboat.ImageFailed', cause: 'image ami-0aaaaaaaaaaaaaaa1 of web ended failed' }], isCaught: true });
    h.task('Record failure', { task: 'record-failure', attempts: [{ error: 'Lifeboat.StepFailed', cause: 'step "Create image" failed with Lifeboat.ImageFailed' }] });
    h.failed('Lifeboat.StepFailed', 'step "Create image" failed with Lifeboat.ImageFailed: image ami-0aaaaaaaaaaaaaaa1 of web ended failed');
    scripted(h, [3, h.events.length], 'FAILED');

    const run = await runCli(['backup', '--plan', plan, '--follow', '--json']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', name: 'backup-20261125T103000Z-0001' });
    expect(normalise(run.stderr)).toMatchSnapshot('stderr');
  });

  test('on a TTY, colours stderr and draws a live status line', async () => {
    const h = new HistoryBuilder().started();
    h.task('Create image', { task: 'image', attempts: [{ output: {} }] }).succeeded();
    scripted(h, [2, h.events.length], 'SUCCEEDED');

    const run = await runCli(['backup', '--plan', plan, '--follow'], { isStderrTty: true });

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('\u001b[32m✓\u001b[39m');
    expect(run.stderr).toContain('\r\u001b[2K'); // the status line is cleared before the next line
    expect(run.stdout).not.toContain('\u001b['); // stdout is not a TTY
  });
});

describe('cli: backup, failover, drill --local', () => {
  test('deploys the plan to the sandbox, then starts the run there through the same calls', async () => {
    // GIVEN a sandbox endpoint and a deployer that record what they were given
    const { start } = await import('../../cli/commands/start.js');
    const { createBufferIo } = await import('../../cli/io.js');
    const io = createBufferIo();
    const deployed: { plan: string; regions: string[] }[] = [];
    let closed = 0;

    // WHEN
    const code = await start(
      { kind: 'drill', plan, recoveryPoints: [], follow: false, json: false, isLocal: true, dataDir: '/tmp/lifeboat-test-data' },
      io,
      {
        resolveLocalEndpoint: async () => ({ endpoint: 'http://127.0.0.1:45678', region: 'us-east-1', close: async () => void (closed += 1) }),
        deployPlanLocally: async (p, clientFor) => {
          deployed.push({ plan: p.name, regions: await Promise.all([clientFor('us-east-1'), clientFor('us-west-2')].map((c) => c.config.region())) });
        },
      },
    );

    // THEN
    expect(code).toBe(0);
    expect(deployed).toEqual([{ plan: 'shop', regions: ['us-east-1', 'us-west-2'] }]);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    const client = call.thisValue as SFNClient;
    expect(await client.config.region()).toBe('us-west-2');
    expect((await client.config.endpoint?.())?.hostname).toBe('127.0.0.1');
    expect(io.stderr()).not.toContain('console.aws.amazon.com'); // no console link for the sandbox
    expect(closed).toBe(1);
  });
});

describe('cli: --follow interrupted', () => {
  test('stops following on Ctrl-C, says the run goes on, and exits 1 without stopping it', async () => {
    // GIVEN a run that never ends, and Ctrl-C pressed during the second poll
    const { main } = await import('../../cli/main.js');
    const { createBufferIo } = await import('../../cli/io.js');
    const io = createBufferIo();
    const h = new HistoryBuilder().started();
    h.add('WaitStateEntered', { name: 'Wait for copy', input: '{}' });
    let polls = 0;
    sfn.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
      polls += 1;
      if (polls === 2) io.interrupt();
      return { executionArn: input.executionArn, name: input.executionArn.split(':').at(-1), status: 'RUNNING', startDate: h.events[0].timestamp };
    });
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => h.events));

    // WHEN
    const code = await main(['backup', '--plan', plan, '--follow'], io);

    // THEN
    expect(code).toBe(1);
    expect(polls).toBe(2);
    expect(io.stderr()).toContain('lifeboat backup: stopped following; backup-20261125T103000Z-0001 is still RUNNING');
    expect(io.stderr()).toContain("hint: follow it again with 'lifeboat history arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-20261125T103000Z-0001 --follow'");
  });
});

describe('cli: --follow of a polling loop', () => {
  test('shows a polling loop once: "→" on its first pass, errors as they come, "✓ … polled N times" after its last pass', async () => {
    // GIVEN a copy loop of five passes, the fourth throttled once
    const h = new HistoryBuilder().started();
    for (let pass = 0; pass < 5; pass += 1) {
      h.task('Copy image', { task: 'copy', attempts: pass === 3 ? [{ error: 'Lifeboat.Throttled', cause: 'slow down' }, { output: {} }] : [{ output: {} }] });
      h.state('Choice', 'Copy available?').state('Wait', 'Wait for copy', 30);
    }
    h.succeeded();
    let polls = 0;
    sfn.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
      polls += 1;
      const isDone = polls >= 4;
      return { executionArn: input.executionArn, name: input.executionArn.split(':').at(-1), status: isDone ? 'SUCCEEDED' : 'RUNNING', startDate: h.events[0].timestamp, ...(isDone ? { stopDate: h.events.at(-1)?.timestamp } : {}) };
    });
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => h.events.slice(0, Math.min(h.events.length, polls * 20))));

    // WHEN
    const run = await runCli(['backup', '--plan', plan, '--follow']);

    // THEN
    expect(run.code).toBe(0);
    const lines = run.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('→ Copy image'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('✓ Copy image'))).toHaveLength(1);
    const error = lines.findIndex((l) => l.includes('! Copy image: Lifeboat.Throttled: slow down (retry 1)'));
    expect(error).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('Lifeboat.Throttled'))).toHaveLength(1);
    // a loop pass is a poll, not an attempt: no "↻ attempt" line
    expect(run.stderr).not.toContain('attempt');
    // the ✓ comes after the last pass, and says how many polls it took
    const done = lines.findIndex((l) => l.startsWith('✓ Copy image'));
    expect(done).toBeGreaterThan(error);
    expect(lines[done]).toMatch(/^✓ Copy image \S+ polled 5 times$/);
  });
});
