/**
 * Step Functions API conformance: error names and messages, idempotency and validation answers as
 * recorded on AWS in localstack's tests/aws/services/stepfunctions/v2/test_sfn_api.snapshot.json
 * and test_sfn_api_validation.snapshot.json (each case names its snapshot test).
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROLE, startBench, type Bench } from './harness.js';
import { failure } from '../sdk-failure.js';

const SM_PREFIX = 'arn:aws:states:us-east-1:123456789012:stateMachine:';
const WAIT_FOR_TOKEN = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});
const PASS = JSON.stringify({ StartAt: 'State_1', States: { State_1: { Type: 'Pass', End: true } } });

describe('conformance: Step Functions API errors', () => {
  let bench: Bench;
  let sfn: SFNClient;
  let n = 0;
  const create = async (definition = PASS): Promise<string> =>
    (await sfn.send(new CreateStateMachineCommand({ name: `api-${++n}`, definition, roleArn: ROLE }))).stateMachineArn!;

  beforeAll(async () => {
    bench = await startBench();
    sfn = bench.sfn;
    bench.sandbox.lambdas.register('hold', () => null);
  });
  afterAll(async () => {
    await bench.stop();
  });

  test('DescribeStateMachine with a malformed ARN is InvalidArn [test_sfn_api::test_describe_invalid_arn_sm]', async () => {
    expect(await failure(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not_a_valid_arn' })))).toEqual({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'",
      status: 400,
    });
  });

  test('DescribeStateMachine of an unknown machine is StateMachineDoesNotExist [test_sfn_api::test_describe_nonexistent_sm]', async () => {
    const arn = `${SM_PREFIX}no-such-machine`;
    expect(await failure(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })))).toEqual({
      name: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${arn}'`,
      status: 400,
    });
  });

  test('ListExecutions with a malformed ARN is InvalidArn [test_sfn_api::test_list_execution_invalid_arn]', async () => {
    expect(await failure(sfn.send(new ListExecutionsCommand({ stateMachineArn: 'invalid_state_machine_arn' })))).toMatchObject({
      name: 'InvalidArn',
      message: "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'",
    });
  });

  test('ListExecutions of an unknown machine is StateMachineDoesNotExist [test_sfn_api::test_list_execution_no_such_state_machine]', async () => {
    const arn = `${SM_PREFIX}ssm_nonexistent`;
    expect(await failure(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn })))).toMatchObject({
      name: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${arn}'`,
    });
  });

  test('ListExecutions with a lower-case statusFilter is ValidationException [test_sfn_api::test_state_machine_status_filter]', async () => {
    const arn = await create();
    const err = await failure(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'succeeded' as never })));
    expect(err).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(err.message).toBe(
      "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]",
    );
  });

  test('DescribeExecution and GetExecutionHistory with a malformed ARN are InvalidArn [test_sfn_api::test_describe_execution_invalid_arn, test_get_execution_history_invalid_arn]', async () => {
    const want = { name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'" };
    expect(await failure(sfn.send(new DescribeExecutionCommand({ executionArn: 'invalid_state_machine_arn' })))).toMatchObject(want);
    expect(await failure(sfn.send(new GetExecutionHistoryCommand({ executionArn: 'invalid_state_machine_arn' })))).toMatchObject(want);
  });

  test('DescribeExecution and GetExecutionHistory of an unknown execution are ExecutionDoesNotExist [test_sfn_api::test_describe_execution_no_such_state_machine, test_get_execution_history_no_such_execution]', async () => {
    const arn = await create();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'exec-abcd' }));
    const unknown = `${executionArn!.slice(0, -4)}0000`;
    const want = { name: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${unknown}'`, status: 400 };
    expect(await failure(sfn.send(new DescribeExecutionCommand({ executionArn: unknown })))).toEqual(want);
    expect(await failure(sfn.send(new GetExecutionHistoryCommand({ executionArn: unknown })))).toEqual(want);
  });

  test('CreateStateMachine without States is InvalidDefinition [test_sfn_api::test_create_delete_invalid_sm]', async () => {
    const definition = JSON.stringify({ StartAt: 'A' });
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name: 'invalid-sm', definition, roleArn: ROLE })))).toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
    });
  });

  test('CreateStateMachine with an unknown state Type lists the valid types [test_state/test_test_state_machine_scenarios, test_state_mock_validation]', async () => {
    const definition = JSON.stringify({ StartAt: 'ExistingButInvalidState', States: { ExistingButInvalidState: { Type: 'NotAType', End: true } } });
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name: 'bad-type', definition, roleArn: ROLE })))).toMatchObject({
      name: 'InvalidDefinition',
      message:
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/ExistingButInvalidState/Type'",
    });
  });

  test('CreateStateMachine with a Parallel without branches: Value cannot be empty [test_state/test_state_mock_validation]', async () => {
    const definition = JSON.stringify({ StartAt: 'StateName', States: { StateName: { Type: 'Parallel', Branches: [], End: true } } });
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name: 'no-branches', definition, roleArn: ROLE })))).toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches'",
    });
  });

  test('StartExecution with a name holding a space or # is InvalidName [test_sfn_api_activities: Invalid Name: ...]', async () => {
    const arn = await create();
    for (const name of ['exec name', 'exec#name']) {
      expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name })))).toEqual({
        name: 'InvalidName',
        message: `Invalid Name: '${name}'`,
        status: 400,
      });
    }
  });

  test('CreateStateMachine with a taken name and another definition is StateMachineAlreadyExists [test_sfn_api::test_create_duplicate_sm_name]', async () => {
    const arn = await create();
    const name = arn.slice(SM_PREFIX.length);
    const other = JSON.stringify({ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } });
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name, definition: other, roleArn: ROLE })))).toMatchObject({
      name: 'StateMachineAlreadyExists',
      message: `State Machine Already Exists: '${arn}'`,
    });
  });

  test('DeleteStateMachine of an unknown machine answers 200 [test_sfn_api::test_delete_nonexistent_sm]', async () => {
    const out = await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: `${SM_PREFIX}never-created` }));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  test('StartExecution of a deleted machine is StateMachineDoesNotExist [test_sfn_api::test_invalid_start_execution_arn]', async () => {
    const arn = await create();
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn })))).toMatchObject({
      name: 'StateMachineDoesNotExist',
      message: `State Machine Does Not Exist: '${arn}'`,
    });
  });

  test('StartExecution input: not JSON and empty are InvalidExecutionInput; a number, a string and null are accepted [test_sfn_api::test_invalid_start_execution_input]', async () => {
    const arn = await create();
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: 'not json' })))).toMatchObject({
      name: 'InvalidExecutionInput',
      message: "Invalid State Machine Execution Input: 'Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')'",
    });
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: "{'not': 'json'}" })))).toMatchObject({
      name: 'InvalidExecutionInput',
      message: "Invalid State Machine Execution Input: 'Unexpected character (''' (code 39)): was expecting double-quote to start field name'",
    });
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '' })))).toMatchObject({
      name: 'InvalidExecutionInput',
      message: "Invalid State Machine Execution Input: 'Invalid execution input.'",
    });
    for (const input of ['2', '"string"', 'null']) {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input }));
      expect(out.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:/);
    }
  });

  test('StartExecution is idempotent for the same name and input while running; other input is ExecutionAlreadyExists [test_sfn_api::test_start_execution_idempotent]', async () => {
    const arn = await create(WAIT_FOR_TOKEN);
    const input = JSON.stringify({ Message: 'test_message_txt' });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input, name: 'idem' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input, name: 'idem' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate!.getTime()).toBe(first.startDate!.getTime());
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"body" : "different-data"}', name: 'idem' })))).toMatchObject({
      name: 'ExecutionAlreadyExists',
      message: `Execution Already Exists: '${first.executionArn}'`,
    });
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
  });

  test('UpdateStateMachine with nothing to update is MissingRequiredParameter [test_sfn_api::test_create_update_state_machine_base_update_none]', async () => {
    const arn = await create();
    expect(await failure(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn })))).toMatchObject({
      name: 'MissingRequiredParameter',
      message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    });
  });

  test('StartSyncExecution on a STANDARD machine is StateMachineTypeNotSupported [test_sfn_api::test_start_sync_execution]', async () => {
    const arn = await create();
    // The SDK prefixes the host with `sync-` for this operation; a local endpoint needs disableHostPrefix.
    const client = new SFNClient({
      endpoint: bench.sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      disableHostPrefix: true,
    });
    const err = await failure(client.send(new StartSyncExecutionCommand({ stateMachineArn: arn })));
    client.destroy();
    expect(err).toMatchObject({ name: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine' });
  });

  test('ListStateMachines with maxResults 1001 is ValidationException [test_sfn_api::test_list_sms_pagination]', async () => {
    expect(await failure(sfn.send(new ListStateMachinesCommand({ maxResults: 1001 })))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    });
  });

  test('StopExecution of a running execution: ExecutionAborted with previousEventId 0 and empty details [test_sfn_api::test_stop_execution]', async () => {
    const arn = await create(WAIT_FOR_TOKEN);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await sfn.send(new StopExecutionCommand({ executionArn }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d.status).toBe('ABORTED');
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ type: 'ExecutionAborted', previousEventId: 0, executionAbortedEventDetails: {} });
  });

  /** DescribeExecution of a finished run, without the dates and ARNs (checked elsewhere). */
  async function describeFinished(definition: string): Promise<Record<string, unknown>> {
    const arn = await create(definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: `d-${n}`, input: '{}' }));
    await bench.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const { $metadata: _m, startDate, stopDate, executionArn: a, stateMachineArn: b, ...rest } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(a).toBe(executionArn);
    expect(b).toBe(arn);
    expect(stopDate!.getTime()).toBeGreaterThanOrEqual(startDate!.getTime());
    return rest;
  }

  test('DescribeExecution of a succeeded run: NOT_REDRIVABLE with its reason, input/output included [test_sfn_api::test_describe_execution]', async () => {
    const d = await describeFinished(JSON.stringify({ StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } }));
    expect(d).toEqual({
      input: '{}',
      inputDetails: { included: true },
      name: `d-${n}`,
      output: '{"Arg1":"argument1"}',
      outputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
      status: 'SUCCEEDED',
    });
  });

  test('DescribeExecution of a failed run: REDRIVABLE, error and cause, no output [test_base::test_state_fail]', async () => {
    const d = await describeFinished(JSON.stringify({ StartAt: 'FailState', States: { FailState: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } } }));
    expect(d).toEqual({
      cause: "This state machines raises a 'SomeFailure' failure.",
      error: 'SomeFailure',
      input: '{}',
      inputDetails: { included: true },
      name: `d-${n}`,
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
      status: 'FAILED',
    });
  });

  // No AWS recording of a redrive history exists in the sources used here; this checks only what
  // https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html states.
  test('RedriveExecution: same ARN, ExecutionRedriven {redriveCount: 1} appended, succeeded states not rerun [AWS docs: redrive-executions]', async () => {
    let calls = 0;
    bench.sandbox.lambdas.register('flaky', () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('first call fails'), { name: 'Flaky' });
      return { ok: true };
    });
    const arn = await create(
      JSON.stringify({
        StartAt: 'First',
        States: { First: { Type: 'Pass', Result: 'x', Next: 'Call' }, Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:flaky', End: true } },
      }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await bench.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const before = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('FAILED');

    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    await bench.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, output: '{"ok":true}' });
    const after = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]).toMatchObject({ type: 'ExecutionRedriven', id: before.length + 1, executionRedrivenEventDetails: { redriveCount: 1 } });
    expect(after.map((e) => e.id)).toEqual(after.map((_, i) => i + 1));
    expect(after.slice(before.length).map((e) => e.type)).not.toContain('PassStateEntered');
    expect(after[after.length - 1]!.type).toBe('ExecutionSucceeded');
  });

  test('RedriveExecution of a succeeded execution is ExecutionNotRedrivable [API_RedriveExecution]', async () => {
    const arn = await create();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await bench.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    expect((await failure(sfn.send(new RedriveExecutionCommand({ executionArn })))).name).toBe('ExecutionNotRedrivable');
  });

  test('ListExecutions entry of a finished run: name, status, dates, redriveCount 0 [test_sfn_api::test_start_execution]', async () => {
    const arn = await create();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'listed' }));
    await bench.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(executions).toHaveLength(1);
    const { startDate, stopDate, ...rest } = executions![0]!;
    expect(rest).toEqual({ executionArn, name: 'listed', redriveCount: 0, stateMachineArn: arn, status: 'SUCCEEDED' });
    expect(stopDate!.getTime()).toBeGreaterThanOrEqual(startDate!.getTime());
  });

  test('GetExecutionHistory with reverseOrder lists the same events newest first [test_sfn_api::test_get_execution_history_reversed]', async () => {
    const arn = await create();
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await bench.sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    const forward = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    const reversed = (await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }))).events!;
    expect(forward.map((e) => `${e.type} ${e.id}<-${e.previousEventId}`)).toEqual([
      'ExecutionStarted 1<-0',
      'PassStateEntered 2<-0',
      'PassStateExited 3<-2',
      'ExecutionSucceeded 4<-3',
    ]);
    expect(reversed).toEqual([...forward].reverse());
  });

  test('tags: given at creation, added, with an empty value, removed [test_sfn_api_tagging::test_create_state_machine, test_tag_state_machine, test_untag_state_machine]', async () => {
    const created = await sfn.send(
      new CreateStateMachineCommand({ name: `tagged-${++n}`, definition: PASS, roleArn: ROLE, tags: [{ key: 'key1', value: 'value1' }, { key: 'key2', value: 'value2' }] }),
    );
    const resourceArn = created.stateMachineArn!;
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([
      { key: 'key1', value: 'value1' },
      { key: 'key2', value: 'value2' },
    ]);
    await sfn.send(new UntagResourceCommand({ resourceArn, tagKeys: ['key1', 'key2'] }));
    await sfn.send(new TagResourceCommand({ resourceArn, tags: [{ key: 'key1', value: '' }] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([{ key: 'key1', value: '' }]);
    await sfn.send(new UntagResourceCommand({ resourceArn, tagKeys: ['key1'] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual([]);
  });

  describe('ValidateStateMachineDefinition [test_sfn_api_validation]', () => {
    test.each([
      ['EMPTY_DICT', '{}', [{ code: 'SCHEMA_VALIDATION_FAILED', location: '/', message: 'These fields are required: [States, StartAt]', severity: 'ERROR' }]],
      [
        'INVALID_BASE_NO_STARTAT',
        JSON.stringify({ States: { State_1: { Type: 'Pass', End: true } } }),
        [{ code: 'SCHEMA_VALIDATION_FAILED', location: '/', message: 'These fields are required: [StartAt]', severity: 'ERROR' }],
      ],
      [
        'INVALID_DOWNGRADE_QUERY_LANGUAGE',
        JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'Pass', States: { Pass: { QueryLanguage: 'JSONPath', Type: 'Pass', End: true } } }),
        [{ code: 'SCHEMA_VALIDATION_FAILED', location: '/States/Pass', message: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", severity: 'ERROR' }],
      ],
      ['VALID_BASE_PASS', PASS, []],
    ])('%s', async (_id, definition, diagnostics) => {
      const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
      expect(out.result).toBe(diagnostics.length ? 'FAIL' : 'OK');
      expect(out.diagnostics).toEqual(diagnostics);
      expect(out.truncated).toBe(false);
    });
  });
});
