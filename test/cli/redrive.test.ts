import { DescribeExecutionCommand, GetExecutionHistoryCommand, RedriveExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HistoryBuilder, pagedHistory } from './history-builder.js';
import { executionArn, mockSfn, normalise, runCli } from './cli-harness.js';

const NAME = 'failover-20261125T103000Z-3fa1';
const ARN = executionArn('us-west-2', 'lifeboat-shop-failover', NAME);

let sfn: ReturnType<typeof mockSfn>;

function failedRun(): HistoryBuilder {
  const h = new HistoryBuilder().started();
  h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ output: {} }] });
  h.task('Launch in region', { task: 'launch-in-region', attempts: [{ error: 'Lifeboat.Capacity', cause: 'no capacity for r6i.large, r5.large in subnet-0aa11bb22cc330001' }], isCaught: true });
  h.task('Record failure', { task: 'record-failure', attempts: [{ error: 'Lifeboat.StepFailed', cause: 'step "Launch in region" failed with Lifeboat.Capacity' }] });
  h.failed('Lifeboat.StepFailed', 'step "Launch in region" failed with Lifeboat.Capacity');
  return h;
}

beforeEach(() => {
  sfn = mockSfn();
});
afterEach(() => sfn.restore());

describe('cli: redrive', () => {
  test('redrives a FAILED execution given by ARN and prints its ARN', async () => {
    const h = failedRun();
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: ARN, name: NAME, status: 'FAILED', error: 'Lifeboat.StepFailed', startDate: h.events[0].timestamp });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-25T11:00:00Z') });

    const run = await runCli(['redrive', ARN]);

    expect(run.code).toBe(0);
    expect(sfn.commandCalls(RedriveExecutionCommand).map((c) => c.args[0].input)).toEqual([{ executionArn: ARN }]);
    expect(run.stdout).toBe(`${ARN}\n`);
    expect(run.stderr).toContain(`redriving ${NAME} in us-west-2 (it had FAILED with Lifeboat.StepFailed)`);
  });

  test('--follow prints only what the redrive does and exits 0 when it SUCCEEDED', async () => {
    // GIVEN a failed run that, once redriven, resumes at the failed step and succeeds
    const h = failedRun();
    const before = h.events.length;
    h.wait(300).redriven(1);
    h.task('Record failure', { task: 'record-failure', attempts: [{ output: { resume: true } }] });
    h.task('Launch in region', { task: 'launch-in-region', attempts: [{ output: { instances: [{ instanceId: 'i-0eeeeeeeeeeeeeee5' }] } }] });
    h.succeeded();
    let isRedriven = false;
    let polls = 0;
    sfn.on(DescribeExecutionCommand).callsFake(async () => {
      if (isRedriven) polls += 1;
      const isDone = polls >= 2;
      return { executionArn: ARN, name: NAME, status: !isRedriven ? 'FAILED' : isDone ? 'SUCCEEDED' : 'RUNNING', startDate: h.events[0].timestamp, redriveDate: h.events[before].timestamp, ...(isDone ? { stopDate: h.events.at(-1)?.timestamp } : {}) };
    });
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => (!isRedriven ? h.events.slice(0, before) : polls < 2 ? h.events.slice(0, before + 3) : h.events)));
    sfn.on(RedriveExecutionCommand).callsFake(async () => {
      isRedriven = true;
      return { redriveDate: h.events[before].timestamp };
    });

    // WHEN
    const run = await runCli(['redrive', ARN, '--follow']);

    // THEN
    expect(run.code).toBe(0);
    expect(normalise(run.stderr)).toMatchSnapshot('stderr');
    expect(run.stderr).not.toContain('→ Resolve recovery points'); // finished before the redrive: not shown again
    expect(run.stdout).toBe(`${ARN} SUCCEEDED\n`);
  });

  test('fails with exit 1 when Step Functions says the run is not redrivable', async () => {
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: ARN, name: NAME, status: 'FAILED', redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded' });
    sfn.on(RedriveExecutionCommand).rejects(Object.assign(new Error(`Execution is not redrivable: '${ARN}'`), { name: 'ExecutionNotRedrivable', $fault: 'client', $metadata: {} }));

    const run = await runCli(['redrive', ARN]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`lifeboat redrive: "${NAME}" cannot be redriven`);
    expect(run.stderr).toContain('hint: Execution redrivable period exceeded;');
  });

  test('refuses to redrive a SUCCEEDED or RUNNING run without calling RedriveExecution', async () => {
    sfn.on(DescribeExecutionCommand).resolvesOnce({ executionArn: ARN, name: NAME, status: 'SUCCEEDED' }).resolvesOnce({ executionArn: ARN, name: NAME, status: 'RUNNING' });

    const succeeded = await runCli(['redrive', ARN]);
    const running = await runCli(['redrive', ARN]);

    expect([succeeded.code, running.code]).toEqual([1, 1]);
    expect(succeeded.stderr).toContain('SUCCEEDED; there is nothing to redrive');
    expect(running.stderr).toContain('is still RUNNING');
    expect(sfn.commandCalls(RedriveExecutionCommand)).toHaveLength(0);
  });
});

describe('cli: redrive (drill)', () => {
  test('warns that a failed drill does not resume', async () => {
    const arn = executionArn('us-west-2', 'lifeboat-shop-drill', 'drill-20261125T103000Z-3fa1');
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: arn, name: 'drill-20261125T103000Z-3fa1', status: 'FAILED' });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date('2026-11-25T11:00:00Z') });

    const run = await runCli(['redrive', arn]);

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: a failed drill does not resume');
  });
});
