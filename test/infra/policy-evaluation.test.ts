import { Stack } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import { taskPolicyStatements } from '../../infra/task-policies.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { TASK_IDS, type TaskId } from '../../schemas/tasks/index.js';

/*
 * Evaluates the synthesized task policies the way IAM does for the keys they use, to prove what a
 * role can and cannot do, not only what its JSON looks like.
 *
 * Semantics followed (IAM User Guide, "Policy evaluation logic" and "Condition operators"):
 * - an action is allowed when some Allow statement matches action, resource and every condition,
 *   and no Deny statement matches;
 * - a condition key absent from the request makes StringEquals/ArnEquals/Bool false, makes the
 *   `…IfExists` operators true, and makes `ForAllValues:` true (an empty set satisfies "for all");
 * - `ec2:CreateAction` is present only while EC2 authorises the tags of a create call
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

interface Json {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** One request as IAM sees it. */
interface Request {
  readonly action: string;
  readonly resource: string;
  readonly region: string;
  /** Tags the resource already has (`aws:ResourceTag/*`). */
  readonly resourceTags?: Record<string, string>;
  /** Tags in the request (`aws:RequestTag/*`, `aws:TagKeys`). */
  readonly requestTags?: Record<string, string>;
  /** Set only while a create call authorises its TagSpecifications. */
  readonly createAction?: string;
}

const stack = new Stack(undefined, 'Eval', { env: { account: '111122223333', region: 'eu-west-1' } });

function statements(task: TaskId, plan: Plan): Json[] {
  return taskPolicyStatements(task, { plan }).map((s: PolicyStatement) => {
    const json = stack.resolve(s.toStatementJson()) as Json;
    return JSON.parse(
      JSON.stringify(json).replace(/\{"Fn::Join":\["",\[(.*?)\]\]\}/g, (_m, parts: string) =>
        JSON.stringify(
          (JSON.parse(`[${parts}]`) as unknown[])
            .map((p) => (typeof p === 'string' ? p : (p as { Ref: string }).Ref === 'AWS::Partition' ? 'aws' : '111122223333'))
            .join(''),
        ),
      ),
    ) as Json;
  });
}

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);
const glob = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/** The values of a condition key in a request; undefined when the key is absent. */
function contextValues(key: string, r: Request): string[] | undefined {
  if (key.startsWith('aws:ResourceTag/')) {
    const v = r.resourceTags?.[key.slice('aws:ResourceTag/'.length)];
    return v === undefined ? undefined : [v];
  }
  if (key.startsWith('aws:RequestTag/')) {
    const v = r.requestTags?.[key.slice('aws:RequestTag/'.length)];
    return v === undefined ? undefined : [v];
  }
  if (key === 'aws:TagKeys') return r.requestTags ? Object.keys(r.requestTags) : undefined;
  if (key === 'ec2:CreateAction') return r.createAction === undefined ? undefined : [r.createAction];
  if (key === 'aws:RequestedRegion') return [r.region];
  return undefined;
}

function conditionHolds(operator: string, key: string, expected: unknown, r: Request): boolean {
  const wanted = list(expected as string | string[]).map(String);
  const actual = contextValues(key, r);
  const [qualifier, op] = operator.includes(':') ? (operator.split(':') as [string, string]) : [undefined, operator];
  const ifExists = op.endsWith('IfExists');
  const base = ifExists ? op.slice(0, -'IfExists'.length) : op;
  const match = (value: string): boolean => {
    switch (base) {
      case 'StringEquals':
      case 'ArnEquals':
      case 'Bool':
        return wanted.some((w) => (base === 'ArnEquals' ? glob(w, value) : w === value));
      case 'StringNotEquals':
        return wanted.every((w) => w !== value);
      default:
        throw new Error(`evaluator: operator ${operator} is not modelled; extend the test`);
    }
  };
  if (qualifier === 'ForAllValues') return actual === undefined || actual.every(match);
  if (qualifier === 'ForAnyValue') return actual !== undefined && actual.some(match);
  if (actual === undefined) return ifExists;
  return actual.some(match);
}

function statementMatches(s: Json, r: Request): boolean {
  if (!list(s.Action).some((a) => glob(a, r.action))) return false;
  if (!list(s.Resource).some((p) => glob(p, r.resource))) return false;
  return Object.entries(s.Condition ?? {}).every(([op, block]) =>
    Object.entries(block).every(([key, value]) => conditionHolds(op, key, value, r)),
  );
}

