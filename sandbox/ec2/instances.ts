import type { Ec2Context } from './context.js';
import { dryRunError, Ec2Error } from './errors.js';
import { applyFilters, byKey, paginate } from './filters.js';
import {
  INSTANCE_STATE_CODES,
  iso,
  type InstanceRecord,
  type LaunchTemplateRecord,
  type RegionState,
  type SecurityGroupRecord,
  type SubnetRecord,
  type Tags,
  type VolumeRecord,
} from './model.js';
import { readFilters, readTagSpecifications, type QueryParams } from './query.js';
import { instanceState, renderInstance, renderReservation, tagSet } from './render.js';
import { mergedTags, tagsFor } from './tags.js';
import { checkClientToken, checkId, fingerprint, idempotentMismatch, isSameCall } from './validate.js';
import { addInstance, addressKey, holdersOf, setInstanceState } from './occupancy.js';
import { INSTANCE_TYPES, isStandardFamily, STANDARD_VCPU_QUOTA_CODE, vcpusOf } from './preconditions.js';
import { el, frag, set, struct, type XmlNode } from './xml.js';

/** Terminated instances stay visible this long, as on AWS ("about an hour"). */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

/** True while DescribeInstances still shows the instance. */
export function isListed(inst: InstanceRecord, now: number): boolean {
  return inst.state !== 'terminated' || inst.terminatedAt === undefined || now - inst.terminatedAt < TERMINATED_VISIBLE_MS;
}

function instancesNotFound(ids: readonly string[]): Ec2Error {
  return ids.length === 1
    ? new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
    : new Ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`);
}

/** Every listed instance named by `ids`, or `InvalidInstanceID.Malformed`/`.NotFound` for the lot. */
function lookupInstances(ctx: Ec2Context, r: RegionState, ids: readonly string[], now: number): InstanceRecord[] {
  for (const id of ids) checkId('i', id);
  const missing = ids.filter((id) => {
    const inst = r.instances.get(id);
    return !inst || !isListed(inst, now) || ctx.faults.isNotYetVisible(ctx.call.operation, inst.launchTime, now);
  });
  if (missing.length > 0) throw instancesNotFound(missing);
  return ids.map((id) => r.instances.get(id)!);
}

/**
 * Schedules an instance's life: `pending` → `running` after the start latency, then status
 * checks `initializing` → `ok` (or `impaired` when a fault matches at that moment); see
 * `transitions.ts`.
 */
export function scheduleInstanceStart(ctx: Ec2Context, r: RegionState, inst: InstanceRecord, startMs: number): void {
  ctx.queue.at(inst.launchTime + startMs, { kind: 'instance-running', region: r.name, instanceId: inst.instanceId });
}

/**
 * A private address in the subnet. The sandbox is one network whose instance endpoints are found
 * by address (`applications.ts`), so an address already held by a listed instance of any region
 * moves on to the next free one; the draws from the id stream stay the same either way.
 */
function privateIp(ctx: Ec2Context, subnet: SubnetRecord, isTaken: (key: number) => boolean): { address: string; key: number } {
  const range = addressRange(subnet);
  let third = ctx.ids.int(range.blocks);
  let fourth = range.first + ctx.ids.int(range.perBlock);
  for (let tries = 0; isTaken(addressKey(range.a, range.b, range.c + third, fourth)); tries++) {
    if (tries + 1 >= range.blocks * range.perBlock) throw noFreeAddresses(subnet);
    fourth += 1;
    if (fourth > range.last) {
      fourth = range.first;
      third = (third + 1) % range.blocks;
    }
  }
  return { address: `${range.a}.${range.b}.${range.c + third}.${fourth}`, key: addressKey(range.a, range.b, range.c + third, fourth) };
}

/**
 * The addresses a subnet hands out. A /24 or larger block: in each of its /24s, .4 to .253 (a /20:
 * 16 × 250). A smaller block: its own range without its first four and its last address, which
 * AWS reserves (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
 */
function addressRange(subnet: SubnetRecord): { a: number; b: number; c: number; blocks: number; first: number; last: number; perBlock: number } {
  const [network, prefixText] = subnet.cidrBlock.split('/');
  const [a, b, c, d] = network!.split('.').map(Number);
  const prefix = Number(prefixText);
  const blocks = prefix <= 24 ? 2 ** (24 - prefix) : 1;
  const first = prefix <= 24 ? 4 : d! + 4;
  const last = prefix <= 24 ? 253 : d! + 2 ** (32 - prefix) - 2;
  return { a: a!, b: b!, c: c!, blocks, first, last, perBlock: last - first + 1 };
}

/** Whether a subnet has `count` free addresses (read without drawing from the id stream). */
function hasFreeAddresses(subnet: SubnetRecord, isTaken: (key: number) => boolean, count: number): boolean {
  const range = addressRange(subnet);
  let free = 0;
  for (let third = 0; third < range.blocks; third++) {
    for (let fourth = range.first; fourth <= range.last; fourth++) {
      if (!isTaken(addressKey(range.a, range.b, range.c + third, fourth)) && ++free >= count) return true;
    }
  }
  return false;
}

/**
 * A launch into a subnet without enough free addresses.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 */
function noFreeAddresses(subnet: SubnetRecord): Ec2Error {
  return new Ec2Error('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`);
}

