import {
  CreateTagsCommand,
  type EC2Client,
  type Instance,
  type InstanceStatus,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import type { InstanceRef, InstanceState, LaunchTarget } from '../../schemas/tasks/common.js';
import { ALMOST_READY_LEFT, type LaunchInRegionInput, type LaunchInRegionOutput } from '../../schemas/tasks/launch-in-region.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstancesBy, describeInstanceStatus } from '../_shared/ec2.js';
import { errorCodeOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { CapacityError, LaunchFailedError, TimeoutError } from '../_shared/errors.js';
import { NAMED_AT_MOST, namedFirst } from '../_shared/scale.js';
import { clientToken, lifeboatTags, tagMap } from '../_shared/tags.js';
import { isThrottledOrTransient, PassNotes } from '../_shared/tolerate.js';

/**
 * How many targets of a pass are launched at once. Each RunInstances is a round trip of a few
 * hundred milliseconds, so a pass of 50 targets made one after another spreads its batch's launches
 * over 15 s or more; at 8 it takes about 2 s. Kept small: a distributed wave runs its children side
 * by side (25 children × 8 calls), every call also draws on the region's RunInstances request and
 * resource (instances) token buckets, and a throttled call is left for the next pass as before.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
 */
export const LAUNCH_CONCURRENCY = 8;

/** One rung of the capacity ladder: an instance type (null: the launch template's) in a subnet. */
export interface Rung {
  readonly instanceType: string | null;
  readonly subnetId: string;
}

/**
 * EC2 answers that make the next rung worth trying: no capacity for this type in this subnet's
 * zone, or the type is not offered there.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html#troubleshooting-launch-capacity
 */
const NEXT_RUNG_CODES = new Set(['InsufficientInstanceCapacity', 'InsufficientCapacity', 'Unsupported']);

/**
 * The ladder of a target, in the order it is walked: every subnet of the first instance type,
 * then every subnet of the next type. In a drill, the isolated subnets replace the workload's.
 */
export function ladderOf(target: LaunchTarget, isolation?: LaunchInRegionInput['isolation']): Rung[] {
  const types: (string | null)[] = target.launch.instanceTypes.length > 0 ? target.launch.instanceTypes : [null];
  const subnets = isolation?.subnetIds ?? target.launch.subnetIds;
  return types.flatMap((instanceType) => subnets.map((subnetId) => ({ instanceType, subnetId })));
}

/**
 * The RunInstances client token: SHA-256 hex of `executionArn|sourceInstanceId|instanceType|subnetId`
 * (`launch-template` stands in for a type chosen by the template), with `|r<n>` appended for a
 * relaunch after redrive n.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
export function launchClientToken(executionArn: string, sourceInstanceId: string, rung: Rung, attempt = 0): string {
  const parts = [executionArn, sourceInstanceId, rung.instanceType ?? 'launch-template', rung.subnetId];
  return attempt > 0 ? clientToken(...parts, `r${attempt}`) : clientToken(...parts);
}

/**
 * `launch-in-region` (a loop task): launches each target's recovery point in the recovery
 * region and reports which instances are ready (running, both status checks `ok`).
 *
 * A pass reads only its own wave (docs/decisions/0005): the instances the previous pass reported,
 * by id, and, for targets without a known instance, the client tokens of every rung (a launch
 * whose pass never returned). RunInstances carries a client token derived from the execution,
 * source instance, type and subnet, so a retried launch never makes a second instance.
 *
 * On insufficient capacity it walks the ladder (subnets within a type, then the next type) and
 * records the substitution. A critical instance that stops, terminates or is impaired fails the
 * step with `Lifeboat.LaunchFailed`; an optional one is skipped. After a redrive, an instance of
 * an earlier attempt that is terminated, stopped or impaired is terminated and replaced (listed in
 * `replaced`), never adopted again.
 *
 * Targets are launched {@link LAUNCH_CONCURRENCY} at a time; the output keeps the targets' order.
 *
 * Tolerant: a throttled or transient call leaves the instances concerned as the previous pass
 * reported them (nothing is launched for a target that could not be looked up); the pass reports
 * what it could and lists the throttled calls in `throttled`.
 */
export async function launchInRegion(input: LaunchInRegionInput, context: TaskContext): Promise<LaunchInRegionOutput> {
  const ec2 = context.ec2(input.region);
  const notes = new PassNotes(context);
  const role = input.mode === 'drill' ? ROLES.drillInstance : input.mode === 'failback' ? ROLES.failbackInstance : ROLES.failoverInstance;
  const ladders = input.targets.map((t) => ladderOf(t, input.isolation));
  const previous = new Map((input.instances ?? []).map((r) => [r.sourceInstanceId, r]));

  // 1. The instances the previous pass reported, by id (a filter: not yet visible is no error).
  const knownIds = [...new Set(input.targets.map((t) => previous.get(t.sourceInstanceId)?.instanceId).filter((id): id is string => typeof id === 'string'))];
  const byId = knownIds.length > 0 ? await notes.tolerate(`DescribeInstances (${knownIds.length} instance(s) of this wave by id)`, () => describeInstancesBy(ec2, 'instance-id', knownIds)) : [];
  const seen = new Map<string, Instance>();
  for (const inst of byId ?? []) if (inst.InstanceId) seen.set(inst.InstanceId, inst);
  const isKnown = (sourceInstanceId: string): boolean => {
    const id = previous.get(sourceInstanceId)?.instanceId;
    return typeof id === 'string' && (byId === undefined || seen.has(id));
  };

  // 2. Targets without a known instance: by the client tokens of every rung and attempt. The
  //    first attempt of the loop's first pass has nothing to find (`isFirstAttempt`): it launches
  //    at once instead of making every batch's launches wait for a look-up of its every token.
  const unknownIndexes = input.targets.flatMap((t, i) => (isKnown(t.sourceInstanceId) || previous.get(t.sourceInstanceId)?.state === 'skipped' ? [] : [i]));
  const isFirstAttempt = input.isFirstAttempt === true && input.instances === undefined && context.redriveCount === 0;
  const tokens = isFirstAttempt
    ? []
    : unknownIndexes.flatMap((i) =>
        ladders[i].flatMap((rung) => Array.from({ length: context.redriveCount + 1 }, (_, a) => launchClientToken(context.executionArn, input.targets[i].sourceInstanceId, rung, a))),
      );
  const byToken = tokens.length > 0 ? await notes.tolerate(`DescribeInstances (client tokens of ${unknownIndexes.length} target(s))`, () => describeInstancesBy(ec2, 'client-token', tokens)) : [];
  const existing = new Map<string, Instance>();
  for (const inst of [...(byId ?? []), ...(byToken ?? [])]) if (inst.InstanceId) existing.set(inst.InstanceId, inst);

  // 3. Each target's instance, if any.
  const picked = input.targets.map((target, index) => {
    const prev = previous.get(target.sourceInstanceId);
    if (prev?.state === 'skipped') return { kind: 'skipped' as const };
    const isRead = isKnown(target.sourceInstanceId) ? byId !== undefined : byToken !== undefined;
    if (!isRead) return { kind: 'unread' as const };
    const candidates = [
      ...(prev?.instanceId && seen.has(prev.instanceId) ? [seen.get(prev.instanceId)!] : []),
      ...(byToken ?? []).filter((inst) => ladders[index].some((r) => isTokenOf(inst, context.executionArn, target, r, context.redriveCount))),
    ];
    const mine = [...new Map(candidates.map((i) => [i.InstanceId, i])).values()].sort(
      (a, b) => rank(b) - rank(a) || String(b.LaunchTime ?? '').localeCompare(String(a.LaunchTime ?? '')),
    );
    return { kind: 'read' as const, instance: mine[0] };
  });

  // 4. After a redrive, the status of running instances of an earlier attempt: an impaired one
  //    is replaced, not adopted again.
  const isEarlier = (inst: Instance, index: number): boolean =>
    context.redriveCount > 0 && !ladders[index].some((r) => isTokenOf(inst, context.executionArn, input.targets[index], r, context.redriveCount, true));
  const earlierRunning = picked.flatMap((p, i) => (p.kind === 'read' && p.instance?.InstanceId && p.instance.State?.Name === 'running' && isEarlier(p.instance, i) ? [p.instance.InstanceId] : []));
  const statuses = new Map<string, InstanceStatus>();
  const earlierStatuses =
    earlierRunning.length > 0 ? await notes.tolerate(`DescribeInstanceStatus (${earlierRunning.length} instance(s) of an earlier attempt)`, () => describeInstanceStatus(ec2, earlierRunning)) : [];
  for (const st of earlierStatuses ?? []) if (st.InstanceId) statuses.set(st.InstanceId, st);

  // 5. Each target's instance, adopted or launched: several targets at a time (each RunInstances
  //    is a round trip), outcomes kept in target order.
  //    Each target notes its throttled calls apart, merged in target order.
  const targetNotes = input.targets.map(() => new PassNotes(context));
  const settle = async (index: number): Promise<Outcome> => {
    const notes = targetNotes[index];
    const target = input.targets[index];
    const ladder = ladders[index];
    const prev = previous.get(target.sourceInstanceId);
    const label = `${target.workload}/${target.sourceInstanceId}`;
    const p = picked[index];
    if (p.kind === 'skipped') return { ref: prev!, skipped: label };
    // Throttled look-up: keep what the previous pass reported, launch nothing blind.
    if (p.kind === 'unread') return { ref: prev ?? baseRef(target, ladder[0]) };
    let instance: Instance | undefined = p.instance;
    let replacedOne: Replaced | undefined;
    if (instance?.InstanceId && isEarlier(instance, index)) {
      const id = instance.InstanceId;
      const isUnknownStatus = instance.State?.Name === 'running' && earlierStatuses === undefined;
      if (isUnknownStatus) return { ref: prev ?? baseRef(target, ladder[0]) };
      const why = isBroken(instance) ? `state ${instance.State?.Name}` : isImpaired(statuses.get(id)) ? 'status checks impaired' : undefined;
      if (why !== undefined) {
        // Failed in an earlier attempt, and the run was redriven: terminate it and launch anew.
        const isGone = instance.State?.Name === 'terminated' || instance.State?.Name === 'shutting-down';
        const terminated = isGone ? true : (await notes.tolerate(`TerminateInstances ${id}`, () => ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })))) !== undefined;
        replacedOne = { workload: target.workload, sourceInstanceId: target.sourceInstanceId, instanceId: id, reason: `${why} (launched before redrive ${context.redriveCount})`, isTerminated: terminated };
        context.log('replacing an instance that failed before the redrive', { instanceId: id, workload: target.workload, why, isTerminated: terminated });
        if (!terminated) return { ref: baseRef(target, ladder[0]), replaced: replacedOne };
        instance = undefined;
      }
    }
    if (instance) return { ref: refFromInstance(target, instance, ladder, prev) };
    const launched = await walkLadder(ec2, input, context, notes, target, ladder, role);
    if (launched.kind === 'launched') return { ref: launched.ref, replaced: replacedOne };
    if (target.isCritical) return { failure: `${label} (critical): no capacity on any rung: ${launched.reasons.join('; ')}`, replaced: replacedOne };
    return { ref: { ...baseRef(target, ladder[0]), state: 'skipped', substitution: { requested: ladder[0], reasons: launched.reasons } }, skipped: label, replaced: replacedOne };
  };
  const outcomes = await inOrderAtMost(LAUNCH_CONCURRENCY, input.targets.length, settle);

  const refs: InstanceRef[] = [];
  const failures: string[] = [];
  const skipped: string[] = [];
  const replaced: Replaced[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    notes.throttled.push(...targetNotes[index].throttled);
    if (outcome.replaced) replaced.push(outcome.replaced);
    if (outcome.ref) refs.push(outcome.ref);
    if (outcome.skipped) skipped.push(outcome.skipped);
    if (outcome.failure) failures.push(outcome.failure);
  }
  // A launch batch of 100 critical targets, each with its rungs' reasons, can pass a cause's 32,768 characters: name 20, log all.
  if (failures.length > NAMED_AT_MOST) context.log('launch failures', { failures });
  if (failures.length > 0) throw new CapacityError(`launch in ${input.region}: ${namedFirst(failures, '; ', 'critical instance(s) without capacity')}`);

  // Readiness of running instances: both status checks (throttled: they stay `running` this pass).
  const running = refs.filter((r) => r.state === 'running' && r.instanceId && !statuses.has(r.instanceId)).map((r) => r.instanceId!);
  if (running.length > 0) {
    const read = await notes.tolerate(`DescribeInstanceStatus (${running.length} running instance(s))`, () => describeInstanceStatus(ec2, running));
    for (const st of read ?? []) if (st.InstanceId) statuses.set(st.InstanceId, st);
  }
  for (const ref of refs) {
    if (ref.state !== 'running' || !ref.instanceId) continue;
    const status = statuses.get(ref.instanceId);
    const checks = [status?.InstanceStatus?.Status, status?.SystemStatus?.Status];
    if (checks.every((c) => c === 'ok')) ref.state = 'ready';
    else if (checks.includes('impaired')) ref.state = 'impaired';
  }

  // Broken instances: a critical one fails the step, an optional one is skipped.
  for (const ref of refs) {
    if (!['impaired', 'shutting-down', 'terminated', 'stopping', 'stopped'].includes(ref.state)) continue;
    const target = input.targets.find((t) => t.sourceInstanceId === ref.sourceInstanceId)!;
    const label = `${ref.workload}/${ref.sourceInstanceId}`;
    const inst = existing.get(ref.instanceId ?? '');
    const why = ref.state === 'impaired' ? `status checks impaired (${checksOf(statuses.get(ref.instanceId ?? ''))})` : `state ${ref.state}${inst?.StateReason?.Message ? ` (${inst.StateReason.Message})` : ''}`;
    if (target.isCritical) failures.push(`${label} (critical) instance ${ref.instanceId}: ${why}`);
    else {
      context.log('optional instance skipped', { workload: ref.workload, instanceId: ref.instanceId, why });
      ref.state = 'skipped';
      skipped.push(label);
    }
  }
  if (failures.length > NAMED_AT_MOST) context.log('launch failures', { failures });
  if (failures.length > 0) {
    const again = input.mode === 'drill' ? 'A new drill launches fresh instances' : 'A redrive of the run terminates and replaces them';
    throw new LaunchFailedError(
      `launch in ${input.region}: ${namedFirst(failures, '; ', 'failed critical instance(s)')}. Expected each critical instance running with its instance and system status checks ok. ${again}; if it happens again, read the instance's system log first (aws ec2 get-console-output --region ${input.region} --instance-id <id>).`,
    );
  }

  // At the deadline, optional stragglers are skipped; critical ones time the step out.
  const notReady = refs.filter((r) => r.state !== 'ready' && r.state !== 'skipped');
  if (notReady.length > 0 && context.now.getTime() >= Date.parse(input.deadline)) {
    const critical = notReady.filter((r) => input.targets.find((t) => t.sourceInstanceId === r.sourceInstanceId)?.isCritical);
    if (critical.length > 0) {
      throw new TimeoutError(
        `launch in ${input.region}: deadline ${input.deadline} passed at ${context.now.toISOString()} with ${critical.length} critical instance(s) not ready: ${namedFirst(critical.map((r) => `${r.workload}/${r.sourceInstanceId} (${r.instanceId ?? 'not launched'}, ${r.state})`), ', ', 'critical instance(s)')}`,
      );
    }
    for (const r of notReady) {
      r.state = 'skipped';
      skipped.push(`${r.workload}/${r.sourceInstanceId}`);
    }
  }

  const readyCount = refs.filter((r) => r.state === 'ready').length;
  const waiting = refs.filter((r) => r.state !== 'ready' && r.state !== 'skipped');
  // Some instances passed their status checks and the rest are running with theirs under way:
  // the batch is close to ready, and the state machine polls it closely (workflows/loops.ts).
  const isNearlyReady = readyCount > 0 && waiting.length > 0 && waiting.every((r) => r.state === 'running');
  // Its last few: the next pass comes within a second (the last instance of a wave is on the RTO).
  const isAlmostReady = isNearlyReady && waiting.length <= ALMOST_READY_LEFT;
  return {
    instances: refs,
    isComplete: waiting.length === 0,
    readyCount,
    ...(isNearlyReady ? { isNearlyReady } : {}),
    ...(isAlmostReady ? { isAlmostReady } : {}),
    skipped,
    ...(replaced.length > 0 ? { replaced } : {}),
    ...notes.output(),
  };
}

