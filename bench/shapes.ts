/**
 * Plan shapes the scale benchmark never runs (issue 8, "Any size": "a plan may hold at least 5,000
 * workloads and any number of instances per workload"), written as an independent user would write
 * them and run as backup, drill and failover on the sandbox through the real workflows and task
 * handlers. `bench/scale.ts` runs one shape only (one instance per workload, 4 waves, batches of
 * 20); these are the others: one workload of thousands of instances, thousands of one-instance
 * workloads in 2 or in 100 waves, instances of 8 volumes each, a mix of tiny and huge workloads
 * in other regions, and the longest names and tag selectors the schema allows.
 *
 * Every run is checked as an outside reviewer would: every execution (parent and children)
 * SUCCEEDED; no state input or output near 256 KiB; no execution near 25,000 events; every
 * protected instance backed up, launched and torn down exactly once (no duplicate, nothing left
 * running after a drill, one running instance per source after a failover); and `plan check`'s
 * validation and history budget accept the plan, with a worst case at or above what the parent
 * and the largest child actually wrote.
 *
 *   nice -n 10 node --expose-gc --import tsx bench/shapes.ts                       # every shape, full size
 *   nice -n 10 node --expose-gc --import tsx bench/shapes.ts --only one-workload-ids --scale 0.1
 *   npm run bench -- --only shapes --shapes many-volumes                          # through bench/run.ts
 *
 * Not part of `npm test`; test/scale-shapes/ runs the same shapes at a small scale.
 */
import { TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePlan, type Plan, type PlanInput } from '../schemas/plan.js';
import { TAG_KEYS, ROLES, VERIFIED_VALUE } from '../schemas/tags.js';
import { startLocalLifeboat, type LocalLifeboat, type RunKind, type RunResult } from '../cli/local/session.js';
import { allExecutions, readMapRuns, type MapRunNode } from '../cli/run-tree.js';
import type { SeedInstance } from '../sandbox/ec2/index.js';
import { STANDARD_VCPU_QUOTA_CODE } from '../sandbox/ec2/preconditions.js';
import { checkBudget, HISTORY_EVENT_LIMIT, worstCase, type WorstCase } from '../workflows/budget.js';
import { isDistributed } from '../workflows/render.js';
import { largestPayloadOf, stateTransitions } from './scale.js';

/** Step Functions' quota on a state's or an execution's input or output. */
export const PAYLOAD_LIMIT_BYTES = 256 * 1024;
/** "Near" a quota, for these checks: above a quarter of the payload quota, or above 80 % of the history quota. */
export const PAYLOAD_NEAR_BYTES = 64 * 1024;
export const EVENTS_NEAR = 0.8 * HISTORY_EVENT_LIMIT;

/** One plan shape: the plan as written, and the fleet it protects beyond what the plan's ids name. */
export interface Shape {
  readonly name: string;
  readonly about: string;
  /** The plan as a user writes it (JSON; defaults left out where a user would leave them out). */
  readonly plan: PlanInput;
  /**
   * Instances of the primary region the plan's tag selectors match (the session's fixture seeds
   * two placeholders per selector; they are terminated first, so the fleet is exactly this).
   */
  readonly fleet?: readonly SeedInstance[];
  /** vCPUs of the largest instance type the plan launches (the recovery region's quota is raised to hold all of them, as an operator would). @default 2 */
  readonly vcpusPerInstance?: number;
}

/** What one run (backup, drill or failover) did, read from the sandbox. */
export interface ShapeRun {
  readonly kind: RunKind;
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
  readonly executions: number;
  /** Child executions that did not succeed, and the first one's error and cause. */
  readonly failedChildren: number;
  readonly childFailure?: string;
  readonly parentEvents: number;
  readonly largestChildEvents: number;
  readonly largestPayloadBytes: number;
  readonly largestPayloadAt: string;
  /** State transitions of every execution of the run (parent and children), as AWS bills them. */
  readonly transitions: number;
  readonly wallSeconds: number;
  /** CPU time of this process (user + system) while the run went on: the sandbox, the engine and the task code. */
  readonly cpuSeconds: number;
  readonly simulatedSeconds: number;
  /** Protected instances this run handled exactly once (a verified point; a launched instance). */
  readonly once: number;
  /** Sources with more than one point or instance from this run. */
  readonly duplicates: readonly string[];
  /** Protected instances this run did not handle. */
  readonly missing: readonly string[];
  /** A drill's instances still pending or running after it ended. */
  readonly leftRunning: readonly string[];
}

