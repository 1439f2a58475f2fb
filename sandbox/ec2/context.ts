import type { Clock } from '../clock.js';
import { Ec2Error } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { LatencySampler } from './latency.js';
import type { Preconditions } from './preconditions.js';
import type { IdGenerator, RegionState, TransitionQueue } from './model.js';

/** What every EC2 operation can reach. */
export interface Ec2Context {
  readonly accountId: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly latency: LatencySampler;
  readonly faults: FaultInjector;
  /** Offerings, denials and what other services know (KMS keys, instance profiles, quotas). */
  readonly preconditions: Preconditions;
  readonly queue: TransitionQueue;
  /**
   * The regions created so far. A served region is created (default VPC, subnets, base images)
   * the first time anything reads it, through {@link Ec2Context.region}; until then it costs nothing.
   */
  readonly regions: ReadonlyMap<string, RegionState>;
  /** Every region served, in order (created or not). */
  readonly served: readonly string[];
  /** A served region's state, created on first use; `undefined` when the region is not served. */
  region(name: string): RegionState | undefined;
  /** The operation being served (set by the dispatcher; requests are handled one at a time). */
  readonly call: { operation: string };
}

/** A region's state, or an error naming the region (for SourceRegion and admin calls). */
export function regionOrThrow(ctx: Ec2Context, name: string, param = 'SourceRegion'): RegionState {
  const r = ctx.region(name);
  if (!r) {
    throw new Ec2Error('InvalidParameterValue', `Invalid value '${name}' for ${param}: the region does not exist or is not enabled. Known regions: ${ctx.served.join(', ')}.`);
  }
  return r;
}
