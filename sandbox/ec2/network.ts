import { regionInfo } from '../regions.js';
import type { Ec2Context } from './context.js';
import { Ec2Error } from './errors.js';
import { applyFilters, byKey } from './filters.js';
import { AMAZON_OWNER_ID, iso, type ImageRecord, type RegionState, type SecurityGroupRecord, type SnapshotRecord, type SubnetRecord } from './model.js';
import { readFilters, type QueryParams } from './query.js';
import { renderSecurityGroup, renderSubnet, renderVpc } from './render.js';
import { frag, set, struct, type XmlNode } from './xml.js';

/** Zone id as AWS spells it: `use1-az1` for us-east-1a. */
export function zoneId(region: string, zone: string): string {
  const [geo = '', dir = '', num = ''] = region.split('-');
  const dirShort = dir.replace('northeast', 'ne').replace('southeast', 'se').replace('northwest', 'nw').replace('southwest', 'sw').replace('central', 'c').replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w');
  return `${geo}${dirShort}${num}-az${zone.charCodeAt(zone.length - 1) - 96}`;
}

/** Amazon Linux-like public images every region starts with. */
const BASE_IMAGES = [
  { name: 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64', description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1', architecture: 'x86_64' },
  { name: 'al2023-ami-2023.6.20241121.0-kernel-6.1-arm64', description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 arm64 HVM kernel-6.1', architecture: 'arm64' },
  { name: 'amzn2-ami-hvm-2.0.20241113.1-x86_64-gp2', description: 'Amazon Linux 2 AMI 2.0.20241113.1 x86_64 HVM gp2', architecture: 'x86_64' },
];

/**
 * Fills a new region as AWS would present a fresh account: a default VPC (172.31.0.0/16) with one
 * default subnet per zone, its `default` security group, and Amazon's public base images.
 */
export function bootstrapRegion(ctx: Ec2Context, r: RegionState): void {
  const vpcId = ctx.ids.next('vpc');
  r.vpcs.set(vpcId, { vpcId, cidrBlock: '172.31.0.0/16', isDefault: true, tags: new Map() });
  r.defaultVpcId = vpcId;
  r.availabilityZones.forEach((az, i) => {
    const subnetId = ctx.ids.next('subnet');
    r.subnets.set(subnetId, {
      subnetId,
      vpcId,
      availabilityZone: az,
      availabilityZoneId: zoneId(r.name, az),
      cidrBlock: `172.31.${i * 16}.0/20`,
      isDefaultForAz: true,
      tags: new Map(),
    });
  });
  const sgId = ctx.ids.next('sg');
  r.securityGroups.set(sgId, { groupId: sgId, groupName: 'default', description: 'default VPC security group', vpcId, tags: new Map() });
  r.defaultSecurityGroupId = sgId;
  const created = Date.UTC(2024, 10, 21, 20, 0, 0);
  for (const b of BASE_IMAGES) {
    const snapshotId = ctx.ids.next('snap');
    const img: ImageRecord = {
      imageId: ctx.ids.next('ami'),
      name: b.name,
      description: b.description,
      ownerId: AMAZON_OWNER_ID,
      ownerAlias: 'amazon',
      isPublic: true,
      state: 'available',
      creationDate: iso(created),
      architecture: b.architecture,
      blockDeviceMappings: [{ deviceName: '/dev/xvda', snapshotId, volumeSize: 8, volumeType: 'gp3', deleteOnTermination: true, encrypted: false }],
      tags: new Map(),
      kind: 'base',
    };
    r.images.set(img.imageId, img);
    const snap: SnapshotRecord = {
      snapshotId,
      volumeId: 'vol-ffffffff',
      ownerId: AMAZON_OWNER_ID,
      state: 'completed',
      startTime: created,
      doneAt: created,
      completionTime: created,
      volumeSize: 8,
      encrypted: false,
      description: b.description,
      tags: new Map(),
    };
    r.snapshots.set(snapshotId, snap);
  }
}

/** Options of {@link seedSubnet}. */
export interface SeedSubnetOptions {
  readonly subnetId?: string;
  readonly availabilityZone?: string;
  readonly cidrBlock?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Another VPC than the default one (created, non-default, when it does not exist yet). */
  readonly vpcId?: string;
}

/** The VPC a seeded resource goes in: the default one, or the named one (created when new). */
function seedVpc(r: RegionState, vpcId: string | undefined): string {
  if (vpcId === undefined) return r.defaultVpcId;
  if (!/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/.test(vpcId)) throw new TypeError(`ec2 seed › vpcId: expected "vpc-" and 8 or 17 hex digits, found ${JSON.stringify(vpcId)}`);
  if (!r.vpcs.has(vpcId)) r.vpcs.set(vpcId, { vpcId, cidrBlock: '10.0.0.0/16', isDefault: false, tags: new Map() });
  return vpcId;
}

/** Adds a (non-default) subnet to the default VPC; an existing id is returned unchanged. */
export function seedSubnet(ctx: Ec2Context, r: RegionState, o: SeedSubnetOptions): SubnetRecord {
  if (o.subnetId) {
    const existing = r.subnets.get(o.subnetId);
    if (existing) return existing;
    if (!/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/.test(o.subnetId)) {
      throw new TypeError(`ec2 seed › subnetId: expected "subnet-" and 8 or 17 hex digits, found ${JSON.stringify(o.subnetId)}`);
    }
  }
  const index = r.subnets.size;
  const az = o.availabilityZone ?? r.availabilityZones[index % r.availabilityZones.length]!;
  if (!r.availabilityZones.includes(az)) {
    throw new TypeError(`ec2 seed › availabilityZone: expected one of ${r.availabilityZones.join(', ')}, found ${JSON.stringify(az)}`);
  }
  const subnetId = o.subnetId ?? ctx.ids.next('subnet');
  const s: SubnetRecord = {
    subnetId,
    vpcId: seedVpc(r, o.vpcId),
    availabilityZone: az,
    availabilityZoneId: zoneId(r.name, az),
    cidrBlock: o.cidrBlock ?? `172.31.${(48 + index * 16) % 256}.0/20`,
    isDefaultForAz: false,
    tags: new Map(Object.entries(o.tags ?? {})),
  };
  r.subnets.set(subnetId, s);
  return s;
}

/** Adds a security group to the default VPC; an existing id is returned unchanged. */
export function seedSecurityGroup(ctx: Ec2Context, r: RegionState, o: { groupId?: string; groupName?: string; tags?: Readonly<Record<string, string>>; vpcId?: string }): SecurityGroupRecord {
  if (o.groupId) {
    const existing = r.securityGroups.get(o.groupId);
    if (existing) return existing;
    if (!/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/.test(o.groupId)) {
      throw new TypeError(`ec2 seed › groupId: expected "sg-" and 8 or 17 hex digits, found ${JSON.stringify(o.groupId)}`);
    }
  }
  const groupId = o.groupId ?? ctx.ids.next('sg');
  const g: SecurityGroupRecord = {
    groupId,
    groupName: o.groupName ?? groupId,
    description: `seeded group ${groupId}`,
    vpcId: seedVpc(r, o.vpcId),
    tags: new Map(Object.entries(o.tags ?? {})),
  };
  r.securityGroups.set(groupId, g);
  return g;
}

/**
 * DescribeRegions: every served region (without creating any), each with its opt-in status:
 * `opt-in-not-required` for regions enabled in every account, `opted-in` for opt-in regions
 * (the sandbox's account has opted in to all it serves). `AllRegions` changes nothing, since no
 * served region is `not-opted-in`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
export function describeRegions(ctx: Ec2Context, p: QueryParams): XmlNode {
  const names = p.list('RegionName');
  p.bool('AllRegions');
  for (const n of names) {
    if (!ctx.served.includes(n)) throw new Ec2Error('InvalidParameterValue', `Invalid region: ${n}`);
  }
  const optIn = (n: string): string => (regionInfo(n)?.isOptIn ? 'opted-in' : 'opt-in-not-required');
  let regions = ctx.served.filter((n) => names.length === 0 || names.includes(n));
  regions = applyFilters(regions, readFilters(p), {
    'region-name': (n) => n,
    endpoint: (n) => `ec2.${n}.amazonaws.com`,
    'opt-in-status': optIn,
  });
  return set('regionInfo', regions, (n) => struct({ regionName: n, regionEndpoint: `ec2.${n}.amazonaws.com`, optInStatus: optIn(n) }));
}

/** DescribeAvailabilityZones. */
export function describeAvailabilityZones(r: RegionState, p: QueryParams): XmlNode {
  const names = p.list('ZoneName');
  const ids = p.list('ZoneId');
  for (const n of names) {
    if (!r.availabilityZones.includes(n)) throw new Ec2Error('InvalidParameterValue', `The zone '${n}' does not exist.`);
  }
  let zones = r.availabilityZones.filter((z) => (names.length === 0 || names.includes(z)) && (ids.length === 0 || ids.includes(zoneId(r.name, z))));
  zones = applyFilters(zones, readFilters(p), {
    'zone-name': (z) => z,
    'zone-id': (z) => zoneId(r.name, z),
    'region-name': () => r.name,
    state: () => 'available',
    'zone-type': () => 'availability-zone',
    'opt-in-status': () => 'opt-in-not-required',
  });
  return set('availabilityZoneInfo', zones, (z) =>
    struct({
      zoneName: z,
      zoneState: 'available',
      regionName: r.name,
      zoneId: zoneId(r.name, z),
      zoneType: 'availability-zone',
      optInStatus: 'opt-in-not-required',
      groupName: r.name,
      networkBorderGroup: r.name,
      messageSet: { xml: '' },
    }),
  );
}

/** DescribeSubnets. */
export function describeSubnets(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('SubnetId');
  const missing = ids.filter((id) => !r.subnets.has(id));
  if (missing.length > 0) throw new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${missing.join(', ')}' does not exist`);
  let subnets = byKey(r.subnets.values(), (s) => s.subnetId).filter((s) => ids.length === 0 || ids.includes(s.subnetId));
  subnets = applyFilters(
    subnets,
    readFilters(p),
    {
      'subnet-id': (s) => s.subnetId,
      'vpc-id': (s) => s.vpcId,
      'availability-zone': (s) => s.availabilityZone,
      'availability-zone-id': (s) => s.availabilityZoneId,
      'default-for-az': (s) => String(s.isDefaultForAz),
      'cidr-block': (s) => s.cidrBlock,
      state: () => 'available',
      'owner-id': () => ctx.accountId,
    },
    (s) => s.tags,
  );
  return set('subnetSet', subnets, (s) => renderSubnet(s, ctx.accountId, r.name));
}

/** DescribeSecurityGroups. */
export function describeSecurityGroups(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('GroupId');
  const names = p.list('GroupName');
  const missing = ids.filter((id) => !r.securityGroups.has(id));
  if (missing.length > 0) throw new Ec2Error('InvalidGroup.NotFound', `The security group '${missing.join(', ')}' does not exist`);
  let groups = byKey(r.securityGroups.values(), (g) => g.groupId).filter(
    (g) => (ids.length === 0 || ids.includes(g.groupId)) && (names.length === 0 || names.includes(g.groupName)),
  );
  groups = applyFilters(
    groups,
    readFilters(p),
    {
      'group-id': (g) => g.groupId,
      'group-name': (g) => g.groupName,
      'vpc-id': (g) => g.vpcId,
      description: (g) => g.description,
      'owner-id': () => ctx.accountId,
    },
    (g) => g.tags,
  );
  return set('securityGroupInfo', groups, (g) => renderSecurityGroup(g, ctx.accountId));
}

/** DescribeVpcs. */
export function describeVpcs(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const ids = p.list('VpcId');
  const missing = ids.filter((id) => !r.vpcs.has(id));
  if (missing.length > 0) throw new Ec2Error('InvalidVpcID.NotFound', `The vpc ID '${missing.join(', ')}' does not exist`);
  let vpcs = byKey(r.vpcs.values(), (v) => v.vpcId).filter((v) => ids.length === 0 || ids.includes(v.vpcId));
  vpcs = applyFilters(
    vpcs,
    readFilters(p),
    { 'vpc-id': (v) => v.vpcId, 'is-default': (v) => String(v.isDefault), 'cidr-block': (v) => v.cidrBlock, state: () => 'available' },
    (v) => v.tags,
  );
  return frag(set('vpcSet', vpcs, (v) => renderVpc(v, ctx.accountId)));
}

/**
 * DeleteSubnet: refused while instances that are not terminated use it (DependencyViolation).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html
 */
export function deleteSubnet(_ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const subnetId = p.required('SubnetId');
  const subnet = r.subnets.get(subnetId);
  if (!subnet) throw new Ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  if ([...r.instances.values()].some((i) => i.subnetId === subnetId && i.state !== 'terminated')) {
    throw new Ec2Error('DependencyViolation', `The subnet '${subnetId}' has dependencies and cannot be deleted.`);
  }
  if (p.bool('DryRun')) throw new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
  r.subnets.delete(subnetId);
  return { xml: '<return>true</return>' };
}
