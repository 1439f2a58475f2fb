/**
 * The seeded fault campaign (issue 7): on the sandbox, with a share of every EC2 call throttled,
 * one backup, one drill and one failover of the three-tier example plan per seed, each judged for
 * success, duplicates and (drills) instances left behind. `bench/campaign.ts` runs many seeds and
 * prints the figures; `test/e2e/throttling-campaign.test.ts` runs a handful.
 */
import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { startLocalLifeboat, type LocalLifeboat, type RunKind, type RunResult } from '../cli/local/session.js';
import type { FaultConfig } from '../sandbox/ec2/index.js';
import { SeededRandom } from '../sandbox/random.js';
import { parsePlan, type Plan } from '../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../schemas/tags.js';
import { TASK_IDS, TASK_TIMEOUT_SECONDS, type TaskId } from '../schemas/tasks/index.js';

/** The example plan every campaign run protects. */
export function campaignPlan(): Plan {
  const file = 'examples/three-tier.plan.json';
  return parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
}

/**
 * Lambda faults, injected by wrapping the task handlers bound into the sandbox (the sandbox's
 * Lambda runs them in process; it has no fault API of its own).
 *
 * - `crash`: the handler does its work (its EC2 calls go through), then the invocation fails as a
 *   Lambda killed before returning would (`Sandbox.Timedout`): with probability `crash`, or on
 *   every other invocation of a function with `'alternate'` (every task call retried once, the
 *   allowance `workflows/budget.ts` counts per call).
 * - `duplicate`: with this probability the same event is handled twice at once (Lambda's
 *   at-least-once delivery; two concurrent invocations), and the first answer is returned.
 */
export interface TaskFaults {
  readonly crash?: number | 'alternate';
  readonly duplicate?: number;
  /** Tasks to leave alone. @default none */
  readonly except?: readonly TaskId[];
}

/** What {@link injectTaskFaults} did, per task id. */
export interface TaskFaultCounts {
  readonly crashes: Map<string, number>;
  readonly duplicates: Map<string, number>;
}

/** Wraps every task handler of `env` with `faults`, drawing from a generator seeded with `seed`. */
export function injectTaskFaults(env: LocalLifeboat, faults: TaskFaults, seed: number | string): TaskFaultCounts {
  const random = new SeededRandom(`task-faults:${seed}`);
  const counts: TaskFaultCounts = { crashes: new Map(), duplicates: new Map() };
  const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  for (const id of TASK_IDS) {
    if (faults.except?.includes(id)) continue;
    const name = `lifeboat-${id}`;
    const original = env.sandbox.lambdas.resolve(name, env.plan.primaryRegion);
    if (!original) throw new Error(`campaign: no handler bound for ${name}`);
    let invocations = 0;
    env.sandbox.lambdas.register(
      name,
      async (event, context) => {
        invocations += 1;
        let result: unknown;
        if (faults.duplicate !== undefined && random.float() < faults.duplicate) {
          bump(counts.duplicates, id);
          const copy = structuredClone(event);
          const [first] = await Promise.allSettled([original(event, context), original(copy, context)]);
          if (first.status === 'rejected') throw first.reason;
          result = first.value;
        } else {
          result = await original(event, context);
        }
        const crash = faults.crash === 'alternate' ? invocations % 2 === 1 : faults.crash !== undefined && random.float() < faults.crash;
        if (crash) {
          bump(counts.crashes, id);
          const error = new Error('Task timed out after 60.00 seconds');
          error.name = 'Sandbox.Timedout';
          throw error;
        }
        return result;
      },
      { timeoutSeconds: TASK_TIMEOUT_SECONDS[id] },
    );
  }
  return counts;
}

/**
 * The fault kinds of the campaign (issue 7, "How this will be checked"), each applied to one
 * backup, one drill and one failover per seed:
 *
 * - `throttle`: `rate` of every EC2 call answered `RequestLimitExceeded`, for all three runs.
 * - `crash`: every task invocation crashes after its work with probability `rate` (all three runs).
 * - `duplicate`: every task invocation is delivered twice at once with probability `rate`.
 * - `capacity`: for the drill and the failover, `InsufficientInstanceCapacity` in the recovery
 *   region for the first instance type of each workload with probability one half (at least one).
 * - `impaired`: for the drill and the failover, the status checks of one seeded workload's
 *   instances end `impaired` in the recovery region; retried (drill: a new drill; failover: a
 *   redrive) after the fault is cleared.
 * - `outage`: the primary region's EC2 is unreachable for the backup (retried by redrive once it
 *   is back), then again for the drill and the failover.
 */
