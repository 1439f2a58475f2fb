import type { Clock, TimerHandle } from '../clock.js';
import type { SeededRandom } from '../random.js';
import { IndexedRecords } from './record-index.js';

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
  /** When the instance last became `running` (its application's boot time counts from here). */
  runningAt?: number;
  terminatedAt?: number;
  /** Set at launch when the instance cannot start (an unusable KMS key): it ends `terminated` with this reason instead of `running`. */
  launchFailure?: { code: string; message: string };
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
/** An EC2 key pair (the public half only; the sandbox never holds a private key). */
export interface KeyPairRecord {
  readonly keyName: string;
  readonly keyPairId: string;
  readonly keyFingerprint: string;
  readonly keyType: string;
  readonly createTime: number;
  readonly tags: Tags;
}

export class RegionState {
  /** Indexed by tag, `state` and `name`: the exact-value filters of DescribeImages and the name check of CreateImage/CopyImage (record-index.ts). */
  readonly images = new IndexedRecords<ImageRecord>({ state: (i) => i.state, name: (i) => i.name });
  /** Indexed by tag and `status` (DescribeSnapshots' filter of the state). */
  readonly snapshots = new IndexedRecords<SnapshotRecord>({ status: (s) => s.state });
  readonly instances = new Map<string, InstanceRecord>();
  readonly reservations = new Map<string, ReservationRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly subnets = new Map<string, SubnetRecord>();
  readonly securityGroups = new Map<string, SecurityGroupRecord>();
  readonly vpcs = new Map<string, VpcRecord>();
  readonly launchTemplates = new Map<string, LaunchTemplateRecord>();
  /** Key pairs by name. */
  readonly keyPairs = new Map<string, KeyPairRecord>();
  /** ClientToken → call, per operation (`RunInstances:token`). Scoped to the region, as on AWS. */
  readonly tokens = new Map<string, TokenRecord>();
  /** vCPUs of the pending and running instances of the standard families (kept by occupancy.ts). */
  standardVcpusInUse = 0;
  /** Private IPv4 address (occupancy.ts `addressKey`) → the instances given it, listed or not (kept by occupancy.ts). */
  readonly addressHolders = new Map<number, InstanceRecord[]>();
  readonly availabilityZones: string[];
  /** The account's default EBS KMS key in this region (`aws/ebs`). */
  readonly defaultKmsKeyId: string;
  defaultVpcId = '';
  defaultSecurityGroupId = '';

  /**
   * @param keySource where the default EBS key's id comes from: the id generator (a new region),
   *   or the key ARN itself (a region restored from a snapshot).
   */
  constructor(
    readonly name: string,
    readonly accountId: string,
    keySource: IdGenerator | string,
  ) {
    this.availabilityZones = ['a', 'b', 'c'].map((s) => `${name}${s}`);
    this.defaultKmsKeyId = typeof keySource === 'string' ? keySource : `arn:aws:kms:${name}:${accountId}:key/${keySource.uuid()}`;
  }
}

/**
 * AWS-format resource ids from the seeded generator: prefix + 17 lowercase hex digits.
 *
 * It counts the 32-bit words it draws ({@link IdGenerator.position}), so that a restored sandbox
 * can move a fresh generator of the same seed to where the old one stopped ({@link IdGenerator.skipTo})
 * and never hand out an id it already gave.
 */
export class IdGenerator {
  private drawn = 0;

  constructor(private readonly random: SeededRandom) {}

  /** How many 32-bit words have been drawn so far. */
  get position(): number {
    return this.drawn;
  }

  next(prefix: string): string {
    this.drawn += Math.ceil(17 / 8);
    return `${prefix}-${this.random.hex(17)}`;
  }

  uuid(): string {
    this.drawn += 4;
    return this.random.uuid();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    this.drawn += 1;
    return this.random.int(n);
  }

  /** Draws (and discards) words until {@link position} is `position`; a no-op when already past it. */
  skipTo(position: number): void {
    while (this.drawn < position) {
      this.random.nextUint32();
      this.drawn++;
    }
  }
}

/** Why an image (and its snapshots) will fail, when a fault decided so at creation. */
export interface FailureReason {
  readonly code: string;
  readonly message: string;
}