/** A shape's result: plan check, runs, and every check that failed. */
export interface ShapeReport {
  readonly name: string;
  readonly workloads: number;
  readonly instances: number;
  readonly waves: number;
  readonly distributed: boolean;
  readonly planCheckMs: number;
  readonly budgetIssues: readonly string[];
  readonly worstCase: readonly WorstCase[];
  readonly runs: readonly ShapeRun[];
  /** Every check that failed, in words; empty when the shape passed. */
  readonly problems: readonly string[];
  readonly peakRssBytes: number;
}

const hex = (prefix: string, n: number, width = 17) => `${prefix}-${n.toString(16).padStart(width, '0')}`;
/** An instance id as an inventory has them: 17 hex digits without a pattern (gzip cannot shrink a list of them much). */
const inventoryId = (seed: string) => `i-${createHash('sha256').update(seed).digest('hex').slice(0, 17)}`;
/** A subnet id of the recovery region (`k` from 1). */
const subnet = (k: number) => hex('subnet', 0x5a0000 + k);
const group = (k: number) => hex('sg', 0x5b0000 + k);
const scaled = (n: number, scale: number, min = 1) => Math.max(min, Math.round(n * scale));

/** A 32-character workload name (the schema's longest): a lowercase letter, then letters, digits and dashes. */
export function longName(i: number): string {
  const tail = `-${i.toString().padStart(5, '0')}`;
  return `w${'orkload-of-the-fleet-xyz'.slice(0, 31 - tail.length)}${tail}`.padEnd(32, 'x').slice(0, 32);
}

/** Options of {@link shapes}. */
export interface ShapeOptions {
  /**
   * The fewest instances (and workloads) a scaled-down shape keeps. @default 120, so that
   * `scale.mode: auto` still renders distributed runs (above 100 instances)
   */
  readonly min?: number;
  /** Smaller batches and `scale.mode: distributed`, so that a small shape still fans out (the tests). */
  readonly small?: boolean;
}

/**
 * The shapes, at `scale` (1 = the full size the issue asks for). Sizes never drop below
 * `options.min`; with `options.small` the plans also say `scale.mode: distributed` and use small
 * batches, so that the vitest versions (test/scale-shapes/) still fan out into child executions.
 */
export function shapes(scale = 1, options: ShapeOptions = {}): Shape[] {
  const out = fullShapes(scale, options.min ?? 120);
  if (options.small !== true) return out;
  return out.map((shape) => ({
    ...shape,
    plan: {
      ...shape.plan,
      backup: { ...shape.plan.backup, batchSize: 4, maxConcurrentBatches: 3 },
      scale: { ...shape.plan.scale, mode: 'distributed', launchBatchSize: 4 },
    },
  }));
}

