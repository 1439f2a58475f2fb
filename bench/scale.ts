/**
 * Scale benchmark (issues 4 and 8): the example plan scaled to `n` workloads, backed up and drilled
 * on the sandbox's virtual clock through the real workflows and task handlers, with every figure
 * counted over the whole run (the parent execution and every child execution of its Distributed Maps).
 */
import { getHeapStatistics } from 'node:v8';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { parsePlan, type Plan } from '../schemas/plan.js';
import { startLocalLifeboat, type LocalLifeboat, type RunResult } from '../cli/local/session.js';
import { allExecutions, readMapRuns } from '../cli/run-tree.js';
import { TAG_KEYS, ROLES } from '../schemas/tags.js';
import { DEFAULT_CONCURRENT_COPY_LIMIT, DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT } from '../sandbox/ec2/faults.js';
import { DEFAULT_LATENCY } from '../sandbox/ec2/latency.js';
import { STANDARD_VCPU_QUOTA_CODE } from '../sandbox/ec2/preconditions.js';
import { copyQuotaFigures, type CopyQuotaFigures } from './copy-quota.js';
import { isDistributed } from '../workflows/render.js';

/**
 * A plan of `n` workloads, each one instance by id, in 4 waves (of 25 at 100 workloads, the shape
 * the issue measured; a plan holds at most 100 waves, so larger plans keep 4 bigger waves).
 */
export function scaledPlan(n: number, scale: { mode?: 'auto' | 'inline' | 'distributed'; launchBatchSize?: number } = {}): Plan {
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
        wave: 1 + Math.floor((i * 4) / n),
        launch: {
          subnetIds: ['subnet-0aa11bb22cc330001', 'subnet-0aa11bb22cc330002'],
          securityGroupIds: ['sg-0aa11bb22cc330001'],
          instanceTypes: ['m6i.large', 'm5.large'],
        },
      })),
      // 3 batches at once keep copies queued for the copy quotas while a batch images or verifies (docs/decisions/0018).
      backup: { batchSize: 20, maxConcurrentBatches: 3 },
      drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
      scale,
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

/** Where a run's largest payload is: its size, the state (or the execution) and the field. */
export interface LargestPayload {
  readonly bytes: number;
  /** The state whose input, output or task parameters it is, or "(execution)" for the run's own input or output. */
  readonly state: string;
  /** The history event type and its field (`TaskScheduled.parameters`, `TaskStateExited.output`, ...). */
  readonly field: string;
}

/**
 * The largest payload an execution's history carries: every input, output, task parameters and
 * result (Step Functions' 256 KiB quota applies to each of them), with the state it belongs to (the
 * state entered last before the event). Measured in UTF-8 bytes.
 */
export function largestPayloadOf(events: readonly HistoryEvent[]): LargestPayload {
  let largest: LargestPayload = { bytes: 0, state: '(none)', field: '' };
  let state = '(execution)';
  for (const e of events) {
    const entered = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
    if (entered !== undefined) state = entered;
    for (const [detailsKey, details] of Object.entries(e)) {
      if (details === null || typeof details !== 'object' || details instanceof Date) continue;
      for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
        if (typeof value !== 'string' || !['input', 'output', 'parameters'].includes(key)) continue;
        const bytes = Buffer.byteLength(value, 'utf8');
        if (bytes <= largest.bytes) continue;
        const isExecution = detailsKey.startsWith('execution');
        largest = { bytes, state: isExecution ? '(execution)' : state, field: `${e.type}.${key}` };
      }
    }
  }
  return largest;
}

/** The largest payload an execution's history carries, in UTF-8 bytes ({@link largestPayloadOf}). */
export function largestPayload(events: readonly HistoryEvent[]): number {
  return largestPayloadOf(events).bytes;
}

/** Published prices used for the estimate (us-east-1, no free tier). */
export const PRICES = {
  /** Step Functions Standard, per state transition ($0.025 per 1,000). https://aws.amazon.com/step-functions/pricing/ */
  transition: 0.025 / 1_000,
  /** Lambda x86, per GB-second. https://aws.amazon.com/lambda/pricing/ */
  lambdaGbSecond: 0.0000166667,
  /** Lambda, per request ($0.20 per 1M). https://aws.amazon.com/lambda/pricing/ */
  lambdaRequest: 0.2 / 1_000_000,
  /** The task functions' memory (infra/constructs/task-function.ts). */
  lambdaMemoryMb: 512,
  /** What one call is billed for when the sandbox's in-process time is below an AWS API round trip. */
  lambdaFloorMs: 100,
} as const;

