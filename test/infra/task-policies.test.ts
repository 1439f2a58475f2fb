import { Stack } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { TASK_IDS, type TaskId } from '../../schemas/tasks/index.js';
import { copyKeyResource, drillTrafficStatements, taskPolicyStatements } from '../../infra/task-policies.js';

interface Json {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const stack = new Stack(undefined, 'Policies', { env: { account: '111122223333', region: 'eu-west-1' } });
/** Statements as JSON, pseudo parameters resolved to partition `aws` and account 111122223333. */
function statements(task: TaskId, plan: Plan): Json[] {
  // summarize-results only exists beside a run bucket (distributed plans), and only touches it.
  const runBucketArn = task === 'summarize-results' ? { runBucketArn: 'arn:aws:s3:::lifeboat-runs-test' } : {};
  return taskPolicyStatements(task, { plan, ...runBucketArn }).map((s: PolicyStatement) => {
    const json = stack.resolve(s.toStatementJson()) as Json;
    return JSON.parse(JSON.stringify(json).replace(/\{"Fn::Join":\["",\[(.*?)\]\]\}/g, (_m, parts: string) =>
      JSON.stringify((JSON.parse(`[${parts}]`) as unknown[]).map((p) => (typeof p === 'string' ? p : (p as { Ref: string }).Ref === 'AWS::Partition' ? 'aws' : '111122223333')).join('')),
    )) as Json;
  });
}
const actions = (s: Json): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Json): string[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
const withAction = (list: Json[], action: string) => list.filter((s) => actions(s).includes(action));

const TG = 'arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/shop-web/0123456789abcdef';

const base = {
  name: 'shop',
  primaryRegion: 'us-east-1',
  recoveryRegion: 'us-west-2',
  objectives: { rpoMinutes: 60, rtoMinutes: 30 },
  drill: { isolatedSubnetIds: ['subnet-0000000000000000d'], securityGroupIds: ['sg-0000000000000000d'] },
};
const rich = parsePlan(
  {
    ...base,
    workloads: [
      {
        name: 'db',
        instanceIds: ['i-0000000000000000a'],
        launch: {
          subnetIds: ['subnet-0000000000000000a'],
          securityGroupIds: ['sg-0000000000000000a'],
          instanceTypes: ['r6i.large'],
          keyName: 'ops',
          instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/shop-db',
        },
      },
      {
        name: 'web',
        tagSelector: { app: 'shop', tier: 'web' },
        launch: {
          subnetIds: ['subnet-0000000000000000b'],
          securityGroupIds: ['sg-0000000000000000b'],
          launchTemplate: { id: 'lt-0000000000000000b' },
        },
      },
    ],
    backup: { kmsKeyId: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
    traffic: {
      targetGroups: [{ workload: 'web', targetGroupArn: TG }],
      records: [
        { kind: 'alias', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'Shop.Example.com.', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'dr.elb.amazonaws.com' } },
        { kind: 'weights', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'api.example.com', type: 'CNAME', weights: { west: 100 } },
      ],
    },
  },
  'rich',
);
const bare = parsePlan(
  {
    ...base,
    drill: { isolatedSubnetIds: ['subnet-0000000000000000d'] },
    workloads: [{ name: 'app', instanceIds: ['i-0000000000000000c'], launch: { subnetIds: ['subnet-0000000000000000c'], instanceTypes: ['t3.small'] } }],
    backup: { kmsKeyId: 'alias/lifeboat-copies' },
  },
  'bare',
);

describe('infra: task policies', () => {
  test.each(TASK_IDS)('gives %s named actions only, never a wildcard action', (task) => {
    // switch-traffic has nothing to do (and no statement) without plan.traffic.
    for (const plan of task === 'switch-traffic' ? [rich] : [rich, bare]) {
      const list = statements(task, plan);
      expect(list.length).toBeGreaterThan(0);
      for (const s of list) for (const a of actions(s)) expect(a).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
    }
  });

  test('lets switch-traffic register targets in the plan\'s target groups and change only the plan\'s records, by DELETE and CREATE', () => {
    const list = statements('switch-traffic', rich);
    expect(withAction(list, 'elasticloadbalancing:RegisterTargets')).toEqual([expect.objectContaining({ Resource: TG })]);
    expect(withAction(list, 'elasticloadbalancing:DescribeTargetHealth')).toEqual([expect.objectContaining({ Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': ['us-west-2'] } } })]);
    expect(withAction(list, 'route53:ListResourceRecordSets')).toEqual([expect.objectContaining({ Resource: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ' })]);
    expect(withAction(list, 'route53:ChangeResourceRecordSets')).toEqual([{
      Sid: 'ChangePlanRecords', Effect: 'Allow', Action: 'route53:ChangeResourceRecordSets', Resource: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
      Condition: { 'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['api.example.com', 'shop.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'CNAME'],
        'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'],
      } },
    }]);
    expect(withAction(list, 'route53:GetChange')).toEqual([expect.objectContaining({ Resource: 'arn:aws:route53:::change/*' })]);
    expect(statements('switch-traffic', bare)).toEqual([]);
  });

  test("gives the drill's own switch-traffic the drill names and drill target groups only; a drill that reports may only read", () => {
    const DRILL_TG = TG.replace(/targetgroup\/[^/]+/, 'targetgroup/web-drill');
    const exercise = parsePlan({
      ...JSON.parse(JSON.stringify(rich)),
      traffic: {
        drill: 'exercise',
        targetGroups: [{ workload: 'web', targetGroupArn: TG, drillTargetGroupArn: DRILL_TG }],
        records: [
          { kind: 'alias', hostedZoneId: 'Z0123456789ABCDEFGHIJ', name: 'Shop.Example.com.', drillRecordName: 'Drill-Shop.Example.com.', type: 'A', aliasTarget: { hostedZoneId: 'Z1H1FL5HABSF5', dnsName: 'dr.elb.amazonaws.com' } },
        ],
      },
    }, 'exercise');
    const resolve = (list: PolicyStatement[]) => list.map((st) => JSON.parse(JSON.stringify(stack.resolve(st.toStatementJson())).replace(/\{"Fn::Join":\["",\[(.*?)\]\]\}/g, (_m, parts: string) => JSON.stringify((JSON.parse(`[${parts}]`) as unknown[]).map((p) => (typeof p === 'string' ? p : 'aws')).join('')))) as Json);
    const list = resolve(drillTrafficStatements(exercise));
    expect(withAction(list, 'elasticloadbalancing:RegisterTargets')).toEqual([expect.objectContaining({ Resource: DRILL_TG, Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'] })]);
    expect(withAction(list, 'route53:ChangeResourceRecordSets')).toEqual([expect.objectContaining({
      Condition: { 'ForAllValues:StringEquals': {
        'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['drill-shop.example.com'],
        'route53:ChangeResourceRecordSetsRecordTypes': ['A'],
        'route53:ChangeResourceRecordSetsActions': ['CREATE', 'DELETE'],
      } },
    })]);
    expect(JSON.stringify(list)).not.toContain(TG);
    // a drill that reports: read the records, nothing else
    const report = resolve(drillTrafficStatements(rich));
    expect(report.flatMap(actions)).toEqual(['route53:ListResourceRecordSets']);
  });

  test('limits Describe calls, which have no resource-level permissions, to the regions the task works in', () => {
    const describeOf = (task: TaskId) => statements(task, rich).find((s) => s.Sid === 'Describe')!;
    expect(describeOf('resolve-workloads').Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } });
    expect(describeOf('copy').Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } });
    expect(describeOf('launch-in-region').Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-west-2'] } });
  });

  test('lets image read only the protected instances: by id, or by the workload tag selector', () => {
    const create = withAction(statements('image', rich), 'ec2:CreateImage');
    expect(create.find((s) => s.Sid === 'ImageProtectedInstancesById')!.Resource).toBe('arn:aws:ec2:us-east-1:111122223333:instance/i-0000000000000000a');
    expect(create.find((s) => s.Sid === 'ImageProtectedInstancesByTags1')!.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/app': 'shop', 'aws:ResourceTag/tier': 'web' },
    });
    expect(create.find((s) => s.Sid === 'CreateTaggedImages')!).toMatchObject({
      Resource: ['arn:aws:ec2:us-east-1::image/*', 'arn:aws:ec2:us-east-1::snapshot/*'],
      Condition: { StringEquals: { 'aws:RequestTag/lifeboat:plan': 'shop' } },
    });
    expect(withAction(statements('image', rich), 'ec2:CreateTags')[0].Condition).toEqual({ StringEquals: { 'ec2:CreateAction': 'CreateImage' } });
  });

  test('lets copy read only this plan images in the primary region and create only tagged copies in the recovery region', () => {
    const retag = statements('copy', rich).find((s) => s.Sid === 'RetagPlanRecoveryPoints')!;
    expect(retag.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:RequestTag/lifeboat:plan': 'shop', 'aws:RequestTag/lifeboat:role': 'recovery-point' },
      'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['lifeboat:verified', 'lifeboat:set-size'] },
    });
    const copy = withAction(statements('copy', rich), 'ec2:CopyImage');
    expect(copy).toEqual([
      expect.objectContaining({
        Resource: ['arn:aws:ec2:us-east-1::image/*', 'arn:aws:ec2:us-east-1::snapshot/*'],
        Condition: { StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } },
      }),
      expect.objectContaining({
        Resource: ['arn:aws:ec2:us-west-2::image/*', 'arn:aws:ec2:us-west-2::snapshot/*'],
        Condition: { StringEquals: { 'aws:RequestTag/lifeboat:plan': 'shop' } },
      }),
    ]);
  });

  test('grants the copy key to copy and launch only, CreateGrant only for AWS resources', () => {
    const key = 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    for (const task of ['copy', 'launch-in-region'] as const) {
      const kms = statements(task, rich).filter((s) => actions(s).some((a) => a.startsWith('kms:')));
      expect(kms.flatMap(actions).sort()).toEqual([
        'kms:CreateGrant',
        'kms:Decrypt',
        'kms:DescribeKey',
        'kms:Encrypt',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
      ]);
      for (const s of kms) expect(s.Resource).toBe(key);
      expect(withAction(kms, 'kms:CreateGrant')[0].Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
    }
    // Pre-flight only reads the key's state (DescribeKey), on that key only.
    const preflightKms = statements('preflight', rich).filter((s) => actions(s).some((a) => a.startsWith('kms:')));
    expect(preflightKms.flatMap(actions)).toEqual(['kms:DescribeKey']);
    for (const s of preflightKms) expect(s.Resource).toBe(key);
    for (const task of TASK_IDS.filter((t) => t !== 'copy' && t !== 'launch-in-region' && t !== 'preflight')) {
      expect(statements(task, rich).flatMap(actions).filter((a) => a.startsWith('kms:'))).toEqual([]);
    }
  });

  test('names a copy key given by alias through kms:ResourceAliases, and grants no KMS without a key', () => {
    expect(copyKeyResource(bare)).toEqual({
      arn: expect.stringContaining(':kms:us-west-2:'),
      conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/lifeboat-copies' } },
    });
    const noKey = parsePlan({ ...base, workloads: [{ name: 'app', instanceIds: ['i-0000000000000000c'], launch: { subnetIds: ['subnet-0000000000000000c'], instanceTypes: ['t3.small'] } }] }, 'nokey');
    expect(copyKeyResource(noKey)).toBeUndefined();
    expect(statements('copy', noKey).flatMap(actions).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });

  test('lets verify add only lifeboat:verified=true, only to this plan recovery points', () => {
    expect(withAction(statements('verify', rich), 'ec2:CreateTags')).toEqual([
      expect.objectContaining({
        Resource: ['arn:aws:ec2:us-west-2::image/*', 'arn:aws:ec2:us-west-2::snapshot/*'],
        Condition: {
          StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:RequestTag/lifeboat:verified': 'true' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['lifeboat:verified'] },
        },
      }),
    ]);
  });

  test('lets prune delete only this plan images and snapshots, in both regions', () => {
    const del = withAction(statements('prune', rich), 'ec2:DeregisterImage');
    expect(del).toHaveLength(1);
    expect(actions(del[0]).sort()).toEqual(['ec2:DeleteSnapshot', 'ec2:DeregisterImage']);
    expect(resources(del[0]).sort()).toEqual([
      'arn:aws:ec2:us-east-1::image/*',
      'arn:aws:ec2:us-east-1::snapshot/*',
      'arn:aws:ec2:us-west-2::image/*',
      'arn:aws:ec2:us-west-2::snapshot/*',
    ]);
    expect(del[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } });
  });

  test('lets prune seal only this plan verified recovery points, with lifeboat:set-size and no other key', () => {
    const tag = withAction(statements('prune', rich), 'ec2:CreateTags');
    expect(tag).toHaveLength(1);
    expect(resources(tag[0])).toEqual(['arn:aws:ec2:us-west-2::image/*']);
    expect(tag[0].Condition).toEqual({
      StringEquals: {
        'aws:ResourceTag/lifeboat:plan': 'shop',
        'aws:ResourceTag/lifeboat:role': 'recovery-point',
        'aws:ResourceTag/lifeboat:verified': 'true',
      },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['lifeboat:set-size'] },
    });
  });

  test('lets launch use only the plan subnets, groups, key pairs, templates and recovery points', () => {
    const run = withAction(statements('launch-in-region', rich), 'ec2:RunInstances');
    const named = run.find((s) => s.Sid === 'LaunchIntoPlanSubnets')!;
    expect(resources(named).sort()).toEqual([
      'arn:aws:ec2:us-west-2:111122223333:security-group/sg-0000000000000000a',
      'arn:aws:ec2:us-west-2:111122223333:security-group/sg-0000000000000000b',
      'arn:aws:ec2:us-west-2:111122223333:security-group/sg-0000000000000000d',
      'arn:aws:ec2:us-west-2:111122223333:subnet/subnet-0000000000000000a',
      'arn:aws:ec2:us-west-2:111122223333:subnet/subnet-0000000000000000b',
      'arn:aws:ec2:us-west-2:111122223333:subnet/subnet-0000000000000000d',
    ]);
    expect(run.find((s) => s.Sid === 'LaunchWithPlanKeyPairs')!.Resource).toBe('arn:aws:ec2:us-west-2:111122223333:key-pair/ops');
    expect(run.find((s) => s.Sid === 'LaunchWithPlanTemplates')!.Resource).toBe('arn:aws:ec2:us-west-2:111122223333:launch-template/lt-0000000000000000b');
    expect(run.find((s) => s.Sid === 'LaunchFromRecoveryPoints')!.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } });
    expect(run.find((s) => s.Sid === 'LaunchTaggedInstances')!.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/lifeboat:plan': 'shop' },
      StringEqualsIfExists: { 'ec2:InstanceProfile': ['arn:aws:iam::111122223333:instance-profile/shop-db'] },
    });
    expect(run.find((s) => s.Sid === 'LaunchNetworkInterfacesInPlanSubnets')!.Condition!.ArnEquals['ec2:Subnet']).toHaveLength(3);
  });

  test('falls back to any security group only when a workload names none', () => {
    const named = statements('launch-in-region', bare).find((s) => s.Sid === 'LaunchIntoPlanSubnets')!;
    expect(resources(named)).toContain('arn:aws:ec2:us-west-2:111122223333:security-group/*');
    expect(resources(named).filter((r) => r.includes(':subnet/'))).toHaveLength(2);
  });

  test('gives pre-flight reads of exactly what it checks: the plan\'s key, quotas and profiles, and Describe* in the recovery region', () => {
    const own = statements('preflight', rich);
    const describe = withAction(own, 'ec2:DescribeSubnets')[0];
    expect(actions(describe)).toEqual([
      'ec2:DescribeImages',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeInstances',
      'ec2:DescribeKeyPairs',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
    ]);
    expect(describe.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': ['us-west-2'] } });
    expect(withAction(own, 'servicequotas:GetServiceQuota').flatMap(resources)).toEqual(['arn:aws:servicequotas:us-west-2:111122223333:ec2/L-1216C47A']);
    expect(withAction(own, 'iam:GetInstanceProfile').flatMap(resources)).toEqual(['arn:aws:iam::111122223333:instance-profile/shop-db']);
    expect(withAction(own, 'kms:DescribeKey').flatMap(resources)).toEqual(['arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab']);
    // Nothing that changes a resource except RunInstances (always with DryRun) and its tag-on-create.
    const writes = own.flatMap(actions).filter((a) => !/^(ec2:Describe|kms:Describe|servicequotas:Get|iam:Get|cloudwatch:Get)/.test(a));
    expect([...new Set(writes)].sort()).toEqual(['ec2:CreateTags', 'ec2:RunInstances', 'iam:PassRole']);
    expect(withAction(own, 'ec2:CreateTags').every((st) => JSON.stringify(st.Condition).includes('"ec2:CreateAction":"RunInstances"'))).toBe(true);
    // A plan without profiles or a key by ARN gets no IAM read, and the key by alias only through kms:ResourceAliases.
    expect(withAction(statements('preflight', bare), 'iam:GetInstanceProfile')).toEqual([]);
    expect(withAction(statements('preflight', bare), 'kms:DescribeKey')[0].Condition).toEqual({ 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/lifeboat-copies' } });
  });

  test('passes roles only to EC2 and only when the plan names an instance profile', () => {
    const pass = withAction(statements('launch-in-region', rich), 'iam:PassRole');
    expect(pass).toEqual([
      expect.objectContaining({
        Resource: 'arn:aws:iam::111122223333:role/*',
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      }),
    ]);
    expect(withAction(statements('launch-in-region', bare), 'iam:PassRole')).toEqual([]);
    // Pre-flight's DryRun launch is authorised as the launch is, PassRole included.
    expect(withAction(statements('preflight', rich), 'iam:PassRole')).toEqual(pass);
    for (const task of TASK_IDS.filter((t) => t !== 'launch-in-region' && t !== 'preflight')) expect(withAction(statements(task, rich), 'iam:PassRole')).toEqual([]);
  });

  test('lets teardown terminate only drill instances of this plan, and launch only instances of this plan', () => {
    for (const task of TASK_IDS) {
      const terminate = withAction(statements(task, rich), 'ec2:TerminateInstances');
      if (task === 'teardown' || task === 'collect') {
        expect(terminate[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:ResourceTag/lifeboat:role': 'drill-instance' } });
      } else if (task === 'retire-instances') {
        // a failback retires the recovered (failover) instances of this plan, nothing else
        expect(terminate[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop', 'aws:ResourceTag/lifeboat:role': 'failover-instance' } });
      } else if (task === 'launch-in-region') {
        // a failed instance of an earlier attempt is replaced after a redrive
        expect(terminate[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/lifeboat:plan': 'shop' } });
      } else {
        expect(terminate).toEqual([]);
      }
    }
  });

  test('lets the metric tasks publish only to the Lifeboat namespace', () => {
    const put = expect.objectContaining({ Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Lifeboat' } } });
    expect(statements('record-failure', rich)).toEqual([put]);
    // record-metrics (a backup's RPO) and publish-rpo measure the RPO from the recovery points' tags: read-only, recovery region only
    const describeImages = expect.objectContaining({ Action: 'ec2:DescribeImages', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': ['us-west-2'] } } });
    for (const task of ['record-metrics', 'publish-rpo'] as const) expect(statements(task, rich)).toEqual([describeImages, put]);
  });
});
