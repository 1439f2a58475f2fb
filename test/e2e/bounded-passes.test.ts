import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { ec2Client } from '../../tasks/_shared/clients/ec2.js';
import { examplePlan, localLifeboat } from './helpers.js';

/*
 * Issue 8, the worst day at fleet size, on the sandbox: the prune Lambda's configured timeout is
 * 1 s (the sandbox's Lambda ends an invocation that overruns it with `Sandbox.Timedout`, as
 * Lambda does) and every DeregisterImage takes 60 ms of wall time, so the second backup's prune
 * needs about three times its timeout. Each pass stops with the safety margin in hand
 * (`stoppedBy: "time"`), the loop goes straight on, and the run finishes without a timed-out
 * invocation.
 */

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function admin(e: LocalLifeboat, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${e.sandbox.endpoint.replace(/\/$/, '')}/_sandbox/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox admin ${action}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The outputs of every pass of a Task state, in order. */
function passOutputs(events: readonly HistoryEvent[], state: string): Array<Record<string, unknown>> {
  return events
    .filter((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === state)
    .map((e) => JSON.parse(e.stateExitedEventDetails!.output!) as Record<string, unknown>);
}

describe('e2e: a looping task whose Lambda timeout is short still finishes, over passes', () => {
  test('prune with a 1 s timeout and slow deregistrations: several passes stop on the time left, none times out, every stale image goes', { timeout: 400_000 }, async () => {
    // GIVEN the three-tier plan keeping one recovery set, its web tier grown to 22 instances (24 in all)
    const base = examplePlan('three-tier');
    env = await localLifeboat({ plan: { ...base, backup: { ...base.backup, retention: { count: 1 } } } });
    const { plan } = env;
    const selector = plan.workloads.find((w) => w.name === 'web')!.tagSelector!;
    const extra = Array.from({ length: 20 }, (_, n) => ({ instanceType: 'm6i.large', tags: { Name: `shop-web-${n + 3}`, ...selector } }));
    await admin(env, 'ec2.seed-instances', { region: plan.primaryRegion, instances: extra });
    const first = await env.runToEnd('backup');
    expect(first.status, first.cause).toBe('SUCCEEDED');
    const primary = env.sandbox.ec2.region(plan.primaryRegion);
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const live = (images: ReturnType<typeof primary.images>, run: string) => images.filter((i) => i.tags[TAG_KEYS.executionArn] === run && i.state !== 'deregistered');
    const firstSources = live(primary.images(), first.executionArn).filter((i) => i.tags[TAG_KEYS.role] === ROLES.sourceImage);
    const firstPoints = live(recovery.images(), first.executionArn).filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(firstSources.length).toBeGreaterThanOrEqual(24);
    expect(firstPoints).toHaveLength(firstSources.length);

    // AND the prune Lambda configured with a 1 s timeout, every DeregisterImage taking 60 ms
    const prune = env.sandbox.lambdas.resolve('lifeboat-prune', plan.primaryRegion)!;
    env.sandbox.lambdas.register('lifeboat-prune', prune, { timeoutSeconds: 1 });
    const slowed = [plan.primaryRegion, plan.recoveryRegion].map((r) => ec2Client(r));
    for (const client of slowed) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'DeregisterImageCommand') await new Promise((r) => setTimeout(r, 60));
          return next(args);
        },
        { step: 'initialize', name: 'testSlowDeregister' },
      );
    }
    try {
      // WHEN the plan is backed up again
      await admin(env, 'clock', { advanceSeconds: 4 * 3600 });
      const second = await env.runToEnd('backup');

      // THEN the run succeeded, and no invocation of any task overran its timeout
      expect(second.status, second.cause).toBe('SUCCEEDED');
      const timedOut = second.events.filter((e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'Sandbox.Timedout');
      expect(timedOut).toEqual([]);
      // AND prune took several passes, stopping on the Lambda's time (not the count), the next pass at once
      const passes = passOutputs(second.events, 'Prune recovery points');
      expect(passes.length).toBeGreaterThan(2);
      expect(passes.filter((p) => p.stoppedBy === 'time').length).toBeGreaterThanOrEqual(2);
      expect(passes.some((p) => p.stoppedBy === 'count')).toBe(false);
      const last = passes.at(-1)!;
      expect(last).toMatchObject({ isComplete: true, deletedCount: firstSources.length + firstPoints.length });
      // AND every stale image went, each once; this run's stayed
      expect(live(primary.images(), first.executionArn)).toEqual([]);
      expect(live(recovery.images(), first.executionArn)).toEqual([]);
      expect(live(recovery.images(), second.executionArn).filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint)).toHaveLength(firstPoints.length);
    } finally {
      for (const client of slowed) client.middlewareStack.remove('testSlowDeregister');
    }
  });
});
