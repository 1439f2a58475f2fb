import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { nextOccurrence, parseExpression } from '../../../sandbox/scheduler/expressions.js';
import { failure } from '../sdk-failure.js';

const REGION = 'eu-central-1';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Thursday 1 January 2026, midnight UTC (winter: Berlin is UTC+1). */
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Env {
  sandbox: Sandbox;
  scheduler: SchedulerClient;
  sfn: SFNClient;
  machineArn: string;
}

const open: Env[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const env of open.splice(0)) {
    env.scheduler.destroy();
    env.sfn.destroy();
    await env.sandbox.stop();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(options: { dataDir?: string; startMs?: number } = {}): Promise<Env> {
  const sandbox = await startSandbox({ startMs: options.startMs ?? T0, dataDir: options.dataDir, log: () => {} });
  const scheduler = new SchedulerClient({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });
  const sfn = new SFNClient({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });
  const definition = JSON.stringify({ StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } });
  let machineArn = `arn:aws:states:${REGION}:123456789012:stateMachine:nightly`;
  try {
    machineArn = (await sfn.send(new CreateStateMachineCommand({ name: 'nightly', definition, roleArn: ROLE }))).stateMachineArn!;
  } catch (err) {
    if ((err as Error).name !== 'StateMachineAlreadyExists') throw err;
  }
  const env = { sandbox, scheduler, sfn, machineArn };
  open.push(env);
  return env;
}

