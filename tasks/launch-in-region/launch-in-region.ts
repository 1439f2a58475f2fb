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
import type { LaunchInRegionInput, LaunchInRegionOutput } from '../../schemas/tasks/launch-in-region.js';
import type { TaskContext } from '../_shared/define-task.js';
import { describeInstances, describeInstanceStatus, filters } from '../_shared/ec2.js';
import { errorCodeOf, lifeboatErrorNameOf, toLifeboatError } from '../_shared/ec2-errors.js';
import { CapacityError, LaunchFailedError, TimeoutError } from '../_shared/errors.js';
import { chunk, clientToken, lifeboatTags, tagMap } from '../_shared/tags.js';

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
 * Idempotent: it first looks for this execution's instances by tags (and by the client tokens
 * of every rung), and RunInstances carries a client token derived from the execution, source
 * instance, type and subnet. On insufficient capacity it walks the ladder (subnets within a
 * type, then the next type) and records the substitution. A critical instance that stops,
 * terminates or is impaired fails the step with `Lifeboat.LaunchFailed`; an optional one is
 * skipped. After a redrive, an instance that failed in an earlier attempt is replaced.
 */
export async function launchInRegion(input: LaunchInRegionInput, context: TaskContext): Promise<LaunchInRegionOutput> {
  const ec2 = context.ec2(input.region);
  const role = input.mode === 'drill' ? ROLES.drillInstance : ROLES.failoverInstance;
  const ladders = input.targets.map((t) => ladderOf(t, input.isolation));
  const byTags = await describeInstances(ec2, {
    Filters: filters({
      [`tag:${TAG_KEYS.executionArn}`]: context.executionArn,
      [`tag:${TAG_KEYS.plan}`]: input.planName,
      [`tag:${TAG_KEYS.role}`]: role,
    }),
  });
  // Tag filters may lag a just-launched instance; its client token is recorded at once. Only the
  // targets the tags did not answer for are looked up again, 200 tokens per call.
  const tagged = new Set(byTags.map((i) => tagMap(i.Tags)[TAG_KEYS.sourceInstance]));
  const tokens = input.targets.flatMap((t, i) =>
    tagged.has(t.sourceInstanceId)
      ? []
      : ladders[i].flatMap((rung) => Array.from({ length: context.redriveCount + 1 }, (_, a) => launchClientToken(context.executionArn, t.sourceInstanceId, rung, a))),
  );
  const seen = new Set(byTags.map((i) => i.InstanceId));
  const byToken: Instance[] = [];
  for (const part of chunk(tokens, 200)) byToken.push(...(await describeInstances(ec2, { Filters: [{ Name: 'client-token', Values: part }] })));
  const existing = [...byTags, ...byToken.filter((i) => !seen.has(i.InstanceId))];

  const previous = new Map((input.instances ?? []).map((r) => [r.sourceInstanceId, r]));
  const refs: InstanceRef[] = [];
  const failures: string[] = [];
  const skipped: string[] = [];

  for (const [index, target] of input.targets.entries()) {
    const ladder = ladders[index];
    const prev = previous.get(target.sourceInstanceId);
    const label = `${target.workload}/${target.sourceInstanceId}`;
    if (prev?.state === 'skipped') {
      refs.push(prev);
      skipped.push(label);
      continue;
    }
    const mine = existing
      .filter((inst) => tagMap(inst.Tags)[TAG_KEYS.sourceInstance] === target.sourceInstanceId || ladder.some((r) => isTokenOf(inst, context.executionArn, target, r, context.redriveCount)))
      .sort((a, b) => rank(b) - rank(a) || String(b.LaunchTime ?? '').localeCompare(String(a.LaunchTime ?? '')));
    let instance: Instance | undefined = mine[0];
    if (instance && context.redriveCount > 0 && isBroken(instance) && !ladder.some((r) => isTokenOf(instance!, context.executionArn, target, r, context.redriveCount, true))) {
      // Failed in an earlier attempt, and the run was redriven: replace it.
      if (instance.State?.Name !== 'terminated' && instance.State?.Name !== 'shutting-down' && instance.InstanceId) {
        await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId] }));
      }
      context.log('replacing an instance that failed before the redrive', { instanceId: instance.InstanceId, workload: target.workload });
      instance = undefined;
    }
    if (instance) {
      refs.push(refFromInstance(target, instance, ladder, prev));
      continue;
    }
    const launched = await walkLadder(ec2, input, context, target, ladder, role);
    if (launched.kind === 'exhausted') {
      if (target.isCritical) failures.push(`${label} (critical): no capacity on any rung: ${launched.reasons.join('; ')}`);
      else {
        refs.push({ ...baseRef(target, ladder[0]), state: 'skipped', substitution: { requested: ladder[0], reasons: launched.reasons } });
        skipped.push(label);
      }
      continue;
    }
    refs.push(launched.ref);
  }
  if (failures.length > 0) throw new CapacityError(`launch in ${input.region}: ${failures.join('; ')}`);

  // Readiness of running instances: both status checks.
  const running = refs.filter((r) => r.state === 'running' && r.instanceId).map((r) => r.instanceId!);
  const statuses = new Map<string, InstanceStatus>();
  if (running.length > 0) for (const s of await describeInstanceStatus(ec2, running)) if (s.InstanceId) statuses.set(s.InstanceId, s);
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
    const inst = existing.find((i) => i.InstanceId === ref.instanceId);
    const why = ref.state === 'impaired' ? 'status checks impaired' : `state ${ref.state}${inst?.StateReason?.Message ? ` (${inst.StateReason.Message})` : ''}`;
    if (target.isCritical) failures.push(`${label} (critical) instance ${ref.instanceId}: ${why}`);
    else {
      context.log('optional instance skipped', { workload: ref.workload, instanceId: ref.instanceId, why });
      ref.state = 'skipped';
      skipped.push(label);
    }
  }
  if (failures.length > 0) throw new LaunchFailedError(`launch in ${input.region}: ${failures.join('; ')}`);

  // At the deadline, optional stragglers are skipped; critical ones time the step out.
  const notReady = refs.filter((r) => r.state !== 'ready' && r.state !== 'skipped');
  if (notReady.length > 0 && context.now.getTime() >= Date.parse(input.deadline)) {
    const critical = notReady.filter((r) => input.targets.find((t) => t.sourceInstanceId === r.sourceInstanceId)?.isCritical);
    if (critical.length > 0) {
      throw new TimeoutError(
        `launch in ${input.region}: deadline ${input.deadline} passed at ${context.now.toISOString()} with ${critical.length} critical instance(s) not ready: ${critical.map((r) => `${r.workload}/${r.sourceInstanceId} (${r.instanceId ?? 'not launched'}, ${r.state})`).join(', ')}`,
      );
    }
    for (const r of notReady) {
      r.state = 'skipped';
      skipped.push(`${r.workload}/${r.sourceInstanceId}`);
    }
  }

  const readyCount = refs.filter((r) => r.state === 'ready').length;
  return { instances: refs, isComplete: refs.every((r) => r.state === 'ready' || r.state === 'skipped'), readyCount, skipped };
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
  target: LaunchTarget,
  ladder: Rung[],
  role: (typeof ROLES)['drillInstance' | 'failoverInstance'],
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
          // Recorded on the instance too, so a retried pass (and an auditor) can still see why.
          await ec2.send(
            new CreateTagsCommand({ Resources: [ref.instanceId], Tags: [{ Key: TAG_KEYS.substitution, Value: reasons.join('; ').slice(0, 256) }] }),
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
      const kind = lifeboatErrorNameOf(error);
      if (kind === 'Lifeboat.Throttled' || kind === 'Lifeboat.Transient') {
        context.log('RunInstances left for the next pass', { workload: target.workload, error: code });
        return { kind: 'launched', ref: baseRef(target, ladder[0]) };
      }
      throw toLifeboatError(error, `RunInstances for ${target.workload}/${target.sourceInstanceId} (${rung.instanceType ?? 'template type'} in ${rung.subnetId})`);
    }
  }
  return { kind: 'exhausted', reasons };
}
