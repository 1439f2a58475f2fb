import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { TAG_KEYS } from '../../schemas/tags.js';
import { examplePlan, failure, localLifeboat, statesEntered, taskCalls } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** The three-tier example with health checks: web over HTTP on /health, db over TCP 5432. */
function healthPlan(): Plan {
  const base = examplePlan('three-tier');
  const json = JSON.parse(JSON.stringify(base)) as Record<string, any>;
  json.healthProbe = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330009'] };
  // The example fails back too: its failback instances are probed from the primary VPC.
  json.failback.healthProbe = { subnetIds: ['subnet-0bb11cc22dd330001'], securityGroupIds: ['sg-0bb11cc22dd330009'] };
  for (const w of json.workloads) {
    if (w.name === 'web') w.healthCheck = { protocol: 'http', path: '/health', expectedStatus: 200, deadlineMinutes: 20 };
    if (w.name === 'db') w.healthCheck = { protocol: 'tcp', port: 5432, deadlineMinutes: 20 };
  }
  return parsePlan(json, 'health.plan.json');
}

/** The recovered instances of a workload in the recovery region (any state). */
function recovered(e: LocalLifeboat, workload: string) {
  return e.sandbox.ec2.region(e.plan.recoveryRegion).instances().filter((i) => i.tags[TAG_KEYS.workload] === workload);
}

/** The db's application listens on TCP 5432 (the default applications answer HTTP on 80/443/8080 only). */
function dbListens(e: LocalLifeboat, bootSeconds?: number): Record<string, unknown> {
  return { region: e.plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'db' }, listeners: [{ port: 5432, protocol: 'tcp' }], ...(bootSeconds !== undefined ? { bootSeconds } : {}) };
}

describe('e2e: application health checks on the sandbox', () => {
  test('a failover waits in "Check application health" until the web application has booted; the RTO counts until then', async () => {
    // GIVEN a backed-up plan whose recovered web instances take 15 minutes to boot their application
    env = await localLifeboat({ plan: healthPlan() });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    env.sandbox.ec2.applications.set({
      rules: [dbListens(env), { region: env.plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'web' }, bootSeconds: 900 }],
    });

    // WHEN
    const run = await env.runToEnd('failover', {});

    // THEN it succeeds after several health passes of wave 2
    expect(run.status, run.cause).toBe('SUCCEEDED');
    const states = statesEntered(run.events);
    expect(states.filter((s) => s === 'Check application health').length).toBeGreaterThan(10);
    expect(states).toContain('Wait for application health');
    expect(states.indexOf('Check application health')).toBeGreaterThan(states.indexOf('Instances ready?'));
    // every web instance was answering by the time the run counted it ready, and readyAt is not earlier than that
    const output = run.output as { readyAt: string; startedAt: string; achieved: { rtoSeconds: number } };
    const apps = env.sandbox.ec2.applications.describe(env.plan.recoveryRegion);
    const web = recovered(env, 'web').filter((i) => i.state === 'running');
    expect(web.length).toBeGreaterThan(0);
    const lastAppReady = Math.max(...web.map((i) => apps.find((a) => a.instanceId === i.instanceId)!.readyAt!));
    expect(Date.parse(output.readyAt)).toBeGreaterThanOrEqual(lastAppReady);
    // status checks pass within about 4 minutes of launch; the 15-minute boot is what the RTO shows
    expect(output.achieved.rtoSeconds).toBeGreaterThan(900);
    expect(Math.abs(output.achieved.rtoSeconds - (Date.parse(output.readyAt) - Date.parse(output.startedAt)) / 1000)).toBeLessThan(1);
    for (const i of web) expect(env.sandbox.ec2.applicationAnswer(env.plan.recoveryRegion, i.instanceId, 'http', 80, '/health')).toMatchObject({ outcome: 'answered', status: 200 });
  });

  test('an unhealthy application fails its wave naming the instance, the endpoint and what it answered; a redrive after the fix succeeds', async () => {
    // GIVEN the recovered web application answers 503
    env = await localLifeboat({ plan: healthPlan() });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    env.sandbox.ec2.applications.set({ rules: [dbListens(env)], faults: [{ region: env.plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'web' }, answer: 503 }] });

    // WHEN
    const run = await env.runToEnd('failover', {});

    // THEN
    expect(run.status).toBe('FAILED');
    const f = failure(run.events)!;
    expect(f.error).toBe('Lifeboat.StepFailed');
    expect(f.cause).toContain('Check application health\\" failed with Lifeboat.HealthCheckFailed');
    const web = recovered(env, 'web').filter((i) => i.state === 'running');
    for (const i of web) {
      const ip = env.sandbox.ec2.applications.describe(env.plan.recoveryRegion).find((a) => a.instanceId === i.instanceId)!.privateIp;
      expect(f.cause).toContain(`web/${i.instanceId} at http://${ip}:80/health: expected HTTP 200 2 time(s) in a row within 20 min, found HTTP 503`);
    }
    expect(f.cause).toContain('What to do:');
    // the db wave (1) was healthy: only the web instances are named
    expect(f.cause).not.toContain('db/');

    // WHEN the application is fixed and the run redriven
    env.sandbox.ec2.applications.set({ rules: [dbListens(env)] });
    const second = await env.redrive(run.executionArn);

    // THEN the health step runs again and the failover succeeds, with no instance launched twice
    expect(second.status, second.cause).toBe('SUCCEEDED');
    expect(taskCalls(second.events, 'Check application health')).toBeGreaterThan(0);
    expect(recovered(env, 'web').length).toBe(web.length);
  });

  test('a refused TCP check fails a drill naming the refusal, and the drill still tears everything down', async () => {
    // GIVEN the db application never listens on 5432 (the default applications answer HTTP only)
    env = await localLifeboat({ plan: healthPlan() });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');

    // WHEN
    const drill = await env.runToEnd('drill', {});

    // THEN
    expect(drill.status).toBe('FAILED');
    const f = failure(drill.events)!;
    expect(f.cause).toContain('Check application health');
    expect(f.cause).toMatch(/db\/i-[0-9a-f]+ at tcp:\/\/[0-9.]+:5432: expected a TCP connection 2 time\(s\) in a row within 20 min, found connection refused/);
    expect(statesEntered(drill.events)).toContain('Tear down after failure');
    const left = env.sandbox.ec2.region(env.plan.recoveryRegion).instances().filter((i) => i.tags[TAG_KEYS.role] === 'drill-instance' && i.state !== 'terminated' && i.state !== 'shutting-down');
    expect(left).toEqual([]);
  });

  test('a drill with healthy applications passes its health checks and tears down', async () => {
    env = await localLifeboat({ plan: healthPlan() });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    env.sandbox.ec2.applications.set({ rules: [dbListens(env, 60)] });

    const drill = await env.runToEnd('drill', {});

    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    const states = statesEntered(drill.events);
    expect(states.filter((s) => s === 'Check application health').length).toBeGreaterThanOrEqual(4);
    const left = env.sandbox.ec2.region(env.plan.recoveryRegion).instances().filter((i) => i.tags[TAG_KEYS.role] === 'drill-instance' && i.state !== 'terminated' && i.state !== 'shutting-down');
    expect(left).toEqual([]);
  });
});
