import aslValidator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import { AslDefinitionSchema } from '../../schemas/asl.js';
import { lintWorkflow } from '../../workflows/lint.js';
import { renderFailback } from '../../workflows/render.js';
import { TEST_ARNS, fakeWorld } from './helpers/fake-tasks.js';
import { examplePlan } from './helpers/plans.js';
import { AslRunner } from './helpers/run-asl.js';

type Input = Record<string, unknown>;
const lambdaMessage = (cause: string | undefined) => String((JSON.parse(cause ?? '{}') as { errorMessage?: string }).errorMessage);
const inputs = (runner: AslRunner, task: string) => runner.taskCalls(task).map((c) => (c.payload as { input: Input }).input);
const statesEntered = (runner: AslRunner) => runner.trace.filter((e): e is Extract<typeof e, { kind: 'state' }> => e.kind === 'state').map((e) => e.name);

describe('workflow: failback', () => {
  const plan = examplePlan('three-tier');

  test('renders a definition the ASL schema, asl-validator and the lint accept', () => {
    const d = renderFailback(plan, TEST_ARNS);
    expect(AslDefinitionSchema.safeParse(d).success).toBe(true);
    const { isValid, errors } = aslValidator(d as object);
    expect(errors ?? []).toEqual([]);
    expect(isValid).toBe(true);
    expect(lintWorkflow(d, { name: 'failback' })).toEqual([]);
  });

  test('refuses a plan without a failback section, naming the field to add', () => {
    expect(() => renderFailback(examplePlan('small'), TEST_ARNS)).toThrow(/plan "wiki": the plan has no "failback" section; add failback\.launch/);
  });

  test('images the recovered instances in the recovery region, copies and verifies them in the primary, launches there in waves, holds, retires, then records RPO and RTO', async () => {
    // GIVEN a healthy fake account whose loops finish on their second pass
    const world = fakeWorld({ passesToComplete: 2, instancesPerSelector: 1 });
    const runner = new AslRunner(renderFailback(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN the console starts it with {}
    const result = await runner.start({});
    // THEN
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(world.violations).toEqual([]);
    const [find] = inputs(runner, 'find-recovered-instances');
    expect(find).toEqual({ planName: 'shop', region: 'us-west-2', workloads: [{ name: 'db', isCritical: true }, { name: 'web', isCritical: true }, { name: 'reports', isCritical: false }], batchSize: 10, maxTargets: 100 });
    const recovered = (inputs(runner, 'image')[0]!.targets as { instanceId: string }[]).map((t) => t.instanceId);
    // the backup's batch loop, regions swapped, with the failback's key in the primary region
    expect(inputs(runner, 'image')[0]).toMatchObject({ region: 'us-west-2', recoveryPointTime: '2026-11-25T10:30:00.000Z' });
    expect(inputs(runner, 'copy')[0]).toMatchObject({ sourceRegion: 'us-west-2', targetRegion: 'us-east-1', kmsKeyId: plan.failback!.kmsKeyId });
    expect(inputs(runner, 'verify')[0]).toMatchObject({ region: 'us-east-1', kmsKeyId: plan.failback!.kmsKeyId });
    // the failover's wave loop in mode failback, in the primary region, with the primary's launch settings, waves in order
    const launches = inputs(runner, 'launch-in-region');
    expect(launches.map((l) => (l.targets as { workload: string }[]).map((t) => t.workload))).toEqual([['db'], ['db'], ['web', 'reports'], ['web', 'reports']]);
    for (const l of launches) expect(l).toMatchObject({ mode: 'failback', region: 'us-east-1' });
    const db = (launches[0]!.targets as Input[])[0]!;
    expect(db).toMatchObject({ workload: 'db', isCritical: true, recoveryPointTime: '2026-11-25T10:30:00.000Z', launch: { subnetIds: ['subnet-0bb11cc22dd330001'], securityGroupIds: ['sg-0bb11cc22dd330001'], instanceTypes: ['r6i.large', 'r5.large'], keyName: 'ops' } });
    expect(recovered).toContain(db.sourceInstanceId);
    // nothing is retired before every wave is ready and the hold is over
    const order = statesEntered(runner);
    expect(order.indexOf('Hold recovery instances')).toBeGreaterThan(order.lastIndexOf('Wave ready'));
    expect(order.indexOf('Retire recovery instances')).toBeGreaterThan(order.indexOf('Hold recovery instances'));
    expect(runner.trace.filter((e) => e.kind === 'wait' && e.name === 'Hold recovery instances').map((e) => (e as { seconds: number }).seconds)).toEqual([1800]);
    const retire = inputs(runner, 'retire-instances');
    expect(retire).toHaveLength(2);
    expect(retire[0]).toMatchObject({ planName: 'shop', region: 'us-west-2', action: 'terminate' });
    expect([...(retire[0]!.instanceIds as string[])].sort()).toEqual([...recovered].sort());
    // RPO at the launch's start, RTO to the last wave ready
    const [metrics] = inputs(runner, 'record-metrics');
    const launchStarted = runner.trace.find((e) => e.kind === 'state' && e.name === 'Launch failback waves') as { time: string };
    const lastLaunch = runner.taskCalls('launch-in-region').at(-1)!;
    expect(metrics).toMatchObject({ kind: 'failback', region: 'us-west-2', startedAt: '2026-11-25T10:30:00.000Z', recoveryPointTime: '2026-11-25T10:30:00.000Z', rpoAt: launchStarted.time, readyAt: lastLaunch.time });
    expect(metrics!.sets).toEqual([{ executionArn: expect.stringContaining(':execution:'), recoveryPointTime: '2026-11-25T10:30:00.000Z', isComplete: true, workloads: ['db', 'web', 'reports'] }]);
    expect(result.output).toMatchObject({ mode: 'failback', readyCount: 3, retired: { action: 'terminate', count: 3 } });
  });

  test('passes a pinned failover execution to find-recovered-instances', async () => {
    const world = fakeWorld({ passesToComplete: 1 });
    const runner = new AslRunner(renderFailback(plan, TEST_ARNS), { lambda: world.lambda });
    const pin = 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-failover:failover-20261120T080000Z-00aa';
    const result = await runner.start({ failoverExecution: pin });
    expect(result.status).toBe('SUCCEEDED');
    expect(inputs(runner, 'find-recovered-instances')[0]).toMatchObject({ failoverExecutionArn: pin });
    expect(result.output).toMatchObject({ failoverExecutionArn: pin });
  });

  test('fails naming the failed wave and retires nothing; a redrive resumes that wave only and then retires', async () => {
    // GIVEN wave 2's launch fails beyond its retries
    const world = fakeWorld({ passesToComplete: 1, failures: { 'launch-in-region': { calls: [2, 3, 4, 5, 6], error: 'Lifeboat.Capacity' } } });
    const runner = new AslRunner(renderFailback(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const failed = await runner.start({});
    // THEN the recovery instances still run (no retire), and the cause names the step
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record wave failure' });
    expect(lambdaMessage(failed.cause)).toMatch(/^step "Launch instances" failed with Lifeboat\.Capacity: /);
    expect(inputs(runner, 'record-failure')[0]).toMatchObject({ kind: 'failback', region: 'us-west-2', step: 'Launch instances' });
    expect(runner.taskCalls('retire-instances')).toEqual([]);
    // WHEN redriven
    const redriven = await runner.redrive();
    // THEN nothing is imaged or launched twice and the run ends retired
    expect(redriven.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('image')).toHaveLength(1);
    expect(inputs(runner, 'launch-in-region').map((l) => (l.targets as { workload: string }[])[0]!.workload)).toEqual(['db', 'web', 'web', 'web', 'web', 'web', 'web']);
    expect(runner.taskCalls('retire-instances').length).toBeGreaterThan(0);
  });

  test('a failed retirement ends the run at Record failure; a redrive retires again with a fresh deadline', async () => {
    const world = fakeWorld({ passesToComplete: 1, failures: { 'retire-instances': { calls: [1], error: 'Lifeboat.Timeout' } } });
    const runner = new AslRunner(renderFailback(plan, TEST_ARNS), { lambda: world.lambda });
    const failed = await runner.start({});
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record failure' });
    expect(lambdaMessage(failed.cause)).toMatch(/^step "Retire recovery instances" failed with Lifeboat\.Timeout: /);
    const launchesBefore = runner.taskCalls('launch-in-region').length;
    const redriven = await runner.redrive();
    expect(redriven.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('launch-in-region')).toHaveLength(launchesBefore);
    const retire = inputs(runner, 'retire-instances');
    expect(Date.parse(String(retire[1]!.deadline))).toBeGreaterThan(Date.parse(String(retire[0]!.deadline)));
    expect(runner.taskCalls('record-metrics')).toHaveLength(1);
  });
});
