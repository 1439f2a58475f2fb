import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, test } from 'vitest';
import { LambdaRegistry, parseFunctionName } from '../../../sandbox/lambda.js';
import { ROLE, sandboxWithClient } from './harness.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:greet';

describe('sandbox: Lambda registry', () => {
  // The FunctionName forms Lambda accepts. @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_RequestSyntax
  test('parses every FunctionName form Lambda accepts and refuses others', () => {
    expect(parseFunctionName('greet')).toEqual({ name: 'greet', qualifier: undefined });
    expect(parseFunctionName('greet:live')).toEqual({ name: 'greet', qualifier: 'live' });
    expect(parseFunctionName('123456789012:function:greet')).toEqual({ account: '123456789012', name: 'greet', qualifier: undefined });
    expect(parseFunctionName(`${ARN}:$LATEST`)).toEqual({ region: 'us-east-1', account: '123456789012', name: 'greet', qualifier: '$LATEST' });
    expect(parseFunctionName('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseFunctionName('has space')).toBeUndefined();
    expect(parseFunctionName('')).toBeUndefined();
  });

  test('resolves a full-ARN registration in its region only, a bare-name registration in every region', async () => {
    const lambdas = new LambdaRegistry({ defaultRegion: 'us-east-1' });
    lambdas.register(ARN, async (event) => ({ hello: event }));
    lambdas.register('everywhere', async () => 'ok');
    expect(await lambdas.invoke(ARN, { a: 1 })).toEqual({ kind: 'ok', payload: { hello: { a: 1 } } });
    expect(await lambdas.invoke('greet', 1, 'us-east-1')).toEqual({ kind: 'ok', payload: { hello: 1 } });
    expect(await lambdas.invoke('123456789012:function:greet:v2', 2)).toEqual({ kind: 'ok', payload: { hello: 2 } });
    expect((await lambdas.invoke('greet', 1, 'eu-west-1')).kind).toBe('service-error');
    expect(await lambdas.invoke('arn:aws:lambda:ap-south-1:123456789012:function:everywhere', null)).toEqual({ kind: 'ok', payload: 'ok' });
  });

  test('fails an unknown function with Lambda.ResourceNotFoundException naming its ARN, and a malformed one with Lambda.ValidationException', async () => {
    const lambdas = new LambdaRegistry({ defaultRegion: 'us-west-2' });
    const unknown = await lambdas.invoke('missing', {});
    expect(unknown).toMatchObject({ kind: 'service-error', error: 'Lambda.ResourceNotFoundException' });
    expect((unknown as { cause: string }).cause).toMatch(/^Function not found: arn:aws:lambda:us-west-2:123456789012:function:missing:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]+; Proxy: null\)$/);
    expect(await lambdas.invoke('not a name', {})).toMatchObject({ kind: 'service-error', error: 'Lambda.ValidationException' });
    expect(() => lambdas.register('not a name', async () => 1)).toThrow(/expected a function name/);
  });

  test('invokes as the Node.js runtime does: a fresh JSON event, a JSON result, error.name as the error type', async () => {
    const lambdas = new LambdaRegistry({ defaultRegion: 'us-east-1' });
    const payload = { when: new Date(0), list: [1] };
    let received: unknown;
    lambdas.register('copy', async (event, context) => {
      received = event;
      (event as { list: number[] }).list.push(2);
      return { fn: context.functionName, arn: context.invokedFunctionArn, nothing: undefined };
    });
    expect(await lambdas.invoke('copy:live', payload)).toEqual({ kind: 'ok', payload: { fn: 'copy', arn: 'arn:aws:lambda:us-east-1:123456789012:function:copy:live' } });
    expect(received).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [1, 2] });
    expect(payload.list).toEqual([1]);

    class ThrottledError extends Error {
      constructor(message: string) {
        super(message);
        this.name = 'Lifeboat.Throttled';
      }
    }
    lambdas.register('throws', async () => {
      throw new ThrottledError('slow down');
    });
    const thrown = await lambdas.invoke('throws', {});
    expect(thrown).toMatchObject({ kind: 'function-error', errorType: 'Lifeboat.Throttled', errorMessage: 'slow down' });
    expect((thrown as { trace: string[] }).trace[0]).toContain('slow down');
    lambdas.register('undefined', async () => undefined);
    expect(await lambdas.invoke('undefined', {})).toEqual({ kind: 'ok', payload: null });
  });

  test('an execution calling an unknown function fails with the error AWS gives', async () => {
    const { sandbox, sfn } = await sandboxWithClient({ engine: undefined });
    try {
      const definition = JSON.stringify({
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:nobody', Payload: {} }, End: true } },
      });
      const smArn = (await sfn.send(new CreateStateMachineCommand({ name: 'calls-nobody', definition, roleArn: ROLE }))).stateMachineArn!;
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn }));
      await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d.status).toBe('FAILED');
      expect(d.error).toBe('Lambda.ResourceNotFoundException');
      expect(d.cause).toContain('function:nobody');
    } finally {
      sfn.destroy();
      await sandbox.stop();
    }
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html: the default is 3 s;
  // a handler that overruns fails with Sandbox.Timedout, which Step Functions records as the error.
  test('a handler that overruns its function timeout ends the task with Sandbox.Timedout, as recorded on AWS', async () => {
    // GIVEN a function configured with a 1 s timeout whose handler never answers
    const env = await sandboxWithClient({ engine: undefined });
    try {
      env.sandbox.lambdas.register('slow', () => new Promise(() => {}), { timeoutSeconds: 1 });
      let remaining = 0;
      env.sandbox.lambdas.register('default', (_e, context) => ((remaining = context.getRemainingTimeInMillis()), 'ok'));
      const definition = JSON.stringify({ StartAt: 'Default', States: {
        Default: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:default', ResultPath: null, Next: 'Slow' },
        Slow: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:slow', End: true },
      } });
      const { stateMachineArn } = await env.sfn.send(new CreateStateMachineCommand({ name: 'timeouts', definition, roleArn: ROLE }));
      // WHEN it runs
      const { executionArn } = await env.sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
      await env.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
      // THEN the task failed with Lambda's timeout error and message, and the default timeout was 3 s
      const d = await env.sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d.status).toBe('FAILED');
      expect(d.error).toBe('Sandbox.Timedout');
      expect(JSON.parse(d.cause!)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) });
      expect(remaining).toBeGreaterThan(2_000);
      expect(remaining).toBeLessThanOrEqual(3_000);
      expect(() => env.sandbox.lambdas.register('bad', async () => 1, { timeoutSeconds: 901 })).toThrow(/timeoutSeconds: expected an integer from 1 to 900/);
    } finally {
      env.sfn.destroy();
      await env.sandbox.stop();
    }
  });
});
