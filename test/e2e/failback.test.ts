import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, test } from 'vitest';
import { approvalStanding } from '../../cli/approval.js';
import { approve } from '../../cli/commands/approve.js';
import { createBufferIo } from '../../cli/io.js';
import { deployMachines } from '../../cli/local/deploy.js';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import { ROLES, TAG_KEYS } from '../../schemas/tags.js';
import { examplePlan, failure, localLifeboat, statesEntered } from './helpers.js';

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** Every instance of a region, read back with EC2 DescribeInstances through the sandbox endpoint (all pages). */
async function describeAll(ec2: EC2Client): Promise<Instance[]> {
  const out: Instance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstancesCommand({ NextToken }));
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}
const tag = (i: Instance, key: string) => i.Tags?.find((t) => t.Key === key)?.Value;
const isUp = (i: Instance) => ['pending', 'running'].includes(i.State?.Name ?? '');

/** A local Lifeboat of the three-tier plan that has been backed up and failed over. */
async function failedOver(): Promise<{ env: LocalLifeboat; failoverArn: string; recovered: Instance[] }> {
  const e = await localLifeboat();
  const backup = await e.runToEnd('backup');
  expect(backup.status, backup.cause).toBe('SUCCEEDED');
  const failover = await e.runToEnd('failover', {});
  expect(failover.status, failover.cause).toBe('SUCCEEDED');
  const recovered = (await describeAll(e.ec2(e.plan.recoveryRegion))).filter((i) => isUp(i) && tag(i, TAG_KEYS.role) === ROLES.failoverInstance);
  expect(recovered).toHaveLength(4); // db, two web, reports
  return { env: e, failoverArn: failover.executionArn, recovered };
}