/**
 * Whether an address (occupancy.ts `addressKey`) is held by a listed instance of any region, or
 * was just given out by this call (`given`): read from the regions' address index, not by
 * scanning their instances.
 */
function addressTaken(ctx: Ec2Context, given: Set<number>): (key: number) => boolean {
  const now = ctx.clock.now();
  return (key) => {
    if (given.has(key)) return true;
    for (const region of ctx.regions.values()) for (const inst of holdersOf(region, key) ?? []) if (isListed(inst, now)) return true;
    return false;
  };
}

function resolveLaunchTemplate(r: RegionState, p: QueryParams): { template?: LaunchTemplateRecord; version?: string } {
  const lt = p.sub('LaunchTemplate');
  const id = lt.get('LaunchTemplateId');
  const name = lt.get('LaunchTemplateName');
  if (id === undefined && name === undefined) return {};
  if (id !== undefined && name !== undefined) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameters LaunchTemplateId and LaunchTemplateName cannot be used together; specify one.');
  }
  let template: LaunchTemplateRecord | undefined;
  if (id !== undefined) {
    template = r.launchTemplates.get(id);
    if (!template) throw new Ec2Error('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
  } else {
    template = [...r.launchTemplates.values()].find((t) => t.launchTemplateName === name);
    if (!template) throw new Ec2Error('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
  }
  const version = lt.get('Version') ?? '$Default';
  if (!['$Default', '$Latest', '1'].includes(version)) {
    throw new Ec2Error('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for template ${template.launchTemplateId}.`);
  }
  return { template, version: '1' };
}

function groupsFor(r: RegionState, subnet: SubnetRecord, ids: readonly string[], names: readonly string[]): SecurityGroupRecord[] {
  const groups: SecurityGroupRecord[] = [];
  for (const id of ids) {
    checkId('sg', id);
    const g = r.securityGroups.get(id);
    if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    groups.push(g);
  }
  for (const name of names) {
    const g = [...r.securityGroups.values()].find((x) => x.groupName === name && x.vpcId === subnet.vpcId);
    if (!g) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${name}' does not exist in VPC '${subnet.vpcId}'`);
    groups.push(g);
  }
  for (const g of groups) {
    if (g.vpcId !== subnet.vpcId) {
      throw new Ec2Error('InvalidParameter', `Security group ${g.groupId} and subnet ${subnet.subnetId} belong to different networks.`);
    }
  }
  if (groups.length === 0) {
    const def = [...r.securityGroups.values()].find((g) => g.vpcId === subnet.vpcId && g.groupName === 'default');
    if (def) groups.push(def);
  }
  return groups;
}

function reservationXml(ctx: Ec2Context, r: RegionState, reservationId: string): XmlNode {
  const res = r.reservations.get(reservationId)!;
  return renderReservation(res, res.instanceIds.map((id) => r.instances.get(id)!), r.name);
}

/**
 * RunInstances: between MinCount and MaxCount instances or none, launch template merged under
 * explicit parameters, ClientToken idempotency, `InsufficientInstanceCapacity` (500) from the
 * capacity faults.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
 * @see https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
 */
export function runInstances(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const minCount = p.int('MinCount');
  const maxCount = p.int('MaxCount');
  if (minCount === undefined) throw new Ec2Error('MissingParameter', 'The request must contain the parameter MinCount');
  if (maxCount === undefined) throw new Ec2Error('MissingParameter', 'The request must contain the parameter MaxCount');
  if (minCount < 1) throw new Ec2Error('InvalidParameterValue', `Value (${minCount}) for parameter minCount is invalid. Expected a value greater than or equal to 1.`);
  if (maxCount < minCount) throw new Ec2Error('InvalidParameterValue', `Value (${maxCount}) for parameter maxCount is invalid. Expected a value greater than or equal to minCount (${minCount}).`);
  const token = p.get('ClientToken');
  const print = fingerprint(p);
  if (token !== undefined) {
    checkClientToken(token);
    const seen = r.tokens.get(`RunInstances:${token}`);
    if (seen) {
      if (!isSameCall(seen.fingerprint, p, print)) throw idempotentMismatch(token);
      if (p.bool('DryRun')) throw dryRunError();
      return reservationXml(ctx, r, seen.result);
    }
  }
  const { template, version } = resolveLaunchTemplate(r, p);
  const imageId = p.get('ImageId') ?? template?.data.imageId;
  if (imageId === undefined) throw new Ec2Error('MissingParameter', 'The request must contain the parameter ImageId');
  checkId('ami', imageId);
  const image = r.images.get(imageId);
  if (!image || (image.ownerId !== ctx.accountId && !image.isPublic)) throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
  if (image.state !== 'available') throw new Ec2Error('InvalidAMIID.Unavailable', `The image id '[${imageId}]' is not available (state: ${image.state})`);
  const instanceType = p.get('InstanceType') ?? template?.data.instanceType ?? 'm1.small';
  const subnetId = p.get('SubnetId');
  const zone = p.get('Placement.AvailabilityZone');
  let subnet: SubnetRecord | undefined;
  if (subnetId !== undefined) {
    checkId('subnet', subnetId);
    subnet = r.subnets.get(subnetId);
    if (!subnet) throw new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  } else {
    if (zone !== undefined && !r.availabilityZones.includes(zone)) throw new Ec2Error('InvalidParameterValue', `Invalid availability zone: [${zone}]`);
    subnet = [...r.subnets.values()].find((s) => s.isDefaultForAz && (zone === undefined || s.availabilityZone === zone));
    if (!subnet) throw new Ec2Error('VPCIdNotSpecified', 'No default VPC for this user.');
  }
  const groups = groupsFor(r, subnet, p.list('SecurityGroupId').length > 0 ? p.list('SecurityGroupId') : (template?.data.securityGroupIds ?? []), p.list('SecurityGroup'));
  const specs = readTagSpecifications(p, ['instance', 'volume', 'network-interface', 'spot-instances-request']);
  const fromTemplate = (type: string) => (template?.data.tags ?? []).filter((t) => t.resourceType === type).map((t) => ({ key: t.key, value: t.value }));
  const instanceTags = mergedTags(new Map(fromTemplate('instance').map((t) => [t.key, t.value])), [...tagsFor(specs, 'instance')].map(([key, value]) => ({ key, value })), 'new instance');
  const volumeTags = mergedTags(new Map(fromTemplate('volume').map((t) => [t.key, t.value])), [...tagsFor(specs, 'volume')].map(([key, value]) => ({ key, value })), 'new volume');
  const profileArn = p.get('IamInstanceProfile.Arn') ?? template?.data.iamInstanceProfileArn;
  const profileName = p.get('IamInstanceProfile.Name');
  const keyName = p.get('KeyName') ?? template?.data.keyName;
  if (keyName !== undefined && !r.keyPairs.has(keyName)) throw new Ec2Error('InvalidKeyPair.NotFound', `The key pair '${keyName}' does not exist`);
  const profile = resolveInstanceProfile(ctx, profileArn, profileName);
  checkOffered(ctx, r, instanceType, subnet);
  const count = launchCount(ctx, r, instanceType, minCount, maxCount);
  const launchFailure = kmsLaunchFailure(ctx, r, image.blockDeviceMappings);
  if (ctx.faults.hasNoCapacity(r.name, instanceType, subnet.subnetId, subnet.availabilityZone)) {
    const others = r.availabilityZones.filter((z) => z !== subnet.availabilityZone).join(', ');
    throw new Ec2Error(
      'InsufficientInstanceCapacity',
      `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${subnet.availabilityZone}). Our system will be working on provisioning additional capacity. You can currently get ${instanceType} capacity by not specifying an Availability Zone in your request or choosing ${others}.`,
    );
  }
  if (p.bool('DryRun')) throw dryRunError();

  const now = ctx.clock.now();
  const given = new Set<number>();
  const isTaken = addressTaken(ctx, given);
  // A subnet without room for every instance launches none.
  if (count > 1 && !hasFreeAddresses(subnet, isTaken, count)) throw noFreeAddresses(subnet);
  const reservationId = ctx.ids.next('r');
  const instanceIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const instanceId = ctx.ids.next('i');
    const tags: Tags = new Map(instanceTags);
    if (template) {
      tags.set('aws:ec2launchtemplate:id', template.launchTemplateId);
      tags.set('aws:ec2launchtemplate:version', version!);
    }
    const volumes: VolumeRecord[] = image.blockDeviceMappings.map((m) => ({
      volumeId: ctx.ids.next('vol'),
      deviceName: m.deviceName,
      sizeGiB: m.volumeSize,
      encrypted: m.encrypted,
      kmsKeyId: m.kmsKeyId,
      volumeType: m.volumeType,
      snapshotId: m.snapshotId,
      tags: new Map(volumeTags),
      deleteOnTermination: m.deleteOnTermination,
    }));
    // Before anything is recorded: a full subnet (one instance) fails the call with nothing launched.
    const address = privateIp(ctx, subnet, isTaken);
    for (const v of volumes) r.volumes.set(v.volumeId, v);
    const inst: InstanceRecord = {
      instanceId,
      reservationId,
      imageId,
      instanceType,
      state: 'pending',
      launchTime: now,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      privateIpAddress: address.address,
      securityGroups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName })),
      keyName,
      iamInstanceProfile:
        profile ??
        (profileArn !== undefined || profileName !== undefined
          ? { arn: profileArn ?? `arn:aws:iam::${ctx.accountId}:instance-profile/${profileName}`, id: `AIPA${ctx.ids.next('x').slice(2).toUpperCase()}` }
          : undefined),
      ...(launchFailure ? { launchFailure } : {}),
      clientToken: token,
      tags,
      volumes,
      amiLaunchIndex: i,
      architecture: image.architecture,
      reason: '',
      status: 'initializing',
    };
    given.add(address.key);
    addInstance(r, inst);
    instanceIds.push(instanceId);
    scheduleInstanceStart(ctx, r, inst, ctx.latency.instanceStartMs());
  }
  r.reservations.set(reservationId, { reservationId, ownerId: ctx.accountId, instanceIds });
  if (token !== undefined) r.tokens.set(`RunInstances:${token}`, { fingerprint: print, result: reservationId });
  return reservationXml(ctx, r, reservationId);
}

