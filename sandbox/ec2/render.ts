import {
  INSTANCE_STATE_CODES,
  iso,
  type ImageRecord,
  type InstanceRecord,
  type InstanceStateName,
  type SecurityGroupRecord,
  type SnapshotRecord,
  type SubnetRecord,
  type Tags,
  type VpcRecord,
} from './model.js';
import { el, frag, set, struct, type XmlNode } from './xml.js';

/** `<tagSet>` (always present). */
export function tagSet(tags: Tags): XmlNode {
  return set('tagSet', [...tags.entries()], ([key, value]) => struct({ key, value }));
}

/**
 * An `Image` with the irregular XML names (`imageState`, `imageOwnerId`, `isPublic`,
 * `blockDeviceMapping`, `tagSet`).
 */
export function renderImage(img: ImageRecord): XmlNode {
  return struct({
    imageId: img.imageId,
    imageLocation: img.ownerAlias ? `${img.ownerAlias}/${img.name}` : `${img.ownerId}/${img.name}`,
    imageState: img.state,
    imageOwnerId: img.ownerId,
    creationDate: img.creationDate,
    isPublic: img.isPublic,
    architecture: img.architecture,
    imageType: 'machine',
    productCodes: { xml: '' },
    sriovNetSupport: 'simple',
    imageOwnerAlias: img.ownerAlias,
    name: img.name,
    description: img.description,
    rootDeviceType: 'ebs',
    rootDeviceName: img.blockDeviceMappings[0]?.deviceName ?? '/dev/xvda',
    blockDeviceMapping: set('blockDeviceMapping', img.blockDeviceMappings, (m) =>
      struct({
        deviceName: m.deviceName,
        ebs: struct({
          snapshotId: m.snapshotId,
          volumeSize: m.volumeSize,
          deleteOnTermination: m.deleteOnTermination,
          volumeType: m.volumeType,
          encrypted: m.encrypted,
          kmsKeyId: m.kmsKeyId,
        }),
      }),
    ),
    virtualizationType: 'hvm',
    tagSet: tagSet(img.tags),
    hypervisor: 'xen',
    enaSupport: true,
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    bootMode: 'uefi-preferred',
    imdsSupport: 'v2.0',
    stateReason: img.stateReason ? struct({ code: img.stateReason.code, message: img.stateReason.message }) : undefined,
    deprecationTime: img.deprecationTime,
    sourceInstanceId: img.sourceInstanceId,
    sourceImageId: img.sourceImageId,
    sourceImageRegion: img.sourceImageRegion,
    deregistrationProtection: 'disabled',
  });
}

/** A `Snapshot` (`status`, `statusMessage`); progress interpolated on the clock. */
export function renderSnapshot(s: SnapshotRecord, now: number): XmlNode {
  return struct({
    snapshotId: s.snapshotId,
    volumeId: s.volumeId,
    status: s.state,
    statusMessage: s.stateMessage,
    startTime: iso(s.startTime),
    progress: `${snapshotProgress(s, now)}%`,
    ownerId: s.ownerId,
    volumeSize: s.volumeSize,
    description: s.description,
    encrypted: s.encrypted,
    kmsKeyId: s.kmsKeyId,
    tagSet: tagSet(s.tags),
    storageTier: 'standard',
    completionTime: s.completionTime !== undefined ? iso(s.completionTime) : undefined,
  });
}

/** Percent done: 100 once completed, else linear from start to the due time, capped at 99. */
export function snapshotProgress(s: SnapshotRecord, now: number): number {
  if (s.state === 'completed') return 100;
  if (s.state === 'error') return 0;
  const span = Math.max(1, s.doneAt - s.startTime);
  return Math.max(0, Math.min(99, Math.floor(((now - s.startTime) / span) * 100)));
}

/** `{code, name}`. */
export function instanceState(name: InstanceStateName): XmlNode {
  return struct({ code: INSTANCE_STATE_CODES[name], name });
}

/** `<groupSet>` of an instance or reservation. */
export function groupSet(groups: readonly { groupId: string; groupName: string }[]): XmlNode {
  return set('groupSet', groups, (g) => struct({ groupId: g.groupId, groupName: g.groupName }));
}