/** IAM's answer for one request against one role's identity policy. */
function isAllowed(policy: Json[], r: Request): boolean {
  if (policy.some((s) => s.Effect === 'Deny' && statementMatches(s, r))) return false;
  return policy.some((s) => s.Effect === 'Allow' && statementMatches(s, r));
}

const plan = parsePlan(
  {
    name: 'shop',
    primaryRegion: 'us-east-1',
    recoveryRegion: 'us-west-2',
    objectives: { rpoMinutes: 60, rtoMinutes: 30 },
    drill: { isolatedSubnetIds: ['subnet-0000000000000000d'] },
    workloads: [{ name: 'app', instanceIds: ['i-0000000000000000c'], launch: { subnetIds: ['subnet-0000000000000000c'], instanceTypes: ['t3.small'] } }],
  },
  'eval',
);

const RECOVERY = 'us-west-2';
const unrelatedAmi = `arn:aws:ec2:${RECOVERY}::image/ami-0aaaaaaaaaaaaaaaa`;
const unrelatedSnapshot = `arn:aws:ec2:${RECOVERY}::snapshot/snap-0aaaaaaaaaaaaaaaa`;
const unrelatedInstance = `arn:aws:ec2:${RECOVERY}:111122223333:instance/i-0aaaaaaaaaaaaaaaa`;
const planTags = { 'lifeboat:plan': 'shop', 'lifeboat:role': 'recovery-point', 'lifeboat:workload': 'app' };

