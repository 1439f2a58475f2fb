import { CloudWatchClient, CloudWatchServiceException, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { handler } from '../../tasks/record-failure/handler.js';
import { captureLogs, envelope, rejectionOf } from './helpers.js';

const cw = mockClient(CloudWatchClient);

const input = (over: Record<string, unknown> = {}) => ({
  kind: 'failover',
  planName: 'shop',
  region: 'us-west-2',
  step: 'Launch in region',
  error: 'Lifeboat.Capacity',
  cause: JSON.stringify({ errorType: 'Lifeboat.Capacity', errorMessage: 'launch in us-west-2: web/i-0a1b2c3d4e5f60001 (critical): no capacity on any rung' }),
  failedAtRedriveCount: 0,
  isFinal: true,
  ...over,
});

describe('task: record-failure', () => {
  beforeEach(() => {
    captureLogs();
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
  });
  afterEach(() => vi.restoreAllMocks());

  test('fails the run with Lifeboat.StepFailed naming the step and the cause, after publishing the failure', async () => {
    const error = await rejectionOf(handler(envelope('record-failure', input())));
    expect(error.name).toBe('Lifeboat.StepFailed');
    expect(error.message).toBe('step "Launch in region" failed with Lifeboat.Capacity: launch in us-west-2: web/i-0a1b2c3d4e5f60001 (critical): no capacity on any rung');
    const data = cw.commandCalls(PutMetricDataCommand)[0].args[0].input.MetricData!;
    expect(data.map((d) => [d.MetricName, d.Value, d.Dimensions])).toEqual([
      ['StepFailures', 1, [{ Name: 'Plan', Value: 'shop' }]],
      ['RecoverySucceeded', 0, [{ Name: 'Plan', Value: 'shop' }, { Name: 'Mode', Value: 'failover' }]],
    ]);
  });

  test('names the step once when the task\'s own message already starts with it (an unreachable endpoint)', async () => {
    const errorMessage = 'step "Launch in region" (task launch-in-region): EC2 in us-west-2 is unreachable at http://127.0.0.1:4566: expected an answer to RunInstances within 30 s';
    const error = await rejectionOf(handler(envelope('record-failure', input({ error: 'Lifeboat.Transient', cause: JSON.stringify({ errorType: 'Lifeboat.Transient', errorMessage }) }))));
    expect(error.message).toBe('step "Launch in region" failed with Lifeboat.Transient: EC2 in us-west-2 is unreachable at http://127.0.0.1:4566: expected an answer to RunInstances within 30 s');
  });

  test('keeps a cause that names another step as it is', async () => {
    const errorMessage = 'step "Copy images" (task copy): EC2 in us-west-2 is unreachable';
    const error = await rejectionOf(handler(envelope('record-failure', input({ error: 'Lifeboat.Transient', cause: JSON.stringify({ errorType: 'Lifeboat.Transient', errorMessage }) }))));
    expect(error.message).toBe(`step "Launch in region" failed with Lifeboat.Transient: ${errorMessage}`);
  });

  test('returns resume: false in a drill so the path goes on to tear down', async () => {
    expect(await handler(envelope('record-failure', input({ kind: 'drill', isFinal: false })))).toEqual({ resume: false });
  });

  test('answers resume: true, publishing nothing, when the run was redriven after the failure', async () => {
    expect(await handler(envelope('record-failure', input(), { redriveCount: 1 }))).toEqual({ resume: true });
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  test('accepts a missing cause', async () => {
    const error = await rejectionOf(handler(envelope('record-failure', input({ cause: undefined, error: 'States.Timeout' }))));
    expect(error.message).toBe('step "Launch in region" failed with States.Timeout: no cause given');
  });

  test('fails with Lifeboat.Throttled (retried by the workflow) when CloudWatch throttles', async () => {
    cw.on(PutMetricDataCommand).rejects(new CloudWatchServiceException({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' }));
    expect((await rejectionOf(handler(envelope('record-failure', input())))).name).toBe('Lifeboat.Throttled');
  });

  test('fails with Lifeboat.InvalidInput when CloudWatch rejects the data (a permanent error)', async () => {
    const rejected = Object.assign(
      new CloudWatchServiceException({ name: 'InvalidParameterValueException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'The value for parameter Namespace is invalid' }),
      { Code: 'InvalidParameterValue' },
    );
    cw.on(PutMetricDataCommand).rejects(rejected);
    expect((await rejectionOf(handler(envelope('record-failure', input())))).name).toBe('Lifeboat.InvalidInput');
  });

  test('publishes the failure once per failure, not again when the redriven run resumes', async () => {
    await rejectionOf(handler(envelope('record-failure', input())));
    await handler(envelope('record-failure', input(), { redriveCount: 1 }));
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(1);
  });

  test('rejects a negative failedAtRedriveCount naming the path', async () => {
    const error = await rejectionOf(handler(envelope('record-failure', input({ failedAtRedriveCount: -1 }))));
    expect(error.name).toBe('Lifeboat.InvalidInput');
    expect(error.message).toContain('input.failedAtRedriveCount');
  });
});