/** One run (backup or drill) measured over all its executions. */
export interface RunFigures {
  readonly status: string;
  readonly executions: number;
  readonly transitions: number;
  readonly lambdaInvocations: number;
  /** Sum of the task handlers' in-process durations (ms), and the billed duration with the floor. */
  readonly lambdaMs: number;
  readonly billedLambdaMs: number;
  readonly largestExecutionEvents: number;
  /** The largest input or output of any state, task or execution in the run (bytes, UTF-8). */
  readonly largestPayloadBytes: number;
  /** Where that payload is: the state (or "(execution)") and the history field. */
  readonly largestPayloadAt: string;
  readonly parentEvents: number;
  readonly simulatedSeconds: number;
  readonly wallSeconds: number;
  /**
   * CPU time of the benchmark process (user + system, every thread) during the run: the sandbox,
   * the task handlers and the SDK all run in it, so this is the run's own work, and it moves
   * less than wall time when other processes share the machine.
   */
  readonly cpuSeconds: number;
  readonly costUsd: number;
}

/** The figures of one size. */
export interface ScaleReport {
  readonly workloads: number;
  readonly distributed: boolean;
  readonly backup: RunFigures & {
    /** The bound both copy quotas allow (the larger of the AMI-copy and the snapshot-copy bound). */
    readonly boundSeconds: number;
    /** The bound of the AMI-copy quota alone (what earlier reports printed). */
    readonly amiBoundSeconds: number;
    readonly copyQuota: number;
    readonly snapshotCopyQuota: number;
    /** Copies in flight against the quotas (peak, mean while copies waited to start). */
    readonly copyLoad: CopyQuotaFigures;
  };
  readonly drill: RunFigures & { readonly rtoSeconds: number } & DrillCriticalPath;
  /** With `failover` (after the drill, same sandbox): the failover's figures and RTO. */
  readonly failover?: RunFigures & { readonly rtoSeconds: number };
  readonly peakRssBytes: number;
  /**
   * The JS heap in use just before the backup and just after it, each after a full collection
   * (with `node --expose-gc`, as `npm run bench` runs; absent otherwise): what the sandbox keeps per
   * instance of a backup (histories, EC2 records, metrics), plus the parent's history read back.
   */
  readonly backupHeap?: { readonly beforeBytes: number; readonly afterBytes: number };
}

/**
 * The drill's RTO against the critical path of its EC2 operations, and where the difference goes.
 *
 * The critical path is what EC2 itself takes, read from the sandbox's records of the drill's
 * instances: per wave, the slowest instance from its RunInstances (`launchTime`) to both status
 * checks passing (`statusAt`); waves run one after another, so the path is the sum over waves.
 * No orchestration can beat it. The RTO (`readyAt − startedAt` of the run's output) is counted from
 * the execution's start, so it also holds everything the run adds, split here exactly
 * (`rto = criticalPath + beforeFirstLaunch + launchSpread + betweenWaves + afterLastWave`):
 * - `beforeFirstLaunch`: execution start to the first RunInstances (pre-flight, resolve, the first Map Run);
 * - `launchSpread`: per wave, how much later than the wave's first RunInstances its slowest path started (launch calls one after another, children starting);
 * - `betweenWaves`: a wave's last instance passing its checks to the next wave's first RunInstances (noticing readiness, summarizing, the next Map Run);
 * - `afterLastWave`: the last wave's last instance passing its checks to the pass that saw it (`readyAt`).
 */
export interface DrillCriticalPath {
  readonly criticalPathSeconds: number;
  readonly overhead: { readonly beforeFirstLaunch: number; readonly launchSpread: number; readonly betweenWaves: number; readonly afterLastWave: number };
}

