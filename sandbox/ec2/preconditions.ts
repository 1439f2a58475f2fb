/**
 * What EC2 checks before it launches or copies anything, beyond its own resources: who may call
 * which action (UnauthorizedOperation), which instance types each zone offers (Unsupported,
 * DescribeInstanceTypeOfferings), the On-Demand vCPU quota (VcpuLimitExceeded), and the KMS keys
 * and instance profiles that live in other services. Those services are reached only through
 * {@link Ec2Integrations}, which the sandbox wires in `sandbox/index.ts`; without them the checks
 * they feed are skipped, as EC2 alone cannot know.
 */
import { Ec2Error } from './errors.js';

/** What EC2 asks the other services of the sandbox. Every member is optional. */
export interface Ec2Integrations {
  /** The principal ARN of an access key (STS), for denials set per principal. */
  readonly principalOf?: (accessKeyId: string) => string;
  /** The value of a Service Quotas quota of `ec2` in a region (`L-1216C47A`), if known. */
  readonly quota?: (region: string, quotaCode: string) => number | undefined;
  /**
   * A KMS key as EC2 sees it: its ARN and whether it can be used, looked up by key id, key ARN,
   * alias name or alias ARN; undefined when there is no such key.
   */
  readonly kmsKey?: (region: string, keyId: string) => { arn: string; state: string } | undefined;
  /** An IAM instance profile by name or ARN: its ARN and id, or undefined when it does not exist. */
  readonly instanceProfile?: (ref: { name?: string; arn?: string }) => { arn: string; id: string } | undefined;
}

/** One instance type of the catalog: what DescribeInstanceTypes answers for it. */
export interface InstanceTypeInfo {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly architecture: 'x86_64' | 'arm64';
  /** Zones letters it is offered in by default (`a`, `b`, `c`); all when absent. */
  readonly zones?: readonly string[];
}

const SIZES: Readonly<Record<string, number>> = { large: 2, xlarge: 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64, '24xlarge': 96 };
/** GiB of memory per vCPU of each family (general purpose 4, compute 2, memory 8). */
const FAMILIES: ReadonlyArray<readonly [string, number, 'x86_64' | 'arm64']> = [
  ['m5', 4, 'x86_64'], ['m5a', 4, 'x86_64'], ['m6i', 4, 'x86_64'], ['m6a', 4, 'x86_64'], ['m7i', 4, 'x86_64'], ['m6g', 4, 'arm64'], ['m7g', 4, 'arm64'],
  ['c5', 2, 'x86_64'], ['c6i', 2, 'x86_64'], ['c7i', 2, 'x86_64'], ['c6g', 2, 'arm64'], ['c7g', 2, 'arm64'],
  ['r5', 8, 'x86_64'], ['r6i', 8, 'x86_64'], ['r7i', 8, 'x86_64'], ['r6g', 8, 'arm64'],
];
const BURSTABLE: ReadonlyArray<readonly [string, 'x86_64' | 'arm64']> = [['t2', 'x86_64'], ['t3', 'x86_64'], ['t3a', 'x86_64'], ['t4g', 'arm64']];
const BURSTABLE_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  nano: [2, 512], micro: [2, 1024], small: [2, 2048], medium: [2, 4096], large: [2, 8192], xlarge: [4, 16384], '2xlarge': [8, 32768],
};

/**
 * The sandbox's instance type catalog: common general purpose, compute and memory optimised
 * families in every zone, burstable types (the T2 `nano`…`2xlarge` have 1–8 vCPUs as on AWS), the
 * legacy `m1.small` (RunInstances' default type), and two GPU types offered in zones `a` and `b`
 * only, as accelerated types often are.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html
 */
export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeInfo> = (() => {
  const out = new Map<string, InstanceTypeInfo>();
  const add = (info: InstanceTypeInfo) => out.set(info.instanceType, info);
  for (const [family, gibPerVcpu, architecture] of FAMILIES) {
    for (const [size, vcpus] of Object.entries(SIZES)) add({ instanceType: `${family}.${size}`, vcpus, memoryMiB: vcpus * gibPerVcpu * 1024, architecture });
  }
  const t2Vcpus: Record<string, number> = { nano: 1, micro: 1, small: 1, medium: 2, large: 2, xlarge: 4, '2xlarge': 8 };
  for (const [family, architecture] of BURSTABLE) {
    for (const [size, [vcpus, memoryMiB]] of Object.entries(BURSTABLE_SIZES)) {
      add({ instanceType: `${family}.${size}`, vcpus: family === 't2' ? t2Vcpus[size]! : vcpus, memoryMiB, architecture });
    }
  }
  add({ instanceType: 'm1.small', vcpus: 1, memoryMiB: 1740, architecture: 'x86_64' });
  add({ instanceType: 'p3.2xlarge', vcpus: 8, memoryMiB: 62464, architecture: 'x86_64', zones: ['a', 'b'] });
  add({ instanceType: 'g5.xlarge', vcpus: 4, memoryMiB: 16384, architecture: 'x86_64', zones: ['a', 'b'] });
  return out;
})();