export type FaultKind = 'throttle' | 'crash' | 'duplicate' | 'capacity' | 'impaired' | 'outage';

/** One fault of the campaign. */
export interface CampaignFault {
  readonly kind: FaultKind;
  /** throttle, crash, duplicate: the share of calls or invocations affected. */
  readonly rate?: number;
}

/** `throttle 30%`, `impaired`, … */
export function faultLabel(fault: CampaignFault): string {
  return fault.rate === undefined ? fault.kind : `${fault.kind} ${Math.round(fault.rate * 100)}%`;
}

/**
 * What a fault lets a run do. `succeed`: every run succeeds at once. `mostly`: at least 95 %
 * at once, the rest fail naming step and cause and succeed when retried. `recover`: a run may
 * fail (the fault is meant to fail it), naming step and cause, and must succeed when retried
 * once the fault is gone.
 */
export type FaultTarget = 'succeed' | 'mostly' | 'recover';

/** The target of a fault for a kind of run. */
export function targetOf(fault: CampaignFault, kind: RunKind): FaultTarget {
  switch (fault.kind) {
    case 'throttle':
      return (fault.rate ?? 0) <= 0.3 ? 'succeed' : 'mostly';
    case 'impaired':
      return kind === 'backup' ? 'succeed' : 'recover';
    case 'outage':
      return kind === 'backup' ? 'recover' : 'succeed';
    default:
      return 'succeed';
  }
}

/** What a run counts, and a group of runs sums. */
export interface CampaignCounts {
  /** AMIs, copies or instances beyond one per source instance of this run. */
  readonly duplicates: number;
  /** Drills: this run's instances still pending or running after it ended. */
  readonly leftRunning: number;
  /** `Lifeboat.Throttled` retries of Task states (calls the loop tasks could not absorb). */
  readonly throttleRetries: number;
  /** Calls the loop passes noted as throttled and left for their next pass. */
  readonly throttledInPasses: number;
  /** Task retries after a Lambda crash (`Sandbox.Timedout`, `Runtime.ExitError`, `Lambda.Unknown`). */
  readonly crashRetries: number;
  /** Task invocations the `duplicate` fault delivered twice during this run (and its retry). */
  readonly duplicatedInvocations: number;
  /** Failover and drill: instances the run launched on another type or subnet than asked (capacity). */
  readonly substitutions: number;
}

/** Every member of {@link CampaignCounts}, in the order a summary lists them. */
const COUNTS = ['duplicates', 'leftRunning', 'throttleRetries', 'throttledInPasses', 'crashRetries', 'duplicatedInvocations', 'substitutions'] as const satisfies readonly (keyof CampaignCounts)[];

/** One run of the campaign: its outcome, and what a failure and its redrive said. */
export interface CampaignRun extends CampaignCounts {
  readonly kind: RunKind;
  /** The fault's label (`throttle 60%`). */
  readonly fault: string;
  readonly target: FaultTarget;
  /** Throttle rate; 0 for the other faults. */
  readonly rate: number;
  readonly seed: number;
  readonly status: string;
  /** For a failed run: the step named by the failure, and its cause (trimmed). */
  readonly failedStep?: string;
  readonly cause?: string;
  /**
   * For a failed run: the status after a redrive (backup, failover), or of a new run (a failed
   * drill has torn down and ended at a Fail state, so it is re-run, not redriven).
   */
  readonly retryStatus?: string;
  /** Simulated duration of the (first) run, seconds. */
  readonly simulatedSeconds: number;
}

/** What one seed produced under the throttling storm: a backup, a drill and a failover. */
export function runSeed(rate: number, seed: number): Promise<CampaignRun[]> {
  return runFaultSeed({ kind: 'throttle', rate }, seed);
}

