import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { createBufferIo } from '../../cli/io.js';
import { trafficUndo } from '../../cli/commands/traffic-undo.js';
import { TASK_HANDLERS } from '../../tasks/index.js';
import { TASK_TIMEOUT_SECONDS } from '../../schemas/tasks/index.js';

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

interface World {
  readonly env: LocalLifeboat;
  readonly plan: Plan;
  readonly zoneId: string;
  readonly targetGroupArn: string;
  /** With `exercise`: the drill's own target group (in the isolated subnet's VPC, behind a drill load balancer). */
  readonly drillTargetGroupArn?: string;
  /** The plan the machines run, as a file (for the CLI). */
  readonly planFile: string;
}

/** A drill record the world seeds before the drill: the API's drill pair, weighted 100/0 like production. */
const DRILL_API_BEFORE: SeedRecord[] = [
  { Name: 'drill-api.example.com.', Type: 'CNAME', SetIdentifier: 'primary', Weight: 100, TTL: 60, ResourceRecords: [{ Value: 'api-primary.example.com' }] },
  { Name: 'drill-api.example.com.', Type: 'CNAME', SetIdentifier: 'recovery', Weight: 0, TTL: 60, ResourceRecords: [{ Value: 'api-recovery.example.com' }] },
];

/**
 * A local Lifeboat for the web-traffic example whose hosted zone and target group exist in the
 * sandbox. Route 53 chooses a zone's id and ELBv2 a target group's ARN, so the plan the machines
 * run is a copy of the example naming the created ones (redeployed over the first deployment).
 */
async function trafficWorld(options: { exercise?: boolean } = {}): Promise<World> {
  const original = JSON.parse(readFileSync(PLAN_FILE, 'utf8')) as Record<string, any>;
  const e = await localLifeboat({ plan: parsePlan(original, PLAN_FILE) });
  env = e;
  const zone = e.sandbox.route53.model.seedHostedZone({ Name: 'example.com.', records: options.exercise ? [...BEFORE, ...DRILL_API_BEFORE] : BEFORE });
  const recovery = e.plan.recoveryRegion;
  const subnetId = e.plan.workloads[0]!.launch.subnetIds![0]!;
  const vpcId = e.sandbox.ec2.region(recovery).subnets().find((s) => s.subnetId === subnetId)!.vpcId;
  const elb = new ElasticLoadBalancingV2Client({ region: recovery, endpoint: e.sandbox.endpoint, credentials, maxAttempts: 1 });
  const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'storefront-web', Protocol: 'HTTP', Port: 8080, VpcId: vpcId, TargetType: 'instance' }));
  const targetGroupArn = tg.TargetGroups![0]!.TargetGroupArn!;
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'storefront-dr', Subnets: e.plan.workloads[0]!.launch.subnetIds! }));
  await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
  let drillTargetGroupArn: string | undefined;
  if (options.exercise) {
    // The drill's own target group and load balancer, where the drill instances run (the isolated subnet).
    const isolated = e.plan.drill.isolatedSubnetIds[0]!;
    const drillVpc = e.sandbox.ec2.region(recovery).subnets().find((s) => s.subnetId === isolated)!.vpcId;
    const dtg = await elb.send(new CreateTargetGroupCommand({ Name: 'storefront-drill', Protocol: 'HTTP', Port: 8080, VpcId: drillVpc, TargetType: 'instance' }));
    drillTargetGroupArn = dtg.TargetGroups![0]!.TargetGroupArn!;
    const dlb = await elb.send(new CreateLoadBalancerCommand({ Name: 'storefront-drill', Subnets: [isolated] }));
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: dlb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: drillTargetGroupArn }] }));
  }
  elb.destroy();

  const copy = JSON.parse(JSON.stringify(original)) as Record<string, any>;
  copy.traffic.targetGroups[0].targetGroupArn = targetGroupArn;
  for (const r of copy.traffic.records) r.hostedZoneId = zone.id.replace(/^\/hostedzone\//, '');
  if (options.exercise) {
    copy.traffic.drill = 'exercise';
    copy.traffic.targetGroups[0].drillTargetGroupArn = drillTargetGroupArn;
    copy.traffic.records[0].drillRecordName = 'drill-shop.example.com';
    copy.traffic.records[1].drillRecordName = 'drill-api.example.com';
  }
  const plan = parsePlan(copy, PLAN_FILE);
  await deployMachines(plan, (region) => e.sfn(region));
  const planFile = join(mkdtempSync(join(tmpdir(), 'lifeboat-traffic-')), 'web-traffic.plan.json');
  writeFileSync(planFile, JSON.stringify(copy));
  return { env: e, plan, zoneId: zone.id.replace(/^\/hostedzone\//, ''), targetGroupArn, ...(drillTargetGroupArn ? { drillTargetGroupArn } : {}), planFile };
}

/** Every record of the zone but its SOA and NS, sorted, through the SDK. */
async function allRecords(w: World): Promise<ResourceRecordSet[]> {
  const r53 = new Route53Client({ region: 'us-east-1', endpoint: w.env.sandbox.endpoint, credentials, maxAttempts: 1 });
  try {
    const page = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: w.zoneId }));
    return (page.ResourceRecordSets ?? []).filter((r) => r.Type !== 'SOA' && r.Type !== 'NS');
  } finally {
    r53.destroy();
  }
}