function fullShapes(scale: number, min: number): Shape[] {
  const out: Shape[] = [];

  // 1. One workload of 3,000 instances, by id (what a user with an inventory export writes) and by tag.
  {
    const n = scaled(3000, scale, min);
    out.push({
      name: 'one-workload-ids',
      about: `one workload of ${n} instances listed by id, one wave`,
      plan: {
        name: 'batch-farm',
        primaryRegion: 'us-east-1',
        recoveryRegion: 'us-west-2',
        objectives: { rpoMinutes: 1440, rtoMinutes: 120 },
        workloads: [
          {
            name: 'render-nodes',
            instanceIds: Array.from({ length: n }, (_, i) => inventoryId(`render-${i}`)),
            launch: { subnetIds: [subnet(1), subnet(2)], securityGroupIds: [group(1)], instanceTypes: ['c6i.large', 'c5.large'] },
          },
        ],
        backup: { schedule: 'rate(1 day)' },
        drill: { isolatedSubnetIds: [subnet(11), subnet(12)] },
      },
    });
    out.push({
      name: 'one-workload-tags',
      about: `one workload of ${n} instances chosen by a tag selector`,
      plan: {
        name: 'batch-farm-tags',
        primaryRegion: 'us-east-1',
        recoveryRegion: 'us-west-2',
        objectives: { rpoMinutes: 1440, rtoMinutes: 120 },
        workloads: [
          {
            name: 'render-nodes',
            tagSelector: { fleet: 'render', env: 'prod' },
            launch: { subnetIds: [subnet(1), subnet(2)], securityGroupIds: [group(1)], instanceTypes: ['c6i.large', 'c5.large'] },
          },
        ],
        backup: { schedule: 'rate(1 day)', batchSize: 50, maxConcurrentBatches: 4 },
        drill: { isolatedSubnetIds: [subnet(11), subnet(12)] },
        // A selector's size is known only at run time; `auto` would size this plan at one batch
        // (inline), and its runs would stop at their resolve step naming this setting.
        scale: { mode: 'distributed' },
      },
      fleet: Array.from({ length: n }, (_, i) => ({
        instanceType: 'c6i.large',
        tags: { Name: `render-${i + 1}`, fleet: 'render', env: 'prod' },
        volumes: [{ sizeGiB: 30, deviceName: '/dev/xvda' }],
      })),
    });
  }

  // 2. 5,000 one-instance workloads, in 2 waves and in 100 waves (the schema's most; 200 is refused).
  for (const waves of [2, 100]) {
    const n = scaled(5000, scale, min);
    const w = Math.min(waves, n);
    out.push({
      name: `singles-${waves}-waves`,
      about: `${n} one-instance workloads in ${w} waves of about ${Math.round(n / w)}`,
      plan: {
        name: `singles-${waves}`,
        primaryRegion: 'us-east-1',
        recoveryRegion: 'us-west-2',
        objectives: { rpoMinutes: 1440, rtoMinutes: 240 },
        workloads: Array.from({ length: n }, (_, i) => ({
          name: `svc-${i + 1}`,
          // Sequential ids in one variant, inventory-like ones in the other (what the packed plan weighs).
          instanceIds: [waves === 2 ? inventoryId(`svc-${i}`) : hex('i', 0x1000000 + i)],
          wave: 1 + Math.floor((i * w) / n),
          launch: { subnetIds: [subnet(1), subnet(2), subnet(3)], instanceTypes: ['t3.large'] },
        })),
        backup: { schedule: 'rate(1 day)', batchSize: 100, maxConcurrentBatches: 3 },
        drill: { isolatedSubnetIds: [subnet(11), subnet(12)] },
      },
    });
  }

  // 3. 500 instances of 8 volumes each: 4,000 snapshot copies against 20 at a time.
  {
    const n = scaled(500, scale, min);
    const perWorkload = 10;
    const workloads = Math.ceil(n / perWorkload);
    out.push({
      name: 'many-volumes',
      about: `${n} instances of 8 EBS volumes each (${n * 8} snapshot copies), ${workloads} tag-selected workloads`,
      plan: {
        name: 'databases',
        primaryRegion: 'us-east-1',
        recoveryRegion: 'us-west-2',
        objectives: { rpoMinutes: 2880, rtoMinutes: 240 },
        workloads: Array.from({ length: workloads }, (_, k) => ({
          name: `db-shard-${k + 1}`,
          tagSelector: { role: 'db', shard: String(k + 1) },
          launch: { subnetIds: [subnet(1)], securityGroupIds: [group(1)], instanceTypes: ['r6i.large'] },
        })),
        backup: { schedule: 'rate(2 days)', batchSize: 20, maxConcurrentBatches: 4 },
        drill: { isolatedSubnetIds: [subnet(11)] },
      },
      fleet: Array.from({ length: n }, (_, i) => ({
        instanceType: 'r6i.large',
        tags: { Name: `db-${i + 1}`, role: 'db', shard: String(1 + Math.floor(i / perWorkload)) },
        volumes: Array.from({ length: 8 }, (_, v) => ({ sizeGiB: v === 0 ? 20 : 50, deviceName: `/dev/xvd${String.fromCharCode(97 + v)}` })),
      })),
    });
  }

  // 4. Tiny and huge workloads in 5 dependent waves, other regions, launch templates, optional workloads.
  {
    const huge = scaled(1500, scale, Math.ceil(min / 2));
    const big = scaled(800, scale, Math.ceil(min / 3));
    const tiny = scaled(200, scale, Math.ceil(min / 6));
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => hex('i', from + i));
    const workloads: PlanInput['workloads'] = [
      { name: 'postgres', instanceIds: ids(0x2000000, 3), wave: 1, launch: { subnetIds: [subnet(1)], securityGroupIds: [group(1)], instanceTypes: ['r6i.xlarge', 'r5.xlarge'], keyName: 'ops' } },
      { name: 'redis', instanceIds: ids(0x2000100, 1), wave: 1, launch: { subnetIds: [subnet(1)], instanceTypes: ['r6i.large'] } },
      { name: 'api', tagSelector: { app: 'api' }, wave: 2, launch: { subnetIds: [subnet(2), subnet(3)], securityGroupIds: [group(2)], instanceTypes: ['m6i.large'] } },
      { name: 'workers', instanceIds: ids(0x2100000, big), wave: 3, launch: { subnetIds: [subnet(2), subnet(3)], launchTemplate: { name: 'worker-template' } } },
      ...Array.from({ length: tiny }, (_, i) => ({
        name: `edge-${i + 1}`,
        instanceIds: ids(0x2200000 + 16 * i, 1 + (i % 3)),
        critical: i % 4 !== 0,
        wave: 4,
        launch: { subnetIds: [subnet(4)], instanceTypes: ['t3.small', 't3a.small'] },
      })),
      { name: 'frontend', instanceIds: ids(0x2300000, 2), wave: 5, launch: { subnetIds: [subnet(4)], securityGroupIds: [group(3)], instanceTypes: ['m6i.large'] } },
    ];
    out.push({
      name: 'mixed',
      about: `tiny and huge workloads (${huge} by tag, ${big} by id, ${tiny} of 1–3) in 5 dependent waves, eu-central-1 → eu-west-1`,
      plan: {
        name: 'storefront',
        description: 'Shop platform: data first, then API, workers, edge caches, web.',
        primaryRegion: 'eu-central-1',
        recoveryRegion: 'eu-west-1',
        objectives: { rpoMinutes: 1440, rtoMinutes: 180 },
        workloads,
        backup: { schedule: 'cron(30 1 * * ? *)', timezone: 'Europe/Berlin', retention: { count: 3, maxAgeDays: 14 }, batchSize: 40, maxConcurrentBatches: 3 },
        drill: { isolatedSubnetIds: [subnet(11), subnet(12)], securityGroupIds: [group(9)], schedule: 'cron(0 4 ? * SUN *)', timezone: 'Europe/Berlin' },
        scale: { launchBatchSize: 25 },
        tags: { 'cost-center': 'dr-1234', owner: 'platform' },
      },
      fleet: Array.from({ length: huge }, (_, i) => ({ instanceType: 'm6i.large', tags: { Name: `api-${i + 1}`, app: 'api' } })),
      vcpusPerInstance: 4,
    });
  }

  // 5. 5,000 workloads with the longest names, chosen by tags (long keys, long values, several tags each).
  {
    const n = scaled(5000, scale, min);
    const key = `${'platform.example.com/'.padEnd(120, 'k')}-app`.slice(0, 128);
    const value = (i: number) => `${longName(i)}:${'v'.repeat(200)}`.slice(0, 256);
    out.push({
      name: 'long-names-tags',
      about: `${n} workloads with 32-character names, each chosen by 3 tags (a 128-character key, 256-character values)`,
      plan: {
        name: 'a-plan-name-of-thirty-two-chars0',
        primaryRegion: 'ap-southeast-2',
        recoveryRegion: 'ap-southeast-4',
        objectives: { rpoMinutes: 1440, rtoMinutes: 240 },
        workloads: Array.from({ length: n }, (_, i) => ({
          name: longName(i),
          tagSelector: { [key]: value(i), env: 'production', 'backup-tier': 'gold' },
          wave: 1 + (i % 4),
          launch: { subnetIds: [subnet(1), subnet(2)], instanceTypes: ['m6i.large'] },
        })),
        backup: { schedule: 'rate(1 day)', batchSize: 100, maxConcurrentBatches: 3 },
        drill: { isolatedSubnetIds: [subnet(11), subnet(12)] },
        tags: { ['a-long-plan-tag-key'.padEnd(128, 'q')]: 'z'.repeat(256) },
      },
      fleet: Array.from({ length: n }, (_, i) => ({
        instanceType: 'm6i.large',
        tags: { Name: `host-${i + 1}`, [key]: value(i), env: 'production', 'backup-tier': 'gold' },
      })),
    });
  }
  return out;
}