function drillCriticalPath(env: LocalLifeboat, drill: RunResult, rtoSeconds: number): DrillCriticalPath {
  const plan = env.plan;
  const recovery = env.sandbox.ec2.region(plan.recoveryRegion);
  const waveOf = new Map(plan.workloads.map((w) => [w.name, w.wave]));
  const execution = drill.executionArn;
  const waves = new Map<number, { firstLaunch: number; ready: number; slowest: number }>();
  for (const i of recovery.instances()) {
    // This drill's instances only (a bench runs one drill, but the tag makes it exact).
    if (i.tags[TAG_KEYS.role] !== ROLES.drillInstance || i.tags[TAG_KEYS.executionArn] !== execution || i.statusAt === undefined) continue;
    const wave = waveOf.get(i.tags[TAG_KEYS.workload]!)!;
    const launched = Date.parse(i.launchTime);
    const w = waves.get(wave) ?? { firstLaunch: Infinity, ready: -Infinity, slowest: 0 };
    w.firstLaunch = Math.min(w.firstLaunch, launched);
    w.ready = Math.max(w.ready, i.statusAt);
    w.slowest = Math.max(w.slowest, (i.statusAt - launched) / 1000);
    waves.set(wave, w);
  }
  const ordered = [...waves.entries()].sort((a, b) => a[0] - b[0]).map(([, w]) => w);
  const start = drill.startDate.getTime();
  const criticalPathSeconds = ordered.reduce((sum, w) => sum + w.slowest, 0);
  const beforeFirstLaunch = ordered.length > 0 ? (ordered[0]!.firstLaunch - start) / 1000 : 0;
  const launchSpread = ordered.reduce((sum, w) => sum + (w.ready - w.firstLaunch) / 1000 - w.slowest, 0);
  const betweenWaves = ordered.slice(1).reduce((sum, w, i) => sum + (w.firstLaunch - ordered[i]!.ready) / 1000, 0);
  const lastReady = ordered.at(-1)?.ready ?? start;
  const afterLastWave = rtoSeconds - (lastReady - start) / 1000;
  return { criticalPathSeconds, overhead: { beforeFirstLaunch, launchSpread, betweenWaves, afterLastWave } };
}

/** The JS heap in use after a full collection, when the process can ask for one (`--expose-gc`). */
function heapAfterCollection(): number | undefined {
  if (typeof global.gc !== 'function') return undefined;
  global.gc();
  return getHeapStatistics().used_heap_size;
}

const seconds = (r: RunResult) => ((r.stopDate?.getTime() ?? 0) - r.startDate.getTime()) / 1000;

/**
 * Runs the backup and the drill of an `n`-workload plan and measures them; with `failover`, then
 * a failover of the same recovery points (same structure as the drill: launch waves, no teardown).
 */