describe('infra: task policies, evaluated', () => {
  test('the copy role cannot tag an unrelated AMI into the plan, so it cannot then deregister it', () => {
    const copy = statements('copy', plan);
    // GIVEN an AMI of the account that Lifeboat did not make (no lifeboat tags)
    // WHEN the copy role tries to give it the plan's tags with a plain CreateTags
    expect(isAllowed(copy, { action: 'ec2:CreateTags', resource: unrelatedAmi, region: RECOVERY, resourceTags: {}, requestTags: planTags })).toBe(false);
    // THEN, still untagged, it cannot be deregistered nor its snapshot deleted
    expect(isAllowed(copy, { action: 'ec2:DeregisterImage', resource: unrelatedAmi, region: RECOVERY, resourceTags: {} })).toBe(false);
    expect(isAllowed(copy, { action: 'ec2:DeleteSnapshot', resource: unrelatedSnapshot, region: RECOVERY, resourceTags: {} })).toBe(false);
  });

  test('the copy role tags what its own CopyImage creates, and re-tags and deletes only images that already carry the plan tag', () => {
    const copy = statements('copy', plan);
    // tag-on-create: the copy being created by this very request
    expect(isAllowed(copy, { action: 'ec2:CreateTags', resource: unrelatedAmi, region: RECOVERY, requestTags: planTags, createAction: 'CopyImage' })).toBe(true);
    // not on behalf of another create action
    expect(isAllowed(copy, { action: 'ec2:CreateTags', resource: unrelatedAmi, region: RECOVERY, requestTags: planTags, createAction: 'CreateImage' })).toBe(false);
    // a copy that came with the source's lineage tags is re-tagged as a recovery point
    const mine = { 'lifeboat:plan': 'shop', 'lifeboat:role': 'source-image' };
    expect(isAllowed(copy, { action: 'ec2:CreateTags', resource: unrelatedAmi, region: RECOVERY, resourceTags: mine, requestTags: planTags })).toBe(true);
    // but never marked verified by copy
    expect(
      isAllowed(copy, { action: 'ec2:CreateTags', resource: unrelatedAmi, region: RECOVERY, resourceTags: mine, requestTags: { ...planTags, 'lifeboat:verified': 'true' } }),
    ).toBe(false);
    // another plan's image is someone else's
    expect(
      isAllowed(copy, { action: 'ec2:CreateTags', resource: unrelatedAmi, region: RECOVERY, resourceTags: { 'lifeboat:plan': 'billing' }, requestTags: planTags }),
    ).toBe(false);
    expect(isAllowed(copy, { action: 'ec2:DeregisterImage', resource: unrelatedAmi, region: RECOVERY, resourceTags: mine })).toBe(true);
  });

  test.each(TASK_IDS)('no %s role can tag an untagged resource outside a create call, nor delete or terminate one', (task) => {
    const policy = statements(task, plan);
    for (const region of ['us-east-1', RECOVERY]) {
      for (const resource of [unrelatedAmi, unrelatedSnapshot, unrelatedInstance].map((arn) => arn.replace(RECOVERY, region))) {
        expect(isAllowed(policy, { action: 'ec2:CreateTags', resource, region, resourceTags: {}, requestTags: planTags }), `${task} CreateTags ${resource}`).toBe(false);
        expect(
          isAllowed(policy, { action: 'ec2:CreateTags', resource, region, resourceTags: {}, requestTags: { 'lifeboat:verified': 'true' } }),
          `${task} CreateTags verified ${resource}`,
        ).toBe(false);
        for (const action of ['ec2:DeregisterImage', 'ec2:DeleteSnapshot', 'ec2:TerminateInstances']) {
          expect(isAllowed(policy, { action, resource, region, resourceTags: {} }), `${task} ${action} ${resource}`).toBe(false);
        }
      }
    }
  });

  test('the pre-flight role is authorised for the DryRun launch exactly as the launch role is, and changes nothing else', () => {
    const preflight = statements('preflight', plan);
    const launch = statements('launch-in-region', plan);
    const subnet = `arn:aws:ec2:${RECOVERY}:111122223333:subnet/subnet-0000000000000000c`;
    const otherSubnet = `arn:aws:ec2:${RECOVERY}:111122223333:subnet/subnet-0ffffffffffffffff`;
    const newInstance = `arn:aws:ec2:${RECOVERY}:111122223333:instance/*`;
    const runTags = { 'lifeboat:plan': 'shop', 'lifeboat:role': 'drill-instance' };
    // GIVEN the requests EC2 authorises for one RunInstances (DryRun or not: the same)
    const requests: Request[] = [
      { action: 'ec2:RunInstances', resource: subnet, region: RECOVERY },
      { action: 'ec2:RunInstances', resource: otherSubnet, region: RECOVERY },
      { action: 'ec2:RunInstances', resource: newInstance, region: RECOVERY, requestTags: runTags },
      { action: 'ec2:RunInstances', resource: newInstance, region: RECOVERY, requestTags: { 'lifeboat:plan': 'billing' } },
      { action: 'ec2:RunInstances', resource: unrelatedAmi, region: RECOVERY, resourceTags: planTags },
      { action: 'ec2:RunInstances', resource: unrelatedAmi, region: RECOVERY, resourceTags: {} },
      { action: 'ec2:CreateTags', resource: newInstance, region: RECOVERY, requestTags: runTags, createAction: 'RunInstances' },
    ];
    // THEN pre-flight's answers are the launch role's answers, request by request
    for (const r of requests) expect(isAllowed(preflight, r), `${r.action} ${r.resource}`).toBe(isAllowed(launch, r));
    expect(isAllowed(preflight, requests[0])).toBe(true);
    expect(isAllowed(preflight, requests[1])).toBe(false);
    // AND it cannot tag, terminate or deregister anything the launch role may
    const planInstance = { action: 'ec2:TerminateInstances', resource: unrelatedInstance, region: RECOVERY, resourceTags: { 'lifeboat:plan': 'shop' } };
    expect(isAllowed(launch, planInstance)).toBe(true);
    expect(isAllowed(preflight, planInstance)).toBe(false);
    expect(isAllowed(preflight, { action: 'ec2:CreateTags', resource: unrelatedInstance, region: RECOVERY, resourceTags: { 'lifeboat:plan': 'shop' }, requestTags: { 'lifeboat:substitution': 'x' } })).toBe(false);
  });

  test('the pre-flight role reads only the vCPU quotas of the plan\'s instance families, only in the recovery region', () => {
    const preflight = statements('preflight', plan);
    const quota = (region: string, code: string) => `arn:aws:servicequotas:${region}:111122223333:ec2/${code}`;
    expect(isAllowed(preflight, { action: 'servicequotas:GetServiceQuota', resource: quota(RECOVERY, 'L-1216C47A'), region: RECOVERY })).toBe(true);
    expect(isAllowed(preflight, { action: 'servicequotas:GetServiceQuota', resource: quota(RECOVERY, 'L-417A185B'), region: RECOVERY })).toBe(false);
    expect(isAllowed(preflight, { action: 'servicequotas:GetServiceQuota', resource: quota('us-east-1', 'L-1216C47A'), region: 'us-east-1' })).toBe(false);
    for (const action of ['ec2:DescribeSubnets', 'ec2:DescribeInstanceTypeOfferings', 'cloudwatch:GetMetricData']) {
      expect(isAllowed(preflight, { action, resource: '*', region: RECOVERY }), action).toBe(true);
      expect(isAllowed(preflight, { action, resource: '*', region: 'us-east-1' }), `${action} in the primary region`).toBe(false);
    }
  });
});
