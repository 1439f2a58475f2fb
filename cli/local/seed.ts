/**
 * A sandbox fixture for a plan: the protected instances in the primary region (ids as the plan
 * names them, tags that its selectors match) and the subnets and groups of its `failback.launch`
 * and, in the recovery region, the subnets, security groups and launch templates its launch
 * settings and drill settings refer to. The demo and the
 * end-to-end tests seed a sandbox from it, so a plan runs on the sandbox as it is.
 */
import { CreateLaunchTemplateCommand, DescribeLaunchTemplatesCommand, type EC2Client, type _InstanceType } from '@aws-sdk/client-ec2';
import type { Plan } from '../../schemas/plan.js';
import type { SeedInstance } from '../../sandbox/ec2/index.js';

/** What to put in each region. */
export interface SandboxFixture {
  readonly regions: Readonly<Record<string, RegionFixture>>;
}

/** One region's part of a fixture. */
export interface RegionFixture {
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly instances: readonly SeedInstance[];
  readonly launchTemplates: readonly { name: string; instanceType: string }[];
  /** Key pairs the launch settings name (RunInstances refuses a key pair that does not exist). */
  readonly keyPairs?: readonly string[];
  /** The customer-managed KMS key the copies use (by id or alias), created enabled. */
  readonly kmsKeys?: readonly { keyId?: string; alias?: string }[];
  /** Instance profiles (ARNs) the launch settings name (IAM is global; created once). */
  readonly instanceProfileArns?: readonly string[];
  /** Subnets that need more addresses than the sandbox's default /20 gives: their CIDR block by id. */
  readonly subnetCidrs?: Readonly<Record<string, string>>;
}

/** Addresses a /20 subnet hands out on the sandbox (16 × 250). */
const ADDRESSES_PER_SLASH_20 = 4_000;

/**
 * CIDR blocks for the recovery region's subnets when a plan's instances would not fit in a /20
 * (EC2 refuses a launch into a full subnet with InsufficientFreeAddressesInSubnet): a /18 each,
 * room for every instance twice over (a failover after a drill whose instances are still listed).
 * Smaller plans keep the default /20. Blocks are /18s of the default VPC (172.31.0.0/16).
 */
export function recoverySubnetCidrs(subnetIds: readonly string[], instanceCount: number): Record<string, string> {
  if (2 * instanceCount <= ADDRESSES_PER_SLASH_20) return {};
  if (2 * instanceCount > 4 * ADDRESSES_PER_SLASH_20) {
    throw new RangeError(`local fixture: ${instanceCount} instances need more than a /18 subnet of addresses; the local fixture sizes subnets up to /18 (8,000 instances)`);
  }
  return Object.fromEntries(subnetIds.map((id, i) => [id, `172.31.${64 * (1 + (i % 3))}.0/18`]));
}

