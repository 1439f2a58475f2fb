/**
 * Callbacks (`.waitForTaskToken` with SendTaskSuccess/Failure/Heartbeat, TimeoutSeconds and
 * HeartbeatSeconds expiry) and StopExecution.
 *
 * The recordings (localstack's tests/aws/services/stepfunctions/v2/callback/test_callback.snapshot.json
 * and timeouts/test_heartbeats.snapshot.json) use `arn:aws:states:::sqs:sendMessage.waitForTaskToken`;
 * the sandbox integrates Lambda only, so these cases use `arn:aws:states:::lambda:invoke.waitForTaskToken`
 * and keep every recorded fact that does not depend on the service: the event sequence, ids and
 * previousEventIds, `timeoutInSeconds`/`heartbeatInSeconds` on TaskScheduled, the TaskSucceeded
 * output (the SendTaskSuccess output), TaskFailed without error/cause when SendTaskFailure gives
 * none (caught as `{"Error": null, "Cause": null}`), TaskTimedOut and ExecutionFailed carrying
 * only `error: "States.Timeout"`. The TaskSubmitted output is the Lambda Invoke response, as the
 * lambda:invoke TaskSucceeded output recorded in services/test_lambda_task_service.snapshot.json.
 */
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { ROLE, type ConformanceCase, type ExpectedEvent } from '../harness.js';

const T = { truncated: false };
const INPUT = { Message: 'test_message_txt' };
const LAMBDA_WAIT = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };

/** The function the callback tasks call: it returns at once (null); the task waits for its token. */
const notify = (): null => null;

/** The Lambda Invoke response for a `null` payload, as the lambda:invoke integration reports it. */
function invokeResponse(): Record<string, unknown> {
  return {
    ExecutedVersion: '$LATEST',
    Payload: null,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': ['$LATEST'],
        'x-amzn-Remapped-Content-Length': ['0'],
        Connection: ['keep-alive'],
        'x-amzn-RequestId': 'x-amzn-RequestId',
        'Content-Length': ['4'],
        Date: 'date',
        'X-Amzn-Trace-Id': 'X-Amzn-Trace-Id',
        'Content-Type': ['application/json'],
      },
      HttpHeaders: {
        Connection: 'keep-alive',
        'Content-Length': '4',
        'Content-Type': 'application/json',
        Date: 'date',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': 'x-amzn-RequestId',
        'X-Amzn-Trace-Id': 'X-Amzn-Trace-Id',
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: 'RequestId' },
    StatusCode: 200,
  };
}

/** A one-Task machine waiting for a token; `extra` adds TimeoutSeconds, HeartbeatSeconds, Catch… */
function waitForToken(stateName: string, extra: Record<string, unknown> = {}, states: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    StartAt: stateName,
    States: {
      [stateName]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'notify', Payload: { 'Message.$': '$.Message', 'TaskToken.$': '$$.Task.Token' } },
        ...extra,
        ...(extra.Next ? {} : { End: true }),
      },
      ...states,
    },
  };
}

/** The events up to TaskSubmitted, shared by every callback case. */
function submitted(stateName: string, timing: { timeoutInSeconds?: number; heartbeatInSeconds?: number } = {}): ExpectedEvent[] {
  return [
    ['ExecutionStarted', 1, 0, { input: INPUT, inputDetails: T, roleArn: ROLE }],
    ['TaskStateEntered', 2, 0, { input: INPUT, inputDetails: T, name: stateName }],
    [
      'TaskScheduled',
      3,
      2,
      {
        parameters: { FunctionName: 'notify', Payload: { Message: 'test_message_txt', TaskToken: '<token>' } },
        region: 'us-east-1',
        ...LAMBDA_WAIT,
        ...timing,
      },
    ],
    ['TaskStarted', 4, 3, LAMBDA_WAIT],
    ['TaskSubmitted', 5, 4, { output: invokeResponse(), outputDetails: T, ...LAMBDA_WAIT }],
  ];
}

