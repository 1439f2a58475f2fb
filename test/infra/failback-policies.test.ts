import { Stack } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import { FAILBACK_OWN_TASKS, failbackPolicyStatements, retireStatements } from '../../infra/failback-policies.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';

interface Json {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const stack = new Stack(undefined, 'FailbackPolicies', { env: { account: '111122223333', region: 'us-west-2' } });
/** Statements as JSON, pseudo parameters resolved to partition `aws` and account 111122223333. */
function resolved(list: PolicyStatement[]): Json[] {
  return list.map((s) => {
    const json = stack.resolve(s.toStatementJson()) as Json;
    return JSON.parse(
      JSON.stringify(json).replace(/\{"Fn::Join":\["",\[(.*?)\]\]\}/g, (_m, parts: string) =>
        JSON.stringify((JSON.parse(`[${parts}]`) as unknown[]).map((p) => (typeof p === 'string' ? p : (p as { Ref: string }).Ref === 'AWS::Partition' ? 'aws' : '111122223333')).join('')),
      ),
    ) as Json;
  });
}
const actions = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Json): string[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const withAction = (list: Json[], action: string) => list.filter((s) => actions(s).includes(action));

const plan: Plan = parsePlan(
  {
    name: 'shop',
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    objectives: { rpoMinutes: 60, rtoMinutes: 30 },
    drill: { isolatedSubnetIds: ['subnet-0000000000000000d'] },
    workloads: [{ name: 'app', instanceIds: ['i-0000000000000000c'], launch: { subnetIds: ['subnet-0000000000000000c'], securityGroupIds: ['sg-0000000000000000c'], instanceTypes: ['t3.small'] } }],
    failback: {
      launch: { app: { subnetIds: ['subnet-0000000000000000e'], securityGroupIds: ['sg-0000000000000000e'], instanceTypes: ['t3.small'], keyName: 'ops' } },
      kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      retire: { action: 'stop' },
    },
  },
  'failback-policies',
);
const failoverInstances = { StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:ResourceTag/lifeboat:role': 'failover-instance' } };

describe('infra: failback policies', () => {
  test('image may image only this plan\'s failover instances, in the recovery region', () => {
    const create = withAction(resolved(failbackPolicyStatements('image', plan)), 'ec2:CreateImage');
    const onInstances = create.filter((s) => resources(s).some((r) => r.includes(':instance/')));
    expect(onInstances).toEqual([expect.objectContaining({ Resource: 'arn:aws:ec2:us-west-2:111122223333:instance/*', Condition: failoverInstances })]);
    for (const s of create) for (const r of resources(s)) expect(r).toContain(':us-west-2:');
  });

  test('copy reads this plan\'s images in the recovery region and writes tagged copies in the primary, with the failback key there', () => {
    const list = resolved(failbackPolicyStatements('copy', plan));
    const copy = withAction(list, 'ec2:CopyImage');
    expect(copy.find((s) => s.Sid === 'CopyFromPlanImages')).toMatchObject({ Condition: { StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } } });
    expect(resources(copy.find((s) => s.Sid === 'CopyFromPlanImages')!).every((r) => r.includes(':us-west-2:'))).toBe(true);
    expect(copy.find((s) => s.Sid === 'CopyToTaggedImages')).toMatchObject({ Condition: { StringEquals: { 'aws:RequestTag/lifeboat:plan': 'shop' } } });
    expect(resources(copy.find((s) => s.Sid === 'CopyToTaggedImages')!).every((r) => r.includes(':us-east-1:'))).toBe(true);
    expect(withAction(list, 'kms:CreateGrant')).toEqual([expect.objectContaining({ Resource: plan.failback!.kmsKeyId })]);
  });

  test('verify may add only lifeboat:verified, on this plan\'s copies in the primary region', () => {
    const [tag] = withAction(resolved(failbackPolicyStatements('verify', plan)), 'ec2:CreateTags');
    expect(tag!.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:RequestTag/lifeboat:verified': 'true' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['lifeboat:verified'] },
    });
    expect(resources(tag!).every((r) => r.includes(':us-east-1:'))).toBe(true);
  });

  test('launch-in-region launches only into failback.launch in the primary region, and replaces only failback instances', () => {
    const list = resolved(failbackPolicyStatements('launch-in-region', plan));
    const network = list.find((s) => s.Sid === 'LaunchIntoPlanSubnets')!;
    expect(resources(network)).toEqual(['arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0000000000000000e', 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-0000000000000000e']);
    expect(list.find((s) => s.Sid === 'LaunchWithPlanKeyPairs')).toMatchObject({ Resource: 'arn:aws:ec2:us-east-1:111122223333:key-pair/ops' });
    expect(withAction(list, 'ec2:TerminateInstances')).toEqual([
      expect.objectContaining({ Condition: { StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:ResourceTag/lifeboat:role': 'failback-instance' } } }),
    ]);
    // nothing of the recovery region's network, and never a drill subnet
    expect(JSON.stringify(list)).not.toContain('subnet-0000000000000000c');
    expect(JSON.stringify(list)).not.toContain('subnet-0000000000000000d');
  });

  test('retire stops (the plan says stop) only this plan\'s failover instances, and tags only lifeboat:retired-by', () => {
    const list = resolved(retireStatements(plan));
    expect(withAction(list, 'ec2:TerminateInstances')).toEqual([]);
    expect(withAction(list, 'ec2:StopInstances')).toEqual([expect.objectContaining({ Condition: failoverInstances, Resource: 'arn:aws:ec2:us-west-2:111122223333:instance/*' })]);
    expect(withAction(list, 'ec2:CreateTags')[0]!.Condition).toEqual({ ...failoverInstances, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['lifeboat:retired-by'] } });
  });

  test('refuses a task that has no failback statements of its own', () => {
    expect(FAILBACK_OWN_TASKS).toEqual(['image', 'copy', 'verify', 'launch-in-region', 'request-approval', 'switch-traffic', 'probe-health']);
    expect(() => failbackPolicyStatements('prune', plan)).toThrow(/task "prune" has no failback function; expected one of image, copy, verify, launch-in-region, request-approval, switch-traffic, probe-health/);
  });
});
