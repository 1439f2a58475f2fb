import { readFileSync } from 'node:fs';
import { ElasticLoadBalancingV2Client, CreateTargetGroupCommand, CreateLoadBalancerCommand, CreateListenerCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { afterEach, describe, expect, test } from 'vitest';
import type { LocalLifeboat } from '../../cli/local/session.js';
import { deployMachines } from '../../cli/local/deploy.js';
import { parsePlan, type Plan } from '../../schemas/plan.js';
import type { ResourceRecordSet as SeedRecord } from '../../sandbox/route53/model.js';
import { TAG_KEYS } from '../../schemas/tags.js';
import { hasAws, runAws } from '../sandbox/aws-tools.js';
import { localLifeboat, statesEntered } from './helpers.js';

if (!hasAws) console.warn('e2e: traffic › AWS CLI read-back skipped: no working `aws` on PATH');

const PLAN_FILE = 'examples/web-traffic.plan.json';
const credentials = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

let env: LocalLifeboat | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

/** The records as they are before any failover: the shop on the primary region's load balancer, the API weighted 100/0 to primary. */
const BEFORE: SeedRecord[] = [
  { Name: 'shop.example.com.', Type: 'A', AliasTarget: { HostedZoneId: 'Z35SXDOTRQ7X7K', DNSName: 'storefront-1234567890.us-east-1.elb.amazonaws.com.', EvaluateTargetHealth: false } },
  { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'primary', Weight: 100, TTL: 60, ResourceRecords: [{ Value: 'api-primary.example.com' }] },
  { Name: 'api.example.com.', Type: 'CNAME', SetIdentifier: 'recovery', Weight: 0, TTL: 60, ResourceRecords: [{ Value: 'api-recovery.example.com' }] },
];

interface World { readonly env: LocalLifeboat; readonly plan: Plan; readonly zoneId: string; readonly targetGroupArn: string }

/**
 * A local Lifeboat for the web-traffic example whose hosted zone and target group exist in the
 * sandbox. Route 53 chooses a zone's id and ELBv2 a target group's ARN, so the plan the machines
 * run is a copy of the example naming the created ones (redeployed over the first deployment).
 */
async function trafficWorld(): Promise<World> {
  const original = JSON.parse(readFileSync(PLAN_FILE, 'utf8')) as Record<string, any>;
  const e = await localLifeboat({ plan: parsePlan(original, PLAN_FILE) });
  env = e;
  const zone = e.sandbox.route53.model.seedHostedZone({ Name: 'example.com.', records: BEFORE });
  const recovery = e.plan.recoveryRegion;
  const subnetId = e.plan.workloads[0]!.launch.subnetIds![0]!;
  const vpcId = e.sandbox.ec2.region(recovery).subnets().find((s) => s.subnetId === subnetId)!.vpcId;
  const elb = new ElasticLoadBalancingV2Client({ region: recovery, endpoint: e.sandbox.endpoint, credentials, maxAttempts: 1 });
  const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'storefront-web', Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'instance' }));
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'storefront-dr', Subnets: e.plan.workloads[0]!.launch.subnetIds! }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
  elb.destroy();

  const copy = JSON.parse(JSON.stringify(original)) as Record<string, any>;
  copy.traffic.targetGroups[0].targetGroupArn = targetGroupArn;
  for (const r of copy.traffic.records) r.hostedZoneId = zone.id.replace(/^\/hostedzone\//, '');
  const plan = parsePlan(copy, PLAN_FILE);
  await deployMachines(plan, (region) => e.sfn(region));
  return { env: e, plan, zoneId: zone.id.replace(/^\/hostedzone\//, ''), targetGroupArn };
}

/** The zone's shop and api records, read back through the SDK against the sandbox. */
async function readRecords(w: World): Promise<ResourceRecordSet[]> {
  const r53 = new Route53Client({ region: 'us-east-1', endpoint: w.env.sandbox.endpoint, credentials, maxAttempts: 1 });
  try {
    const out: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type']; StartRecordIdentifier?: string } = {};
    for (;;) {
      const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: w.zoneId, ...start }));
      out.push(...(page.ResourceRecordSets ?? []));
      if (!page.IsTruncated) break;
      start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
    }
    return out.filter((r) => r.Name === 'shop.example.com.' || r.Name === 'api.example.com.');
  } finally {
    r53.destroy();
  }
}

