import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { examplePlan, failure, localLifeboat, statesEntered } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

const LIVE = new Set(['pending', 'running', 'stopping', 'stopped']);

describe('e2e: a failed drill leaves nothing running', () => {
  test.each([1, 2, 3, 4, 5])(
    'seed %i: with 60 percent of every EC2 call throttled and the db instance impaired, the drill fails and every drill instance is terminated',
    async (seed) => {
      // GIVEN a backed-up plan, then a storm in the recovery region: 60% throttled, db status checks impaired
      const plan = examplePlan('three-tier');
      env = await localLifeboat({ plan, seed });
      const backup = await env.runToEnd('backup');
      expect(backup.status, backup.cause).toBe('SUCCEEDED');
      env.sandbox.ec2.setFaults({
        throttle: { '*': 0.6 },
        impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'db' } }],
      });

      // WHEN
      const drill = await env.runToEnd('drill');

      // THEN the drill failed, tore down through the loop, and ended at its failure path, not at 'Teardown failed'
      expect(drill.status).toBe('FAILED');
      const entered = statesEntered(drill.events);
      expect(entered).toContain('Torn down after failure?');
      expect(entered).not.toContain('Teardown failed');
      expect(failure(drill.events)?.error).toBe('Lifeboat.StepFailed');
      // (until every loop task tolerates throttling, a launch may give up before it starts an instance)
      const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
      const drillInstances = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance);
      expect(drillInstances.filter((i) => LIVE.has(i.state))).toEqual([]);
    },
  );

  test.each([11, 12, 13])(
    'seed %i: with 90 percent of TerminateInstances throttled, the teardown keeps passing until every launched drill instance is terminated',
    async (seed) => {
      // GIVEN a backed-up plan; the drill's db instance will be impaired and terminations mostly throttled
      const plan = examplePlan('three-tier');
      env = await localLifeboat({ plan, seed });
      expect((await env.runToEnd('backup')).status).toBe('SUCCEEDED');
      env.sandbox.ec2.setFaults({
        throttle: { TerminateInstances: 0.9 },
        impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: 'db' } }],
      });

      // WHEN
      const drill = await env.runToEnd('drill');

      // THEN the throttled terminations were reported by passes, not failures, and the loop went on to a confirmed teardown
      expect(drill.status).toBe('FAILED');
      expect(failure(drill.events)?.cause).toContain('Lifeboat.LaunchFailed');
      const passes = drill.events.filter((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'Tear down after failure');
      expect(passes.length).toBeGreaterThan(2);
      const outputs = drill.events
        .filter((e) => e.type === 'TaskStateExited' && e.stateExitedEventDetails?.name === 'Tear down after failure')
        .map((e) => JSON.parse(e.stateExitedEventDetails!.output!) as { isComplete: boolean; lastError: string | null });
      expect(outputs.some((o) => o.lastError?.startsWith('Lifeboat.Throttled'))).toBe(true);
      expect(outputs.at(-1)!.isComplete).toBe(true);
      const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
      const drillInstances = recovery.instances().filter((i) => i.tags[TAG_KEYS.role] === ROLES.drillInstance);
      expect(drillInstances.length).toBeGreaterThan(0);
      expect(drillInstances.filter((i) => LIVE.has(i.state))).toEqual([]);
    },
  );
});