/**
 * A state change due at a given time, as plain JSON (so pending ones survive a restart). The
 * resource is named by region and id; a transition whose resource is gone, or no longer in the
 * state it expects, does nothing.
 */
export type Transition =
  /** A `pending` snapshot turns `completed` (or `error` with the failure's message). */
  | { readonly kind: 'snapshot-done'; readonly region: string; readonly snapshotId: string; readonly failure?: FailureReason }
  /** A `pending` image turns `available` (or `failed`). */
  | { readonly kind: 'image-ready'; readonly region: string; readonly imageId: string; readonly failure?: FailureReason }
  /** A `pending` instance turns `running` (and its status checks are scheduled). */
  | { readonly kind: 'instance-running'; readonly region: string; readonly instanceId: string }
  /** A running instance's status checks finish (`ok`, or `impaired` when a fault matches then). */
  | { readonly kind: 'instance-status'; readonly region: string; readonly instanceId: string }
  /** A `shutting-down` instance turns `terminated`. */
  | { readonly kind: 'instance-terminated'; readonly region: string; readonly instanceId: string }
  /** A `stopping` instance turns `stopped`. */
  | { readonly kind: 'instance-stopped'; readonly region: string; readonly instanceId: string };

/** The id of the resource a transition changes. */
export function resourceOf(t: Transition): string {
  switch (t.kind) {
    case 'snapshot-done':
      return t.snapshotId;
    case 'image-ready':
      return t.imageId;
    default:
      return t.instanceId;
  }
}

/** A scheduled transition as {@link TransitionQueue.snapshot} lists it. */
export interface ScheduledTransition {
  /** Epoch ms (simulated time) at which it applies. */
  readonly at: number;
  readonly transition: Transition;
}

interface QueueEntry {
  readonly at: number;
  readonly seq: number;
  readonly transition: Transition;
  handle?: TimerHandle;
}

/**
 * State transitions due at computed times. Each is registered as a clock timer (so a virtual
 * clock jumps to it when idle) and is also applied lazily, in time order, before any request is
 * served, so what a client sees depends only on `clock.now()`. Transitions are data (see
 * {@link Transition}); `apply` carries them out, and `onApplied` hears that state changed.
 */
export class TransitionQueue {
  private readonly pending: QueueEntry[] = [];
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly apply: (transition: Transition, at: number) => void,
    private readonly onApplied: () => void = () => {},
  ) {}

  /** Schedules `transition` at `atMs`. */
  at(atMs: number, transition: Transition): void {
    const entry: QueueEntry = { at: atMs, seq: this.seq++, transition };
    this.pending.push(entry);
    entry.handle = this.clock.setTimer(atMs, () => this.runDue());
  }

  /** Applies every transition due at or before now, earliest first. */
  runDue(): void {
    const now = this.clock.now();
    let applied = false;
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.pending.length; i++) {
        const e = this.pending[i]!;
        if (e.at > now) continue;
        const b = best < 0 ? undefined : this.pending[best]!;
        if (!b || e.at < b.at || (e.at === b.at && e.seq < b.seq)) best = i;
      }
      if (best < 0) break;
      const [e] = this.pending.splice(best, 1);
      if (e!.handle) this.clock.clearTimer(e!.handle);
      this.apply(e!.transition, e!.at);
      applied = true;
    }
    if (applied) this.onApplied();
  }

  /** The earliest pending transition of resource `id` (an image, instance or snapshot id), and when it applies. */
  nextFor(id: string): ScheduledTransition | undefined {
    let best: QueueEntry | undefined;
    for (const e of this.pending) {
      if (resourceOf(e.transition) === id && (!best || e.at < best.at || (e.at === best.at && e.seq < best.seq))) best = e;
    }
    return best && { at: best.at, transition: best.transition };
  }

  /** The transitions not yet applied, in the order they will apply (plain JSON). */
  snapshot(): ScheduledTransition[] {
    return [...this.pending].sort((a, b) => a.at - b.at || a.seq - b.seq).map((e) => ({ at: e.at, transition: e.transition }));
  }

  /** Cancels everything (used on dispose and reset). */
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
