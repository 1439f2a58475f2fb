import type { AslDefinition, AslState, AslStateMachine } from '../schemas/asl.js';
import type { Plan } from '../schemas/plan.js';
import type { TaskId } from '../schemas/tasks/index.js';
import { backupDefinition, backupTable } from './backup/backup.js';
import { collectorDefinition } from './collect/collect.js';
import { failbackDefinition } from './failback/failback.js';
import { failoverDefinition, recoveryTable } from './failover/failover.js';
import { publishRpoDefinition } from './rpo/publish-rpo.js';
import { isDistributed, maxInstances, rpoTable, storedInput, type PlanObject } from './scale.js';

export { PUBLISH_RPO_INTERVAL_MINUTES } from './rpo/publish-rpo.js';

export type { AslDefinition } from '../schemas/asl.js';
export { isDistributed, type PlanObject } from './scale.js';

/**
 * How a rendered definition names the task Lambdas.
 *
 * @example { taskArn: (id) => `\${TaskArn_${id.replaceAll('-', '_')}}` }   // infra: CDK definitionSubstitutions
 * @example { taskArn: (id) => `arn:aws:lambda:us-west-2:123456789012:function:lifeboat-${id}` }   // sandbox
 */
export interface RenderOptions {
  readonly taskArn: (id: TaskId) => string;
  /**
   * The run bucket of the region the workflow runs in (a name, or a CDK substitution such as
   * `${RunBucket}`): where a distributed run keeps its item lists and results. Required when the
   * plan renders distributed runs (`scale.mode`, see `isDistributed`).
   */
  readonly runBucket?: string;
  /**
   * The plan's notifications topic in the recovery region (an ARN, or a CDK substitution such as
   * `${NotificationTopic}`): where "Await approval" publishes its request. Required when the
   * plan's `approval` applies to the rendered failover or drill.
   */
  readonly notificationTopic?: string;
  /** Flags the approval request's `lifeboat approve`/`reject` commands carry (`--local` on the sandbox). */
  readonly cliFlags?: string;
  /**
   * Where the deployment put each of a distributed plan's workload tables ({@link planObjects}),
   * when not in the run bucket under its own key (infra: a CDK file asset, names given as CDK
   * substitutions). @default the run bucket, `plans/<plan>/<sha256>.json`
   */
  readonly planObjectAt?: (object: PlanObject) => { readonly bucket: string; readonly key: string };
}

/**
 * Renders the backup state machine (primary region) for a parsed plan, as plain ASL JSON.
 *
 * @see docs/architecture.md, "Workflows"
 */
export function renderBackup(plan: Plan, options: RenderOptions): AslDefinition {
  return located(ordered(backupDefinition(plan, options.taskArn, runBucketFor(plan, 'backup', options))), plan, options);
}

/**
 * Renders the failover state machine (recovery region) in mode `failover` or `drill`, as plain
 * ASL JSON. Both accept `{}` as execution input; `{ "recoveryPoints": { … } }` pins recovery points.
 *
 * @see docs/architecture.md, "Workflows"
 */
export function renderFailover(plan: Plan, mode: 'failover' | 'drill', options: RenderOptions): AslDefinition {
  if (mode !== 'failover' && mode !== 'drill') {
    throw new Error(`renderFailover: expected mode "failover" or "drill", found ${JSON.stringify(mode)}`);
  }
  const notifications =
    options.notificationTopic === undefined ? undefined : { topicArn: options.notificationTopic, ...(options.cliFlags === undefined ? {} : { cliFlags: options.cliFlags }) };
  return located(ordered(failoverDefinition(plan, mode, options.taskArn, runBucketFor(plan, mode, options), notifications)), plan, options);
}

/**
 * Renders the failback state machine (recovery region, `lifeboat-<plan>-failback`), as plain ASL
 * JSON: the last failover's running instances imaged, copied back to the primary region,
 * verified, launched there in waves, and retired in the recovery region after the hold. Accepts
 * `{}`; `{ "failoverExecution": "<ARN>" }` names the failover to undo. Throws for a plan without a
 * `failback` section. Failback runs inline (at most 100 recovered instances).
 *
 * @see docs/decisions/0013-failback.md
 */
export function renderFailback(plan: Plan, options: RenderOptions): AslDefinition {
  const notifications =
    options.notificationTopic === undefined ? undefined : { topicArn: options.notificationTopic, ...(options.cliFlags === undefined ? {} : { cliFlags: options.cliFlags }) };
  return ordered(failbackDefinition(plan, options.taskArn, notifications));
}

/**
 * Renders the collector of one region (`lifeboat-<plan>-collect`, in the primary and the
 * recovery region), as plain ASL JSON. Input `{}`, `{ "dryRun": true }`, `{ "graceMinutes": n }`.
 *
 * @see docs/architecture.md, "Collector"
 */
export function renderCollector(plan: Plan, region: string, options: RenderOptions): AslDefinition {
  if (region !== plan.primaryRegion && region !== plan.recoveryRegion) {
    throw new Error(`renderCollector: expected the plan's primary (${plan.primaryRegion}) or recovery region (${plan.recoveryRegion}), found ${JSON.stringify(region)}`);
  }
  return ordered(collectorDefinition(plan, region, options.taskArn));
}

