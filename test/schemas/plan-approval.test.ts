import { describe, expect, test } from 'vitest';
import { approvalFor } from '../../schemas/plan-approval.js';
import { PlanError, parsePlan, type PlanInput } from '../../schemas/plan.js';

const base: PlanInput = {
  name: 'shop',
  primaryRegion: 'us-east-1',
  recoveryRegion: 'us-west-2',
  objectives: { rpoMinutes: 240, rtoMinutes: 60 },
  workloads: [{ name: 'db', instanceIds: ['i-0a1b2c3d4e5f60001'], launch: { subnetIds: ['subnet-0aa11bb22cc330001'], instanceTypes: ['r6i.large'] } }],
  drill: { isolatedSubnetIds: ['subnet-0dd44ee55ff660001'] },
};
const issuesOf = (json: unknown) => {
  try {
    parsePlan(json, 'plan.json');
  } catch (error) {
    return (error as PlanError).issues;
  }
  return [];
};

describe('schema: plan approval', () => {
  test('no approval block: no run waits', () => {
    const plan = parsePlan(base, 'plan.json');
    expect(plan.approval).toBeUndefined();
    expect(approvalFor(plan.approval, 'failover')).toBeUndefined();
  });

  test('an approval block defaults to one approver for failovers and failbacks (not drills), starter excluded, within 4 hours', () => {
    const plan = parsePlan({ ...base, approval: {} }, 'plan.json');
    expect(plan.approval).toEqual({ failover: true, drill: false, failback: true, requiredApprovers: 1, starterMayApprove: false, timeoutMinutes: 240 });
    expect(approvalFor(plan.approval, 'failover')).toBeDefined();
    expect(approvalFor(plan.approval, 'failback')).toBeDefined();
    expect(approvalFor(plan.approval, 'drill')).toBeUndefined();
  });

  test('"failback": false leaves the failback without approval while the failover keeps it', () => {
    const plan = parsePlan({ ...base, approval: { failback: false } }, 'plan.json');
    expect(approvalFor(plan.approval, 'failback')).toBeUndefined();
    expect(approvalFor(plan.approval, 'failover')).toBeDefined();
  });

  test('rejects every bad approval field with its path, and a block that applies to nothing', () => {
    expect(issuesOf({ ...base, approval: { requiredApprovers: 0, timeoutMinutes: 1, starterMayApprove: 'no' } })).toEqual([
      { path: 'approval.requiredApprovers', expected: 'a number of approvers: a whole number from 1 to 5', found: '0' },
      { path: 'approval.starterMayApprove', expected: 'true or false', found: '"no"' },
      { path: 'approval.timeoutMinutes', expected: 'a timeout in minutes: a whole number from 5 to 10080 (7 days)', found: '1' },
    ]);
    expect(issuesOf({ ...base, approval: { failover: false, failback: false } })).toEqual([
      { path: 'approval', expected: 'approval for at least one of "failover", "drill" and "failback" (or leave "approval" out)', found: '"failover": false, "drill": false and "failback": false' },
    ]);
    expect(issuesOf({ ...base, approval: { failover: false } })).toEqual([]);
    expect(issuesOf({ ...base, approval: { requiredApprover: 2 } })).toEqual([
      { path: 'approval.requiredApprover', expected: 'no key "requiredApprover"; did you mean "requiredApprovers"?', found: '2' },
    ]);
  });
});