/**
 * The instance profile named by ARN or name, when IAM is wired in; AWS refuses a profile that
 * does not exist with InvalidParameterValue naming the parameter.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IamInstanceProfileSpecification.html
 */
function resolveInstanceProfile(ctx: Ec2Context, arn: string | undefined, name: string | undefined): { arn: string; id: string } | undefined {
  const lookup = ctx.preconditions.integrations.instanceProfile;
  if (!lookup || (arn === undefined && name === undefined)) return undefined;
  const found = lookup(arn !== undefined ? { arn } : { name });
  if (found) return found;
  throw arn !== undefined
    ? new Ec2Error('InvalidParameterValue', `Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`)
    : new Ec2Error('InvalidParameterValue', `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
}

/**
 * Refuses a type the subnet's zone does not offer (Unsupported, naming the zones that do), or a
 * type EC2 does not know (InvalidParameterValue).
 * @see https://repost.aws/knowledge-center/ec2-instance-type-not-supported-az-error
 */
function checkOffered(ctx: Ec2Context, r: RegionState, instanceType: string, subnet: SubnetRecord): void {
  if (!INSTANCE_TYPES.has(instanceType)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${instanceType}' for InstanceType.`);
  if (ctx.preconditions.isOffered(r.name, subnet.availabilityZone, instanceType)) return;
  const others = r.availabilityZones.filter((z) => ctx.preconditions.isOffered(r.name, z, instanceType));
  throw new Ec2Error(
    'Unsupported',
    others.length > 0
      ? `Your requested instance type (${instanceType}) is not supported in your requested Availability Zone (${subnet.availabilityZone}). Please retry your request by not specifying an Availability Zone or choosing ${others.join(', ')}.`
      : 'The requested configuration is currently not supported. Please check the documentation for supported configurations.',
  );
}

