/**
 * Issue 11's rough edges of the command line, each retried as a new user would.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { connectionFlags } from '../../cli/aws.js';
import { createBufferIo } from '../../cli/io.js';
import { main } from '../../cli/main.js';
import { SHOP_PLAN, executionArn, mockSfn, runCli, tempFiles } from './cli-harness.js';
import { HistoryBuilder, pagedHistory } from './history-builder.js';

let sfn: ReturnType<typeof mockSfn>;
let plan: string;
beforeEach(() => {
  sfn = mockSfn();
  plan = tempFiles({ 'shop.plan.json': SHOP_PLAN })['shop.plan.json'];
});
afterEach(() => sfn.restore());

describe('cli: flags', () => {
  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`lifeboat ${version}\n`);
  });

  test('--plan with --state-machine is refused, not silently resolved to one of them', async () => {
    for (const command of [['list'], ['history', 'drill-x'], ['backup'], ['redrive', 'drill-x']]) {
      const run = await runCli([...command, '--plan', plan, '--state-machine', 'arn:aws:states:us-west-2:123456789012:stateMachine:lifeboat-shop-drill']);
      expect(run.code, command.join(' ')).toBe(2);
      expect(run.stderr).toContain(`error: lifeboat ${command[0]}: give --plan FILE or --state-machine ARN, not both`);
    }
    expect(sfn.calls()).toHaveLength(0);
  });

  test('collect --grace-minutes names the flag, what it expected and found, and what to do', async () => {
    const grace = await runCli(['collect', '--plan', plan, '--grace-minutes', 'soon']);
    expect(grace.code).toBe(2);
    expect(grace.stderr).toContain('error: lifeboat collect: --grace-minutes expects a whole number of minutes (0 or more), found "soon"');
    expect(grace.stderr).toContain('e.g. --grace-minutes 30');
    expect(sfn.calls()).toHaveLength(0);
  });

  test('a repeatable flag says "(repeatable)" once', async () => {
    const run = await runCli(['failover', '--help']);
    const line = run.stdout.split('\n').find((l) => l.includes('--recovery-point'))!;
    expect(line.match(/\(repeatable\)/g)).toHaveLength(1);
  });

  test('--region us-east-9 is refused with the closest real region', async () => {
    const run = await runCli(['list', '--plan', plan, '--region', 'us-east-9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('found "us-east-9"');
    expect(run.stderr).toContain("did you mean 'us-east-1'?");
  });

  test('connection flags are rendered as typed, quoted when needed', () => {
    expect(connectionFlags({ isLocal: true, dataDir: '/tmp/my data' })).toBe(" --local --data '/tmp/my data'");
    expect(connectionFlags({ isLocal: false, region: 'eu-west-1', profile: 'dr' })).toBe(' --region eu-west-1 --profile dr');
    expect(connectionFlags({ isLocal: false })).toBe('');
  });
});

describe('cli: plan files', () => {
  test('a UTF-8 byte-order mark is accepted', async () => {
    const file = tempFiles({ 'bom.plan.json': `\uFEFF${JSON.stringify(SHOP_PLAN)}` })['bom.plan.json'];
    const run = await runCli(['plan', 'check', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('plan "shop" is valid');
  });

  test('a made-up region (us-east-9) is refused by plan check with the list of regions; a real one (ap-northeast-1) passes', async () => {
    const files = tempFiles({
      'bad.plan.json': { ...SHOP_PLAN, primaryRegion: 'us-east-9' },
      'tokyo.plan.json': { ...SHOP_PLAN, primaryRegion: 'ap-northeast-1' },
    });
    const bad = await runCli(['plan', 'check', files['bad.plan.json']]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('› primaryRegion: expected an AWS region: one of us-east-1, us-east-2');
    expect(bad.stdout).toContain('ap-northeast-1');
    expect(bad.stdout).toContain('found "us-east-9"');
    expect((await runCli(['plan', 'check', files['tokyo.plan.json']])).code).toBe(0);
  });

  test('plain plurals: one workload, one issue', async () => {
    const one = tempFiles({ 'one.plan.json': { ...SHOP_PLAN, workloads: [SHOP_PLAN.workloads[0]], primaryRegion: 'us-east-9' } })['one.plan.json'];
    const run = await runCli(['plan', 'check', one]);
    expect(run.stderr).toContain('1 issue;');
    expect(run.stderr).not.toMatch(/\b1 (issues|workloads)\b/);
  });
});

describe('cli: list and history agree', () => {
  const NAME = 'failover-20261125T103000Z-3fa1';
  const ARN = executionArn('us-west-2', 'lifeboat-shop-failover', NAME);

  test("a redriven run's duration is the same in list, history and history --json; --json has the output, RPO and RTO", async () => {
    // GIVEN a failover that failed, sat for 10 minutes, was redriven and succeeded
    const h = new HistoryBuilder().started();
    h.task('Launch in region', { task: 'launch-in-region', attempts: [{ error: 'Lifeboat.LaunchFailed', cause: 'no capacity' }] });
    h.failed('Lifeboat.LaunchFailed', 'no capacity');
    h.wait(600).redriven(1);
    const failure = h.events.findIndex((e) => e.type === 'TaskFailed') + 1;
    const scheduled = h.add('TaskScheduled', { parameters: JSON.stringify({ Payload: { task: 'launch-in-region' } }) }, failure);
    h.wait(90);
    h.add('TaskSucceeded', { output: JSON.stringify({ Payload: {} }) }, scheduled);
    h.add('TaskStateExited', { name: 'Launch in region', output: '{}' });
    const output = {
      planName: 'shop',
      mode: 'failover',
      startedAt: '2026-11-25T10:30:00.000Z',
      recoveryTimeSeconds: 692,
      oldestRecoveryPointTime: '2026-11-25T09:30:00.000Z',
      instances: [{ workload: 'db', imageId: 'ami-0bbbbbbbbbbbbbbb2', instanceId: 'i-0eeeeeeeeeeeeeee5' }],
    };
    h.succeeded(output);
    const start = h.events[0].timestamp!;
    const stop = h.events.at(-1)!.timestamp!;
    const redriveDate = h.events.find((e) => e.type === 'ExecutionRedriven')!.timestamp!;
    const described = { executionArn: ARN, name: NAME, status: 'SUCCEEDED' as const, startDate: start, stopDate: stop, redriveDate, redriveCount: 1, output: JSON.stringify(output), stateMachineArn: ARN.replace(':execution:', ':stateMachine:').replace(`:${NAME}`, '') };
    sfn.on(DescribeExecutionCommand).resolves(described);
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => h.events));
    sfn.on(ListExecutionsCommand).callsFake(async (input: { stateMachineArn: string }) => ({
      executions: input.stateMachineArn.endsWith('lifeboat-shop-failover') ? [{ ...described, output: undefined }] : [],
    }));

    // WHEN
    const listed = JSON.parse((await runCli(['list', '--plan', plan, '--json'])).stdout) as { executions: { durationSeconds: number }[] };
    const json = JSON.parse((await runCli(['history', NAME, '--plan', plan, '--json'])).stdout) as Record<string, any>;
    const text = (await runCli(['history', NAME, '--plan', plan])).stdout;

    // THEN one duration everywhere: first start to final stop
    const expected = (stop.getTime() - start.getTime()) / 1000;
    expect(listed.executions[0].durationSeconds).toBe(expected);
    expect(json.durationSeconds).toBe(expected);
    expect(expected).toBe(691);
    expect(text).toContain('duration  11m31s');
    // and --json carries the output, RPO and RTO against the plan's objectives
    expect(json.output).toEqual(output);
    expect(json.rto).toMatchObject({ achievedSeconds: 692, objectiveSeconds: 3600, status: 'met' });
    expect(json.rpo).toMatchObject({ achievedSeconds: 3600, objectiveSeconds: 14400, status: 'met' });
    expect(json.workloads).toEqual([expect.objectContaining({ workload: 'db', recoveryPoints: ['ami-0bbbbbbbbbbbbbbb2'], instances: ['i-0eeeeeeeeeeeeeee5'] })]);
    // the failed visit and the redrive's visit are two rows
    expect(text).toMatch(/Launch in region\s+\S+\s+\S+\s+0\s+failed/);
    expect(text).toMatch(/Launch in region \(redrive 1\)\s+\S+\s+1m30s\s+0\s+ok/);
    // and the text names the objectives too
    expect(text).toMatch(/objectives\n  RPO  1h00m\s+against 4h00m: met/);
    expect(text).toMatch(/  RTO  11m32s\s+against 1h00m: met/);
  });

  test('an interrupted --follow keeps the connection flags in its hint', async () => {
    const h = new HistoryBuilder().started();
    h.add('WaitStateEntered', { name: 'Wait', input: '{}' });
    const io = createBufferIo();
    sfn.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
      io.interrupt();
      return { executionArn: input.executionArn, name: input.executionArn.split(':').at(-1), status: 'RUNNING', startDate: h.events[0].timestamp };
    });
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => h.events));
    sfn.on(StartExecutionCommand).callsFake(async (input: { stateMachineArn: string; name: string }) => ({
      executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`,
      startDate: new Date('2026-11-25T10:30:00Z'),
    }));

    const code = await main(['backup', '--plan', plan, '--follow', '--region', 'us-east-1'], io);

    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/hint: follow it again with 'lifeboat history arn:aws:states:us-east-1:\S+ --region us-east-1 --follow'/);
  });
});
