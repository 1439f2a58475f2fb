import aslValidator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import { AslDefinitionSchema } from '../../schemas/asl.js';
import { PlanSchema, parsePlan } from '../../schemas/plan.js';
import { planAlarms } from '../../workflows/alarms.js';
import { checkBudget, failbackBudget, worstCase } from '../../workflows/budget.js';
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

describe('workflow: failback › approval, application health and the traffic switch back', () => {
  const PRIMARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-web/0123456789abcdef';
  const TOPIC = 'arn:aws:sns:us-west-2:123456789012:shop-lifeboat';

  /** The three-tier example with health checks, a failback probe network and a traffic block back to the primary region. */
  function fullPlan(extra: Record<string, unknown> = {}) {
    const json = JSON.parse(JSON.stringify(examplePlan('three-tier'))) as Record<string, any>;
    json.healthProbe = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330009'] };
    for (const w of json.workloads) if (w.name === 'web') w.healthCheck = { protocol: 'http', path: '/health' };
    json.failback.healthProbe = { subnetIds: ['subnet-0bb11cc22dd330001'], securityGroupIds: ['sg-0bb11cc22dd330009'] };
    json.failback.traffic = {
      targetGroups: [{ workload: 'web', targetGroupArn: PRIMARY_TG, port: 8080 }],
      records: [{ kind: 'weights', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'api.example.com', type: 'CNAME', weights: { primary: 100, recovery: 0 } }],
    };
    return parsePlan({ ...json, ...extra }, 'failback-full');
  }

  test('with approval: "Ask for approval" comes after the copies are verified and before anything is launched in the primary region', () => {
    const plan = fullPlan({ approval: { requiredApprovers: 2 } });
    expect(() => renderFailback(plan, TEST_ARNS)).toThrow(/the plan's approval applies to a failback, which needs the notifications topic/);
    const d = renderFailback(plan, { ...TEST_ARNS, notificationTopic: TOPIC });
    expect(lintWorkflow(d, { name: 'failback' })).toEqual([]);
    const { isValid, errors } = aslValidator(d as object);
    expect(errors ?? []).toEqual([]);
    expect(isValid).toBe(true);
    expect((d.States['Plan failback waves'] as { Next: string }).Next).toBe('Ask for approval');
    const wait = d.States['Await approval'] as unknown as { Resource: string; Arguments: { Payload: { input: string } } };
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    // the request names the failback and the region it launches in
    expect(wait.Arguments.Payload.input).toContain('"mode": "failback", "region": "us-east-1"');
    expect((d.States['Enough approvals?'] as { Choices: { Next: string }[] }).Choices[0]!.Next).toBe('Launch failback waves');
    expect(d.States['Approval rejected']).toMatchObject({ Type: 'Fail', Error: 'Lifeboat.ApprovalRejected' });
    // approval.failback false: no gate
    const off = renderFailback(fullPlan({ approval: { failback: false } }), TEST_ARNS);
    expect(off.States['Ask for approval']).toBeUndefined();
    expect((off.States['Plan failback waves'] as { Next: string }).Next).toBe('Launch failback waves');
  });

  test('probes the failback instances in the primary region, then moves traffic back there (the RTO ends when it is switched), then holds and retires', async () => {
    // GIVEN
    const plan = fullPlan();
    const world = fakeWorld({ passesToComplete: 1, instancesPerSelector: 1 });
    const runner = new AslRunner(renderFailback(plan, TEST_ARNS), { lambda: world.lambda });
    // WHEN
    const result = await runner.start({});
    // THEN
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(world.violations).toEqual([]);
    const probes = inputs(runner, 'probe-health');
    expect(probes.length).toBeGreaterThan(0);
    for (const p of probes) expect(p).toMatchObject({ planName: 'shop', region: 'us-east-1' });
    const launched = (result.output as { instances: { workload: string; instanceId: string }[] }).instances;
    const web = launched.filter((i) => i.workload === 'web').map((i) => i.instanceId);
    expect(web.length).toBeGreaterThan(0);
    const [traffic] = inputs(runner, 'switch-traffic');
    expect(traffic).toMatchObject({ mode: 'failback', region: 'us-east-1', targetGroups: [{ targetGroupArn: PRIMARY_TG, port: 8080, instanceIds: web }], records: [{ kind: 'weights', weights: { primary: 100, recovery: 0 } }] });
    const order = statesEntered(runner);
    expect(order.indexOf('Switch traffic')).toBeGreaterThan(order.lastIndexOf('Wave ready'));
    expect(order.indexOf('Hold recovery instances')).toBeGreaterThan(order.indexOf('Traffic switched?'));
    expect(order.indexOf('Retire recovery instances')).toBeGreaterThan(order.indexOf('Hold recovery instances'));
    const switched = runner.taskCalls('switch-traffic').at(-1)!;
    expect((inputs(runner, 'record-metrics')[0] as { readyAt: string }).readyAt).toBe(switched.time);
    expect(result.output).toMatchObject({ traffic: { mode: 'failback', phase: 'done', isVerified: true } });
  });

  test('a failed traffic switch back ends FAILED before the retirement; a redrive resumes at "Switch traffic" and retires', async () => {
    const world = fakeWorld({ passesToComplete: 1, failures: { 'switch-traffic': { calls: [1], error: 'Lifeboat.Timeout' } } });
    const runner = new AslRunner(renderFailback(fullPlan(), TEST_ARNS), { lambda: world.lambda });
    const failed = await runner.start({});
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed', failedState: 'Record failure' });
    expect(lambdaMessage(failed.cause)).toMatch(/^step "Switch traffic" failed with Lifeboat\.Timeout: /);
    expect(runner.taskCalls('retire-instances')).toEqual([]);
    const launches = runner.taskCalls('launch-in-region').length;
    const redriven = await runner.redrive();
    expect(redriven.status, redriven.cause).toBe('SUCCEEDED');
    expect(runner.taskCalls('launch-in-region')).toHaveLength(launches);
    expect(runner.taskCalls('retire-instances').length).toBeGreaterThan(0);
  });

  test('plan check counts the failback in the history budget and refuses a failback section for more than 100 listed instances', () => {
    const plan = fullPlan({ approval: {} });
    const failback = worstCase(plan).find((w) => w.workflow === 'failback')!;
    const b = failbackBudget(plan);
    // db and reports listed (1 each), web by tags (one batch of 10); 2 required approvers would make it 7 rounds
    expect(b).toMatchObject({ targets: 12, approvalRounds: 6, waves: 2 });
    expect(b.healthPasses).toBeGreaterThan(0);
    expect(b.trafficPasses).toBeGreaterThan(0);
    expect(failback.events).toBeGreaterThan(b.total);
    expect(failback.detail).toContain('6 approval rounds');
    expect(worstCase(examplePlan('small')).map((w) => w.workflow)).not.toContain('failback');
    // a failback long enough to pass the limit is refused, naming the failback's fields
    const long = fullPlan({ backup: { ...JSON.parse(JSON.stringify(examplePlan('three-tier').backup)), batchSize: 1, imageTimeoutMinutes: 1440, copyTimeoutMinutes: 1440 } });
    const issue = checkBudget(long).find((i) => i.path === 'failback');
    expect(issue?.expected).toContain('failback.launchTimeoutMinutes');
    // more than 100 listed instances
    const json = JSON.parse(JSON.stringify(examplePlan('three-tier'))) as Record<string, any>;
    json.workloads[0].instanceIds = Array.from({ length: 101 }, (_, i) => `i-${(0x10000000 + i).toString(16).padStart(17, '0')}`);
    delete json.workloads[0].tagSelector;
    const parsed = PlanSchema.safeParse(json);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.find((i) => i.path.join('.') === 'failback')?.message).toContain('a plan of at most 100 instances to fail back');
  });
});

