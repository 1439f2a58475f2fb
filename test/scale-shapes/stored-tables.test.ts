import { createHash } from 'node:crypto';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, test } from 'vitest';
import { deployMachines } from '../../cli/local/deploy.js';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { parsePlan, type PlanInput } from '../../schemas/plan.js';
import { planObjects } from '../../workflows/render.js';
import { localLifeboat } from '../e2e/helpers.js';

/*
 * Issue 8, "Any size": a backup of a plan of 10,000 workloads with 32-character names runs to the
 * end on the sandbox, its workload tables read from the run bucket (docs/decisions/0021), and no
 * task's parameters come near 256 KiB. (At 10,000 such workloads every step up to "Record backup
 * metrics" succeeds; that step's own result, which lists workloads, then exceeds 256 KiB: the
 * metrics tasks' outputs are another change of issue 8.) To keep it fast the sandbox is seeded
 * for 3 workloads of 2 instances each and the 10,000-workload plan is then deployed over it: every
 * workload selects the same tag, so the first one backs up the 6 instances and the others find
 * theirs taken (an instance is backed up once, for the first workload that matches it).
 */

const launch = { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['m6i.large'] };
const name = (i: number) => `w${createHash('sha256').update(`name${i}`).digest('hex').slice(0, 31)}`;
function plan(count: number) {
  const input: PlanInput = {
    name: 'fleet',
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    objectives: { rpoMinutes: 1440, rtoMinutes: 240 },
    workloads: Array.from({ length: count }, (_, i) => ({ name: name(i), tagSelector: { fleet: 'blue' }, wave: 1 + (i % 100), launch })),
    drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    scale: { mode: 'distributed' },
  };
  return parsePlan(input, `${count} workloads`);
}

/** The largest parameters a task was invoked with (its resolved Arguments), in bytes. */
function largestParameters(events: readonly HistoryEvent[]): number {
  return Math.max(...events.map((e) => Buffer.byteLength(e.taskScheduledEventDetails?.parameters ?? '')));
}

describe('scale: a 10,000-workload plan of long names backs up on the sandbox, its tables read from S3', () => {
  let env: LocalLifeboat | undefined;
  afterAll(async () => env?.stop());

  test('the backup SUCCEEDS, reads the stored tables, and no task is invoked with more than 32 KiB', async () => {
    env = await localLifeboat({ plan: plan(3), seed: 3 });
    const big = plan(10_000);
    await deployMachines(big, (region) => env!.sfn(region));
    const run = await env.runToEnd('backup', {}, 'five-thousand');
    expect([run.status, run.error, run.cause]).toEqual(['SUCCEEDED', undefined, undefined]);
    expect(run.output).toMatchObject({ targetCount: 6, verifiedCount: 6 });
    // The tasks read what the deployment wrote: the backup's definition names the stored tables.
    const keys = planObjects(big).filter((o) => o.region === 'us-east-1').map((o) => o.key);
    const scheduled = run.events.filter((e) => e.type === 'TaskScheduled').map((e) => e.taskScheduledEventDetails?.parameters ?? '');
    for (const key of keys) expect(scheduled.some((p) => p.includes(key)), key).toBe(true);
    expect(largestParameters(run.events)).toBeLessThan(32 * 1024);
  }, 300_000);
});
