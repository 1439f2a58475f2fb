import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, RegisterTargetsCommand, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index.js';
import { hasAws, hasBoto3, runAws, runPython } from '../aws-tools.js';

const REGION = 'eu-west-1';

if (!hasAws) console.warn('sandbox: elbv2 › AWS CLI test skipped: no working `aws` on PATH');
if (!hasBoto3) console.warn('sandbox: elbv2 › boto3 test skipped: python3 cannot import boto3');

/** A Query-protocol call without a signature (the sandbox then uses its default region). */
async function query(sandbox: Sandbox, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(sandbox.endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...params, Version: '2015-12-01' }).toString(),
  });
  return { status: res.status, body: await res.text() };
}

async function admin(sandbox: Sandbox, action: string, body: unknown = {}): Promise<any> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/${action}`, { method: 'POST', body: JSON.stringify(body) });
  return res.json();
}

const tag = (body: string, name: string): string[] => [...body.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);

interface Fixture { readonly instanceId: string; readonly vpcId: string; readonly subnetId: string; readonly t0: number }

function fixture(sandbox: Sandbox): Fixture {
  const [instanceId] = sandbox.ec2.seedInstances(REGION, [{ instanceType: 't3.micro' }]);
  const view = sandbox.ec2.region(REGION);
  const instance = view.instances().find((i) => i.instanceId === instanceId)!;
  const subnet = view.subnets().find((s) => s.subnetId === instance.subnetId)!;
  return { instanceId: instanceId!, vpcId: subnet.vpcId, subnetId: subnet.subnetId, t0: sandbox.clock.now() };
}

/** A target group (10 s interval, 3 to be healthy) behind a load balancer's listener, so it is in use. */
async function groupInUse(sandbox: Sandbox, f: Fixture, name: string, isInUse = true): Promise<string> {
  const created = await query(sandbox, {
    Action: 'CreateTargetGroup', Name: name, Protocol: 'HTTP', Port: '80', VpcId: f.vpcId,
    HealthCheckIntervalSeconds: '10', HealthyThresholdCount: '3', UnhealthyThresholdCount: '2', HealthCheckPath: '/health',
  });
  expect(created.status).toBe(200);
  const arn = tag(created.body, 'TargetGroupArn')[0]!;
  if (isInUse) {
    const lb = await query(sandbox, { Action: 'CreateLoadBalancer', Name: `${name}-lb`, 'Subnets.member.1': f.subnetId });
    expect(lb.status).toBe(200);
    const listener = await query(sandbox, { Action: 'CreateListener', LoadBalancerArn: tag(lb.body, 'LoadBalancerArn')[0]!, Port: '80', 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': arn });
    expect(listener.status).toBe(200);
  }
  return arn;
}

async function clockTo(sandbox: Sandbox, ms: number): Promise<void> {
  const res = await fetch(`${sandbox.endpoint}/_sandbox/clock`, { method: 'POST', body: JSON.stringify({ to: ms }) });
  expect(res.status).toBe(200);
}

async function health(sandbox: Sandbox, arn: string, targetId?: string): Promise<{ state: string; reason?: string; description?: string }> {
  const res = await query(sandbox, { Action: 'DescribeTargetHealth', TargetGroupArn: arn, ...(targetId ? { 'Targets.member.1.Id': targetId } : {}) });
  expect(res.status).toBe(200);
  return { state: tag(res.body, 'State')[0]!, reason: tag(res.body, 'Reason')[0], description: tag(res.body, 'Description')[0] };
}

// Reason codes and their meaning: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
describe('sandbox: elbv2 (Query protocol, 2015-12-01)', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ region: REGION, log: () => {} });
  });
  afterAll(async () => sandbox.stop());

  test('a registered target goes initial (RegistrationInProgress, then InitialHealthChecking) and turns healthy after interval × healthy threshold', async () => {
    const f = fixture(sandbox);
    const arn = await groupInUse(sandbox, f, 'web-healthy');
    expect(await health(sandbox, arn, f.instanceId)).toEqual({ state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' });
    expect((await query(sandbox, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': f.instanceId })).status).toBe(200);
    const t0 = sandbox.clock.now();
    expect(await health(sandbox, arn)).toEqual({ state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' });
    await clockTo(sandbox, t0 + 25_000);
    expect(await health(sandbox, arn)).toEqual({ state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' });
    await clockTo(sandbox, t0 + 31_000);
    expect(await health(sandbox, arn)).toEqual({ state: 'healthy' });
  });

  test('a target group no load balancer uses reports its targets unused (Target.NotInUse)', async () => {
    const f = fixture(sandbox);
    const arn = await groupInUse(sandbox, f, 'web-unused', false);
    await query(sandbox, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': f.instanceId });
    await clockTo(sandbox, sandbox.clock.now() + 60_000);
    expect(await health(sandbox, arn)).toMatchObject({ state: 'unused', reason: 'Target.NotInUse' });
  });

  test('a target made unhealthy by a fault never turns healthy: Timeout, or ResponseCodeMismatch naming the code', async () => {
    const f = fixture(sandbox);
    const arn = await groupInUse(sandbox, f, 'web-faulty');
    expect(await admin(sandbox, 'elbv2.faults.set', { unhealthyTargets: [{ targetId: f.instanceId, targetGroupArn: arn }] })).toMatchObject({ faults: [{ targetId: f.instanceId }] });
    await query(sandbox, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': f.instanceId });
    const t0 = sandbox.clock.now();
    await clockTo(sandbox, t0 + 25_000);
    expect(await health(sandbox, arn)).toEqual({ state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' });
    await clockTo(sandbox, t0 + 600_000);
    expect((await health(sandbox, arn)).state).toBe('unhealthy');
    await admin(sandbox, 'elbv2.faults.clear');
    sandbox.elbv2.setUnhealthy({ targetId: f.instanceId, answer: 503 });
    expect(await health(sandbox, arn)).toEqual({ state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [503]' });
    sandbox.elbv2.clearFaults();
  });

  test('a deregistered target drains for the deregistration delay on the sandbox clock, then is gone', async () => {
    const f = fixture(sandbox);
    const arn = await groupInUse(sandbox, f, 'web-drain');
    await query(sandbox, { Action: 'ModifyTargetGroupAttributes', TargetGroupArn: arn, 'Attributes.member.1.Key': 'deregistration_delay.timeout_seconds', 'Attributes.member.1.Value': '60' });
    await query(sandbox, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': f.instanceId });
    expect((await query(sandbox, { Action: 'DeregisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': f.instanceId })).status).toBe(200);
    const t0 = sandbox.clock.now();
    expect(await health(sandbox, arn)).toEqual({ state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' });
    await clockTo(sandbox, t0 + 61_000);
    const after = await query(sandbox, { Action: 'DescribeTargetHealth', TargetGroupArn: arn });
    expect(tag(after.body, 'Id')).toEqual([]);
    expect((await health(sandbox, arn, f.instanceId)).reason).toBe('Target.NotRegistered');
  });

  test('rejects registering a stopped instance (InvalidTarget, not in a running state)', async () => {
    const [stopped] = sandbox.ec2.seedInstances(REGION, [{ instanceType: 't3.micro', state: 'stopped' }]);
    const f = fixture(sandbox);
    const arn = await groupInUse(sandbox, f, 'web-stopped');
    const refused = await query(sandbox, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': stopped! });
    expect(refused.status).toBe(400);
    expect(tag(refused.body, 'Code')).toEqual(['InvalidTarget']);
    expect(tag(refused.body, 'Message')[0]).toBe(`The following targets are not in a running state and cannot be registered: &apos;${stopped}&apos;`);
  });

  test('rejects unknown target groups (TargetGroupNotFound), duplicate names with other settings and unknown instances (InvalidTarget)', async () => {
    const f = fixture(sandbox);
    const missing = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/nope/0123456789abcdef`;
    const notFound = await query(sandbox, { Action: 'DescribeTargetHealth', TargetGroupArn: missing });
    expect(notFound.status).toBe(400);
    expect(tag(notFound.body, 'Code')).toEqual(['TargetGroupNotFound']);
    expect(tag(notFound.body, 'Message')).toEqual(['One or more target groups not found']);
    const arn = await groupInUse(sandbox, f, 'web-dup', false);
    const same = await query(sandbox, { Action: 'CreateTargetGroup', Name: 'web-dup', Protocol: 'HTTP', Port: '80', VpcId: f.vpcId, HealthCheckIntervalSeconds: '10', HealthyThresholdCount: '3', UnhealthyThresholdCount: '2', HealthCheckPath: '/health' });
    expect(tag(same.body, 'TargetGroupArn')).toEqual([arn]);
    const other = await query(sandbox, { Action: 'CreateTargetGroup', Name: 'web-dup', Protocol: 'HTTP', Port: '8080', VpcId: f.vpcId });
    expect(tag(other.body, 'Code')).toEqual(['DuplicateTargetGroupName']);
    expect(tag(other.body, 'Message')).toEqual(["A target group with the same name &apos;web-dup&apos; exists, but with different settings"]);
    const bad = await query(sandbox, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': 'i-0000000000000dead' });
    expect(tag(bad.body, 'Code')).toEqual(['InvalidTarget']);
    expect((await query(sandbox, { Action: 'DeleteTargetGroup', TargetGroupArn: arn })).status).toBe(200);
    expect(tag((await query(sandbox, { Action: 'DescribeTargetGroups', 'TargetGroupArns.member.1': arn })).body, 'Code')).toEqual(['TargetGroupNotFound']);
  });

  test('the JS SDK (@aws-sdk/client-elastic-load-balancing-v2) creates, registers, reads health and gets TargetGroupNotFoundException', async () => {
    const f = fixture(sandbox);
    const elb = new ElasticLoadBalancingV2Client({ endpoint: sandbox.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const created = await elb.send(new CreateTargetGroupCommand({ Name: 'sdk-web', Protocol: 'HTTP', Port: 80, VpcId: f.vpcId, HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2 }));
    const arn = created.TargetGroups![0]!.TargetGroupArn!;
    expect(created.TargetGroups![0]).toMatchObject({ TargetGroupName: 'sdk-web', HealthCheckPath: '/', Matcher: { HttpCode: '200' }, HealthCheckEnabled: true });
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: f.instanceId }] }));
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    expect(health.TargetHealthDescriptions).toEqual([{ Target: { Id: f.instanceId, Port: 80 }, HealthCheckPort: '80', TargetHealth: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' } }]);
    await expect(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn.replace(/[0-9a-f]{16}$/, '0'.repeat(16)) }))).rejects.toMatchObject({ name: 'TargetGroupNotFoundException', message: 'One or more target groups not found' });
    elb.destroy();
  });

  test.skipIf(!hasAws)('the AWS CLI creates, registers and reads target health', async () => {
    const f = fixture(sandbox);
    const cli = (args: string[]) => runAws(sandbox.endpoint, ['elbv2', ...args, '--region', REGION, '--output', 'json']);
    const created = JSON.parse(await cli(['create-target-group', '--name', 'cli-web', '--protocol', 'HTTP', '--port', '8080', '--vpc-id', f.vpcId, '--health-check-interval-seconds', '6', '--healthy-threshold-count', '2']));
    const arn = created.TargetGroups[0].TargetGroupArn as string;
    expect(created.TargetGroups[0]).toMatchObject({ TargetGroupName: 'cli-web', Port: 8080, HealthCheckIntervalSeconds: 6, HealthyThresholdCount: 2, Matcher: { HttpCode: '200' }, TargetType: 'instance', LoadBalancerArns: [] });
    await cli(['register-targets', '--target-group-arn', arn, '--targets', `Id=${f.instanceId}`]);
    const described = JSON.parse(await cli(['describe-target-health', '--target-group-arn', arn]));
    expect(described.TargetHealthDescriptions).toEqual([{ Target: { Id: f.instanceId, Port: 8080 }, HealthCheckPort: '8080', TargetHealth: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' } }]);
    await expect(cli(['describe-target-groups', '--names', 'nope'])).rejects.toThrow(/TargetGroupNotFound.*One or more target groups not found/s);
  });

  test.skipIf(!hasBoto3)('boto3 reads target groups and sees TargetGroupNotFoundException', async () => {
    const script = `
import json, sys, boto3
elb = boto3.client('elbv2', endpoint_url=sys.argv[1], region_name=sys.argv[2])
groups = elb.describe_target_groups()['TargetGroups']
try:
    elb.describe_target_health(TargetGroupArn=groups[0]['TargetGroupArn'].replace(groups[0]['TargetGroupArn'][-16:], '0' * 16))
    err = None
except elb.exceptions.TargetGroupNotFoundException as e:
    err = e.response['Error']['Code']
print(json.dumps({'names': sorted(g['TargetGroupName'] for g in groups), 'err': err}))
`;
    const out = JSON.parse(await runPython(script, [sandbox.endpoint, REGION]));
    expect(out.err).toBe('TargetGroupNotFound');
    expect(out.names).toEqual(expect.arrayContaining(['web-healthy', 'web-faulty']));
  });
});

describe('sandbox: elbv2 persistence', () => {
  test('target groups, registrations and faults survive a restart on the same data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'elbv2-'));
    try {
      const first = await startSandbox({ region: REGION, dataDir, log: () => {} });
      const f = fixture(first);
      const arn = await groupInUse(first, f, 'kept');
      await query(first, { Action: 'RegisterTargets', TargetGroupArn: arn, 'Targets.member.1.Id': f.instanceId });
      first.elbv2.setUnhealthy({ targetId: f.instanceId, answer: 'refused' });
      await first.stop();
      const second = await startSandbox({ region: REGION, dataDir, log: () => {} });
      try {
        await clockTo(second, second.clock.now() + 60_000);
        expect(await health(second, arn)).toEqual({ state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
