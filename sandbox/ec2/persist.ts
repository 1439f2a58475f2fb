/**
 * The EC2 sandbox's state as one plain-JSON document, so that a sandbox with a data directory can
 * stop and start again where it left off: every region's resources, idempotency tokens, the
 * pending state transitions (with their absolute due times) and the id generator's position.
 * Faults and outages are configuration, not state: they are not part of it.
 */
import type { IdGenerator, RegionState, ScheduledTransition, Transition } from './model.js';
import { RegionState as Region } from './model.js';
import { recountOccupancy } from './occupancy.js';

/** The version of {@link Ec2Snapshot} this code writes and reads. */
export const EC2_SNAPSHOT_VERSION = 1;

/** One region's resources (records as plain JSON; tag maps as `{"$map": [[key, value], …]}`). */
export interface RegionSnapshot {
  readonly defaultKmsKeyId: string;
  readonly defaultVpcId: string;
  readonly defaultSecurityGroupId: string;
  readonly images: unknown[];
  readonly snapshots: unknown[];
  readonly instances: unknown[];
  readonly reservations: unknown[];
  readonly volumes: unknown[];
  readonly subnets: unknown[];
  readonly securityGroups: unknown[];
  readonly vpcs: unknown[];
  readonly launchTemplates: unknown[];
  /** Absent in snapshots written before key pairs existed. */
  readonly keyPairs?: unknown[];
  /** `[operation:token, {fingerprint, result}]` pairs. */
  readonly tokens: [string, unknown][];
}

/** Everything the EC2 sandbox needs to carry on after a restart. */
export interface Ec2Snapshot {
  readonly version: typeof EC2_SNAPSHOT_VERSION;
  /** The simulated time when it was taken (epoch ms): a restarted clock must not start before it. */
  readonly takenAtMs: number;
  /** {@link IdGenerator.position}: how far the seeded id stream had gone. */
  readonly idPosition: number;
  readonly regions: Record<string, RegionSnapshot>;
  /** Pending transitions, in the order they apply. */
  readonly transitions: ScheduledTransition[];
}

type MapKey = Exclude<keyof RegionSnapshot, 'defaultKmsKeyId' | 'defaultVpcId' | 'defaultSecurityGroupId' | 'tokens' | 'keyPairs'>;
const RECORD_MAPS: readonly MapKey[] = ['images', 'snapshots', 'instances', 'reservations', 'volumes', 'subnets', 'securityGroups', 'vpcs', 'launchTemplates'];
/** The id member of each kind of record (its key in the region's map). */
const ID_OF: Record<MapKey, string> = {
  images: 'imageId',
  snapshots: 'snapshotId',
  instances: 'instanceId',
  reservations: 'reservationId',
  volumes: 'volumeId',
  subnets: 'subnetId',
  securityGroups: 'groupId',
  vpcs: 'vpcId',
  launchTemplates: 'launchTemplateId',
};

/** Deep copy to plain JSON; `Map`s (tags) become `{"$map": entries}` so their order survives. */
function encode(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value.entries()].map(([k, v]) => [k, encode(v)]) };
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encode(v);
    return out;
  }
  return value;
}

/** The inverse of {@link encode}. */
function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$map' && Array.isArray(o.$map)) {
      return new Map((o.$map as [string, unknown][]).map(([k, v]) => [k, decode(v)]));
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = decode(v);
    return out;
  }
  return value;
}

