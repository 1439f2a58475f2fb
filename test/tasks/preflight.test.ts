import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type Image,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { PreflightOutputSchema, type PreflightInput, vcpuQuotaOf } from '../../schemas/tasks/preflight.js';
import type { TaskContext } from '../../tasks/_shared/define-task.js';
import { resetS3Clients } from '../../tasks/_shared/s3.js';
import { preflight, vcpusFromSize } from '../../tasks/preflight/preflight.js';
import type { KeyFacts, PreflightServices } from '../../tasks/preflight/services.js';
import { ec2Error, imageField, matchesFilters, recoveryPoint } from './helpers.js';

/*
 * Each check against a healthy account first, then with one precondition broken. EC2 and
 * CloudWatch are mocked with aws-sdk-client-mock (filters applied as EC2 applies them); KMS,
 * Service Quotas and IAM through the PreflightServices interface.
 */

const ec2 = mockClient(EC2Client);
const cloudwatch = mockClient(CloudWatchClient);
const s3 = mockClient(S3Client);

const NOW = '2026-11-25T12:00:00.000Z';
const KEY = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PROFILE = 'arn:aws:iam::123456789012:instance-profile/shop-db';

interface World {
  images: Image[];
  subnets: { SubnetId: string; VpcId: string; AvailabilityZone: string }[];
  groups: { GroupId: string; VpcId: string }[];
  keyPairs: string[];
  offerings: string[]; // `${type}@${zone}`
  running: { InstanceType: string }[];
  quota: number;
  key: KeyFacts | Error;
  profiles: string[];
  dryRun: Error;
  measured: number[];
}

let world: World;
let serviceCalls: string[];

const services: PreflightServices = {
  async describeKey(_region, keyId) {
    serviceCalls.push(`DescribeKey ${keyId}`);
    if (world.key instanceof Error) throw world.key;
    return world.key;
  },
  async getServiceQuota(_region, service, code) {
    serviceCalls.push(`GetServiceQuota ${service}/${code}`);
    return world.quota;
  },
  async getInstanceProfile(name) {
    serviceCalls.push(`GetInstanceProfile ${name}`);
    if (!world.profiles.includes(name)) throw Object.assign(new Error(`Instance Profile ${name} cannot be found.`), { name: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } });
    return { arn: `arn:aws:iam::123456789012:instance-profile/${name}`, roleCount: 1 };
  },
};

function context(): TaskContext {
  return {
    executionArn: 'arn:aws:states:us-west-2:123456789012:execution:lifeboat-shop-drill:drill-1',
    stateName: 'Pre-flight checks',
    now: new Date(NOW),
    redriveCount: 0,
    ec2: (region) => new EC2Client({ region }),
    cloudwatch: (region) => new CloudWatchClient({ region }),
    sfn: () => {
      throw new Error('not used');
    },
    log: () => undefined,
  };
}

const dbLaunch = {
  subnetIds: ['subnet-0aa11bb22cc330001', 'subnet-0aa11bb22cc330002'],
  securityGroupIds: ['sg-0aa11bb22cc330001'],
  instanceTypes: ['m5.large', 'm5a.large'],
  keyName: 'ops',
  instanceProfileArn: PROFILE,
};
const webLaunch = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330001'], instanceTypes: ['m5.large'], keyName: 'ops' };

function input(over: Partial<PreflightInput> = {}): PreflightInput {
  return {
    planName: 'shop',
    region: 'us-west-2',
    mode: 'failover',
    objectives: { rpoMinutes: 240, rtoMinutes: 60 },
    kmsKeyId: KEY,
    workloads: [
      { name: 'db', isCritical: true, wave: 1, launch: dbLaunch },
      { name: 'web', isCritical: true, wave: 2, launch: webLaunch },
      { name: 'reports', isCritical: false, wave: 2, launch: webLaunch },
    ],
    rtoModel: { fixedSeconds: 120, secondsPerWave: 420 },
    measuredDrills: 3,
    ...over,
  };
}

