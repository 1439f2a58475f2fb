import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import type { CollectOutput } from '../../schemas/tasks/collect.js';
import { TASK_HANDLERS } from '../../tasks/index.js';
import { examplePlan, localLifeboat } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

interface CollectorOutput {
  readonly isDryRun: boolean;
  readonly counts: { instances: number; images: number; snapshots: number };
  readonly removed: Array<{ resourceId: string; kind: string; reason: string; executionArn: string; executionStatus: string }>;
  readonly keptRunning: number;
  readonly keptRecent: number;
  readonly deferred: number;
}

/** A backed-up plan, then a second backup whose db copy fails: it leaves unverified copies and source AMIs. */
async function withFailedBackup(): Promise<{ env: LocalLifeboat; good: string; failed: string }> {
  const plan = examplePlan('three-tier');
  const e = await localLifeboat({ plan });
  const good = await e.runToEnd('backup');
  expect(good.status, good.cause).toBe('SUCCEEDED');
  e.sandbox.ec2.setFaults({ imageFailures: [{ kind: 'copy', tags: { [TAG_KEYS.workload]: 'db' } }] });
  const failed = await e.runToEnd('backup');
  expect(failed.status).toBe('FAILED');
  e.sandbox.ec2.clearFaults();
  return { env: e, good: good.executionArn, failed: failed.executionArn };
}

const live = (state: string) => state !== 'deregistered';

