import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { ListExecutionsCommand, type ExecutionListItem } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { parsePlan } from '../../schemas/plan.js';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { examplePlan, localLifeboat } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Sunday 29 November 2026, 12:00 UTC: the plan's weekly drill is due Monday 30 November 03:00. */
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);
const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

async function advanceTo(env: LocalLifeboat, ms: number): Promise<void> {
  const res = await fetch(`${env.sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ to: ms }) });
  expect(res.status, await res.text()).toBe(200);
}

async function runs(env: LocalLifeboat, kind: 'backup' | 'drill'): Promise<ExecutionListItem[]> {
  const out = await env.sfn(env.regionOf(kind)).send(new ListExecutionsCommand({ stateMachineArn: env.machines[kind], maxResults: 1000 }));
  return (out.executions ?? []).sort((a, b) => a.startDate!.getTime() - b.startDate!.getTime());
}

const minute = (d: Date | undefined) => new Date(Math.floor(d!.getTime() / 60_000) * 60_000).toISOString();

describe('e2e: a week of schedules and alarms on the sandbox', () => {
  test('backups and drills run on the plan’s schedules; with the drill schedule disabled, the missed-drill alarm fires and is published to the plan’s topic', async () => {
    // GIVEN the small plan (backup rate(4 hours), drill cron(0 3 ? * MON *) UTC, drill window 7 days) with an on-call topic,
    // deployed with its schedules and alarms as the stacks define them
    const topicArn = 'arn:aws:sns:us-west-2:123456789012:oncall';
    const small = examplePlan('small');
    // (RPO 5 h: with the RPO published every 5 minutes, backups every 4 h breach a 4 h RPO every
    // cycle, as 'lifeboat plan check' warns; 5 h holds.)
    const plan = parsePlan(
      { ...JSON.parse(JSON.stringify(small)), objectives: { rpoMinutes: 300, rtoMinutes: 60 }, notifications: { snsTopicArn: topicArn, emails: ['oncall@example.com'] } },
      'small.plan.json',
    );
    env = await localLifeboat({ plan, startMs: T0, withSchedules: true });
    expect(env.operations?.topics).toEqual({ 'us-east-1': 'arn:aws:sns:us-east-1:123456789012:lifeboat-wiki-alarms', 'us-west-2': topicArn });
    const cw = new CloudWatchClient({ region: plan.recoveryRegion, endpoint: env.sandbox.endpoint, credentials, maxAttempts: 1 });
    const scheduler = new SchedulerClient({ region: plan.recoveryRegion, endpoint: env.sandbox.endpoint, credentials, maxAttempts: 1 });
    const missedDrill = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['lifeboat-wiki-no-successful-drill'] }))).MetricAlarms![0]!;
    try {
      // No drill has ever succeeded: the alarm starts in ALARM.
      expect((await missedDrill()).StateValue).toBe('ALARM');

      // WHEN a week passes
      await advanceTo(env, T0 + 7 * DAY + HOUR);

      // THEN a backup ran every 4 hours from one interval after deployment, and the Monday drill ran, all successfully
      const backups = await runs(env, 'backup');
      expect(backups.map((e) => minute(e.startDate))).toEqual(Array.from({ length: 42 }, (_, i) => new Date(T0 + (i + 1) * 4 * HOUR).toISOString()));
      expect(backups.every((e) => e.status === 'SUCCEEDED')).toBe(true);
      const drills = await runs(env, 'drill');
      expect(drills.map((e) => [minute(e.startDate), e.status])).toEqual([['2026-11-30T03:00:00.000Z', 'SUCCEEDED']]);
      // … the drill's success cleared the missed-drill alarm at the next hourly evaluation, the RPO held
      // and no run failed
      expect(await missedDrill()).toMatchObject({ StateValue: 'OK', StateUpdatedTimestamp: new Date('2026-11-30T04:00:00Z') });
      const primaryCw = new CloudWatchClient({ region: plan.primaryRegion, endpoint: env.sandbox.endpoint, credentials, maxAttempts: 1 });
      const primaryAlarms = (await primaryCw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'lifeboat-wiki-' }))).MetricAlarms!;
      primaryCw.destroy();
      expect(primaryAlarms.map((a) => [a.AlarmName, a.StateValue])).toEqual([['lifeboat-wiki-backup-failed', 'OK']]);
      const recoveryAlarms = (await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'lifeboat-wiki-' }))).MetricAlarms!;
      expect(recoveryAlarms.map((a) => [a.AlarmName, a.StateValue])).toEqual([
        ['lifeboat-wiki-drill-failed', 'OK'], ['lifeboat-wiki-failover-failed', 'OK'], ['lifeboat-wiki-no-successful-drill', 'OK'], ['lifeboat-wiki-rpo-breached', 'OK'],
      ]);

      // WHEN an operator disables the drill schedule and another week passes
      const drillSchedule = await scheduler.send(new GetScheduleCommand({ Name: 'lifeboat-wiki-drill' }));
      await scheduler.send(new UpdateScheduleCommand({
        Name: drillSchedule.Name, ScheduleExpression: drillSchedule.ScheduleExpression, ScheduleExpressionTimezone: drillSchedule.ScheduleExpressionTimezone,
        FlexibleTimeWindow: drillSchedule.FlexibleTimeWindow, Target: drillSchedule.Target, State: 'DISABLED',
      }));
      await advanceTo(env, T0 + 9 * DAY);

      // THEN no drill ran on Monday 7 December, and seven days after the last success the alarm fired
      expect(await runs(env, 'drill')).toHaveLength(1);
      const fired = await missedDrill();
      expect(fired).toMatchObject({ StateValue: 'ALARM', StateUpdatedTimestamp: new Date('2026-12-07T04:00:00Z') });
      expect(fired.StateReason).toBe('Threshold Crossed: no datapoints were received for 168 periods and 168 missing datapoints were treated as [Breaching].');
      // … and every change of it was published to the plan's topic, as CloudWatch publishes to SNS
      const published = env.sandbox.sns.messages(topicArn).map((m) => JSON.parse(m.message) as { AlarmName: string; NewStateValue: string; StateChangeTime: string });
      expect(published.filter((m) => m.AlarmName === 'lifeboat-wiki-no-successful-drill').map((m) => [m.NewStateValue, m.StateChangeTime])).toEqual([
        // at deployment (the wall time setup took runs on the virtual clock too)
        ['ALARM', expect.stringMatching(/^2026-11-29T12:0\d:\d\d\.\d{3}\+0000$/)],
        ['OK', '2026-11-30T04:00:00.000+0000'],
        ['ALARM', '2026-12-07T04:00:00.000+0000'],
      ]);
      expect(env.sandbox.sns.messages(topicArn).at(-1)?.subject).toBe('ALARM: "lifeboat-wiki-no-successful-drill" in us-west-2');
      // … and the RPO alarm, in ALARM until the first backup left a recovery point, held from then on
      expect(published.filter((m) => m.AlarmName === 'lifeboat-wiki-rpo-breached').map((m) => m.NewStateValue)).toEqual(['ALARM', 'OK']);
    } finally {
      cw.destroy();
      scheduler.destroy();
    }
  }, 300_000);
});