/** The Service Quotas code of "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (vCPUs). */
export const STANDARD_VCPU_QUOTA_CODE = 'L-1216C47A';

/**
 * True for the families counted by the Standard On-Demand vCPU quota: A, C, D, H, I, M, R, T, Z.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
export function isStandardFamily(instanceType: string): boolean {
  return /^[acdhimrtz]/.test(instanceType) && !/^(u-|dl|inf|trn)/.test(instanceType);
}

/** The vCPUs of a type (1 for a type outside the catalog). */
export function vcpusOf(instanceType: string): number {
  return INSTANCE_TYPES.get(instanceType)?.vcpus ?? 1;
}

/** A denial: an action (EC2 operation name, or `*`) refused to one access key, one principal, or everyone. */
export interface Denial {
  readonly action: string;
  readonly accessKeyId?: string;
  readonly principalArn?: string;
}

/**
 * Which zones offer which types (withdrawals from the catalog's defaults) and which actions are
 * denied to whom. Configuration, like faults: kept in memory, cleared by `reset`.
 */
export class Preconditions {
  /** `region/zone/type` withdrawn from the default offerings. */
  private readonly withdrawn = new Set<string>();
  private denials: Denial[] = [];

  constructor(readonly integrations: Ec2Integrations = {}) {}

  /** True when `zone` (`eu-west-1a`) offers the type. */
  isOffered(region: string, zone: string, instanceType: string): boolean {
    const info = INSTANCE_TYPES.get(instanceType);
    if (!info) return false;
    if (info.zones && !info.zones.includes(zone.slice(region.length))) return false;
    return !this.withdrawn.has(`${region}/${zone}/${instanceType}`);
  }

  /** Withdraws a type from a zone (or from every listed zone). */
  withdraw(region: string, zones: readonly string[], instanceType: string): void {
    if (!INSTANCE_TYPES.has(instanceType)) throw new TypeError(`ec2 offerings › instanceType: ${JSON.stringify(instanceType)} is not in the sandbox's catalog (DescribeInstanceTypes lists it)`);
    for (const z of zones) this.withdrawn.add(`${region}/${z}/${instanceType}`);
  }

  /** Offers a withdrawn type again (every withdrawal when no type is named). */
  restore(region: string, zones: readonly string[], instanceType?: string): void {
    for (const key of [...this.withdrawn]) {
      const [r, z, t] = key.split('/');
      if (r === region && zones.includes(z!) && (instanceType === undefined || t === instanceType)) this.withdrawn.delete(key);
    }
  }

  /** Withdrawals, as `{region, availabilityZone, instanceType}`. */
  withdrawals(): { region: string; availabilityZone: string; instanceType: string }[] {
    return [...this.withdrawn].map((k) => {
      const [region, availabilityZone, instanceType] = k.split('/') as [string, string, string];
      return { region, availabilityZone, instanceType };
    });
  }

  deny(denial: Denial): void {
    if (typeof denial.action !== 'string' || !/^(\*|[A-Z][A-Za-z]+)$/.test(denial.action)) {
      throw new TypeError(`ec2 deny › action: expected an EC2 action name such as "RunInstances" (or "*"), found ${JSON.stringify(denial.action)}`);
    }
    this.denials.push({ action: denial.action, ...(denial.accessKeyId !== undefined ? { accessKeyId: denial.accessKeyId } : {}), ...(denial.principalArn !== undefined ? { principalArn: denial.principalArn } : {}) });
  }

  /** Removes the denials matching exactly (every denial when nothing is given). */
  allow(denial?: Partial<Denial>): void {
    this.denials = denial === undefined ? [] : this.denials.filter((d) => !(d.action === denial.action && d.accessKeyId === denial.accessKeyId && d.principalArn === denial.principalArn));
  }

  listDenials(): Denial[] {
    return [...this.denials];
  }

  /**
   * Throws `UnauthorizedOperation` (403) when the action is denied to the caller: to its access
   * key, to its principal (through STS), or to everyone. The message carries an encoded
   * authorization failure message, as AWS's does.
   * @see https://repost.aws/knowledge-center/ec2-not-auth-launch
   */
  authorize(action: string, accessKeyId: string | undefined): void {
    if (this.denials.length === 0) return;
    const principal = accessKeyId !== undefined ? this.integrations.principalOf?.(accessKeyId) : undefined;
    const denied = this.denials.some(
      (d) =>
        (d.action === '*' || d.action === action) &&
        (d.accessKeyId === undefined || d.accessKeyId === accessKeyId) &&
        (d.principalArn === undefined || d.principalArn === principal),
    );
    if (!denied) return;
    const detail = Buffer.from(JSON.stringify({ allowed: false, explicitDeny: true, context: { principal: principal ?? accessKeyId ?? 'anonymous', action: `ec2:${action}` } })).toString('base64url');
    throw new Ec2Error('UnauthorizedOperation', `You are not authorized to perform this operation. Encoded authorization failure message: ${detail}`);
  }

  reset(): void {
    this.withdrawn.clear();
    this.denials = [];
  }
}