function privateDns(inst: InstanceRecord, region: string): string {
  const host = `ip-${inst.privateIpAddress.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

/** An `Instance` with its irregular names (`instanceState`, `dnsName`, `reason`, `groupSet`). */
export function renderInstance(inst: InstanceRecord, region: string): XmlNode {
  const isGone = inst.state === 'terminated';
  return struct({
    instanceId: inst.instanceId,
    imageId: inst.imageId,
    instanceState: instanceState(inst.state),
    privateDnsName: isGone ? '' : privateDns(inst, region),
    dnsName: '',
    reason: inst.reason,
    keyName: inst.keyName,
    amiLaunchIndex: inst.amiLaunchIndex,
    productCodes: { xml: '' },
    instanceType: inst.instanceType,
    launchTime: iso(inst.launchTime),
    placement: struct({ availabilityZone: inst.availabilityZone, groupName: '', tenancy: 'default' }),
    monitoring: struct({ state: 'disabled' }),
    subnetId: isGone ? undefined : inst.subnetId,
    vpcId: isGone ? undefined : inst.vpcId,
    privateIpAddress: isGone ? undefined : inst.privateIpAddress,
    sourceDestCheck: true,
    groupSet: groupSet(isGone ? [] : inst.securityGroups),
    stateReason: inst.stateReason ? struct({ code: inst.stateReason.code, message: inst.stateReason.message }) : undefined,
    architecture: inst.architecture,
    rootDeviceType: 'ebs',
    rootDeviceName: inst.volumes[0]?.deviceName ?? '/dev/xvda',
    blockDeviceMapping: set('blockDeviceMapping', isGone ? [] : inst.volumes, (v) =>
      struct({
        deviceName: v.deviceName,
        ebs: struct({ volumeId: v.volumeId, status: 'attached', attachTime: iso(inst.launchTime), deleteOnTermination: v.deleteOnTermination }),
      }),
    ),
    iamInstanceProfile: inst.iamInstanceProfile ? struct({ arn: inst.iamInstanceProfile.arn, id: inst.iamInstanceProfile.id }) : undefined,
    virtualizationType: 'hvm',
    clientToken: inst.clientToken ?? '',
    tagSet: tagSet(inst.tags),
    hypervisor: 'xen',
    networkInterfaceSet: { xml: '' },
    ebsOptimized: false,
    enaSupport: true,
    hibernationOptions: struct({ configured: false }),
    metadataOptions: struct({ state: isGone ? 'pending' : 'applied', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' }),
    bootMode: 'uefi',
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
  });
}

/** A `Reservation`. */
export function renderReservation(r: { reservationId: string; ownerId: string }, instances: readonly InstanceRecord[], region: string): XmlNode {
  return frag(
    el('reservationId', r.reservationId),
    el('ownerId', r.ownerId),
    groupSet([]),
    set('instancesSet', instances, (i) => renderInstance(i, region)),
  );
}

export function renderSubnet(s: SubnetRecord, ownerId: string, region: string): XmlNode {
  return struct({
    subnetId: s.subnetId,
    subnetArn: `arn:aws:ec2:${region}:${ownerId}:subnet/${s.subnetId}`,
    state: 'available',
    ownerId,
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    ipv6CidrBlockAssociationSet: { xml: '' },
    // The block's size less the five addresses AWS reserves (not less the ones in use).
    availableIpAddressCount: 2 ** (32 - Number(s.cidrBlock.split('/')[1])) - 5,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: s.availabilityZoneId,
    defaultForAz: s.isDefaultForAz,
    mapPublicIpOnLaunch: s.isDefaultForAz,
    tagSet: tagSet(s.tags),
  });
}

export function renderSecurityGroup(g: SecurityGroupRecord, ownerId: string): XmlNode {
  return struct({
    ownerId,
    groupId: g.groupId,
    groupName: g.groupName,
    groupDescription: g.description,
    vpcId: g.vpcId,
    ipPermissions: { xml: '' },
    ipPermissionsEgress: {
      xml: '<item><ipProtocol>-1</ipProtocol><groups/><ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges><ipv6Ranges/><prefixListIds/></item>',
    },
    tagSet: tagSet(g.tags),
  });
}

export function renderVpc(v: VpcRecord, ownerId: string): XmlNode {
  return struct({
    vpcId: v.vpcId,
    ownerId,
    state: 'available',
    cidrBlock: v.cidrBlock,
    dhcpOptionsId: 'default',
    instanceTenancy: 'default',
    isDefault: v.isDefault,
    tagSet: tagSet(v.tags),
  });
}