const weightOf = (records: ResourceRecordSet[], id: string): number | undefined => records.find((r) => r.Name === 'api.example.com.' && r.SetIdentifier === id)?.Weight;
const shopAlias = (records: ResourceRecordSet[]) => records.find((r) => r.Name === 'shop.example.com.' && r.Type === 'A')?.AliasTarget;

interface TrafficOutput {
  mode: string;
  isVerified: boolean;
  records: { hostedZoneId: string; name: string; type: string; setIdentifier?: string; before: Record<string, any> | null; after: Record<string, any>; status: string }[];
  targetGroups: { targetGroupArn: string; instanceIds: string[]; isRegistered: boolean; health: { id: string; state: string }[] }[];
}

describe('e2e: a failover moves traffic on the sandbox (web-traffic example)', () => {
  test('failover registers the recovered web instances (healthy), moves the alias and flips the weights; a second run changes nothing twice', async () => {
    // GIVEN the records point at the primary region and the plan is backed up
    const w = await trafficWorld();
    const before = await readRecords(w);
    expect(shopAlias(before)?.DNSName).toBe('storefront-1234567890.us-east-1.elb.amazonaws.com.');
    expect([weightOf(before, 'primary'), weightOf(before, 'recovery')]).toEqual([100, 0]);
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');

    // WHEN
    const run = await w.env.runToEnd('failover', {});

    // THEN the run succeeded through the switch and reports every record with before/after
    expect(run.status, run.cause).toBe('SUCCEEDED');
    expect(statesEntered(run.events)).toContain('Switch traffic');
    const traffic = (run.output as { traffic: TrafficOutput }).traffic;
    expect(traffic.mode).toBe('failover');
    expect(traffic.isVerified).toBe(true);
    const byKey = new Map(traffic.records.map((r) => [`${r.name}|${r.setIdentifier ?? ''}`, r]));
    const shop = byKey.get('shop.example.com.|')!;
    expect(shop.status).toBe('changed');
    expect(shop.before?.aliasTarget?.dnsName).toBe('storefront-1234567890.us-east-1.elb.amazonaws.com.');
    expect(shop.after.aliasTarget?.dnsName).toBe('storefront-dr-1234567890.us-west-2.elb.amazonaws.com.');
    const primary = byKey.get('api.example.com.|primary')!;
    const recoveryRec = byKey.get('api.example.com.|recovery')!;
    expect([primary.status, primary.before?.weight, primary.after.weight]).toEqual(['changed', 100, 0]);
    expect([recoveryRec.status, recoveryRec.before?.weight, recoveryRec.after.weight]).toEqual(['changed', 0, 100]);

    // AND Route 53 read back through the SDK shows the new alias and weights
    const after = await readRecords(w);
    expect(shopAlias(after)).toMatchObject({ HostedZoneId: 'Z1H1FL5HABSF5', DNSName: 'storefront-dr-1234567890.us-west-2.elb.amazonaws.com.' });
    expect([weightOf(after, 'primary'), weightOf(after, 'recovery')]).toEqual([0, 100]);

    // AND DescribeTargetHealth says every recovered running web instance is healthy on 8080
    const web = w.env.sandbox.ec2.region(w.plan.recoveryRegion).instances().filter((i) => i.tags[TAG_KEYS.workload] === 'web' && i.state === 'running');
    expect(web.length).toBe(2);
    const elb = new ElasticLoadBalancingV2Client({ region: w.plan.recoveryRegion, endpoint: w.env.sandbox.endpoint, credentials, maxAttempts: 1 });
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.targetGroupArn }));
    elb.destroy();
    const states = new Map((health.TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id!, { port: d.Target!.Port, state: d.TargetHealth!.State }]));
    for (const i of web) expect(states.get(i.instanceId)).toEqual({ port: 8080, state: 'healthy' });
    expect(traffic.targetGroups[0]!.instanceIds.sort()).toEqual(web.map((i) => i.instanceId).sort());

    // AND the AWS CLI, unchanged, reads the same records back
    if (hasAws) {
      const listed = JSON.parse(await runAws(w.env.sandbox.endpoint, ['route53', 'list-resource-record-sets', '--hosted-zone-id', w.zoneId, '--output', 'json'], { defaultRegion: 'us-east-1' })) as { ResourceRecordSets: ResourceRecordSet[] };
      const cli = listed.ResourceRecordSets.filter((r) => r.Name === 'shop.example.com.' || r.Name === 'api.example.com.');
      expect(shopAlias(cli)?.DNSName).toBe('storefront-dr-1234567890.us-west-2.elb.amazonaws.com.');
      expect([weightOf(cli, 'primary'), weightOf(cli, 'recovery')]).toEqual([0, 100]);
    }

    // WHEN the switch runs again (a second failover of the same plan finds the records already moved)
    const changesBefore = w.env.sandbox.route53.model.snapshot();
    const again = await w.env.runToEnd('failover', {});
    // THEN it passes through the switch again, finds every record already at its new value and submits no change batch
    expect(again.status, again.cause).toBe('SUCCEEDED');
    expect(statesEntered(again.events)).toContain('Switch traffic');
    const againTraffic = (again.output as { traffic: TrafficOutput }).traffic;
    expect(againTraffic.records.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await readRecords(w)).toEqual(after);
    expect(w.env.sandbox.route53.model.snapshot().changes.map((c) => c.id)).toEqual(changesBefore.changes.map((c) => c.id));
  });

  test('a drill of the same plan reports would-change and leaves the production records untouched', async () => {
    const w = await trafficWorld();
    const before = await readRecords(w);
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const changesBefore = w.env.sandbox.route53.model.snapshot().changes.length;

    const drill = await w.env.runToEnd('drill', {});

    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    expect(statesEntered(drill.events)).toContain('Switch traffic');
    expect(await readRecords(w)).toEqual(before);
    expect(w.env.sandbox.route53.model.snapshot().changes.length).toBe(changesBefore);
    const trafficEvents = drill.events.filter((e) => e.type === 'TaskSucceeded' && (e.taskSucceededEventDetails?.output ?? '').includes('would-change'));
    expect(trafficEvents.length).toBeGreaterThan(0);
    const out = JSON.parse(trafficEvents.at(-1)!.taskSucceededEventDetails!.output!) as { Payload?: TrafficOutput } & TrafficOutput;
    const t = out.Payload ?? out;
    expect(t.mode).toBe('drill');
    expect(t.records.map((r) => r.status)).toEqual(['would-change', 'would-change', 'would-change']);
    const shop = t.records.find((r) => r.name === 'shop.example.com.')!;
    expect(shop.after.aliasTarget?.dnsName).toBe('storefront-dr-1234567890.us-west-2.elb.amazonaws.com.');
    // nothing registered in the production target group
    expect(w.env.sandbox.elbv2.targetHealth(w.targetGroupArn)).toEqual([]);
  });
  test('a change batch that stays PENDING fails the failover naming it; after release a redrive finishes without submitting the records twice', async () => {
    // GIVEN every Route 53 change is held PENDING (the fault of a change that never propagates)
    const w = await trafficWorld();
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const changesBefore = w.env.sandbox.route53.model.snapshot().changes.length;
    w.env.sandbox.route53.model.holdChanges({});

    // WHEN
    const run = await w.env.runToEnd('failover', {});

    // THEN the switch times out on the pending change; one batch was submitted (all three records)
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain('Switch traffic\\" failed with Lifeboat.Timeout');
    const submitted = w.env.sandbox.route53.model.snapshot().changes.slice(changesBefore);
    expect(submitted.length).toBe(1);
    expect(run.cause).toContain(`Route 53 change ${submitted[0]!.id.split('/').pop()} in hosted zone ${w.zoneId}`);
    expect(run.cause).toContain('still PENDING at the deadline');

    // WHEN the change propagates and the run is redriven
    w.env.sandbox.route53.model.releaseChanges();
    const second = await w.env.redrive(run.executionArn);

    // THEN it succeeds with the records moved, and no second batch was submitted
    expect(second.status, second.cause).toBe('SUCCEEDED');
    const after = await readRecords(w);
    expect(shopAlias(after)?.DNSName).toBe('storefront-dr-1234567890.us-west-2.elb.amazonaws.com.');
    expect([weightOf(after, 'primary'), weightOf(after, 'recovery')]).toEqual([0, 100]);
    expect(w.env.sandbox.route53.model.snapshot().changes.slice(changesBefore).map((c) => c.id)).toEqual(submitted.map((c) => c.id));
    expect((second.output as { traffic: TrafficOutput }).traffic.isVerified).toBe(true);
  });
});
