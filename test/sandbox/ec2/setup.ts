import type { EC2Client } from '@aws-sdk/client-ec2';
import { VirtualClock } from '../../../sandbox/clock.js';
import { SeededRandom } from '../../../sandbox/random.js';
import { createEc2Service, type Ec2ServiceOptions, type Ec2Sandbox } from '../../../sandbox/ec2/index.js';
import { startHarness, until, type Harness } from './harness.js';

/** The simulated start instant of every test. */
export const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

/** A sandbox EC2 behind the loopback harness, on a virtual clock. */
export interface Ec2Env {
  readonly clock: VirtualClock;
  readonly ec2: Ec2Sandbox;
  readonly harness: Harness;
  /** An SDK client for a region whose calls hold the clock still while in flight. */
  client(region: string): EC2Client;
  /** Holds the clock still while `work` (a client call) is in flight, so no transition slips in. */
  hold<T>(work: Promise<T>): Promise<T>;
  /** Lets simulated time run to `T0 + seconds` (the clock skips there once idle). */
  advanceTo(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export async function ec2Env(options: Partial<Ec2ServiceOptions> & { seed?: number } = {}): Promise<Ec2Env> {
  const clock = new VirtualClock({ startMs: T0 });
  const ec2 = createEc2Service({ clock, random: new SeededRandom(options.seed ?? 7), accountId: '123456789012', ...options });
  const harness = await startHarness([ec2.service], { clock });
  return {
    clock,
    ec2,
    harness,
    client: (region) => harness.ec2(region),
    hold: (work) => clock.track(work),
    advanceTo: (seconds) => until(clock, T0 + seconds * 1000),
    async close() {
      await harness.close();
      ec2.dispose();
      clock.dispose();
    },
  };
}

/** Runs `fn` and returns the error it throws (fails the test when it does not throw). */
export async function errorOf(fn: () => Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; $fault?: string; code?: string }> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
