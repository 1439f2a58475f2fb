import type { SeededRandom } from '../random.js';

/** A duration drawn uniformly from `[min, max]` seconds. */
export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

/** A duration of `base` seconds plus `perGiB` seconds for each GiB of data. */
export interface SizedSeconds {
  readonly base: number;
  readonly perGiB: number;
}

/**
 * How long EC2's asynchronous work takes on the sandbox clock. The defaults are of the order AWS
 * shows for small EBS-backed instances; every value is configurable.
 *
 * - Image creation: each volume's snapshot takes `snapshot` (base + per GiB); the AMI becomes
 *   `available` `imageRegister` seconds after its last snapshot completes.
 * - Image copy: each snapshot copy takes `copy` (base + per GiB); the copy becomes available
 *   `imageRegister` seconds after its last snapshot.
 * - Instances: `pending` → `running` after `instanceStart`; status checks `initializing` → `ok`
 *   `statusChecks` after running; `shutting-down` → `terminated` after `instanceShutdown`.
 * - `jitter` (0..1) widens the sized durations by ± that fraction, drawn from the seeded random.
 */
export interface LatencyModel {
  readonly snapshot: SizedSeconds;
  readonly copy: SizedSeconds;
  readonly imageRegister: number;
  readonly instanceStart: SecondsRange;
  readonly statusChecks: SecondsRange;
  readonly instanceShutdown: SecondsRange;
  readonly jitter: number;
}

/** Default latencies (seconds). */
export const DEFAULT_LATENCY: LatencyModel = {
  snapshot: { base: 90, perGiB: 4 },
  copy: { base: 600, perGiB: 15 },
  imageRegister: 30,
  instanceStart: { min: 30, max: 60 },
  statusChecks: { min: 120, max: 180 },
  instanceShutdown: { min: 20, max: 60 },
  jitter: 0.1,
};

/** Merges a partial model over the defaults, rejecting negative or non-finite numbers. */
export function resolveLatency(partial: Partial<LatencyModel> | undefined): LatencyModel {
  const m: LatencyModel = {
    ...DEFAULT_LATENCY,
    ...partial,
    snapshot: { ...DEFAULT_LATENCY.snapshot, ...partial?.snapshot },
    copy: { ...DEFAULT_LATENCY.copy, ...partial?.copy },
    instanceStart: { ...DEFAULT_LATENCY.instanceStart, ...partial?.instanceStart },
    statusChecks: { ...DEFAULT_LATENCY.statusChecks, ...partial?.statusChecks },
    instanceShutdown: { ...DEFAULT_LATENCY.instanceShutdown, ...partial?.instanceShutdown },
  };
  const check = (path: string, v: number): void => {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`ec2 latency › ${path}: expected a number ≥ 0, found ${JSON.stringify(v)}`);
  };
  check('snapshot.base', m.snapshot.base);
  check('snapshot.perGiB', m.snapshot.perGiB);
  check('copy.base', m.copy.base);
  check('copy.perGiB', m.copy.perGiB);
  check('imageRegister', m.imageRegister);
  for (const k of ['instanceStart', 'statusChecks', 'instanceShutdown'] as const) {
    check(`${k}.min`, m[k].min);
    check(`${k}.max`, m[k].max);
    if (m[k].max < m[k].min) throw new RangeError(`ec2 latency › ${k}: expected max ≥ min, found ${JSON.stringify(m[k])}`);
  }
  if (!(m.jitter >= 0 && m.jitter < 1)) throw new RangeError(`ec2 latency › jitter: expected a number in [0, 1), found ${JSON.stringify(m.jitter)}`);
  return m;
}

/** Draws durations (milliseconds) from a latency model with a seeded generator. */
export class LatencySampler {
  constructor(
    readonly model: LatencyModel,
    private readonly random: SeededRandom,
  ) {}

  /** A snapshot of a volume of `sizeGiB` made by CreateImage. */
  snapshotMs(sizeGiB: number): number {
    return this.sized(this.model.snapshot, sizeGiB);
  }

  /** A snapshot copy of `sizeGiB` made by CopyImage. */
  copyMs(sizeGiB: number): number {
    return this.sized(this.model.copy, sizeGiB);
  }

  registerMs(): number {
    return this.model.imageRegister * 1000;
  }

  instanceStartMs(): number {
    return this.range(this.model.instanceStart);
  }

  statusChecksMs(): number {
    return this.range(this.model.statusChecks);
  }

  instanceShutdownMs(): number {
    return this.range(this.model.instanceShutdown);
  }

  private sized(s: SizedSeconds, sizeGiB: number): number {
    const seconds = s.base + s.perGiB * sizeGiB;
    const factor = 1 + this.model.jitter * (this.random.float() * 2 - 1);
    return Math.round(seconds * factor * 1000);
  }

  private range(r: SecondsRange): number {
    return Math.round((r.min + (r.max - r.min) * this.random.float()) * 1000);
  }
}