/** Takes a snapshot of the regions, the pending transitions and the id position. */
export function snapshotEc2(regions: ReadonlyMap<string, RegionState>, transitions: ScheduledTransition[], ids: IdGenerator, nowMs: number): Ec2Snapshot {
  const out: Record<string, RegionSnapshot> = {};
  for (const [name, r] of regions) {
    const maps = Object.fromEntries(RECORD_MAPS.map((k) => [k, [...r[k].values()].map(encode)])) as Record<MapKey, unknown[]>;
    out[name] = {
      defaultKmsKeyId: r.defaultKmsKeyId,
      defaultVpcId: r.defaultVpcId,
      defaultSecurityGroupId: r.defaultSecurityGroupId,
      ...maps,
      keyPairs: [...r.keyPairs.values()].map(encode),
      tokens: [...r.tokens.entries()].map(([k, v]) => [k, encode(v)]),
    };
  }
  return { version: EC2_SNAPSHOT_VERSION, takenAtMs: nowMs, idPosition: ids.position, regions: out, transitions: transitions.map((t) => encode(t) as ScheduledTransition) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TRANSITION_KINDS = new Set<Transition['kind']>(['snapshot-done', 'image-ready', 'instance-running', 'instance-status', 'instance-terminated', 'instance-stopped']);

/**
 * Checks the shape of a snapshot read back from disk (enough to rebuild from it safely).
 *
 * @throws TypeError naming the member that is wrong and what was found.
 */
export function checkEc2Snapshot(value: unknown): Ec2Snapshot {
  const where = 'ec2 snapshot';
  if (!isObject(value)) throw new TypeError(`${where}: expected a JSON object, found ${JSON.stringify(value)?.slice(0, 80)}`);
  if (value.version !== EC2_SNAPSHOT_VERSION) throw new TypeError(`${where} › version: expected ${EC2_SNAPSHOT_VERSION}, found ${JSON.stringify(value.version)}`);
  if (typeof value.takenAtMs !== 'number' || !Number.isFinite(value.takenAtMs)) throw new TypeError(`${where} › takenAtMs: expected epoch ms, found ${JSON.stringify(value.takenAtMs)}`);
  if (!Number.isInteger(value.idPosition) || (value.idPosition as number) < 0) throw new TypeError(`${where} › idPosition: expected an integer ≥ 0, found ${JSON.stringify(value.idPosition)}`);
  if (!isObject(value.regions)) throw new TypeError(`${where} › regions: expected an object of region name → region, found ${JSON.stringify(value.regions)?.slice(0, 80)}`);
  for (const [name, r] of Object.entries(value.regions)) {
    if (!isObject(r)) throw new TypeError(`${where} › regions.${name}: expected an object, found ${JSON.stringify(r)?.slice(0, 80)}`);
    for (const k of ['defaultKmsKeyId', 'defaultVpcId', 'defaultSecurityGroupId']) {
      if (typeof r[k] !== 'string') throw new TypeError(`${where} › regions.${name}.${k}: expected a string, found ${JSON.stringify(r[k])}`);
    }
    for (const k of [...RECORD_MAPS, 'tokens']) {
      if (!Array.isArray(r[k])) throw new TypeError(`${where} › regions.${name}.${k}: expected an array, found ${JSON.stringify(r[k])?.slice(0, 80)}`);
    }
    for (const k of RECORD_MAPS) {
      (r[k] as unknown[]).forEach((rec, i) => {
        if (!isObject(rec) || typeof rec[ID_OF[k]] !== 'string') throw new TypeError(`${where} › regions.${name}.${k}[${i}]: expected a record with a string "${ID_OF[k]}", found ${JSON.stringify(rec)?.slice(0, 80)}`);
      });
    }
  }
  if (!Array.isArray(value.transitions)) throw new TypeError(`${where} › transitions: expected an array, found ${JSON.stringify(value.transitions)?.slice(0, 80)}`);
  value.transitions.forEach((t, i) => {
    const tr = isObject(t) ? t.transition : undefined;
    if (!isObject(t) || typeof t.at !== 'number' || !isObject(tr) || !TRANSITION_KINDS.has(tr.kind as Transition['kind']) || typeof tr.region !== 'string') {
      throw new TypeError(`${where} › transitions[${i}]: expected {at: epoch ms, transition: {kind, region, …}}, found ${JSON.stringify(t)?.slice(0, 120)}`);
    }
  });
  return value as unknown as Ec2Snapshot;
}

/**
 * Rebuilds one region from its snapshot. Instance volumes are relinked to the region's volume
 * records, so a change to one (tags) shows in both, as before the restart.
 */
export function restoreRegion(name: string, accountId: string, s: RegionSnapshot): RegionState {
  const r = new Region(name, accountId, s.defaultKmsKeyId);
  r.defaultVpcId = s.defaultVpcId;
  r.defaultSecurityGroupId = s.defaultSecurityGroupId;
  for (const k of RECORD_MAPS) {
    const map = r[k] as Map<string, unknown>;
    for (const rec of s[k]) {
      const record = decode(rec) as Record<string, unknown>;
      map.set(record[ID_OF[k]] as string, record);
    }
  }
  for (const rec of s.keyPairs ?? []) {
    const record = decode(rec) as { keyName: string };
    r.keyPairs.set(record.keyName, record as never);
  }
  for (const inst of r.instances.values()) {
    const mutable = inst as { volumes: typeof inst.volumes };
    mutable.volumes = inst.volumes.map((v) => r.volumes.get(v.volumeId) ?? v);
  }
  for (const [key, token] of s.tokens) r.tokens.set(key, decode(token) as never);
  recountOccupancy(r);
  return r;
}
