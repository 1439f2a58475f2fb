/**
 * What a region's instances hold, kept up to date as instances are added and change state, so
 * that RunInstances reads it in constant time instead of scanning every instance of the region on
 * every call: the vCPUs counted by the Standard On-Demand quota, and the private addresses in use.
 *
 * Every change of an instance's state goes through {@link setInstanceState}, every new instance
 * through {@link addInstance}; a region restored from a snapshot is counted once with
 * {@link recountOccupancy}.
 */
import type { InstanceRecord, InstanceStateName, RegionState } from './model.js';
import { isStandardFamily, vcpusOf } from './preconditions.js';

/**
 * The vCPUs an instance in `state` holds against the Standard On-Demand quota: those of a
 * pending or running instance of a standard family, else 0.
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html
 */
export function standardVcpusHeld(instanceType: string, state: InstanceStateName): number {
  return (state === 'pending' || state === 'running') && isStandardFamily(instanceType) ? vcpusOf(instanceType) : 0;
}

/** Puts a new instance into its region and counts what it holds. */
export function addInstance(r: RegionState, inst: InstanceRecord): void {
  r.instances.set(inst.instanceId, inst);
  r.standardVcpusInUse += standardVcpusHeld(inst.instanceType, inst.state);
  holdAddress(r, inst);
}

/** Moves an instance to `state`, and the region's count with it. */
export function setInstanceState(r: RegionState, inst: InstanceRecord, state: InstanceStateName): void {
  r.standardVcpusInUse += standardVcpusHeld(inst.instanceType, state) - standardVcpusHeld(inst.instanceType, inst.state);
  inst.state = state;
}

/** Counts a region's instances from scratch (a region just restored from a snapshot). */
export function recountOccupancy(r: RegionState): void {
  r.standardVcpusInUse = 0;
  r.addressHolders.clear();
  for (const inst of r.instances.values()) {
    r.standardVcpusInUse += standardVcpusHeld(inst.instanceType, inst.state);
    holdAddress(r, inst);
  }
}

/**
 * The key of an IPv4 address `a.b.c.d` in the address index: a number, so that probing for a free
 * address builds no strings. The third part may run past 255 (a subnet near the top of its
 * range), so it gets 10 bits.
 */
export function addressKey(a: number, b: number, c: number, d: number): number {
  return ((a * 256 + b) * 1024 + c) * 256 + d;
}

/** The instances of the region that were ever given the address of `key` (listed or not). */
export function holdersOf(r: RegionState, key: number): readonly InstanceRecord[] | undefined {
  return r.addressHolders.get(key);
}

function holdAddress(r: RegionState, inst: InstanceRecord): void {
  const [a, b, c, d] = inst.privateIpAddress.split('.').map(Number);
  const key = addressKey(a!, b!, c!, d!);
  const holders = r.addressHolders.get(key);
  if (holders) holders.push(inst);
  else r.addressHolders.set(key, [inst]);
}