/**
 * How many instances to launch: MaxCount, or as many as the Standard On-Demand vCPU quota leaves
 * room for (at least MinCount, else VcpuLimitExceeded). Pending and running instances of the
 * standard families count against it (the region's running count, occupancy.ts).
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
function launchCount(ctx: Ec2Context, r: RegionState, instanceType: string, minCount: number, maxCount: number): number {
  const limit = isStandardFamily(instanceType) ? ctx.preconditions.integrations.quota?.(r.name, STANDARD_VCPU_QUOTA_CODE) : undefined;
  if (limit === undefined) return maxCount;
  const inUse = r.standardVcpusInUse;
  const each = vcpusOf(instanceType);
  const room = Math.floor((limit - inUse) / each);
  if (room < minCount) {
    throw new Ec2Error(
      'VcpuLimitExceeded',
      `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
    );
  }
  return Math.min(maxCount, room);
}

/**
 * An encrypted volume whose KMS key is missing or not enabled: the launch is accepted and the
 * instance goes from `pending` to `terminated` with this state reason (when KMS is wired in).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html#troubleshooting-launch-internal
 */
function kmsLaunchFailure(ctx: Ec2Context, r: RegionState, mappings: readonly { encrypted: boolean; kmsKeyId?: string }[]): { code: string; message: string } | undefined {
  const lookup = ctx.preconditions.integrations.kmsKey;
  if (!lookup) return undefined;
  for (const m of mappings) {
    if (!m.encrypted || m.kmsKeyId === undefined) continue;
    const key = lookup(r.name, m.kmsKeyId);
    if (!key || key.state !== 'Enabled') {
      return { code: 'Client.InvalidKMSKey.InvalidState', message: 'Client.InvalidKMSKey.InvalidState: The KMS key provided is in an incorrect state' };
    }
  }
  return undefined;
}

