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
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Sandbox } from '../../../sandbox/index.js';
import type { EngineModule } from '../../../sandbox/sfn/service.js';
import { fakeEngine } from './fake-engine.js';
import { FAILS, ROLE, WAIT_FOR_TOKEN, failure, passChain, sandboxWithClient, settle } from './harness.js';

let sandbox: Sandbox;
let sfn: SFNClient;

afterEach(async () => {
  sfn?.destroy();
  await sandbox?.stop();
});

let engine: EngineModule | undefined;

async function setUp(options: Parameters<typeof sandboxWithClient>[0] = {}): Promise<void> {
  ({ sandbox, sfn } = await sandboxWithClient({ engine, ...options }));
}

async function createMachine(name: string, definition: string): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE }));
  return out.stateMachineArn!;
}

async function runToEnd(stateMachineArn: string, name?: string, input?: string): Promise<string> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
  return executionArn!;
}

function tokenOf(events: HistoryEvent[]): string {
  const scheduled = events.find((e) => e.type === 'TaskScheduled')!;
  return (JSON.parse(scheduled.taskScheduledEventDetails!.parameters!) as { Payload: { token: string } }).Payload.token;
}

// Run once on a stand-in engine (the API's behaviour alone) and once on the sandbox's own engine.
describe.each([
  ['stand-in engine', fakeEngine],
  ['ASL engine', undefined],
] as const)('sandbox: Step Functions API through @aws-sdk/client-sfn (%s)', (_label, chosen) => {
  beforeEach(() => {
    engine = chosen as EngineModule | undefined;
  });

  test('creates, describes and idempotently re-creates a state machine; a different definition is StateMachineAlreadyExists', async () => {
    await setUp({ startMs: Date.parse('2026-01-01T00:00:00Z') });
    const definition = passChain(2);
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'sm-1', definition, roleArn: ROLE }));
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:sm-1');
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.creationDate!.getUTCFullYear()).toBe(2026);

    // Same definition, other role: the existing machine, unchanged (API_CreateStateMachine idempotency).
    const again = await sfn.send(new CreateStateMachineCommand({ name: 'sm-1', definition, roleArn: `${ROLE}-other` }));
    expect(again.stateMachineArn).toBe(created.stateMachineArn);
    expect(again.creationDate!.getTime()).toBe(created.creationDate!.getTime());

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({
      name: 'sm-1', status: 'ACTIVE', definition, roleArn: ROLE, type: 'STANDARD',
      loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: false },
    });
    expect(described.revisionId).toBeUndefined();

    // Whitespace differs: not the same definition.
    const err = await failure(sfn.send(new CreateStateMachineCommand({ name: 'sm-1', definition: `${definition} `, roleArn: ROLE })));
    expect(err).toEqual({ name: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${created.stateMachineArn}'`, status: 400 });
  });

  test('rejects bad names, bad definitions and bad ARNs with AWS error names and messages', async () => {
    await setUp();
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name: 'has space', definition: passChain(1), roleArn: ROLE }))))
      .toMatchObject({ name: 'InvalidName', message: "Invalid Name: 'has space'" });
    // The model limits names to 80 characters: the front end answers ValidationException (botocore's service-2.json, shape Name).
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name: 'x'.repeat(81), definition: passChain(1), roleArn: ROLE }))))
      .toMatchObject({ name: 'ValidationException', message: `1 validation error detected: Value '${'x'.repeat(81)}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80` });
    expect(await failure(sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}', roleArn: ROLE }))))
      .toMatchObject({ name: 'InvalidDefinition', message: "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'" });
    expect(await failure(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not_a_valid_arn' }))))
      .toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'" });
    const missing = 'arn:aws:states:us-east-1:123456789012:stateMachine:nope';
    expect(await failure(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: missing }))))
      .toMatchObject({ name: 'StateMachineDoesNotExist', message: `State Machine Does Not Exist: '${missing}'` });
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: missing }))))
      .toMatchObject({ name: 'StateMachineDoesNotExist' });
    expect(await failure(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nope:x' }))))
      .toMatchObject({ name: 'ExecutionDoesNotExist', message: "Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:nope:x'" });
  });

  test('validates a definition into OK or FAIL with diagnostics', async () => {
    await setUp();
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: passChain(3) }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [] });
    const bad = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}' }));
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics).toEqual([{ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: B", location: '/States/A/Next' }]);
  });

  test('updates a machine: new revision on change, same revision when nothing changes, MissingRequiredParameter when empty', async () => {
    await setUp();
    const arn = await createMachine('upd', passChain(1));
    const first = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passChain(2) }));
    expect(first.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    const same = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passChain(2) }));
    expect(same.revisionId).toBe(first.revisionId);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(described.definition).toBe(passChain(2));
    expect(described.revisionId).toBe(first.revisionId);
    expect(await failure(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn }))))
      .toMatchObject({ name: 'MissingRequiredParameter', message: 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified' });
  });

  test('lists state machines by name in pages, refuses a foreign token, and forgets deleted ones (unknown ARN deletes with 200)', async () => {
    await setUp();
    for (const name of ['b', 'a10', 'a2', 'c', 'a1']) await createMachine(name, passChain(1));
    const page1 = await sfn.send(new ListStateMachinesCommand({ maxResults: 3 }));
    expect(page1.stateMachines!.map((s) => s.name)).toEqual(['a1', 'a10', 'a2']);
    expect(page1.nextToken).toBeTruthy();
    const page2 = await sfn.send(new ListStateMachinesCommand({ maxResults: 3, nextToken: page1.nextToken }));
    expect(page2.stateMachines!.map((s) => s.name)).toEqual(['b', 'c']);
    expect(page2.nextToken).toBeUndefined();
    expect(await failure(sfn.send(new ListStateMachinesCommand({ nextToken: 'garbage' }))))
      .toMatchObject({ name: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });
    expect(await failure(sfn.send(new ListStateMachinesCommand({ maxResults: 1001 }))))
      .toMatchObject({ name: 'ValidationException', message: "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000" });

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:never' }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: page1.stateMachines![0]!.stateMachineArn }));
    const after = await sfn.send(new ListStateMachinesCommand({}));
    expect(after.stateMachines!.map((s) => s.name)).toEqual(['a10', 'a2', 'b', 'c']);
  });

  test('keeps state machines per region (from the signature) apart', async () => {
    await setUp();
    await createMachine('east', passChain(1));
    const west = new SFNClient({ endpoint: sandbox.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
    const created = await west.send(new CreateStateMachineCommand({ name: 'west', definition: passChain(1), roleArn: ROLE }));
    expect(created.stateMachineArn).toBe('arn:aws:states:eu-west-1:123456789012:stateMachine:west');
    expect((await west.send(new ListStateMachinesCommand({}))).stateMachines!.map((s) => s.name)).toEqual(['west']);
    expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines!.map((s) => s.name)).toEqual(['east']);
    west.destroy();
  });

  test('starts an execution, answers a same-name same-input start while RUNNING with the original, and refuses other repeats', async () => {
    await setUp();
    const arn = await createMachine('tok', WAIT_FOR_TOKEN);
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":1}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:tok:run-1');
    await settle();
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":1}' }));
    expect(again.executionArn).toBe(started.executionArn);
    expect(again.startDate!.getTime()).toBe(started.startDate!.getTime());
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":2}' }))))
      .toMatchObject({ name: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${started.executionArn}'` });

    const running = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(running).toMatchObject({ status: 'RUNNING', input: '{"a":1}', inputDetails: { included: true }, redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' });
    expect(running.stopDate).toBeUndefined();

    // Complete it: the same name is now refused even with the same input.
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: tokenOf(history.events!), output: '{"done":true}' }));
    await sandbox.sfn.getExecution(started.executionArn!)!.whenClosed();
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'run-1', input: '{"a":1}' }))))
      .toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  test('checks execution names and inputs as AWS does; a default name is a seeded UUID', async () => {
    await setUp({ seed: 42 });
    const arn = await createMachine('inputs', passChain(1));
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a/b' }))))
      .toMatchObject({ name: 'InvalidName', message: "Invalid Name: 'a/b'" });
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '' }))))
      .toMatchObject({ name: 'InvalidExecutionInput', message: "Invalid State Machine Execution Input: 'Invalid execution input.'" });
    expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: "{'a': 1}" }))))
      .toMatchObject({ name: 'InvalidExecutionInput' });
    // Any JSON value is an input (recorded on AWS: numbers, strings, null).
    for (const input of ['1', '"text"', 'null']) {
      const e = await runToEnd(arn, undefined, input);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: e }))).output).toBe(input);
    }
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const name = executionArn!.split(':').pop()!;
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  });

  test('names executions without a name from the seeded generator: same seed, same name', async () => {
    const nameFor = async (seed: number): Promise<string> => {
      const other = await sandboxWithClient({ seed, engine });
      try {
        const arn = (await other.sfn.send(new CreateStateMachineCommand({ name: 'seeded', definition: passChain(1), roleArn: ROLE }))).stateMachineArn!;
        const { executionArn } = await other.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
        return executionArn!.split(':').pop()!;
      } finally {
        other.sfn.destroy();
        await other.sandbox.stop();
      }
    };
    const a = await nameFor(42);
    expect(await nameFor(42)).toBe(a);
    expect(await nameFor(43)).not.toBe(a);
  });

  test('describes a succeeded execution with output, dates and its redrive status', async () => {
    await setUp();
    const arn = await createMachine('ok', passChain(2));
    const e = await runToEnd(arn, 'done', '{"x":[1,2]}');
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e }));
    expect(d).toMatchObject({
      executionArn: e, stateMachineArn: arn, name: 'done', status: 'SUCCEEDED', input: '{"x":[1,2]}', output: '{"x":[1,2]}',
      inputDetails: { included: true }, outputDetails: { included: true }, redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
    expect(d.error).toBeUndefined();
  });

  test('pages through the history forwards and backwards, and leaves payloads out when asked', async () => {
    await setUp();
    const arn = await createMachine('chain', passChain(7));
    const e = await runToEnd(arn, 'h', '{"k":"v"}');
    const all = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: e }))).events!;
    expect(all).toHaveLength(16);
    expect(all.map((ev) => ev.id)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(all[0]!.timestamp).toBeInstanceOf(Date);

    const pages: HistoryEvent[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e, maxResults: 5, nextToken }));
      pages.push(page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 1]);
    expect(pages.flat()).toEqual(all);

    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e, reverseOrder: true, maxResults: 3 }));
    expect(reversed.events!.map((ev) => ev.type)).toEqual(['ExecutionSucceeded', 'PassStateExited', 'PassStateEntered']);
    expect(reversed.events![0]!.id).toBe(16);

    // A token is bound to the arguments it came from.
    expect(await failure(sfn.send(new GetExecutionHistoryCommand({ executionArn: e, reverseOrder: false, nextToken: reversed.nextToken }))))
      .toMatchObject({ name: 'InvalidToken' });

    const lean = await sfn.send(new GetExecutionHistoryCommand({ executionArn: e, includeExecutionData: false }));
    expect(lean.events![0]!.executionStartedEventDetails).toEqual({ inputDetails: { truncated: false }, roleArn: ROLE });
    expect(lean.events![1]!.stateEnteredEventDetails!.input).toBeUndefined();
    expect(lean.events![1]!.stateEnteredEventDetails!.name).toBe('P1');
  });

  test('lists executions newest first with status and redrive filters, in pages', async () => {
    await setUp();
    const ok = await createMachine('mixed', passChain(1));
    const names = ['e1', 'e2', 'e3', 'e4'];
    for (const name of names) await runToEnd(ok, name);
    await runToEnd(ok, 'e5');

    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok }));
    expect(list.executions!.map((x) => x.name)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
    expect(list.executions![1]).toMatchObject({ status: 'SUCCEEDED', redriveCount: 0 });

    const p1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, maxResults: 2 }));
    const p2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, maxResults: 2, nextToken: p1.nextToken }));
    expect([...p1.executions!, ...p2.executions!].map((x) => x.name)).toEqual(['e5', 'e4', 'e3', 'e2']);

    const succeeded = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, statusFilter: 'SUCCEEDED' }));
    expect(succeeded.executions!.every((x) => x.status === 'SUCCEEDED')).toBe(true);
    expect(succeeded.executions).toHaveLength(5);
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, statusFilter: 'RUNNING' }))).executions).toEqual([]);
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, redriveFilter: 'REDRIVEN' }))).executions).toEqual([]);

    expect(await failure(sfn.send(new ListExecutionsCommand({ stateMachineArn: ok, statusFilter: 'succeeded' as never }))))
      .toMatchObject({
        name: 'ValidationException',
        message: "1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]",
      });
    expect(await failure(sfn.send(new ListExecutionsCommand({ stateMachineArn: 'invalid_state_machine_arn' }))))
      .toMatchObject({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'" });
  });

  test('orders running executions by start and closed ones by stop, newest first', async () => {
    await setUp();
    const arn = await createMachine('order', WAIT_FOR_TOKEN);
    const tick = () => new Promise<void>((r) => sandbox.clock.setTimer(sandbox.clock.now() + 1000, r));
    const a = (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'a' }))).executionArn!;
    await settle();
    await tick();
    await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'b' }));
    await settle();
    await tick();
    // a closes after b started: a is now the most recent
    await sfn.send(new StopExecutionCommand({ executionArn: a }));
    await tick();
    await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'c' }));
    await settle();
    const names = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).executions!.map((x) => `${x.name}:${x.status}`);
    expect(names).toEqual(['c:RUNNING', 'a:ABORTED', 'b:RUNNING']);
    const running = (await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }))).executions!;
    expect(running.map((x) => x.name)).toEqual(['c', 'b']);
    expect(running[0]!.stopDate).toBeUndefined();
  });

  test('stops a running execution (ABORTED, ExecutionAborted last) and reports the error and cause', async () => {
    await setUp();
    const arn = await createMachine('stoppable', WAIT_FOR_TOKEN);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 's1' }));
    await settle();
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Ops.Stop', cause: 'by hand' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Ops.Stop', cause: 'by hand', redriveStatus: 'REDRIVABLE' });
    const events = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
    expect(events.at(-1)!.type).toBe('ExecutionAborted');
    expect(await failure(sfn.send(new StopExecutionCommand({ executionArn, error: 'x'.repeat(257) }))))
      .toMatchObject({ name: 'ValidationException' });
  });

  test('routes task tokens: heartbeat and success reach the task; bad output, closed and unknown tokens get AWS errors', async () => {
    await setUp();
    const arn = await createMachine('callback', WAIT_FOR_TOKEN);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'c1', input: '{}' }));
    await settle();
    const token = tokenOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events!);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    expect(await failure(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' }))))
      .toMatchObject({ name: 'InvalidOutput' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"answer":42}' }));
    await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).output).toBe('{"answer":42}');

    expect(await failure(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).toMatchObject({ name: 'TaskDoesNotExist' });
    expect(await failure(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })))).toMatchObject({ name: 'TaskDoesNotExist' });
    expect(await failure(sfn.send(new SendTaskFailureCommand({ taskToken: 'not-a-token' })))).toMatchObject({ name: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });

    // A failure sent for a waiting task fails the execution with that error.
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'c2' }));
    await settle();
    const token2 = tokenOf((await sfn.send(new GetExecutionHistoryCommand({ executionArn: second.executionArn }))).events!);
    await sfn.send(new SendTaskFailureCommand({ taskToken: token2, error: 'Worker.Failed', cause: 'no' }));
    await sandbox.sfn.getExecution(second.executionArn!)!.whenClosed();
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn: second.executionArn }))).toMatchObject({ status: 'FAILED', error: 'Worker.Failed', cause: 'no' });
  });

  test('redrives only what AWS allows, once per client token', async () => {
    await setUp();
    const okArn = await createMachine('fine', passChain(1));
    const done = await runToEnd(okArn, 'fine-1');
    expect(await failure(sfn.send(new RedriveExecutionCommand({ executionArn: done }))))
      .toMatchObject({ name: 'ExecutionNotRedrivable', message: 'Execution is SUCCEEDED and cannot be redriven' });
    expect(await failure(sfn.send(new RedriveExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:fine:none' }))))
      .toMatchObject({ name: 'ExecutionDoesNotExist' });
    expect(await failure(sfn.send(new RedriveExecutionCommand({ executionArn: 'nope' })))).toMatchObject({ name: 'InvalidArn' });

    const failArn = await createMachine('failing', FAILS);
    const failed = await runToEnd(failArn, 'f1');
    const before = await sfn.send(new DescribeExecutionCommand({ executionArn: failed }));
    expect(before).toMatchObject({ status: 'FAILED', error: 'Custom.Boom', cause: 'it broke', redriveStatus: 'REDRIVABLE' });

    const r1 = await sfn.send(new RedriveExecutionCommand({ executionArn: failed, clientToken: 'tok-1' }));
    await sandbox.sfn.getExecution(failed)!.whenClosed();
    const r2 = await sfn.send(new RedriveExecutionCommand({ executionArn: failed, clientToken: 'tok-1' }));
    expect(r2.redriveDate!.getTime()).toBe(r1.redriveDate!.getTime());
    const after = await sfn.send(new DescribeExecutionCommand({ executionArn: failed }));
    expect(after.redriveCount).toBe(1);
    expect(after.redriveDate!.getTime()).toBe(r1.redriveDate!.getTime());
    const redriven = await sfn.send(new ListExecutionsCommand({ stateMachineArn: failArn, redriveFilter: 'REDRIVEN' }));
    expect(redriven.executions!.map((x) => x.name)).toEqual(['f1']);
  });

  test('tags a state machine and lists its tags; an unknown resource is ResourceNotFound', async () => {
    await setUp();
    const arn = (await sfn.send(new CreateStateMachineCommand({ name: 'tagged', definition: passChain(1), roleArn: ROLE, tags: [{ key: 'a', value: '1' }] }))).stateMachineArn!;
    await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'b', value: '2' }] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    const missing = 'arn:aws:states:us-east-1:123456789012:stateMachine:ghost';
    expect(await failure(sfn.send(new ListTagsForResourceCommand({ resourceArn: missing })))).toMatchObject({ name: 'ResourceNotFound', message: `Resource not found: '${missing}'` });
  });
});
