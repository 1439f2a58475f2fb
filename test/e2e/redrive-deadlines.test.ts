import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { failure, localLifeboat } from './helpers.js';

/**
 * Sibling batches aborted by a failing batch (issue 7). On a redrive Step Functions re-runs an
 * inline Map's failed *and aborted* iterations from the state each one stopped in, with the
 * variables it had (RedriveExecution: "reschedules and redrives only the iterations and branches
 * that failed or aborted", https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html).
 * The failed batch passes through its failure path, which gives the loop a fresh deadline; an
 * aborted sibling does not, so without more it resumes with the deadline of the first attempt.
 */

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** Two workloads backed up as two batches side by side; `b` has a 100 GiB data volume in the fixture, so its image takes longer. */
function twoBatchPlan(mode: 'inline' | 'distributed' = 'inline'): Plan {
  return parsePlan(
    {
      name: 'siblings',
      scale: { mode },
      primaryRegion: 'eu-west-1',
      recoveryRegion: 'eu-central-1',
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
      backup: { batchSize: 1, maxConcurrentBatches: 2, copyTimeoutMinutes: 60 },
      workloads: ['a', 'b'].map((name, i) => ({
        name,
        instanceIds: [`i-0${(i + 1).toString(16).padStart(16, '0')}`],
        launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m5.large'] },
      })),
      drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    },
    'test/e2e/redrive-deadlines.test.ts',
  );
}

/** Each pass's `deadline` input of a loop state, with the time the pass was scheduled. */
function deadlinesOf(events: readonly HistoryEvent[], state: string, afterId = 0): { at: Date; deadline: string; batch: string }[] {
  const entered = new Map<number, string>();
  const out: { at: Date; deadline: string; batch: string }[] = [];
  for (const e of events) {
    if (e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === state) entered.set(e.id!, e.stateEnteredEventDetails.input ?? '{}');
    if (e.type === 'TaskScheduled' && entered.has(e.previousEventId!) && e.id! > afterId) {
      const { input } = (JSON.parse(e.taskScheduledEventDetails!.parameters!) as { Payload: { input: { deadline: string; images?: { workload: string }[] } } }).Payload;
      out.push({ at: e.timestamp!, deadline: input.deadline, batch: input.images?.[0]?.workload ?? '?' });
    }
  }
  return out;
}

describe('e2e: a redrive gives batches aborted by a failing sibling a fresh deadline', () => {
  test('batch a, aborted in its copy loop when batch b failed, resumes with a deadline counted from the redrive and the run succeeds on the first redrive', async () => {
    // GIVEN no copy can start in the recovery region (the quota is taken) and b's image fails:
    // a's image is ready first and a waits in its copy loop; b fails at 'Create images', the
    // Map fails and aborts a.
    const plan = twoBatchPlan();
    const b = plan.workloads[1]!.instanceIds![0]!;
    env = await localLifeboat({ plan, faults: { concurrentCopyLimit: 0, imageFailures: [{ kind: 'create', sourceInstanceId: b, times: 1 }] } });
    const first = await env.runToEnd('backup');
    expect(first.status).toBe('FAILED');
    expect(failure(first.events)!.cause).toContain('Create images');
    const aborted = first.events.filter((e) => e.type === 'MapIterationAborted');
    expect(aborted).toHaveLength(1);
    const [firstCopyPass] = deadlinesOf(first.events, 'Copy images');
    expect(firstCopyPass?.batch).toBe('a');

    // WHEN the operator fixes things two hours later (a's copy deadline, 60 minutes, is long past) and redrives
    env.sandbox.ec2.clearFaults();
    await admin(env, 'clock', { advanceSeconds: 2 * 3600 });
    const lastId = first.events.at(-1)!.id!;
    const second = await env.redrive(first.executionArn);

    // THEN a's copy passes after the redrive carry a deadline counted from the redrive, not the
    // first attempt's, and the run succeeds without a second redrive
    expect(second.status, second.cause).toBe('SUCCEEDED');
    const redriven = second.events.find((e) => e.type === 'ExecutionRedriven')!;
    const after = deadlinesOf(second.events, 'Copy images', lastId).filter((p) => p.batch === 'a');
    expect(after.length).toBeGreaterThan(0);
    for (const pass of after) {
      expect(Date.parse(pass.deadline)).toBeGreaterThanOrEqual(redriven.timestamp!.getTime() + 60 * 60_000 - 1000);
    }
    expect(Date.parse(after[0]!.deadline)).toBeGreaterThan(Date.parse(firstCopyPass!.deadline) + 3600_000);
    const points = env.sandbox.ec2.region(plan.recoveryRegion).images({ state: 'available' }).filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(points.map((p) => p.tags[TAG_KEYS.workload]).sort()).toEqual(['a', 'b']);
  });
  test('distributed: child a, aborted by the Map Run when child b failed, finishes on the first redrive of the parent', async () => {
    // GIVEN the same faults, each batch a child execution of a Distributed Map
    const plan = twoBatchPlan('distributed');
    const b = plan.workloads[1]!.instanceIds![0]!;
    env = await localLifeboat({ plan, faults: { concurrentCopyLimit: 0, imageFailures: [{ kind: 'create', sourceInstanceId: b, times: 1 }] } });
    const first = await env.runToEnd('backup');
    expect(first.status).toBe('FAILED');
    expect(first.events.some((e) => e.type === 'MapRunFailed')).toBe(true);

    // WHEN redriven two hours later, after the fault is gone
    env.sandbox.ec2.clearFaults();
    await admin(env, 'clock', { advanceSeconds: 2 * 3600 });
    const second = await env.redrive(first.executionArn);

    // THEN the aborted child's copy loop counts its deadline from the redrive and the run succeeds
    expect(second.status, second.cause).toBe('SUCCEEDED');
    const points = env.sandbox.ec2.region(plan.recoveryRegion).images({ state: 'available' }).filter((i) => i.tags[TAG_KEYS.role] === ROLES.recoveryPoint);
    expect(points.map((p) => p.tags[TAG_KEYS.workload]).sort()).toEqual(['a', 'b']);
  });
});

async function admin(e: LocalLifeboat, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${e.sandbox.endpoint.replace(/\/$/, '')}/_sandbox/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox admin ${action}: ${res.status} ${await res.text()}`);
  return res.json();
}