/** The KMS key a plan's `backup.kmsKeyId` names, as the fixture creates it (none for AWS-managed aliases). */
function kmsKeyOf(ref: string | undefined): { keyId?: string; alias?: string } | undefined {
  if (ref === undefined) return undefined;
  const name = ref.replace(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:/, '');
  if (name.startsWith('alias/aws/')) return undefined;
  if (name.startsWith('alias/')) return { alias: name };
  return { keyId: name.replace(/^key\//, '') };
}

/** Instances a tag selector matches in the fixture. */
const INSTANCES_PER_SELECTOR = 2;

/**
 * Builds the fixture of a plan. Deterministic: the same plan gives the same fixture.
 *
 * @example planFixture(parsePlan(json, 'plan.json')).regions['us-east-1'].instances
 */
export function planFixture(plan: Plan): SandboxFixture {
  const primary: RegionFixture & { instances: SeedInstance[]; subnetIds: string[]; securityGroupIds: string[] } = { subnetIds: [], securityGroupIds: [], instances: [], launchTemplates: [] };
  const recovery = { subnetIds: new Set<string>(), securityGroupIds: new Set<string>(), launchTemplates: new Map<string, string>(), keyPairs: new Set<string>(), instanceProfileArns: new Set<string>() };
  for (const [w, workload] of plan.workloads.entries()) {
    const instanceType = workload.launch.instanceTypes?.[0] ?? 't3.medium';
    const base = { instanceType, volumes: volumesFor(w), tags: { Name: `${plan.name}-${workload.name}`, ...(plan.tags ?? {}) } };
    if (workload.instanceIds) {
      for (const instanceId of workload.instanceIds) primary.instances.push({ ...base, instanceId });
    } else if (workload.tagSelector) {
      for (let i = 0; i < INSTANCES_PER_SELECTOR; i++) {
        primary.instances.push({ ...base, tags: { ...base.tags, Name: `${plan.name}-${workload.name}-${i + 1}`, ...workload.tagSelector } });
      }
    }
    for (const s of workload.launch.subnetIds ?? []) recovery.subnetIds.add(s);
    for (const g of workload.launch.securityGroupIds ?? []) recovery.securityGroupIds.add(g);
    if (workload.launch.keyName) recovery.keyPairs.add(workload.launch.keyName);
    if (workload.launch.instanceProfileArn) recovery.instanceProfileArns.add(workload.launch.instanceProfileArn);
    const template = workload.launch.launchTemplate;
    if (template?.name) recovery.launchTemplates.set(template.name, instanceType);
  }
  for (const s of plan.drill.isolatedSubnetIds) recovery.subnetIds.add(s);
  // The primary region's network a failback launches into (failback.launch).
  const primarySubnets = new Set<string>();
  const primaryGroups = new Set<string>();
  const primaryKeyPairs = new Set<string>();
  const primaryProfiles = new Set<string>();
  for (const launch of Object.values(plan.failback?.launch ?? {})) {
    for (const s of launch.subnetIds) primarySubnets.add(s);
    for (const g of launch.securityGroupIds) primaryGroups.add(g);
    if (launch.keyName) primaryKeyPairs.add(launch.keyName);
    if (launch.instanceProfileArn) primaryProfiles.add(launch.instanceProfileArn);
  }
  primary.subnetIds = [...primarySubnets];
  primary.securityGroupIds = [...primaryGroups];
  // What a failback's copies and launches into the primary region need there (the sandbox's EC2
  // refuses a missing key pair or instance profile and a missing or disabled KMS key, as AWS does).
  Object.assign(primary, {
    keyPairs: [...primaryKeyPairs],
    instanceProfileArns: [...primaryProfiles],
    kmsKeys: [kmsKeyOf(plan.failback?.kmsKeyId)].filter((k): k is { keyId?: string; alias?: string } => k !== undefined),
  });
  for (const g of plan.drill.securityGroupIds ?? []) recovery.securityGroupIds.add(g);
  return {
    regions: {
      [plan.primaryRegion]: primary,
      [plan.recoveryRegion]: {
        subnetIds: [...recovery.subnetIds],
        subnetCidrs: recoverySubnetCidrs([...recovery.subnetIds], primary.instances.length),
        securityGroupIds: [...recovery.securityGroupIds],
        instances: [],
        launchTemplates: [...recovery.launchTemplates].map(([name, instanceType]) => ({ name, instanceType })),
        keyPairs: [...recovery.keyPairs],
        instanceProfileArns: [...recovery.instanceProfileArns],
        kmsKeys: [kmsKeyOf(plan.backup.kmsKeyId)].filter((k): k is { keyId?: string; alias?: string } => k !== undefined),
      },
    },
  };
}

/** A root volume, and a data volume on every other workload, so copies differ in size. */
function volumesFor(index: number): SeedInstance['volumes'] {
  const root = { sizeGiB: 16, deviceName: '/dev/xvda' };
  return index % 2 === 1 ? [root, { sizeGiB: 100, deviceName: '/dev/xvdb' }] : [root];
}

/** Instances per `ec2.seed-instances` request (each well under the admin API's 8 MiB body). */
const SEED_PART = 1000;

/**
 * Puts a fixture into a sandbox's EC2 through its public surfaces only: the admin API
 * (`POST /_sandbox/ec2.seed-network`, `ec2.seed-instances`, `ec2.state`) for what has no EC2 API,
 * and the EC2 API (DescribeLaunchTemplates, CreateLaunchTemplate; pass a client that retries, as
 * faults may be injected) for the rest, so it works the same on an
 * in-process sandbox and on one run by `lifeboat sandbox`. Idempotent: instances already there
 * (by id, or by Name tag for selector-matched ones) are not seeded again.
 *
 * @returns the seeded instance ids per region
 */
export async function applyFixture(
  endpoint: string,
  fixture: SandboxFixture,
  ec2Client: (region: string) => EC2Client,
): Promise<Record<string, string[]>> {
  const seeded: Record<string, string[]> = {};
  for (const [region, r] of Object.entries(fixture.regions)) {
    const client = ec2Client(region);
    await admin(endpoint, 'ec2.seed-network', {
      region,
      subnets: r.subnetIds.map((subnetId) => ({ subnetId, ...(r.subnetCidrs?.[subnetId] !== undefined ? { cidrBlock: r.subnetCidrs[subnetId] } : {}) })),
      securityGroups: r.securityGroupIds.map((groupId) => ({ groupId })),
      keyPairs: r.keyPairs ?? [],
    });
    for (const key of r.kmsKeys ?? []) await admin(endpoint, 'kms.create-key', { region, ...key });
    for (const arn of r.instanceProfileArns ?? []) await admin(endpoint, 'iam.create-instance-profile', { arn });
    const present = await liveInstances(endpoint, region);
    const fresh = r.instances.filter((i) => (i.instanceId ? !present.ids.has(i.instanceId) : !present.names.has(i.tags?.Name ?? '')));
    // In parts: the admin API takes at most 8 MiB a request, and 10,000 instances with long tags
    // (5,000 tag selectors of a 128-character key and 256-character values) are more.
    seeded[region] = [];
    for (let i = 0; i < fresh.length; i += SEED_PART) {
      const part = fresh.slice(i, i + SEED_PART);
      seeded[region].push(...((await admin(endpoint, 'ec2.seed-instances', { region, instances: part })) as { instanceIds: string[] }).instanceIds);
    }
    for (const t of r.launchTemplates) {
      const found = await client
        .send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [t.name] }))
        .then((out) => (out.LaunchTemplates ?? []).length > 0)
        .catch(() => false);
      if (!found) {
        await client.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: t.name, LaunchTemplateData: { InstanceType: t.instanceType as _InstanceType } }));
      }
    }
  }
  return seeded;
}

/**
 * Ids and Name tags of the instances that are not terminated, read through the admin API's state
 * dump rather than DescribeInstances, so that seeding is not subject to injected EC2 faults
 * (throttling, an outage of the primary region) meant for the run itself.
 */
async function liveInstances(endpoint: string, region: string): Promise<{ ids: Set<string>; names: Set<string> }> {
  const state = (await admin(endpoint, 'ec2.state', { region })) as {
    regions: Record<string, { instances: { instanceId: string; state: string; tags: Record<string, string> }[] }>;
  };
  const live = (state.regions[region]?.instances ?? []).filter((i) => i.state !== 'terminated' && i.state !== 'shutting-down');
  return { ids: new Set(live.map((i) => i.instanceId)), names: new Set(live.map((i) => i.tags.Name).filter((n): n is string => n !== undefined)) };
}

/** Calls the sandbox's admin API; throws with the sandbox's message on an error status. */
async function admin(endpoint: string, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${endpoint.replace(/\/$/, '')}/_sandbox/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox admin ${action}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}
