import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { OperationError } from '../../../cli/errors.js';
import { deployOperations } from '../../../cli/local/operations.js';
import { parsePlan, type Plan } from '../../../schemas/plan.js';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { examplePlan } from '../../e2e/helpers.js';

const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);
const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
let sandbox: Sandbox | undefined;
const clients: { destroy(): void }[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await sandbox?.stop();
  sandbox = undefined;
});

function withSchedule(plan: Plan, schedule: string): Plan {
  return parsePlan({ ...JSON.parse(JSON.stringify(plan)), backup: { ...plan.backup, schedule } }, 'plan.json');
}

describe('cli: local deployment of a plan’s schedules and alarms', () => {
  test('creates the plan schedules (backup, drill, the RPO publisher, the two collectors) and the five alarms; a new rate schedule starts one interval after deployment', async () => {
    sandbox = await startSandbox({ startMs: T0, log: () => {} });
    const plan = examplePlan('small');
    const deployed = await deployOperations(plan, { endpoint: sandbox.endpoint, credentials });
    expect(Object.keys(deployed.schedules)).toEqual(['backup', 'drill', 'publish-rpo', 'collect-primary', 'collect-recovery']);
    expect(Object.keys(deployed.alarms).sort()).toEqual(['backup-failed', 'drill-failed', 'failover-failed', 'no-successful-drill', 'rpo-breached']);
    const scheduler = new SchedulerClient({ region: plan.primaryRegion, endpoint: sandbox.endpoint, credentials });
    clients.push(scheduler);
    const backup = await scheduler.send(new GetScheduleCommand({ Name: 'lifeboat-wiki-backup' }));
    expect(backup).toMatchObject({ ScheduleExpression: 'rate(4 hours)', ScheduleExpressionTimezone: 'UTC', State: 'ENABLED', Target: { Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:lifeboat-wiki-backup', Input: '{}' } });
    expect(Math.abs(backup.StartDate!.getTime() - (T0 + 4 * 3600_000))).toBeLessThan(5_000);
    const cw = new CloudWatchClient({ region: plan.recoveryRegion, endpoint: sandbox.endpoint, credentials });
    clients.push(cw);
    const alarms = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms!;
    expect(alarms.map((a) => [a.AlarmName, a.AlarmActions])).toEqual([
      ['lifeboat-wiki-drill-failed', ['arn:aws:sns:us-west-2:123456789012:lifeboat-wiki-alarms']],
      ['lifeboat-wiki-failover-failed', ['arn:aws:sns:us-west-2:123456789012:lifeboat-wiki-alarms']],
      ['lifeboat-wiki-no-successful-drill', ['arn:aws:sns:us-west-2:123456789012:lifeboat-wiki-alarms']],
      ['lifeboat-wiki-rpo-breached', ['arn:aws:sns:us-west-2:123456789012:lifeboat-wiki-alarms']],
    ]);
  });

  test('redeploying leaves an unchanged schedule alone (an operator’s DISABLED stays) and updates a changed one, starting it one interval later', async () => {
    sandbox = await startSandbox({ startMs: T0, log: () => {} });
    const plan = examplePlan('small');
    await deployOperations(plan, { endpoint: sandbox.endpoint, credentials });
    const scheduler = new SchedulerClient({ region: plan.recoveryRegion, endpoint: sandbox.endpoint, credentials });
    clients.push(scheduler);
    const drill = await scheduler.send(new GetScheduleCommand({ Name: 'lifeboat-wiki-drill' }));
    await scheduler.send(new UpdateScheduleCommand({ Name: drill.Name, ScheduleExpression: drill.ScheduleExpression, FlexibleTimeWindow: drill.FlexibleTimeWindow, Target: drill.Target, State: 'DISABLED' }));

    await deployOperations(withSchedule(plan, 'rate(6 hours)'), { endpoint: sandbox.endpoint, credentials });
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'lifeboat-wiki-drill' }))).State).toBe('DISABLED');
    const primary = new SchedulerClient({ region: plan.primaryRegion, endpoint: sandbox.endpoint, credentials });
    clients.push(primary);
    const backup = await primary.send(new GetScheduleCommand({ Name: 'lifeboat-wiki-backup' }));
    expect(backup.ScheduleExpression).toBe('rate(6 hours)');
    expect(Math.abs(backup.StartDate!.getTime() - (T0 + 6 * 3600_000))).toBeLessThan(5_000);
  });

  test('an address that answers Scheduler but is not a Lifeboat sandbox is an operator error naming the clock read and what to do, not an internal error', async () => {
    // Answers every Scheduler GetSchedule with ResourceNotFoundException, and everything else 404.
    const server: Server = createServer((req, res) => {
      req.resume();
      if (req.method === 'GET' && req.url?.startsWith('/schedules/')) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Message: 'Schedule not found' }));
        return;
      }
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>not here</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const failure = await deployOperations(examplePlan('small'), { endpoint, credentials }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(OperationError);
      expect((failure as OperationError).message).toContain(`read its clock (POST ${endpoint}/_sandbox/clock)`);
      expect((failure as OperationError).message).toContain('found 404 <html>not here</html>');
      expect((failure as OperationError).hint).toContain("'lifeboat sandbox'");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('an SNS topic the sandbox refuses (a .fifo name without FifoTopic) is an operator error naming CreateTopic, the region and SNS’s answer', async () => {
    sandbox = await startSandbox({ startMs: T0, log: () => {} });
    const base = examplePlan('small');
    const plan = parsePlan(
      { ...JSON.parse(JSON.stringify(base)), notifications: { ...base.notifications, snsTopicArn: `arn:aws:sns:${base.recoveryRegion}:123456789012:oncall.fifo` } },
      'plan.json',
    );
    const failure = await deployOperations(plan, { endpoint: sandbox.endpoint, credentials }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OperationError);
    expect((failure as OperationError).message).toMatch(
      new RegExp(`^deploy to the sandbox › SNS CreateTopic "oncall\\.fifo" in ${base.recoveryRegion}: expected success, found 400 InvalidParameter(?:Exception)?: Invalid parameter`),
    );
    expect((failure as OperationError).hint).toContain('lifeboat plan check');
  });
});