type Replaced = NonNullable<LaunchInRegionOutput['replaced']>[number];

/** What one target comes to in a pass: its reference, or a failure, and what was noted on the way. */
interface Outcome {
  readonly ref?: InstanceRef;
  readonly skipped?: string;
  readonly failure?: string;
  readonly replaced?: Replaced;
}

/**
 * Runs `work` for indexes `0 … count-1`, at most `limit` at a time, and returns the results in
 * index order. After a failure no further index is started; the ones under way finish (their
 * launches are idempotent by client token, so a retried pass adopts them) and the failure of the
 * lowest index is thrown.
 */
export async function inOrderAtMost<T>(limit: number, count: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  const errors: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && errors.length === 0) {
      const index = next++;
      try {
        results[index] = await work(index);
      } catch (error) {
        errors.push({ index, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  if (errors.length > 0) throw errors.reduce((a, b) => (b.index < a.index ? b : a)).error;
  return results;
}

/** The two status checks as read, for a message: `instance check impaired, system check ok`. */
function checksOf(status: InstanceStatus | undefined): string {
  return `instance check ${status?.InstanceStatus?.Status ?? 'not reported'}, system check ${status?.SystemStatus?.Status ?? 'not reported'}`;
}

function isImpaired(status: InstanceStatus | undefined): boolean {
  return status?.InstanceStatus?.Status === 'impaired' || status?.SystemStatus?.Status === 'impaired';
}

function rank(instance: Instance): number {
  return isBroken(instance) ? 0 : 1;
}

function isBroken(instance: Instance): boolean {
  return ['shutting-down', 'terminated', 'stopping', 'stopped'].includes(instance.State?.Name ?? '');
}

function isTokenOf(instance: Instance, executionArn: string, target: LaunchTarget, rung: Rung, redriveCount: number, currentOnly = false): boolean {
  if (!instance.ClientToken) return false;
  const attempts = currentOnly ? [redriveCount] : Array.from({ length: redriveCount + 1 }, (_, a) => a);
  return attempts.some((a) => launchClientToken(executionArn, target.sourceInstanceId, rung, a) === instance.ClientToken);
}

function baseRef(target: LaunchTarget, rung: Rung): InstanceRef {
  return {
    workload: target.workload,
    sourceInstanceId: target.sourceInstanceId,
    imageId: target.imageId,
    instanceId: null,
    instanceType: rung.instanceType,
    subnetId: rung.subnetId,
    state: 'not-started',
  };
}

function refFromInstance(target: LaunchTarget, instance: Instance, ladder: Rung[], prev: InstanceRef | undefined): InstanceRef {
  const requested = ladder[0];
  const actual: Rung = { instanceType: instance.InstanceType ?? requested.instanceType, subnetId: instance.SubnetId ?? requested.subnetId };
  const isSubstitute =
    (requested.instanceType !== null && actual.instanceType !== requested.instanceType) || actual.subnetId !== requested.subnetId;
  const recorded = tagMap(instance.Tags)[TAG_KEYS.substitution];
  const reasons = prev?.substitution?.reasons ?? (recorded ? recorded.split('; ') : ['not recorded: the pass that launched it did not return']);
  return {
    ...baseRef(target, actual),
    instanceId: instance.InstanceId ?? null,
    state: stateOf(instance),
    ...(isSubstitute ? { substitution: { requested, reasons } } : {}),
  };
}

function stateOf(instance: Instance): InstanceState {
  const name = instance.State?.Name ?? 'pending';
  return (['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped'].includes(name) ? name : 'pending') as InstanceState;
}

type LaunchResult = { kind: 'launched'; ref: InstanceRef } | { kind: 'exhausted'; reasons: string[] };

async function walkLadder(
  ec2: EC2Client,
  input: LaunchInRegionInput,
  context: TaskContext,
  notes: PassNotes,
  target: LaunchTarget,
  ladder: Rung[],
  role: (typeof ROLES)['drillInstance' | 'failoverInstance' | 'failbackInstance'],
): Promise<LaunchResult> {
  const reasons: string[] = [];
  const tags = lifeboatTags(
    {
      planName: input.planName,
      workload: target.workload,
      sourceInstanceId: target.sourceInstanceId,
      executionArn: context.executionArn,
      recoveryPointTime: target.recoveryPointTime,
      role,
      sourceImageId: target.imageId,
    },
    input.tags ?? {},
  );
  const groups = input.isolation?.securityGroupIds ?? target.launch.securityGroupIds;
  const template = target.launch.launchTemplate;
  for (const [index, rung] of ladder.entries()) {
    const request: RunInstancesCommandInput = {
      ImageId: target.imageId,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: (rung.instanceType ?? undefined) as RunInstancesCommandInput['InstanceType'],
      SubnetId: rung.subnetId,
      SecurityGroupIds: groups.length > 0 ? groups : undefined,
      KeyName: target.launch.keyName,
      IamInstanceProfile: target.launch.instanceProfileArn ? { Arn: target.launch.instanceProfileArn } : undefined,
      LaunchTemplate: template
        ? { LaunchTemplateId: template.id, LaunchTemplateName: template.name, Version: template.version ?? '$Default' }
        : undefined,
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
      ClientToken: launchClientToken(context.executionArn, target.sourceInstanceId, rung, context.redriveCount),
    };
    try {
      const res = await ec2.send(new RunInstancesCommand(request));
      const instance = res.Instances?.[0];
      const ref: InstanceRef = {
        ...baseRef(target, rung),
        instanceId: instance?.InstanceId ?? null,
        instanceType: instance?.InstanceType ?? rung.instanceType,
        state: instance ? stateOf(instance) : 'pending',
      };
      if (index > 0) {
        ref.substitution = { requested: ladder[0], reasons };
        if (ref.instanceId) {
          // Recorded on the instance too, so a retried pass (and an auditor) can still see why;
          // the output carries the reasons either way, so a throttled tag is only noted.
          const instanceId = ref.instanceId;
          await notes.tolerate(`CreateTags ${TAG_KEYS.substitution} ${instanceId}`, () =>
            ec2.send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: TAG_KEYS.substitution, Value: reasons.join('; ').slice(0, 256) }] })),
          );
        }
        context.log('launched on a substitute rung', { workload: target.workload, requested: ladder[0], launched: rung, reasons });
      }
      return { kind: 'launched', ref };
    } catch (error) {
      const code = errorCodeOf(error);
      if (NEXT_RUNG_CODES.has(code)) {
        reasons.push(`${rung.instanceType ?? 'template type'} in ${rung.subnetId}: ${code}`);
        continue;
      }
      if (isThrottledOrTransient(error)) {
        notes.throttled.push(`RunInstances ${target.workload}/${target.sourceInstanceId}: ${code}`);
        context.log('RunInstances left for the next pass', { workload: target.workload, error: code });
        return { kind: 'launched', ref: baseRef(target, ladder[0]) };
      }
      throw toLifeboatError(error, `RunInstances for ${target.workload}/${target.sourceInstanceId} (${rung.instanceType ?? 'template type'} in ${rung.subnetId})`);
    }
  }
  return { kind: 'exhausted', reasons };
}