describe('e2e: failback on the sandbox', () => {
  test('backup → failover → failback ends with the instances back in the primary region and nothing running in the recovery region after the hold', async () => {
    // GIVEN a plan failed over to us-west-2
    const setup = await failedOver();
    env = setup.env;
    const { plan } = env;

    // WHEN the failback runs with {} (as from the console)
    const failback = await env.runToEnd('failback', {});

    // THEN one failback instance per recovered instance runs in the primary region, in the failback subnets
    expect(failback.status, `${failback.error}: ${failback.cause}`).toBe('SUCCEEDED');
    const primary = (await describeAll(env.ec2(plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.role) === ROLES.failbackInstance);
    expect(primary.filter(isUp)).toHaveLength(4);
    expect(primary.map((i) => tag(i, TAG_KEYS.sourceInstance)).sort()).toEqual(setup.recovered.map((i) => i.InstanceId).sort());
    for (const i of primary) {
      const launch = plan.failback!.launch[tag(i, TAG_KEYS.workload)!]!;
      expect(launch.subnetIds).toContain(i.SubnetId);
      expect(tag(i, TAG_KEYS.executionArn)).toBe(failback.executionArn);
      // launched from a verified, encrypted copy in the primary region, made by this failback
      const image = env.sandbox.ec2.region(plan.primaryRegion).images().find((im) => im.imageId === i.ImageId)!;
      expect(image.tags[TAG_KEYS.verified]).toBe('true');
      expect(image.tags[TAG_KEYS.executionArn]).toBe(failback.executionArn);
      for (const m of image.blockDeviceMappings) expect(m).toMatchObject({ encrypted: true, kmsKeyId: plan.failback!.kmsKeyId });
    }
    // and nothing of the plan runs in the recovery region any more: the recovered instances are terminated and say by whom
    const recovery = await describeAll(env.ec2(plan.recoveryRegion));
    expect(recovery.filter((i) => isUp(i) || i.State?.Name === 'stopped')).toEqual([]);
    for (const r of recovery.filter((i) => tag(i, TAG_KEYS.role) === ROLES.failoverInstance)) {
      expect(tag(r, TAG_KEYS.retiredBy)).toMatch(new RegExp(`^${failback.executionArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at `));
    }
    // retirement came only after every wave was ready and the plan's 30-minute hold
    const states = statesEntered(failback.events);
    expect(states.indexOf('Retire recovery instances')).toBeGreaterThan(states.lastIndexOf('Wave ready'));
    const holdEntered = failback.events.find((e) => e.type === 'WaitStateEntered' && e.stateEnteredEventDetails?.name === 'Hold recovery instances')!;
    const holdExited = failback.events.find((e) => e.type === 'WaitStateExited' && e.stateExitedEventDetails?.name === 'Hold recovery instances')!;
    // at least the hold; the sandbox's clock runs at wall speed between jumps, so the exit may be stamped a few ms later
    const heldSeconds = (holdExited.timestamp!.getTime() - holdEntered.timestamp!.getTime()) / 1000;
    expect(heldSeconds).toBeGreaterThanOrEqual(30 * 60);
    expect(heldSeconds).toBeLessThan(30 * 60 + 1);
    // RPO (the images' age when the launch started) and RTO, measured like a failover
    const out = failback.output as { failoverExecutionArn: string; recoveryTimeSeconds: number; achieved: { rpoSeconds: number; rtoSeconds: number; isRpoMet: boolean } };
    expect(out.failoverExecutionArn).toBe(setup.failoverArn);
    expect(out.achieved.rtoSeconds).toBe(Math.round(out.recoveryTimeSeconds));
    expect(out.achieved.rpoSeconds).toBeGreaterThan(0);
    expect(out.achieved.rpoSeconds).toBeLessThan(out.achieved.rtoSeconds);
    // the normal direction stays in place: a backup after the failback still succeeds
    const after = await env.runToEnd('backup');
    expect(after.status, after.cause).toBe('SUCCEEDED');
  });

  test('a failback that fails at a wave leaves the recovery instances running; redriven, it replaces the impaired instance and retires them', async () => {
    // GIVEN a failed-over plan whose db instance, once failed back, has impaired status checks in the primary region
    const setup = await failedOver();
    env = setup.env;
    const { plan } = env;
    env.sandbox.ec2.setFaults({ impaired: [{ region: plan.primaryRegion, tags: { [TAG_KEYS.workload]: 'db', [TAG_KEYS.role]: ROLES.failbackInstance } }] });

    // WHEN
    const first = await env.runToEnd('failback', {});

    // THEN it fails naming the wave step and the instance, and the recovery region still serves
    expect(first.status).toBe('FAILED');
    const cause = JSON.parse(failure(first.events)!.cause!) as { errorMessage: string };
    expect(cause.errorMessage).toMatch(/^step "Launch instances" failed with Lifeboat\.LaunchFailed: launch in us-east-1: db\/i-\w+ \(critical\) instance i-\w+: status checks impaired \(instance check impaired, system check \w+\)\. Expected each critical instance running with its instance and system status checks ok\. A redrive of the run terminates and replaces them; /);
    expect(statesEntered(first.events)).not.toContain('Retire recovery instances');
    const stillUp = (await describeAll(env.ec2(plan.recoveryRegion))).filter((i) => isUp(i) && tag(i, TAG_KEYS.role) === ROLES.failoverInstance);
    expect(stillUp.map((i) => i.InstanceId).sort()).toEqual(setup.recovered.map((i) => i.InstanceId).sort());

    // WHEN the cause is gone and the run is redriven
    env.sandbox.ec2.clearFaults();
    const second = await env.redrive(first.executionArn);

    // THEN it resumes at the failed wave (no new images), ends with the primary serving and nothing up in the recovery region
    expect(second.status, `${second.error}: ${second.cause}`).toBe('SUCCEEDED');
    const events = second.events;
    const imagesCreated = env.sandbox.ec2.region(plan.recoveryRegion).images().filter((im) => im.tags[TAG_KEYS.executionArn] === first.executionArn);
    expect(imagesCreated).toHaveLength(4);
    expect(events.filter((e) => e.type === 'ExecutionRedriven')).toHaveLength(1);
    const primary = (await describeAll(env.ec2(plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.role) === ROLES.failbackInstance);
    expect(primary.filter(isUp)).toHaveLength(4);
    const dbs = primary.filter((i) => tag(i, TAG_KEYS.workload) === 'db');
    expect(dbs.map((i) => i.State?.Name).sort()).toEqual(['running', 'terminated']);
    expect((await describeAll(env.ec2(plan.recoveryRegion))).filter((i) => isUp(i) || i.State?.Name === 'stopped')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Approval, application health and the traffic switch back (issue 10)
// ---------------------------------------------------------------------------------------------

const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
const BOB = 'arn:aws:iam::123456789012:user/bob';
const BOB_KEY = 'AKIABOB000000000001';
const PRIMARY_ALB = 'storefront-1234567890.us-east-1.elb.amazonaws.com.';
const DR_ALB = 'storefront-dr-1234567890.us-west-2.elb.amazonaws.com.';

/** The records as a failover left them: the shop on the recovery region's load balancer, the API weighted 0/100 to recovery. */
const FAILED_OVER_RECORDS = [
  { Name: 'shop.example.com.', Type: 'A', AliasTarget: { HostedZoneId: 'Z1H1FL5HABSF5', DNSName: DR_ALB, EvaluateTargetHealth: false } },
  { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'primary', Weight: 0, TTL: 60, ResourceRecords: [{ Value: 'api-primary.example.com' }] },
  { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'recovery', Weight: 100, TTL: 60, ResourceRecords: [{ Value: 'api-recovery.example.com' }] },
];

interface BackWorld { readonly env: LocalLifeboat; readonly plan: Plan; readonly zoneId: string; readonly targetGroupArn: string }

/**
 * The three-tier plan with health checks (web HTTP /health, db TCP 5432), the failback's probe
 * network, and `failback.traffic` moving users back: the web tier into a target group of the
 * primary region (a real one, made through the ELBv2 API), the shop alias to the primary load
 * balancer, the API weights back to 100/0. Deployed over the first deployment with the created ids.
 */
async function failbackWorld(approval?: Record<string, unknown>): Promise<BackWorld> {
  const json = JSON.parse(JSON.stringify(examplePlan('three-tier'))) as Record<string, any>;
  json.healthProbe = { subnetIds: ['subnet-0aa11bb22cc330001'], securityGroupIds: ['sg-0aa11bb22cc330009'] };
  for (const w of json.workloads) {
    if (w.name === 'web') w.healthCheck = { protocol: 'http', path: '/health', expectedStatus: 200, deadlineMinutes: 20 };
    if (w.name === 'db') w.healthCheck = { protocol: 'tcp', port: 5432, deadlineMinutes: 20 };
  }
  json.failback.healthProbe = { subnetIds: ['subnet-0bb11cc22dd330001'], securityGroupIds: ['sg-0bb11cc22dd330009'] };
  if (approval !== undefined) json.approval = approval;
  const e = await localLifeboat({ plan: parsePlan(json, 'failback-back.plan.json') });
  env = e;
  const zone = e.sandbox.route53.model.seedHostedZone({ Name: 'example.com.', records: FAILED_OVER_RECORDS as never });
  const zoneId = zone.id.replace(/^\/hostedzone\//, '');
  const primary = e.plan.primaryRegion;
  const subnets = json.failback.launch.web.subnetIds as string[];
  const vpcId = e.sandbox.ec2.region(primary).subnets().find((s) => s.subnetId === subnets[0])!.vpcId;
  const elb = new ElasticLoadBalancingV2Client({ region: primary, endpoint: e.sandbox.endpoint, credentials, maxAttempts: 1 });
  const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'storefront-web', Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'instance' }));
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'storefront', Subnets: subnets }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
  elb.destroy();
  json.failback.traffic = {
    targetGroups: [{ workload: 'web', targetGroupArn, port: 8080 }],
    records: [
      { kind: 'alias', hostedZoneId: zoneId, name: 'shop.example.com', type: 'A', aliasTarget: { hostedZoneId: 'Z35SXDOTRQ7X7K', dnsName: PRIMARY_ALB } },
      { kind: 'weights', hostedZoneId: zoneId, name: 'api.example.com', type: 'CNAME', weights: { primary: 100, recovery: 0 } },
    ],
  };
  const plan = parsePlan(json, 'failback-back.plan.json');
  await deployMachines(plan, (region) => e.sfn(region));
  // The db's application listens on TCP 5432 in both regions (the default applications answer HTTP only).
  e.sandbox.ec2.applications.set({
    rules: [plan.recoveryRegion, plan.primaryRegion].map((region) => ({ region, tags: { [TAG_KEYS.workload]: 'db' }, listeners: [{ port: 5432, protocol: 'tcp' }] })),
  });
  return { env: e, plan, zoneId, targetGroupArn };
}

async function readRecords(w: BackWorld): Promise<ResourceRecordSet[]> {
  const r53 = new Route53Client({ region: 'us-east-1', endpoint: w.env.sandbox.endpoint, credentials, maxAttempts: 1 });
  try {
    return (await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: w.zoneId }))).ResourceRecordSets ?? [];
  } finally {
    r53.destroy();
  }
}
const weightOf = (records: ResourceRecordSet[], id: string) => records.find((r) => r.Name === 'api.example.com.' && r.SetIdentifier === id)?.Weight;
const shopAlias = (records: ResourceRecordSet[]) => records.find((r) => r.Name === 'shop.example.com.' && r.Type === 'A')?.AliasTarget?.DNSName;

async function historyOf(e: LocalLifeboat, executionArn: string): Promise<HistoryEvent[]> {
  return (await e.sfn(e.plan.recoveryRegion).send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true }))).events ?? [];
}