export async function benchScale(
  n = 100,
  options: {
    readonly failover?: boolean;
    /** Called just before and just after the drill (e.g. to take a CPU profile of the drill alone). */
    readonly aroundDrill?: { readonly before: (env: LocalLifeboat) => Promise<void>; readonly after: (env: LocalLifeboat, drill: RunResult) => Promise<void> };
  } = {},
): Promise<ScaleReport> {
  const plan = scaledPlan(n);
  const lines: { task: string; durationMs: number }[] = [];
  const env = await startLocalLifeboat({
    plan,
    seed: 11,
    startMs: Date.parse('2026-11-25T00:00:00.000Z'),
    taskLog: (line) => {
      const parsed = JSON.parse(line) as { task: string; durationMs: number };
      lines.push({ task: parsed.task, durationMs: parsed.durationMs });
    },
  });
  // The recovery region's Standard On-Demand vCPU quota (1,152 by default on the sandbox) as an
  // operator would have raised it for a plan this size: every drill instance (m6i.large, 2 vCPUs)
  // running at once, or pre-flight blocks the drill (vcpu-quota) from 1,000 instances on.
  const vcpus = env.sandbox.servicequotas.quota(plan.recoveryRegion, 'ec2', STANDARD_VCPU_QUOTA_CODE) ?? 0;
  env.sandbox.servicequotas.setQuota(plan.recoveryRegion, 'ec2', STANDARD_VCPU_QUOTA_CODE, Math.max(vcpus, 2 * n));
  // `memoryUsage.rss()` reads the RSS alone; `memoryUsage()` also walks the heap's spaces, which on a
  // multi-gigabyte heap costs about 1% of the run's CPU, and the virtual clock counts it as time passing.
  let peakRssBytes = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), 100);
  try {
    const heapBefore = heapAfterCollection();
    const backup = await measure(env, 'backup', lines);
    const heapAfter = heapAfterCollection();
    await options.aroundDrill?.before(env);
    const drill = await measure(env, 'drill', lines);
    await options.aroundDrill?.after(env, drill.result);

    const rtoSeconds = Number((drill.result.output as { recoveryTimeSeconds?: number } | undefined)?.recoveryTimeSeconds ?? NaN);
    const path = drillCriticalPath(env, drill.result, rtoSeconds);
    const failover = options.failover === true ? await measure(env, 'failover', lines) : undefined;

    // The bound the copy quotas allow for this run's own EC2 work, and the copies in flight
    // (bench/copy-quota.ts, docs/decisions/0018).
    const quota = DEFAULT_CONCURRENT_COPY_LIMIT;
    const snapshotQuota = DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT;
    const copyLoad = copyQuotaFigures(
      env.sandbox.ec2.region(plan.primaryRegion),
      env.sandbox.ec2.region(plan.recoveryRegion),
      { concurrentAmiCopies: quota, concurrentSnapshotCopies: snapshotQuota },
      DEFAULT_LATENCY.imageRegister,
    );
    const { boundSeconds, amiBoundSeconds } = copyLoad;

    return {
      workloads: n,
      distributed: isDistributed(plan),
      backup: { ...backup.figures, boundSeconds, amiBoundSeconds, copyQuota: quota, snapshotCopyQuota: snapshotQuota, copyLoad },
      drill: { ...drill.figures, rtoSeconds, ...path },
      ...(failover === undefined
        ? {}
        : { failover: { ...failover.figures, rtoSeconds: Number((failover.result.output as { recoveryTimeSeconds?: number } | undefined)?.recoveryTimeSeconds ?? NaN) } }),
      peakRssBytes,
      ...(heapBefore !== undefined && heapAfter !== undefined ? { backupHeap: { beforeBytes: heapBefore, afterBytes: heapAfter } } : {}),
    };
  } finally {
    clearInterval(sampler);
    await env.stop();
  }
}

async function measure(env: LocalLifeboat, kind: 'backup' | 'drill' | 'failover', lines: { task: string; durationMs: number }[]): Promise<{ result: RunResult; figures: RunFigures }> {
  const from = lines.length;
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const result = await env.runToEnd(kind);
  const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (result.status !== 'SUCCEEDED') throw new Error(`bench: ${kind} ended ${result.status}: ${result.error} ${result.cause}`);
  const mapRuns = await readMapRuns(env.sfn(env.regionOf(kind)), result.executionArn, result.events, { command: 'bench' });
  const histories = allExecutions(result.events, mapRuns);
  const transitions = histories.reduce((sum, events) => sum + stateTransitions(events), 0);
  const calls = lines.slice(from);
  const largest = histories.map(largestPayloadOf).reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const lambdaMs = calls.reduce((sum, c) => sum + c.durationMs, 0);
  const billedLambdaMs = calls.reduce((sum, c) => sum + Math.max(c.durationMs, PRICES.lambdaFloorMs), 0);
  const costUsd =
    transitions * PRICES.transition +
    calls.length * PRICES.lambdaRequest +
    (billedLambdaMs / 1000) * (PRICES.lambdaMemoryMb / 1024) * PRICES.lambdaGbSecond;
  return {
    result,
    figures: {
      status: result.status,
      executions: histories.length,
      transitions,
      lambdaInvocations: calls.length,
      lambdaMs,
      billedLambdaMs,
      largestExecutionEvents: Math.max(...histories.map((h) => h.length)),
      largestPayloadBytes: largest.bytes,
      largestPayloadAt: `${largest.state} (${largest.field})`,
      parentEvents: result.events.length,
      simulatedSeconds: seconds(result),
      wallSeconds,
      cpuSeconds,
      costUsd,
    },
  };
}