/** The same records through the AWS CLI, unchanged (undefined without a working `aws`). */
async function allRecordsByCli(w: World): Promise<ResourceRecordSet[] | undefined> {
  if (!hasAws) return undefined;
  const listed = JSON.parse(await runAws(w.env.sandbox.endpoint, ['route53', 'list-resource-record-sets', '--hosted-zone-id', w.zoneId, '--output', 'json'], { defaultRegion: 'us-east-1' })) as { ResourceRecordSets: ResourceRecordSet[] };
  return listed.ResourceRecordSets.filter((r) => r.Type !== 'SOA' && r.Type !== 'NS');
}

/**
 * Wraps the switch-traffic Lambda: the real handler runs (its calls to Route 53 and ELBv2 happen),
 * then `fault` may replace its answer with an error, as when the function dies after its calls
 * and before it returns. Returns a function that puts the plain handler back.
 */
function faultSwitchTraffic(w: World, fault: (input: Record<string, any>, output: Record<string, any>) => Error | undefined): () => void {
  const register = (handler: (event: unknown) => Promise<unknown>) => w.env.sandbox.lambdas.register('lifeboat-switch-traffic', handler, { timeoutSeconds: TASK_TIMEOUT_SECONDS['switch-traffic'] });
  register(async (event) => {
    const output = (await TASK_HANDLERS['switch-traffic'](event)) as Record<string, any>;
    const error = fault((event as { input: Record<string, any> }).input, output);
    if (error) throw error;
    return output;
  });
  return () => register((event) => TASK_HANDLERS['switch-traffic'](event));
}

