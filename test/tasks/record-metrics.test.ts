import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/record-metrics/handler.js';
import { captureLogs, envelope, rejectionOf } from './helpers.js';

const cw = mockClient(CloudWatchClient);

/** A CloudWatch error as the SDK raises it (aws-api-reference.md §3.1: an unmapped code keeps its name). */
function cwError(name: string, status: number): CloudWatchServiceException {
  return new CloudWatchServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

describe('task: record-metrics', () => {
  beforeEach(() => {
    captureLogs();
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
  });
  afterEach(() => vi.restoreAllMocks());

  test('publishes the backup RPO (now − recovery point) and success with the Plan dimension', async () => {
    const out = await handler(
      envelope('record-metrics', { kind: 'backup', planName: 'shop', region: 'us-east-1', outcome: 'SUCCEEDED', startedAt: '2026-11-25T10:30:00.000Z', recoveryPointTime: '2026-11-25T10:30:00.000Z', workloadCount: 3 }, { stateEnteredTime: '2026-11-25T10:52:30.000Z' }),
    );
    expect(out.metrics).toEqual([
      { name: 'RecoveryPointAgeSeconds', value: 1350, unit: 'Seconds' },
      { name: 'BackupSucceeded', value: 1, unit: 'Count' },
    ]);
    const call = cw.commandCalls(PutMetricDataCommand)[0].args[0].input;
    expect(call.Namespace).toBe('Lifeboat');
    expect(call.MetricData![0]).toEqual({
      MetricName: 'RecoveryPointAgeSeconds',
      Value: 1350,
      Unit: 'Seconds',
      Dimensions: [{ Name: 'Plan', Value: 'shop' }],
      Timestamp: new Date('2026-11-25T10:52:30.000Z'),
    });
  });

  test('publishes the drill RTO (readyAt − startedAt) with Plan and Mode dimensions', async () => {
    const out = await handler(
      envelope('record-metrics', { kind: 'drill', planName: 'shop', region: 'us-west-2', outcome: 'SUCCEEDED', startedAt: '2026-11-25T03:00:00.000Z', readyAt: '2026-11-25T03:14:10.000Z', workloadCount: 3 }),
    );
    expect(out.metrics).toEqual([
      { name: 'RecoveryTimeSeconds', value: 850, unit: 'Seconds' },
      { name: 'RecoverySucceeded', value: 1, unit: 'Count' },
    ]);
    expect(cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData![1].Dimensions).toEqual([
      { Name: 'Plan', Value: 'shop' },
      { Name: 'Mode', Value: 'drill' },
    ]);
  });

  test('publishes only the 0 success metric for a failed backup', async () => {
    const out = await handler(envelope('record-metrics', { kind: 'backup', planName: 'shop', region: 'us-east-1', outcome: 'FAILED', startedAt: '2026-11-25T10:30:00.000Z', recoveryPointTime: '2026-11-25T10:30:00.000Z', workloadCount: 3 }));
    expect(out.metrics).toEqual([{ name: 'BackupSucceeded', value: 0, unit: 'Count' }]);
  });

  test('fails with Lifeboat.Throttled when CloudWatch throttles', async () => {
    cw.on(PutMetricDataCommand).rejects(cwError('Throttling', 400));
    const error = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    expect(error.name).toBe('Lifeboat.Throttled');
  });

  test('fails with Lifeboat.Transient on an internal CloudWatch fault', async () => {
    cw.on(PutMetricDataCommand).rejects(cwError('InternalServiceFault', 500));
    const error = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    expect(error.name).toBe('Lifeboat.Transient');
  });

  test('fails with Lifeboat.InvalidInput when CloudWatch rejects a value', async () => {
    const error = Object.assign(cwError('InvalidParameterValueException', 400), { Code: 'InvalidParameterValue' });
    cw.on(PutMetricDataCommand).rejects(error);
    const thrown = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    expect(thrown.name).toBe('Lifeboat.InvalidInput');
  });

  test('fails with Lifeboat.NotFound when CloudWatch answers ResourceNotFound', async () => {
    cw.on(PutMetricDataCommand).rejects(Object.assign(cwError('ResourceNotFound', 404), { Code: 'ResourceNotFound' }));
    const thrown = await rejectionOf(handler(envelope('record-metrics', { kind: 'failover', planName: 'shop', region: 'us-west-2', outcome: 'FAILED', startedAt: '2026-11-25T03:00:00.000Z', workloadCount: 1 })));
    // ResourceNotFound has no ".NotFound" suffix: the table maps it to Unexpected, not NotFound.
    expect(thrown.name).toBe('Lifeboat.Unexpected');
  });

  test('publishes the same data again when retried (it creates no EC2 resource)', async () => {
    const event = envelope('record-metrics', { kind: 'backup', planName: 'shop', region: 'us-east-1', outcome: 'SUCCEEDED', startedAt: '2026-11-25T10:30:00.000Z', recoveryPointTime: '2026-11-25T10:30:00.000Z', workloadCount: 3 });
    await handler(event);
    await handler(event);
    const [first, second] = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(second).toEqual(first);
  });
});
