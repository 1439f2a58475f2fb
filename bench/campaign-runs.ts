/**
 * The seeded fault campaign (issue 7): on the sandbox, with a share of every EC2 call throttled,
 * one backup, one drill and one failover of the three-tier example plan per seed, each judged for
 * success, duplicates and (drills) instances left behind. `bench/campaign.ts` runs many seeds and
 * prints the figures; `test/e2e/throttling-campaign.test.ts` runs a handful.
 */
import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { startLocalLifeboat, type LocalLifeboat, type RunKind, type RunResult } from '../cli/local/session.js';
import { parsePlan, type Plan } from '../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../schemas/tags.js';

/** The example plan every campaign run protects. */
export function campaignPlan(): Plan {
  const file = 'examples/three-tier.plan.json';
  return parsePlan(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** One run of the campaign: its outcome, and what a failure and its redrive said. */
export interface CampaignRun {
  readonly kind: RunKind;
  readonly rate: number;
  readonly seed: number;
  readonly status: string;
  /** For a failed run: the step named by the failure, and its cause (trimmed). */
  readonly failedStep?: string;
  readonly cause?: string;
  /**
   * For a failed run: the status after a redrive with the storm still on (backup, failover), or of
   * a new run (a failed drill has torn down and ended at a Fail state, so it is re-run, not redriven).
   */
  readonly retryStatus?: string;
  /** AMIs, copies or instances beyond one per source instance of this run. */
  readonly duplicates: number;
  /** Drills: this run's instances still pending or running after it ended. */
  readonly leftRunning: number;
  /** `Lifeboat.Throttled` retries of Task states (calls the loop tasks could not absorb). */
  readonly throttleRetries: number;
  /** Calls the loop passes noted as throttled and left for their next pass. */
  readonly throttledInPasses: number;
  /** Simulated duration of the (first) run, seconds. */
  readonly simulatedSeconds: number;
}

/** What one seed produced: a backup, a drill and a failover (the last two need the backup). */
export async function runSeed(rate: number, seed: number): Promise<CampaignRun[]> {
  const plan = campaignPlan();
  const env = await startLocalLifeboat({
    plan,
    seed,
    startMs: Date.parse('2026-11-25T10:00:00.000Z'),
    faults: { throttle: { '*': rate } },
  });
  try {
    const runs: CampaignRun[] = [];
    const backup = await judged(env, 'backup', rate, seed);
    runs.push(backup);
    if (backup.status !== 'SUCCEEDED' && backup.retryStatus !== 'SUCCEEDED') return runs;
    runs.push(await judged(env, 'drill', rate, seed));
    runs.push(await judged(env, 'failover', rate, seed));
    return runs;
  } finally {
    await env.stop();
  }
}

async function judged(env: LocalLifeboat, kind: RunKind, rate: number, seed: number): Promise<CampaignRun> {
  const first = await env.runToEnd(kind);
  let retry: RunResult | undefined;
  if (first.status !== 'SUCCEEDED') retry = kind === 'drill' ? await env.runToEnd('drill') : await env.redrive(first.executionArn);
  const final = retry && kind !== 'drill' ? retry : first;
  const { step, cause } = failureOf(first);
  return {
    kind,
    rate,
    seed,
    status: first.status,
    ...(first.status !== 'SUCCEEDED' ? { failedStep: step, cause: cause?.slice(0, 300), retryStatus: retry?.status } : {}),
    duplicates: duplicatesOf(env, kind, final) + (kind === 'drill' && retry ? duplicatesOf(env, kind, retry) : 0),
    leftRunning: kind === 'drill' ? leftRunning(env, first) + (retry ? leftRunning(env, retry) : 0) : 0,
    throttleRetries: throttleRetries(first.events),
    throttledInPasses: throttledInPasses(first.events),
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

function throttledInPasses(events: readonly HistoryEvent[]): number {
  return payloads(events).reduce<number>((n, p) => n + ((p as { throttled?: unknown[] })?.throttled?.length ?? 0), 0);
}

/** The figures of a set of runs of one kind at one rate. */
export interface CampaignSummary {
  readonly kind: RunKind;
  readonly rate: number;
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: readonly CampaignRun[];
  readonly retrySucceeded: number;
  readonly duplicates: number;
  readonly leftRunning: number;
  readonly throttleRetries: number;
  readonly throttledInPasses: number;
  readonly meanSimulatedMinutes: number;
}

/** Sums the runs per kind and rate. */
export function summarise(runs: readonly CampaignRun[]): CampaignSummary[] {
  const groups = new Map<string, CampaignRun[]>();
  for (const r of runs) groups.set(`${r.rate}|${r.kind}`, [...(groups.get(`${r.rate}|${r.kind}`) ?? []), r]);
  return [...groups.values()].map((group) => {
    const failed = group.filter((r) => r.status !== 'SUCCEEDED');
    const sum = (f: (r: CampaignRun) => number) => group.reduce((n, r) => n + f(r), 0);
    return {
      kind: group[0]!.kind,
      rate: group[0]!.rate,
      runs: group.length,
      succeeded: group.length - failed.length,
      failed,
      retrySucceeded: failed.filter((r) => r.retryStatus === 'SUCCEEDED').length,
      duplicates: sum((r) => r.duplicates),
      leftRunning: sum((r) => r.leftRunning),
      throttleRetries: sum((r) => r.throttleRetries),
      throttledInPasses: sum((r) => r.throttledInPasses),
      meanSimulatedMinutes: sum((r) => r.simulatedSeconds) / group.length / 60,
    };
  });
}