/** Backed up and failed over (records and instances in the recovery region), ready to fail back. */
async function readyToFailBack(w: BackWorld): Promise<Instance[]> {
  expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
  const failover = await w.env.runToEnd('failover', {});
  expect(failover.status, failover.cause).toBe('SUCCEEDED');
  const recovered = (await describeAll(w.env.ec2(w.plan.recoveryRegion))).filter((i) => isUp(i) && tag(i, TAG_KEYS.role) === ROLES.failoverInstance);
  expect(recovered).toHaveLength(4);
  return recovered;
}

describe('e2e: failback with approval, application health and the traffic switch back', () => {
  test('waits for approval before launching in the primary region, passes the health checks there, moves traffic back (read back), and retires the recovery instances', { timeout: 240_000 }, async () => {
    // GIVEN a failed-over plan whose failback needs one approval, with the records on the recovery region
    const w = await failbackWorld({ failover: false, failback: true, requiredApprovers: 1 });
    const recovered = await readyToFailBack(w);
    w.env.sandbox.sts.setPrincipal(BOB_KEY, BOB);
    expect(shopAlias(await readRecords(w))).toBe(DR_ALB);

    // WHEN the failback starts, it waits at "Await approval" with its copies verified and nothing launched in the primary region
    const arn = await w.env.start('failback', {});
    let standing = approvalStanding(await historyOf(w.env, arn));
    for (let i = 0; i < 4000 && standing.kind !== 'waiting'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      standing = approvalStanding(await historyOf(w.env, arn));
    }
    expect(standing.kind).toBe('waiting');
    expect(standing.kind === 'waiting' && standing.open.request).toMatchObject({ mode: 'failback', region: w.plan.primaryRegion, round: 1 });
    const launchedEarly = (await describeAll(w.env.ec2(w.plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.role) === ROLES.failbackInstance);
    expect(launchedEarly).toEqual([]);
    const verified = w.env.sandbox.ec2.region(w.plan.primaryRegion).images().filter((im) => im.tags[TAG_KEYS.executionArn] === arn && im.tags[TAG_KEYS.verified] === 'true');
    expect(verified).toHaveLength(4);
    // AND bob approves with the CLI (identity from the sandbox's STS)
    const io = createBufferIo();
    const code = await approve({ execution: arn, isLocal: true, json: true }, io, {
      resolveLocalEndpoint: async () => ({ endpoint: w.env.sandbox.endpoint, region: w.plan.recoveryRegion, close: async () => {} }),
      env: { LIFEBOAT_LOCAL_ACCESS_KEY_ID: BOB_KEY },
    });
    expect(code).toBe(0);
    const run = await w.env.result(arn);

    // THEN it succeeded, in this order: approval, launch, health checks, traffic, hold, retirement
    expect(run.status, `${run.error}: ${run.cause}`).toBe('SUCCEEDED');
    const states = statesEntered(run.events);
    const at = (name: string) => states.indexOf(name);
    expect(at('Await approval')).toBeGreaterThan(at('Plan failback waves'));
    expect(at('Launch failback waves')).toBeGreaterThan(at('Enough approvals?'));
    expect(at('Check application health')).toBeGreaterThan(at('Launch failback waves'));
    expect(at('Switch traffic')).toBeGreaterThan(states.lastIndexOf('Wave ready'));
    expect(at('Retire recovery instances')).toBeGreaterThan(at('Hold recovery instances'));
    expect(at('Hold recovery instances')).toBeGreaterThan(states.lastIndexOf('Traffic switched?'));
    const out = run.output as { approvals: { principal: { arn: string } }[]; traffic: { mode: string; isVerified: boolean; records: { name: string; status: string }[] }; readyAt: string; achieved: { rtoSeconds: number; rpoSeconds: number } };
    expect(out.approvals.map((a) => a.principal.arn)).toEqual([BOB]);
    expect(out.traffic).toMatchObject({ mode: 'failback', isVerified: true });
    expect(out.achieved.rtoSeconds).toBeGreaterThan(0);
    expect(out.achieved.rpoSeconds).toBeGreaterThan(0);

    // AND every failback instance with a check answered its probe in the primary region when the run counted it ready
    const primary = (await describeAll(w.env.ec2(w.plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.role) === ROLES.failbackInstance && isUp(i));
    expect(primary).toHaveLength(4);
    for (const i of primary.filter((x) => tag(x, TAG_KEYS.workload) === 'web')) {
      expect(w.env.sandbox.ec2.applicationAnswer(w.plan.primaryRegion, i.InstanceId!, 'http', 80, '/health')).toMatchObject({ outcome: 'answered', status: 200 });
    }
    const probed = run.events.filter((e) => e.type === 'TaskScheduled' && String(e.taskScheduledEventDetails?.parameters).includes('probe-health'));
    expect(probed.length).toBeGreaterThan(0);
    for (const e of probed) expect(e.taskScheduledEventDetails!.parameters).toContain(`"region":"${w.plan.primaryRegion}"`);

    // AND traffic is back on the primary region, read back through Route 53 and ELBv2
    const records = await readRecords(w);
    expect(shopAlias(records)).toBe(PRIMARY_ALB);
    expect([weightOf(records, 'primary'), weightOf(records, 'recovery')]).toEqual([100, 0]);
    const elb = new ElasticLoadBalancingV2Client({ region: w.plan.primaryRegion, endpoint: w.env.sandbox.endpoint, credentials, maxAttempts: 1 });
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.targetGroupArn }));
    elb.destroy();
    const web = primary.filter((i) => tag(i, TAG_KEYS.workload) === 'web').map((i) => i.InstanceId!).sort();
    expect(web).toHaveLength(2);
    expect((health.TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id, d.Target!.Port, d.TargetHealth!.State]).sort()).toEqual(web.map((id) => [id, 8080, 'healthy']));

    // AND nothing is left running in the recovery region: the recovered instances are retired by this failback
    const recovery = await describeAll(w.env.ec2(w.plan.recoveryRegion));
    expect(recovery.filter((i) => isUp(i) || i.State?.Name === 'stopped')).toEqual([]);
    for (const r of recovered) {
      const now = recovery.find((i) => i.InstanceId === r.InstanceId)!;
      expect(now.State?.Name).toBe('terminated');
      expect(tag(now, TAG_KEYS.retiredBy)).toMatch(new RegExp(`^${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at `));
    }
  });

  test('an unhealthy application in the primary region fails the failback naming the instance, before traffic moves or anything is retired; a redrive after the fix finishes', { timeout: 240_000 }, async () => {
    // GIVEN a failed-over plan whose failback web application answers 503 in the primary region
    const w = await failbackWorld();
    const recovered = await readyToFailBack(w);
    w.env.sandbox.ec2.applications.set({
      rules: [w.plan.recoveryRegion, w.plan.primaryRegion].map((region) => ({ region, tags: { [TAG_KEYS.workload]: 'db' }, listeners: [{ port: 5432, protocol: 'tcp' }] })),
      faults: [{ region: w.plan.primaryRegion, tags: { [TAG_KEYS.workload]: 'web', [TAG_KEYS.role]: ROLES.failbackInstance }, answer: 503 }],
    });

    // WHEN
    const first = await w.env.runToEnd('failback', {});

    // THEN it fails at the wave's health check naming each web instance, its endpoint and the 503
    expect(first.status).toBe('FAILED');
    const f = failure(first.events)!;
    expect(f.error).toBe('Lifeboat.StepFailed');
    const message = (JSON.parse(f.cause!) as { errorMessage: string }).errorMessage;
    expect(message).toMatch(/^step "Check application health" failed with Lifeboat\.HealthCheckFailed: application health in us-east-1: 2 instance\(s\) not healthy by the deadline: /);
    const web = (await describeAll(w.env.ec2(w.plan.primaryRegion))).filter((i) => tag(i, TAG_KEYS.workload) === 'web' && tag(i, TAG_KEYS.role) === ROLES.failbackInstance && i.State?.Name === 'running');
    expect(web).toHaveLength(2);
    for (const i of web) expect(message).toContain(`web/${i.InstanceId} at http://${i.PrivateIpAddress}:80/health: expected HTTP 200 2 time(s) in a row within 20 min, found HTTP 503`);
    // and says what to do for a failback: the failback's probe network, then redrive the failback
    expect(message).toContain('plan failback.healthProbe.securityGroupIds');
    expect(message).toContain('then redrive the failback');
    // and the recovery region still serves: traffic was not moved, nothing was retired
    const states = statesEntered(first.events);
    expect(states).not.toContain('Switch traffic');
    expect(states).not.toContain('Retire recovery instances');
    expect(shopAlias(await readRecords(w))).toBe(DR_ALB);
    const stillUp = (await describeAll(w.env.ec2(w.plan.recoveryRegion))).filter((i) => isUp(i) && tag(i, TAG_KEYS.role) === ROLES.failoverInstance);
    expect(stillUp.map((i) => i.InstanceId).sort()).toEqual(recovered.map((i) => i.InstanceId).sort());

    // WHEN the application is fixed and the run redriven
    w.env.sandbox.ec2.applications.set({
      rules: [w.plan.recoveryRegion, w.plan.primaryRegion].map((region) => ({ region, tags: { [TAG_KEYS.workload]: 'db' }, listeners: [{ port: 5432, protocol: 'tcp' }] })),
      faults: [],
    });
    const second = await w.env.redrive(first.executionArn);

    // THEN it probes again, moves traffic back and retires the recovery instances
    expect(second.status, `${second.error}: ${second.cause}`).toBe('SUCCEEDED');
    const records = await readRecords(w);
    expect(shopAlias(records)).toBe(PRIMARY_ALB);
    expect([weightOf(records, 'primary'), weightOf(records, 'recovery')]).toEqual([100, 0]);
    expect((await describeAll(w.env.ec2(w.plan.recoveryRegion))).filter((i) => isUp(i) || i.State?.Name === 'stopped')).toEqual([]);
  });
});
