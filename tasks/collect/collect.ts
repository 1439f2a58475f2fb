import { type Dimension, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  type Image,
  type Instance,
  type Snapshot,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { ROLES, TAG_KEYS, VERIFIED_VALUE } from '../../schemas/tags.js';
import { COLLECT_LIST_LIMIT, type CollectInput, type CollectOutput, type Collected } from '../../schemas/tasks/collect.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeImages, describeInstances, filters, snapshotIdsOf } from '../_shared/ec2.js';
import { errorCodeOf, lifeboatErrorNameOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { PassLimit } from '../_shared/pass-limit.js';
import { chunk, tagMap } from '../_shared/tags.js';

/** The CloudWatch metric the collector publishes per resource type (dimensions `Plan`, `ResourceType`). */
export const COLLECTED_METRIC = 'ResourcesCollected';

/** Execution statuses during which nothing of the execution is touched. */
const ACTIVE_STATUSES = new Set(['RUNNING', 'PENDING_REDRIVE']);

/** What the collector knows about one execution. */
interface ExecutionFacts {
  /** Step Functions' status, or `GONE` when it no longer has the execution (past its retention). */
  readonly status: string;
  /** When it closed; undefined while running or when gone. */
  readonly stopDate?: Date;
}

/** One pass's bookkeeping. */
class Pass {
  readonly removed: Collected[] = [];
  readonly counts = { instances: 0, images: 0, snapshots: 0 };
  keptRunning = 0;
  keptRecent = 0;
  deferred = 0;
  lastError: string | null = null;
  private readonly limit: PassLimit;

  constructor(input: CollectInput, context: TaskContext) {
    this.limit = new PassLimit(context, input.maxRemovals);
  }

  /**
   * Takes one of the pass's removals; false when `maxRemovals` are already taken or the Lambda's
   * remaining time is within the safety margin (the caller defers it to the next pass).
   */
  take(): boolean {
    return this.limit.take();
  }

  /** Why the pass stopped taking removals, if it did. */
  get stoppedBy(): 'count' | 'time' | undefined {
    return this.limit.stoppedBy;
  }

  record(item: Collected): void {
    const key = item.kind === 'instance' ? 'instances' : item.kind === 'image' ? 'images' : 'snapshots';
    this.counts[key] += 1;
    if (this.removed.filter((r) => r.kind === item.kind).length < COLLECT_LIST_LIMIT) this.removed.push(item);
  }

  defer(count: number, error?: unknown, where?: string): void {
    this.deferred += count;
    if (error !== undefined) {
      const mapped = toLifeboatError(error, where);
      this.lastError = `${mapped.name}: ${mapped.message}`;
    }
  }
}

/**
 * `collect`: removes, in one region, what the plan's runs left behind, and never anything of a
 * running execution or a verified recovery point.
 *
 * - drill instances (pending, running, stopping, stopped) whose execution is over: tagged
 *   `lifeboat:collected-by`, then terminated;
 * - source AMIs (primary region) of a backup that did not succeed and that no verified copy in
 *   the recovery region came from, and copies (recovery region) never verified, of a backup that
 *   is over: deregistered with their snapshots, once the backup has been closed `graceMinutes`;
 * - snapshots with the plan's tag that no image uses any more, of an execution that is over
 *   (past the same grace).
 *
 * "Over" is read from Step Functions (DescribeExecution of the resource's
 * `lifeboat:execution-arn`, which must name one of the plan's machines); an execution Step
 * Functions no longer has is over. Every call that is throttled or fails transiently, and every
 * status that cannot be read, defers the items concerned to the next pass (never removes on a
 * guess); `isComplete` says whether anything was deferred. A dry run removes nothing and lists
 * what it would remove. The removals are counted in the `ResourcesCollected` metric.
 *
 * Bounded (issue 8): at most `maxRemovals` removals per pass (the workflow's
 * `COLLECT_MAX_REMOVALS`), and none started once the Lambda's remaining time is within the safety
 * margin (`_shared/pass-limit.ts`); what is left is `deferred`, `stoppedBy` says why, and the
 * next pass finds it again by its tags.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeregisterImage.html
 */
export async function collect(input: CollectInput, context: TaskContext): Promise<CollectOutput> {
  const ec2 = context.ec2(input.region);
  const pass = new Pass(input, context);
  const executions = executionReader(input, context, pass);

  await collectDrillInstances(input, context, ec2, pass, executions);
  const images = await collectImages(input, context, ec2, pass, executions);
  if (images !== undefined) await collectSnapshots(input, context, ec2, pass, executions, images);
  if (!input.isDryRun) await publishCounts(input, context, pass);

  return {
    region: input.region,
    isDryRun: input.isDryRun,
    removed: pass.removed,
    counts: pass.counts,
    keptRunning: pass.keptRunning,
    keptRecent: pass.keptRecent,
    deferred: pass.deferred,
    lastError: pass.lastError,
    isComplete: pass.deferred === 0,
    ...(pass.stoppedBy !== undefined ? { stoppedBy: pass.stoppedBy } : {}),
  };
}

/** Only the plan's own machines: `…:execution:lifeboat-<plan>-<backup|failover|drill>:<name>`. */
function isPlanExecution(arn: string, planName: string): boolean {
  const escaped = planName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:lifeboat-${escaped}-(backup|failover|drill):[^:]+$`).test(arn);
}

/**
 * Reads (and caches) the status of executions. Returns undefined when the status could not be
 * read this pass (the caller defers), or `FOREIGN` for an ARN that is not one of the plan's.
 */
function executionReader(input: CollectInput, context: TaskContext, pass: Pass) {
  const cache = new Map<string, ExecutionFacts | undefined>();
  return async (arn: string | undefined): Promise<ExecutionFacts | undefined> => {
    if (arn === undefined || !isPlanExecution(arn, input.planName)) return { status: 'FOREIGN' };
    if (cache.has(arn)) return cache.get(arn);
    let facts: ExecutionFacts | undefined;
    try {
      const region = arn.split(':')[3]!;
      const d = await context.sfn(region).send(new DescribeExecutionCommand({ executionArn: arn }));
      facts = { status: d.status ?? 'UNKNOWN', stopDate: d.stopDate };
    } catch (error) {
      if (errorCodeOf(error) === 'ExecutionDoesNotExist') facts = { status: 'GONE' };
      else {
        // Throttled, unreachable, not authorised: unknown this pass, so nothing of it is touched.
        pass.lastError = `${lifeboatErrorNameOf(error)}: DescribeExecution ${arn}: ${errorCodeOf(error)}`;
        facts = undefined;
      }
    }
    cache.set(arn, facts);
    return facts;
  };
}

type Reader = ReturnType<typeof executionReader>;

/** Whether a resource of this execution may go: 'active' (leave), 'unknown' (defer), 'recent' (inside the grace), 'over'. */
async function verdict(read: Reader, arn: string | undefined, now: Date, graceMinutes: number): Promise<'active' | 'unknown' | 'recent' | 'over' | 'foreign'> {
  const facts = await read(arn);
  if (facts === undefined) return 'unknown';
  if (facts.status === 'FOREIGN') return 'foreign';
  if (ACTIVE_STATUSES.has(facts.status)) return 'active';
  if (facts.stopDate !== undefined && now.getTime() - facts.stopDate.getTime() < graceMinutes * 60_000) return 'recent';
  return 'over';
}

async function collectDrillInstances(input: CollectInput, context: TaskContext, ec2: EC2Client, pass: Pass, read: Reader): Promise<void> {
  let instances: Instance[];
  try {
    instances = await describeInstances(ec2, {
      Filters: filters({
        [`tag:${TAG_KEYS.plan}`]: input.planName,
        [`tag:${TAG_KEYS.role}`]: ROLES.drillInstance,
        'instance-state-name': ['pending', 'running', 'stopping', 'stopped'],
      }),
    });
  } catch (error) {
    deferOrThrow(pass, 1, error, 'DescribeInstances (drill instances)');
    return;
  }
  const doomed: Array<{ id: string; arn: string; status: string }> = [];
  for (const instance of instances) {
    const id = instance.InstanceId;
    if (id === undefined) continue;
    const arn = tagMap(instance.Tags)[TAG_KEYS.executionArn];
    // A drill instance is never worth keeping once its drill is over: no grace.
    const v = await verdict(read, arn, context.now, 0);
    if (v === 'active') pass.keptRunning += 1;
    else if (v === 'unknown') pass.defer(1);
    else if (v === 'over') {
      if (pass.take()) doomed.push({ id, arn: arn!, status: (await read(arn))!.status });
      else pass.defer(1);
    }
  }
  if (input.isDryRun) {
    for (const d of doomed) pass.record({ resourceId: d.id, kind: 'instance', reason: 'drill-instance-of-finished-execution', executionArn: d.arn, executionStatus: d.status });
    return;
  }
  const stamp = `${input.collectedBy} at ${context.now.toISOString()}`.slice(0, 256);
  // CreateTags and TerminateInstances take up to 1000 ids per call.
  for (const part of chunk(doomed, 1000)) {
    const ids = part.map((d) => d.id);
    try {
      await ec2.send(new CreateTagsCommand({ Resources: ids, Tags: [{ Key: TAG_KEYS.collectedBy, Value: stamp }] }));
      await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
      for (const d of part) pass.record({ resourceId: d.id, kind: 'instance', reason: 'drill-instance-of-finished-execution', executionArn: d.arn, executionStatus: d.status });
    } catch (error) {
      deferOrThrow(pass, part.length, error, `TerminateInstances ${ids.length} drill instance(s)`);
    }
  }
  if (pass.counts.instances > 0) context.log('terminated drill instances of finished executions', { count: pass.counts.instances });
}

/**
 * Collects unverified source AMIs and copies; returns every image of the plan still registered
 * in the region (for the snapshot step), or undefined when they could not be read.
 */
async function collectImages(input: CollectInput, context: TaskContext, ec2: EC2Client, pass: Pass, read: Reader): Promise<Image[] | undefined> {
  let images: Image[];
  try {
    images = await describeImages(ec2, { Owners: ['self'], Filters: filters({ [`tag:${TAG_KEYS.plan}`]: input.planName }) });
  } catch (error) {
    deferOrThrow(pass, 1, error, 'DescribeImages');
    return undefined;
  }
  images = images.filter((i) => i.State !== 'deregistered');
  const copiesRegion = input.copiesRegion;
  const isPrimary = copiesRegion !== null;
  // A source AMI is kept while a verified copy in the recovery region came from it.
  let verifiedSources: Set<string> | undefined;
  if (copiesRegion !== null && images.some((i) => tagMap(i.Tags)[TAG_KEYS.role] === ROLES.sourceImage)) {
    try {
      const verified = await describeImages(context.ec2(copiesRegion), {
        Owners: ['self'],
        Filters: filters({ [`tag:${TAG_KEYS.plan}`]: input.planName, [`tag:${TAG_KEYS.verified}`]: VERIFIED_VALUE }),
      });
      verifiedSources = new Set(verified.map((i) => tagMap(i.Tags)[TAG_KEYS.sourceImage]).filter((id): id is string => id !== undefined));
    } catch (error) {
      deferOrThrow(pass, 0, error, `DescribeImages (verified copies in ${copiesRegion})`);
    }
  }
  const kept: Image[] = [];
  for (const image of images) {
    const tags = tagMap(image.Tags);
    const role = tags[TAG_KEYS.role];
    const id = image.ImageId!;
    let reason: Collected['reason'] | undefined;
    // A verified copy is a recovery point: retention (prune) decides its fate, never the collector.
    if (tags[TAG_KEYS.verified] === VERIFIED_VALUE) reason = undefined;
    else if (role === ROLES.recoveryPoint && !isPrimary) reason = 'unverified-copy';
    else if (role === ROLES.sourceImage && isPrimary) {
      if (verifiedSources === undefined) {
        pass.defer(1);
        kept.push(image);
        continue;
      }
      reason = verifiedSources.has(id) ? undefined : 'unverified-source-image';
    }
    if (reason === undefined) {
      kept.push(image);
      continue;
    }
    const arn = tags[TAG_KEYS.executionArn];
    const v = await verdict(read, arn, context.now, input.graceMinutes);
    const status = v === 'over' ? (await read(arn))!.status : '';
    // Only a backup that did not succeed leaves source AMIs behind (a succeeded one verified them all).
    const isLeftover = v === 'over' && (reason === 'unverified-copy' || status !== 'SUCCEEDED');
    if (v === 'active') pass.keptRunning += 1;
    else if (v === 'unknown') pass.defer(1);
    else if (v === 'recent') pass.keptRecent += 1;
    if (!isLeftover) {
      kept.push(image);
      continue;
    }
    if (!pass.take()) {
      pass.defer(1);
      kept.push(image);
      continue;
    }
    const item: Collected = { resourceId: id, kind: 'image', reason, executionArn: arn!, executionStatus: status };
    if (input.isDryRun) {
      pass.record(item);
      continue;
    }
    try {
      await ec2.send(new DeregisterImageCommand({ ImageId: id, DeleteAssociatedSnapshots: true }));
      pass.record(item);
    } catch (error) {
      if (errorCodeOf(error) === 'InvalidAMIID.NotFound' || errorCodeOf(error) === 'InvalidAMIID.Unavailable') continue;
      deferOrThrow(pass, 1, error, `DeregisterImage ${id}`);
      kept.push(image);
    }
  }
  if (pass.counts.images > 0) context.log('deregistered unverified images', { count: pass.counts.images });
  return kept;
}

/** Snapshots with the plan's tag that no registered image uses, of an execution that is over. */
async function collectSnapshots(
  input: CollectInput,
  context: TaskContext,
  ec2: EC2Client,
  pass: Pass,
  read: Reader,
  images: readonly Image[],
): Promise<void> {
  let snapshots: Snapshot[];
  try {
    snapshots = await describeOwnSnapshots(ec2, input.planName);
  } catch (error) {
    deferOrThrow(pass, 1, error, 'DescribeSnapshots');
    return;
  }
  const inUse = new Set(images.flatMap(snapshotIdsOf));
  for (const snapshot of snapshots) {
    const id = snapshot.SnapshotId;
    // A pending snapshot may belong to an image being created right now.
    if (id === undefined || inUse.has(id) || snapshot.State !== 'completed') continue;
    const arn = tagMap(snapshot.Tags)[TAG_KEYS.executionArn];
    const v = await verdict(read, arn, context.now, input.graceMinutes);
    if (v === 'active') pass.keptRunning += 1;
    else if (v === 'unknown') pass.defer(1);
    else if (v === 'recent') pass.keptRecent += 1;
    if (v !== 'over') continue;
    if (!pass.take()) {
      pass.defer(1);
      continue;
    }
    const item: Collected = { resourceId: id, kind: 'snapshot', reason: 'snapshot-of-deregistered-image', executionArn: arn!, executionStatus: (await read(arn))!.status };
    if (input.isDryRun) {
      pass.record(item);
      continue;
    }
    try {
      await ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
      pass.record(item);
    } catch (error) {
      // Already gone (deleted with its image a moment ago): nothing to do.
      if (errorCodeOf(error) === 'InvalidSnapshot.NotFound') continue;
      deferOrThrow(pass, 1, error, `DeleteSnapshot ${id}`);
    }
  }
}

/** Every snapshot of this account carrying the plan's tag, across pages. */
async function describeOwnSnapshots(ec2: EC2Client, planName: string): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: filters({ [`tag:${TAG_KEYS.plan}`]: planName }), MaxResults: 1000, NextToken }),
    );
    out.push(...(page.Snapshots ?? []));
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  return out;
}

/** Throttled, transient and NotFound errors defer the items to the next pass; anything else fails the pass. */
function deferOrThrow(pass: Pass, count: number, error: unknown, where: string): void {
  const name = lifeboatErrorNameOf(error);
  if (name !== 'Lifeboat.Throttled' && name !== 'Lifeboat.Transient' && name !== 'Lifeboat.NotFound') throw toLifeboatError(error, where);
  pass.defer(Math.max(count, 1), error, where);
}

/** `ResourcesCollected` per resource type; a throttled publish is reported, not fatal (the output and history hold the record too). */
async function publishCounts(input: CollectInput, context: TaskContext, pass: Pass): Promise<void> {
  const dims = (type: string): Dimension[] => [
    { Name: 'Plan', Value: input.planName },
    { Name: 'ResourceType', Value: type },
  ];
  try {
    await context.cloudwatch(input.region).send(
      new PutMetricDataCommand({
        Namespace: 'Lifeboat',
        MetricData: (['instances', 'images', 'snapshots'] as const).map((k) => ({
          MetricName: COLLECTED_METRIC,
          Value: pass.counts[k],
          Unit: 'Count',
          Dimensions: dims(k),
          Timestamp: context.now,
        })),
      }),
    );
  } catch (error) {
    // The removals are done and recorded in the output; only the metric is missing this pass.
    const name = lifeboatErrorNameOf(error);
    if (name !== 'Lifeboat.Throttled' && name !== 'Lifeboat.Transient') throw toLifeboatError(error, 'PutMetricData ResourcesCollected');
    pass.lastError = `${name}: PutMetricData ResourcesCollected: ${errorCodeOf(error)}`;
  }
}
