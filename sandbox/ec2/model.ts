import type { Clock, TimerHandle } from '../clock.js';
import type { SeededRandom } from '../random.js';

/** Tags as EC2 keeps them: insertion-ordered, keys case-sensitive. */
export type Tags = Map<string, string>;

/** The account id AWS uses for Amazon-owned public AMIs (Amazon Linux). */
export const AMAZON_OWNER_ID = '137112412989';

export type ImageState = 'pending' | 'available' | 'failed';

/** One EBS block device mapping of an AMI. */
export interface ImageMapping {
  readonly deviceName: string;
  readonly snapshotId: string;
  readonly volumeSize: number;
  readonly volumeType: string;
  readonly deleteOnTermination: boolean;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
}

export interface ImageRecord {
  readonly imageId: string;
  readonly name: string;
  readonly description?: string;
  readonly ownerId: string;
  readonly ownerAlias?: string;
  readonly isPublic: boolean;
  state: ImageState;
  stateReason?: { code: string; message: string };
  readonly creationDate: string;
  readonly architecture: string;
  readonly blockDeviceMappings: ImageMapping[];
  readonly tags: Tags;
  readonly kind: 'base' | 'create' | 'copy';
  readonly sourceInstanceId?: string;
  readonly sourceImageId?: string;
  readonly sourceImageRegion?: string;
  deprecationTime?: string;
  /** When it will turn available/failed (epoch ms), while pending. */
  readyAt?: number;
}

export type SnapshotState = 'pending' | 'completed' | 'error';

export interface SnapshotRecord {
  readonly snapshotId: string;
  readonly volumeId: string;
  readonly ownerId: string;
  state: SnapshotState;
  readonly startTime: number;
  /** When it completes (epoch ms): progress is interpolated from start to here. */
  readonly doneAt: number;
  completionTime?: number;
  readonly volumeSize: number;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
  readonly description: string;
  readonly tags: Tags;
  stateMessage?: string;
}

export interface VolumeRecord {
  readonly volumeId: string;
  readonly deviceName: string;
  readonly sizeGiB: number;
  readonly encrypted: boolean;
  readonly kmsKeyId?: string;
  readonly volumeType: string;
  readonly snapshotId?: string;
  readonly tags: Tags;
  readonly deleteOnTermination: boolean;
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** Instance state codes (low byte). @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html */
export const INSTANCE_STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export type StatusCheck = 'initializing' | 'ok' | 'impaired';

export interface InstanceRecord {
  readonly instanceId: string;
  readonly reservationId: string;
  readonly imageId: string;
  readonly instanceType: string;
  state: InstanceStateName;
  readonly launchTime: number;
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly privateIpAddress: string;
  readonly securityGroups: { groupId: string; groupName: string }[];
  readonly keyName?: string;
  readonly iamInstanceProfile?: { arn: string; id: string };
  readonly clientToken?: string;
  readonly tags: Tags;
  readonly volumes: VolumeRecord[];
  readonly amiLaunchIndex: number;
  readonly architecture: string;
  stateReason?: { code: string; message: string };
  reason: string;
  status: StatusCheck;
  /** When status checks finished (ok or impaired). */
  statusAt?: number;
  terminatedAt?: number;
}

export interface ReservationRecord {
  readonly reservationId: string;
  readonly ownerId: string;
  readonly instanceIds: string[];
}

export interface SubnetRecord {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly cidrBlock: string;
  readonly isDefaultForAz: boolean;
  readonly tags: Tags;
}

export interface SecurityGroupRecord {
  readonly groupId: string;
  readonly groupName: string;
  readonly description: string;
  readonly vpcId: string;
  readonly tags: Tags;
}

export interface VpcRecord {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly isDefault: boolean;
  readonly tags: Tags;
}

export interface LaunchTemplateRecord {
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
  readonly createTime: number;
  readonly data: {
    readonly imageId?: string;
    readonly instanceType?: string;
    readonly keyName?: string;
    readonly securityGroupIds?: string[];
    readonly iamInstanceProfileArn?: string;
    readonly tags?: { resourceType: string; key: string; value: string }[];
  };
  readonly tags: Tags;
}

/** A remembered idempotent call: the canonical parameters and what it created. */
export interface TokenRecord {
  readonly fingerprint: string;
  readonly result: string;
}

/** Everything one simulated region holds. */
export class RegionState {
  readonly images = new Map<string, ImageRecord>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly reservations = new Map<string, ReservationRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly subnets = new Map<string, SubnetRecord>();
  readonly securityGroups = new Map<string, SecurityGroupRecord>();
  readonly vpcs = new Map<string, VpcRecord>();
  readonly launchTemplates = new Map<string, LaunchTemplateRecord>();
  /** ClientToken → call, per operation (`RunInstances:token`). Scoped to the region, as on AWS. */
  readonly tokens = new Map<string, TokenRecord>();
  readonly availabilityZones: string[];
  /** The account's default EBS KMS key in this region (`aws/ebs`). */
  readonly defaultKmsKeyId: string;
  defaultVpcId = '';
  defaultSecurityGroupId = '';

  constructor(
    readonly name: string,
    readonly accountId: string,
    ids: IdGenerator,
  ) {
    this.availabilityZones = ['a', 'b', 'c'].map((s) => `${name}${s}`);
    this.defaultKmsKeyId = `arn:aws:kms:${name}:${accountId}:key/${ids.uuid()}`;
  }
}

/** AWS-format resource ids from the seeded generator: prefix + 17 lowercase hex digits. */
export class IdGenerator {
  constructor(private readonly random: SeededRandom) {}

  next(prefix: string): string {
    return `${prefix}-${this.random.hex(17)}`;
  }

  uuid(): string {
    return this.random.uuid();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return this.random.int(n);
  }
}

/**
 * State transitions due at computed times. Each is registered as a clock timer (so a virtual
 * clock jumps to it when idle) and is also applied lazily, in time order, before any request is
 * served, so what a client sees depends only on `clock.now()`.
 */
export class TransitionQueue {
  private readonly pending: { at: number; seq: number; apply: () => void; handle?: TimerHandle }[] = [];
  private seq = 0;

  constructor(private readonly clock: Clock) {}

  /** Schedules `apply` at `atMs`. */
  at(atMs: number, apply: () => void): void {
    const entry: { at: number; seq: number; apply: () => void; handle?: TimerHandle } = { at: atMs, seq: this.seq++, apply };
    this.pending.push(entry);
    entry.handle = this.clock.setTimer(atMs, () => this.runDue());
  }

  /** Applies every transition due at or before now, earliest first. */
  runDue(): void {
    const now = this.clock.now();
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.pending.length; i++) {
        const e = this.pending[i]!;
        if (e.at > now) continue;
        const b = best < 0 ? undefined : this.pending[best]!;
        if (!b || e.at < b.at || (e.at === b.at && e.seq < b.seq)) best = i;
      }
      if (best < 0) return;
      const [e] = this.pending.splice(best, 1);
      e!.apply();
    }
  }

  /** Cancels everything (used on dispose). */
  clear(): void {
    for (const e of this.pending) if (e.handle) this.clock.clearTimer(e.handle);
    this.pending.length = 0;
  }

  get size(): number {
    return this.pending.length;
  }
}

/** ISO-8601 with milliseconds, as EC2 renders timestamps. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
