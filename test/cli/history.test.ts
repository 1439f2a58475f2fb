import { DescribeExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HistoryBuilder, pagedHistory } from './history-builder.js';
import { SHOP_PLAN, executionArn, mockSfn, normalise, runCli, tempFiles } from './cli-harness.js';

const NAME = 'drill-20261125T103000Z-3fa1';
const PASSES = 150;
const ARN = executionArn('us-west-2', 'lifeboat-shop-drill', NAME);

let sfn: ReturnType<typeof mockSfn>;
let plan: string;

/** A failed drill: several polling loops (many events), a throttled retry, a caught failure, teardown. */
function failedDrill(): HistoryBuilder {
  const h = new HistoryBuilder().started({});
  h.task('Resolve recovery points', {
    task: 'resolve-recovery-points',
    attempts: [{ output: { waves: [{ wave: 1, targets: [{ workload: 'db', imageId: 'ami-0bbbbbbbbbbbbbbb2', sourceInstanceId: 'i-0a1b2c3d4e5f60001' }] }] } }],
  });
  for (let pass = 0; pass < PASSES; pass += 1) {
    h.task('Launch in region', {
      task: 'launch-in-region',
      input: { targets: [{ imageId: 'ami-0bbbbbbbbbbbbbbb2', sourceInstanceId: 'i-0a1b2c3d4e5f60001' }] },
      attempts:
        pass === 0
          ? [{ error: 'Lifeboat.Throttled', cause: 'Request limit exceeded.' }, { output: { instances: [{ instanceId: 'i-0eeeeeeeeeeeeeee5', imageId: 'ami-0bbbbbbbbbbbbbbb2' }], isComplete: false } }]
          : [{ output: { instances: [{ instanceId: 'i-0eeeeeeeeeeeeeee5' }], isComplete: false } }],
    });
    h.state('Choice', 'Instances ready?').state('Wait', 'Wait for instances', 30);
  }
  h.task('Check instances', { task: 'launch-in-region', attempts: [{ error: 'Lifeboat.LaunchFailed', cause: 'instance i-0eeeeeeeeeeeeeee5 of db is impaired' }], isCaught: true });
  h.task('Record failure', { task: 'record-failure', attempts: [{ output: { resume: false } }] });
  h.task('Tear down after failure', { task: 'teardown', attempts: [{ output: { terminated: ['i-0eeeeeeeeeeeeeee5'] } }] });
  h.add('FailStateEntered', { name: 'Drill failed', input: '{}' });
  h.failed('Lifeboat.StepFailed', 'step "Check instances" failed with Lifeboat.LaunchFailed: instance i-0eeeeeeeeeeeeeee5 of db is impaired');
  return h;
}

beforeEach(() => {
  sfn = mockSfn();
  plan = tempFiles({ 'shop.plan.json': SHOP_PLAN })['shop.plan.json'];
});
afterEach(() => sfn.restore());

function serve(h: HistoryBuilder, status = 'FAILED'): void {
  sfn.on(DescribeExecutionCommand).callsFake(async (input: { executionArn: string }) => {
    if (input.executionArn !== ARN) throw Object.assign(new Error(`Execution Does Not Exist: '${input.executionArn}'`), { name: 'ExecutionDoesNotExist', $fault: 'client', $metadata: {} });
    return { executionArn: ARN, name: NAME, status, stateMachineArn: ARN.replace(':execution:', ':stateMachine:').replace(`:${NAME}`, ''), startDate: h.events[0].timestamp };
  });
  sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => h.events));
}