/** The error a Lambda reports when it dies before returning (Step Functions' Retry matches it). */
function crashed(): Error {
  const error = new Error('Task timed out after 60.00 seconds');
  error.name = 'Sandbox.Timedout';
  return error;
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

describe('e2e: a drill exercises the switch on its own names, and production traffic stays where it is', () => {
  test('the drill switches its drill records and drill target group for real, then restores them: production records untouched (SDK and AWS CLI)', async () => {
    // GIVEN production records, a drill API pair weighted 100/0, no drill shop record yet
    const w = await trafficWorld({ exercise: true });
    const before = await allRecords(w);
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const changesBefore = w.env.sandbox.route53.model.snapshot().changes.length;

    // WHEN
    const drill = await w.env.runToEnd('drill', {});

    // THEN the drill switched its own names for real, verified INSYNC and read back
    expect(drill.status, drill.cause).toBe('SUCCEEDED');
    const entered = statesEntered(drill.events);
    expect(entered.indexOf('Restore drill traffic')).toBeGreaterThan(entered.lastIndexOf('Switch traffic'));
    expect(entered.indexOf('Restore drill traffic')).toBeLessThan(entered.indexOf('Tear down drill'));
    const out = drill.output as { traffic: TrafficOutput & { drill?: string }; trafficRestore: { isVerified: boolean; records: { name: string; setIdentifier?: string; status: string; to: Record<string, any> | null }[]; targetGroups: { targetGroupArn: string; isDeregistered: boolean }[] } };
    expect(out.traffic).toMatchObject({ mode: 'drill', drill: 'exercise', isVerified: true });
    const switched = new Map(out.traffic.records.map((r) => [`${r.name}|${r.setIdentifier ?? ''}`, r]));
    expect(switched.get('drill-shop.example.com.|')).toMatchObject({ status: 'changed', before: null, after: { aliasTarget: { dnsName: 'storefront-dr-1234567890.us-west-2.elb.amazonaws.com.' } } });
    expect([switched.get('drill-api.example.com.|primary')!.before?.weight, switched.get('drill-api.example.com.|primary')!.after.weight]).toEqual([100, 0]);
    expect([switched.get('drill-api.example.com.|recovery')!.before?.weight, switched.get('drill-api.example.com.|recovery')!.after.weight]).toEqual([0, 100]);
    expect(out.traffic.records.every((r) => r.name.startsWith('drill-'))).toBe(true);
    // the drill instances were registered in the drill target group (healthy), never in production's
    expect(out.traffic.targetGroups).toMatchObject([{ targetGroupArn: w.drillTargetGroupArn, isRegistered: true }]);
    expect(out.traffic.targetGroups[0]!.instanceIds.length).toBe(2);
    expect(w.env.sandbox.elbv2.targetHealth(w.targetGroupArn)).toEqual([]);
    // two change batches: the switch and the restore
    const submitted = w.env.sandbox.route53.model.snapshot().changes.slice(changesBefore);
    expect(submitted.length).toBe(2);

    // AND the restore put every drill record back (the shop's deleted: it did not exist) and deregistered the drill targets
    expect(out.trafficRestore.isVerified).toBe(true);
    expect(out.trafficRestore.records.map((r) => [r.name, r.setIdentifier ?? '', r.status, r.to?.weight ?? null])).toEqual([
      ['drill-shop.example.com.', '', 'restored', null],
      ['drill-api.example.com.', 'primary', 'restored', 100],
      ['drill-api.example.com.', 'recovery', 'restored', 0],
    ]);
    expect(w.env.sandbox.elbv2.targetHealth(w.drillTargetGroupArn!).every((t) => t.health.state === 'draining')).toBe(true);

    // AND the zone reads back exactly as before the drill, through the SDK and the AWS CLI
    expect(await allRecords(w)).toEqual(before);
    const cli = await allRecordsByCli(w);
    if (cli) expect(cli).toEqual(before);
  });

  test("a drill that fails after switching restores its drill records and targets on the failure path, before the teardown", async () => {
    // GIVEN the switch fails right after its batch was applied
    const w = await trafficWorld({ exercise: true });
    const before = await allRecords(w);
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
    faultSwitchTraffic(w, (input, output) => (input.action !== 'restore' && output.phase === 'sync' ? Object.assign(new Error('injected: the switch fails after its batch'), { name: 'Lifeboat.VerificationFailed' }) : undefined));

    // WHEN
    const drill = await w.env.runToEnd('drill', {});

    // THEN the drill failed, and restored before tearing down
    expect(drill.status).toBe('FAILED');
    expect(drill.cause).toContain('Switch traffic');
    const entered = statesEntered(drill.events);
    expect(entered).toContain('Restore traffic after failure');
    expect(entered.indexOf('Restore traffic after failure')).toBeLessThan(entered.indexOf('Tear down after failure'));
    expect(await allRecords(w)).toEqual(before);
    expect(w.env.sandbox.elbv2.targetHealth(w.drillTargetGroupArn!).every((t) => t.health.state === 'draining')).toBe(true);
    expect(w.env.sandbox.ec2.region(w.plan.recoveryRegion).instances().filter((i) => i.state === 'running' && i.tags[TAG_KEYS.workload] === 'web' && i.subnetId === w.plan.drill.isolatedSubnetIds[0])).toEqual([]);
  });
});

describe('e2e: traffic undo and a crash after the change', () => {
  test('lifeboat traffic undo after a failover puts the records and targets back (SDK and AWS CLI), dry run first, and a second undo changes nothing', async () => {
    const w = await trafficWorld();
    const before = await allRecords(w);
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const failover = await w.env.runToEnd('failover', {});
    expect(failover.status, failover.cause).toBe('SUCCEEDED');
    expect(await allRecords(w)).not.toEqual(before);
    const connect = { resolveLocalEndpoint: async () => ({ endpoint: w.env.sandbox.endpoint, region: w.plan.recoveryRegion, close: async () => {} }) };
    const undo = async (isDryRun: boolean) => {
      const io = createBufferIo();
      const code = await trafficUndo({ execution: failover.executionArn, plan: w.planFile, isDryRun, json: true, isLocal: true }, io, connect);
      return { code, result: JSON.parse(io.stdout()) as { restore: { isVerified: boolean; isDryRun: boolean; records: { status: string }[]; changes: unknown[]; targetGroups: { isDeregistered: boolean }[] } }, stderr: io.stderr() };
    };

    // WHEN a dry run: it reports, and changes nothing
    const changesBefore = w.env.sandbox.route53.model.snapshot().changes.length;
    const dry = await undo(true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.result.restore.records.map((r) => r.status)).toEqual(['would-restore', 'would-restore', 'would-restore']);
    expect(w.env.sandbox.route53.model.snapshot().changes.length).toBe(changesBefore);

    // WHEN undone
    const done = await undo(false);
    expect(done.code, done.stderr).toBe(0);
    expect(done.result.restore).toMatchObject({ isVerified: true, records: [{ status: 'restored' }, { status: 'restored' }, { status: 'restored' }], targetGroups: [{ isDeregistered: true }] });

    // THEN the zone reads back as before the failover (SDK and AWS CLI), the recovered instances leave the target group
    expect(await allRecords(w)).toEqual(before);
    const cli = await allRecordsByCli(w);
    if (cli) expect(cli).toEqual(before);
    const elb = new ElasticLoadBalancingV2Client({ region: w.plan.recoveryRegion, endpoint: w.env.sandbox.endpoint, credentials, maxAttempts: 1 });
    const health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: w.targetGroupArn }));
    elb.destroy();
    expect((health.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth!.State)).toEqual(['draining', 'draining']);

    // AND a second undo finds everything as it was: nothing submitted, nothing deregistered
    const changesAfter = w.env.sandbox.route53.model.snapshot().changes.length;
    const again = await undo(false);
    expect(again.code, again.stderr).toBe(0);
    expect(again.result.restore.records.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(w.env.sandbox.route53.model.snapshot().changes.length).toBe(changesAfter);
  });

  test('a switch that crashes after its change batch, then is redriven, reports the records as they were before the failover', async () => {
    // GIVEN every switch pass that submitted a batch dies before returning (the batch is applied)
    const w = await trafficWorld();
    expect((await w.env.runToEnd('backup')).status).toBe('SUCCEEDED');
    const unfault = faultSwitchTraffic(w, (_input, output) => (output.phase === 'sync' ? crashed() : undefined));

    // WHEN the failover runs: the retries die the same way, and the run fails at 'Switch traffic'
    const run = await w.env.runToEnd('failover', {});
    expect(run.status).toBe('FAILED');
    expect(run.cause).toContain('Switch traffic\\" failed with Sandbox.Timedout');
    const moved = await readRecords(w);
    expect(shopAlias(moved)?.DNSName).toBe('storefront-dr-1234567890.us-west-2.elb.amazonaws.com.');

    // WHEN the function is fixed and the run redriven
    unfault();
    const second = await w.env.redrive(run.executionArn);

    // THEN it succeeds, and the output names the ORIGINAL values as before, not the already-changed ones
    expect(second.status, second.cause).toBe('SUCCEEDED');
    const traffic = (second.output as { traffic: TrafficOutput }).traffic;
    expect(traffic.isVerified).toBe(true);
    const byKey = new Map(traffic.records.map((r) => [`${r.name}|${r.setIdentifier ?? ''}`, r]));
    expect(byKey.get('shop.example.com.|')).toMatchObject({ status: 'changed', before: { aliasTarget: { dnsName: 'storefront-1234567890.us-east-1.elb.amazonaws.com.' } } });
    expect([byKey.get('api.example.com.|primary')!.before?.weight, byKey.get('api.example.com.|recovery')!.before?.weight]).toEqual([100, 0]);
    expect([weightOf(await readRecords(w), 'primary'), weightOf(await readRecords(w), 'recovery')]).toEqual([0, 100]);
  });
});