/** The instance ids each workload protects, read from the sandbox's primary region once the fleet is in place. */
function protectedInstances(env: LocalLifeboat): Map<string, string> {
  const plan = env.plan;
  const live = env.sandbox.ec2.region(plan.primaryRegion).instances().filter((i) => i.state === 'running' || i.state === 'stopped');
  const owner = new Map<string, string>();
  for (const w of plan.workloads) {
    const matched = w.instanceIds
      ? live.filter((i) => w.instanceIds!.includes(i.instanceId))
      : live.filter((i) => Object.entries(w.tagSelector!).every(([k, v]) => i.tags[k] === v));
    for (const i of matched) if (!owner.has(i.instanceId)) owner.set(i.instanceId, w.name);
  }
  return owner;
}

/**
 * Starts a local Lifeboat for a shape: the plan's fixture, then the shape's own fleet in place of
 * the fixture's placeholders for tag selectors, and the recovery region's vCPU quota raised to
 * hold every recovered instance at once.
 */
export async function startShape(shape: Shape, plan: Plan = parsePlan(shape.plan, `shape:${shape.name}`), taskLog?: (line: string) => void): Promise<LocalLifeboat> {
  const env = await startLocalLifeboat({ plan, seed: 13, startMs: Date.parse('2026-11-30T00:00:00.000Z'), ...(taskLog === undefined ? {} : { taskLog }) });
  try {
    if (shape.fleet !== undefined) {
      const primary = env.sandbox.ec2.region(plan.primaryRegion);
      const selected = new Set(plan.workloads.filter((w) => w.tagSelector !== undefined).map((w) => w.name));
      const placeholders = primary
        .instances()
        .filter((i) => i.state === 'running' && [...selected].some((name) => (i.tags.Name ?? '').startsWith(`${plan.name}-${name}-`)))
        .map((i) => i.instanceId);
      for (let i = 0; i < placeholders.length; i += 1000) {
        await env.ec2(plan.primaryRegion).send(new TerminateInstancesCommand({ InstanceIds: placeholders.slice(i, i + 1000) }));
      }
      env.sandbox.ec2.seedInstances(plan.primaryRegion, shape.fleet);
    }
    const instances = protectedInstances(env).size;
    const quotas = env.sandbox.servicequotas;
    const vcpus = quotas.quota(plan.recoveryRegion, 'ec2', STANDARD_VCPU_QUOTA_CODE) ?? 0;
    quotas.setQuota(plan.recoveryRegion, 'ec2', STANDARD_VCPU_QUOTA_CODE, Math.max(vcpus, (shape.vcpusPerInstance ?? 2) * instances + 64));
    return env;
  } catch (error) {
    await env.stop();
    throw error;
  }
}

