import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { TAG_KEYS, ROLES } from '../../schemas/tags.js';
import { examplePlan, failure, localLifeboat, statesEntered, taskCalls } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('e2e: faults on the sandbox', () => {
  test('a throttling storm (30% of EC2 calls throttled) still ends SUCCEEDED, with the retries visible in the history', async () => {
    env = await localLifeboat({ faults: { throttle: { '*': 0.3 } } });

    const backup = await env.runToEnd('backup');
    const drill = await env.runToEnd('drill');

    expect(backup.status, backup.cause).toBe('SUCCEEDED');
    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    // Visible either as a retried task (TaskFailed Lifeboat.Throttled) or, in the loop tasks that
    // tolerate a throttled read (docs/decisions/0005), as the `throttled` list of a pass's output.
    const throttled = [...backup.events, ...drill.events].filter(
      (e) =>
        (e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'Lifeboat.Throttled') ||
        (e.type === 'TaskSucceeded' && /"throttled":\[\s*"[^"]*RequestLimitExceeded/.test(e.taskSucceededEventDetails?.output ?? '')),
    );
    expect(throttled.length).toBeGreaterThan(0);
    const recovery = env.sandbox.ec2.region(env.plan.recoveryRegion);
    // exactly one recovery point per protected instance: no duplicates from retried calls
    const points = recovery.images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(new Set(points.map((p) => p.tags[TAG_KEYS.sourceInstance])).size).toBe(points.length);
    expect(recovery.instances({ state: 'running' })).toEqual([]);
  });

  test('an image that fails ends the backup FAILED naming the step and cause; after the fault is cleared a redrive succeeds without redoing finished steps', async () => {
    // GIVEN the db instance's image fails once
    const plan = examplePlan('three-tier');
    const db = plan.workloads.find((w) => w.name === 'db')!.instanceIds![0]!;
    env = await localLifeboat({ plan, faults: { imageFailures: [{ kind: 'create', sourceInstanceId: db, times: 1 }] } });

    // WHEN
    const first = await env.runToEnd('backup');

    // THEN
    expect(first.status).toBe('FAILED');
    const f = failure(first.events)!;
    expect(f.error).toBe('Lifeboat.StepFailed');
    expect(f.cause).toContain('Create images');
    expect(f.cause).toContain('Lifeboat.ImageFailed');
    const resolveCallsBefore = taskCalls(first.events, 'Resolve workloads');
    expect(resolveCallsBefore).toBe(1);

    // WHEN the fault is gone and the run is redriven
    env.sandbox.ec2.clearFaults();
    const second = await env.redrive(first.executionArn);

    // THEN it succeeds, and the steps that had finished were not scheduled again
    expect(second.status, second.cause).toBe('SUCCEEDED');
    expect(second.events.some((e) => e.type === 'ExecutionRedriven')).toBe(true);
    expect(taskCalls(second.events, 'Resolve workloads')).toBe(1);
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const points = recovery.images({ state: 'available' }).filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(points.map((p) => p.tags[TAG_KEYS.sourceInstance])).toContain(db);
    expect(new Set(points.map((p) => p.tags[TAG_KEYS.sourceInstance])).size).toBe(points.length);
  });

  test('insufficient capacity for the first instance type in the first subnet falls back and records the substitution', async () => {
    const plan = examplePlan('three-tier');
    const db = plan.workloads.find((w) => w.name === 'db')!;
    const [firstType, secondType] = db.launch.instanceTypes!;
    const [firstSubnet] = db.launch.subnetIds;
    env = await localLifeboat({ plan });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    // capacity runs out for the first type everywhere: the ladder must move to the second type
    env.sandbox.ec2.setFaults({ capacity: [{ instanceType: firstType!, region: plan.recoveryRegion }] });

    const failover = await env.runToEnd('failover');

    expect(failover.status, failover.cause).toBe('SUCCEEDED');
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const dbInstance = recovery.instances({ state: 'running' }).find((i) => i.tags[TAG_KEYS.workload] === 'db')!;
    expect(dbInstance.instanceType).toBe(secondType);
    expect(dbInstance.subnetId).toBe(firstSubnet);
    const launchOutputs = failover.events
      .filter((e) => e.type === 'TaskSucceeded')
      .map((e) => JSON.parse(e.taskSucceededEventDetails!.output!).Payload)
      .filter((p) => Array.isArray(p?.instances));
    const dbRef = launchOutputs.flatMap((p) => p.instances).find((i: { workload: string }) => i.workload === 'db');
    expect(dbRef.substitution.requested.instanceType).toBe(firstType);
    expect(dbRef.substitution.reasons.join(' ')).toContain('InsufficientInstanceCapacity');
  });

  test('with the primary region down, a failover still succeeds: it touches only the recovery region', async () => {
    env = await localLifeboat();
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    env.sandbox.ec2.setOutage(env.plan.primaryRegion, true);

    const failover = await env.runToEnd('failover');

    expect(failover.status, failover.cause).toBe('SUCCEEDED');
    expect(env.sandbox.ec2.region(env.plan.recoveryRegion).instances({ state: 'running' }).length).toBe(4);
  });

  test('a drill that fails after launching still tears down: zero instances left running', async () => {
    const plan = examplePlan('three-tier');
    env = await localLifeboat({ plan });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    // the critical db instance's status checks end impaired
    env.sandbox.ec2.setFaults({ impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'db' } }] });

    const drill = await env.runToEnd('drill');

    expect(drill.status).toBe('FAILED');
    expect(statesEntered(drill.events)).toContain('Tear down after failure');
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const drillInstances = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance);
    expect(drillInstances.length).toBeGreaterThan(0);
    expect(recovery.instances({ state: 'running' })).toEqual([]);
    expect(recovery.instances({ state: 'pending' })).toEqual([]);
  });

  test('a failover redriven after impaired status checks replaces the impaired instance with a fresh one and terminates it', async () => {
    // GIVEN a backup, then a failover whose critical db instance's status checks end impaired
    const plan = examplePlan('three-tier');
    env = await localLifeboat({ plan });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    env.sandbox.ec2.setFaults({ impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'db' } }] });
    const first = await env.runToEnd('failover');
    expect(first.status).toBe('FAILED');
    expect(failure(first.events)!.cause).toContain('status checks impaired');
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const dbOf = () => recovery.instances().filter((i) => i.tags[TAG_KEYS.workload] === 'db' && i.tags[TAG_KEYS.role] === ROLES.failoverInstance);
    const [impaired] = dbOf();
    expect(impaired!.status).toBe('impaired');

    // WHEN the cause is gone and the run is redriven
    env.sandbox.ec2.clearFaults();
    const second = await env.redrive(first.executionArn);

    // THEN it succeeds on a fresh instance, the impaired one is terminated, and the history records the replacement
    expect(second.status, second.cause).toBe('SUCCEEDED');
    const db = dbOf();
    expect(db).toHaveLength(2);
    expect(db.find((i) => i.instanceId === impaired!.instanceId)!.state).toMatch(/shutting-down|terminated/);
    expect(db.find((i) => i.instanceId !== impaired!.instanceId)!.state).toBe('running');
    const replaced = second.events
      .filter((e) => e.type === 'TaskSucceeded')
      .flatMap((e) => JSON.parse(e.taskSucceededEventDetails!.output!).Payload?.replaced ?? []);
    expect(replaced).toEqual([expect.objectContaining({ workload: 'db', instanceId: impaired!.instanceId, reason: expect.stringContaining('status checks impaired'), isTerminated: true })]);
  });

  test('a task killed between its EC2 call and its return is retried and creates nothing twice', async () => {
    // GIVEN the image and launch tasks crash once, right after their EC2 calls went through
    env = await localLifeboat();
    const crashes = crashOnceAfterRun(env, ['image', 'copy', 'launch-in-region']);

    const backup = await env.runToEnd('backup');
    const failover = await env.runToEnd('failover');

    expect(backup.status, backup.cause).toBe('SUCCEEDED');
    expect(failover.status, failover.cause).toBe('SUCCEEDED');
    expect(crashes()).toEqual(['image', 'copy', 'launch-in-region']);
    const primary = env.sandbox.ec2.region(env.plan.primaryRegion);
    const recovery = env.sandbox.ec2.region(env.plan.recoveryRegion);
    const sourceImages = primary.images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.sourceImage);
    const points = recovery.images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    const launched = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.failoverInstance);
    expect(sourceImages).toHaveLength(4);
    expect(points).toHaveLength(4);
    expect(launched).toHaveLength(4);
  });
});

/**
 * Wraps task handlers so that each crashes once after its real work is done, as a Lambda killed
 * before returning would (Step Functions sees a Lambda error and the workflow retries).
 */
function crashOnceAfterRun(env: LocalLifeboat, ids: string[]): () => string[] {
  const crashed: string[] = [];
  for (const id of ids) {
    const name = `lifeboat-${id}`;
    const original = env.sandbox.lambdas.resolve(name, env.plan.primaryRegion)!;
    env.sandbox.lambdas.register(name, async (event, context) => {
      const result = await original(event, context);
      if (!crashed.includes(id)) {
        crashed.push(id);
        const error = new Error('Task timed out after 900.00 seconds');
        error.name = 'Sandbox.Timedout';
        throw error;
      }
      return result;
    });
  }
  return () => [...crashed];
}
