import type * as Zod from 'zod';
import type { SeededRandom } from '../random.js';
import { Ec2Error } from './errors.js';
import { zod } from './zod.js';

/** The schemas of a fault configuration, built on first use (zod is loaded then: `zod.ts`). */
function buildSchemas(z: typeof Zod) {
  const TagsSchema = z.record(z.string(), z.string());

  /** Any error code on the Nth (and the following `count - 1`) matching calls of an operation. */
  const ErrorFaultSchema = z.strictObject({
    /** Operation name (`CopyImage`) or `*`. */
    operation: z.string().min(1),
    code: z.string().min(1),
    message: z.string().optional(),
    /** HTTP status; defaults to the status AWS uses for the code (400 otherwise). */
    status: z.number().int().min(300).max(599).optional(),
    /** 1-based index of the first matching call that fails, counted from when the fault was set. @default 1 */
    nth: z.number().int().min(1).default(1),
    /** How many consecutive matching calls fail from the Nth on. @default 1 */
    count: z.number().int().min(1).default(1),
    region: z.string().optional(),
  });

  /** An image (created or copied) that ends `failed` instead of `available`. */
  const ImageFailureFaultSchema = z.strictObject({
    /** Which images: made by CreateImage, by CopyImage, or either. @default 'any' */
    kind: z.enum(['create', 'copy', 'any']).default('any'),
    region: z.string().optional(),
    sourceInstanceId: z.string().optional(),
    sourceImageId: z.string().optional(),
    /** AMI name pattern, `*` and `?` wildcards. */
    name: z.string().optional(),
    /** Every tag must match (image tags from TagSpecification and copied tags). */
    tags: TagsSchema.optional(),
    reasonCode: z.string().default('Server.InternalError'),
    reasonMessage: z.string().default('Server.InternalError: Internal error'),
    /** How many images this fault fails before it is used up; absent = every matching image. */
    times: z.number().int().min(1).optional(),
  });

  /** RunInstances answers InsufficientInstanceCapacity for this type (in this subnet / AZ). */
  const CapacityFaultSchema = z.strictObject({
    instanceType: z.string().min(1),
    subnetId: z.string().optional(),
    availabilityZone: z.string().optional(),
    region: z.string().optional(),
  });

  /** Instances whose status checks end `impaired` instead of `ok`. */
  const ImpairedFaultSchema = z.strictObject({
    region: z.string().optional(),
    instanceIds: z.array(z.string()).optional(),
    instanceType: z.string().optional(),
    imageId: z.string().optional(),
    tags: TagsSchema.optional(),
  });

  /**
   * Every fault the EC2 sandbox can inject. Random decisions (throttling) come from the service's
   * seeded generator, so the same seed and the same calls give the same faults.
   */
  const FaultConfigSchema = z.strictObject({
    /** Fraction (0..1) of calls answered `RequestLimitExceeded` (503), per operation or `*`. */
    throttle: z.record(z.string(), z.number().min(0).max(1)).optional(),
    errors: z.array(ErrorFaultSchema).optional(),
    imageFailures: z.array(ImageFailureFaultSchema).optional(),
    capacity: z.array(CapacityFaultSchema).optional(),
    /** Concurrent CopyImage operations per destination region before `ResourceLimitExceeded`. @default 50 */
    concurrentCopyLimit: z.number().int().min(0).optional(),
    /**
     * Concurrent snapshot copies per destination region before `ResourceLimitExceeded`; a CopyImage
     * copies every snapshot of its source, so it needs one slot per snapshot. @default 20
     */
    concurrentSnapshotCopyLimit: z.number().int().min(0).optional(),
    impaired: z.array(ImpairedFaultSchema).optional(),
    /** Regions whose endpoint is unreachable. */
    outages: z.array(z.string()).optional(),
    /**
     * Eventual consistency: for this long after creation, a resource named by explicit id in a
     * Describe call (or TerminateInstances) answers `.NotFound`, as AWS may briefly do.
     */
    eventualConsistency: z
      .strictObject({
        windowSeconds: z.number().min(0),
        /** Operations affected. @default every operation that looks resources up by id */
        operations: z.array(z.string()).optional(),
      })
      .optional(),
  });
  return { FaultConfigSchema, ImageFailureFaultSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

export type FaultConfig = Zod.input<Schemas['FaultConfigSchema']>;
type ParsedFaults = Zod.output<Schemas['FaultConfigSchema']>;
export type ImageFailureFault = Zod.output<Schemas['ImageFailureFaultSchema']>;

/**
 * The default concurrent AMI-copy limit per destination region (EC2 User Guide, "Copy an AMI":
 * destination regions are limited to 50 concurrent AMI copies).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/CopyingAMIs.html
 */
export const DEFAULT_CONCURRENT_COPY_LIMIT = 50;

/**
 * The default concurrent snapshot-copy limit per destination region (Amazon EBS quotas,
 * "Concurrent snapshot copies per destination Region": 20).
 * @see https://docs.aws.amazon.com/general/latest/gr/ebs-service.html
 */
export const DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT = 20;

/** Parses a fault configuration, reporting every problem with its path. */
export function parseFaults(input: unknown, where: string): ParsedFaults {
  schemas ??= buildSchemas(zod());
  const r = schemas.FaultConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${where} › ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new TypeError(lines.join('\n'));
}

/** What an image looks like to the image-failure matcher. */
export interface ImageFacts {
  readonly kind: 'create' | 'copy';
  readonly region: string;
  readonly name: string;
  readonly sourceInstanceId?: string;
  readonly sourceImageId?: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** What an instance looks like to the impaired matcher. */
export interface InstanceFacts {
  readonly region: string;
  readonly instanceId: string;
  readonly instanceType: string;
  readonly imageId: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** Converts `*`/`?` wildcards to an anchored regular expression. */
export function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function tagsMatch(want: Record<string, string> | undefined, have: ReadonlyMap<string, string>): boolean {
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => have.get(k) === v);
}

/** The live fault state: configuration plus the counters it needs. */
export class FaultInjector {
  private config: ParsedFaults = {};
  private errorCounters: number[] = [];
  private imageFailureUses: number[] = [];
  private readonly outages = new Set<string>();

  constructor(
    private readonly random: SeededRandom,
    initial?: FaultConfig,
  ) {
    if (initial) this.set(initial);
  }

  /** Replaces the whole configuration and resets the counters. */
  set(input: unknown): void {
    const parsed = parseFaults(input, 'ec2 faults');
    this.config = parsed;
    this.errorCounters = (parsed.errors ?? []).map(() => 0);
    this.imageFailureUses = (parsed.imageFailures ?? []).map(() => 0);
    this.outages.clear();
    for (const r of parsed.outages ?? []) this.outages.add(r);
  }

  /** Removes every fault. */
  clear(): void {
    this.set({});
  }

  /** Marks a region down or up. */
  setOutage(region: string, isDown: boolean): void {
    if (isDown) this.outages.add(region);
    else this.outages.delete(region);
  }

  isDown(region: string): boolean {
    return this.outages.has(region);
  }

  /** The current configuration, as JSON. */
  snapshot(): unknown {
    return { ...this.config, outages: [...this.outages] };
  }

  get concurrentCopyLimit(): number {
    return this.config.concurrentCopyLimit ?? DEFAULT_CONCURRENT_COPY_LIMIT;
  }

  get concurrentSnapshotCopyLimit(): number {
    return this.config.concurrentSnapshotCopyLimit ?? DEFAULT_CONCURRENT_SNAPSHOT_COPY_LIMIT;
  }

  /**
   * Called before every operation: throws the injected throttling or Nth-call error, if any.
   * Throttling is decided first (one seeded draw per call that has a rate), then the counters.
   */
  beforeCall(operation: string, region: string): void {
    const rate = this.config.throttle?.[operation] ?? this.config.throttle?.['*'];
    if (rate !== undefined && rate > 0 && this.random.float() < rate) {
      throw new Ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
    }
    const errors = this.config.errors ?? [];
    for (let i = 0; i < errors.length; i++) {
      const f = errors[i]!;
      if (f.operation !== '*' && f.operation !== operation) continue;
      if (f.region !== undefined && f.region !== region) continue;
      const n = ++this.errorCounters[i]!;
      if (n >= f.nth && n < f.nth + f.count) {
        throw new Ec2Error(f.code, f.message ?? `Injected fault: ${f.code} on call ${n} of ${operation}.`, f.status);
      }
    }
  }

  /** The failure reason for a new image, or undefined when it should succeed. Uses up `times`. */
  imageFailure(img: ImageFacts): { code: string; message: string } | undefined {
    const faults = this.config.imageFailures ?? [];
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i]!;
      if (f.kind !== 'any' && f.kind !== img.kind) continue;
      if (f.region !== undefined && f.region !== img.region) continue;
      if (f.sourceInstanceId !== undefined && f.sourceInstanceId !== img.sourceInstanceId) continue;
      if (f.sourceImageId !== undefined && f.sourceImageId !== img.sourceImageId) continue;
      if (f.name !== undefined && !wildcard(f.name).test(img.name)) continue;
      if (!tagsMatch(f.tags, img.tags)) continue;
      if (f.times !== undefined && this.imageFailureUses[i]! >= f.times) continue;
      this.imageFailureUses[i]!++;
      return { code: f.reasonCode, message: f.reasonMessage };
    }
    return undefined;
  }

  /** True when a resource created at `createdAtMs` is not yet visible to `operation` by id. */
  isNotYetVisible(operation: string, createdAtMs: number, now: number): boolean {
    const ec = this.config.eventualConsistency;
    if (!ec || ec.windowSeconds <= 0) return false;
    if (ec.operations !== undefined && !ec.operations.includes(operation)) return false;
    return now - createdAtMs < ec.windowSeconds * 1000;
  }

  /** True when RunInstances of this type in this subnet/AZ has no capacity. */
  hasNoCapacity(region: string, instanceType: string, subnetId: string, availabilityZone: string): boolean {
    return (this.config.capacity ?? []).some(
      (f) =>
        f.instanceType === instanceType &&
        (f.region === undefined || f.region === region) &&
        (f.subnetId === undefined || f.subnetId === subnetId) &&
        (f.availabilityZone === undefined || f.availabilityZone === availabilityZone),
    );
  }

  /** True when this instance's status checks should end `impaired`. */
  isImpaired(inst: InstanceFacts): boolean {
    return (this.config.impaired ?? []).some(
      (f) =>
        (f.region === undefined || f.region === inst.region) &&
        (f.instanceIds === undefined || f.instanceIds.includes(inst.instanceId)) &&
        (f.instanceType === undefined || f.instanceType === inst.instanceType) &&
        (f.imageId === undefined || f.imageId === inst.imageId) &&
        tagsMatch(f.tags, inst.tags),
    );
  }
}