/** Counts, per protected instance, what `run` made of it (recovery points or launched instances). */
function perSource(env: LocalLifeboat, kind: RunKind, executionArn: string, owners: Map<string, string>): Pick<ShapeRun, 'once' | 'duplicates' | 'missing' | 'leftRunning'> {
  const plan = env.plan;
  const region = env.sandbox.ec2.region(plan.recoveryRegion);
  const counts = new Map<string, number>();
  const leftRunning: string[] = [];
  const mine = (tags: Record<string, string>, role: string) => tags[TAG_KEYS.executionArn] === executionArn && tags[TAG_KEYS.role] === role;
  if (kind === 'backup') {
    for (const image of region.images()) {
      if (!mine(image.tags, ROLES.recoveryPoint) || image.tags[TAG_KEYS.verified] !== VERIFIED_VALUE) continue;
      const source = image.tags[TAG_KEYS.sourceInstance]!;
      counts.set(source, (counts.get(source) ?? 0) + 1);
    }
  } else {
    const role = kind === 'drill' ? ROLES.drillInstance : ROLES.failoverInstance;
    for (const i of region.instances()) {
      if (!mine(i.tags, role)) continue;
      const source = i.tags[TAG_KEYS.sourceInstance]!;
      counts.set(source, (counts.get(source) ?? 0) + 1);
      if (kind === 'drill' && (i.state === 'pending' || i.state === 'running')) leftRunning.push(i.instanceId);
      if (kind === 'failover' && i.state !== 'running') counts.set(source, (counts.get(source) ?? 0) + 1000);
    }
  }
  const duplicates = [...counts].filter(([, c]) => c > 1).map(([s]) => s);
  const missing = [...owners.keys()].filter((s) => !counts.has(s));
  return { once: [...counts.values()].filter((c) => c === 1).length, duplicates, missing, leftRunning };
}