describe('cli: history', () => {
  test('reads every page of a long history and renders the timeline with retries, errors and resources', async () => {
    // GIVEN a history of more than one page of 1000 events
    const h = failedDrill();
    expect(h.events.length).toBeGreaterThan(1000);
    serve(h);

    // WHEN
    const run = await runCli(['history', ARN]);

    // THEN
    expect(run.code).toBe(1);
    const calls = sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input);
    expect(calls.length).toBe(Math.ceil(h.events.length / 1000));
    expect(calls[1].nextToken).toBeDefined();
    expect(calls.every((c) => c.executionArn === ARN)).toBe(true);
    expect(run.stdout).toContain(`Launch in region (polled ${PASSES} times)`);
    expect(run.stdout).toMatch(new RegExp(`Launch in region \\(polled ${PASSES} times\\)\\s+\\S+\\s+\\S+\\s+1\\s+ok`)); // one retry in all
    expect(normalise(run.stdout)).toMatchSnapshot('stdout');
    expect(run.stderr).toBe('');
  });

  test('--json prints the whole timeline as one document', async () => {
    const h = failedDrill();
    serve(h);

    const run = await runCli(['history', ARN, '--json']);

    const doc = JSON.parse(run.stdout);
    expect(doc).toMatchObject({ executionArn: ARN, name: NAME, region: 'us-west-2', status: 'FAILED', error: 'Lifeboat.StepFailed', eventCount: h.events.length });
    expect(doc.steps).toHaveLength(1 + PASSES * 3 + 4);
    expect(doc.steps[1]).toMatchObject({ name: 'Launch in region', task: 'launch-in-region', attempts: 2, retries: 1, errors: [{ error: 'Lifeboat.Throttled' }] });
    expect(doc.resources).toEqual({
      created: [{ id: 'i-0eeeeeeeeeeeeeee5', kind: 'instance', step: 'Launch in region' }],
      removed: [{ id: 'i-0eeeeeeeeeeeeeee5', kind: 'instance', step: 'Tear down after failure' }],
    });
  });

  test('resolves an execution name against the plan, trying the machine its kind names first', async () => {
    const h = new HistoryBuilder().started();
    h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ output: {} }] }).succeeded();
    serve(h, 'SUCCEEDED');

    const run = await runCli(['history', NAME, '--plan', plan]);

    expect(run.code).toBe(0);
    expect(sfn.commandCalls(DescribeExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([ARN]);
    expect(run.stdout).toContain(`${NAME}  SUCCEEDED`);
  });

  test('fails when no execution has that name, saying where it looked and how to list runs', async () => {
    serve(new HistoryBuilder().started());

    const run = await runCli(['history', 'drill-20991231T000000Z-0000', '--plan', plan]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'lifeboat history: no execution named "drill-20991231T000000Z-0000" in lifeboat-shop-drill (us-west-2), lifeboat-shop-backup (us-east-1), lifeboat-shop-failover (us-west-2)',
    );
    expect(run.stderr).toContain(`hint: run 'lifeboat list --plan ${plan}' to see recent runs`);
  });

  test('rejects a bare name without --plan, and a malformed ARN', async () => {
    const bare = await runCli(['history', NAME]);
    const bad = await runCli(['history', 'arn:aws:states:us-west-2:nope']);

    expect([bare.code, bad.code]).toEqual([2, 2]);
    expect(bare.stderr).toContain(`"${NAME}" is a name: pass --plan FILE`);
    expect(bad.stderr).toContain('expected an execution ARN or name, found "arn:aws:states:us-west-2:nope"');
  });

  test('--follow catches up on a RUNNING run, follows it to the end, then prints the timeline', async () => {
    // GIVEN a run that is RUNNING for the first two polls, then SUCCEEDED
    const h = new HistoryBuilder().started();
    h.task('Resolve recovery points', { task: 'resolve-recovery-points', attempts: [{ output: {} }] });
    const runningUntil = h.events.length;
    h.task('Launch in region', { task: 'launch-in-region', attempts: [{ output: { instances: [{ instanceId: 'i-0eeeeeeeeeeeeeee5' }] } }] }).succeeded();
    let describes = 0;
    sfn.on(DescribeExecutionCommand).callsFake(async () => {
      describes += 1;
      const isDone = describes > 2;
      return { executionArn: ARN, name: NAME, status: isDone ? 'SUCCEEDED' : 'RUNNING', startDate: h.events[0].timestamp, ...(isDone ? { stopDate: h.events.at(-1)?.timestamp } : {}) };
    });
    sfn.on(GetExecutionHistoryCommand).callsFake(pagedHistory(() => (describes > 2 ? h.events : h.events.slice(0, runningUntil))));

    // WHEN
    const run = await runCli(['history', ARN, '--follow']);

    // THEN
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('→ Resolve recovery points');
    expect(run.stderr).toContain('✓ Launch in region 1.0s created i-0eeeeeeeeeeeeeee5');
    expect(run.stdout).toContain(`${NAME}  SUCCEEDED`);
    expect(run.stdout).toMatch(/Launch in region\s+\S+\s+1\.0s\s+0\s+ok/);
  });
});