/** What one seed produced under a fault: a backup, a drill and a failover (the last two need the backup). */
export async function runFaultSeed(fault: CampaignFault, seed: number): Promise<CampaignRun[]> {
  const plan = campaignPlan();
  const env = await startLocalLifeboat({
    plan,
    seed,
    startMs: Date.parse('2026-11-25T10:00:00.000Z'),
    ...(fault.kind === 'throttle' ? { faults: { throttle: { '*': fault.rate ?? 0 } } } : {}),
  });
  try {
    if (fault.kind === 'crash') injectTaskFaults(env, { crash: fault.rate ?? 0 }, seed);
    const injected = fault.kind === 'duplicate' ? injectTaskFaults(env, { duplicate: fault.rate ?? 0 }, seed) : undefined;
    const duplicated = () => [...(injected?.duplicates.values() ?? [])].reduce((a, b) => a + b, 0);
    const random = new SeededRandom(`campaign:${fault.kind}:${seed}`);
    const recoveryFaults = (): FaultConfig => {
      if (fault.kind === 'capacity') {
        const types = plan.workloads.map((w) => w.launch.instanceTypes?.[0]).filter((t): t is string => t !== undefined);
        const chosen = types.filter(() => random.float() < 0.5);
        if (chosen.length === 0 && types.length > 0) chosen.push(types[random.int(types.length)]!);
        return { capacity: chosen.map((instanceType) => ({ instanceType, region: plan.recoveryRegion })) };
      }
      if (fault.kind === 'impaired') {
        const workload = plan.workloads[random.int(plan.workloads.length)]!.name;
        return { impaired: [{ region: plan.recoveryRegion, tags: { [TAG_KEYS.workload]: workload } }] };
      }
      if (fault.kind === 'outage') return { outages: [plan.primaryRegion] };
      return {};
    };
    const setup = { fault: faultLabel(fault), rate: fault.kind === 'throttle' ? (fault.rate ?? 0) : 0, seed, duplicated };
    // Faults that a retry waits out: cleared before the redrive (or the new drill).
    const clearsBeforeRetry = fault.kind === 'impaired' || fault.kind === 'outage';
    const apply = (config: FaultConfig) => {
      if (Object.keys(config).length > 0) env.sandbox.ec2.setFaults(config);
    };
    const runs: CampaignRun[] = [];
    if (fault.kind === 'outage') apply(recoveryFaults());
    const backup = await judged(env, 'backup', { ...setup, target: targetOf(fault, 'backup'), beforeRetry: clearsBeforeRetry ? () => env.sandbox.ec2.clearFaults() : undefined });
    runs.push(backup);
    if (backup.status !== 'SUCCEEDED' && backup.retryStatus !== 'SUCCEEDED') return runs;
    for (const kind of ['drill', 'failover'] as const) {
      apply(recoveryFaults());
      runs.push(await judged(env, kind, { ...setup, target: targetOf(fault, kind), beforeRetry: clearsBeforeRetry ? () => env.sandbox.ec2.clearFaults() : undefined }));
      if (clearsBeforeRetry || fault.kind === 'capacity') env.sandbox.ec2.clearFaults();
    }
    return runs;
  } finally {
    await env.stop();
  }
}

interface JudgeSetup {
  readonly fault: string;
  readonly target: FaultTarget;
  readonly rate: number;
  readonly seed: number;
  /** Called before a failed run is retried (e.g. the fault is cleared). */
  readonly beforeRetry?: () => void;
  /** How many invocations the duplicate fault has delivered twice so far. */
  readonly duplicated: () => number;
}

async function judged(env: LocalLifeboat, kind: RunKind, setup: JudgeSetup): Promise<CampaignRun> {
  const duplicatedBefore = setup.duplicated();
  const first = await env.runToEnd(kind);
  let retry: RunResult | undefined;
  if (first.status !== 'SUCCEEDED') {
    setup.beforeRetry?.();
    retry = kind === 'drill' ? await env.runToEnd('drill') : await env.redrive(first.executionArn);
  }
  const final = retry && kind !== 'drill' ? retry : first;
  const { step, cause } = failureOf(first);
  return {
    kind,
    fault: setup.fault,
    target: setup.target,
    rate: setup.rate,
    seed: setup.seed,
    status: first.status,
    ...(first.status !== 'SUCCEEDED' ? { failedStep: step, cause: cause?.slice(0, 300), retryStatus: retry?.status } : {}),
    duplicates: duplicatesOf(env, kind, final) + (kind === 'drill' && retry ? duplicatesOf(env, kind, retry) : 0),
    leftRunning: kind === 'drill' ? leftRunning(env, first) + (retry ? leftRunning(env, retry) : 0) : 0,
    throttleRetries: throttleRetries(first.events),
    throttledInPasses: throttledInPasses(first.events),
    crashRetries: crashRetries(final.events) + (kind === 'drill' && retry ? crashRetries(retry.events) : 0),
    substitutions: substitutions(final.events),
    duplicatedInvocations: setup.duplicated() - duplicatedBefore,
    simulatedSeconds: ((first.stopDate?.getTime() ?? 0) - first.startDate.getTime()) / 1000,
  };
}

