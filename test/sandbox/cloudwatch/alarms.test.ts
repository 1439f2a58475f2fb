import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricStatisticsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { failure } from '../sdk-failure.js';

const REGION = 'us-west-2';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** 1 December 2026 00:00 UTC, on a whole hour so periods line up with it. */
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const MIN = 60_000;
const TOPIC = `arn:aws:sns:${REGION}:123456789012:alarms`;

const open: { sandbox: Sandbox; cw: CloudWatchClient }[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) {
    e.cw.destroy();
    await e.sandbox.stop();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(options: { dataDir?: string; startMs?: number } = {}) {
  const sandbox = await startSandbox({ startMs: options.startMs ?? T0, dataDir: options.dataDir, log: () => {} });
  const cw = new CloudWatchClient({ endpoint: sandbox.endpoint, region: REGION, credentials, maxAttempts: 1 });
  const env = { sandbox, cw };
  open.push(env);
  const advanceTo = async (ms: number) => {
    const res = await fetch(`${sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ to: ms }) });
    expect(res.status).toBe(200);
  };
  const put = (value: number, atMs: number, metricName = 'Errors') =>
    cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: metricName, Dimensions: [{ Name: 'Service', Value: 'web' }], Value: value, Timestamp: new Date(atMs) }] }));
  const alarm = async (name: string): Promise<MetricAlarm> => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0]!;
  const createTopic = () => fetch(sandbox.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `AWS4-HMAC-SHA256 Credential=test/20261201/${REGION}/sns/aws4_request, SignedHeaders=host, Signature=0` }, body: 'Action=CreateTopic&Name=alarms&Version=2010-03-31' });
  return { ...env, advanceTo, put, alarm, createTopic };
}

const base = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  Namespace: 'App',
  MetricName: 'Errors',
  Dimensions: [{ Name: 'Service', Value: 'web' }],
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 2,
  Threshold: 10,
  ComparisonOperator: 'GreaterThanThreshold',
  ...extra,
});

// Semantics: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
describe('sandbox: cloudwatch alarms (evaluating an alarm)', () => {
  test('goes to ALARM when M of the last N periods breach, back to OK when they stop, at period boundaries on the clock', async () => {
    const env = await start();
    await env.cw.send(new PutMetricAlarmCommand(base('errors-high', { TreatMissingData: 'notBreaching' })));
    expect(await env.alarm('errors-high')).toMatchObject({ StateValue: 'OK', AlarmArn: `arn:aws:cloudwatch:${REGION}:123456789012:alarm:errors-high` });

    // One breaching minute out of three: still OK.
    await env.put(25, T0 + 10_000);
    await env.advanceTo(T0 + 2 * MIN);
    expect((await env.alarm('errors-high')).StateValue).toBe('OK');
    // A second breaching minute: ALARM at the next period boundary.
    await env.put(7, T0 + 2 * MIN + 5_000);
    await env.put(6, T0 + 2 * MIN + 15_000);
    await env.advanceTo(T0 + 3 * MIN + 1);
    const fired = await env.alarm('errors-high');
    expect(fired.StateValue).toBe('ALARM');
    expect(fired.StateUpdatedTimestamp).toEqual(new Date(T0 + 3 * MIN));
    expect(fired.StateReason).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints was greater than the threshold \(10\)/);
    expect(JSON.parse(fired.StateReasonData!)).toMatchObject({ version: '1.0', statistic: 'Sum', period: 60, threshold: 10, recentDatapoints: [25, 0, 13].filter((v) => v > 0) });
    // Three quiet minutes (missing, not breaching): OK again.
    await env.advanceTo(T0 + 6 * MIN + 1);
    expect((await env.alarm('errors-high')).StateValue).toBe('OK');

    const history = await env.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'errors-high', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
    expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM', 'Alarm updated from ALARM to OK']);
  });

  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
  test('with no data at all: missing → INSUFFICIENT_DATA, ignore → state kept, breaching → ALARM, notBreaching → OK; partial data: ignore keeps the state', async () => {
    const env = await start();
    for (const t of ['missing', 'ignore', 'breaching', 'notBreaching'] as const) {
      await env.cw.send(new PutMetricAlarmCommand(base(`quiet-${t}`, { TreatMissingData: t })));
    }
    await env.advanceTo(T0 + 5 * MIN);
    const states = (await env.cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'quiet-' }))).MetricAlarms!.map((a) => [a.AlarmName, a.StateValue]);
    expect(states).toEqual([['quiet-breaching', 'ALARM'], ['quiet-ignore', 'INSUFFICIENT_DATA'], ['quiet-missing', 'INSUFFICIENT_DATA'], ['quiet-notBreaching', 'OK']]);
    expect((await env.alarm('quiet-breaching')).StateReason).toBe('Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].');

    // Data that breaches, then silence: ignore keeps ALARM, missing goes back to INSUFFICIENT_DATA.
    await env.put(50, T0 + 5 * MIN + 1000);
    await env.put(50, T0 + 6 * MIN + 1000);
    await env.advanceTo(T0 + 7 * MIN + 1);
    expect((await env.alarm('quiet-ignore')).StateValue).toBe('ALARM');
    expect((await env.alarm('quiet-missing')).StateValue).toBe('ALARM');
    // One breaching period left of three (M = 2): missing decides OK, ignore keeps ALARM.
    await env.advanceTo(T0 + 9 * MIN + 1);
    expect((await env.alarm('quiet-ignore')).StateValue).toBe('ALARM');
    expect((await env.alarm('quiet-missing')).StateValue).toBe('OK');
    await env.advanceTo(T0 + 12 * MIN);
    expect((await env.alarm('quiet-ignore')).StateValue).toBe('ALARM');
    expect((await env.alarm('quiet-missing')).StateValue).toBe('INSUFFICIENT_DATA');
  });

  test('state changes publish AWS-shaped notifications to the SNS topics of AlarmActions and OKActions; the history records each action', async () => {
    const env = await start();
    expect((await env.createTopic()).status).toBe(200);
    await env.cw.send(new PutMetricAlarmCommand(base('notify', { TreatMissingData: 'breaching', AlarmActions: [TOPIC], OKActions: [TOPIC], AlarmDescription: 'errors on web', EvaluationPeriods: 1, DatapointsToAlarm: 1 })));
    await env.put(1, T0 + 1000);
    await env.advanceTo(T0 + MIN + 1);
    const messages = env.sandbox.sns.messages(TOPIC);
    expect(messages.map((m) => m.subject)).toEqual([`ALARM: "notify" in ${REGION}`, `OK: "notify" in ${REGION}`]);
    const first = JSON.parse(messages[0]!.message);
    expect(first).toMatchObject({
      AlarmName: 'notify', AlarmDescription: 'errors on web', AWSAccountId: '123456789012', NewStateValue: 'ALARM', OldStateValue: 'INSUFFICIENT_DATA', Region: REGION,
      AlarmArn: `arn:aws:cloudwatch:${REGION}:123456789012:alarm:notify`, AlarmActions: [TOPIC],
      Trigger: { MetricName: 'Errors', Namespace: 'App', Statistic: 'SUM', Period: 60, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold', Threshold: 10, TreatMissingData: 'breaching', Dimensions: [{ name: 'Service', value: 'web' }] },
    });
    expect(JSON.parse(messages[1]!.message)).toMatchObject({ NewStateValue: 'OK', OldStateValue: 'ALARM' });
    const actions = await env.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'notify', HistoryItemType: 'Action' }));
    expect(actions.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual([`Successfully executed action ${TOPIC}`, `Successfully executed action ${TOPIC}`]);
  });

  test('an action to a topic that does not exist is recorded as failed', async () => {
    const env = await start();
    await env.cw.send(new PutMetricAlarmCommand(base('orphan', { TreatMissingData: 'breaching', AlarmActions: [`${TOPIC}-gone`] })));
    const items = await env.cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'orphan', HistoryItemType: 'Action' }));
    expect(items.AlarmHistoryItems?.[0]?.HistorySummary).toBe(`Failed to execute action ${TOPIC}-gone. Received error: "Topic does not exist"`);
  });

  test('SetAlarmState sets the state and runs its actions until the next evaluation', async () => {
    const env = await start();
    await env.createTopic();
    await env.cw.send(new PutMetricAlarmCommand(base('manual', { TreatMissingData: 'notBreaching', AlarmActions: [TOPIC] })));
    await env.cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'testing the pager' }));
    expect(await env.alarm('manual')).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing the pager' });
    expect(env.sandbox.sns.messages(TOPIC).map((m) => JSON.parse(m.message).NewStateReason)).toEqual(['testing the pager']);
    await env.advanceTo(T0 + MIN + 1);
    expect((await env.alarm('manual')).StateValue).toBe('OK');
    expect(await failure(env.cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })))).toMatchObject({ name: 'ResourceNotFound', status: 404 });
  });

  test('a metric-math alarm evaluates FILL() and arithmetic over its metrics', async () => {
    const env = await start();
    const stat = (id: string, metricName: string) => ({ Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'App', MetricName: metricName, Dimensions: [{ Name: 'Service', Value: 'web' }] }, Period: 300, Stat: 'Sum' } });
    await env.cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'unsuccessful', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
        Metrics: [stat('failed', 'Failed'), stat('aborted', 'Aborted'), { Id: 'total', Expression: 'FILL(failed, 0) + FILL(aborted, 0)', ReturnData: true }],
      }),
    );
    await env.advanceTo(T0 + 5 * MIN + 1);
    expect((await env.alarm('unsuccessful')).StateValue).toBe('OK');
    await env.put(1, T0 + 6 * MIN, 'Aborted');
    await env.advanceTo(T0 + 10 * MIN + 1);
    expect((await env.alarm('unsuccessful')).StateValue).toBe('ALARM');
    expect(await failure(env.cw.send(new PutMetricAlarmCommand({ AlarmName: 'bad-math', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', Metrics: [stat('a', 'Failed'), { Id: 'e', Expression: 'ANOMALY_DETECTION_BAND(a)' }] }))))
      .toMatchObject({ message: expect.stringContaining('ANOMALY_DETECTION_BAND is not supported') });
  });

  test('rejects alarms AWS rejects, and DeleteAlarms is all or nothing', async () => {
    const env = await start();
    expect(await failure(env.cw.send(new PutMetricAlarmCommand(base('x', { DatapointsToAlarm: 4 }))))).toMatchObject({ message: 'DatapointsToAlarm (4) must be less than or equal to EvaluationPeriods (3).' });
    expect(await failure(env.cw.send(new PutMetricAlarmCommand(base('x', { ExtendedStatistic: 'p99' }))))).toMatchObject({ name: 'InvalidParameterCombinationException' });
    expect(await failure(env.cw.send(new PutMetricAlarmCommand(base('x', { Period: 3600, EvaluationPeriods: 169, DatapointsToAlarm: 1 }))))).toMatchObject({ message: expect.stringContaining('must be at most 604800 seconds') });
    expect(await failure(env.cw.send(new PutMetricAlarmCommand(base('x', { Period: 45 }))))).toMatchObject({ name: 'InvalidParameterValueException' });
    await env.cw.send(new PutMetricAlarmCommand(base('keep')));
    expect(await failure(env.cw.send(new DeleteAlarmsCommand({ AlarmNames: ['keep', 'ghost'] })))).toMatchObject({ name: 'ResourceNotFound', message: 'Alarm ghost not found' });
    expect((await env.cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName)).toEqual(['keep']);
    await env.cw.send(new DeleteAlarmsCommand({ AlarmNames: ['keep'] }));
    expect((await env.cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  test('alarms and their state survive a restart and keep being evaluated', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'alarms-'));
    dirs.push(dataDir);
    const first = await start({ dataDir });
    await first.cw.send(new PutMetricAlarmCommand(base('durable', { TreatMissingData: 'breaching', EvaluationPeriods: 1, DatapointsToAlarm: 1 })));
    expect((await first.alarm('durable')).StateValue).toBe('ALARM');
    first.cw.destroy();
    await first.sandbox.stop();
    open.splice(0);
    const second = await start({ dataDir, startMs: T0 + 10 * MIN });
    expect((await second.alarm('durable')).StateValue).toBe('ALARM');
    await second.put(1, T0 + 10 * MIN + 1000);
    await second.advanceTo(T0 + 11 * MIN + 1);
    expect((await second.alarm('durable')).StateValue).toBe('OK');
  });
});

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html
describe('sandbox: cloudwatch GetMetricStatistics', () => {
  test('answers statistics per period, and percentiles as ExtendedStatistics', async () => {
    const env = await start({ startMs: T0 + 30 * MIN });
    for (const [v, s] of [[1, 10], [3, 20], [8, 70], [2, 80], [5, 90]] as const) await env.put(v, T0 + s * 1000);
    const out = await env.cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'web' }], StartTime: new Date(T0), EndTime: new Date(T0 + 5 * MIN), Period: 60, Statistics: ['Sum', 'Average', 'Maximum', 'SampleCount'] }),
    );
    expect(out.Label).toBe('Errors');
    expect(out.Datapoints?.map((d) => [d.Timestamp?.toISOString(), d.Sum, d.Average, d.Maximum, d.SampleCount, d.Unit])).toEqual([
      ['2026-12-01T00:00:00.000Z', 4, 2, 3, 2, 'None'],
      ['2026-12-01T00:01:00.000Z', 15, 5, 8, 3, 'None'],
    ]);
    const p = await env.cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'Errors', Dimensions: [{ Name: 'Service', Value: 'web' }], StartTime: new Date(T0), EndTime: new Date(T0 + 5 * MIN), Period: 300, ExtendedStatistics: ['p50'] }),
    );
    expect(p.Datapoints?.map((d) => d.ExtendedStatistics)).toEqual([{ p50: 3 }]);
  });

  test('rejects a request without statistics, or for more than 1,440 datapoints', async () => {
    const env = await start({ startMs: T0 + 30 * MIN });
    const q = { Namespace: 'App', MetricName: 'Errors', StartTime: new Date(T0), EndTime: new Date(T0 + 30 * MIN), Period: 60 };
    expect(await failure(env.cw.send(new GetMetricStatisticsCommand(q)))).toMatchObject({ name: 'InvalidParameterCombinationException', message: 'Must specify either Statistics or ExtendedStatistics.' });
    expect(await failure(env.cw.send(new GetMetricStatisticsCommand({ ...q, StartTime: new Date(T0 - 2 * 86400_000), Statistics: ['Sum'] })))).toMatchObject({
      name: 'InvalidParameterCombinationException', message: expect.stringContaining('which exceeds the limit of 1440'),
    });
  });
});
