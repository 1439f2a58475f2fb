import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/check-overlap/handler.js';
import { EXECUTION_ARN, captureLogs, envelope, rejectionOf } from './helpers.js';

const sfn = mockClient(SFNClient);
const cw = mockClient(CloudWatchClient);
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:lifeboat-shop-backup';
const EARLIER = 'arn:aws:states:us-east-1:123456789012:execution:lifeboat-shop-backup:backup-earlier';
const input = { planName: 'shop', region: 'us-east-1' };

describe('task: check-overlap', () => {
  beforeEach(() => {
    captureLogs();
    sfn.reset();
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
  });
  afterEach(() => vi.restoreAllMocks());

  test('lists RUNNING executions of its own machine and, with only itself running, goes on without a metric', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [{ executionArn: EXECUTION_ARN, stateMachineArn: MACHINE, name: 'me', status: 'RUNNING', startDate: new Date('2026-11-25T10:31:00Z') }] });
    expect(await handler(envelope('check-overlap', input))).toEqual({ isPreviousRunning: false, previous: [] });
    expect(sfn.commandCalls(ListExecutionsCommand)[0]!.args[0].input).toMatchObject({ stateMachineArn: MACHINE, statusFilter: 'RUNNING' });
    expect(cw.commandCalls(PutMetricDataCommand)).toEqual([]);
  });

  test('reports an earlier running backup and publishes BackupSkipped', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: EXECUTION_ARN, stateMachineArn: MACHINE, name: 'me', status: 'RUNNING', startDate: new Date('2026-11-25T10:31:00Z') },
        { executionArn: EARLIER, stateMachineArn: MACHINE, name: 'earlier', status: 'RUNNING', startDate: new Date('2026-11-25T06:31:00Z') },
      ],
    });
    expect(await handler(envelope('check-overlap', input))).toEqual({ isPreviousRunning: true, previous: [{ executionArn: EARLIER, startDate: '2026-11-25T06:31:00.000Z' }] });
    const datum = cw.commandCalls(PutMetricDataCommand)[0]!.args[0].input.MetricData![0]!;
    expect(datum).toMatchObject({ MetricName: 'BackupSkipped', Value: 1, Dimensions: [{ Name: 'Plan', Value: 'shop' }] });
  });

  test('fails with Lifeboat.Throttled when ListExecutions is throttled (the workflow retries)', async () => {
    sfn.on(ListExecutionsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }));
    expect((await rejectionOf(handler(envelope('check-overlap', input)))).name).toBe('Lifeboat.Throttled');
  });
});
