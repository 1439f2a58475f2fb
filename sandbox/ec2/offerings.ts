/**
 * DescribeInstanceTypeOfferings and DescribeInstanceTypes, from the catalog and the per-zone
 * offerings of `preconditions.ts` (withdrawals set through the admin API).
 */
import type { Ec2Context } from './context.js';
import { Ec2Error } from './errors.js';
import { applyFilters, paginate } from './filters.js';
import type { RegionState } from './model.js';
import { zoneId } from './network.js';
import { INSTANCE_TYPES, type InstanceTypeInfo } from './preconditions.js';
import { readFilters, type QueryParams } from './query.js';
import { el, frag, set, struct, type XmlNode } from './xml.js';

interface Offering {
  readonly instanceType: string;
  readonly locationType: string;
  readonly location: string;
}

const LOCATION_TYPES = ['region', 'availability-zone', 'availability-zone-id'];

/**
 * DescribeInstanceTypeOfferings: per region (the default), zone or zone id; filters `location`
 * and `instance-type`; MaxResults 5–1000 with NextToken.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html
 */
export function describeInstanceTypeOfferings(ctx: Ec2Context, r: RegionState, p: QueryParams): XmlNode {
  const locationType = p.get('LocationType') ?? 'region';
  if (!LOCATION_TYPES.includes(locationType)) {
    throw new Ec2Error('InvalidParameterValue', `Value (${locationType}) for parameter locationType is invalid. Valid values are: ${LOCATION_TYPES.join(', ')}.`);
  }
  const offerings: Offering[] = [];
  for (const info of INSTANCE_TYPES.values()) {
    const zones = r.availabilityZones.filter((z) => ctx.preconditions.isOffered(r.name, z, info.instanceType));
    if (locationType === 'region') {
      if (zones.length > 0) offerings.push({ instanceType: info.instanceType, locationType, location: r.name });
    } else {
      for (const z of zones) offerings.push({ instanceType: info.instanceType, locationType, location: locationType === 'availability-zone' ? z : zoneId(r.name, z) });
    }
  }
  const key = (o: Offering) => `${o.location}\u0000${o.instanceType}`;
  const sorted = offerings.sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const filtered = applyFilters(sorted, readFilters(p), { location: (o) => o.location, 'instance-type': (o) => o.instanceType });
  const { page, nextToken } = paginate(filtered, key, p.int('MaxResults'), p.get('NextToken'));
  return frag(
    set('instanceTypeOfferingSet', page, (o) => struct({ instanceType: o.instanceType, locationType: o.locationType, location: o.location })),
    el('nextToken', nextToken),
  );
}

function renderType(t: InstanceTypeInfo): XmlNode {
  const threads = t.vcpus === 1 ? 1 : 2;
  return struct({
    instanceType: t.instanceType,
    currentGeneration: t.instanceType !== 'm1.small' && !t.instanceType.startsWith('t2.'),
    supportedUsageClasses: set('supportedUsageClasses', ['on-demand', 'spot'], (u) => ({ xml: u })),
    supportedRootDeviceTypes: set('supportedRootDeviceTypes', ['ebs'], (u) => ({ xml: u })),
    processorInfo: struct({ supportedArchitectures: set('supportedArchitectures', [t.architecture], (a) => ({ xml: a })) }),
    vCpuInfo: struct({ defaultVCpus: t.vcpus, defaultCores: t.vcpus / threads, defaultThreadsPerCore: threads }),
    memoryInfo: struct({ sizeInMiB: t.memoryMiB }),
  });
}

/**
 * DescribeInstanceTypes: the catalog (vCPUs, memory, architecture); named types must all exist
 * (InvalidInstanceType); filters `instance-type`, `vcpu-info.default-vcpus`,
 * `processor-info.supported-architecture`; MaxResults 5–100.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypes.html
 */
export function describeInstanceTypes(_ctx: Ec2Context, _r: RegionState, p: QueryParams): XmlNode {
  const names = p.list('InstanceType');
  const unknown = names.filter((n) => !INSTANCE_TYPES.has(n));
  if (unknown.length > 0) throw new Ec2Error('InvalidInstanceType', `The following supplied instance types do not exist: [${unknown.join(', ')}]`);
  const all = [...INSTANCE_TYPES.values()].filter((t) => names.length === 0 || names.includes(t.instanceType)).sort((a, b) => (a.instanceType < b.instanceType ? -1 : 1));
  const filtered = applyFilters(all, readFilters(p), {
    'instance-type': (t) => t.instanceType,
    'vcpu-info.default-vcpus': (t) => String(t.vcpus),
    'processor-info.supported-architecture': (t) => t.architecture,
  });
  const { page, nextToken } = paginate(filtered, (t) => t.instanceType, p.int('MaxResults'), p.get('NextToken'), { min: 5, max: 100 });
  return frag(set('instanceTypeSet', page, renderType), el('nextToken', nextToken));
}
