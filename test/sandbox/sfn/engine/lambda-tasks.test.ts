import { describe, expect, test } from 'vitest';
import { chain, details, eventOf, fnArn, namedError, outputOf, REGION, run, start, T0, testHost } from './helpers.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';

/** Waits (on macrotasks, no wall-clock sleep) until `cond` holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
describe('engine: Task states calling Lambda', () => {
  test('a function ARN resource writes LambdaFunction* events and its payload is the result', async () => {
    const exec = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('add'), TimeoutSeconds: 30, End: true } } }, {
      input: { a: 1, b: 2 }, functions: { add: (p) => ({ sum: p.a + p.b }) },
    });
    expect(outputOf(exec)).toEqual({ sum: 3 });
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'TaskStateEntered 2←0', 'LambdaFunctionScheduled 3←2', 'LambdaFunctionStarted 4←3',
      'LambdaFunctionSucceeded 5←4', 'TaskStateExited 6←5', 'ExecutionSucceeded 7←6',
    ]);
    expect(details(eventOf(exec, 'LambdaFunctionScheduled'))).toEqual({ resource: fnArn('add'), input: '{"a":1,"b":2}', inputDetails: { truncated: false }, timeoutInSeconds: 30 });
    expect(Object.keys(eventOf(exec, 'LambdaFunctionStarted'))).toEqual(['timestamp', 'type', 'id', 'previousEventId']);
    expect(details(eventOf(exec, 'LambdaFunctionSucceeded'))).toEqual({ output: '{"sum":3}', outputDetails: { truncated: false } });
  });

  test('lambda:invoke writes Task* events with resourceType lambda and wraps the result as the Invoke API answers', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: fnArn('f'), 'Payload.$': '$' }, End: true } } };
    const exec = await run(def, { input: { x: 1 }, functions: { f: (p) => ({ got: p.x }) } });
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'TaskStateEntered 2←0', 'TaskScheduled 3←2', 'TaskStarted 4←3', 'TaskSucceeded 5←4', 'TaskStateExited 6←5', 'ExecutionSucceeded 7←6',
    ]);
    expect(details(eventOf(exec, 'TaskScheduled'))).toEqual({
      resourceType: 'lambda', resource: 'invoke', region: REGION, parameters: JSON.stringify({ FunctionName: fnArn('f'), Payload: { x: 1 } }),
    });
    expect(details(eventOf(exec, 'TaskStarted'))).toEqual({ resourceType: 'lambda', resource: 'invoke' });
    const out = outputOf(exec) as Record<string, any>;
    expect(Object.keys(out)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.Payload).toEqual({ got: 1 });
    expect(out.StatusCode).toBe(200);
    expect(out.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(out.SdkResponseMetadata.RequestId).toBe(out.SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']);
    expect(details(eventOf(exec, 'TaskSucceeded')).output).toBe(JSON.stringify(out));
  });

  test('lambda:invoke with ResultSelector picks the Payload', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f', Payload: {} }, ResultSelector: { 'p.$': '$.Payload' }, End: true } } };
    expect(outputOf(await run(def, { functions: { f: () => 42 } }))).toEqual({ p: 42 });
  });

  test("a function error fails with the function's errorType and the runtime's error JSON as cause", async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f' }, End: true } } };
    const exec = await run(def, { functions: { f: () => { throw namedError('Lifeboat.Throttled', 'slow down'); } } });
    expect(exec.status).toBe('FAILED');
    expect(details(eventOf(exec, 'TaskFailed'))).toEqual({
      resourceType: 'lambda', resource: 'invoke', error: 'Lifeboat.Throttled',
      cause: JSON.stringify({ errorType: 'Lifeboat.Throttled', errorMessage: 'slow down', trace: ['Lifeboat.Throttled: slow down'] }),
    });
    expect(chain(exec).slice(-2)).toEqual(['TaskFailed 5←4', 'ExecutionFailed 6←5']);
    expect(exec.error).toBe('Lifeboat.Throttled');
  });

  test.each([
    ['absent', undefined, {}],
    ['null', null, {}],
    ['a JSON text string', '"HelloWorld"', 'HelloWorld'],
    ['an object', { a: 1 }, { a: 1 }],
  ])('a Payload that is %s reaches the function as recorded on AWS', async (_n, payload, expected) => {
    const params: Record<string, unknown> = { FunctionName: 'f' };
    if (payload !== undefined) params.Payload = payload;
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: params, ResultSelector: { 'p.$': '$.Payload' }, End: true } } };
    expect(outputOf(await run(def, { functions: { f: (p) => p } }))).toEqual({ p: expected });
  });

  test('an unknown function fails with the host error (Lambda.ResourceNotFoundException)', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'missing' }, End: true } } };
    const exec = await run(def);
    expect(exec.error).toBe('Lambda.ResourceNotFoundException');
    expect(exec.cause).toContain('Function not found');
  });

  test('fails with States.Timeout (LambdaFunctionTimedOut) when the function outlives TimeoutSeconds', async () => {
    const host = testHost();
    // the function never answers: only the task timer can end it. Its invocation is left untracked
    // so that the virtual clock may jump to the timeout instead of waiting for wall time.
    host.invokeLambda = () => new Promise(() => {});
    host.clock.track = <T>(work: Promise<T>) => work;
    const { exec } = start({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), TimeoutSeconds: 1, End: true } } }, { host });
    await exec.whenClosed();
    expect(exec.error).toBe('States.Timeout');
    expect(details(eventOf(exec, 'LambdaFunctionTimedOut'))).toEqual({ error: 'States.Timeout' });
  });

  test('TimeoutSecondsPath reads the timeout from the input', async () => {
    const exec = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fnArn('f'), TimeoutSecondsPath: '$.t', End: true } } }, { input: { t: 12 }, functions: { f: () => 1 } });
    expect(details(eventOf(exec, 'LambdaFunctionScheduled')).timeoutInSeconds).toBe(12);
  });
});

// https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
describe('engine: .waitForTaskToken', () => {
  const def = (extra: object = {}) => ({
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task', Resource: `${INVOKE}.waitForTaskToken`, End: true,
        Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
        ...extra,
      },
    },
  });

  test('waits for SendTaskSuccess: TaskSubmitted carries the invoke result, TaskSucceeded the sent output', async () => {
    let token = '';
    const { exec } = start(def(), { functions: { notify: (p) => { token = p.token; return 'sent'; } } });
    await until(() => exec.events.some((e) => e.type === 'TaskSubmitted'), 'TaskSubmitted');
    expect(exec.hasTaskToken(token)).toBe(true);
    expect(exec.sendTaskSuccess(token, '{"approved":true}')).toBe('ok');
    await exec.whenClosed();
    expect(outputOf(exec)).toEqual({ approved: true });
    expect(chain(exec)).toEqual([
      'ExecutionStarted 1←0', 'TaskStateEntered 2←0', 'TaskScheduled 3←2', 'TaskStarted 4←3', 'TaskSubmitted 5←4',
      'TaskSucceeded 6←5', 'TaskStateExited 7←6', 'ExecutionSucceeded 8←7',
    ]);
    expect(details(eventOf(exec, 'TaskScheduled')).resource).toBe('invoke.waitForTaskToken');
    expect(JSON.parse(details(eventOf(exec, 'TaskSubmitted')).output).Payload).toBe('sent');
    expect(exec.hasTaskToken(token)).toBe(false);
    expect(exec.sendTaskSuccess(token, '{}')).toBe('unknown');
  });

  test('a token sent from inside the function itself completes the task', async () => {
    let execRef: { sendTaskSuccess(t: string, o: string): string } | undefined;
    const { exec } = start(def(), { functions: { notify: (p) => { execRef!.sendTaskSuccess(p.token, '"early"'); return null; } } });
    execRef = exec;
    await exec.whenClosed();
    expect(outputOf(exec)).toBe('early');
  });

  test('SendTaskFailure fails the task with the given error and cause', async () => {
    let token = '';
    const { exec } = start(def(), { functions: { notify: (p) => { token = p.token; return null; } } });
    await until(() => token !== '' && exec.hasTaskToken(token), 'token');
    expect(exec.sendTaskFailure(token, 'Rejected', 'no')).toBe('ok');
    await exec.whenClosed();
    expect(exec.error).toBe('Rejected');
    expect(details(eventOf(exec, 'TaskFailed'))).toEqual({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', error: 'Rejected', cause: 'no' });
  });

  test('HeartbeatSeconds expiry fails with TaskTimedOut States.Timeout; heartbeats push it back', async () => {
    let token = '';
    const { exec, host } = start(def({ HeartbeatSeconds: 10, TimeoutSeconds: 100 }), { functions: { notify: (p) => { token = p.token; return null; } } });
    await until(() => exec.events.some((e) => e.type === 'TaskSubmitted'), 'TaskSubmitted');
    host.clock.setTimer(T0 + 6_000, () => exec.sendTaskHeartbeat(token));
    await exec.whenClosed();
    expect(exec.error).toBe('States.Timeout');
    const timedOut = eventOf(exec, 'TaskTimedOut');
    expect(details(timedOut)).toEqual({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', error: 'States.Timeout' });
    expect(Math.round(timedOut.timestamp - T0 / 1000)).toBe(16);
    expect(details(eventOf(exec, 'TaskScheduled'))).toMatchObject({ timeoutInSeconds: 100, heartbeatInSeconds: 10 });
  });

  test('TimeoutSeconds caps the task even with heartbeats', async () => {
    let token = '';
    const { exec, host } = start(def({ HeartbeatSeconds: 10, TimeoutSeconds: 25 }), { functions: { notify: (p) => { token = p.token; return null; } } });
    await until(() => exec.events.some((e) => e.type === 'TaskSubmitted'), 'TaskSubmitted');
    for (const s of [5, 12, 19, 24]) host.clock.setTimer(T0 + s * 1000, () => exec.sendTaskHeartbeat(token));
    await exec.whenClosed();
    expect(Math.round(eventOf(exec, 'TaskTimedOut').timestamp - T0 / 1000)).toBe(25);
  });

  test('a Catch on States.HeartbeatTimeout catches a heartbeat expiry (the event still says States.Timeout)', async () => {
    const machine = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task', Resource: `${INVOKE}.waitForTaskToken`, HeartbeatSeconds: 5, Next: 'Caught',
          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Caught' }],
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const exec = await run(machine, { functions: { notify: () => null } });
    expect(outputOf(exec)).toEqual({ Error: 'States.Timeout', Cause: '' });
    expect(details(eventOf(exec, 'TaskTimedOut')).error).toBe('States.Timeout');
  });

  test('a TimeoutSeconds expiry is not caught by States.HeartbeatTimeout', async () => {
    const machine = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task', Resource: `${INVOKE}.waitForTaskToken`, TimeoutSeconds: 5, End: true,
          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Caught' }],
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const exec = await run(machine, { functions: { notify: () => null } });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('States.Timeout');
  });
});