describe('alarms: failback-failed', () => {
  const arn = (name: string, region: string) => `arn:aws:states:${region}:123456789012:stateMachine:${name}`;

  test('a plan with a failback section alarms on failed, timed-out or aborted failback executions in the recovery region; one without has no such alarm', () => {
    const alarm = planAlarms(examplePlan('three-tier'), { stateMachineArn: arn }).find((a) => a.id === 'failback-failed')!;
    expect(alarm).toMatchObject({ name: 'lifeboat-shop-failback-failed', region: 'us-west-2', periodSeconds: 300, threshold: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold', treatMissingData: 'notBreaching' });
    const metric = alarm.metric as { expression: string; metrics: Record<string, { metricName: string; dimensions: Record<string, string> }> };
    expect(metric.expression).toBe('FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)');
    expect(Object.values(metric.metrics).map((m) => [m.metricName, m.dimensions.StateMachineArn])).toEqual([
      ['ExecutionsFailed', arn('lifeboat-shop-failback', 'us-west-2')],
      ['ExecutionsTimedOut', arn('lifeboat-shop-failback', 'us-west-2')],
      ['ExecutionsAborted', arn('lifeboat-shop-failback', 'us-west-2')],
    ]);
    expect(alarm.description).toContain('docs/runbooks/failback.md');
    expect(planAlarms(examplePlan('small'), { stateMachineArn: arn }).map((a) => a.id)).not.toContain('failback-failed');
  });
});