export const cases: ConformanceCase[] = [
  {
    // callback/test_callback.py::TestCallback::test_sqs_wait_for_task_tok_with_heartbeat (recorded 18-04-2024)
    name: 'waitForTaskToken: heartbeat then SendTaskSuccess; heartbeats write no event [test_callback::test_sqs_wait_for_task_tok_with_heartbeat]',
    definition: waitForToken('SendMessageWithWait', { HeartbeatSeconds: 60, TimeoutSeconds: 600 }),
    input: INPUT,
    lambdas: { notify },
    async drive({ sfn, taskToken }) {
      const token = await taskToken('TaskToken');
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify('test_message_txt') }));
    },
    expect: { status: 'SUCCEEDED', output: 'test_message_txt' },
    history: [
      ...submitted('SendMessageWithWait', { heartbeatInSeconds: 60, timeoutInSeconds: 600 }),
      ['TaskSucceeded', 6, 5, { output: 'test_message_txt', outputDetails: T, ...LAMBDA_WAIT }],
      ['TaskStateExited', 7, 6, { name: 'SendMessageWithWait', output: 'test_message_txt', outputDetails: T }],
      ['ExecutionSucceeded', 8, 7, { output: 'test_message_txt', outputDetails: T }],
    ],
  },
  {
    // callback/test_callback.py::TestCallback::test_sqs_failure_in_wait_for_task_token (recorded 18-04-2024)
    name: 'waitForTaskToken: SendTaskFailure with error and cause fails the execution [test_callback::test_sqs_failure_in_wait_for_task_token]',
    definition: waitForToken('SendMessageWithWait'),
    input: INPUT,
    lambdas: { notify },
    async drive({ sfn, taskToken }) {
      await sfn.send(new SendTaskFailureCommand({ taskToken: await taskToken('TaskToken'), error: 'Failure error', cause: 'Failure cause' }));
    },
    expect: { status: 'FAILED', error: 'Failure error', cause: 'Failure cause' },
    history: [
      ...submitted('SendMessageWithWait'),
      ['TaskFailed', 6, 5, { cause: 'Failure cause', error: 'Failure error', ...LAMBDA_WAIT }],
      ['ExecutionFailed', 7, 6, { cause: 'Failure cause', error: 'Failure error' }],
    ],
  },
  {
    // callback/test_callback.py::TestCallback::test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_WAIT_FOR_TASK_TOKEN_CATCH] (recorded 29-04-2024)
    name: 'waitForTaskToken: SendTaskFailure without error or cause, caught by States.ALL [test_callback::test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_WAIT_FOR_TASK_TOKEN_CATCH]]',
    definition: waitForToken(
      'SendMessageWithWait',
      { Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.states_all_error', Next: 'CaughtStatesALL' }], Next: 'Final' },
      { CaughtStatesALL: { Type: 'Pass', End: true }, Final: { Type: 'Pass', End: true } },
    ),
    input: INPUT,
    lambdas: { notify },
    async drive({ sfn, taskToken }) {
      await sfn.send(new SendTaskFailureCommand({ taskToken: await taskToken('TaskToken') }));
    },
    expect: { status: 'SUCCEEDED', output: { ...INPUT, states_all_error: { Error: null, Cause: null } } },
    history: [
      ...submitted('SendMessageWithWait'),
      ['TaskFailed', 6, 5, LAMBDA_WAIT],
      ['TaskStateExited', 7, 6, { name: 'SendMessageWithWait', output: { ...INPUT, states_all_error: { Error: null, Cause: null } }, outputDetails: T }],
      ['PassStateEntered', 8, 7, { input: { ...INPUT, states_all_error: { Error: null, Cause: null } }, inputDetails: T, name: 'CaughtStatesALL' }],
      ['PassStateExited', 9, 8, { name: 'CaughtStatesALL', output: { ...INPUT, states_all_error: { Error: null, Cause: null } }, outputDetails: T }],
      ['ExecutionSucceeded', 10, 9, { output: { ...INPUT, states_all_error: { Error: null, Cause: null } }, outputDetails: T }],
    ],
  },
  {
    // callback/test_callback.py::TestCallback::test_sqs_wait_for_task_token_timeout (recorded 18-04-2024)
    name: 'waitForTaskToken: TimeoutSeconds expires, TaskTimedOut with States.Timeout and no cause [test_callback::test_sqs_wait_for_task_token_timeout]',
    definition: waitForToken('SendMessageWithWaitAndTimeout', { TimeoutSeconds: 5 }),
    input: INPUT,
    lambdas: { notify },
    expect: { status: 'FAILED', error: 'States.Timeout' },
    history: [
      ...submitted('SendMessageWithWaitAndTimeout', { timeoutInSeconds: 5 }),
      ['TaskTimedOut', 6, 5, { error: 'States.Timeout', ...LAMBDA_WAIT }],
      ['ExecutionFailed', 7, 6, { error: 'States.Timeout' }],
    ],
  },
  {
    // timeouts/test_heartbeats.py::TestHeartbeats::test_heartbeat_timeout (recorded 18-04-2024)
    name: 'waitForTaskToken: HeartbeatSeconds expires without a heartbeat [test_heartbeats::test_heartbeat_timeout]',
    definition: waitForToken('SendMessageWithWait', { HeartbeatSeconds: 5, TimeoutSeconds: 600 }),
    input: INPUT,
    lambdas: { notify },
    expect: { status: 'FAILED', error: 'States.Timeout' },
    history: [
      ...submitted('SendMessageWithWait', { heartbeatInSeconds: 5, timeoutInSeconds: 600 }),
      ['TaskTimedOut', 6, 5, { error: 'States.Timeout', ...LAMBDA_WAIT }],
      ['ExecutionFailed', 7, 6, { error: 'States.Timeout' }],
    ],
  },
  {
    // test_sfn_api.py::TestSnfApi::test_stop_execution (BASE_WAIT_1_MIN: a 60 s Wait, stopped without error or cause)
    name: 'StopExecution during a Wait: only ExecutionAborted, previousEventId 0, empty details [test_sfn_api::test_stop_execution]',
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', Seconds: 60, End: true } } },
    input: {},
    clock: 'real',
    async drive({ sfn, executionArn, waitForEvent }) {
      await waitForEvent('WaitStateEntered');
      await sfn.send(new StopExecutionCommand({ executionArn }));
    },
    expect: { status: 'ABORTED' },
    history: [
      ['ExecutionStarted', 1, 0, { input: {}, inputDetails: T, roleArn: ROLE }],
      ['WaitStateEntered', 2, 0, { input: {}, inputDetails: T, name: 'State_1' }],
      ['ExecutionAborted', 3, 0, {}],
    ],
  },
];