/**
 * StopInstances: `running`/`pending` → `stopping` → `stopped`; a stopped one stays; a terminated
 * or terminating one is IncorrectInstanceState.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StopInstances.html
 */
export function stopInstances(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('InstanceId');
  if (ids.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
  const now = ctx.clock.now();
  const instances = lookupInstances(ctx, r, ids, now);
  const stuck = instances.find((i) => i.state === 'shutting-down' || i.state === 'terminated');
  if (stuck) throw new Ec2Error('IncorrectInstanceState', `This instance '${stuck.instanceId}' is not in a state from which it can be stopped.`);
  if (p.bool('DryRun')) throw dryRunError();
  const changes = instances.map((inst) => {
    const previous = inst.state;
    if (previous === 'running' || previous === 'pending') {
      setInstanceState(r, inst, 'stopping');
      inst.status = 'initializing';
      inst.reason = `User initiated (${iso(now).replace('T', ' ').replace(/\.\d{3}Z$/, ' GMT')})`;
      inst.stateReason = { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
      ctx.queue.at(now + ctx.latency.instanceShutdownMs(), { kind: 'instance-stopped', region: r.name, instanceId: inst.instanceId });
    }
    return { inst, previous };
  });
  return set('instancesSet', changes, ({ inst, previous }) =>
    struct({ instanceId: inst.instanceId, currentState: instanceState(inst.state), previousState: instanceState(previous) }),
  );
}

const INSTANCE_FILTERS = {
  'instance-id': (i: InstanceRecord) => i.instanceId,
  'instance-state-name': (i: InstanceRecord) => i.state,
  'instance-state-code': (i: InstanceRecord) => String(INSTANCE_STATE_CODES[i.state]),
  'instance-type': (i: InstanceRecord) => i.instanceType,
  'image-id': (i: InstanceRecord) => i.imageId,
  'client-token': (i: InstanceRecord) => i.clientToken,
  'reservation-id': (i: InstanceRecord) => i.reservationId,
  'subnet-id': (i: InstanceRecord) => i.subnetId,
  'vpc-id': (i: InstanceRecord) => i.vpcId,
  'availability-zone': (i: InstanceRecord) => i.availabilityZone,
  'placement-availability-zone': (i: InstanceRecord) => i.availabilityZone,
  'launch-time': (i: InstanceRecord) => iso(i.launchTime),
  'key-name': (i: InstanceRecord) => i.keyName,
  'private-ip-address': (i: InstanceRecord) => i.privateIpAddress,
  'instance.group-id': (i: InstanceRecord) => i.securityGroups.map((g) => g.groupId),
  'instance.group-name': (i: InstanceRecord) => i.securityGroups.map((g) => g.groupName),
  'block-device-mapping.volume-id': (i: InstanceRecord) => i.volumes.map((v) => v.volumeId),
  'iam-instance-profile.arn': (i: InstanceRecord) => i.iamInstanceProfile?.arn,
  'ami-launch-index': (i: InstanceRecord) => String(i.amiLaunchIndex),
};

/**
 * DescribeInstances: explicit ids (all must exist), filters, grouped by reservation, paginated.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 */
export function describeInstances(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('InstanceId');
  const maxResults = p.int('MaxResults');
  if (maxResults !== undefined && ids.length > 0) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const now = ctx.clock.now();
  const filters = readFilters(p);
  // An `instance-id` filter of exact ids (no wildcard) names every instance it can match: start
  // from those rather than from every instance of the region (the same answer, read by key).
  const idFilter = ids.length === 0 ? filters.find((f) => f.name === 'instance-id' && f.values.every((v) => !v.includes('*') && !v.includes('?'))) : undefined;
  const candidates = idFilter
    ? [...new Set(idFilter.values)].flatMap((id) => {
        const inst = r.instances.get(id);
        return inst !== undefined && isListed(inst, now) ? [inst] : [];
      })
    : [...r.instances.values()].filter((i) => isListed(i, now));
  let instances = ids.length > 0 ? byKey(lookupInstances(ctx, r, ids, now), (i) => i.instanceId) : byKey(candidates, (i) => i.instanceId);
  instances = applyFilters(instances, filters, INSTANCE_FILTERS, (i) => i.tags);
  const { page, nextToken } = paginate(instances, (i) => i.instanceId, maxResults, p.get('NextToken'));
  const groups = new Map<string, InstanceRecord[]>();
  for (const inst of page) {
    const list = groups.get(inst.reservationId) ?? [];
    list.push(inst);
    groups.set(inst.reservationId, list);
  }
  return frag(
    set('reservationSet', [...groups.entries()], ([reservationId, insts]) => renderReservation({ reservationId, ownerId: ctx.accountId }, insts, r.name)),
    el('nextToken', nextToken),
  );
}

/** Puts an instance into `shutting-down` and schedules `terminated`. */
export function beginTermination(ctx: Ec2Context, r: RegionState, inst: InstanceRecord, now: number): void {
  setInstanceState(r, inst, 'shutting-down');
  inst.status = 'initializing';
  inst.reason = `User initiated (${iso(now).replace('T', ' ').replace(/\.\d{3}Z$/, ' GMT')})`;
  inst.stateReason = { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
  ctx.queue.at(now + ctx.latency.instanceShutdownMs(), { kind: 'instance-terminated', region: r.name, instanceId: inst.instanceId });
}

/**
 * TerminateInstances: all or nothing on unknown ids; `shutting-down` → `terminated`;
 * repeating it is harmless.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_TerminateInstances.html
 */
export function terminateInstances(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('InstanceId');
  if (ids.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
  const now = ctx.clock.now();
  const instances = lookupInstances(ctx, r, ids, now);
  if (p.bool('DryRun')) throw dryRunError();
  const changes = instances.map((inst) => {
    const previous = inst.state;
    if (previous !== 'shutting-down' && previous !== 'terminated') beginTermination(ctx, r, inst, now);
    return { inst, previous };
  });
  return set('instancesSet', changes, ({ inst, previous }) =>
    struct({ instanceId: inst.instanceId, currentState: instanceState(inst.state), previousState: instanceState(previous) }),
  );
}

function statusSummary(inst: InstanceRecord): { status: string; detail: string; impairedSince?: string } {
  if (inst.state !== 'running') return { status: 'not-applicable', detail: 'not-applicable' };
  if (inst.status === 'ok') return { status: 'ok', detail: 'passed' };
  if (inst.status === 'impaired') return { status: 'impaired', detail: 'failed', impairedSince: inst.statusAt !== undefined ? iso(inst.statusAt) : undefined };
  return { status: 'initializing', detail: 'initializing' };
}

/**
 * DescribeInstanceStatus: running instances only unless `IncludeAllInstances`; reachability
 * checks `initializing` → `ok`/`impaired`; `not-applicable` for instances not running.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html
 */
export function describeInstanceStatus(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('InstanceId');
  const maxResults = p.int('MaxResults');
  if (maxResults !== undefined && ids.length > 0) {
    throw new Ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const now = ctx.clock.now();
  const isAll = p.bool('IncludeAllInstances');
  let instances = ids.length > 0 ? byKey(lookupInstances(ctx, r, ids, now), (i) => i.instanceId) : byKey([...r.instances.values()].filter((i) => isListed(i, now)), (i) => i.instanceId);
  if (!isAll) instances = instances.filter((i) => i.state === 'running');
  instances = applyFilters(instances, readFilters(p), {
    'instance-id': (i) => i.instanceId,
    'instance-state-name': (i) => i.state,
    'instance-state-code': (i) => String(INSTANCE_STATE_CODES[i.state]),
    'availability-zone': (i) => i.availabilityZone,
    'instance-status.status': (i) => statusSummary(i).status,
    'instance-status.reachability': (i) => statusSummary(i).detail,
    'system-status.status': (i) => (i.state === 'running' ? (i.status === 'initializing' ? 'initializing' : 'ok') : 'not-applicable'),
    'system-status.reachability': (i) => (i.state === 'running' ? (i.status === 'initializing' ? 'initializing' : 'passed') : 'not-applicable'),
  });
  const { page, nextToken } = paginate(instances, (i) => i.instanceId, maxResults, p.get('NextToken'));
  return frag(
    set('instanceStatusSet', page, (inst) => {
      const s = statusSummary(inst);
      const sys = inst.state !== 'running' ? { status: 'not-applicable', detail: 'not-applicable' } : inst.status === 'initializing' ? { status: 'initializing', detail: 'initializing' } : { status: 'ok', detail: 'passed' };
      return struct({
        instanceId: inst.instanceId,
        availabilityZone: inst.availabilityZone,
        eventsSet: { xml: '' },
        instanceState: instanceState(inst.state),
        systemStatus: struct({ status: sys.status, details: set('details', [sys.detail], (d) => struct({ name: 'reachability', status: d })) }),
        instanceStatus: struct({
          status: s.status,
          details: set('details', [s], (d) => struct({ name: 'reachability', status: d.detail, impairedSince: d.impairedSince })),
        }),
        attachedEbsStatus: struct({ status: sys.status, details: set('details', [sys.detail], (d) => struct({ name: 'reachability', status: d })) }),
      });
    }),
    el('nextToken', nextToken),
  );
}

function renderLaunchTemplate(t: LaunchTemplateRecord, accountId: string): XmlNode {
  return struct({
    launchTemplateId: t.launchTemplateId,
    launchTemplateName: t.launchTemplateName,
    createTime: iso(t.createTime),
    createdBy: `arn:aws:iam::${accountId}:root`,
    defaultVersionNumber: 1,
    latestVersionNumber: 1,
    tagSet: tagSet(t.tags),
  });
}

/**
 * CreateLaunchTemplate (one version): image, instance type, key, groups, profile and tags.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html
 */
export function createLaunchTemplate(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const name = p.required('LaunchTemplateName');
  if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) {
    throw new Ec2Error('InvalidLaunchTemplateName.MalformedException', `A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and ( ) . - / _ (found ${JSON.stringify(name)})`);
  }
  if ([...r.launchTemplates.values()].some((t) => t.launchTemplateName === name)) {
    throw new Ec2Error('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use: ${name}`);
  }
  const d = p.sub('LaunchTemplateData');
  const specs = readTagSpecifications(p, ['launch-template']);
  const dataSpecs = readTagSpecifications(d, ['instance', 'volume', 'network-interface', 'spot-instances-request']);
  const tags = tagsFor(specs, 'launch-template');
  if (p.bool('DryRun')) throw dryRunError();
  const t: LaunchTemplateRecord = {
    launchTemplateId: ctx.ids.next('lt'),
    launchTemplateName: name,
    createTime: ctx.clock.now(),
    data: {
      imageId: d.get('ImageId'),
      instanceType: d.get('InstanceType'),
      keyName: d.get('KeyName'),
      securityGroupIds: d.list('SecurityGroupId'),
      iamInstanceProfileArn: d.get('IamInstanceProfile.Arn'),
      tags: dataSpecs.flatMap((s) => s.tags.map((t) => ({ resourceType: s.resourceType, key: t.key, value: t.value }))),
    },
    tags,
  };
  r.launchTemplates.set(t.launchTemplateId, t);
  return renderTemplateWrapper(t, ctx.accountId);
}

function renderTemplateWrapper(t: LaunchTemplateRecord, accountId: string): XmlNode {
  return el('launchTemplate', renderLaunchTemplate(t, accountId));
}

/** DescribeLaunchTemplates by id or name. */
export function describeLaunchTemplates(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('LaunchTemplateId');
  const names = p.list('LaunchTemplateName');
  for (const id of ids) if (!r.launchTemplates.has(id)) throw new Ec2Error('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
  const all = byKey(r.launchTemplates.values(), (t) => t.launchTemplateId);
  for (const n of names) if (!all.some((t) => t.launchTemplateName === n)) throw new Ec2Error('InvalidLaunchTemplateName.NotFoundException', `At least one of the launch templates specified in the request does not exist (${n}).`);
  let templates = all.filter((t) => (ids.length === 0 || ids.includes(t.launchTemplateId)) && (names.length === 0 || names.includes(t.launchTemplateName)));
  templates = applyFilters(templates, readFilters(p), { 'launch-template-name': (t) => t.launchTemplateName }, (t) => t.tags);
  return set('launchTemplates', templates, (t) => renderLaunchTemplate(t, ctx.accountId));
}

