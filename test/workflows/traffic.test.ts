import { describe, expect, test } from 'vitest';
import { AslDefinitionSchema } from '../../schemas/asl.js';
import type { PlanInput } from '../../schemas/plan.js';
import { parsePlan } from '../../schemas/plan.js';
import { lintWorkflow } from '../../workflows/lint.js';
import { renderFailover } from '../../workflows/render.js';
import { TRAFFIC_STATES } from '../../workflows/failover/traffic.js';
import { TEST_ARNS, fakeWorld } from './helpers/fake-tasks.js';
import { examplePlan } from './helpers/plans.js';
import { AslRunner } from './helpers/run-asl.js';

const TG = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/shop-web/0123456789abcdef';

/** The three-tier example with a traffic switch: the web tier into a target group, the shop's A record to the recovery ALB. */
function trafficPlan(extra: Partial<NonNullable<PlanInput['traffic']>> = {}) {
  const base = examplePlan('three-tier') as unknown as PlanInput;
  return parsePlan({
    ...base,
    traffic: {
      targetGroups: [{ workload: 'web', targetGroupArn: TG, port: 8080 }],
      records: [{ kind: 'alias', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'dr-alb.us-west-2.elb.amazonaws.com' } }],
      ...extra,
    },
  }, 'traffic-plan');
}

const order = (runner: AslRunner) => runner.trace.filter((e) => e.kind === 'task').map((e) => (e as { task?: string }).task ?? '');

