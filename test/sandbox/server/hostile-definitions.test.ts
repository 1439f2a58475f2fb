/**
 * Hostile input that the request fuzz does not generate: values that are well-formed requests but
 * would leave the sandbox unusable afterwards (a clock moved beyond any date, an intrinsic nested
 * thousands deep, a JSONata function that never returns). Each must get a clear error while the
 * sandbox keeps serving (issue 12).
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { setEvaluationBudgetMs } from '../../../sandbox/sfn/engine/jsonata.js';
import { failure } from '../sdk-failure.js';

const ROLE = 'arn:aws:iam::123456789012:role/hostile';
let sandbox: Sandbox | undefined;
let sfn: SFNClient | undefined;
afterEach(async () => {
  sfn?.destroy();
  await sandbox?.stop();
  sandbox = undefined;
  sfn = undefined;
});

async function start(): Promise<{ sandbox: Sandbox; sfn: SFNClient }> {
  sandbox = await startSandbox({ log: () => {}, startMs: Date.parse('2026-12-01T00:00:00Z') });
  sfn = new SFNClient({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  return { sandbox, sfn };
}

const clockCall = async (endpoint: string, body: unknown) => {
  const res = await fetch(`${endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { error?: string; now?: string } };
};

/** Runs a one-state machine to its end and answers its status, error and cause. */
async function runOnce(sfn: SFNClient, sandbox: Sandbox, name: string, definition: unknown) {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n":1}' }));
  await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

describe('sandbox: well-formed requests that would break it later are refused or bounded', () => {
  test('the admin API refuses to move the clock beyond year 9999, and the clock keeps working', async () => {
    // GIVEN a sandbox on the virtual clock
    const { sandbox, sfn } = await start();
    // WHEN a caller asks to advance it by 1e308 ms, or to a time in epoch ms past any date
    const far = await clockCall(sandbox.endpoint, { advanceMs: 1e308 });
    const to = await clockCall(sandbox.endpoint, { to: 1e20 });
    // THEN both are refused with what was expected and found
    expect(far.status).toBe(400);
    expect(far.body.error).toMatch(/^sandbox admin › clock: advanceMs\/advanceSeconds: expected a time no later than 9999-12-31T23:59:59\.999Z, found 1e\+308/);
    expect(to.status).toBe(400);
    expect(to.body.error).toMatch(/clock: to: expected a time no later than 9999-12-31T23:59:59\.999Z, found 100000000000000000000/);
    // … and the clock still reads, moves, and runs executions (a JSONata state reads it)
    expect((await clockCall(sandbox.endpoint, {})).body.now).toMatch(/^2026-12-01T/);
    expect((await clockCall(sandbox.endpoint, { advanceSeconds: 3600 })).status).toBe(200);
    const d = await runOnce(sfn, sandbox, 'after-clock', { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: '{% $states.context.State.EnteredTime %}', End: true } } });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toMatch(/^2026-12-01T01:/);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html: "up to 10" nested intrinsic functions within a field
  test('an intrinsic nested more than 10 deep is an invalid definition (3,000 deep no longer overflows the stack at run time)', async () => {
    const { sandbox, sfn } = await start();
    const nested = (n: number) => `${'States.Array('.repeat(n)}$.n${')'.repeat(n)}`;
    const machine = (n: number) => ({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': nested(n) }, End: true } } });
    // 10 deep runs
    const ten = await runOnce(sfn, sandbox, 'ten', machine(10));
    expect(ten.status).toBe('SUCCEEDED');
    expect(JSON.stringify(JSON.parse(ten.output!).x)).toBe(`${'['.repeat(10)}1${']'.repeat(10)}`);
    // 11 and 3,000 deep are refused when created
    for (const n of [11, 3000]) {
      const err = await failure(sfn.send(new CreateStateMachineCommand({ name: `deep-${n}`, definition: JSON.stringify(machine(n)), roleArn: ROLE })));
      expect(err.name).toBe('InvalidDefinition');
      expect(err.message).toMatch(/must be a valid intrinsic function: .*expected at most 10 nested intrinsic functions in one field, found more at character 130/);
    }
  });

  test('a JSONata function that never returns fails its state with States.QueryEvaluationError after the budget, and the sandbox answers meanwhile', async () => {
    // GIVEN a short evaluation budget (10 s by default) and a machine whose Output recurses forever
    const previous = setEvaluationBudgetMs(1_000);
    try {
      const { sandbox, sfn } = await start();
      const definition = { QueryLanguage: 'JSONata', StartAt: 'Loop', States: { Loop: { Type: 'Pass', Output: '{% ( $f := function($x) { $f($x + 1) }; $f(1) ) %}', End: true } } };
      const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'forever', definition: JSON.stringify(definition), roleArn: ROLE }));
      // WHEN it runs
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
      // THEN other requests are answered while it evaluates
      const asked = Date.now();
      await sfn.send(new ListStateMachinesCommand({}));
      expect(Date.now() - asked).toBeLessThan(900);
      // … and the run fails with AWS's error name for a failed JSONata evaluation, naming the field and the reason
      await sandbox.sfn.getExecution(executionArn!)!.whenClosed();
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(d.status).toBe('FAILED');
      expect(d.error).toBe('States.QueryEvaluationError');
      expect(d.cause).toMatch(/specified for the field 'Output' threw an error during evaluation\. U1001: Expression evaluation timeout: the sandbox stops an evaluation after 1 s/);
    } finally {
      setEvaluationBudgetMs(previous);
    }
  });
});