async function run(env: LocalLifeboat, kind: RunKind, owners: Map<string, string>, progress?: (line: string) => void): Promise<ShapeRun> {
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const sim0 = env.sandbox.clock.now();
  // A line a minute while a long run goes on, so a stall shows as a simulated clock that stops moving.
  const ticker = progress === undefined ? undefined : setInterval(() => {
    const cpu = process.cpuUsage(cpu0);
    progress(`${kind} running: ${((env.sandbox.clock.now() - sim0) / 60_000).toFixed(1)} min simulated, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  }, 60_000);
  let result: RunResult;
  try {
    result = await env.runToEnd(kind);
  } finally {
    clearInterval(ticker);
  }
  const wallSeconds = Number(process.hrtime.bigint() - wall0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const mapRuns = await readMapRuns(env.sfn(env.regionOf(kind)), result.executionArn, result.events, { command: 'bench' });
  const children: { status: string; events: RunResult['events'] }[] = [];
  const visit = (runs: readonly MapRunNode[]) => {
    for (const r of runs) for (const c of r.children) (children.push(c), visit(c.mapRuns));
  };
  visit(mapRuns);
  const histories = allExecutions(result.events, mapRuns);
  const largest = histories.map(largestPayloadOf).reduce((a, b) => (b.bytes > a.bytes ? b : a));
  return {
    kind,
    status: result.status,
    error: result.error,
    cause: result.cause?.slice(0, 600),
    executions: histories.length,
    failedChildren: children.filter((c) => c.status !== 'SUCCEEDED').length,
    childFailure: children
      .flatMap((c) => c.events.filter((e) => e.type === 'ExecutionFailed').map((e) => `${e.executionFailedEventDetails?.error}: ${e.executionFailedEventDetails?.cause?.slice(0, 600)}`))
      .at(0),
    parentEvents: result.events.length,
    largestChildEvents: histories.slice(1).reduce((most, h) => Math.max(most, h.length), 0),
    largestPayloadBytes: largest.bytes,
    largestPayloadAt: `${largest.state} (${largest.field})`,
    transitions: histories.reduce((sum, events) => sum + stateTransitions(events), 0),
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    simulatedSeconds: ((result.stopDate?.getTime() ?? 0) - result.startDate.getTime()) / 1000,
    ...perSource(env, kind, result.executionArn, owners),
  };
}

/** What `plan check` does with a plan file (schemas/plan.ts, then workflows/budget.ts), timed. */
export function planCheckOf(shape: Shape): { plan: Plan; ms: number; issues: string[]; worst: WorstCase[] } {
  const t0 = performance.now();
  const plan = parsePlan(JSON.stringify(shape.plan), `${shape.name}.plan.json`);
  const issues = checkBudget(plan).map((i) => `${i.path}: expected ${i.expected}, found ${i.found}`);
  const worst = worstCase(plan);
  return { plan, ms: performance.now() - t0, issues, worst };
}

/**
 * Runs a shape: `plan check`, then a backup, a drill and a failover (and a failback when the plan
 * has one), each checked; returns the figures and every failed check. A plan the schema refuses
 * is reported as a problem (with the schema's message), not thrown.
 */
export async function runShape(shape: Shape, options: { readonly log?: (line: string) => void } = {}): Promise<ShapeReport> {
  const log = options.log ?? (() => {});
  const problems: string[] = [];
  let checked: ReturnType<typeof planCheckOf>;
  try {
    checked = planCheckOf(shape);
  } catch (error) {
    const workloads = shape.plan.workloads.length;
    return { name: shape.name, workloads, instances: 0, waves: 0, distributed: false, planCheckMs: 0, budgetIssues: [], worstCase: [], runs: [], problems: [`plan check refused the plan: ${(error as Error).message.split('\n').slice(0, 3).join(' | ')}`], peakRssBytes: process.memoryUsage().rss };
  }
  const { plan } = checked;
  problems.push(...checked.issues.map((i) => `plan check: ${i}`));
  let peakRssBytes = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss)), 250);
  const env = await startShape(shape, plan);
  const runs: ShapeRun[] = [];
  const owners = protectedInstances(env);
  try {
    const kinds: RunKind[] = ['backup', 'drill', 'failover', ...(plan.failback !== undefined ? (['failback'] as RunKind[]) : [])];
    for (const kind of kinds) {
      log(`${shape.name}: ${kind}…`);
      const r = await run(env, kind, owners, options.log === undefined ? undefined : (line) => log(`${shape.name}: ${line}`));
      runs.push(r);
      log(`${shape.name}: ${kind} ${r.status} in ${r.wallSeconds.toFixed(1)} s wall`);
      const say = (what: string) => problems.push(`${kind}: ${what}`);
      if (r.status !== 'SUCCEEDED') say(`ended ${r.status}: ${r.error} ${r.cause}`);
      if (r.failedChildren > 0) say(`${r.failedChildren} child execution(s) did not succeed; the first: ${r.childFailure}`);
      if (r.largestPayloadBytes > PAYLOAD_NEAR_BYTES) say(`largest payload ${(r.largestPayloadBytes / 1024).toFixed(1)} KiB at ${r.largestPayloadAt} (near the 256 KiB quota)`);
      const events = Math.max(r.parentEvents, r.largestChildEvents);
      if (events > EVENTS_NEAR) say(`an execution wrote ${events} events (near the 25,000 limit)`);
      if (r.status !== 'SUCCEEDED') break;
      if (kind === 'failback') continue;
      if (r.duplicates.length > 0) say(`${r.duplicates.length} source instance(s) handled more than once (${r.duplicates.slice(0, 3).join(', ')})`);
      if (r.missing.length > 0) say(`${r.missing.length} protected instance(s) not handled (${r.missing.slice(0, 3).join(', ')})`);
      if (r.leftRunning.length > 0) say(`${r.leftRunning.length} drill instance(s) left running (${r.leftRunning.slice(0, 3).join(', ')})`);
      // plan check's worst case must cover what the run wrote: the parent and the largest child.
      const worst = checked.worst.find((w) => w.workflow === kind);
      if (worst !== undefined) {
        const parentModel = worst.parentEvents ?? worst.events;
        const childModel = worst.childEvents ?? worst.events;
        if (r.parentEvents > parentModel) say(`parent wrote ${r.parentEvents} events, above plan check's worst case ${parentModel}`);
        if (r.largestChildEvents > childModel) say(`a child wrote ${r.largestChildEvents} events, above plan check's worst case ${childModel}`);
      }
    }
  } finally {
    clearInterval(sampler);
    await env.stop();
  }
  return {
    name: shape.name,
    workloads: plan.workloads.length,
    instances: owners.size,
    waves: new Set(plan.workloads.map((w) => w.wave)).size,
    distributed: isDistributed(plan),
    planCheckMs: checked.ms,
    budgetIssues: checked.issues,
    worstCase: checked.worst,
    runs,
    problems,
    peakRssBytes,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The report of one shape as lines of text. */
export function shapeLines(r: ShapeReport): string[] {
  const lines = [`### ${r.name}: ${fmt(r.workloads)} workloads, ${fmt(r.instances)} instances, ${r.waves} wave(s), ${r.distributed ? 'distributed' : 'inline'}`];
  lines.push(`plan check: ${r.budgetIssues.length === 0 ? 'accepted' : 'REFUSED'} in ${fmt(r.planCheckMs)} ms; worst case ${r.worstCase.map((w) => `${w.workflow} ${fmt(w.events)}${w.parentEvents !== undefined ? ` (parent ${fmt(w.parentEvents)}, child ${fmt(w.childEvents ?? 0)})` : ''}`).join(', ')}`);
  for (const x of r.runs) {
    lines.push(
      `${x.kind}: ${x.status}, ${fmt(x.executions)} executions (${x.failedChildren} failed children), parent ${fmt(x.parentEvents)} events, largest child ${fmt(x.largestChildEvents)}; largest payload ${fmt(x.largestPayloadBytes / 1024, 1)} KiB at ${x.largestPayloadAt}; ${fmt(x.transitions / Math.max(1, r.instances), 2)} transitions per instance; ${fmt(x.once)} handled once, ${x.duplicates.length} duplicated, ${x.missing.length} missing${x.kind === 'drill' ? `, ${x.leftRunning.length} left running` : ''}; wall ${fmt(x.wallSeconds, 1)} s, CPU ${fmt(x.cpuSeconds, 1)} s, simulated ${fmt(x.simulatedSeconds / 60, 1)} min`,
    );
  }
  lines.push(`peak RSS ${fmt(r.peakRssBytes / 1024 / 1024)} MiB`);
  lines.push(r.problems.length === 0 ? 'result: ok' : `result: FAILED\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { only: { type: 'string' }, scale: { type: 'string', default: '1' } }, allowPositionals: false });
  const scale = Number(values.scale);
  const all = shapes(scale);
  const names = values.only ? values.only.split(',') : all.map((s) => s.name);
  const unknown = names.filter((n) => !all.some((s) => s.name === n));
  if (!(scale > 0 && scale <= 1) || unknown.length > 0) {
    process.stderr.write(`bench/shapes › expected --scale from 0 to 1 and --only among ${all.map((s) => s.name).join(', ')}; found --scale ${values.scale}${unknown.length > 0 ? `, unknown ${unknown.join(', ')}` : ''}\n`);
    process.exit(2);
  }
  let failed = 0;
  for (const shape of all.filter((s) => names.includes(s.name))) {
    global.gc?.();
    process.stdout.write(`\n${shape.about}\n`);
    const r = await runShape(shape, { log: (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`) });
    process.stdout.write(`${shapeLines(r).join('\n')}\n`);
    if (r.problems.length > 0) failed++;
  }
  process.exitCode = failed > 0 ? 1 : 0;
}
