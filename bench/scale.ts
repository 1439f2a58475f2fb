/**
 * Scale benchmark (issue 4): the example plan scaled to 100 workloads, backed up and drilled on
 * the sandbox's virtual clock through the real workflows and task handlers.
 */
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parsePlan, type Plan } from '../schemas/plan.js';
import { startLocalLifeboat, type RunResult } from '../cli/local/session.js';
import { TAG_KEYS, ROLES } from '../schemas/tags.js';

/** A plan of `n` workloads, each one instance by id, in waves of 25 (critical first). */
export function scaledPlan(n: number): Plan {
  const hex = (i: number) => i.toString(16).padStart(17, '0');
  return parsePlan(
    {
      name: 'scale',
      primaryRegion: 'us-east-1',
      recoveryRegion: 'us-west-2',
      objectives: { rpoMinutes: 240, rtoMinutes: 60 },
      workloads: Array.from({ length: n }, (_, i) => ({
        name: `app-${i + 1}`,
        instanceIds: [`i-${hex(i + 1)}`],
        critical: i % 10 !== 9,
        wave: 1 + Math.floor(i / 25),
        launch: {
          subnetIds: ['subnet-0aa11bb22cc330001', 'subnet-0aa11bb22cc330002'],
          securityGroupIds: ['sg-0aa11bb22cc330001'],
          instanceTypes: ['m6i.large', 'm5.large'],
        },
      })),
      backup: { batchSize: 20, maxConcurrentBatches: 2 },
      drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
    },
    'bench:scaled-plan',
  );
}

/**
 * AWS bills one state transition per state entered, and again for each retry of a Task (a retry
 * schedules the task again without re-entering the state).
 */
export function stateTransitions(events: readonly HistoryEvent[]): number {
  return events.filter((e) => e.type?.endsWith('StateEntered')).length + countRetries(events);
}

function countRetries(events: readonly HistoryEvent[]): number {
  let retries = 0;
  let scheduledInState = 0;
  for (const e of events) {
    if (e.type === 'TaskStateEntered') scheduledInState = 0;
    if (e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled') {
      if (scheduledInState > 0) retries++;
      scheduledInState++;
    }
  }
  return retries;
}

/** The scale figures. */
export interface ScaleReport {
  readonly workloads: number;
  readonly backup: { status: string; transitions: number; perWorkload: number; events: number; simulatedSeconds: number };
  readonly drill: { status: string; transitions: number; perWorkload: number; events: number; rtoSeconds: number; criticalPathSeconds: number; overheadSeconds: number };
  readonly largestHistory: number;
  readonly wallSeconds: number;
}

const seconds = (r: RunResult) => ((r.stopDate?.getTime() ?? 0) - r.startDate.getTime()) / 1000;

/** Runs the backup and the drill of an `n`-workload plan and measures them. */
export async function benchScale(n = 100): Promise<ScaleReport> {
  const plan = scaledPlan(n);
  const wall0 = process.hrtime.bigint();
  const env = await startLocalLifeboat({ plan, seed: 11, startMs: Date.parse('2026-11-25T00:00:00.000Z') });
  try {
    const backup = await env.runToEnd('backup');
    if (backup.status !== 'SUCCEEDED') throw new Error(`bench: backup ended ${backup.status}: ${backup.error} ${backup.cause}`);
    const drill = await env.runToEnd('drill');
    if (drill.status !== 'SUCCEEDED') throw new Error(`bench: drill ended ${drill.status}: ${drill.error} ${drill.cause}`);
    const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;

    // The drill's critical path: per wave, the slowest instance from launch to passing status
    // checks; waves run one after another, so the path is the sum over waves.
    const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
    const waveOf = new Map(plan.workloads.map((w) => [w.name, w.wave]));
    const slowest = new Map<number, number>();
    for (const i of recovery.instances()) {
      if (i.tags[TAG_KEYS.role] !== ROLES.drillInstance || i.statusAt === undefined) continue;
      const wave = waveOf.get(i.tags[TAG_KEYS.workload]!)!;
      const took = (i.statusAt - Date.parse(i.launchTime)) / 1000;
      slowest.set(wave, Math.max(slowest.get(wave) ?? 0, took));
    }
    const criticalPathSeconds = [...slowest.values()].reduce((a, b) => a + b, 0);
    const rtoSeconds = Number((drill.output as { recoveryTimeSeconds?: number } | undefined)?.recoveryTimeSeconds ?? NaN);
    const bt = stateTransitions(backup.events);
    const dt = stateTransitions(drill.events);
    return {
      workloads: n,
      backup: { status: backup.status, transitions: bt, perWorkload: bt / n, events: backup.events.length, simulatedSeconds: seconds(backup) },
      drill: {
        status: drill.status,
        transitions: dt,
        perWorkload: dt / n,
        events: drill.events.length,
        rtoSeconds,
        criticalPathSeconds,
        overheadSeconds: rtoSeconds - criticalPathSeconds,
      },
      largestHistory: Math.max(backup.events.length, drill.events.length),
      wallSeconds,
    };
  } finally {
    await env.stop();
  }
}
