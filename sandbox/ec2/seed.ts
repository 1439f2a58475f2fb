import type * as Zod from 'zod';
import type { Ec2Context } from './context.js';
import { iso, type InstanceRecord, type RegionState, type VolumeRecord } from './model.js';
import { seedSecurityGroup, seedSubnet } from './network.js';
import { addInstance } from './occupancy.js';
import { zod } from './zod.js';

/** The schema of seeded instances, built on first use (zod is loaded then: `zod.ts`). */
function buildSchemas(z: typeof Zod) {
  const TagsSchema = z.record(z.string(), z.string());

  /** One instance to put in a region as if it had been running for a while. */
  const SeedInstanceSchema = z.strictObject({
    instanceId: z.string().regex(/^i-([0-9a-f]{8}|[0-9a-f]{17})$/, 'expected "i-" and 8 or 17 lowercase hex digits').optional(),
    instanceType: z.string().min(1),
    /** Created in the default VPC when unknown. @default the default subnet of the first zone */
    subnetId: z.string().optional(),
    /** @default the region's first Amazon base image */
    imageId: z.string().optional(),
    /** Created when unknown. @default the default group */
    securityGroupIds: z.array(z.string()).optional(),
    keyName: z.string().optional(),
    tags: TagsSchema.default({}),
    /** @default one 8 GiB unencrypted gp3 root volume */
    volumes: z
      .array(
        z.strictObject({
          sizeGiB: z.number().int().min(1).max(65536),
          encrypted: z.boolean().default(false),
          kmsKeyId: z.string().optional(),
          deviceName: z.string().optional(),
          volumeType: z.string().default('gp3'),
        }),
      )
      .min(1)
      .optional(),
    state: z.enum(['running', 'stopped']).default('running'),
  });
  return { SeedInstanceSchema, SeedInstancesSchema: z.array(SeedInstanceSchema) };
}

let schemas: ReturnType<typeof buildSchemas> | undefined;

export type SeedInstance = Zod.input<ReturnType<typeof buildSchemas>['SeedInstanceSchema']>;

/** Formats zod issues as `where › path: message` lines. */
export function zodProblems(error: Zod.ZodError, where: string): string {
  return error.issues.map((i) => `${where} › ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/**
 * Puts instances into a region, `running` (status `ok`) or `stopped`, launched a day before now,
 * with their volumes; unknown subnets and groups are created in the default VPC so a fixture's
 * ids work as given. Returns the instance ids in order.
 */
export function seedInstances(ctx: Ec2Context, r: RegionState, specs: unknown): string[] {
  schemas ??= buildSchemas(zod());
  const parsed = schemas.SeedInstancesSchema.safeParse(specs);
  if (!parsed.success) throw new TypeError(zodProblems(parsed.error, `ec2 seed-instances (${r.name})`));
  const now = ctx.clock.now();
  const ids: string[] = [];
  for (const [index, spec] of parsed.data.entries()) {
    const where = `ec2 seed-instances (${r.name}) › [${index}]`;
    if (spec.instanceId && r.instances.has(spec.instanceId)) throw new TypeError(`${where}.instanceId: expected a new id, found ${JSON.stringify(spec.instanceId)} already in ${r.name}`);
    const subnet = spec.subnetId ? seedSubnet(ctx, r, { subnetId: spec.subnetId }) : [...r.subnets.values()].find((s) => s.isDefaultForAz)!;
    const groups = (spec.securityGroupIds ?? [r.defaultSecurityGroupId]).map((g) => seedSecurityGroup(ctx, r, { groupId: g }));
    const imageId = spec.imageId ?? [...r.images.values()].find((i) => i.kind === 'base')!.imageId;
    const image = r.images.get(imageId);
    if (!image) throw new TypeError(`${where}.imageId: expected an image in ${r.name}, found ${JSON.stringify(imageId)}`);
    const instanceId = spec.instanceId ?? ctx.ids.next('i');
    const reservationId = ctx.ids.next('r');
    const volumes: VolumeRecord[] = (spec.volumes ?? [{ sizeGiB: 8, encrypted: false, volumeType: 'gp3' }]).map((v, i) => ({
      volumeId: ctx.ids.next('vol'),
      deviceName: v.deviceName ?? (i === 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode(102 + i - 1)}`),
      sizeGiB: v.sizeGiB,
      encrypted: v.encrypted,
      kmsKeyId: v.encrypted ? (v.kmsKeyId ?? r.defaultKmsKeyId) : undefined,
      volumeType: v.volumeType,
      tags: new Map(),
      deleteOnTermination: i === 0,
    }));
    for (const v of volumes) r.volumes.set(v.volumeId, v);
    const launchTime = now - 24 * 3600 * 1000;
    const inst: InstanceRecord = {
      instanceId,
      reservationId,
      imageId,
      instanceType: spec.instanceType,
      state: spec.state,
      launchTime,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      privateIpAddress: `${subnet.cidrBlock.split('.').slice(0, 2).join('.')}.${ctx.ids.int(16) + Number(subnet.cidrBlock.split('.')[2])}.${4 + ctx.ids.int(250)}`,
      securityGroups: groups.map((g) => ({ groupId: g.groupId, groupName: g.groupName })),
      keyName: spec.keyName,
      tags: new Map(Object.entries(spec.tags)),
      volumes,
      amiLaunchIndex: 0,
      architecture: image.architecture,
      reason: spec.state === 'stopped' ? `User initiated (${iso(launchTime)})` : '',
      status: 'ok',
      statusAt: launchTime + 120_000,
    };
    addInstance(r, inst);
    r.reservations.set(reservationId, { reservationId, ownerId: ctx.accountId, instanceIds: [instanceId] });
    ids.push(instanceId);
  }
  return ids;
}