/** The failed step and cause a failed run names (`step "<name>" failed with <error>: <cause>`). */
export function failureOf(run: RunResult): { step?: string; cause?: string } {
  if (run.status === 'SUCCEEDED') return {};
  const cause = run.cause ?? '';
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (typeof parsed.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // a plain cause (a Fail state's)
  }
  const steps = [...text.matchAll(/step "([^"]+)" failed/g)].map((m) => m[1]!);
  return { step: steps.at(-1) ?? '(not named)', cause: text };
}

/**
 * Resources of this run beyond one per source instance: source AMIs (primary region), copies
 * (recovery region), launched instances (recovery region; instances a redrive replaced, listed in
 * a launch pass's `replaced`, are not duplicates). Failed AMIs the run deregistered are gone.
 */
export function duplicatesOf(env: LocalLifeboat, kind: RunKind, run: RunResult): number {
  const arn = run.executionArn;
  const primary = env.sandbox.ec2.region(env.plan.primaryRegion);
  const recovery = env.sandbox.ec2.region(env.plan.recoveryRegion);
  const extra = (items: { tags: Record<string, string> }[]) => {
    const counts = new Map<string, number>();
    for (const item of items) {
      const source = item.tags[TAG_KEYS.sourceInstance] ?? '(untagged)';
      counts.set(source, (counts.get(source) ?? 0) + 1);
    }
    return [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
  };
  const ofRun = (tags: Record<string, string>, role: string) => tags[TAG_KEYS.executionArn] === arn && tags[TAG_KEYS.role] === role;
  if (kind === 'backup') {
    const live = (state: string) => state !== 'failed' && state !== 'deregistered';
    return (
      extra(primary.images().filter((i) => ofRun(i.tags, ROLES.sourceImage) && live(i.state))) +
      extra(recovery.images().filter((i) => ofRun(i.tags, ROLES.recoveryPoint) && live(i.state)))
    );
  }
  const role = kind === 'drill' ? ROLES.drillInstance : ROLES.failoverInstance;
  const replaced = replacedInstances(run.events);
  return extra(recovery.instances().filter((i) => ofRun(i.tags, role) && !replaced.has(i.instanceId)));
}

function leftRunning(env: LocalLifeboat, run: RunResult): number {
  const recovery = env.sandbox.ec2.region(env.plan.recoveryRegion);
  return recovery
    .instances()
    .filter((i) => i.tags[TAG_KEYS.executionArn] === run.executionArn && (i.state === 'pending' || i.state === 'running')).length;
}

function payloads(events: readonly HistoryEvent[]): unknown[] {
  return events
    .filter((e) => e.type === 'TaskSucceeded')
    .map((e) => {
      try {
        return (JSON.parse(e.taskSucceededEventDetails?.output ?? '{}') as { Payload?: unknown }).Payload;
      } catch {
        return undefined;
      }
    });
}

function replacedInstances(events: readonly HistoryEvent[]): Set<string> {
  const out = new Set<string>();
  for (const p of payloads(events)) for (const r of (p as { replaced?: { instanceId: string }[] })?.replaced ?? []) out.add(r.instanceId);
  return out;
}

function throttleRetries(events: readonly HistoryEvent[]): number {
  return events.filter((e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'Lifeboat.Throttled').length;
}

const CRASH_ERRORS = new Set(['Sandbox.Timedout', 'Runtime.ExitError', 'Lambda.Unknown']);

function crashRetries(events: readonly HistoryEvent[]): number {
  return events.filter((e) => e.type === 'TaskFailed' && CRASH_ERRORS.has(e.taskFailedEventDetails?.error ?? '')).length;
}

/** Instances launched on another type or subnet than the first asked (the last pass's `substitution`s). */
function substitutions(events: readonly HistoryEvent[]): number {
  const last = new Map<string, boolean>();
  for (const p of payloads(events)) {
    for (const i of (p as { instances?: { workload: string; sourceInstanceId: string; substitution?: unknown }[] })?.instances ?? []) {
      last.set(`${i.workload}|${i.sourceInstanceId}`, i.substitution !== undefined && i.substitution !== null);
    }
  }
  return [...last.values()].filter(Boolean).length;
}

function throttledInPasses(events: readonly HistoryEvent[]): number {
  return payloads(events).reduce<number>((n, p) => n + ((p as { throttled?: unknown[] })?.throttled?.length ?? 0), 0);
}

/** The figures of a set of runs of one kind under one fault: the runs' counts summed. */
export interface CampaignSummary extends CampaignCounts, Pick<CampaignRun, 'kind' | 'fault' | 'target' | 'rate'> {
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: readonly CampaignRun[];
  readonly retrySucceeded: number;
  readonly meanSimulatedMinutes: number;
  /** Whether the group meets its target (and has no duplicate, nothing left running, every failure named). */
  readonly met: boolean;
}

/** Sums the runs per fault and kind, in the order first seen. */
export function summarise(runs: readonly CampaignRun[]): CampaignSummary[] {
  const groups = new Map<string, CampaignRun[]>();
  for (const r of runs) groups.set(`${r.fault}|${r.kind}`, [...(groups.get(`${r.fault}|${r.kind}`) ?? []), r]);
  return [...groups.values()].map((group) => {
    const failed = group.filter((r) => r.status !== 'SUCCEEDED');
    const sum = (f: (r: CampaignRun) => number) => group.reduce((n, r) => n + f(r), 0);
    const first = group[0]!;
    const succeeded = group.length - failed.length;
    const retrySucceeded = failed.filter((r) => r.retryStatus === 'SUCCEEDED').length;
    const named = failed.every((f) => f.failedStep !== undefined && f.failedStep !== '(not named)');
    const rateOk =
      first.target === 'succeed' ? succeeded === group.length : first.target === 'mostly' ? succeeded >= Math.ceil(0.95 * group.length) : true;
    const counts = Object.fromEntries(COUNTS.map((k) => [k, sum((r) => r[k])])) as Record<keyof CampaignCounts, number>;
    return {
      kind: first.kind,
      fault: first.fault,
      target: first.target,
      rate: first.rate,
      runs: group.length,
      succeeded,
      failed,
      retrySucceeded,
      ...counts,
      meanSimulatedMinutes: sum((r) => r.simulatedSeconds) / group.length / 60,
      met: rateOk && retrySucceeded === failed.length && named && counts.duplicates === 0 && counts.leftRunning === 0,
    };
  });
}

/** What one Map iteration wrote into its execution's history. */
export interface IterationEvents {
  /** Every event of the iteration, `MapIterationStarted` to `MapIterationSucceeded`/`Failed`/`Aborted` included. */
  readonly events: number;
  /** Task states entered, per state name (a loop's passes). */
  readonly passes: Map<string, number>;
  /** Task retries (`TaskFailed` followed by another attempt): 3 events each. */
  readonly taskFailed: number;
}

/**
 * Splits an execution's history by inline Map iteration index (following `previousEventId`, as
 * Step Functions links an iteration's events); events outside any iteration are under -1. A
 * redriven iteration adds to the same index.
 */
export function eventsByIteration(events: readonly HistoryEvent[]): Map<number, IterationEvents> {
  const iterationOf = new Map<number, number>();
  const out = new Map<number, { events: number; passes: Map<string, number>; taskFailed: number }>();
  for (const e of events) {
    let i: number;
    if (e.type === 'MapIterationStarted') i = e.mapIterationStartedEventDetails?.index ?? 0;
    else if (e.type?.startsWith('MapIteration')) i = (e.mapIterationSucceededEventDetails ?? e.mapIterationFailedEventDetails ?? e.mapIterationAbortedEventDetails)?.index ?? -1;
    else i = (e.previousEventId !== undefined ? iterationOf.get(e.previousEventId) : undefined) ?? -1;
    iterationOf.set(e.id!, i);
    const entry = out.get(i) ?? { events: 0, passes: new Map<string, number>(), taskFailed: 0 };
    entry.events += 1;
    if (e.type === 'TaskStateEntered') {
      const name = e.stateEnteredEventDetails!.name!;
      entry.passes.set(name, (entry.passes.get(name) ?? 0) + 1);
    }
    if (e.type === 'TaskFailed') entry.taskFailed += 1;
    out.set(i, entry);
  }
  return out;
}

/** Task states entered per state name, as a list by Map iteration index (index 0 for states outside a Map). */
export function passesByState(events: readonly HistoryEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [index, iteration] of eventsByIteration(events)) {
    for (const [name, n] of iteration.passes) {
      const list = out.get(name) ?? [];
      list[Math.max(index, 0)] = (list[Math.max(index, 0)] ?? 0) + n;
      out.set(name, list);
    }
  }
  return out;
}
