import { describe, expect, test } from 'vitest';
import { planFixture, recoverySubnetCidrs } from '../../../cli/local/seed.js';
import { scaledPlan } from '../../../bench/scale.js';

/*
 * The local fixture's recovery subnets hold every instance a plan launches there: EC2 (and the
 * sandbox) refuses a launch into a full subnet with InsufficientFreeAddressesInSubnet, and a /20
 * hands out 4,000 addresses on the sandbox.
 */
describe('local fixture: recovery subnets sized for the plan', () => {
  test('a plan that fits twice in a /20 keeps the default subnets', () => {
    expect(recoverySubnetCidrs(['subnet-0aa11bb22cc330001'], 2_000)).toEqual({});
    expect(planFixture(scaledPlan(100)).regions['us-west-2']!.subnetCidrs).toEqual({});
  });

  test('a larger plan gets a /18 per recovery subnet, the isolated drill subnet included', () => {
    const plan = scaledPlan(5_000);
    const cidrs = planFixture(plan).regions['us-west-2']!.subnetCidrs!;
    const subnets = [...new Set([...plan.workloads.flatMap((w) => w.launch.subnetIds ?? []), ...plan.drill.isolatedSubnetIds])];
    expect(Object.keys(cidrs).sort()).toEqual(subnets.sort());
    for (const cidr of Object.values(cidrs)) expect(cidr).toMatch(/^172\.31\.(64|128|192)\.0\/18$/);
    // distinct blocks: no two subnets share addresses
    expect(new Set(Object.values(cidrs)).size).toBe(subnets.length);
  });

  test('a plan beyond what a /18 holds twice over is refused with the limit named', () => {
    expect(() => recoverySubnetCidrs(['subnet-0aa11bb22cc330001'], 8_001)).toThrow(/8,001|8001.*\/18 \(8,000 instances\)/);
  });
});