describe('e2e: the collector on the sandbox', () => {
  test('removes the unverified copies and source AMIs a failed backup left, with their snapshots, and never a verified recovery point', async () => {
    // GIVEN
    const setup = await withFailedBackup();
    env = setup.env;
    const plan = env.plan;
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const primary = env.sandbox.ec2.region(plan.primaryRegion);
    const ofRun = (arn: string) => (i: { tags: Record<string, string> }) => i.tags[TAG_KEYS.executionArn] === arn;
    const verifiedBefore = recovery.images().filter((i) => i.tags[TAG_KEYS.verified] === VERIFIED_VALUE && live(i.state));
    const leftCopies = recovery.images().filter((i) => ofRun(setup.failed)(i) && live(i.state) && i.tags[TAG_KEYS.verified] !== VERIFIED_VALUE);
    expect(leftCopies.length).toBeGreaterThan(0);
    expect(verifiedBefore.length).toBeGreaterThan(0);

    // WHEN the collectors of both regions run (no grace: the failed backup is not to be redriven)
    const inRecovery = await env.runToEnd('collectRecovery', { graceMinutes: 0 });
    const inPrimary = await env.runToEnd('collectPrimary', { graceMinutes: 0 });

    // THEN
    expect(inRecovery.status, inRecovery.cause).toBe('SUCCEEDED');
    expect(inPrimary.status, inPrimary.cause).toBe('SUCCEEDED');
    const r = inRecovery.output as CollectorOutput;
    expect(r.removed.filter((x) => x.kind === 'image').map((x) => x.resourceId).sort()).toEqual(leftCopies.map((i) => i.imageId).sort());
    expect(r.removed.every((x) => x.executionArn === setup.failed && x.executionStatus === 'FAILED')).toBe(true);
    // no unverified copy of the failed run is left, and no snapshot of it
    expect(recovery.images().filter((i) => ofRun(setup.failed)(i) && live(i.state) && i.tags[TAG_KEYS.verified] !== VERIFIED_VALUE)).toEqual([]);
    expect(recovery.snapshots().filter((s) => ofRun(setup.failed)(s) && !recovery.images().some((i) => live(i.state) && ofRun(setup.failed)(i)))).toEqual([]);
    // every verified recovery point is still there
    const verifiedAfter = recovery.images().filter((i) => i.tags[TAG_KEYS.verified] === VERIFIED_VALUE && live(i.state));
    expect(verifiedAfter.map((i) => i.imageId).sort()).toEqual(verifiedBefore.map((i) => i.imageId).sort());
    // primary: the failed run's source AMIs no verified copy came from are gone; the good run's stay
    const verifiedSources = new Set(verifiedAfter.map((i) => i.tags[TAG_KEYS.sourceImage]));
    const sources = primary.images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.sourceImage && live(i.state));
    expect(sources.filter((i) => ofRun(setup.failed)(i) && !verifiedSources.has(i.imageId))).toEqual([]);
    expect(sources.filter(ofRun(setup.good)).length).toBe(4);
    const p = inPrimary.output as CollectorOutput;
    expect(p.counts.images).toBeGreaterThan(0);
    expect(p.removed.every((x) => x.reason === 'unverified-source-image' || x.reason === 'snapshot-of-deregistered-image')).toBe(true);

    // WHEN it runs again, there is nothing left to remove
    const again = await env.runToEnd('collectRecovery', { graceMinutes: 0 });
    expect(again.status, again.cause).toBe('SUCCEEDED');
    expect((again.output as CollectorOutput).counts).toEqual({ instances: 0, images: 0, snapshots: 0 });
  });

  test('by default waits 24 hours after a backup closed (it may be redriven), and a dry run removes nothing', async () => {
    const setup = await withFailedBackup();
    env = setup.env;
    const recovery = env.sandbox.ec2.region(env.plan.recoveryRegion);
    const before = recovery.images().filter((i) => live(i.state)).length;

    const recent = await env.runToEnd('collectRecovery');
    expect((recent.output as CollectorOutput).counts.images).toBe(0);
    expect((recent.output as CollectorOutput).keptRecent).toBeGreaterThan(0);

    const dry = await env.runToEnd('collectRecovery', { dryRun: true, graceMinutes: 0 });
    const out = dry.output as CollectorOutput;
    expect(out.isDryRun).toBe(true);
    expect(out.counts.images).toBeGreaterThan(0);
    expect(recovery.images().filter((i) => live(i.state)).length).toBe(before);
  });

  test("never touches a running drill's instances; once the drill is over the collector terminates what it left", async () => {
    // GIVEN a backed-up plan and a drill whose own teardown is disabled (as if it had given up)
    const plan = examplePlan('three-tier');
    env = await localLifeboat({ plan });
    expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const e = env;
    const region = plan.recoveryRegion;
    let whileRunning: CollectOutput | undefined;
    e.sandbox.lambdas.register('lifeboat-teardown', async (event: any) => {
      // WHEN the collector runs while the drill is still RUNNING (its instances up, the hold over)
      if (whileRunning === undefined) {
        whileRunning = (await TASK_HANDLERS.collect({
          task: 'collect',
          context: { executionArn: `arn:aws:states:${region}:123456789012:execution:lifeboat-${plan.name}-collect:probe`, stateName: 'Collect leftovers', stateEnteredTime: event.context.stateEnteredTime, redriveCount: 0 },
          input: { planName: plan.name, region, copiesRegion: null, isDryRun: false, graceMinutes: 0, collectedBy: 'e2e', maxRemovals: 200 },
        })) as CollectOutput;
      }
      // the drill's teardown "gives up": it confirms nothing and fails for good
      const error = new Error('teardown disabled by the test');
      error.name = 'Lifeboat.InvalidInput';
      throw error;
    });
    const drill = await e.runToEnd('drill');
    const recovery = e.sandbox.ec2.region(region);
    const drillInstances = () => recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance && i.tags[TAG_KEYS.executionArn] === drill.executionArn);

    // THEN nothing of the running drill was touched
    expect(whileRunning).toBeDefined();
    expect(whileRunning!.counts.instances).toBe(0);
    expect(whileRunning!.keptRunning).toBe(drillInstances().length);
    expect(drillInstances().length).toBeGreaterThan(0);
    // and the drill ended at 'Teardown failed' with its instances still running
    expect(drill.status).toBe('FAILED');
    expect(drill.cause).toContain('lifeboat collect');
    expect(drillInstances().filter((i) => i.state === 'running').length).toBeGreaterThan(0);

    // WHEN the collector runs after the drill is over
    const collected = await e.runToEnd('collectRecovery');

    // THEN every instance of that drill is terminated (or shutting down), tagged with who collected it
    expect(collected.status, collected.cause).toBe('SUCCEEDED');
    const out = collected.output as CollectorOutput;
    expect(out.counts.instances).toBe(drillInstances().length);
    expect(drillInstances().filter((i) => ['pending', 'running', 'stopping', 'stopped'].includes(i.state))).toEqual([]);
    expect(drillInstances().every((i) => i.tags[TAG_KEYS.collectedBy]?.startsWith(collected.executionArn))).toBe(true);
  });
});

describe('e2e: a scheduled backup does not overlap the previous one', () => {
  test('a backup started while the previous one runs ends SUCCEEDED at "Backup skipped", saying so, and creates nothing', async () => {
    env = await localLifeboat({ plan: examplePlan('three-tier') });
    // GIVEN a backup running
    const first = await env.start('backup');
    // WHEN a second one starts while it runs
    const second = await env.runToEnd('backup');
    const firstResult = await env.result(first);
    // THEN the second skipped, the first went on
    expect(second.status).toBe('SUCCEEDED');
    expect(second.output).toMatchObject({ skipped: true, reason: 'skipped: previous backup still running', previous: [{ executionArn: first }] });
    expect(second.events.some((e) => e.type === 'SucceedStateEntered' && e.stateEnteredEventDetails?.name === 'Backup skipped')).toBe(true);
    expect(second.events.some((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Resolve workloads')).toBe(false);
    expect(firstResult.status, firstResult.cause).toBe('SUCCEEDED');
    const sources = env.sandbox.ec2.region(env.plan.primaryRegion).images().filter((i) => i.tags[TAG_KEYS.role] === ROLES.sourceImage);
    expect(sources.every((i) => i.tags[TAG_KEYS.executionArn] === first)).toBe(true);
  });
});