const calls = (command: unknown) => ec2.commandCalls(command as never).length;

describe('task: preflight', () => {
  beforeEach(() => {
    ec2.reset();
    cloudwatch.reset();
    s3.reset();
    resetS3Clients();
    serviceCalls = [];
    world = {
      images: [
        recoveryPoint('ami-0000000000000d001', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T10:30:00.000Z', { setSize: 1 }),
        recoveryPoint('ami-0000000000000e001', 'web', 'i-0a1b2c3d4e5f60011', '2026-11-25T10:30:00.000Z', { setSize: 2 }),
        recoveryPoint('ami-0000000000000e002', 'web', 'i-0a1b2c3d4e5f60012', '2026-11-25T10:30:00.000Z', { setSize: 2 }),
        recoveryPoint('ami-0000000000000f001', 'reports', 'i-0a1b2c3d4e5f60021', '2026-11-25T10:30:00.000Z', { setSize: 1 }),
      ],
      subnets: [
        { SubnetId: 'subnet-0aa11bb22cc330001', VpcId: 'vpc-0aa11bb22cc330001', AvailabilityZone: 'us-west-2a' },
        { SubnetId: 'subnet-0aa11bb22cc330002', VpcId: 'vpc-0aa11bb22cc330001', AvailabilityZone: 'us-west-2b' },
      ],
      groups: [{ GroupId: 'sg-0aa11bb22cc330001', VpcId: 'vpc-0aa11bb22cc330001' }],
      keyPairs: ['ops'],
      offerings: ['m5.large@us-west-2a', 'm5.large@us-west-2b', 'm5a.large@us-west-2a', 'm5a.large@us-west-2b'],
      running: Array.from({ length: 10 }, () => ({ InstanceType: 'm5.large' })),
      quota: 64,
      key: { arn: KEY, keyState: 'Enabled', enabled: true, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' },
      profiles: ['shop-db'],
      dryRun: ec2Error('DryRunOperation', 412, 'Request would have succeeded, but DryRun flag is set.'),
      measured: [],
    };
    const byFilter = <T>(items: T[], field: (item: T, name: string) => string | undefined) => (req: { Filters?: { Name?: string; Values?: string[] }[] }) =>
      items.filter((item) => matchesFilters((n) => field(item, n), req.Filters));
    ec2.on(DescribeImagesCommand).callsFake((req) => ({ Images: byFilter(world.images, imageField)(req) }));
    ec2.on(DescribeSubnetsCommand).callsFake((req) => ({ Subnets: byFilter(world.subnets, (s, n) => (n === 'subnet-id' ? s.SubnetId : undefined))(req) }));
    ec2.on(DescribeSecurityGroupsCommand).callsFake((req) => ({ SecurityGroups: byFilter(world.groups, (g, n) => (n === 'group-id' ? g.GroupId : undefined))(req) }));
    ec2.on(DescribeKeyPairsCommand).callsFake((req) => ({ KeyPairs: byFilter(world.keyPairs, (k, n) => (n === 'key-name' ? k : undefined))(req).map((KeyName) => ({ KeyName })) }));
    ec2.on(DescribeInstanceTypeOfferingsCommand).callsFake((req) => ({
      InstanceTypeOfferings: byFilter(world.offerings, (o, n) => (n === 'instance-type' ? o.split('@')[0] : n === 'location' ? o.split('@')[1] : undefined))(req).map((o) => ({
        InstanceType: o.split('@')[0],
        Location: o.split('@')[1],
        LocationType: 'availability-zone',
      })),
    }));
    ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [{ InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 } }, { InstanceType: 'm5a.large', VCpuInfo: { DefaultVCpus: 2 } }] });
    ec2.on(DescribeInstancesCommand).callsFake(() => ({ Reservations: [{ Instances: world.running }] }));
    ec2.on(RunInstancesCommand).callsFake(() => {
      throw world.dryRun;
    });
    cloudwatch.on(GetMetricDataCommand).callsFake(() => ({ MetricDataResults: [{ Id: 'rto', Values: world.measured }] }));
    s3.on(PutObjectCommand).resolves({});
  });
  afterEach(() => vi.restoreAllMocks());

  test('finds nothing on a healthy account, and reports each workload\'s recovery set and its age', async () => {
    const out = PreflightOutputSchema.parse(await preflight(input(), context(), services));
    expect(out.findings).toEqual([]);
    expect(out).toMatchObject({ blocking: 0, warnings: 0, blockedWorkloads: [], blockedCount: 0, checkedAt: NOW });
    expect(out.recoverySets).toEqual([
      { workload: 'db', recoveryPointTime: '2026-11-25T10:30:00.000Z', ageSeconds: 5400, rpoObjectiveSeconds: 14400 },
      { workload: 'web', recoveryPointTime: '2026-11-25T10:30:00.000Z', ageSeconds: 5400, rpoObjectiveSeconds: 14400 },
      { workload: 'reports', recoveryPointTime: '2026-11-25T10:30:00.000Z', ageSeconds: 5400, rpoObjectiveSeconds: 14400 },
    ]);
    // 2 waves: 120 + 2 × 420, no drill measured yet.
    expect(out.predictedRtoSeconds).toBe(960);
    expect(out.predictedRto).toEqual({ modelSeconds: 960, measuredSeconds: null, measuredDrills: 0, objectiveSeconds: 3600 });
  });

  test('makes one call per distinct subnet set, group set, key pair, profile, quota and launch configuration, whatever the workloads sharing them', async () => {
    const out = await preflight(input(), context(), services);
    expect(calls(DescribeSubnetsCommand)).toBe(1);
    expect(calls(DescribeSecurityGroupsCommand)).toBe(1);
    expect(calls(DescribeKeyPairsCommand)).toBe(1);
    // web and reports launch alike: one DryRun for both, one for db.
    expect(calls(RunInstancesCommand)).toBe(2);
    for (const call of ec2.commandCalls(RunInstancesCommand)) expect(call.args[0].input.DryRun).toBe(true);
    expect(serviceCalls.sort()).toEqual([`DescribeKey ${KEY}`, 'GetInstanceProfile shop-db', 'GetServiceQuota ec2/L-1216C47A']);
    expect(out.calls).toMatchObject({ RunInstances: 2, DescribeSubnets: 1, GetServiceQuota: 1 });
  });

  test('the DryRun launch is the launch itself: first rung, groups, key, profile and the run\'s tags', async () => {
    await preflight(input({ mode: 'drill', isolation: { subnetIds: ['subnet-0aa11bb22cc330002'] } }), context(), services);
    const db = ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input).find((r) => r.ImageId === 'ami-0000000000000d001')!;
    expect(db).toMatchObject({
      DryRun: true,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 'm5.large',
      SubnetId: 'subnet-0aa11bb22cc330002',
      SecurityGroupIds: ['sg-0aa11bb22cc330001'],
      KeyName: 'ops',
      IamInstanceProfile: { Arn: PROFILE },
    });
    expect(db.TagSpecifications?.[0].Tags).toEqual(expect.arrayContaining([{ Key: 'lifeboat:plan', Value: 'shop' }, { Key: 'lifeboat:role', Value: 'drill-instance' }]));
  });

  test('a removed subnet blocks every workload launching into it', async () => {
    world.subnets = world.subnets.filter((s) => s.SubnetId !== 'subnet-0aa11bb22cc330001');
    const out = await preflight(input(), context(), services);
    const subnet = out.findings.filter((f) => f.check === 'subnet');
    expect(subnet.map((f) => f.workload).sort()).toEqual(['db', 'reports', 'web']);
    expect(subnet[0]).toMatchObject({ severity: 'blocking', expected: 'subnet subnet-0aa11bb22cc330001 in us-west-2', found: 'no such subnet' });
    expect(subnet[0].fix).toContain('workloads[].launch.subnetIds');
    expect(out.blockedWorkloads).toEqual(['db', 'reports', 'web']);
  });

  test('a disabled key, or a missing one, blocks the whole plan', async () => {
    world.key = { arn: KEY, keyState: 'Disabled', enabled: false, keyUsage: 'ENCRYPT_DECRYPT', keySpec: 'SYMMETRIC_DEFAULT' };
    let out = await preflight(input(), context(), services);
    expect(out.findings).toEqual([
      expect.objectContaining({ workload: '*', check: 'kms-key', severity: 'blocking', found: 'key state Disabled', fix: expect.stringContaining('aws kms enable-key') }),
    ]);
    expect(out.blockedWorkloads).toEqual(['*']);
    world.key = Object.assign(new Error(`Key '${KEY}' does not exist`), { name: 'NotFoundException', $metadata: { httpStatusCode: 400 } });
    out = await preflight(input(), context(), services);
    expect(out.findings).toEqual([expect.objectContaining({ check: 'kms-key', severity: 'blocking', found: 'no such key' })]);
  });

  test('a quota lowered below what runs plus what the run launches blocks, naming both figures and the request to raise it', async () => {
    // db 1 × 2 + web 2 × 2 + reports 1 × 2 = 8 vCPUs to launch, 10 × 2 = 20 running.
    world.quota = 27;
    const out = await preflight(input(), context(), services);
    expect(out.findings).toEqual([
      expect.objectContaining({
        workload: '*',
        check: 'vcpu-quota',
        severity: 'blocking',
        expected: expect.stringContaining('at least 28 vCPUs: 8 to launch + 20 running'),
        found: '27 vCPUs',
        fix: expect.stringContaining('--quota-code L-1216C47A --desired-value 28'),
      }),
    ]);
    world.quota = 28;
    expect((await preflight(input(), context(), services)).blocking).toBe(0);
  });

  test('a type withdrawn from one zone is a warning; from every zone of the ladder, blocking', async () => {
    world.offerings = world.offerings.filter((o) => o !== 'm5.large@us-west-2a');
    let out = await preflight(input(), context(), services);
    // db still has m5.large in 2b and m5a.large; web and reports have only m5.large in 2a.
    expect(out.findings.filter((f) => f.check === 'instance-type-offering').map((f) => [f.workload, f.severity])).toEqual([
      ['reports', 'blocking'],
      ['web', 'blocking'],
      ['db', 'warning'],
    ]);
    expect(out.findings.find((f) => f.workload === 'db')!.found).toBe('not offered: m5.large in us-west-2a');
    world.offerings = [...world.offerings, 'm5.large@us-west-2a'];
    out = await preflight(input(), context(), services);
    expect(out.findings.filter((f) => f.check === 'instance-type-offering')).toEqual([]);
  });

  test('a denied DryRun blocks every workload of that launch configuration', async () => {
    world.dryRun = ec2Error('UnauthorizedOperation', 403, 'You are not authorized to perform this operation. Encoded authorization failure message: abc');
    const out = await preflight(input(), context(), services);
    const dry = out.findings.filter((f) => f.check === 'dry-run');
    expect(dry.map((f) => f.workload).sort()).toEqual(['db', 'reports', 'web']);
    expect(dry[0]).toMatchObject({ severity: 'blocking', found: expect.stringMatching(/^UnauthorizedOperation: You are not authorized/) });
    expect(dry[0].fix).toContain('decode-authorization-message');
  });

  test('a parameter error of the DryRun blocks; insufficient capacity only warns', async () => {
    world.dryRun = ec2Error('InvalidParameterValue', 400, "Value (sg-0aa11bb22cc330001) for parameter groupId is invalid.");
    expect((await preflight(input(), context(), services)).findings.every((f) => f.check === 'dry-run' && f.severity === 'blocking')).toBe(true);
    world.dryRun = ec2Error('InsufficientInstanceCapacity', 500);
    const out = await preflight(input(), context(), services);
    expect(out.blocking).toBe(0);
    expect(out.warnings).toBe(3);
  });

  test('a security group of another VPC than the subnet blocks the workload', async () => {
    world.groups = [{ GroupId: 'sg-0aa11bb22cc330001', VpcId: 'vpc-0ffffffffffffffff' }];
    const out = await preflight(input(), context(), services);
    const sg = out.findings.filter((f) => f.check === 'security-group');
    expect(sg.map((f) => f.workload).sort()).toEqual(['db', 'reports', 'web']);
    expect(sg[0]).toMatchObject({ severity: 'blocking', found: 'it is in vpc-0ffffffffffffffff', expected: expect.stringContaining('(vpc-0aa11bb22cc330001)') });
  });

  test('a missing key pair or instance profile blocks the workloads that use it', async () => {
    world.keyPairs = [];
    world.profiles = [];
    const out = await preflight(input(), context(), services);
    expect(out.findings.filter((f) => f.check === 'key-pair').map((f) => f.workload).sort()).toEqual(['db', 'reports', 'web']);
    expect(out.findings.filter((f) => f.check === 'instance-profile')).toEqual([
      expect.objectContaining({ workload: 'db', severity: 'blocking', found: 'no such instance profile', expected: `instance profile ${PROFILE}` }),
    ]);
  });

  test('no recovery set blocks a critical workload and warns for an optional one; an old set warns against the RPO', async () => {
    world.images = world.images.filter((i) => !['ami-0000000000000d001', 'ami-0000000000000f001'].includes(i.ImageId!));
    world.images.push(recoveryPoint('ami-0000000000000d009', 'db', 'i-0a1b2c3d4e5f60001', '2026-11-25T06:00:00.000Z', { setSize: 1 }));
    const out = await preflight(input({ workloads: [...input().workloads, { name: 'cache', isCritical: true, wave: 1, launch: webLaunch }] }), context(), services);
    expect(out.findings.filter((f) => f.check.startsWith('recovery')).map((f) => [f.workload, f.check, f.severity])).toEqual([
      ['cache', 'recovery-set', 'blocking'],
      ['db', 'recovery-point-age', 'warning'],
      ['reports', 'recovery-set', 'warning'],
    ]);
    expect(out.recoverySets.find((r) => r.workload === 'db')).toEqual({ workload: 'db', recoveryPointTime: '2026-11-25T06:00:00.000Z', ageSeconds: 21600, rpoObjectiveSeconds: 14400 });
    expect(out.recoverySets.find((r) => r.workload === 'cache')).toMatchObject({ recoveryPointTime: null, ageSeconds: null });
    // Nothing to launch for cache: no DryRun for it, and it does not count against the quota.
    expect(ec2.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ImageId).sort()).toEqual(['ami-0000000000000d009', 'ami-0000000000000e001']);
  });

  test('a pin that is no recovery point of the workload blocks it, even when optional', async () => {
    const out = await preflight(input({ pins: { reports: 'ami-0000000000000d001' } }), context(), services);
    expect(out.findings).toEqual([expect.objectContaining({ workload: 'reports', check: 'recovery-set', severity: 'blocking', found: expect.stringContaining('pinned ami-0000000000000d001') })]);
  });

  test('a throttled read does not fail the step: the check it served is a warning, and the call is listed', async () => {
    ec2.on(DescribeSubnetsCommand).rejects(ec2Error('RequestLimitExceeded', 503));
    const out = await preflight(input(), context(), services);
    expect(out.blocking).toBe(0);
    expect(out.findings).toEqual([
      expect.objectContaining({ workload: 'db', check: 'subnet', severity: 'warning', found: expect.stringContaining('not checked') }),
      expect.objectContaining({ workload: 'reports', check: 'subnet', severity: 'warning' }),
      expect.objectContaining({ workload: 'web', check: 'subnet', severity: 'warning' }),
    ]);
    expect(out.throttled).toEqual(['DescribeSubnets (2 subnet(s)): RequestLimitExceeded']);
  });

  test('a throttled quota read (Service Quotas TooManyRequestsException) is not checked rather than failed', async () => {
    const throttling: PreflightServices = {
      ...services,
      getServiceQuota: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 400 } });
      },
    };
    const out = await preflight(input(), context(), throttling);
    expect(out.findings).toEqual([expect.objectContaining({ workload: '*', check: 'vcpu-quota', severity: 'warning' })]);
    expect(out.throttled).toEqual(['GetServiceQuota (ec2 L-1216C47A): TooManyRequestsException']);
  });

  test('predicts the RTO from the slowest of the last drills when slower than the model, and warns above the objective', async () => {
    world.measured = [3000, 4100, 2000, 9999];
    const out = await preflight(input(), context(), services);
    expect(out.predictedRto).toEqual({ modelSeconds: 960, measuredSeconds: 4100, measuredDrills: 3, objectiveSeconds: 3600 });
    expect(out.predictedRtoSeconds).toBe(4100);
    expect(out.findings).toEqual([expect.objectContaining({ workload: '*', check: 'predicted-rto', severity: 'warning', found: expect.stringContaining('4100 s') })]);
    const query = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(query.MetricDataQueries?.[0].MetricStat?.Metric).toEqual({
      Namespace: 'Lifeboat',
      MetricName: 'RecoveryTimeSeconds',
      Dimensions: [{ Name: 'Plan', Value: 'shop' }, { Name: 'Mode', Value: 'drill' }],
    });
  });

  test('keeps the output bounded at scale: counts of all, 50 findings inline, the whole report in the run bucket', async () => {
    // GIVEN 2,000 workloads sharing one removed subnet
    world.subnets = [];
    const workloads = Array.from({ length: 2000 }, (_, i) => ({ name: `w${String(i).padStart(4, '0')}`, isCritical: true, wave: 1 + (i % 3), launch: webLaunch }));
    // WHEN
    const out = PreflightOutputSchema.parse(
      await preflight(input({ workloads, kmsKeyId: undefined, reportStore: { bucket: 'lifeboat-shop-runs', prefix: 'runs/lifeboat-shop-failover/f-1' } }), context(), services),
    );
    // THEN
    expect(out.blocking).toBe(4000); // no subnet and no recovery set, each workload
    expect(out.findings).toHaveLength(50);
    expect(out.findingsTruncated).toBe(true);
    expect(out.recoverySets).toHaveLength(50);
    expect(out.recoverySetsTruncated).toBe(true);
    expect(out.blockedCount).toBe(2000);
    expect(out.blockedWorkloads).toHaveLength(50);
    expect(out.report).toEqual({ bucket: 'lifeboat-shop-runs', key: 'runs/lifeboat-shop-failover/f-1/preflight.json' });
    expect(calls(DescribeSubnetsCommand)).toBe(1);
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(64 * 1024);
    const put = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    const report = JSON.parse(String(put.Body));
    expect(report.findings).toHaveLength(4000);
    expect(report.blockedWorkloads).toHaveLength(2000);
  });
});

describe('task: preflight, vCPU figures', () => {
  test('maps instance families to their On-Demand vCPU quota', () => {
    expect(['m5.large', 't3.micro', 'r6i.xlarge', 'c7g.medium', 'z1d.large', 'inf2.xlarge', 'g5.xlarge', 'p4d.24xlarge', 'x2idn.metal', 'dl1.24xlarge', 'trn1.2xlarge'].map((t) => vcpuQuotaOf(t).code)).toEqual([
      'L-1216C47A',
      'L-1216C47A',
      'L-1216C47A',
      'L-1216C47A',
      'L-1216C47A',
      'L-1945791B',
      'L-DB2E81BA',
      'L-417A185B',
      'L-7295265B',
      'L-6E869C2A',
      'L-2C3B7624',
    ]);
  });

  test('estimates vCPUs from the size when EC2 did not say', () => {
    expect(['t2.micro', 't3.micro', 'c6g.medium', 't3.medium', 'm5.large', 'm5.xlarge', 'm5.4xlarge', 'r6i.24xlarge'].map(vcpusFromSize)).toEqual([1, 2, 1, 2, 2, 4, 16, 96]);
  });
});