/**
 * Renders the RPO publisher (recovery region, `lifeboat-<plan>-publish-rpo`): one `publish-rpo`
 * call, started on a schedule every {@link PUBLISH_RPO_INTERVAL_MINUTES} minutes. A distributed plan
 * needs `runBucket` (the recovery region's): the whole per-workload report is written there.
 *
 * @see docs/architecture.md, "Honest RPO"
 */
export function renderPublishRpo(plan: Plan, options: RenderOptions): AslDefinition {
  return located(ordered(publishRpoDefinition(plan, options.taskArn, runBucketFor(plan, 'publish-rpo', options))), plan, options);
}

/**
 * The objects a deployment writes to the run buckets before the state machines can run: a
 * distributed plan's workload tables, which its definitions name by key and SHA-256 instead of
 * carrying them (docs/decisions/0021). Empty for an inline plan. Each is keyed by its content, so
 * writing them never replaces a table a running execution reads; a deployment never deletes them.
 *
 * @example planObjects(plan) // [{ region: 'us-east-1', key: 'plans/shop/3f…e1.json', sha256: '3f…e1', body: '{"workloads":[…]}' }, …]
 */
export function planObjects(plan: Plan): PlanObject[] {
  if (!isDistributed(plan)) return [];
  const objects = [
    storedInput(plan.name, plan.primaryRegion, '-', backupTable(plan)).object,
    storedInput(plan.name, plan.primaryRegion, '-', rpoTable(plan)).object,
    storedInput(plan.name, plan.recoveryRegion, '-', recoveryTable(plan)).object,
    storedInput(plan.name, plan.recoveryRegion, '-', rpoTable(plan)).object,
  ];
  // Each object once per region (the list stays free of duplicates whatever the tables hold).
  return objects.filter((o, i) => objects.findIndex((p) => p.region === o.region && p.key === o.key) === i);
}

/**
 * The state machine's name for a plan and kind (docs/contracts.md, "Conventions").
 *
 * @example stateMachineName('shop', 'drill') // 'lifeboat-shop-drill'
 */
export function stateMachineName(planName: string, kind: 'backup' | 'failover' | 'drill' | 'failback' | 'collect' | 'publish-rpo'): string {
  return `lifeboat-${planName}-${kind}`;
}

/** The run bucket when the plan renders distributed runs; undefined for inline ones. */
function runBucketFor(plan: Plan, kind: string, options: RenderOptions): string | undefined {
  if (!isDistributed(plan)) return undefined;
  if (options.runBucket === undefined || options.runBucket === '') {
    throw new Error(
      `render ${kind} of plan ${JSON.stringify(plan.name)}: the plan runs distributed (scale.mode ${JSON.stringify(plan.scale.mode)}, up to ${maxInstances(plan)} instances), which needs RenderOptions.runBucket; found none`,
    );
  }
  return options.runBucket;
}

/**
 * The definition with every task's `storedInput` pointing where `options.planObjectAt` says the
 * deployment put that table (matched by its SHA-256); unchanged without it.
 */
function located(definition: AslDefinition, plan: Plan, options: RenderOptions): AslDefinition {
  const at = options.planObjectAt;
  if (at === undefined) return definition;
  const bySha = new Map(planObjects(plan).map((o) => [`${o.region}/${o.sha256}`, o]));
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const ref = v as { sha256?: string; region?: string } | null;
      const object = k === 'storedInput' && typeof ref === 'object' && ref !== null ? bySha.get(`${ref.region}/${ref.sha256}`) : undefined;
      if (k === 'storedInput' && object === undefined) throw new Error(`render of plan ${JSON.stringify(plan.name)}: a task names a stored input no deployment writes (${JSON.stringify(v)})`);
      out[k] = object === undefined ? visit(v) : { ...(v as object), ...at(object) };
    }
    return out;
  };
  return visit(definition) as AslDefinition;
}

/** The order fields appear in within a state: what it is, what it does, where it goes. */
const FIELD_ORDER = [
  'Type', 'Comment', 'QueryLanguage', 'Resource', 'Arguments', 'TimeoutSeconds', 'HeartbeatSeconds', 'Items', 'ItemReader', 'ItemSelector', 'Label', 'MaxConcurrency',
  'ToleratedFailureCount', 'ItemProcessor', 'ResultWriter',
  'Branches', 'Seconds', 'Timestamp', 'Choices', 'Default', 'Output', 'Assign', 'Retry', 'Catch', 'Error', 'Cause', 'Next', 'End',
];

/** The definition with every state's fields in {@link FIELD_ORDER}, so the console and diffs read top-down. */
function ordered<T extends AslDefinition | AslStateMachine>(machine: T): T {
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(machine.States)) {
    const rank = (k: string) => (FIELD_ORDER.indexOf(k) + FIELD_ORDER.length + 1) % (FIELD_ORDER.length + 1);
    const entries = Object.entries(state).sort(([a], [b]) => rank(a) - rank(b));
    const copy = Object.fromEntries(entries) as unknown as AslState;
    if (copy.Type === 'Map') copy.ItemProcessor = ordered(copy.ItemProcessor);
    if (copy.Type === 'Parallel') copy.Branches = copy.Branches.map((b) => ordered(b));
    states[name] = copy;
  }
  return { ...machine, States: states };
}