describe('workflow: failover › traffic switch', () => {
  test('renders a definition that the ASL schema and the lint accept, with the switch between the waves and the metrics', () => {
    const d = renderFailover(trafficPlan(), 'failover', TEST_ARNS);
    expect(AslDefinitionSchema.safeParse(d).success).toBe(true);
    expect(lintWorkflow(d, { name: 'failover', mode: 'failover' })).toEqual([]);
    expect((d.States['Launch waves'] as { Next: string }).Next).toBe(TRAFFIC_STATES.start);
    expect((d.States[TRAFFIC_STATES.check] as { Choices: { Next: string }[] }).Choices[0]!.Next).toBe('Record recovery metrics');
    const drill = renderFailover(trafficPlan(), 'drill', TEST_ARNS);
    expect(lintWorkflow(drill, { name: 'drill', mode: 'drill' })).toEqual([]);
    expect((drill.States[TRAFFIC_STATES.check] as { Choices: { Next: string }[] }).Choices[0]!.Next).toBe('Hold drill instances');
  });

  test('switches traffic once every wave is ready: the web instances into the target group, the records as planned; the RTO ends there', async () => {
    const world = fakeWorld();
    const runner = new AslRunner(renderFailover(trafficPlan(), 'failover', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    const calls = runner.taskCalls('switch-traffic');
    expect(calls).toHaveLength(1);
    const input = (calls[0]!.payload as { input: any }).input;
    const web = (result.output as { instances: { workload: string; instanceId: string }[] }).instances.filter((i) => i.workload === 'web').map((i) => i.instanceId);
    expect(web.length).toBeGreaterThan(0);
    expect(input).toMatchObject({ mode: 'failover', region: 'us-west-2', targetGroups: [{ targetGroupArn: TG, port: 8080, instanceIds: web }], records: [{ kind: 'alias', name: 'shop.example.com' }] });
    expect(input).not.toHaveProperty('previous');
    const lastLaunch = runner.taskCalls('launch-in-region').at(-1)!;
    expect(Date.parse(calls[0]!.time)).toBeGreaterThan(Date.parse(lastLaunch.time));
    expect((runner.taskCalls('record-metrics')[0]!.payload as { input: any }).input.readyAt).toBe(calls[0]!.time);
    expect(result.output).toMatchObject({ traffic: { phase: 'done', isVerified: true, mode: 'failover' } });
  });

  test('a drill reports the switch before tearing down, and registers nothing', async () => {
    const world = fakeWorld();
    const runner = new AslRunner(renderFailover(trafficPlan(), 'drill', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result.status).toBe('SUCCEEDED');
    const input = (runner.taskCalls('switch-traffic')[0]!.payload as { input: any }).input;
    expect(input.mode).toBe('drill');
    expect(Date.parse(runner.taskCalls('teardown')[0]!.time)).toBeGreaterThanOrEqual(Date.parse(runner.taskCalls('switch-traffic')[0]!.time));
    expect(result.output).toMatchObject({ traffic: { mode: 'drill', targetGroups: [{ isRegistered: false }] } });
  });

  test('fails naming "Switch traffic", and a redrive resumes there with the last pass, launching nothing again', async () => {
    const world = fakeWorld({ failures: { 'switch-traffic': { calls: [1], error: 'Lifeboat.Timeout' } } });
    const runner = new AslRunner(renderFailover(trafficPlan(), 'failover', TEST_ARNS), { lambda: world.lambda });
    const failed = await runner.start({});
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Lifeboat.StepFailed' });
    expect(String(failed.cause)).toContain('step \\"Switch traffic\\" failed with Lifeboat.Timeout');
    const launches = runner.taskCalls('launch-in-region').length;
    const redriven = await runner.redrive();
    expect(redriven.status).toBe('SUCCEEDED');
    expect(runner.taskCalls('launch-in-region')).toHaveLength(launches);
    expect(runner.taskCalls('resolve-recovery-points')).toHaveLength(1);
  });

  test('a drill that exercises switches its drill names, registers in the drill target group only, and restores after the hold, before the teardown', async () => {
    const DRILL_TG = TG.replace('shop-web/0123456789abcdef', 'shop-drill/0123456789abcdee');
    const plan = trafficPlan({
      drill: 'exercise',
      targetGroups: [{ workload: 'web', targetGroupArn: TG, port: 8080, drillTargetGroupArn: DRILL_TG }],
      records: [{ kind: 'alias', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com', drillRecordName: 'drill-shop.example.com', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'dr-alb.us-west-2.elb.amazonaws.com', evaluateTargetHealth: false } }],
    });
    const d = renderFailover(plan, 'drill', TEST_ARNS);
    expect(lintWorkflow(d, { name: 'drill', mode: 'drill' })).toEqual([]);
    const world = fakeWorld();
    const runner = new AslRunner(d, { lambda: world.lambda });
    const result = await runner.start({});
    expect(world.violations).toEqual([]);
    expect(result.status).toBe('SUCCEEDED');
    const [sw, restore] = runner.taskCalls('switch-traffic').map((c) => (c.payload as { input: any }).input);
    expect(sw).toMatchObject({ mode: 'drill', drill: 'exercise', targetGroups: [{ targetGroupArn: DRILL_TG, port: 8080 }], records: [{ drillRecordName: 'drill-shop.example.com' }] });
    expect(restore).toMatchObject({ action: 'restore', mode: 'drill', switched: { drill: 'exercise', targetGroups: [{ targetGroupArn: DRILL_TG, isRegistered: true }] } });
    // the restore comes after the hold and before the teardown
    const entered = runner.trace.filter((e) => e.kind === 'state').map((e) => (e as { name?: string }).name);
    expect(entered.indexOf('Restore drill traffic')).toBeGreaterThan(entered.indexOf('Hold drill instances'));
    expect(entered.indexOf('Restore drill traffic')).toBeLessThan(entered.indexOf('Tear down drill'));
    expect(result.output).toMatchObject({ traffic: { drill: 'exercise' }, trafficRestore: { action: 'restore', isVerified: true } });
  });

  test('a drill that exercises restores its drill traffic on the failure path before tearing down, and still tears down when the restore fails', async () => {
    const plan = trafficPlan({ drill: 'exercise', targetGroups: [], records: [{ kind: 'values', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'shop.example.com', drillRecordName: 'drill-shop.example.com', type: 'A', values: ['198.51.100.7'] }] });
    // GIVEN the restore after the hold fails, and so does the one on the failure path
    const world = fakeWorld({ failures: { 'switch-traffic': { calls: [2, 3], error: 'Lifeboat.InvalidInput' } } });
    const runner = new AslRunner(renderFailover(plan, 'drill', TEST_ARNS), { lambda: world.lambda });
    const result = await runner.start({});
    expect(result.status).toBe('FAILED');
    const entered = runner.trace.filter((e) => e.kind === 'state').map((e) => (e as { name?: string }).name);
    expect(entered).toContain('Restore traffic after failure');
    expect(entered.indexOf('Restore traffic after failure')).toBeLessThan(entered.indexOf('Tear down after failure'));
    expect(runner.taskCalls('teardown').length).toBeGreaterThan(0);
    expect(String(result.cause)).toContain('step "Restore drill traffic" failed with Lifeboat.InvalidInput');
    expect(String(result.cause)).toContain('then restoring the drill traffic failed with Lifeboat.InvalidInput');
    expect(String(result.cause)).toContain('lifeboat traffic undo');
  });

  test('refuses target groups in a distributed run at render time, saying what to do', () => {
    const plan = { ...trafficPlan(), scale: { ...trafficPlan().scale, mode: 'distributed' as const } };
    expect(() => renderFailover(plan, 'failover', { ...TEST_ARNS, runBucket: 'lifeboat-runs' })).toThrow(/plan\.traffic\.targetGroups: a distributed run .* Use scale\.mode "inline"/);
  });
});