async function advanceTo(env: Env, ms: number): Promise<void> {
  const res = await fetch(`${env.sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ to: ms }) });
  expect(res.status).toBe(200);
}

async function executions(env: Env): Promise<{ startDate: number; input: string }[]> {
  const list = await env.sfn.send(new ListExecutionsCommand({ stateMachineArn: env.machineArn, maxResults: 1000 }));
  const out = [];
  for (const e of list.executions ?? []) {
    const d = await env.sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
    // Virtual time runs at wall speed between jumps: a start lands a little after its due time and
    // a rate counts from the creation request (AWS itself only promises the minute).
    out.push({ startDate: Math.floor(d.startDate!.getTime() / 60_000) * 60_000, input: d.input! });
  }
  return out.sort((a, b) => a.startDate - b.startDate);
}

function schedule(env: Env, name: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    ScheduleExpression: 'cron(0 3 ? * MON *)',
    ScheduleExpressionTimezone: 'Europe/Berlin',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: env.machineArn, RoleArn: ROLE, Input: '{}' },
    ...extra,
  };
}

describe('sandbox: scheduler', () => {
  test('a weekly cron schedule in a time zone starts the state machine every Monday at 03:00 local time', async () => {
    const env = await start();
    const created = await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'weekly-drill', { Target: { Arn: env.machineArn, RoleArn: ROLE, Input: '{"kind":"drill"}' } })));
    expect(created.ScheduleArn).toBe(`arn:aws:scheduler:${REGION}:123456789012:schedule/default/weekly-drill`);

    await advanceTo(env, T0 + 21 * DAY);

    const runs = await executions(env);
    // Mondays 5, 12 and 19 January 2026, 03:00 in Berlin = 02:00 UTC.
    expect(runs.map((r) => new Date(r.startDate).toISOString())).toEqual(['2026-01-05T02:00:00.000Z', '2026-01-12T02:00:00.000Z', '2026-01-19T02:00:00.000Z']);
    expect(runs.every((r) => r.input === '{"kind":"drill"}')).toBe(true);
  });

  test('a rate schedule without StartDate fires at creation, then every interval; DISABLED fires nothing until enabled again', async () => {
    const env = await start();
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'backup', { ScheduleExpression: 'rate(6 hours)', ScheduleExpressionTimezone: undefined })));
    await advanceTo(env, T0 + DAY + 1000);
    expect((await executions(env)).map((r) => (r.startDate - T0) / HOUR)).toEqual([0, 6, 12, 18, 24]);

    await env.scheduler.send(new UpdateScheduleCommand({ ...schedule(env, 'backup', { ScheduleExpression: 'rate(6 hours)' }), State: 'DISABLED' }));
    await advanceTo(env, T0 + 2 * DAY);
    expect(await executions(env)).toHaveLength(5);

    // Enabled again at T0+2d: a rate counts from the update.
    await env.scheduler.send(new UpdateScheduleCommand(schedule(env, 'backup', { ScheduleExpression: 'rate(6 hours)' })));
    await advanceTo(env, T0 + 2 * DAY + 7 * HOUR);
    expect((await executions(env)).map((r) => (r.startDate - T0) / HOUR).slice(5)).toEqual([48, 54]);
  });

  test('StartDate and EndDate bound the occurrences', async () => {
    const env = await start();
    await env.scheduler.send(
      new CreateScheduleCommand(schedule(env, 'bounded', { ScheduleExpression: 'rate(1 day)', StartDate: new Date(T0 + 2 * DAY), EndDate: new Date(T0 + 4 * DAY + HOUR) })),
    );
    await advanceTo(env, T0 + 10 * DAY);
    expect((await executions(env)).map((r) => (r.startDate - T0) / DAY)).toEqual([2, 3, 4]);
  });

  test('a one-time at() schedule fires once in its time zone, fills in context attributes, and deletes itself with ActionAfterCompletion DELETE', async () => {
    const env = await start();
    await env.scheduler.send(
      new CreateScheduleCommand(
        schedule(env, 'once', {
          ScheduleExpression: 'at(2026-01-02T09:30:00)',
          ScheduleExpressionTimezone: 'America/New_York',
          ActionAfterCompletion: 'DELETE',
          Target: { Arn: env.machineArn, RoleArn: ROLE, Input: '{"at":"<aws.scheduler.scheduled-time>","by":"<aws.scheduler.schedule-arn>"}' },
        }),
      ),
    );
    await advanceTo(env, T0 + 5 * DAY);
    const runs = await executions(env);
    expect(runs.map((r) => new Date(r.startDate).toISOString())).toEqual(['2026-01-02T14:30:00.000Z']);
    expect(JSON.parse(runs[0]!.input)).toEqual({ at: '2026-01-02T14:30:00Z', by: `arn:aws:scheduler:${REGION}:123456789012:schedule/default/once` });
    const gone = await failure(env.scheduler.send(new GetScheduleCommand({ Name: 'once' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'Schedule once does not exist.', status: 404 });
  });

  test('a pending schedule never makes the idle virtual clock jump', async () => {
    const env = await start({ startMs: T0 });
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'soon', { ScheduleExpression: 'rate(1 minute)', StartDate: new Date(T0 + HOUR) })));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(env.sandbox.clock.now()).toBeLessThan(T0 + 60_000);
    expect(await executions(env)).toHaveLength(0);
  });

  test('GetSchedule returns what was created; ListSchedules filters by group, prefix and state', async () => {
    const env = await start();
    await env.scheduler.send(new CreateScheduleGroupCommand({ Name: 'lifeboat' }));
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'shop-backup', { GroupName: 'lifeboat', ScheduleExpression: 'rate(4 hours)', Description: 'backups' })));
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'shop-drill', { GroupName: 'lifeboat', State: 'DISABLED' })));
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'other')));

    const got = await env.scheduler.send(new GetScheduleCommand({ Name: 'shop-backup', GroupName: 'lifeboat' }));
    expect(got).toMatchObject({
      Name: 'shop-backup', GroupName: 'lifeboat', State: 'ENABLED', ScheduleExpression: 'rate(4 hours)', ScheduleExpressionTimezone: 'Europe/Berlin',
      Description: 'backups', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: env.machineArn, RoleArn: ROLE, Input: '{}' }, ActionAfterCompletion: 'NONE',
    });
    expect(Math.abs(got.CreationDate!.getTime() - T0)).toBeLessThan(1000);

    const inGroup = await env.scheduler.send(new ListSchedulesCommand({ GroupName: 'lifeboat' }));
    expect(inGroup.Schedules?.map((s) => s.Name)).toEqual(['shop-backup', 'shop-drill']);
    const disabled = await env.scheduler.send(new ListSchedulesCommand({ State: 'DISABLED' }));
    expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['shop-drill']);
    const prefixed = await env.scheduler.send(new ListSchedulesCommand({ NamePrefix: 'oth' }));
    expect(prefixed.Schedules?.map((s) => [s.Name, s.GroupName, s.Target?.Arn])).toEqual([['other', 'default', env.machineArn]]);
    const page = await env.scheduler.send(new ListSchedulesCommand({ MaxResults: 2 }));
    expect(page.Schedules).toHaveLength(2);
    const rest = await env.scheduler.send(new ListSchedulesCommand({ MaxResults: 2, NextToken: page.NextToken }));
    expect(rest.Schedules).toHaveLength(1);

    expect((await env.scheduler.send(new GetScheduleGroupCommand({ Name: 'lifeboat' }))).State).toBe('ACTIVE');
    expect((await env.scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name)).toEqual(['default', 'lifeboat']);
    await env.scheduler.send(new DeleteScheduleGroupCommand({ Name: 'lifeboat' }));
    expect((await env.scheduler.send(new ListSchedulesCommand({}))).Schedules?.map((s) => s.Name)).toEqual(['other']);
    await env.scheduler.send(new DeleteScheduleCommand({ Name: 'other' }));
    expect((await env.scheduler.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
  });

  test('rejects bad input with the errors AWS answers', async () => {
    const env = await start();
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'taken')));
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'taken'))))).toMatchObject({ name: 'ConflictException', message: 'Schedule taken already exists.', status: 409 });
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'bad', { ScheduleExpression: 'cron(0 3 * * MON *)' }))))).toMatchObject({
      name: 'ValidationException', message: 'Invalid Schedule Expression cron(0 3 * * MON *).', status: 400,
    });
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'bad', { ScheduleExpression: 'rate(1 hours)' }))))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'bad', { ScheduleExpressionTimezone: 'Mars/Olympus' }))))).toMatchObject({
      name: 'ValidationException', message: 'Invalid Schedule Expression Timezone Mars/Olympus.',
    });
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'bad', { Target: { Arn: env.machineArn, RoleArn: 'not-a-role' } }))))).toMatchObject({
      name: 'ValidationException', message: expect.stringContaining("at 'target.roleArn' failed to satisfy constraint"),
    });
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'bad', { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }))))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(env.scheduler.send(new CreateScheduleCommand(schedule(env, 'bad', { GroupName: 'nope' }))))).toMatchObject({
      name: 'ResourceNotFoundException', message: 'Schedule group nope does not exist.',
    });
    expect(await failure(env.scheduler.send(new GetScheduleCommand({ Name: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Schedule missing does not exist.' });
    expect(await failure(env.scheduler.send(new UpdateScheduleCommand(schedule(env, 'missing'))))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(env.scheduler.send(new DeleteScheduleCommand({ Name: 'missing' })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await failure(env.scheduler.send(new CreateScheduleGroupCommand({ Name: 'default' })))).toMatchObject({ name: 'ConflictException' });
  });

  test('a FLEXIBLE window is accepted and fires at the start of the window', async () => {
    const env = await start();
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'flex', { ScheduleExpression: 'cron(0 12 * * ? *)', ScheduleExpressionTimezone: 'UTC', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 } })));
    await advanceTo(env, T0 + DAY);
    expect((await executions(env)).map((r) => new Date(r.startDate).toISOString())).toEqual(['2026-01-01T12:00:00.000Z']);
  });

  test('a failed target call is recorded on the schedule (admin state) and the schedule keeps firing', async () => {
    const env = await start();
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'ghost', { ScheduleExpression: 'rate(1 hour)', Target: { Arn: `arn:aws:states:${REGION}:123456789012:stateMachine:ghost`, RoleArn: ROLE } })));
    await advanceTo(env, T0 + 90 * 60_000);
    const state = (await (await fetch(`${env.sandbox.endpoint}/_sandbox/scheduler.state`, { method: 'POST' })).json()) as { schedules: { name: string; nextFiring: string; invocations: { ok: boolean; error?: string }[] }[] };
    const ghost = state.schedules.find((s) => s.name === 'ghost')!;
    expect(ghost.invocations.map((i) => [i.ok, i.error])).toEqual([[false, 'StateMachineDoesNotExist'], [false, 'StateMachineDoesNotExist']]);
    expect(ghost.nextFiring.slice(0, 19)).toBe('2026-01-01T02:00:00');
  });

  test('schedules persist across a restart and keep firing; occurrences while stopped are skipped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scheduler-'));
    dirs.push(dataDir);
    const first = await start({ dataDir });
    await first.scheduler.send(new CreateScheduleCommand(schedule(first, 'daily', { ScheduleExpression: 'cron(0 6 * * ? *)', ScheduleExpressionTimezone: 'UTC' })));
    await advanceTo(first, T0 + DAY);
    expect(await executions(first)).toHaveLength(1);
    first.scheduler.destroy();
    first.sfn.destroy();
    await first.sandbox.stop();
    open.splice(open.indexOf(first), 1);

    // Restarted three days later (in simulated time).
    const second = await start({ dataDir, startMs: T0 + 4 * DAY });
    expect((await second.scheduler.send(new GetScheduleCommand({ Name: 'daily' }))).ScheduleExpression).toBe('cron(0 6 * * ? *)');
    await advanceTo(second, T0 + 5 * DAY);
    expect((await executions(second)).map((r) => new Date(r.startDate).toISOString())).toEqual(['2026-01-01T06:00:00.000Z', '2026-01-05T06:00:00.000Z']);
  });

  test('admin reset forgets every schedule', async () => {
    const env = await start();
    await env.scheduler.send(new CreateScheduleCommand(schedule(env, 'gone', { ScheduleExpression: 'rate(1 hour)' })));
    await fetch(`${env.sandbox.endpoint}/_sandbox/reset`, { method: 'POST' });
    expect((await env.scheduler.send(new ListSchedulesCommand({}))).Schedules).toEqual([]);
  });
});

describe('sandbox: scheduler expressions', () => {
  const next = (expr: string, tz: string, after: number, anchor = after) => {
    const t = nextOccurrence(parseExpression(expr), tz, after, anchor);
    return t === undefined ? undefined : new Date(t).toISOString();
  };

  test('a local time that daylight saving skips is skipped; a repeated one runs once', () => {
    // Europe/Berlin: 29 March 2026 02:00 → 03:00; 25 October 2026 03:00 → 02:00.
    expect(next('cron(30 2 * * ? *)', 'Europe/Berlin', Date.UTC(2026, 2, 28, 2, 0))).toBe('2026-03-30T00:30:00.000Z');
    expect(next('cron(30 2 * * ? *)', 'Europe/Berlin', Date.UTC(2026, 9, 24, 12, 0))).toBe('2026-10-25T00:30:00.000Z');
    expect(next('cron(30 2 * * ? *)', 'Europe/Berlin', Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-26T01:30:00.000Z');
  });

  test('cron day fields: L, W, # and names', () => {
    const after = Date.UTC(2026, 0, 1);
    expect(next('cron(0 0 L * ? *)', 'UTC', after)).toBe('2026-01-31T00:00:00.000Z');
    expect(next('cron(0 0 ? * 6L *)', 'UTC', after)).toBe('2026-01-30T00:00:00.000Z'); // last Friday
    expect(next('cron(0 0 ? * MON#2 *)', 'UTC', after)).toBe('2026-01-12T00:00:00.000Z');
    expect(next('cron(0 0 3W * ? *)', 'UTC', after)).toBe('2026-01-02T00:00:00.000Z'); // the 3rd is a Saturday
    expect(next('cron(0/15 9-10 ? * SAT,SUN 2027)', 'UTC', after)).toBe('2027-01-02T09:00:00.000Z');
  });

  test('rejects malformed expressions', () => {
    for (const bad of ['cron(0 3 * * * *)', 'cron(61 3 ? * MON *)', 'rate(0 minutes)', 'rate(5 weeks)', 'at(2026-02-30T00:00:00)', 'every day']) {
      expect(() => parseExpression(bad), bad).toThrow();
    }
  });
});
